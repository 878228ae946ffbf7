// Package schema generates the JSON Schemas (draft 2020-12) of the content
// files from the Go model types in internal/model, by reflection, so that the
// schema an editor validates against and the model the loader decodes into
// cannot drift apart.
//
// The struct tags of the model drive the generation exactly as they drive the
// YAML decoder:
//
//	yaml:"key"   the property name; fields with yaml:"-" or no yaml tag are skipped
//	req:"true"   the property is listed in "required"
//	doc:"..."    the property's "description" (mandatory for every YAML field)
//	ex:"..."     the property's "examples"
//
// Every struct becomes a closed object (additionalProperties false) in
// "$defs", referenced with "$ref". The value types that are written as
// literals in the files (Amount, Percent, Number, Date, Measure) and the
// enumerations (any type with a Values() []string method) have their own
// hand-written forms below. Any other Go type is an error, so a new field type
// cannot slip past the schema unnoticed.
//
// The generated files live in content/_schema and are kept up to date by the
// golden test: go test ./internal/schema -update.
//
// Layer 1 (see internal/arch): it imports model only.
package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"disclose/internal/model"
)

// The kinds of content file.
const (
	KindSite       = "site"       // content/site.yaml: model.SiteConfig
	KindDepartment = "department" // content/<id>/department.yaml: model.Department
	KindReport     = "report"     // content/<id>/<year>.yaml: model.Report
)

// Kinds lists every kind in a stable order.
var Kinds = []string{KindSite, KindDepartment, KindReport}

// Dir is where the generated files live, relative to the module root.
const Dir = "content/_schema"

// Draft is the JSON Schema dialect of the generated files.
const Draft = "https://json-schema.org/draft/2020-12/schema"

// FileName is the file name of kind's schema, e.g. "report.schema.json".
func FileName(kind string) string { return kind + ".schema.json" }

// ID is the "$id" of kind's schema. It is never fetched.
func ID(kind string) string { return "https://disclose.invalid/schema/" + FileName(kind) }

type kindSpec struct {
	root        reflect.Type
	title, desc string
}

var specs = map[string]kindSpec{
	KindSite: {
		root:  reflect.TypeFor[model.SiteConfig](),
		title: "网站设置（content/site.yaml）",
		desc:  "整个网站的设置：标题、发布机构、页脚和政府网站元数据。",
	},
	KindDepartment: {
		root:  reflect.TypeFor[model.Department](),
		title: "部门信息（content/<部门>/department.yaml）",
		desc:  "一个部门（单位）相对稳定的基本情况：名称、层级、所在地区、单位性质、机构设置和主要职能。每个部门一个目录，目录名即网址中的部门标识。",
	},
	KindReport: {
		root:  reflect.TypeFor[model.Report](),
		title: "部门整体支出绩效自评报告（content/<部门>/<年度>.yaml）",
		desc:  "一个部门一个年度公开的绩效自评报告，按原文照录：金额以万元计、照原文位数填写，原文没有的不填；原文明显有误的金额写成 {published, corrected, reason}。",
	},
}

const comment = "由 internal/schema 根据 internal/model 的类型生成，请勿手工修改；更新：go test ./internal/schema -update"

// Generate returns the schema of kind (KindSite, KindDepartment or
// KindReport), indented by two spaces and ending in a newline.
func Generate(kind string) ([]byte, error) {
	s, err := build(kind)
	if err != nil {
		return nil, err
	}
	return encode(s)
}

// Site returns the schema of content/site.yaml.
func Site() ([]byte, error) { return Generate(KindSite) }

// Department returns the schema of content/<id>/department.yaml.
func Department() ([]byte, error) { return Generate(KindDepartment) }

// Report returns the schema of content/<id>/<year>.yaml.
func Report() ([]byte, error) { return Generate(KindReport) }

// All returns every schema keyed by file name (FileName). It panics if the
// model holds a type the generator does not know, like regexp.MustCompile:
// the schema is a function of the compiled-in types only, and the package's
// tests fail first.
func All() map[string][]byte {
	out := make(map[string][]byte, len(Kinds))
	for _, k := range Kinds {
		b, err := Generate(k)
		if err != nil {
			panic(err)
		}
		out[FileName(k)] = b
	}
	return out
}

