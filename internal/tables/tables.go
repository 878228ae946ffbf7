// Package tables owns the standard tables of 部门决算 and 部门预算: the
// profiles that say which tables a document of a kind, province and year
// publishes and how their columns and rows add up (data files embedded
// from profiles/, not code, because the set differs by province and year),
// and the check of a report's tables against its profile.
//
// It imports model and diag only; the checker calls Check.
//
// Layer 2 (see internal/arch).
package tables

import (
	"embed"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"disclose/internal/model"
)

//go:embed profiles/*.yaml
var profileFiles embed.FS

// Profile is a set of standard tables.
type Profile struct {
	ID     string  `yaml:"id"`
	Name   string  `yaml:"name"`
	Kind   string  `yaml:"kind"`
	Base   string  `yaml:"base"` // a profile whose tables come first
	Tables []*Spec `yaml:"tables"`
}

// Spec is one table of a profile.
type Spec struct {
	Number  string   `yaml:"number"`
	Name    string   `yaml:"name"`
	Aliases []string `yaml:"aliases"`
	Columns []string `yaml:"columns"`
	// Sums relate the columns of every row: "合计 = 基本支出 + 项目支出".
	Sums []string `yaml:"sums"`
	// Rows relate named rows in every column: "合计 = A + B".
	Rows []string `yaml:"rows"`
	// Codes: each coded row is the sum of the rows whose codes extend its
	// own, and a 合计 row without a code is the sum of the top-level codes.
	Codes bool `yaml:"codes"`
}

var (
	loadOnce sync.Once
	profiles map[string]*Profile
	loadErr  error
)

func load() {
	profiles = map[string]*Profile{}
	entries, err := fs.Glob(profileFiles, "profiles/*.yaml")
	if err != nil {
		loadErr = err
		return
	}
	for _, e := range entries {
		b, err := profileFiles.ReadFile(e)
		if err != nil {
			loadErr = err
			return
		}
		var p Profile
		if err := yaml.Unmarshal(b, &p); err != nil {
			loadErr = fmt.Errorf("tables: %s: %w", e, err)
			return
		}
		profiles[p.ID] = &p
	}
	for _, p := range profiles {
		if p.Base == "" {
			continue
		}
		base, ok := profiles[p.Base]
		if !ok {
			loadErr = fmt.Errorf("tables: profile %s: base %s not found", p.ID, p.Base)
			return
		}
		p.Tables = append(slices.Clone(base.Tables), p.Tables...)
	}
	for _, p := range profiles {
		for _, t := range p.Tables {
			for _, eq := range append(slices.Clone(t.Sums), t.Rows...) {
				if _, err := parseEquation(eq); err != nil {
					loadErr = fmt.Errorf("tables: profile %s, table %s: %w", p.ID, t.Name, err)
					return
				}
			}
		}
	}
}

// Profiles lists the profiles shipped with the program, by ID.
func Profiles() ([]*Profile, error) {
	loadOnce.Do(load)
	if loadErr != nil {
		return nil, loadErr
	}
	out := make([]*Profile, 0, len(profiles))
	for _, p := range profiles {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Lookup returns the profile with the given ID.
func Lookup(id string) (*Profile, bool) {
	loadOnce.Do(load)
	p, ok := profiles[id]
	return p, ok && loadErr == nil
}

// Default is the profile of a kind of document when the report names none.
func Default(k model.DocKind) string {
	switch k {
	case model.KindFinalAccounts:
		return "national-juesuan"
	case model.KindBudget:
		return "national-yusuan"
	}
	return ""
}

// ProfileOf is the profile a report's tables are read against; nil when
// the report has no tables or its kind has no standard set.
func ProfileOf(r *model.Report) *Profile {
	id := r.Profile
	if id == "" {
		id = Default(r.DocKind())
	}
	p, _ := Lookup(id)
	return p
}

var (
	yearPrefix  = regexp.MustCompile(`^[0-9]{4}年(度)?`)
	levelPrefix = regexp.MustCompile(`^(省|市|区|县)级(部门)?`)
	numberParen = regexp.MustCompile(`[（(]公开[0-9０-９]+表[）)]$`)
)

// normName folds what differs between printings of one table's name: the
// year and level in front ("2023年区级部门…"), the table number behind,
// spaces, and full-width brackets.
func normName(s string) string {
	s = strings.NewReplacer(" ", "", "\u3000", "", "（", "(", "）", ")", "——", "--", "－", "-").Replace(strings.TrimSpace(s))
	s = yearPrefix.ReplaceAllString(s, "")
	s = levelPrefix.ReplaceAllString(s, "")
	s = numberParen.ReplaceAllString(s, "")
	return s
}

// Find is the spec a table of the report stands for, by name or alias.
func (p *Profile) Find(name string) *Spec {
	n := normName(name)
	for _, t := range p.Tables {
		if normName(t.Name) == n {
			return t
		}
		for _, a := range t.Aliases {
			if normName(a) == n {
				return t
			}
		}
	}
	return nil
}

// Names lists the profile's table names in order.
func (p *Profile) Names() []string {
	out := make([]string, len(p.Tables))
	for i, t := range p.Tables {
		out[i] = t.Name
	}
	return out
}

// equation is "left = a + b - c".
type equation struct {
	left  string
	terms []term
}

type term struct {
	name string
	neg  bool
}

func parseEquation(s string) (equation, error) {
	left, right, ok := strings.Cut(s, "=")
	if !ok {
		return equation{}, fmt.Errorf("equation %q has no =", s)
	}
	eq := equation{left: strings.TrimSpace(left)}
	neg := false
	for _, f := range strings.Fields(strings.NewReplacer("+", " + ", "-", " - ").Replace(right)) {
		switch f {
		case "+":
			neg = false
		case "-":
			neg = true
		default:
			eq.terms = append(eq.terms, term{f, neg})
			neg = false
		}
	}
	if eq.left == "" || len(eq.terms) < 2 {
		return equation{}, fmt.Errorf("equation %q needs a left side and at least two terms", s)
	}
	return eq, nil
}

// normColumn compares column and row names as people write them.
func normColumn(s string) string {
	return strings.NewReplacer(" ", "", "\u3000", "", "（", "(", "）", ")", "：", "", ":", "").Replace(strings.TrimSpace(s))
}
