package schema

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/model"
)

// The agreement test walks the model types and the generated schema side by
// side, independently of the generator's code: for every struct reachable
// from each root through yaml-tagged fields, the schema's properties must be
// exactly its yaml keys and "required" exactly its req keys.

var roots = []struct {
	kind string
	typ  reflect.Type
}{
	{KindSite, reflect.TypeFor[model.SiteConfig]()},
	{KindDepartment, reflect.TypeFor[model.Department]()},
	{KindReport, reflect.TypeFor[model.Report]()},
}

type agreement struct {
	t       *testing.T
	doc     map[string]any
	checked map[reflect.Type]bool
	refs    map[string]bool
}

// yamlField is what the test itself reads from a struct field's tags.
type yamlField struct {
	key, doc, ex string
	req          bool
	typ          reflect.Type
}

func yamlFields(t reflect.Type) []yamlField {
	var out []yamlField
	for f := range fieldsOf(t) {
		tag := f.Tag.Get("yaml")
		key := strings.Split(tag, ",")[0]
		if key == "" || key == "-" {
			continue
		}
		out = append(out, yamlField{
			key: key, doc: f.Tag.Get("doc"), ex: f.Tag.Get("ex"),
			req: f.Tag.Get("req") == "true", typ: f.Type,
		})
	}
	return out
}

func fieldsOf(t reflect.Type) func(func(reflect.StructField) bool) {
	return func(yield func(reflect.StructField) bool) {
		for i := 0; i < t.NumField(); i++ {
			if !yield(t.Field(i)) {
				return
			}
		}
	}
}

// mapped reports whether t is decoded key by key from a YAML mapping, i.e.
// has yaml-tagged fields. Other structs (Amount, Date, ...) are literals.
func mapped(t reflect.Type) bool { return t.Kind() == reflect.Struct && len(yamlFields(t)) > 0 }