func build(kind string) (*object, error) {
	spec, ok := specs[kind]
	if !ok {
		return nil, fmt.Errorf("schema: unknown kind %q (want one of %s)", kind, strings.Join(Kinds, ", "))
	}
	g := &generator{root: spec.root, defs: newObject(), owner: map[string]reflect.Type{}}
	body, err := g.structSchema(spec.root, spec.root.Name())
	if err != nil {
		return nil, fmt.Errorf("schema: %s: %w", kind, err)
	}
	top := obj(
		"$schema", Draft,
		"$id", ID(kind),
		"$comment", comment,
		"title", spec.title,
		"description", spec.desc,
	)
	for _, k := range body.keys {
		top.set(k, body.vals[k])
	}
	if g.defs.len() > 0 {
		top.set("$defs", g.defs)
	}
	return top, nil
}

var (
	amountType  = reflect.TypeFor[model.Amount]()
	percentType = reflect.TypeFor[model.Percent]()
	numberType  = reflect.TypeFor[model.Number]()
	dateType    = reflect.TypeFor[model.Date]()
	measureType = reflect.TypeFor[model.Measure]()
	deltaType   = reflect.TypeFor[model.Delta]()
	boolType    = reflect.TypeFor[bool]()
	enumType    = reflect.TypeFor[model.Enum]()
	stringType  = reflect.TypeFor[string]()
	intType     = reflect.TypeFor[int]()
)

// generator builds one schema file. defs collects the "$defs" in the order
// they are first reached (a pre-order walk in struct field order).
type generator struct {
	root  reflect.Type
	defs  *object
	owner map[string]reflect.Type // def name -> the Go type it describes
}

// ref returns a "$ref" to the def called name, describing t, building it the
// first time. The def's slot is reserved before it is built, so recursive
// types (Node, Indicator) refer to themselves.
func (g *generator) ref(t reflect.Type, name string, build func() (*object, error)) (*object, error) {
	if t == g.root {
		return obj("$ref", "#"), nil
	}
	r := obj("$ref", "#/$defs/"+name)
	if o, ok := g.owner[name]; ok {
		if o != t {
			return nil, fmt.Errorf("two types want the def name %s: %v and %v", name, o, t)
		}
		return r, nil
	}
	g.owner[name] = t
	g.defs.set(name, nil)
	s, err := build()
	if err != nil {
		return nil, err
	}
	g.defs.set(name, s)
	return r, nil
}

// structSchema is the closed object for a struct of the model: one property
// per yaml-tagged field, in field order.
func (g *generator) structSchema(t reflect.Type, path string) (*object, error) {
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%s: %v is not a struct", path, t)
	}
	props := newObject()
	var req []string
	for i := range t.NumField() {
		f := t.Field(i)
		fpath := path + "." + f.Name
		key, tagged := f.Tag.Lookup("yaml")
		if !tagged || key == "-" {
			for _, other := range []string{"req", "doc", "ex"} {
				if _, ok := f.Tag.Lookup(other); ok {
					return nil, fmt.Errorf("%s: has a %s tag but no yaml key", fpath, other)
				}
			}
			continue
		}
		switch {
		case key == "":
			return nil, fmt.Errorf("%s: empty yaml key", fpath)
		case strings.ContainsAny(key, ", "):
			// The loader takes the whole tag as the key: no options.
			return nil, fmt.Errorf("%s: yaml tag %q: options are not supported", fpath, key)
		case f.Anonymous:
			return nil, fmt.Errorf("%s: embedded fields are not supported", fpath)
		case !f.IsExported():
			return nil, fmt.Errorf("%s: unexported field has yaml key %q", fpath, key)
		}
		if _, dup := props.get(key); dup {
			return nil, fmt.Errorf("%s: yaml key %q used twice in %v", fpath, key, t)
		}
		doc := f.Tag.Get("doc")
		if doc == "" {
			return nil, fmt.Errorf("%s: yaml key %q has no doc tag", fpath, key)
		}
		switch r := f.Tag.Get("req"); r {
		case "":
		case "true":
			req = append(req, key)
		default:
			return nil, fmt.Errorf("%s: req tag must be \"true\", not %q", fpath, r)
		}
		s, err := g.valueSchema(f.Type, key, path+"."+key)
		if err != nil {
			return nil, err
		}
		p := obj("description", doc)
		for _, k := range s.keys {
			p.set(k, s.vals[k])
		}
		if ex, ok := f.Tag.Lookup("ex"); ok {
			v, err := exampleValue(f.Type, ex)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fpath, err)
			}
			p.set("examples", []any{v})
		}
		props.set(key, p)
	}
	if props.len() == 0 {
		return nil, fmt.Errorf("%s: struct %v has no yaml keys; tag its fields or teach internal/schema its literal form", path, t)
	}
	s := obj("type", "object", "properties", props)
	if len(req) > 0 {
		s.set("required", req)
	}
	s.set("additionalProperties", false)
	return s, nil
}

