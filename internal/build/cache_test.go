package build_test

import (
	"fmt"
	"golang.org/x/tools/txtar"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"disclose/internal/build"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
)

// cacheStep is one edit of a content tree followed by Cache.Load with the
// paths a watcher would report for it.
type cacheStep struct {
	name    string
	edit    func(t *testing.T)
	changed []string
	// reread lists the departments the step must read again; every other
	// department must be the same value as before. full means all.
	reread []string
	full   bool
	// want checks that the edit shows in the result, so that a step whose
	// edit had no effect cannot pass unnoticed.
	want func(site *model.Site, ds []diag.Diagnostic) string
}

// runCacheSteps applies the steps in order to the tree in fsys and, after
// each, compares Cache.Load with build.LoadFS on the same tree: the
// diagnostics exactly, in order, and the site deeply (reflect.DeepEqual
// follows every pointer, positions included, and copes with the
// report → department cycle). The content.Cache beneath it is compared
// with content.Load in the same way.
func runCacheSteps(t *testing.T, fsys fs.FS, steps []cacheStep) {
	t.Helper()
	c := build.NewCache(fsys, "content")
	cc := content.NewCache(fsys, "content")
	var prev *model.Site
	for _, st := range steps {
		ok := t.Run(st.name, func(t *testing.T) {
			if st.edit != nil {
				st.edit(t)
			}
			site, ds := c.Load(st.changed)
			wantSite, wantDs := build.LoadFS(fsys, "content")
			if !reflect.DeepEqual(ds, wantDs) {
				t.Fatalf("diagnostics differ from build.LoadFS\n--- cache\n%s--- content\n%s", render(ds), render(wantDs))
			}
			if msg := siteDiff(site, wantSite); msg != "" {
				t.Fatalf("site differs from build.LoadFS: %s", msg)
			}
			loaded, loadDs := cc.Load(st.changed)
			wantLoaded, wantLoadDs := content.Load(fsys, "content")
			if !reflect.DeepEqual(loadDs, wantLoadDs) {
				t.Fatalf("diagnostics differ from content.Load\n--- content.Cache\n%s--- content.Load\n%s", render(loadDs), render(wantLoadDs))
			}
			if msg := siteDiff(loaded, wantLoaded); msg != "" {
				t.Fatalf("site differs from content.Load: %s", msg)
			}
			if st.want != nil {
				if msg := st.want(site, ds); msg != "" {
					t.Fatalf("edit not seen: %s\n%s", msg, render(ds))
				}
			}
			if prev != nil {
				checkReuse(t, st, prev, site)
			}
			prev = site
		})
		if !ok {
			return // later steps build on this one
		}
	}
}

// siteDiff names the first difference between two sites, or returns "".
func siteDiff(got, want *model.Site) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	if !reflect.DeepEqual(got.Config, want.Config) {
		return "config"
	}
	ids := func(s *model.Site) []string {
		var out []string
		for _, d := range s.Departments {
			out = append(out, d.ID)
		}
		return out
	}
	if g, w := ids(got), ids(want); !slices.Equal(g, w) {
		return "departments " + strings.Join(g, ",") + " want " + strings.Join(w, ",")
	}
	if (got.Departments == nil) != (want.Departments == nil) {
		return "nil against empty Departments"
	}
	for i, d := range got.Departments {
		if !reflect.DeepEqual(d, want.Departments[i]) {
			return "department " + d.ID
		}
	}
	return "somewhere"
}

// checkReuse checks that the step read again exactly the departments it
// should, and that the site itself is a new value.
func checkReuse(t *testing.T, st cacheStep, prev, site *model.Site) {
	t.Helper()
	if site == prev {
		t.Error("Load returned the previous *model.Site")
	}
	if len(site.Departments) > 0 && len(prev.Departments) > 0 && &site.Departments[0] == &prev.Departments[0] {
		t.Error("Load returned the previous Departments slice")
	}
	old := map[string]*model.Department{}
	for _, d := range prev.Departments {
		old[d.ID] = d
	}
	for _, d := range site.Departments {
		o, ok := old[d.ID]
		if !ok {
			continue
		}
		reread := st.full || slices.Contains(st.reread, d.ID)
		switch {
		case reread && o == d:
			t.Errorf("%s was not read again", d.ID)
		case !reread && o != d:
			t.Errorf("%s was read again, though unchanged", d.ID)
		}
	}
}