func parseSchema(t *testing.T, kind string) map[string]any {
	t.Helper()
	b, err := Generate(kind)
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func (a *agreement) resolve(s map[string]any, where string) map[string]any {
	ref, ok := s["$ref"].(string)
	if !ok {
		return s
	}
	a.refs[ref] = true
	if ref == "#" {
		return a.doc
	}
	name, ok := strings.CutPrefix(ref, "#/$defs/")
	if !ok {
		a.t.Fatalf("%s: unexpected $ref %q", where, ref)
	}
	defs, _ := a.doc["$defs"].(map[string]any)
	def, ok := defs[name].(map[string]any)
	if !ok {
		a.t.Fatalf("%s: $ref %q has no def", where, ref)
	}
	return def
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func strs(v any) []string {
	a, _ := v.([]any)
	var out []string
	for _, x := range a {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func (a *agreement) checkStruct(typ reflect.Type, s map[string]any, where string) {
	t := a.t
	s = a.resolve(s, where)
	if a.checked[typ] {
		return
	}
	a.checked[typ] = true
	if s["type"] != "object" || s["additionalProperties"] != false {
		t.Errorf("%s (%v): want a closed object, got type %v additionalProperties %v",
			where, typ, s["type"], s["additionalProperties"])
	}
	props, _ := s["properties"].(map[string]any)
	fields := yamlFields(typ)
	var wantKeys, wantReq []string
	for _, f := range fields {
		wantKeys = append(wantKeys, f.key)
		if f.req {
			wantReq = append(wantReq, f.key)
		}
	}
	sort.Strings(wantKeys)
	sort.Strings(wantReq)
	if got := keys(props); !slices.Equal(got, wantKeys) {
		t.Errorf("%s (%v): properties %v, yaml keys %v", where, typ, got, wantKeys)
	}
	gotReq := strs(s["required"])
	sort.Strings(gotReq)
	if !slices.Equal(gotReq, wantReq) {
		t.Errorf("%s (%v): required %v, req keys %v", where, typ, gotReq, wantReq)
	}
	for _, f := range fields {
		p, ok := props[f.key].(map[string]any)
		if !ok {
			continue
		}
		a.checkField(f, p, where+"."+f.key)
	}
}

func (a *agreement) checkField(f yamlField, p map[string]any, where string) {
	t := a.t
	if p["description"] != f.doc || f.doc == "" {
		t.Errorf("%s: description %q, doc tag %q", where, p["description"], f.doc)
	}
	if f.ex != "" {
		ex, _ := p["examples"].([]any)
		if len(ex) != 1 || strings.Trim(jsonText(ex[0]), `"`) != f.ex {
			t.Errorf("%s: examples %v, ex tag %q", where, p["examples"], f.ex)
		}
	} else if _, ok := p["examples"]; ok {
		t.Errorf("%s: examples without an ex tag", where)
	}
	typ := f.typ
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() == reflect.Slice {
		if p["type"] != "array" {
			t.Errorf("%s: Go %v, schema type %v; want array", where, f.typ, p["type"])
			return
		}
		items, _ := p["items"].(map[string]any)
		p = items
		typ = typ.Elem()
		if typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		where += "[]"
	}
	if p == nil {
		t.Errorf("%s: no schema", where)
		return
	}
	if e, ok := reflect.Zero(typ).Interface().(model.Enum); ok {
		if p["type"] != "string" || !slices.Equal(strs(p["enum"]), e.Values()) {
			t.Errorf("%s: enum %v, want %v", where, p["enum"], e.Values())
		}
		return
	}
	switch {
	case typ.Kind() == reflect.String:
		if p["type"] != "string" {
			t.Errorf("%s: Go string, schema type %v", where, p["type"])
		}
	case typ.Kind() == reflect.Bool:
		if p["type"] != "boolean" {
			t.Errorf("%s: Go bool, schema type %v", where, p["type"])
		}
	case typ.Kind() == reflect.Int:
		if p["type"] != "integer" || jsonText(p["minimum"]) != "0" {
			t.Errorf("%s: Go int, schema %v", where, p)
		}
	case mapped(typ):
		a.checkStruct(typ, p, where)
	case typ.Kind() == reflect.Struct:
		// A literal type: its own def, exercised by the snippet tests.
		ref, _ := p["$ref"].(string)
		if ref == "" {
			t.Errorf("%s: Go %v should refer to a def", where, typ)
		}
		a.resolve(p, where)
		if typ == reflect.TypeFor[model.Amount]() && (ref == "#/$defs/SignedAmount") != (f.key == "adjustment") {
			t.Errorf("%s: amount refers to %s; only adjustment may be signed", where, ref)
		}
	default:
		t.Errorf("%s: Go %v not covered by this test", where, typ)
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestSchemaAgreesWithModel(t *testing.T) {
	for _, r := range roots {
		t.Run(r.kind, func(t *testing.T) {
			a := &agreement{t: t, doc: parseSchema(t, r.kind), checked: map[reflect.Type]bool{}, refs: map[string]bool{}}
			a.checkStruct(r.typ, a.doc, r.typ.Name())
			// Every def is used: nothing stale is left in the file.
			defs, _ := a.doc["$defs"].(map[string]any)
			for name := range defs {
				if !a.refs["#/$defs/"+name] {
					t.Errorf("$defs/%s is not referred to by any model field", name)
				}
			}
			if len(a.checked) < 1 {
				t.Fatal("walked nothing")
			}
			t.Logf("%d struct types checked: %v", len(a.checked), a.checked)
		})
	}
}

// TestAmountFormAgreesWithLoader holds the mapping form of an amount (an
// erratum) to the loader's own struct for it, which the model does not have.
func TestAmountFormAgreesWithLoader(t *testing.T) {
	form := content.AmountFormType
	doc := parseSchema(t, KindReport)
	defs, _ := doc["$defs"].(map[string]any)
	for _, name := range []string{"Amount", "SignedAmount"} {
		def, _ := defs[name].(map[string]any)
		var obj map[string]any
		for _, alt := range def["oneOf"].([]any) {
			if m := alt.(map[string]any); m["type"] == "object" {
				obj = m
			}
		}
		if obj == nil {
			t.Fatalf("$defs/%s has no object form", name)
		}
		if obj["type"] != "object" || obj["additionalProperties"] != false {
			t.Errorf("%s: erratum form is not a closed object", name)
		}
		props, _ := obj["properties"].(map[string]any)
		var want, wantReq []string
		for _, f := range yamlFields(form) {
			want = append(want, f.key)
			if f.req {
				wantReq = append(wantReq, f.key)
			}
			if p, ok := props[f.key].(map[string]any); ok && p["description"] != f.doc {
				t.Errorf("%s.%s: description %q, loader doc %q", name, f.key, p["description"], f.doc)
			}
		}
		sort.Strings(want)
		sort.Strings(wantReq)
		gotReq := strs(obj["required"])
		sort.Strings(gotReq)
		if got := keys(props); !slices.Equal(got, want) || !slices.Equal(gotReq, wantReq) {
			t.Errorf("%s erratum form: properties %v required %v; loader keys %v required %v",
				name, got, gotReq, want, wantReq)
		}
	}
}
