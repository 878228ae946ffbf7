package publish

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Changelog is what a release changes against the live one: pages by
// path, and the figures of each report whose open-data table changed.
type Changelog struct {
	From, To                string // release ids; From is "" for the first release
	Added, Changed, Removed []string
	// Other counts the files that are neither pages nor report tables
	// (scripts, images, feeds) added, changed or removed.
	Other   int
	Reports []ReportChange
	// Lost says why there was nothing to compare with although a release
	// was live (its manifest is lost or damaged); "" normally.
	Lost string
}

// ReportChange is one report whose table data/<dept>/<file>.csv changed.
type ReportChange struct {
	Path  string // data/<dept>/<file>.csv
	Title string // 湘潭市民政局 2024年 部门整体支出绩效自评
	// Op is "+" for a new report, "-" for a removed one, "~" for one whose
	// figures changed.
	Op      string
	Figures []FigureChange // at most the limit; More says how many more
	More    int
	// Note says why the figures could not be compared (a table that does
	// not read as CSV); "" normally.
	Note string
}

// FigureChange is one figure added ("+"), changed ("~") or removed ("-").
type FigureChange struct {
	Op       string
	Label    string // 湘潭市民政局 2024年 收支 合计 年初预算
	Old, New string // 数值（万元）as published; "" on the side where it is absent
	// Detail is true when the amount is the same but how the source wrote
	// it (原文写法, 原文单位) or the erratum note changed.
	Detail bool
}

// valueColumns are the columns of the open-data table that hold a figure's
// value; every other column together names the figure.
var valueColumns = []string{"数值（万元）", "原文写法", "原文单位", "勘误说明"}

const amountColumn = "数值（万元）"

// DefaultMaxFigures bounds the figures listed per report.
const DefaultMaxFigures = 20

// Changes compares the release cur with the live release old (nil for the
// first publish). readOld reads a file of old, readNew one of cur; only the
// report tables that changed are read.
func Changes(old, cur *Manifest, readOld, readNew func(p string) ([]byte, error), maxFigures int) (*Changelog, error) {
	if maxFigures <= 0 {
		maxFigures = DefaultMaxFigures
	}
	c := &Changelog{To: cur.ID}
	before := map[string]string{}
	if old != nil {
		c.From = old.ID
		for _, f := range old.Files {
			before[f.Path] = f.SHA256
		}
	}
	after := map[string]string{}
	for _, f := range cur.Files {
		after[f.Path] = f.SHA256
	}
	note := func(p, op string) error {
		switch {
		case strings.HasSuffix(p, ".html"):
			switch op {
			case "+":
				c.Added = append(c.Added, p)
			case "~":
				c.Changed = append(c.Changed, p)
			default:
				c.Removed = append(c.Removed, p)
			}
			return nil
		case isReportTable(p):
			if old == nil {
				return nil // a first release would list every figure
			}
			rc, err := compareReport(p, op, readOld, readNew, maxFigures)
			if err != nil {
				return err
			}
			c.Reports = append(c.Reports, rc)
			return nil
		}
		c.Other++
		return nil
	}
	for _, f := range cur.Files {
		h, ok := before[f.Path]
		op := "~"
		if !ok {
			op = "+"
		} else if h == f.SHA256 {
			continue
		}
		if err := note(f.Path, op); err != nil {
			return nil, err
		}
	}
	if old != nil {
		for _, f := range old.Files {
			if _, ok := after[f.Path]; !ok {
				if err := note(f.Path, "-"); err != nil {
					return nil, err
				}
			}
		}
	}
	slices.SortStableFunc(c.Reports, func(a, b ReportChange) int { return strings.Compare(a.Path, b.Path) })
	return c, nil
}

// isReportTable matches the per-report open-data table data/<dept>/<file>.csv
// (not data/all.csv, the table of the whole site).
func isReportTable(p string) bool {
	parts := strings.Split(p, "/")
	return len(parts) == 3 && parts[0] == "data" && path.Ext(p) == ".csv"
}