func hasRule(ds []diag.Diagnostic, rule diag.Rule, file string) bool {
	return slices.ContainsFunc(ds, func(d diag.Diagnostic) bool {
		return d.Rule == rule && (file == "" || d.Pos.File == file)
	})
}

func dept(site *model.Site, id string) *model.Department {
	for _, d := range site.Departments {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// The cache follows a series of edits of a copy of the shipped content on
// disk, as the live preview sees them.
func TestCacheEditsOnDisk(t *testing.T) {
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	const (
		jingmen  = "hubei-jingmen-minzheng"
		xiangtan = "hunan-xiangtan-minzheng"
		shaoyang = "hunan-shaoyang-daxiang-minzheng"
		copyDept = "hunan-xiangtan-minzheng-copy"
	)
	file := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	read := func(t *testing.T, p string) string {
		b, err := os.ReadFile(file(p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	write := func(t *testing.T, p, s string) {
		if err := os.MkdirAll(filepath.Dir(file(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file(p), []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	replace := func(t *testing.T, p, old, new string) {
		s := read(t, p)
		if !strings.Contains(s, old) {
			t.Fatalf("%s does not contain %q", p, old)
		}
		write(t, p, strings.Replace(s, old, new, 1))
	}
	remove := func(t *testing.T, p string) {
		if err := os.RemoveAll(file(p)); err != nil {
			t.Fatal(err)
		}
	}
	jingmenYAML := read(t, jingmen+"/2022.yaml")
	siteYAML := read(t, "site.yaml")
	var before []string // department IDs before "remove a department"

	runCacheSteps(t, os.DirFS(dir), []cacheStep{
		{name: "first load", full: true},
		{
			name:    "edit a report figure",
			edit:    func(t *testing.T) { replace(t, jingmen+"/2022.yaml", "expenditure: 21680.25", "expenditure: 11605.29") },
			changed: []string{jingmen + "/2022.yaml"},
			reread:  []string{jingmen},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if !hasRule(ds, diag.FundSplit, "content/"+jingmen+"/2022.yaml") {
					return "no fund-split warning for the edited expenditure"
				}
				return ""
			},
		},
		{
			name:    "break a YAML file",
			edit:    func(t *testing.T) { write(t, jingmen+"/2022.yaml", "year: [2022\n"+jingmenYAML) },
			changed: []string{jingmen + "/2022.yaml"},
			reread:  []string{jingmen},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if !hasRule(ds, diag.YAMLSyntax, "content/"+jingmen+"/2022.yaml") {
					return "no yaml-syntax error"
				}
				return ""
			},
		},
		{
			name:    "fix it",
			edit:    func(t *testing.T) { write(t, jingmen+"/2022.yaml", jingmenYAML) },
			changed: []string{jingmen + "/2022.yaml"},
			reread:  []string{jingmen},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if hasRule(ds, diag.YAMLSyntax, "") || len(dept(s, jingmen).Reports) != 1 {
					return "report not back"
				}
				return ""
			},
		},
		{
			name: "add a department directory (a copy: the same name)",
			edit: func(t *testing.T) {
				if err := os.CopyFS(file(copyDept), os.DirFS(file(xiangtan))); err != nil {
					t.Fatal(err)
				}
			},
			changed: []string{copyDept},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if dept(s, copyDept) == nil || !hasRule(ds, diag.DuplicateDept, "content/"+copyDept+"/department.yaml") {
					return "new department missing, or not reported as a duplicate"
				}
				return ""
			},
		},
		{
			name:    "rename the copy (only its department.yaml)",
			edit:    func(t *testing.T) { replace(t, copyDept+"/department.yaml", "\nname: ", "\nname: 另一个") },
			changed: []string{copyDept + "/department.yaml"},
			reread:  []string{copyDept},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if hasRule(ds, diag.DuplicateDept, "") {
					return "duplicate still reported"
				}
				if r := dept(s, copyDept).Reports[0]; r.Department != dept(s, copyDept) {
					return "report points at the old department"
				}
				return ""
			},
		},
		{
			name: "remove a department",
			edit: func(t *testing.T) {
				// The departments before the edit, whatever content/
				// holds: all of them but the removed one must remain.
				before = nil
				site, _ := build.LoadFS(os.DirFS(dir), "content")
				for _, d := range site.Departments {
					before = append(before, d.ID)
				}
				if !slices.Contains(before, shaoyang) {
					t.Fatalf("%s is not there to remove: %v", shaoyang, before)
				}
				remove(t, shaoyang)
			},
			changed: []string{shaoyang},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				var after []string
				for _, d := range s.Departments {
					after = append(after, d.ID)
				}
				want := slices.DeleteFunc(slices.Clone(before), func(id string) bool { return id == shaoyang })
				if dept(s, shaoyang) != nil || len(s.Departments) != len(before)-1 {
					return fmt.Sprintf("removed department still there: %d departments, %d before", len(s.Departments), len(before))
				}
				if !slices.Equal(after, want) {
					return fmt.Sprintf("departments %v, want %v", after, want)
				}
				return ""
			},
		},
		{
			name:    "edit site.yaml",
			edit:    func(t *testing.T) { replace(t, "site.yaml", "title: ", "title: 新") },
			changed: []string{"site.yaml"},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if !strings.HasPrefix(s.Config.Title, "新") {
					return "title " + s.Config.Title
				}
				return ""
			},
		},
		{
			name:    "remove site.yaml",
			edit:    func(t *testing.T) { remove(t, "site.yaml") },
			changed: []string{"site.yaml"},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if !hasRule(ds, diag.NoSiteFile, "") {
					return "no no-site-file error"
				}
				return ""
			},
		},
		{
			name:    "restore site.yaml",
			edit:    func(t *testing.T) { write(t, "site.yaml", siteYAML) },
			changed: []string{"site.yaml"},
		},
		{
			name:    "empty a section .md",
			edit:    func(t *testing.T) { write(t, jingmen+"/2022/summary.md", "\n") },
			changed: []string{jingmen + "/2022/summary.md"},
			reread:  []string{jingmen},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if !hasRule(ds, diag.FileEmpty, "content/"+jingmen+"/2022/summary.md") {
					return "no file-empty error"
				}
				return ""
			},
		},
		{
			name:    "write a section .md",
			edit:    func(t *testing.T) { write(t, jingmen+"/2022/summary.md", "新的概述。\n") },
			changed: []string{jingmen + "/2022/summary.md"},
			reread:  []string{jingmen},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if got := dept(s, jingmen).Reports[0].Narrative.Summary; got != "新的概述。\n" {
					return "summary " + got
				}
				return ""
			},
		},
		{
			name:    "edit duties.md",
			edit:    func(t *testing.T) { write(t, xiangtan+"/duties.md", "新的职能。\n") },
			changed: []string{xiangtan + "/duties.md"},
			reread:  []string{xiangtan},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if got := dept(s, xiangtan).Duties; got != "新的职能。\n" {
					return "duties " + got
				}
				return ""
			},
		},
		{
			name:    "editor leftovers are not read",
			edit:    func(t *testing.T) { write(t, xiangtan+"/duties.md~", "x"); write(t, xiangtan+"/4913", "") },
			changed: []string{xiangtan + "/duties.md~", xiangtan + "/4913", xiangtan + "/4913"},
		},
		{
			name:    "add a stray file at the root",
			edit:    func(t *testing.T) { write(t, "notes.txt", "x") },
			changed: []string{"notes.txt"},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if !hasRule(ds, diag.StrayFile, "content/notes.txt") {
					return "no stray-file warning"
				}
				return ""
			},
		},
		{
			// notes.txt is neither listed nor cached any more: not understood.
			name:    "remove it",
			edit:    func(t *testing.T) { remove(t, "notes.txt") },
			changed: []string{"notes.txt"},
			full:    true,
		},
		{name: "unknown changes", changed: nil, full: true},
	})
}

