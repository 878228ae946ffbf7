package chartimage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"disclose/internal/charts"
	"disclose/internal/model"
	"disclose/internal/output"

	"golang.org/x/sync/errgroup"
)

// Group is the charts of one page of the site: a report, a department's
// history, a year's comparison, a category's comparison. Its charts are
// made when it is drawn, so that an export of ten thousand reports never
// holds all their chart options at once.
type Group struct {
	Prefix string // file names are Prefix-chartID
	Title  string // heading on the index page
	charts func() []charts.Chart
}

// Charts makes the group's charts.
func (g Group) Charts() []charts.Chart { return g.charts() }

// Groups lists every chart page of the site in a fixed order: each
// report, each department's history, each year's comparison, each shared
// spending category (as the site's pages have them). only ("dept" or
// "dept/year") narrows the list; it leaves out the comparisons across
// departments.
func Groups(m *model.Site, only string) []Group {
	dept, year, _ := strings.Cut(only, "/")
	var out []Group
	years := map[int][]*model.Report{}
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			// Comparisons, as on the site, set only self-evaluation
			// reports side by side.
			if r.DocKind() == model.KindSelfEval {
				years[r.Year] = append(years[r.Year], r)
			}
			if dept != "" && d.ID != dept || year != "" && strconv.Itoa(r.Year) != year {
				continue
			}
			title := fmt.Sprintf("%s %d年度", d.Name, r.Year)
			if k := r.DocKind(); k != model.KindSelfEval {
				title += k.DocTitle()
			}
			out = append(out, Group{d.ID + "-" + r.Key(), title, func() []charts.Chart { return charts.ForReport(r) }})
		}
		if len(d.Reports) > 1 && (dept == "" || d.ID == dept) && year == "" {
			out = append(out, Group{d.ID + "-history", d.Name + " 历年", func() []charts.Chart { return charts.ForDepartment(d) }})
		}
	}
	if dept != "" {
		return out
	}
	var all []*model.Report
	ys := slices.Sorted(maps.Keys(years))
	for _, y := range ys {
		if year == "" || strconv.Itoa(y) == year {
			for _, p := range parts(years[y]) {
				out = append(out, Group{fmt.Sprintf("compare-%d", y) + p.suffix, fmt.Sprintf("%d年度各部门对比", y) + p.title, func() []charts.Chart { return charts.ForYear(y, p.reports) }})
			}
		}
		all = append(all, years[y]...)
	}
	if year != "" {
		return out
	}
	for _, g := range model.SharedCategories(all, (*model.Report).Categories) {
		kind := "基本支出"
		if g.Kind == model.KindProject {
			kind = "项目支出"
		}
		for _, p := range parts(g.Reports) {
			out = append(out, Group{"category-" + g.Kind + "-" + fileSafe(g.Name) + p.suffix, "类别对比：" + kind + " " + g.Name + p.title, func() []charts.Chart { return charts.ForCategory(g.Name, p.reports) }})
		}
	}
	return out
}

// MaxBars is the most departments one comparison image shows. Beyond about
// forty bars a chart no longer reads on a slide, and a province's
// thousands would make an image tens of thousands of pixels tall.
const MaxBars = 40

// part is a share of a comparison small enough for one image.
type part struct {
	suffix, title string // added to the file name and the heading
	reports       []*model.Report
}

// parts splits a comparison that is too large for one image by province
// (the first level of a department's region), in order of first
// appearance, and a province that is still too large into numbered parts.
func parts(reports []*model.Report) []part {
	if len(reports) <= MaxBars {
		return []part{{reports: reports}}
	}
	var order []string
	byRegion := map[string][]*model.Report{}
	for _, r := range reports {
		region := "其他"
		if len(r.Department.Region) > 0 {
			region = r.Department.Region[0]
		}
		if _, ok := byRegion[region]; !ok {
			order = append(order, region)
		}
		byRegion[region] = append(byRegion[region], r)
	}
	var out []part
	for _, region := range order {
		rs := byRegion[region]
		n := (len(rs) + MaxBars - 1) / MaxBars
		for i := range n {
			p := part{suffix: "-" + fileSafe(region), title: "：" + region, reports: rs[i*len(rs)/n : (i+1)*len(rs)/n]}
			if n > 1 {
				p.suffix += fmt.Sprintf("-%d", i+1)
				p.title += fmt.Sprintf("（%d/%d）", i+1, n)
			}
			out = append(out, p)
		}
	}
	return out
}

// fileSafe keeps a category name readable in a file name (人员经费 stays
// 人员经费) while taking out what Windows, zip tools or a shell would
// choke on.
func fileSafe(name string) string {
	s := strings.Map(func(r rune) rune {
		switch {
		case r < ' ', strings.ContainsRune(`/\:*?"<>|%#&;'`+"`", r):
			return -1
		case unicode.IsSpace(r):
			return '_'
		}
		return r
	}, name)
	if s == "" {
		s = "未命名"
	}
	return s
}

// Rasterizer turns an SVG of width×height CSS pixels into a PNG at scale
// device pixels per CSS pixel. Export calls it from several goroutines.
type Rasterizer interface {
	PNG(svg []byte, width, height int, scale float64) ([]byte, error)
}

// Options of an export.
type Options struct {
	Width int // CSS pixels
	// Height is the least height in CSS pixels; a chart that needs more
	// (a long list of categories) gets more.
	Height int
	SVG    bool       // write .svg files
	PNG    Rasterizer // write .png files with it, when set
	Scale  float64    // PNG pixels per CSS pixel
	// Chart, when set, draws only the charts with that ID.
	Chart string
	// Progress, when set, is told of each group done.
	Progress func(done, total int)
	// Waiting, when set, is told when the export must wait for another
	// export into the same directory to finish.
	Waiting func()
}

