package diag

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"disclose/internal/model"
)

// Merge must give exactly what Sort gives for the concatenation, ties
// included: the earlier list's diagnostic first.
func TestMerge(t *testing.T) {
	rules := Rules()
	d := func(file string, line int, rule int, arg string) Diagnostic {
		return New(model.Pos{File: file, Line: line}, rules[rule%len(rules)], arg)
	}
	tests := []struct {
		name  string
		lists [][]Diagnostic
	}{
		{"nothing", nil},
		{"empty lists", [][]Diagnostic{nil, {}}},
		{"one list", [][]Diagnostic{{d("a", 1, 0, ""), d("b", 1, 0, "")}}},
		{"files apart", [][]Diagnostic{{d("b/x", 1, 0, "")}, {d("a/x", 1, 0, "")}}},
		// "a-b/x" sorts before "a/x" although directory a lists before a-b.
		{"prefix dirs", [][]Diagnostic{{d("a/x", 1, 0, "")}, {d("a-b/x", 1, 0, "")}}},
		{"one file in two lists", [][]Diagnostic{{d("a", 2, 0, ""), d("a", 5, 0, "")}, {d("a", 1, 0, ""), d("a", 3, 0, "")}}},
		// Equal keys: the first list's diagnostic (Stated tells them apart) first.
		{"ties", [][]Diagnostic{
			{{Pos: model.Pos{File: "a", Line: 1}, Rule: rules[0], Stated: "first"}},
			{{Pos: model.Pos{File: "a", Line: 1}, Rule: rules[0], Stated: "second"}},
		}},
	}
	// And lists drawn at random from few files and lines, so that runs
	// meet and ties are common.
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 50 {
		var lists [][]Diagnostic
		for range r.IntN(5) {
			var l []Diagnostic
			for k := range r.IntN(8) {
				x := d([]string{"a", "a/b", "a-b", "c"}[r.IntN(4)], r.IntN(3), r.IntN(2), "")
				x.Stated = string(rune('A' + i%26 + k))
				l = append(l, x)
			}
			Sort(l)
			lists = append(lists, l)
		}
		tests = append(tests, struct {
			name  string
			lists [][]Diagnostic
		}{"random", lists})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := slices.Concat(tt.lists...)
			Sort(want)
			if len(want) == 0 {
				want = nil
			}
			if got := Merge(tt.lists...); !reflect.DeepEqual(got, want) {
				t.Errorf("Merge(%v)\n = %v\nwant %v", tt.lists, got, want)
			}
		})
	}
}