type table struct {
	header []string
	rows   [][]string
}

func readTable(b []byte) (*table, error) {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	r := csv.NewReader(bytes.NewReader(b))
	recs, err := r.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 {
		return &table{}, nil
	}
	return &table{header: recs[0], rows: recs[1:]}, nil
}

func (t *table) col(name string) int { return slices.Index(t.header, name) }

func (t *table) get(row []string, name string) string {
	if i := t.col(name); i >= 0 && i < len(row) {
		return strings.TrimPrefix(row[i], "'")
	}
	return ""
}

// key names a figure by every column but its value's.
func (t *table) key(row []string) string {
	var parts []string
	for i, v := range row {
		if i < len(t.header) && slices.Contains(valueColumns, t.header[i]) {
			continue
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, "\x00")
}

func (t *table) value(row []string) string {
	var parts []string
	for _, c := range valueColumns {
		parts = append(parts, t.get(row, c))
	}
	return strings.Join(parts, "\x00")
}

// title names the report of a table by its first row.
func (t *table) title() string {
	if len(t.rows) == 0 {
		return ""
	}
	r := t.rows[0]
	return strings.Join(nonEmpty(t.get(r, "部门"), yearText(t.get(r, "年度")), t.get(r, "文件种类")), " ")
}

// label names a figure for readers: department, year, fund, table and
// category, measure.
func (t *table) label(row []string) string {
	if t.col("部门") < 0 || t.col("数据项") < 0 {
		var parts []string
		for i, v := range row {
			if i < len(t.header) && !slices.Contains(valueColumns, t.header[i]) && v != "" {
				parts = append(parts, strings.TrimPrefix(v, "'"))
			}
		}
		return strings.Join(parts, " ")
	}
	fund := t.get(row, "资金名称")
	if fund == "部门整体" {
		fund = ""
	}
	scope, cat := t.get(row, "口径"), t.get(row, "类别路径")
	if strings.HasPrefix(cat, scope) {
		scope = ""
	}
	project := t.get(row, "项目")
	if strings.Contains(cat, project) {
		project = ""
	}
	return strings.Join(nonEmpty(t.get(row, "部门"), yearText(t.get(row, "年度")), fund, scope, cat, project, t.get(row, "数据项")), " ")
}

func yearText(y string) string {
	if y == "" {
		return ""
	}
	return y + "年"
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// keyed lists a table's rows by key, in order; a key repeated in one
// table (two rows naming the same figure) is told apart by its count.
func (t *table) keyed() ([]string, map[string][]string) {
	var order []string
	rows := map[string][]string{}
	seen := map[string]int{}
	for _, r := range t.rows {
		k := t.key(r)
		seen[k]++
		if seen[k] > 1 {
			k += "\x00#" + strconv.Itoa(seen[k])
		}
		order = append(order, k)
		rows[k] = r
	}
	return order, rows
}

func compareReport(p, op string, readOld, readNew func(string) ([]byte, error), max int) (ReportChange, error) {
	rc := ReportChange{Path: p, Op: op}
	var ot, nt *table
	if op != "+" {
		b, err := readOld(p)
		if err != nil {
			return rc, fmt.Errorf("changelog: read live %s: %w", p, err)
		}
		if ot, err = readTable(b); err != nil {
			rc.Note = fmt.Sprintf("现行版本的 %s 无法读取：%v", p, err)
			return rc, nil
		}
		rc.Title = ot.title()
	}
	if op != "-" {
		b, err := readNew(p)
		if err != nil {
			return rc, fmt.Errorf("changelog: read %s: %w", p, err)
		}
		if nt, err = readTable(b); err != nil {
			rc.Note = fmt.Sprintf("新版本的 %s 无法读取：%v", p, err)
			return rc, nil
		}
		rc.Title = nt.title()
	}
	if op != "~" {
		return rc, nil
	}
	oldOrder, oldRows := ot.keyed()
	newOrder, newRows := nt.keyed()
	var figs []FigureChange
	for _, k := range newOrder {
		nr := newRows[k]
		or, ok := oldRows[k]
		switch {
		case !ok:
			figs = append(figs, FigureChange{Op: "+", Label: nt.label(nr), New: nt.get(nr, amountColumn)})
		case ot.value(or) != nt.value(nr):
			o, n := ot.get(or, amountColumn), nt.get(nr, amountColumn)
			figs = append(figs, FigureChange{Op: "~", Label: nt.label(nr), Old: o, New: n, Detail: o == n})
		}
	}
	for _, k := range oldOrder {
		if _, ok := newRows[k]; !ok {
			or := oldRows[k]
			figs = append(figs, FigureChange{Op: "-", Label: ot.label(or), Old: ot.get(or, amountColumn)})
		}
	}
	if len(figs) > max {
		rc.More = len(figs) - max
		figs = figs[:max]
	}
	rc.Figures = figs
	return rc, nil
}

// maxPaths bounds the pages listed per kind of change, maxReports the
// reports whose figures are listed: a changelog is read, not searched.
const (
	maxPaths   = 30
	maxReports = 30
)

// WriteText writes the changelog for people, in Chinese.
func (c *Changelog) WriteText(w io.Writer) error {
	var b strings.Builder
	if c.Lost != "" {
		fmt.Fprintf(&b, "变更：%s\n", c.Lost)
	} else if c.From == "" {
		fmt.Fprintf(&b, "变更：首次发布（版本 %s）\n", c.To)
	} else {
		fmt.Fprintf(&b, "变更：%s → %s\n", c.From, c.To)
	}
	fmt.Fprintf(&b, "  页面：新增 %d 个，修改 %d 个，删除 %d 个\n", len(c.Added), len(c.Changed), len(c.Removed))
	for _, g := range []struct {
		mark  string
		paths []string
	}{{"+", c.Added}, {"~", c.Changed}, {"-", c.Removed}} {
		if c.From == "" {
			break // a first release would list every page
		}
		for i, p := range g.paths {
			if i == maxPaths {
				fmt.Fprintf(&b, "    %s … 另有 %d 个\n", g.mark, len(g.paths)-maxPaths)
				break
			}
			fmt.Fprintf(&b, "    %s %s\n", g.mark, p)
		}
	}
	if c.Other > 0 {
		fmt.Fprintf(&b, "  其他文件（脚本、图片、下载等）：新增、修改或删除 %d 个\n", c.Other)
	}
	if c.From != "" && len(c.Reports) > 0 {
		fmt.Fprintf(&b, "  数字有变化的报告：%d 份\n", len(c.Reports))
		for i, r := range c.Reports {
			if i == maxReports {
				fmt.Fprintf(&b, "    … 另有 %d 份报告\n", len(c.Reports)-maxReports)
				break
			}
			title := r.Title + "（" + r.Path + "）"
			if r.Title == "" {
				title = r.Path
			}
			switch r.Op {
			case "+":
				fmt.Fprintf(&b, "    + 新增报告 %s\n", title)
			case "-":
				fmt.Fprintf(&b, "    - 删除报告 %s\n", title)
			default:
				fmt.Fprintf(&b, "    ~ %s\n", title)
			}
			if r.Note != "" {
				fmt.Fprintf(&b, "        %s\n", r.Note)
			}
			for _, f := range r.Figures {
				switch f.Op {
				case "+":
					fmt.Fprintf(&b, "        + %s：%s\n", f.Label, f.New)
				case "-":
					fmt.Fprintf(&b, "        - %s：%s\n", f.Label, f.Old)
				default:
					extra := ""
					if f.Detail {
						extra = "（原文写法、单位或勘误说明有变）"
					}
					fmt.Fprintf(&b, "        ~ %s：%s → %s%s\n", f.Label, f.Old, f.New, extra)
				}
			}
			if r.More > 0 {
				fmt.Fprintf(&b, "        … 另有 %d 项\n", r.More)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