// valueSchema maps a field's Go type to its schema. key is the field's yaml
// key (an Amount keyed "adjustment" may be negative); path is for errors.
func (g *generator) valueSchema(t reflect.Type, key, path string) (*object, error) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
		if k := t.Kind(); k == reflect.Pointer || k == reflect.Slice || k == reflect.Map {
			return nil, fmt.Errorf("%s: unsupported Go type *%v", path, t)
		}
	}
	switch {
	case t == amountType && key == "adjustment":
		return g.ref(t, "SignedAmount", func() (*object, error) { return moneySchema(true), nil })
	case t == amountType:
		return g.ref(t, "Amount", func() (*object, error) { return moneySchema(false), nil })
	case t == percentType:
		return g.ref(t, "Percent", func() (*object, error) { return percentSchema(), nil })
	case t == numberType:
		return g.ref(t, "Number", func() (*object, error) { return numberSchema(), nil })
	case t == dateType:
		return g.ref(t, "Date", func() (*object, error) { return dateSchema(), nil })
	case t == measureType:
		return g.ref(t, "Measure", func() (*object, error) { return measureSchema(), nil })
	case t == deltaType:
		return g.ref(t, "Delta", func() (*object, error) { return deltaSchema(), nil })
	case t == boolType:
		return obj("type", "boolean"), nil
	case t.Implements(enumType): // with value receivers, as the loader checks
		return enumSchema(t, path)
	case t == stringType:
		// Stricter than the loader (which keeps any scalar's literal text):
		// editors then ask for quotes around codes such as "201001", which
		// other YAML tools would otherwise read as numbers.
		return obj("type", "string"), nil
	case t == intType:
		return obj("type", "integer", "minimum", 0), nil
	case t.Kind() == reflect.Slice:
		elem := t.Elem()
		inner := elem
		if inner.Kind() == reflect.Pointer {
			inner = inner.Elem()
		}
		if k := inner.Kind(); k == reflect.Slice || k == reflect.Map || k == reflect.Pointer {
			return nil, fmt.Errorf("%s: unsupported Go type %v", path, t)
		}
		items, err := g.valueSchema(elem, key, path+"[]")
		if err != nil {
			return nil, err
		}
		return obj("type", "array", "items", items), nil
	case t.Kind() == reflect.Struct && t.Name() != "":
		return g.ref(t, t.Name(), func() (*object, error) { return g.structSchema(t, t.Name()) })
	}
	return nil, fmt.Errorf("%s: unsupported Go type %v; add it to internal/schema", path, t)
}

func enumSchema(t reflect.Type, path string) (*object, error) {
	if t.Kind() != reflect.String {
		return nil, fmt.Errorf("%s: enumeration %v must be a string type", path, t)
	}
	vals := reflect.Zero(t).Interface().(model.Enum).Values()
	if len(vals) == 0 {
		return nil, fmt.Errorf("%s: enumeration %v has no values", path, t)
	}
	seen := map[string]bool{}
	for _, v := range vals {
		if v == "" || seen[v] {
			return nil, fmt.Errorf("%s: enumeration %v has an empty or repeated value %q", path, t, v)
		}
		seen[v] = true
	}
	return obj("type", "string", "enum", vals), nil
}

// exampleValue types an ex tag like its field: a number for int and the
// numeric literal types, a string otherwise.
func exampleValue(t reflect.Type, ex string) (any, error) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t {
	case intType:
		n, err := strconv.Atoi(ex)
		if err != nil {
			return nil, fmt.Errorf("ex tag %q is not an integer", ex)
		}
		return n, nil
	case amountType, numberType, percentType:
		if jsonNumber.MatchString(ex) {
			return json.Number(ex), nil
		}
	}
	return ex, nil
}

