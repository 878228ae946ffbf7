package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/build"
	"disclose/internal/chartimage"
	"disclose/internal/gen"
	dsite "disclose/internal/site"
	"disclose/internal/theme"
	"disclose/themes"
)

// historySite writes the department pages (and assets) of a generated
// site whose departments have several years, which the default content
// lacks, and returns the directory and the content.
func historySite(t testing.TB) (dir, content string) {
	t.Helper()
	tmp := t.TempDir()
	content = filepath.Join(tmp, "content")
	if _, err := gen.Write(content, gen.Options{Departments: 2, Years: 3, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	m, ds := build.LoadFS(os.DirFS(content), "content")
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	s, err := dsite.New(m, ds, th, dsite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := s.Files()
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(tmp, "public")
	for _, f := range files {
		if strings.HasPrefix(f.Path, "departments/") || strings.HasPrefix(f.Path, "assets/") {
			if err := writeSiteFile(filepath.Join(dir, filepath.FromSlash(f.Path)), f); err != nil {
				t.Fatal(err)
			}
		}
	}
	return dir, content
}

// historyLabelsJS lists, per history chart, the figures of its bars (read
// from each bar's tooltip, which has always stated it) that no drawn
// text shows.
const historyLabelsJS = `[...document.querySelectorAll('.chart-canvas[data-option^="chart-history-"]')].map(el => {
	const opt = JSON.parse(document.getElementById(el.dataset.option).textContent);
	const drawn = [...el.querySelectorAll('svg text')].map(t => t.textContent.trim());
	const figures = [];
	for (const s of [].concat(opt.series || [])) {
		for (const d of s.data || []) {
			const tip = d && d.tooltip && d.tooltip.formatter;
			const m = typeof tip === 'string' && tip.match(/：(-?[0-9][0-9,]*(?:\.[0-9]+)?)/);
			if (m) figures.push(m[1]);
		}
	}
	return {id: el.dataset.option, figures: figures.length, missing: figures.filter(f => !drawn.some(t => t === f || t.startsWith(f + '*') || t.startsWith(f + '%')))};
})`

type historyLabels struct {
	ID      string   `json:"id"`
	Figures int      `json:"figures"`
	Missing []string `json:"missing"`
}

// TestHistoryValueLabels opens the department pages of a site with
// several years per department: every bar of the history charts shows
// its figure, at a desktop and a phone width.
func TestHistoryValueLabels(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir, _ := historySite(t)
	root := serveStrict(t, dir, subPath)
	browser := startBrowser(t, exe)
	pages := htmlFiles(dir)
	if len(pages) == 0 {
		t.Fatal("the generated site has no department page")
	}
	tb := newTab(t, browser)
	checked := 0
	for _, p := range pages {
		for _, w := range readerWidths {
			tb.viewport(w.width, w.height, w.mobile)
			tb.navigate(root.String() + p)
			tb.waitCharts(p)
			for _, c := range eval[[]historyLabels](tb, historyLabelsJS) {
				checked += c.Figures
				if len(c.Missing) > 0 {
					tb.errorf("%s at %d px: %s shows %d of its %d figures on its bars; missing %s", p, w.width, c.ID, c.Figures-len(c.Missing), c.Figures, strings.Join(c.Missing, "、"))
				}
			}
		}
	}
	if checked == 0 {
		t.Error("no history chart with figures was checked")
	}
	tb.finish("department pages")
}

// imageTextsJS is every text an SVG image draws, in order.
const imageTextsJS = `[...document.querySelectorAll('text')].map(t => t.textContent)`

// TestBriefingImagesInChromium exports the chart images of a generated
// site (reports and department histories) and opens each SVG in Chromium
// as a slide program would show it: it must state its department and
// year, the source and unit, show no breadcrumb button, and the history
// images the figure of each bar.
func TestBriefingImagesInChromium(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	font, err := chartimage.LoadFont("")
	if err != nil {
		need(t, "a CJK font (fonts-noto-cjk)", err)
		return
	}
	r, err := chartimage.New(themes.Default(), font)
	if err != nil {
		t.Fatal(err)
	}
	_, content := historySite(t)
	m, _ := build.LoadFS(os.DirFS(content), "content")
	out := t.TempDir()
	var groups []chartimage.Group
	for _, g := range chartimage.Groups(m, "") {
		if !strings.HasPrefix(g.Prefix, "compare-") && !strings.HasPrefix(g.Prefix, "category-") {
			groups = append(groups, g)
		}
	}
	if _, err := r.Export(context.Background(), groups, out, chartimage.Options{Width: 800, Height: 300, SVG: true}); err != nil {
		t.Fatal(err)
	}
	root := serveStrict(t, out, subPath)
	tb := newTab(t, startBrowser(t, exe))
	tb.viewport(800, 600, false)
	images, treemaps, history := 0, 0, 0
	for _, g := range groups {
		for _, c := range g.Charts() {
			name := chartimage.ImageName(g.Prefix, c.ID) + ".svg"
			tb.navigate(root.String() + name)
			texts := eval[[]string](tb, imageTextsJS)
			all := strings.ReplaceAll(strings.Join(texts, ""), " ", "")
			images++
			for _, want := range []string{c.Title, c.Subtitle, strings.Replace(c.Source, "，单位：", "单位：", 1)} {
				if want == "" || !strings.Contains(all, strings.ReplaceAll(want, " ", "")) {
					tb.errorf("%s: the image does not say %q: %q", name, want, texts)
				}
			}
			if !strings.Contains(all, "数据来源：") || !strings.Contains(all, "单位：") {
				tb.errorf("%s: no source line with the unit: %q", name, texts)
			}
			for _, s := range texts {
				if strings.TrimSpace(s) == "全部支出" {
					tb.errorf("%s: the image draws the breadcrumb button 全部支出", name)
				}
			}
			if c.ID == "categories" {
				treemaps++
			}
			if strings.HasPrefix(c.ID, "history-") {
				history++
				for _, row := range c.Table.Rows {
					for i, cell := range row[1:] {
						if c.Table.Numeric[i+1] && cell != "—" && !strings.Contains(all, cell) {
							tb.errorf("%s: the image does not show %s of %s", name, cell, row[0])
						}
					}
				}
			}
		}
	}
	if images == 0 || treemaps == 0 || history == 0 {
		t.Errorf("checked %d images, %d treemaps, %d history charts: want some of each", images, treemaps, history)
	}
	tb.finish("chart images")
}
