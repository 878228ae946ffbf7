// Package gen writes realistic synthetic content trees: departments across
// provinces, cities and counties, each with a report per year in the real
// content format (figures that add up, category trees, 三公 costs, projects,
// indicators, Markdown narrative). It exists for scale benchmarks, such as
// building a site of 10,000 reports.
//
// The same Options give byte-identical files on every machine and Go
// version, whatever the number of cores. About 1.5% of the reports (and at
// least one of each kind, so that small trees show them too) carry one
// deliberate inconsistency the checker warns about: a category whose parts
// do not add up, a stated execution rate that disagrees with the figures,
// or an amount written in 元 where 万元 is meant.
//
// Layer 5 (see internal/arch): it imports content (for the names and
// bounds the loader accepts) and schema.
package gen

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"disclose/internal/content"
	"disclose/internal/output"
	"disclose/internal/schema"

	"golang.org/x/sync/errgroup"
)

// Options say what to generate.
type Options struct {
	Departments int   // number of departments
	Years       int   // reports per department, one per year
	Seed        int64 // the same seed gives the same files
	FirstYear   int   // year of the first report; 0 means DefaultFirstYear
	// Province, when set (its pinyin, such as "gansu"), puts every
	// department in that province: one province's portal, whose
	// comparison pages are as long as its departments are many.
	Province string
}

// DefaultFirstYear is the first report year when Options.FirstYear is 0.
const DefaultFirstYear = 2021

// Limits keep a typo (an extra zero) from filling the disk.
const (
	MaxDepartments = 100_000
	MaxYears       = 50
)

// Marker is the file that marks a directory as gen output. Write replaces
// such a directory and refuses any other non-empty one, so that real
// content is never overwritten. Its name starts with a dot, so the loader
// does not read it.
const Marker = ".disclose-gen"

// ErrForeignDir means the output directory holds files that gen did not
// write.
var ErrForeignDir = errors.New("directory is not empty and was not written by disclose gen")

// Stats describes what Write produced.
type Stats struct {
	Departments, Reports, Files int
	Bytes                       int64
}

func (o Options) normalize() (Options, error) {
	if o.FirstYear == 0 {
		o.FirstYear = DefaultFirstYear
	}
	switch {
	case o.Province != "" && provinceIndex(o.Province) < 0:
		return o, fmt.Errorf("no province %q: use the pinyin of one of %s", o.Province, strings.Join(Provinces(), ", "))
	case o.Departments < 1 || o.Departments > MaxDepartments:
		return o, fmt.Errorf("departments must be between 1 and %d, not %d", MaxDepartments, o.Departments)
	case o.Years < 1 || o.Years > MaxYears:
		return o, fmt.Errorf("years must be between 1 and %d, not %d", MaxYears, o.Years)
	case o.FirstYear < content.MinYear || o.FirstYear+o.Years-1 > content.MaxYear:
		return o, fmt.Errorf("report years %d–%d must lie within %d–%d", o.FirstYear, o.FirstYear+o.Years-1, content.MinYear, content.MaxYear)
	}
	return o, nil
}

// Check reports whether the options are usable, with the reason if not.
func (o Options) Check() error {
	_, err := o.normalize()
	return err
}

// file is one generated file, its path slash-separated and relative to the
// content root.
type file struct {
	path string
	data []byte
}

// Write generates the content tree into a new directory beside dir and
// then puts it in place of dir: a failed run leaves dir as it was. A
// non-empty dir must hold Marker (an earlier Write). Departments are
// generated and written in parallel.
func Write(dir string, o Options) (Stats, error) {
	o, err := o.normalize()
	if err != nil {
		return Stats{}, err
	}
	t, err := output.Begin(context.Background(), dir, output.Options{Marker: Marker, MarkerText: markerText(o)})
	if errors.Is(err, output.ErrForeign) {
		return Stats{}, fmt.Errorf("%s: %w", dir, ErrForeignDir)
	}
	if err != nil {
		return Stats{}, err
	}
	defer t.Abort()
	st := Stats{Departments: o.Departments, Reports: o.Departments * o.Years, Files: 1}
	var mu sync.Mutex
	err = generate(o, func(files []file) error {
		var n int64
		for _, f := range files {
			if err := t.WriteFile(f.path, f.data); err != nil {
				return err
			}
			n += int64(len(f.data))
		}
		mu.Lock()
		st.Files += len(files)
		st.Bytes += n
		mu.Unlock()
		return nil
	})
	if err != nil {
		return st, err
	}
	return st, t.Commit(nil)
}

// Files generates the content tree in memory: file contents by
// slash-separated path, as Write would write them (without Marker).
func Files(o Options) (map[string][]byte, error) {
	o, err := o.normalize()
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	var mu sync.Mutex
	err = generate(o, func(files []file) error {
		mu.Lock()
		defer mu.Unlock()
		for _, f := range files {
			out[f.path] = f.data
		}
		return nil
	})
	return out, err
}

func markerText(o Options) []byte {
	b := fmt.Appendf(nil, "disclose gen --departments %d --years %d --seed %d --first-year %d",
		o.Departments, o.Years, o.Seed, o.FirstYear)
	if o.Province != "" {
		b = fmt.Appendf(b, " --province %s", o.Province)
	}
	return append(b, '\n')
}

// generate plans the tree, then hands emit the site files and each
// department's files, from one goroutine per core. What a department
// contains depends only on the options and its index, never on which
// goroutine made it or when.
func generate(o Options, emit func([]file) error) error {
	p := newPlan(o)
	if err := emit(siteFiles(o)); err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(context.Background())
	g.SetLimit(min(runtime.GOMAXPROCS(0), o.Departments))
	for i := range o.Departments {
		if ctx.Err() != nil {
			break // a department failed
		}
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil
			}
			return emit(p.department(i))
		})
	}
	return g.Wait()
}

// siteFiles are site.yaml and the JSON Schemas the content files name on
// their first line, so that editors can check generated files too.
func siteFiles(o Options) []file {
	site := fmt.Sprintf(`# yaml-language-server: $schema=_schema/site.schema.json
title: 部门整体支出绩效自评报告公开（合成数据）
subtitle: 由 disclose gen 生成的规模测试内容
description: |
  本站内容由 disclose gen 按固定随机种子生成，共 %d 个部门、%d 个年度（%d—%d 年），用于性能和规模测试。
  部门名称、数字和文字均为合成，不是真实的政府信息；少数报告故意含有合计与分项不符等问题，供检查功能测试。
publisher: disclose gen（种子 %d）
language: zh-CN
portal:
  site_name: 部门整体支出绩效自评报告公开（合成数据）
  column_name: 绩效信息公开
  content_source: disclose gen 合成数据
footer: 合成测试数据，不代表任何单位的真实情况。
`, o.Departments, o.Years, o.FirstYear, o.FirstYear+o.Years-1, o.Seed)
	out := []file{{path: "site.yaml", data: []byte(site)}}
	schemas := schema.All()
	names := make([]string, 0, len(schemas))
	for name := range schemas {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		out = append(out, file{path: "_schema/" + name, data: schemas[name]})
	}
	return out
}
