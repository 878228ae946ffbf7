package review

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"disclose/internal/importer"
)

// importsDir is the folder importer.SidecarPath puts sidecars in.
const importsDir = "_imports"

// Draft names an imported report awaiting review.
type Draft struct{ Dept, Key string }

// Drafts lists the imported reports whose sidecars are in fsys, a content
// directory, in the order of their names. Files and folders whose names
// no report can have are not drafts and are left out.
func Drafts(fsys fs.FS) []Draft {
	var out []Draft
	depts, _ := fs.ReadDir(fsys, importsDir)
	for _, d := range depts {
		if !d.IsDir() || !deptRE.MatchString(d.Name()) {
			continue
		}
		files, _ := fs.ReadDir(fsys, importsDir+"/"+d.Name())
		for _, f := range files {
			key, ok := strings.CutSuffix(f.Name(), ".json")
			if ok && f.Type().IsRegular() && validName(d.Name(), key) {
				out = append(out, Draft{d.Name(), key})
			}
		}
	}
	// By key, not file name: 2023 before 2023-juesuan, as the site lists
	// a year's documents.
	slices.SortFunc(out, func(a, b Draft) int { return cmp.Or(cmp.Compare(a.Dept, b.Dept), cmp.Compare(a.Key, b.Key)) })
	return out
}

// Row statuses: how the value in the report now compares with the import.
const (
	same    = "same"
	changed = "changed"
	missing = "missing" // no longer in the report
	unread  = "unread"  // the report cannot be read now
)

// row is one imported value as the page shows it.
type row struct {
	Loc      string // report.yaml:LINE, where the value is now (or was)
	Moved    int    // the line at import, when the value is now elsewhere
	Field    string // the path in words
	Path     string
	Imported string
	Current  string
	Status   string
	Where    string
	Quote    quoted
}

// quoted is a source quote split around the imported value.
type quoted struct{ Before, Mark, After string }

// report is what the page of one draft shows.
type report struct {
	Dept, Key   string
	Report      string // the report file, relative to the content directory
	ReportFile  string // and as the user finds it
	SidecarFile string
	Source      string
	Sum         string
	// Problem says why the sidecar cannot be shown; nothing else is then.
	Problem string
	// YAMLProblem says why the report's current values cannot be shown.
	YAMLProblem string
	Rows        []row
	Unplaced    []importer.SidecarPlaced
	Changed     int
	Missing     int
}

// read gathers the page of draft d of the content in fsys, named root to
// the user. A sidecar that is there but unusable is a Problem, not an
// error: the page says what is wrong with it.
func read(fsys fs.FS, root string, d Draft) (*report, error) {
	if !validName(d.Dept, d.Key) {
		return nil, ErrNotFound
	}
	sidecar := importer.SidecarPath(d.Dept, d.Key)
	rep := &report{Dept: d.Dept, Key: d.Key, SidecarFile: path.Join(root, sidecar)}
	b, err := fs.ReadFile(fsys, sidecar)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotFound
	}
	if err != nil {
		rep.Problem = fmt.Sprintf("导入记录文件 %s 读取失败（%v）。", rep.SidecarFile, err)
		return rep, nil
	}
	var sc importer.Sidecar
	if err := json.Unmarshal(b, &sc); err != nil {
		rep.Problem = fmt.Sprintf("导入记录文件 %s 的格式有误，无法读取（%v）。它可能被手工改坏了，或者没有写完。", rep.SidecarFile, err)
		return rep, nil
	}
	rep.Report = sc.Report
	if rep.Report == "" {
		rep.Report = path.Join(d.Dept, d.Key+".yaml")
	}
	if !fs.ValidPath(rep.Report) || !strings.HasSuffix(rep.Report, ".yaml") {
		rep.Problem = fmt.Sprintf("导入记录文件 %s 里的报告文件名 %q 不对：应是内容目录里的一个 .yaml 文件。", rep.SidecarFile, sc.Report)
		return rep, nil
	}
	rep.ReportFile = path.Join(root, rep.Report)
	rep.Source, rep.Sum, rep.Unplaced = sc.Source, sc.SourceSum, sc.Unplaced
	// As the draft's header gives it: enough to tell two versions of a
	// document apart.
	if len(rep.Sum) > 12 {
		rep.Sum = rep.Sum[:12]
	}

	var doc *yaml.Node
	switch y, err := fs.ReadFile(fsys, rep.Report); {
	case errors.Is(err, fs.ErrNotExist):
		rep.YAMLProblem = fmt.Sprintf("报告文件 %s 不存在（可能已改名或删除），下表只能列出导入时的值。", rep.ReportFile)
	case err != nil:
		rep.YAMLProblem = fmt.Sprintf("报告文件 %s 读取失败（%v），下表只能列出导入时的值。", rep.ReportFile, err)
	default:
		var n yaml.Node
		if err := yaml.Unmarshal(y, &n); err != nil {
			rep.YAMLProblem = fmt.Sprintf("报告文件 %s 现在有格式错误（%v）。改正并保存后刷新本页，就能看到现在的值。", rep.ReportFile, err)
		} else {
			doc = &n
		}
	}
	for _, v := range sc.Values {
		r := row{Path: v.Path, Field: v.Path, Imported: v.Value, Where: v.Where, Quote: highlight(v.Quote, v.Value), Status: unread}
		line := v.Line
		segs, ok := parsePath(v.Path)
		if ok {
			r.Field = readable(segs)
		}
		if doc != nil {
			n := current(doc, segs, ok, v.Line)
			switch {
			case n == nil:
				r.Status = missing
				rep.Missing++
			case strings.TrimSpace(n.Value) == strings.TrimSpace(v.Value):
				r.Status, r.Current = same, n.Value
			default:
				r.Status, r.Current = changed, n.Value
				rep.Changed++
			}
			if n != nil && n.Line != v.Line {
				r.Moved, line = v.Line, n.Line
			}
		}
		if line > 0 {
			r.Loc = rep.Report + ":" + strconv.Itoa(line)
		} else {
			r.Loc = rep.Report
		}
		rep.Rows = append(rep.Rows, r)
	}
	return rep, nil
}

