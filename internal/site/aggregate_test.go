package site

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"disclose/internal/check"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/heavytest"
	"disclose/internal/theme"
)

// aggregateDepts are the departments whose every kind of value the
// Aggregate test changes: between them, documents of every kind (整体自评
// with categories and indicators, 部门预算, 部门决算 with its tables, 三公,
// a 项目支出绩效自评表, Markdown sections, errata and stated rates).
var aggregateDepts = []string{
	"hunan-xiangtan-minzheng",
	"hubei-jingmen-minzheng",
	"anhui-chizhou-guichi-tangxi",
	"anhui-huainan-shouxian-wenbao",
	"guangdong-caizhengting",
	"hunan-zhuzhou-lusong-minzheng",
}

// TestHeavyAggregateCoversSiteWidePages holds Aggregate to what the
// site-wide pages really show. A rebuild renders those pages again only
// when a department's Aggregate changed, so a value that some list,
// comparison, category page, feed or the search index prints, but that
// Aggregate leaves out, would leave a stale figure on them. The test
// changes, one at a time, the first value of every field path (list
// indexes aside) of every YAML file of the departments above, and every
// Markdown file, renders the site-wide pages and asserts: when any of
// them changed, the department's Aggregate changed too. Walking the YAML
// itself means a field added to the model later is covered without
// touching this test.
func TestHeavyAggregateCoversSiteWidePages(t *testing.T) {
	heavytest.Mark(t)
	base := fstest.MapFS{}
	root := os.DirFS("../../content")
	keep := append([]string{"site.yaml"}, aggregateDepts...)
	for _, top := range keep {
		err := fs.WalkDir(root, top, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || content.Ignored(p) {
				return err
			}
			b, err := fs.ReadFile(root, p)
			base[p] = &fstest.MapFile{Data: b}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	// render gives the hash of every site-wide page and each department's
	// Aggregate; ok is false when the content has errors.
	render := func(fsys fs.FS) (pages map[string][32]byte, aggs map[string]string, ok bool) {
		m, ds := content.Load(fsys, "content")
		ds = append(ds, check.Site(m)...)
		diag.Sort(ds)
		if diag.HasErrors(ds) {
			return nil, nil, false
		}
		s, err := New(m, ds, th, Options{})
		if err != nil {
			t.Fatal(err)
		}
		files, err := s.Files()
		if err != nil {
			t.Fatal(err)
		}
		pages = map[string][32]byte{}
		var buf bytes.Buffer
		for _, f := range files {
			if f.Scope.Kind != AllScope || f.Slow {
				continue
			}
			buf.Reset()
			if err := f.Write(&buf); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			pages[f.Path] = sha256.Sum256(buf.Bytes())
		}
		aggs = map[string]string{}
		for _, d := range m.Departments {
			aggs[d.ID] = s.Aggregate(d.ID)
		}
		return pages, aggs, true
	}
	basePages, baseAggs, ok := render(base)
	if !ok {
		t.Fatal("the content has errors")
	}

	var tried, changedPages, refused int
	for _, p := range slices.Sorted(func(yield func(string) bool) {
		for p := range base {
			if !yield(p) {
				return
			}
		}
	}) {
		dept, _, _ := strings.Cut(p, "/")
		if dept == "site.yaml" {
			continue
		}
		for _, mu := range mutations(t, p, base[p].Data) {
			fsys := maps2(base)
			fsys[p] = &fstest.MapFile{Data: mu.data}
			pages, aggs, ok := render(fsys)
			tried++
			if !ok {
				refused++
				continue
			}
			var differ []string
			for q, h := range pages {
				if basePages[q] != h {
					differ = append(differ, q)
				}
			}
			for q := range basePages {
				if _, ok := pages[q]; !ok {
					differ = append(differ, q)
				}
			}
			if len(differ) == 0 {
				continue
			}
			changedPages++
			if aggs[dept] == baseAggs[dept] {
				slices.Sort(differ)
				t.Errorf("%s: %s changes %s (and %d more site-wide files), but not Aggregate(%q): a rebuild would leave those pages stale",
					p, mu.what, differ[0], len(differ)-1, dept)
			}
		}
	}
	t.Logf("%d single-value changes, %d of them changed site-wide pages, %d refused by the loader or checker", tried, changedPages, refused)
	// The test proves something only if many changes reach the pages.
	if changedPages < 50 {
		t.Errorf("only %d of %d changes reached a site-wide page; the test would not notice a forgotten field", changedPages, tried)
	}
}

func maps2(m fstest.MapFS) fstest.MapFS {
	out := make(fstest.MapFS, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

type mutation struct {
	what string
	data []byte
}

var plainNumber = regexp.MustCompile(`^-?[0-9][0-9,]*(\.[0-9]+)?%?$`)

// mutations gives one changed copy of the file per field path: for YAML,
// the first scalar value under each path (list indexes aside) changed in
// place in the source text (a number's last digit, a text gains a
// character), so that nothing else of the file moves; for Markdown, a
// sentence added.
func mutations(t *testing.T, p string, data []byte) []mutation {
	switch path.Ext(p) {
	case ".md":
		return []mutation{{"an added sentence", append(bytes.Clone(data), "\n\n另有一句。\n"...)}}
	case ".yaml", ".yml":
	default:
		return nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	seen := map[string]bool{}
	var out []mutation
	var walk func(n *yaml.Node, at string)
	walk = func(n *yaml.Node, at string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, at)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], at+"."+n.Content[i].Value)
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, at+"[]")
			}
		case yaml.ScalarNode:
			if seen[at] || n.Style != 0 || n.Value == "" || n.Line < 1 || n.Line > len(lines) {
				return
			}
			line := lines[n.Line-1]
			runes := []rune(line)
			col := n.Column - 1
			if col < 0 || col+len([]rune(n.Value)) > len(runes) || string(runes[col:col+len([]rune(n.Value))]) != n.Value {
				return // a multi-line or otherwise unplain scalar
			}
			changed := n.Value + "变"
			if plainNumber.MatchString(n.Value) {
				v := []rune(n.Value)
				i := len(v) - 1
				if v[i] == '%' {
					i--
				}
				v[i] = '0' + (v[i]-'0'+1)%10
				changed = string(v)
			}
			seen[at] = true
			newLine := string(runes[:col]) + changed + string(runes[col+len([]rune(n.Value)):])
			var b strings.Builder
			for i, l := range lines {
				if i == n.Line-1 {
					b.WriteString(newLine)
				} else {
					b.WriteString(l)
				}
			}
			out = append(out, mutation{fmt.Sprintf("line %d %s %q → %q", n.Line, at, n.Value, changed), []byte(b.String())})
		}
	}
	walk(&doc, "")
	return out
}