// The literal forms. They follow model.ParseMoney, ParsePercent,
// ParseDecimal and ParseDate: at most model.Scale decimals, and at most 4 for
// a figure in 元 (it must convert to 万元 exactly). The patterns do not
// check magnitude or month lengths; the loader does.
var (
	wholeRE    = `([0-9]{1,3}(,[0-9]{3})*|[0-9]+)`
	decimalRE  = wholeRE + `(\.[0-9]{1,` + strconv.Itoa(model.Scale) + `})?`
	yuanRE     = wholeRE + `(\.[0-9]{1,4})?`
	percentRE  = `^[0-9]+(\.[0-9]{1,` + strconv.Itoa(model.Scale) + `})?\s*[%％]?$`
	numberRE   = `^[+-]?` + decimalRE + `$`
	dateISORE  = `^[1-9][0-9]{3}(-(0?[1-9]|1[0-2])(-(0?[1-9]|[12][0-9]|3[01]))?)?$`
	dateCJKRE  = `^[1-9][0-9]{3}年((0?[1-9]|1[0-2])月((0?[1-9]|[12][0-9]|3[01])日)?)?$`
	dateRE     = dateISORE + "|" + dateCJKRE
	signedRE   = `[+-]?`
	unsignedRE = `\+?`
)

// moneyRE is a money literal: "3176.4889", "11,605.29万元", "55.02元",
// "1.2亿元"; sign is signedRE or unsignedRE.
func moneyRE(sign string) string {
	return `^` + sign + decimalRE + `\s*(万元|亿元)?$|^` + sign + yuanRE + `\s*元$`
}

func moneySchema(signed bool) *object {
	num := obj("type", "number", "minimum", 0)
	str := obj("type", "string", "pattern", moneyRE(unsignedRE))
	desc := "金额（万元），照原文位数填写：数字如 3176.4889，或带单位的文字如 “55.02元”“1.2亿元”“11,605.29万元”；原文明显有误时写成 {published, corrected, reason}。不能为负数。"
	if signed {
		num = obj("type", "number")
		str = obj("type", "string", "pattern", moneyRE(signedRE))
		desc = "金额（万元），可为负数（调减）：数字如 -12.5，或带单位的文字如 “-1,200元”；原文明显有误时写成 {published, corrected, reason}。"
	}
	// The keys follow the loader's amount form (internal/content); the
	// agreement test holds them together. The published figure may have any
	// sign: only the corrected one is checked like a plain amount.
	published := []any{
		obj("type", "number"),
		obj("type", "string", "pattern", moneyRE(signedRE)),
	}
	erratum := obj(
		"type", "object",
		"description", "原文金额明显有误（如万元误写为元）时的勘误：原文所写、更正后的金额和理由。读者两者都能看到。",
		"properties", obj(
			"published", obj("description", "原文所写，如 55.02元", "oneOf", published),
			"corrected", obj("description", "更正后的金额（万元）", "oneOf", []any{num, str}),
			"reason", obj("description", "判定原文有误的理由", "type", "string"),
		),
		"required", []string{"published", "corrected", "reason"},
		"additionalProperties", false,
	)
	return obj(
		"description", desc,
		"oneOf", []any{num, str, erratum},
		"examples", []any{json.Number("3176.4889"), "55.02元"},
	)
}

func percentSchema() *object {
	return obj(
		"description", "百分比，如 \"84.69%\"（加引号）或 84.69",
		"oneOf", []any{
			obj("type", "number", "minimum", 0),
			obj("type", "string", "pattern", percentRE),
		},
		"examples", []any{"84.69%"},
	)
}

func numberSchema() *object {
	return obj(
		"description", "数字（得分、分值等），照原文位数填写，如 97.35",
		"oneOf", []any{
			obj("type", "number"),
			obj("type", "string", "pattern", numberRE),
		},
		"examples", []any{json.Number("97.35")},
	)
}

func dateSchema() *object {
	return obj(
		"description", "日期：2024-05-31、2024-05、2024 或 2024年5月31日；只知道年份或月份时只写到年或月",
		"oneOf", []any{
			obj("type", "string", "pattern", dateRE),
			obj("type", "integer", "minimum", 1000, "maximum", 9999),
		},
		"examples", []any{"2024-05-31", "2024-05"},
	)
}

func measureSchema() *object {
	return obj(
		"description", "指标值，照原文文字：比较符、数字和单位，如 \"≥90%\"、\"=100人\"、\"3633人次\"，或定性的文字如 \"应保尽保\"",
		"type", []any{"string", "number"},
		"examples", []any{"≥90%", "3633人次", "应保尽保"},
	)
}

func deltaSchema() *object {
	return obj(
		"description", "原文所述的增减，照原文文字：方向词（增加、减少、增长、下降……）或正负号，数字，单位（%、万元、元、个百分点），或 持平",
		"type", []any{"string", "number"},
		"examples", []any{"下降42.13%", "减少18,987.42元", "增加3.5万元", "持平"},
	)
}
