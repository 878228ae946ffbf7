package content

import (
	"context"
	"maps"
	"slices"
	"testing"
	"testing/fstest"
)

func TestTreeKeys(t *testing.T) {
	base := func() fstest.MapFS {
		return fstest.MapFS{
			"site.yaml":                  {Data: []byte("title: 测试\n")},
			"a-dept/department.yaml":     {Data: []byte("name: 甲\n")},
			"a-dept/2024.yaml":           {Data: []byte("total: 1\n")},
			"a-dept/2024/summary.md":     {Data: []byte("概述\n")},
			"b-dept/department.yaml":     {Data: []byte("name: 乙\n")},
			"b-dept/2024.yaml":           {Data: []byte("total: 2\n")},
			"_schema/report.schema.json": {Data: []byte("{}")},
			"a-dept/.2024.yaml.swp":      {Data: []byte("swap")},
			"a-dept/2024/notes.md~":      {Data: []byte("backup")},
		}
	}
	keysOf := func(t *testing.T, fsys fstest.MapFS) Keys {
		t.Helper()
		k, err := TreeKeys(context.Background(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	before := keysOf(t, base())
	if len(before.Depts) != 2 {
		t.Fatalf("departments keyed: %v, want a-dept and b-dept", slices.Collect(maps.Keys(before.Depts)))
	}
	cases := []struct {
		name    string
		edit    func(fstest.MapFS)
		site    bool     // the site key changes
		changed []string // the departments whose key changes
	}{
		{"nothing", func(fstest.MapFS) {}, false, nil},
		{"one byte of a report", func(m fstest.MapFS) { m["a-dept/2024.yaml"] = &fstest.MapFile{Data: []byte("total: 3\n")} }, false, []string{"a-dept"}},
		{"a narrative", func(m fstest.MapFS) { m["a-dept/2024/summary.md"] = &fstest.MapFile{Data: []byte("概述。\n")} }, false, []string{"a-dept"}},
		{"a file renamed", func(m fstest.MapFS) {
			m["b-dept/2025.yaml"] = m["b-dept/2024.yaml"]
			delete(m, "b-dept/2024.yaml")
		}, false, []string{"b-dept"}},
		// The same bytes moved between a file and a folder of the same name
		// must not hash alike.
		{"a section moved up", func(m fstest.MapFS) {
			m["a-dept/summary.md"] = m["a-dept/2024/summary.md"]
			delete(m, "a-dept/2024/summary.md")
		}, false, []string{"a-dept"}},
		{"site settings", func(m fstest.MapFS) { m["site.yaml"] = &fstest.MapFile{Data: []byte("title: 另一个\n")} }, true, nil},
		{"a stray file at the top", func(m fstest.MapFS) { m["notes.txt"] = &fstest.MapFile{Data: []byte("x")} }, true, nil},
		{"a new department", func(m fstest.MapFS) { m["c-dept/department.yaml"] = &fstest.MapFile{Data: []byte("name: 丙\n")} }, false, []string{"c-dept"}},
		{"a department removed", func(m fstest.MapFS) {
			delete(m, "b-dept/department.yaml")
			delete(m, "b-dept/2024.yaml")
		}, false, []string{"b-dept"}},
		{"editor leftovers and _schema", func(m fstest.MapFS) {
			m["a-dept/.2024.yaml.swp"] = &fstest.MapFile{Data: []byte("other swap")}
			m["a-dept/4913"] = &fstest.MapFile{Data: []byte("")}
			m["_schema/report.schema.json"] = &fstest.MapFile{Data: []byte("{\"x\":1}")}
			m[".git/HEAD"] = &fstest.MapFile{Data: []byte("ref")}
		}, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fsys := base()
			tc.edit(fsys)
			after := keysOf(t, fsys)
			if (after.Site != before.Site) != tc.site {
				t.Errorf("site key changed = %v, want %v", after.Site != before.Site, tc.site)
			}
			want := map[string]bool{}
			for _, d := range tc.changed {
				want[d] = true
			}
			for d, k := range after.Depts {
				if got := before.Depts[d] != k; got != want[d] {
					t.Errorf("key of %s changed = %v, want %v", d, got, want[d])
				}
			}
			for d := range before.Depts {
				if _, ok := after.Depts[d]; !ok && !want[d] {
					t.Errorf("%s lost its key", d)
				}
			}
		})
	}
}