// mapCacheFS is a small tree: two departments, each with the consistent
// report of the "clean" fixture.
func mapCacheFS(t *testing.T) (fsys fstest.MapFS, report string) {
	raw, err := os.ReadFile("../check/testdata/rules/clean.txtar")
	if err != nil {
		t.Fatal(err)
	}
	rep, ok := section(txtar.Parse(raw), "dept/2023.yaml")
	if !ok {
		t.Fatal("clean.txtar has no dept/2023.yaml")
	}
	return fstest.MapFS{
		"site.yaml":         {Data: []byte("title: 测试站点\n")},
		"a/department.yaml": {Data: []byte(deptYAML("甲局", "县级"))},
		"a/2023.yaml":       {Data: rep},
		"b/department.yaml": {Data: []byte(deptYAML("乙局", "县级"))},
		"b/2023.yaml":       {Data: rep},
	}, string(rep)
}

func deptYAML(name, level string) string {
	return "name: " + name + "\nlevel: " + level + "\nregion: [湖南省, 某市, 某区]\n"
}

// The same, in memory, through more corners: cross-department checks,
// departments that cannot be used, paths the cache does not understand.
func TestCacheEditsInMemory(t *testing.T) {
	fsys, report := mapCacheFS(t)
	set := func(p, s string) func(*testing.T) {
		return func(*testing.T) { fsys[p] = &fstest.MapFile{Data: []byte(s)} }
	}
	del := func(prefix string) func(*testing.T) {
		return func(*testing.T) {
			for p := range fsys {
				if p == prefix || strings.HasPrefix(p, prefix+"/") {
					delete(fsys, p)
				}
			}
		}
	}
	rule := func(r diag.Rule, file string, present bool) func(*model.Site, []diag.Diagnostic) string {
		return func(_ *model.Site, ds []diag.Diagnostic) string {
			if hasRule(ds, r, file) != present {
				return fmt.Sprintf("%s at %q: present %v, want %v", r, file, !present, present)
			}
			return ""
		}
	}
	depts := func(ids ...string) func(*model.Site, []diag.Diagnostic) string {
		return func(s *model.Site, _ []diag.Diagnostic) string {
			var got []string
			for _, d := range s.Departments {
				got = append(got, d.ID)
			}
			if !slices.Equal(got, ids) {
				return "departments " + strings.Join(got, ",")
			}
			return ""
		}
	}
	runCacheSteps(t, fsys, []cacheStep{
		{name: "first load", full: true, want: depts("a", "b")},
		{name: "nothing changed", changed: []string{}},
		{
			name:    "edit a figure",
			edit:    set("a/2023.yaml", strings.Replace(report, "expenditure: 3229.37", "expenditure: 3000", 1)),
			changed: []string{"a/2023.yaml"}, reread: []string{"a"},
			want: rule(diag.FundSplit, "content/a/2023.yaml", true),
		},
		{
			name: "break the YAML", edit: set("a/2023.yaml", "year: [\n"),
			changed: []string{"a/2023.yaml"}, reread: []string{"a"},
			want: rule(diag.YAMLSyntax, "content/a/2023.yaml", true),
		},
		{
			name: "fix it", edit: set("a/2023.yaml", report),
			changed: []string{"a/2023.yaml"}, reread: []string{"a"},
			want: rule(diag.YAMLSyntax, "", false),
		},
		{
			name: "department.yaml changes its reports", edit: set("b/department.yaml", deptYAML("乙局", "市级")),
			changed: []string{"b/department.yaml"}, reread: []string{"b"},
			want: func(s *model.Site, _ []diag.Diagnostic) string {
				if d := dept(s, "b"); d.Reports[0].Department != d || d.Level != "市级" {
					return "report not tied to the new department"
				}
				return ""
			},
		},
		{
			name: "b takes a's name", edit: set("b/department.yaml", deptYAML("甲局", "县级")),
			changed: []string{"b/department.yaml"}, reread: []string{"b"},
			want: rule(diag.DuplicateDept, "content/b/department.yaml", true),
		},
		{
			// Only a is read again; the duplicate on b must still go.
			name: "a renamed", edit: set("a/department.yaml", deptYAML("丙局", "县级")),
			changed: []string{"a/department.yaml"}, reread: []string{"a"},
			want: rule(diag.DuplicateDept, "", false),
		},
		{
			name: "add a department",
			edit: func(t *testing.T) {
				set("c/department.yaml", deptYAML("丁局", "县级"))(t)
				set("c/2023.yaml", report)(t)
			},
			changed: []string{"c", "c/department.yaml", "c/2023.yaml"},
			want:    depts("a", "b", "c"),
		},
		{
			name: "add a section", edit: set("c/2023/summary.md", "概述。\n"),
			changed: []string{"c/2023", "c/2023/summary.md"}, reread: []string{"c"},
			want: func(s *model.Site, _ []diag.Diagnostic) string {
				if dept(s, "c").Reports[0].Narrative.Summary != "概述。\n" {
					return "summary not read"
				}
				return ""
			},
		},
		{
			name: "stray file in a section directory", edit: set("c/2023/notes.txt", "x"),
			changed: []string{"c/2023/notes.txt"}, reread: []string{"c"},
			want: rule(diag.StrayFile, "content/c/2023/notes.txt", true),
		},
		{
			name: "remove the department, named by its files", edit: del("c"),
			changed: []string{"c/department.yaml", "c/2023.yaml", "c/2023/summary.md", "c/2023/notes.txt", "c/2023"},
			want:    depts("a", "b"),
		},
		{
			name: "add it again, named by its directory",
			edit: func(t *testing.T) {
				set("c/department.yaml", deptYAML("丁局", "县级"))(t)
				set("c/2023.yaml", report)(t)
			},
			changed: []string{"c"}, want: depts("a", "b", "c"),
		},
		{
			name: "remove it, named by its directory", edit: del("c"),
			changed: []string{"c"}, want: depts("a", "b"),
		},
		{
			name: "add it again, named by its files",
			edit: func(t *testing.T) {
				set("c/department.yaml", deptYAML("丁局", "县级"))(t)
				set("c/2023.yaml", report)(t)
			},
			changed: []string{"c/department.yaml", "c/2023.yaml"}, want: depts("a", "b", "c"),
		},
		{
			// Not a promise to a watcher that misses events, but the
			// listing is read whenever a change is not inside a
			// department, and what it shows is believed.
			name: "a removal the watcher missed, seen in the listing", edit: del("c"),
			changed: []string{"site.yaml"}, want: depts("a", "b"),
		},
		{
			name: "a directory that cannot be a department", edit: set("Bad/department.yaml", deptYAML("戊局", "县级")),
			changed: []string{"Bad/department.yaml"},
			want:    rule(diag.BadDirName, "content/Bad", true),
		},
		{
			name: "removed again", edit: del("Bad"),
			changed: []string{"Bad"},
			want:    rule(diag.BadDirName, "", false),
		},
		{
			name: "department.yaml removed", edit: del("b/department.yaml"),
			changed: []string{"b/department.yaml"},
			want:    rule(diag.NoDeptFile, "content/b", true),
		},
		{
			name: "department.yaml back", edit: set("b/department.yaml", deptYAML("乙局", "县级")),
			changed: []string{"b/department.yaml"}, want: depts("a", "b"),
		},
		{
			name: "edit site.yaml", edit: set("site.yaml", "title: 新标题\n"),
			changed: []string{"site.yaml"},
			want: func(s *model.Site, _ []diag.Diagnostic) string {
				if s.Config.Title != "新标题" {
					return "title " + s.Config.Title
				}
				return ""
			},
		},
		{
			name: "site.yaml replaced by site.yml",
			edit: func(t *testing.T) {
				del("site.yaml")(t)
				set("site.yml", "title: 另一标题\n")(t)
			},
			changed: []string{"site.yaml", "site.yml", ".git/index"},
			want: func(s *model.Site, ds []diag.Diagnostic) string {
				if s.Config.Title != "另一标题" || hasRule(ds, diag.NoSiteFile, "") {
					return "site.yml not read"
				}
				return ""
			},
		},
		{
			name: "no site file", edit: del("site.yml"),
			changed: []string{"site.yml"},
			want:    rule(diag.NoSiteFile, "", true),
		},
		{
			name: "stray file at the root", edit: set("notes.txt", "x"),
			changed: []string{"notes.txt"},
			want:    rule(diag.StrayFile, "content/notes.txt", true),
		},
		{
			name: "stray file removed", edit: del("notes.txt"),
			changed: []string{"notes.txt"}, full: true,
			want: rule(diag.StrayFile, "", false),
		},
		{
			name: "editor leftovers", edit: set("a/.2023.yaml.swp", "x"),
			changed: []string{"a/.2023.yaml.swp", "a/2023.yaml~", "_schema/report.schema.json", ".git/index"},
		},
		{name: "path outside the tree", changed: []string{"../a/2023.yaml"}, full: true},
		{name: "the root itself", changed: []string{"."}, full: true},
		{name: "a name never seen", changed: []string{"zzz"}, full: true},
		{name: "unknown changes", changed: nil, full: true},
	})
}

