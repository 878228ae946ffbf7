package model

import (
	"reflect"
	"sync"
)

// AllErrata returns every correction recorded in the report: those written
// at an amount (published/corrected/reason) and the report's text errata,
// in file order. Readers are shown all of them.
func (r *Report) AllErrata() []*Erratum {
	var out []*Erratum
	for _, a := range r.Amounts() {
		if a.Erratum != nil {
			out = append(out, a.Erratum)
		}
	}
	out = append(out, r.Errata...)
	sortByPos(out)
	return out
}

// Amounts returns every money figure of the report in declaration order.
func (r *Report) Amounts() []*Amount {
	var out []*Amount
	walkAmounts(reflect.ValueOf(r).Elem(), func(a *Amount) { out = append(out, a) })
	return out
}

var amountT = reflect.TypeFor[Amount]()

// walkAmounts visits every Amount reachable from v through the report's
// own fields (not back up to its Department).
func walkAmounts(v reflect.Value, visit func(*Amount)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			walkAmounts(v.Elem(), visit)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walkAmounts(v.Index(i), visit)
		}
	case reflect.Struct:
		if v.Type() == amountT {
			visit(v.Addr().Interface().(*Amount))
			return
		}
		for _, i := range amountFields(v.Type()) {
			walkAmounts(v.Field(i), visit)
		}
	}
}

// amountFieldsOf caches, per struct type, the fields that walkAmounts must
// descend into: those read from YAML whose type can hold an Amount. Every
// page, download and check walks a report, and reading the struct tags on
// each visit, and descending into indicators and text, cost more than the
// walk itself.
var amountFieldsOf sync.Map // reflect.Type → []int

func amountFields(t reflect.Type) []int {
	if f, ok := amountFieldsOf.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if tag := f.Tag.Get("yaml"); tag == "" || tag == "-" {
			continue
		}
		if holdsAmount(f.Type, map[reflect.Type]bool{}) {
			out = append(out, i)
		}
	}
	amountFieldsOf.Store(t, out)
	return out
}

// holdsAmount says whether a value of type t can lead to an Amount through
// YAML fields; seen breaks the cycles of recursive types (Node.Items).
func holdsAmount(t reflect.Type, seen map[reflect.Type]bool) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsAmount(t.Elem(), seen)
	case reflect.Struct:
		if t == amountT {
			return true
		}
		if seen[t] {
			return false
		}
		seen[t] = true
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if tag := f.Tag.Get("yaml"); tag == "" || tag == "-" {
				continue
			}
			if holdsAmount(f.Type, seen) {
				return true
			}
		}
	}
	return false
}

func sortByPos(es []*Erratum) {
	// Insertion sort: a report has a handful of errata.
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && less(es[j].Pos, es[j-1].Pos); j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

func less(a, b Pos) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	return a.Col < b.Col
}