// current finds an imported value in the report as it is now. By its path
// first: the draft's header asks to delete lines, and any line added or
// deleted above a value moves it, so that the recorded line may hold
// another field. By the recorded line when the path no longer leads
// anywhere (a renamed item), if the field there has the value's key.
func current(doc *yaml.Node, segs []seg, pathOK bool, line int) *yaml.Node {
	key := ""
	if pathOK {
		if n := byPath(doc, segs); n != nil {
			return n
		}
		key = segs[len(segs)-1].key
	}
	var found []*yaml.Node
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if v.Kind == yaml.ScalarNode && v.Line == line && (key == "" || k.Value == key) {
					found = append(found, v)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	if len(found) != 1 {
		return nil
	}
	return found[0]
}

// seg is one step of a sidecar path: a key, and for a list the name of the
// element ("items[工资福利支出]").
type seg struct {
	key, name string
	elem      bool
}

// parsePath reads the paths importer writes, such as
// "funds[一般公共预算].basic.items[工资福利支出].amount". A name ends at
// the "]" before a "." or the end, so names may hold dots ("1.5项").
func parsePath(p string) ([]seg, bool) {
	var segs []seg
	for p != "" {
		i := strings.IndexAny(p, ".[")
		if i < 0 {
			segs = append(segs, seg{key: p})
			break
		}
		s := seg{key: p[:i]}
		if s.key == "" {
			return nil, false
		}
		if p[i] == '[' {
			rest := p[i+1:]
			end := -1
			for j := 0; j < len(rest); j++ {
				if rest[j] == ']' && (j+1 == len(rest) || rest[j+1] == '.') {
					end = j
					break
				}
			}
			if end < 0 {
				return nil, false
			}
			s.name, s.elem = rest[:end], true
			p = rest[end+1:]
			segs = append(segs, s)
			if p == "" {
				break
			}
			p = p[1:] // the "."
		} else {
			segs = append(segs, s)
			p = p[i+1:]
			if p == "" {
				return nil, false
			}
		}
	}
	if len(segs) == 0 || segs[len(segs)-1].elem {
		return nil, false // a value is a field, never a whole list element
	}
	return segs, true
}

func byPath(doc *yaml.Node, segs []seg) *yaml.Node {
	n := deref(doc)
	if n != nil && n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return nil
		}
		n = deref(n.Content[0])
	}
	for _, s := range segs {
		if n = field(n, s.key); n == nil {
			return nil
		}
		if s.elem {
			if n = element(n, s.name); n == nil {
				return nil
			}
		}
	}
	if n.Kind != yaml.ScalarNode {
		return nil
	}
	return n
}

func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func field(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return deref(m.Content[i+1])
		}
	}
	return nil
}

// element finds the element of a list the importer named name: by its
// "name", or its "source" for the funds of a report. Two elements of one
// name cannot be told apart, so neither is taken.
func element(seq *yaml.Node, name string) *yaml.Node {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	var hit *yaml.Node
	for _, e := range seq.Content {
		e = deref(e)
		got := ""
		if n := field(e, "name"); n != nil && n.Kind == yaml.ScalarNode {
			got = n.Value
		} else if n := field(e, "source"); n != nil && n.Kind == yaml.ScalarNode {
			got = n.Value
		}
		if got != name || e.Kind != yaml.MappingNode {
			continue
		}
		if hit != nil {
			return nil
		}
		hit = e
	}
	return hit
}