// Every rule fixture gives the same answer through the cache: loaded
// whole, again with nothing changed, and again with every file changed.
func TestCacheFixtures(t *testing.T) {
	files, err := filepath.Glob("../check/testdata/rules/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	trees := map[string]fstest.MapFS{
		// No diagnostics at all: nil, as from Content.
		"only-site": {"site.yaml": {Data: []byte("title: t\n")}},
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{}
		for _, f := range txtar.Parse(raw).Files {
			if f.Name != "want" {
				fsys[f.Name] = &fstest.MapFile{Data: f.Data}
			}
		}
		trees[strings.TrimSuffix(filepath.Base(file), ".txtar")] = fsys
	}
	for name, fsys := range trees {
		t.Run(name, func(t *testing.T) {
			var all []string
			for p := range fsys {
				all = append(all, p)
			}
			slices.Sort(all)
			wantSite, wantDs := build.LoadFS(fsys, "content")
			wantLoaded, wantLoadDs := content.Load(fsys, "content")
			c := build.NewCache(fsys, "content")
			cc := content.NewCache(fsys, "content")
			for _, changed := range [][]string{nil, {}, all} {
				site, ds := c.Load(changed)
				if !reflect.DeepEqual(ds, wantDs) {
					t.Fatalf("changed %q: diagnostics differ\n--- cache\n%s--- content\n%s", changed, render(ds), render(wantDs))
				}
				if msg := siteDiff(site, wantSite); msg != "" {
					t.Fatalf("changed %q: site differs: %s", changed, msg)
				}
				loaded, loadDs := cc.Load(changed)
				if !reflect.DeepEqual(loadDs, wantLoadDs) {
					t.Fatalf("changed %q: content.Cache's diagnostics differ\n--- cache\n%s--- content.Load\n%s", changed, render(loadDs), render(wantLoadDs))
				}
				if msg := siteDiff(loaded, wantLoaded); msg != "" {
					t.Fatalf("changed %q: content.Cache's site differs: %s", changed, msg)
				}
			}
		})
	}
}

