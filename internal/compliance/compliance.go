// Package compliance owns the disclosure-compliance profiles and the check
// of a loaded site against one: which documents each department must
// publish each year, which tables, parts and sections each must contain,
// which figures need an explanation, the deadline from approval to
// publication, and the portal meta tags the site must carry.
//
// Profiles are data (YAML embedded from profiles/, plus a user's own in a
// profiles/ directory beside the content directory, overriding an embedded
// profile of the same name file by file, as themes do), because the rules
// differ by province and year and change by circular, not by release.
// Every rule carries its basis (文件名和条款), which the diagnostics and
// the 公开情况 page show.
//
// It imports model, diag and tables only.
//
// Layer 4 (see internal/arch): it imports model, diag and tables.
package compliance

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"disclose/internal/model"
	"disclose/internal/tables"
)

//go:embed profiles/*.yaml
var embedded embed.FS

// DefaultProfile is the profile a site uses when site.yaml names none.
const DefaultProfile = "national"

// Profile is one set of disclosure requirements.
type Profile struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// Base is a profile whose requirements apply first; this profile's
	// own, listed after them, override what they state.
	Base string `yaml:"base"`
	// Site is what every page of the site must carry.
	Site *SiteRule `yaml:"site"`
	// Documents are the requirements by kind of document, year and
	// province, in order: for a report, each matching entry overrides
	// the fields it sets.
	Documents []*Document `yaml:"documents"`
	// File is where the profile was read from, for messages: the user's
	// file, or "内置" for an embedded one.
	File string `yaml:"-"`
}

// SiteRule lists the portal fields (keys under portal: in site.yaml)
// every page must carry as meta tags.
type SiteRule struct {
	Basis  string       `yaml:"basis"`
	Fields []*MetaField `yaml:"fields"`
}

// MetaField is one portal meta tag and the site.yaml key that fills it.
type MetaField struct {
	Key   string `yaml:"key"`   // site_id_code
	Meta  string `yaml:"meta"`  // SiteIDCode
	Label string `yaml:"label"` // 网站标识码
}

// Document is what a kind of document must contain, in the years
// From..To (0: open) and the provinces listed (none: all).
type Document struct {
	Kind      model.DocKind `yaml:"kind"`
	From      int           `yaml:"from"`
	To        int           `yaml:"to"`
	Provinces []string      `yaml:"provinces"`
	// Required: every department publishes one each year.
	Required *Basis `yaml:"required"`
	// Deadline in days from the approval date to publication.
	Deadline *Deadline `yaml:"deadline"`
	// Tables: the table set (an id of internal/tables) it must publish
	// in full.
	Tables *TableRule `yaml:"tables"`
	// Parts it must contain, matched against the report's fields and
	// chapter titles.
	Parts []*Part `yaml:"parts"`
	// Sections a self-evaluation report must have.
	Sections []*Section `yaml:"sections"`
	// Execution: an execution rate below the threshold needs a reason.
	Execution *ExecutionRule `yaml:"execution"`
	// Targets: an indicator that missed its target needs a deviation
	// reason.
	Targets *Basis `yaml:"targets"`
}

// Basis is the document and clause a requirement rests on.
type Basis struct {
	Basis string `yaml:"basis"`
}

// Deadline is the number of days from approval to publication.
type Deadline struct {
	Days  int    `yaml:"days"`
	Basis string `yaml:"basis"`
}

// TableRule names the table set a document must publish.
type TableRule struct {
	Set   string `yaml:"set"`
	Basis string `yaml:"basis"`
}

// Part is a required part of a document. Check says how it is found:
// three-public (each 三公 item with budget and actual, and the reason for
// the change), operating, procurement or assets (the Accounts field, or a
// chapter titled by an alias), or chapter (a chapter titled by an alias).
type Part struct {
	Name    string   `yaml:"name"`
	Check   string   `yaml:"check"`
	Aliases []string `yaml:"aliases"`
	Basis   string   `yaml:"basis"`
	Hint    string   `yaml:"hint"`
	// Figures a three-public part needs for each item: budget, actual
	// (both when empty; a 部门预算 has only the budget).
	Figures []string `yaml:"figures"`
}