// ErrNoCharts says an export found nothing to draw.
var ErrNoCharts = errors.New("没有符合条件的图表（检查 --only 和 --chart）")

// Height is the height in CSS pixels c is drawn at: what the chart needs
// with its title, and at least min.
func Height(c charts.Chart, min int) int {
	return max(c.ImageHeight(), min)
}

// entry is what the index page shows of a drawn chart.
type entry struct {
	Name, Title, Summary string
}

// Marker marks a directory as written by Export: a non-empty directory
// without it is never replaced.
const Marker = ".disclose-charts"

// Export draws the groups' charts into a new directory beside dir, writes
// index.html listing them by group, and then puts it in place of dir: a
// failed or stopped export leaves dir as it was. Charts are drawn on every
// core and handed out one at a time, so that cores stay busy whatever the
// mix of small and large pages; a group's charts are made only when its
// turn comes. It returns how many charts it drew; none is ErrNoCharts.
func (r *Renderer) Export(ctx context.Context, groups []Group, dir string, o Options) (int, error) {
	t, err := output.Begin(ctx, dir, output.Options{Marker: Marker, MarkerText: []byte(markerText), Waiting: o.Waiting})
	if err != nil {
		return 0, err
	}
	defer t.Abort()
	var (
		mu   sync.Mutex
		done int
	)
	drawn := make([][]entry, len(groups))
	pending := make([]int, len(groups))
	finished := func(group int) { // with mu held
		pending[group]--
		if pending[group] == 0 {
			done++
			if o.Progress != nil {
				o.Progress(done, len(groups))
			}
		}
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
feed:
	for i, group := range groups {
		var cs []charts.Chart
		for _, c := range group.Charts() {
			if o.Chart == "" || c.ID == o.Chart {
				cs = append(cs, c)
			}
		}
		mu.Lock()
		pending[i] = len(cs) + 1 // held open until every chart is handed out
		for _, c := range cs {
			drawn[i] = append(drawn[i], entry{ImageName(group.Prefix, c.ID), c.Title, c.Summary})
		}
		mu.Unlock()
		for k, c := range cs {
			if gctx.Err() != nil {
				break feed
			}
			name := drawn[i][k].Name
			g.Go(func() error {
				// Go may have waited for a slot while another chart failed.
				if gctx.Err() != nil {
					return nil
				}
				err := r.exportChart(t, c, name, o)
				mu.Lock()
				finished(i)
				mu.Unlock()
				if err != nil {
					return fmt.Errorf("%s: %w", name, err)
				}
				return nil
			})
		}
		mu.Lock()
		finished(i)
		mu.Unlock()
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, es := range drawn {
		n += len(es)
	}
	if n == 0 {
		return 0, ErrNoCharts
	}
	if err := writeIndex(t, groups, drawn, o); err != nil {
		return 0, err
	}
	return n, t.Commit(nil)
}

const markerText = "chart images exported by disclose charts; the next export replaces this whole directory\n"

func (r *Renderer) exportChart(t *output.Txn, c charts.Chart, name string, o Options) error {
	h := Height(c, o.Height)
	svg, err := r.SVG(c.WithTitle(), o.Width, h)
	if err != nil {
		return err
	}
	if o.SVG {
		if err := t.WriteFile(name+".svg", svg); err != nil {
			return err
		}
	}
	if o.PNG != nil {
		png, err := o.PNG.PNG(svg, o.Width, h, o.Scale)
		if err != nil {
			return err
		}
		if err := t.WriteFile(name+".png", png); err != nil {
			return err
		}
	}
	return nil
}

var indexPage = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>图表图片</title></head>
<body><main><h1>图表图片</h1>
<p>每张图都是 SVG 矢量图，可直接插入演示文稿或文档，放大不失真。</p>
{{$ext := .Ext}}{{range .Groups}}<section><h2>{{.Title}}</h2>
{{range .Charts}}{{$c := .}}<figure><img src="{{.Name}}.{{$ext}}" alt="{{.Title}}：{{.Summary}}" width="400"><figcaption>{{.Title}}：{{range $.Exts}}<a href="{{$c.Name}}.{{.}}">{{.}}</a> {{end}}</figcaption></figure>
{{end}}</section>
{{end}}</main></body></html>
`))

type indexGroup struct {
	Title  string
	Charts []entry
}

func writeIndex(t *output.Txn, groups []Group, drawn [][]entry, o Options) error {
	var gs []indexGroup
	for i, g := range groups {
		if len(drawn[i]) > 0 {
			gs = append(gs, indexGroup{g.Title, drawn[i]})
		}
	}
	exts := []string{}
	if o.SVG {
		exts = append(exts, "svg")
	}
	if o.PNG != nil {
		exts = append(exts, "png")
	}
	var b bytes.Buffer
	if err := indexPage.Execute(&b, map[string]any{"Groups": gs, "Ext": exts[0], "Exts": exts}); err != nil {
		return err
	}
	return t.WriteFile("index.html", b.Bytes())
}

// ImageName is the file name (without extension) of chart id in group
// prefix. A chart id repeats the word its group already has
// ("history-totals" in "<dept>-history"), which the name says once:
// "<dept>-history-totals", "compare-2022-totals", "category-basic-人员经费-amount".
func ImageName(prefix, id string) string {
	for _, word := range []string{"history", "compare", "category"} {
		if rest, ok := strings.CutPrefix(id, word+"-"); ok && slices.Contains(strings.Split(prefix, "-"), word) {
			return prefix + "-" + rest
		}
	}
	return prefix + "-" + id
}