// openLog records every path opened through it.
type openLog struct {
	fs.FS
	mu     sync.Mutex
	opened []string
}

func (o *openLog) Open(name string) (fs.File, error) {
	o.mu.Lock()
	o.opened = append(o.opened, name)
	o.mu.Unlock()
	return o.FS.Open(name)
}

func (o *openLog) take() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.opened
	o.opened = nil
	return out
}

// After an edit the cache reads what changed, and the root listing only
// when a change may have altered it; nothing else.
func TestCacheReadsOnlyChanges(t *testing.T) {
	fsys, _ := mapCacheFS(t)
	log := &openLog{FS: fsys}
	c := build.NewCache(log, "content")
	c.Load(nil)
	log.take()
	inDir := func(dir string) func(string) bool {
		return func(p string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }
	}
	tests := []struct {
		edit    func()
		changed []string
		allowed func(p string) bool
	}{
		{nil, []string{}, func(p string) bool { return false }},
		// Inside a department: the listing is kept.
		{nil, []string{"b/2023.yaml"}, inDir("b")},
		{nil, []string{"a/2023.yaml~"}, func(p string) bool { return false }},
		{nil, []string{"site.yaml"}, func(p string) bool { return p == "." || p == "site.yaml" || p == "site.yml" }},
		{
			func() { fsys["c/department.yaml"] = &fstest.MapFile{Data: []byte(deptYAML("丁局", "县级"))} },
			[]string{"c"},
			func(p string) bool { return p == "." || inDir("c")(p) },
		},
	}
	for _, tt := range tests {
		if tt.edit != nil {
			tt.edit()
		}
		c.Load(tt.changed)
		for _, p := range log.take() {
			if !tt.allowed(p) {
				t.Errorf("changed %q: opened %s", tt.changed, p)
			}
		}
	}
	// A root that cannot be listed leaves nothing cached behind.
	missing := filepath.Join(t.TempDir(), "content")
	c = build.NewCache(os.DirFS(missing), "content")
	if _, ds := c.Load(nil); !hasRule(ds, diag.FileRead, "") {
		t.Fatalf("missing root: %s", render(ds))
	}
	if err := os.CopyFS(missing, fsys); err != nil {
		t.Fatal(err)
	}
	site, ds := c.Load([]string{})
	wantSite, wantDs := build.LoadFS(os.DirFS(missing), "content")
	if !reflect.DeepEqual(ds, wantDs) || siteDiff(site, wantSite) != "" {
		t.Errorf("after the root appeared: got\n%swant\n%s", render(ds), render(wantDs))
	}
}

