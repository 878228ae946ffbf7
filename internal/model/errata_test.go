package model_test

import (
	"io/fs"
	"os"
	"reflect"
	"testing"
	"testing/fstest"

	"disclose/internal/content"
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
		site *model.Site
	}{
		{"seeds", load(t, os.DirFS("../../content"))},
		{"generated", load(t, generated)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reports, amounts := 0, 0
			for _, d := range tc.site.Departments {
				for _, r := range d.Reports {
					var want []*model.Amount
					everyAmount(reflect.ValueOf(r).Elem(), &want)
					got := r.Amounts()
					if len(got) != len(want) {
						t.Fatalf("%s %d: %d amounts, want %d", d.ID, r.Year, len(got), len(want))
					}
					for i := range want {
						if got[i] != want[i] {
							t.Fatalf("%s %d: amount %d is %+v, want %+v", d.ID, r.Year, i, got[i], want[i])
						}
					}
					reports++
					amounts += len(got)
				}
			}
			if reports == 0 || amounts < 20*reports {
				t.Fatalf("%d reports with %d amounts: the content did not load", reports, amounts)
			}
		})
	}
}

func load(t *testing.T, fsys fs.FS) *model.Site {
	t.Helper()
	m, _ := content.Load(fsys, "content")
	return m
}
