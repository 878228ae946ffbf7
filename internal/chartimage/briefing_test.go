package chartimage

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"disclose/internal/charts"
	"disclose/internal/content"
)

// svgTexts is the text of every <text> element of an SVG, lines of one
// label joined (ECharts writes a wrapped label as one <text> per line).
var svgText = regexp.MustCompile(`<text[^>]*>([^<]*)</text>`)

func svgTexts(svg []byte) []string {
	var out []string
	for _, m := range svgText.FindAllSubmatch(svg, -1) {
		out = append(out, unescape(string(m[1])))
	}
	return out
}

func unescape(s string) string {
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'").Replace(s)
}

// An image pasted into a slide has no page around it: it must say whose
// figures it shows, of which year, where they come from and in which unit,
// and hold nothing a reader could only click (the treemap's 全部支出
// breadcrumb). History images carry the value of each bar.
func TestBriefingImages(t *testing.T) {
	r := renderer(t)
	seed, _ := content.Load(os.DirFS("../../content"), "content")
	hist, _ := content.Load(os.DirFS("../charts/testdata/history"), "content")
	var cases []charts.Chart
	treemaps := 0
	for _, d := range seed.Departments {
		for _, rep := range d.Reports {
			if rep.Year != 2023 && rep.Year != 2024 {
				continue
			}
			cases = append(cases, charts.ForReport(rep)...)
		}
	}
	history := charts.ForDepartment(hist.Departments[0])
	if len(history) == 0 {
		t.Fatal("the history test content gives no history charts")
	}
	cases = append(cases, history...)
	for _, c := range cases {
		svg, err := r.SVG(c.WithTitle(), 800, Height(c, 0))
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		texts := svgTexts(svg)
		all := strings.Join(texts, "")
		for _, want := range []string{c.Title, c.Subtitle, strings.Replace(c.Source, "，单位：", "单位：", 1)} {
			if want == "" || !strings.Contains(strings.ReplaceAll(all, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Errorf("%s (%s): the image does not say %q; its text: %q", c.ID, c.Subtitle, want, texts)
			}
		}
		if !strings.HasPrefix(c.Source, "数据来源：") || !strings.Contains(c.Source, "单位：") {
			t.Errorf("%s: source line %q", c.ID, c.Source)
		}
		if c.ID == "categories" {
			treemaps++
			for _, s := range texts {
				if s == "全部支出" {
					t.Errorf("%s (%s): the image draws the breadcrumb button 全部支出", c.ID, c.Subtitle)
				}
			}
		}
		if strings.HasPrefix(c.ID, "history-") {
			// Every figure of the table is on its bar (the rate and
			// share tables print a % the labels also carry).
			for _, row := range c.Table.Rows {
				for i, cell := range row[1:] {
					if !c.Table.Numeric[i+1] || cell == "—" {
						continue
					}
					if !strings.Contains(all, cell) {
						t.Errorf("%s: the image does not show the value %s of %s; its text: %q", c.ID, cell, row[0], texts)
					}
				}
			}
		}
	}
	if treemaps == 0 {
		t.Error("no treemap drawn: the breadcrumb check checked nothing")
	}
}