func render(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Location() + ": " + d.Severity.String() + " [" + string(d.Rule) + "]: " + d.Message(diag.Zh) + "\n")
	}
	return b.String()
}

// The preview rechecks after each save through the cache (build.Cache): Markdown beyond
// the renderer's limits is an error there as soon as it is saved, at its
// line, and gone once fixed, whichever limit it breaks.
func TestMarkdownLimitsInCache(t *testing.T) {
	fsys, _ := mapCacheFS(t)
	fsys["a/2023/summary.md"] = &fstest.MapFile{Data: []byte("# 综述\n\n正文\n")}
	set := func(p, s string) func(*testing.T) {
		return func(*testing.T) { fsys[p] = &fstest.MapFile{Data: []byte(s)} }
	}
	at := func(loc string) func(*model.Site, []diag.Diagnostic) string {
		return func(_ *model.Site, ds []diag.Diagnostic) string {
			var got []string
			for _, d := range ds {
				if d.Rule == diag.MarkdownNesting {
					if d.Severity != diag.Error {
						return "not an error: " + d.Location()
					}
					got = append(got, d.Location())
				}
			}
			if want := strings.Fields(loc); !slices.Equal(got, want) {
				return fmt.Sprintf("%s at %q, want %q", diag.MarkdownNesting, got, want)
			}
			return ""
		}
	}
	table := strings.Repeat("|列", 1000) + "|\n" + strings.Repeat("|-", 1000) + "|\n" + strings.Repeat("行\n", 100)
	runCacheSteps(t, fsys, []cacheStep{
		{name: "first load", full: true, want: at("")},
		{
			name: "200 KB of > on line 3", edit: set("a/2023/summary.md", "# 综述\n\n"+strings.Repeat(">", 200_000)+"\n"),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:3:1"),
		},
		{
			name: "1 M bracket pairs", edit: set("a/2023/summary.md", "# 综述\n\n"+strings.Repeat("[", 1_000_000)+strings.Repeat("]", 1_000_000)),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:3:1"),
		},
		{
			name: "1,400-level list in the duties", edit: set("b/duties.md", stair(1400)),
			changed: []string{"b/duties.md"}, reread: []string{"b"},
			want: at("content/a/2023/summary.md:3:1 content/b/duties.md:101:1"),
		},
		{
			name: "fixed", edit: func(t *testing.T) {
				set("a/2023/summary.md", "# 综述\n\n正文\n")(t)
				set("b/duties.md", stair(3))(t)
			},
			changed: []string{"a/2023/summary.md", "b/duties.md"}, reread: []string{"a", "b"},
			want: at(""),
		},
		{
			name: "a table padded to 1,000 columns", edit: set("a/2023/summary.md", "# 综述\n\n"+table),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:4:1"),
		},
		{
			name: "a long paragraph full of marks", edit: set("a/2023/summary.md", "# 综述\n\n正文\n"+strings.Repeat("*强", 5000)),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:3:1"),
		},
		{
			name: "in the site's footer", edit: set("site.yaml", "title: 测试站点\nfooter: |\n  页脚\n  "+strings.Repeat("- ", 101)+"项\n"),
			changed: []string{"site.yaml"},
			want:    at("content/a/2023/summary.md:3:1 content/site.yaml:1:1"),
		},
		{
			name: "all fixed", edit: func(t *testing.T) {
				set("a/2023/summary.md", "# 综述\n\n正文\n")(t)
				set("site.yaml", "title: 测试站点\nfooter: 页脚\n")(t)
			},
			changed: []string{"a/2023/summary.md", "site.yaml"}, reread: []string{"a"},
			want: at(""),
		},
	})
}

func stair(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- 项\n")
	}
	return b.String()
}

// section is the archive's file of that name.
func section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}
