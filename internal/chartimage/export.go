package chartimage

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"disclose/internal/charts"
	"disclose/internal/model"
)

// Job is one image to draw.
type Job struct {
	Name  string // file name without extension: department-year-chart
	Group string // what the chart belongs to, for the index page
	Chart charts.Chart
}

// Jobs lists every chart of the site as image jobs, in a fixed order:
// each report's charts, each department's history, each year's
// comparison. only ("dept" or "dept/year") and chart narrow the list.
func Jobs(m *model.Site, only, chart string) []Job {
	dept, year, _ := strings.Cut(only, "/")
	var out []Job
	add := func(name, group string, cs []charts.Chart) {
		for _, c := range cs {
			if chart == "" || c.ID == chart {
				out = append(out, Job{Name: name + "-" + c.ID, Group: group, Chart: c})
			}
		}
	}
	years := map[int][]*model.Report{}
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			years[r.Year] = append(years[r.Year], r)
			if dept != "" && d.ID != dept || year != "" && strconv.Itoa(r.Year) != year {
				continue
			}
			add(fmt.Sprintf("%s-%d", d.ID, r.Year), fmt.Sprintf("%s %d年度", d.Name, r.Year), charts.ForReport(r))
		}
		if len(d.Reports) > 1 && (dept == "" || d.ID == dept) && year == "" {
			add(d.ID+"-history", d.Name+" 历年", charts.ForDepartment(d))
		}
	}
	if dept == "" {
		var ys []int
		for y := range years {
			ys = append(ys, y)
		}
		slices.Sort(ys)
		for _, y := range ys {
			if year == "" || strconv.Itoa(y) == year {
				add(fmt.Sprintf("compare-%d", y), fmt.Sprintf("%d年度各部门对比", y), charts.ForYear(y, years[y]))
			}
		}
	}
	return out
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
	// Progress, when set, is told of each chart done.
	Progress func(done, total int)
}

// Export draws jobs into dir on every core, and writes index.html listing
// them by group.
func (r *Renderer) Export(ctx context.Context, jobs []Job, dir string, o Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		done     int
	)
	work := make(chan Job)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				err := r.export(j, dir, o)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", j.Name, err)
				}
				done++
				if o.Progress != nil {
					o.Progress(done, len(jobs))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, j := range jobs {
		select {
		case work <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return writeIndex(dir, jobs, o)
}

func (r *Renderer) export(j Job, dir string, o Options) error {
	h := max(j.Chart.Height+charts.TitleHeight, o.Height)
	svg, err := r.SVG(j.Chart.WithTitle(), o.Width, h)
	if err != nil {
		return err
	}
	if o.SVG {
		if err := os.WriteFile(filepath.Join(dir, j.Name+".svg"), svg, 0o644); err != nil {
			return err
		}
	}
	if o.PNG != nil {
		png, err := o.PNG.PNG(svg, o.Width, h, o.Scale)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, j.Name+".png"), png, 0o644); err != nil {
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
{{$ext := .Ext}}{{range .Groups}}<section><h2>{{.Group}}</h2>
{{range .Jobs}}{{$j := .}}<figure><img src="{{.Name}}.{{$ext}}" alt="{{.Chart.Title}}：{{.Chart.Summary}}" width="400"><figcaption>{{.Chart.Title}}：{{range $.Exts}}<a href="{{$j.Name}}.{{.}}">{{.}}</a> {{end}}</figcaption></figure>
{{end}}</section>
{{end}}</main></body></html>
`))

type group struct {
	Group string
	Jobs  []Job
}

func writeIndex(dir string, jobs []Job, o Options) error {
	var groups []group
	for _, j := range jobs {
		if len(groups) == 0 || groups[len(groups)-1].Group != j.Group {
			groups = append(groups, group{Group: j.Group})
		}
		groups[len(groups)-1].Jobs = append(groups[len(groups)-1].Jobs, j)
	}
	exts := []string{}
	if o.SVG {
		exts = append(exts, "svg")
	}
	if o.PNG != nil {
		exts = append(exts, "png")
	}
	var b bytes.Buffer
	if err := indexPage.Execute(&b, map[string]any{"Groups": groups, "Ext": exts[0], "Exts": exts}); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "index.html"), b.Bytes(), 0o644)
}