// Section is a required section of a self-evaluation report: a narrative
// key, or a chapter titled by an alias.
type Section struct {
	Name    string   `yaml:"name"`
	Keys    []string `yaml:"keys"`
	Aliases []string `yaml:"aliases"`
	Basis   string   `yaml:"basis"`
}

// ExecutionRule: a rate below Below (percent, as written) needs a reason,
// found in the fund's note or in narrative or chapter text that speaks of
// execution and holds one of Reasons.
type ExecutionRule struct {
	Below   string   `yaml:"below"`
	Reasons []string `yaml:"reasons"`
	Basis   string   `yaml:"basis"`
	below   model.Decimal
}

var partChecks = []string{"three-public", "operating", "procurement", "assets", "chapter"}

// Profiles is every profile a site can use: the embedded ones with the
// user's laid over them.
type Profiles struct {
	byID map[string]*Profile
}

// Dir is where a user's own profiles live: profiles/ beside the content
// directory.
func Dir(contentDir string) string {
	return filepath.Join(filepath.Dir(filepath.Clean(contentDir)), "profiles")
}

// Load reads the embedded profiles and the user's (Dir(contentDir)), a
// user file replacing the embedded profile of the same file name. An
// empty contentDir loads the embedded ones alone.
func Load(contentDir string) (*Profiles, error) {
	files := map[string]*Profile{}
	names, err := fs.Glob(embedded, "profiles/*.yaml")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		b, err := embedded.ReadFile(n)
		if err != nil {
			return nil, err
		}
		p, err := parse(b, "内置 "+n)
		if err != nil {
			return nil, err
		}
		files[filepath.Base(n)] = p
	}
	if contentDir != "" {
		dir := Dir(contentDir)
		entries, err := os.ReadDir(dir)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("公开要求目录 %s：%w", dir, err)
		}
		for _, e := range entries {
			if e.IsDir() || filepath.Ext(e.Name()) != ".yaml" {
				continue
			}
			path := filepath.Join(dir, e.Name())
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("公开要求 %s：%w", path, err)
			}
			p, err := parse(b, filepath.ToSlash(path))
			if err != nil {
				return nil, err
			}
			files[e.Name()] = p
		}
	}
	ps := &Profiles{byID: map[string]*Profile{}}
	for _, p := range files {
		if q, dup := ps.byID[p.ID]; dup {
			return nil, fmt.Errorf("公开要求 %s 与 %s 的 id 都是 %q", p.File, q.File, p.ID)
		}
		ps.byID[p.ID] = p
	}
	for _, p := range ps.byID {
		if err := ps.resolve(p, nil); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

func parse(b []byte, file string) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("公开要求 %s：%w", file, err)
	}
	p.File = file
	if p.ID == "" {
		return nil, fmt.Errorf("公开要求 %s：缺少 id", file)
	}
	for _, d := range p.Documents {
		if !model.ValidEnum(d.Kind, string(d.Kind)) {
			return nil, fmt.Errorf("公开要求 %s：文件种类 %q 不是 %s 之一", file, d.Kind, strings.Join(d.Kind.Values(), "、"))
		}
		if d.Tables != nil {
			if _, ok := tables.Lookup(d.Tables.Set); !ok {
				return nil, fmt.Errorf("公开要求 %s：%s 的表格式 %q 不存在", file, d.Kind, d.Tables.Set)
			}
		}
		for _, pt := range d.Parts {
			if !slices.Contains(partChecks, pt.Check) {
				return nil, fmt.Errorf("公开要求 %s：%s 的“%s”：check 应为 %s 之一", file, d.Kind, pt.Name, strings.Join(partChecks, "、"))
			}
			for _, f := range pt.Figures {
				if f != "budget" && f != "actual" {
					return nil, fmt.Errorf("公开要求 %s：%s 的“%s”：figures 只能是 budget、actual", file, d.Kind, pt.Name)
				}
			}
		}
		for _, s := range d.Sections {
			for _, k := range s.Keys {
				if !slices.ContainsFunc(model.SectionTitles, func(t struct{ Key, Title string }) bool { return t.Key == k }) {
					return nil, fmt.Errorf("公开要求 %s：章节“%s”的 key %q 不是 narrative 的字段", file, s.Name, k)
				}
			}
		}
		if e := d.Execution; e != nil {
			v, err := model.ParsePercent(e.Below)
			if err != nil {
				v, err = model.ParseDecimal(e.Below)
			}
			if err != nil {
				return nil, fmt.Errorf("公开要求 %s：执行率阈值 %q 不是数字", file, e.Below)
			}
			e.below = v
		}
	}
	return &p, nil
}