// labels are the report fields in the words of the content reference
// (docs and the schema's descriptions), for the fields imports fill.
var labels = map[string]string{
	"year": "报告年度", "kind": "文件种类", "title": "标题", "issuer": "发布单位", "unit": "金额单位",
	"approved": "批复日期", "report_date": "报告日期", "evaluation": "评价方式", "score": "自评得分",
	"staff": "人员情况", "totals": "部门整体收支", "funds": "资金来源", "three_public": "“三公”经费",
	"projects": "重点项目", "accounts": "决算、预算数字", "project_eval": "项目支出绩效自评表",
	"source": "来源", "label": "显示名称", "name": "名称", "code": "科目编码", "amount": "金额",
	"initial_budget": "年初预算", "adjustment": "年中调整预算", "budget": "预算数", "income": "收入",
	"expenditure": "支出", "carryover": "年末结转结余", "execution_rate": "执行率", "basic": "基本支出",
	"project": "项目支出", "budget_plan": "预算批复构成", "total": "合计", "items": "细分", "of_which": "其中",
	"note": "说明", "prior": "上年数", "change": "增减额", "change_rate": "增减率", "share": "比重",
	"reason": "原因", "outbound": "因公出国（境）费", "vehicle_purchase": "公务用车购置费",
	"vehicle_operation": "公务用车运行维护费", "vehicles": "公务用车购置及运行维护费", "reception": "公务接待费",
	"counts": "数量", "actual": "实际数", "rate": "完成率", "arrived": "资金到位", "paid": "实际拨付",
	"weight": "分值", "max": "满分", "grade": "等级", "target": "指标值", "authorized": "编制数",
	"in_service": "实有在职人数", "retired": "退休人数", "text": "内容", "group": "所属类别",
	"description": "说明", "targets": "年度绩效目标", "indicators": "绩效指标",
	"body": "评价机构", "method": "评价方式", "parts": "分项", "authority": "主管部门",
	"implementer": "实施单位", "nature": "指标性质", "deviation": "偏差原因",
	"tables": "公开表", "rows": "行", "cells": "各列", "number": "表号", "partial": "只列部分",
	"fiscal": "财政拨款支出", "functional": "功能分类", "economic": "经济分类",
}

// readable puts a path in words: an element by its name, a field by its
// label, so "funds[一般公共预算].basic.amount" reads
// "一般公共预算 › 基本支出 › 金额".
func readable(segs []seg) string {
	parts := make([]string, 0, len(segs))
	for _, s := range segs {
		switch {
		case s.elem && s.name != "":
			parts = append(parts, s.name)
		case labels[s.key] != "":
			parts = append(parts, labels[s.key])
		default:
			parts = append(parts, s.key)
		}
	}
	return strings.Join(parts, " › ")
}

// numberRE is a number as documents print it: thousands separated by
// commas, ASCII or full-width.
var numberRE = regexp.MustCompile(`-?[0-9][0-9,，]*(\.[0-9]+)?`)

// highlight marks value in quote. The quote ends at the figure, so the
// last match is taken. The text as imported first; then, for a number,
// the number of equal value, as the document may print 1,190.27 for
// 1190.27 or 0.00 for 0. Nothing is marked rather than the wrong thing.
func highlight(quote, value string) quoted {
	v := strings.TrimSpace(value)
	if v == "" || quote == "" {
		return quoted{Before: quote}
	}
	for i := len(quote); i >= 0; {
		j := strings.LastIndex(quote[:i], v)
		if j < 0 {
			break
		}
		if numberEdges(quote, j, j+len(v), v) {
			return quoted{quote[:j], v, quote[j+len(v):]}
		}
		i = j + len(v) - 1
	}
	num := numberRE.FindString(v)
	if num == "" || !strings.HasPrefix(v, num) {
		return quoted{Before: quote}
	}
	unit := v[len(num):]
	want := decimal(num)
	locs := numberRE.FindAllStringIndex(quote, -1)
	for k := len(locs) - 1; k >= 0; k-- {
		a, b := locs[k][0], locs[k][1]
		// A comma after the number belongs to the sentence, not to it.
		for b > a && (strings.HasSuffix(quote[a:b], ",") || strings.HasSuffix(quote[a:b], "，")) {
			b -= len(string(lastRune(quote[a:b])))
		}
		if decimal(quote[a:b]) != want || !numberEdges(quote, a, b, quote[a:b]) {
			continue
		}
		if unit != "" && strings.HasPrefix(quote[b:], unit) {
			b += len(unit)
		}
		return quoted{quote[:a], quote[a:b], quote[b:]}
	}
	return quoted{Before: quote}
}

func lastRune(s string) rune { r, _ := utf8.DecodeLastRuneInString(s); return r }

// numberEdges reports whether quote[a:b], the text m, is not part of a
// longer number: "19" is not to be marked inside "2019" or "1.19".
func numberEdges(quote string, a, b int, m string) bool {
	if m == "" {
		return false
	}
	if isDigit(m[0]) || m[0] == '-' {
		if a > 0 && (isDigit(quote[a-1]) || quote[a-1] == '.') {
			return false
		}
	}
	if isDigit(m[len(m)-1]) && b < len(quote) {
		if isDigit(quote[b]) || (quote[b] == '.' && b+1 < len(quote) && isDigit(quote[b+1])) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// decimal is a number's value as text, without separators or zeros that
// do not change it: "1,190.270" and "1190.27" are both "1190.27".
func decimal(s string) string {
	s = strings.NewReplacer(",", "", "，", "").Replace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	if whole == "" {
		whole = "0"
	}
	if frac != "" {
		whole += "." + frac
	}
	if neg && whole != "0" {
		whole = "-" + whole
	}
	return whole
}
