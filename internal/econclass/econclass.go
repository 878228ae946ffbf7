// Package econclass owns the official classifications that published
// spending lines are mapped to, so that departments naming the same money
// differently can be compared: the 部门预算支出经济分类 (301 工资福利支出,
// 302 商品和服务支出 …) and the 支出功能分类 (208 社会保障和就业支出,
// 20802 民政管理事务 …), with the groups readers know by another name
// (人员经费 = 301 + 303) and the synonyms reports use. The tables are data
// (classes.tsv); mapping is by published code, then exact official name,
// then a listed synonym, never by likeness: a name that matches none stays
// unmapped. It imports nothing of ours, so that the model's users and the
// site may both use it.
//
// Layer 0 (see internal/arch).
package econclass

import (
	_ "embed"
	"fmt"
	"strings"
)

// Scheme is a classification.
type Scheme string

const (
	Econ Scheme = "econ" // 部门预算支出经济分类
	Func Scheme = "func" // 支出功能分类
)

// Title is the scheme's official name.
func (s Scheme) Title() string {
	if s == Econ {
		return "部门预算支出经济分类"
	}
	return "支出功能分类"
}

// Class is an item of a classification, or a group of items (Parts) that
// readers know by one name.
type Class struct {
	Scheme Scheme
	Code   string   // "301", "2080201"; a group's codes joined by "+": "301+303"
	Name   string   // the official name, or the group's
	Parts  []string // a group's codes; nil for an item
	Def    string   // a group's definition
}

// Key names the class in addresses: "econ-301", "func-2080201",
// "econ-301-303".
func (c Class) Key() string { return string(c.Scheme) + "-" + strings.ReplaceAll(c.Code, "+", "-") }

// Label is the class as readers see it: “301 工资福利支出”, “人员经费（301+303）”.
func (c Class) Label() string {
	if c.Parts != nil {
		return c.Name + "（" + c.Code + "）"
	}
	return c.Code + " " + c.Name
}

// Match is a published line mapped to a class, and why.
type Match struct {
	Class Class
	Why   string
}

type synonym struct {
	code, why string
}

type tables struct {
	byCode  map[Scheme]map[string]Class
	byName  map[Scheme]map[string]Class
	synonym map[Scheme]map[string]synonym
	groups  []Class
}

//go:embed classes.tsv
var classesTSV string

var tbl = mustParse(classesTSV)

func mustParse(src string) *tables {
	t, err := parse(src)
	if err != nil {
		panic("econclass: classes.tsv: " + err.Error())
	}
	return t
}

func parse(src string) (*tables, error) {
	t := &tables{byCode: map[Scheme]map[string]Class{}, byName: map[Scheme]map[string]Class{}, synonym: map[Scheme]map[string]synonym{}}
	for _, s := range []Scheme{Econ, Func} {
		t.byCode[s], t.byName[s], t.synonym[s] = map[string]Class{}, map[string]Class{}, map[string]synonym{}
	}
	for i, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 {
			return nil, fmt.Errorf("line %d: want at least 4 tab-separated fields, got %d", i+1, len(f))
		}
		s := Scheme(f[1])
		if s != Econ && s != Func {
			return nil, fmt.Errorf("line %d: unknown scheme %q", i+1, f[1])
		}
		switch f[0] {
		case "class":
			c := Class{Scheme: s, Code: f[2], Name: f[3]}
			if _, dup := t.byCode[s][c.Code]; dup {
				return nil, fmt.Errorf("line %d: code %s listed twice", i+1, c.Code)
			}
			t.byCode[s][c.Code], t.byName[s][c.Name] = c, c
		case "group":
			if len(f) < 5 {
				return nil, fmt.Errorf("line %d: a group needs its definition", i+1)
			}
			c := Class{Scheme: s, Code: f[2], Name: f[3], Parts: strings.Split(f[2], "+"), Def: f[4]}
			for _, p := range c.Parts {
				if _, ok := t.byCode[s][p]; !ok {
					return nil, fmt.Errorf("line %d: group part %s is not a listed class", i+1, p)
				}
			}
			t.byCode[s][c.Code] = c
			t.groups = append(t.groups, c)
		case "synonym":
			if len(f) < 5 {
				return nil, fmt.Errorf("line %d: a synonym needs its reason", i+1)
			}
			if _, ok := t.byCode[s][f[2]]; !ok {
				return nil, fmt.Errorf("line %d: synonym of unlisted code %s", i+1, f[2])
			}
			if c, ok := t.byName[s][f[3]]; ok {
				return nil, fmt.Errorf("line %d: %q is already the official name of %s", i+1, f[3], c.Code)
			}
			t.synonym[s][f[3]] = synonym{f[2], f[4]}
		default:
			return nil, fmt.Errorf("line %d: unknown record %q", i+1, f[0])
		}
	}
	return t, nil
}

// Lookup finds a class or group by scheme and code.
func Lookup(s Scheme, code string) (Class, bool) {
	c, ok := tbl.byCode[s][code]
	return c, ok
}

// Groups are the groups of classes readers know by one name (人员经费).
func Groups() []Class { return tbl.groups }

// Map maps a published line, by its name and the code it was published
// with (may be empty), to a class: by the code, else by the official
// name, economic first, else by a listed synonym. ok is false when none
// applies.
func Map(name, code string) (m Match, ok bool) {
	name = strings.TrimSpace(name)
	if code != "" {
		s := Func
		if strings.HasPrefix(code, "3") {
			s = Econ
		}
		if c, ok := Lookup(s, code); ok {
			why := "原文科目编码 " + code
			if name != c.Name {
				why += "（原文名称“" + name + "”）"
			}
			return Match{c, why}, true
		}
	}
	for _, s := range []Scheme{Econ, Func} {
		if c, ok := tbl.byName[s][name]; ok {
			return Match{c, "名称与" + s.Title() + "一致"}, true
		}
	}
	for _, s := range []Scheme{Econ, Func} {
		if syn, ok := tbl.synonym[s][name]; ok {
			c, _ := Lookup(s, syn.code)
			return Match{c, syn.why}, true
		}
	}
	return Match{}, false
}