// resolve puts the base's documents before p's own, once.
func (ps *Profiles) resolve(p *Profile, seen []string) error {
	if p.Base == "" {
		return nil
	}
	if slices.Contains(seen, p.ID) {
		return fmt.Errorf("公开要求 %s：base 循环引用（%s）", p.File, strings.Join(append(seen, p.ID), " → "))
	}
	base, ok := ps.byID[p.Base]
	if !ok {
		return fmt.Errorf("公开要求 %s：base %q 不存在", p.File, p.Base)
	}
	if err := ps.resolve(base, append(seen, p.ID)); err != nil {
		return err
	}
	p.Documents = append(slices.Clone(base.Documents), p.Documents...)
	if p.Site == nil {
		p.Site = base.Site
	}
	p.Base = ""
	return nil
}

// Names lists the profile ids, sorted.
func (ps *Profiles) Names() []string {
	out := make([]string, 0, len(ps.byID))
	for id := range ps.byID {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the profile with the given id. The error, in Chinese,
// lists the profiles there are.
func (ps *Profiles) Lookup(id string) (*Profile, error) {
	if id == "" {
		id = DefaultProfile
	}
	if p, ok := ps.byID[id]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("没有名为“%s”的公开要求；可用的有：%s", id, strings.Join(ps.Names(), "、"))
}

// rules is what applies to one report: the matching entries of the
// profile's documents, each overriding the fields it sets.
type rules struct {
	required  *Basis
	deadline  *Deadline
	tables    *TableRule
	parts     []*Part
	sections  []*Section
	execution *ExecutionRule
	targets   *Basis
}

func (d *Document) matches(kind model.DocKind, year int, province string) bool {
	if d.Kind != kind || (d.From != 0 && year < d.From) || (d.To != 0 && year > d.To) {
		return false
	}
	return len(d.Provinces) == 0 || slices.Contains(d.Provinces, province)
}

func (p *Profile) rulesFor(kind model.DocKind, year int, province string) (rules, bool) {
	var r rules
	found := false
	for _, d := range p.Documents {
		if !d.matches(kind, year, province) {
			continue
		}
		found = true
		if d.Required != nil {
			r.required = d.Required
		}
		if d.Deadline != nil {
			r.deadline = d.Deadline
		}
		if d.Tables != nil {
			r.tables = d.Tables
		}
		if d.Parts != nil {
			r.parts = d.Parts
		}
		if d.Sections != nil {
			r.sections = d.Sections
		}
		if d.Execution != nil {
			r.execution = d.Execution
		}
		if d.Targets != nil {
			r.targets = d.Targets
		}
	}
	return r, found
}

// requiredKinds are the kinds a department of province must publish for
// year, in the order portals list them, each with its basis.
func (p *Profile) requiredKinds(year int, province string) []model.DocKind {
	var out []model.DocKind
	for _, k := range model.DocKind("").Values() {
		kind := model.DocKind(k)
		if r, ok := p.rulesFor(kind, year, province); ok && r.required != nil {
			out = append(out, kind)
		}
	}
	slices.SortStableFunc(out, func(a, b model.DocKind) int { return a.Order() - b.Order() })
	return out
}
