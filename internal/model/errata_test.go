package model_test

import (
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/model"
)

// everyAmount is the plain reflective walk: every field read from YAML,
// whatever its type. Report.Amounts skips fields that cannot hold an
// amount; it must still find the same ones in the same order.
func everyAmount(v reflect.Value, out *[]*model.Amount) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			everyAmount(v.Elem(), out)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			everyAmount(v.Index(i), out)
		}
	case reflect.Struct:
		if a, ok := v.Addr().Interface().(*model.Amount); ok {
			*out = append(*out, a)
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if tag := v.Type().Field(i).Tag.Get("yaml"); tag != "" && tag != "-" {
				everyAmount(v.Field(i), out)
			}
		}
	}
}

// reportFile is the name of a report file: <year>.yaml or <year>-<name>.yaml.
var reportFile = regexp.MustCompile(`^[0-9]{4}(-[a-z0-9]+)*\.ya?ml$`)

// reportFiles counts the report files of the departments of a content tree
// (the root of fsys).
func reportFiles(t *testing.T, fsys fs.FS) int {
	t.Helper()
	paths, err := fs.Glob(fsys, "*/*")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range paths {
		if dir := path.Base(path.Dir(p)); !strings.HasPrefix(dir, "_") && reportFile.MatchString(path.Base(p)) {
			n++
		}
	}
	return n
}

// Report.Amounts finds every amount of every report: of all of content/
// (the self-evaluation reports and the documents of every other kind, with
// their accounts, “三公” statements and project forms) and of a generated
// tree.
func TestAmountsFindsEveryAmount(t *testing.T) {
	files, err := gen.Files(gen.Options{Departments: 40, Years: 3, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	generated := fstest.MapFS{}
	for p, b := range files {
		generated[p] = &fstest.MapFile{Data: b}
	}
	for _, tc := range []struct {
		name string
		fsys fs.FS
		// perReport is the least number of amounts a report has on
		// average: the generated reports are full self-evaluations; the
		// real documents of other kinds hold a few figures each.
		perReport int
		// fields are the parts of a report in which the tree must have
		// amounts, so that the comparison covers every kind of document.
		fields []string
	}{
		{"content", os.DirFS("../../content"), 5, []string{"Totals", "Funds", "ThreePublic", "Projects", "Accounts", "ProjectEval"}},
		{"generated", generated, 20, []string{"Funds", "ThreePublic", "Projects"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := load(t, tc.fsys)
			reports, amounts := 0, 0
			inField := map[string]int{}
			for _, d := range site.Departments {
				for _, r := range d.Reports {
					var want []*model.Amount
					everyAmount(reflect.ValueOf(r).Elem(), &want)
					got := r.Amounts()
					if len(got) != len(want) {
						t.Fatalf("%s %s: %d amounts, want %d", d.ID, r.Key(), len(got), len(want))
					}
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("%s %s: amount %d is %+v, want %+v", d.ID, r.Key(), i, got[i], want[i])
						}
					}
					for _, f := range tc.fields {
						var in []*model.Amount
						everyAmount(reflect.ValueOf(r).Elem().FieldByName(f), &in)
						inField[f] += len(in)
					}
					reports++
					amounts += len(got)
				}
			}
			if files := reportFiles(t, tc.fsys); reports != files || reports == 0 {
				t.Fatalf("%d reports loaded from %d report files: the content did not load", reports, files)
			}
			if amounts < tc.perReport*reports {
				t.Fatalf("%d reports with %d amounts: the content did not load", reports, amounts)
			}
			for _, f := range tc.fields {
				if inField[f] == 0 {
					t.Errorf("no amount in any report's %s: the test does not cover it", f)
				}
			}
		})
	}
}

// load reads a content tree and fails on any error, so that a report that
// did not load cannot leave its amounts out unnoticed.
func load(t *testing.T, fsys fs.FS) *model.Site {
	t.Helper()
	m, ds := content.Load(fsys, "content")
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Errorf("%s: %s", d.Location(), d.Message(diag.En))
		}
	}
	if m == nil {
		t.Fatal("no site")
	}
	return m
}
