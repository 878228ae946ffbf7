package content

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// decoder turns a yaml.Node tree into model values, driven by the model's
// struct tags, recording the position of every value and collecting every
// problem instead of stopping at the first.
type decoder struct {
	file  string
	diags []diag.Diagnostic
}

func (d *decoder) pos(n *yaml.Node) model.Pos {
	return model.Pos{File: d.file, Line: n.Line, Col: n.Column}
}

func (d *decoder) report(n *yaml.Node, rule diag.Rule, args ...string) {
	d.diags = append(d.diags, diag.New(d.pos(n), rule, args...))
}

var (
	posType     = reflect.TypeFor[model.Pos]()
	amountType  = reflect.TypeFor[model.Amount]()
	percentType = reflect.TypeFor[model.Percent]()
	numberType  = reflect.TypeFor[model.Number]()
	dateType    = reflect.TypeFor[model.Date]()
	measureType = reflect.TypeFor[model.Measure]()
	deltaType   = reflect.TypeFor[model.Delta]()
	enumType    = reflect.TypeFor[model.Enum]()
)

// field is one YAML key of a struct.
type field struct {
	key      string
	index    int
	required bool
	doc      string
}

type structInfo struct {
	fields []field
	byKey  map[string]int
	pos    int // index of the Pos field, -1 if none
}

// infoCache keeps the field table of each struct type: building it by
// reflection for every mapping of every file showed up in profiles.
var infoCache sync.Map // reflect.Type → *structInfo

func infoOf(t reflect.Type) *structInfo {
	if si, ok := infoCache.Load(t); ok {
		return si.(*structInfo)
	}
	si := buildInfo(t)
	infoCache.Store(t, si)
	return si
}

func buildInfo(t reflect.Type) *structInfo {
	si := &structInfo{byKey: map[string]int{}, pos: -1}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Type == posType && f.Name == "Pos" {
			si.pos = i
		}
		key := f.Tag.Get("yaml")
		if key == "" || key == "-" {
			continue
		}
		si.byKey[key] = len(si.fields)
		si.fields = append(si.fields, field{key: key, index: i, required: f.Tag.Get("req") == "true", doc: f.Tag.Get("doc")})
	}
	return si
}

// Fields lists the YAML keys of a model struct type in declaration order,
// with whether each is required. The JSON Schema tests use it too.
func Fields(t reflect.Type) (keys []string, required []string) {
	for _, f := range infoOf(t).fields {
		keys = append(keys, f.key)
		if f.required {
			required = append(required, f.key)
		}
	}
	return
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "一组字段（key: value）"
	case yaml.SequenceNode:
		return "列表（- 开头的多项）"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "空值"
		}
		return "单个值“" + short(n.Value) + "”"
	case yaml.AliasNode:
		return "别名"
	}
	return "未知内容"
}

func short(s string) string {
	r := []rune(s)
	if len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return s
}

func (d *decoder) wrongType(n *yaml.Node, key, wantZh, fixZh, fixEn string) {
	d.report(n, diag.WrongType, key, wantZh, kindName(n), fixZh, fixEn)
}

// isNull is true for "key:" with nothing after it, or an explicit null.
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// decodeStruct fills the struct v from the mapping n.
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, what string) bool {
	if n.Kind == yaml.AliasNode {
		d.report(n, diag.YAMLAlias)
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.wrongType(n, what, "一组字段（key: value）", "在下一行缩进写出各个字段。", "Write its fields on indented lines below.")
		return false
	}
	si := infoOf(v.Type())
	if si.pos >= 0 {
		v.Field(si.pos).Set(reflect.ValueOf(d.pos(n)))
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, vn := n.Content[i], n.Content[i+1]
		key := kn.Value
		if kn.Kind != yaml.ScalarNode {
			d.wrongType(kn, what, "字段名", "字段名只能是一个词，如 name。", "A field name is a single word.")
			continue
		}
		if line, dup := seen[key]; dup {
			d.report(kn, diag.DuplicateKey, key, strconv.Itoa(line))
			continue
		}
		seen[key] = kn.Line
		fi, ok := si.byKey[key]
		if !ok {
			keys := make([]string, len(si.fields))
			for j, f := range si.fields {
				keys[j] = f.key
			}
			hint := ""
			if s := suggest(key, keys); s != "" {
				hint = "，是不是想写“" + s + "”？"
			}
			d.report(kn, diag.UnknownKey, key, hint, strings.Join(keys, ", "))
			continue
		}
		f := si.fields[fi]
		if isNull(vn) {
			// An empty value counts as absent; a required one is reported
			// as missing below, an optional one is worth a reminder.
			if !f.required {
				d.report(kn, diag.EmptyField, key)
			}
			continue
		}
		d.decodeValue(vn, v.Field(f.index), key)
	}
	for _, f := range si.fields {
		if !f.required {
			continue
		}
		if _, ok := seen[f.key]; !ok || isNullKey(n, f.key) {
			d.report(n, diag.MissingKey, f.key, f.doc)
		}
	}
	return true
}

func isNullKey(n *yaml.Node, key string) bool {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return isNull(n.Content[i+1])
		}
	}
	return false
}

// decodeValue decodes n into v according to v's type. It reports false
// when the value was unusable (and diagnosed), leaving v untouched, so that
// a bad date does not turn into a zero date further on.
func (d *decoder) decodeValue(n *yaml.Node, v reflect.Value, key string) bool {
	if n.Kind == yaml.AliasNode {
		d.report(n, diag.YAMLAlias)
		return false
	}
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		elem := reflect.New(t.Elem())
		if !d.decodeValue(n, elem.Elem(), key) {
			return false
		}
		v.Set(elem)
		return true
	}
	switch {
	case t == amountType:
		return d.decodeAmount(n, v.Addr().Interface().(*model.Amount), key)
	case t == percentType:
		if s, ok := d.scalar(n, key, "百分比，如 \"84.69%\""); ok {
			p, err := model.ParsePercent(s)
			if err != nil {
				d.report(n, diag.PercentSyntax, s)
				return false
			}
			v.Set(reflect.ValueOf(model.Percent{Value: p, Pos: d.pos(n)}))
			return true
		}
		return false
	case t == numberType:
		if s, ok := d.scalar(n, key, "数字，如 97.35"); ok {
			x, err := model.ParseDecimal(s)
			if err != nil {
				d.report(n, diag.NumberSyntax, s, explainNumber(err))
				return false
			}
			v.Set(reflect.ValueOf(model.Number{Value: x, Pos: d.pos(n)}))
			return true
		}
		return false
	case t == dateType:
		if s, ok := d.scalar(n, key, "日期，如 2024-05-31"); ok {
			dt, err := model.ParseDate(s)
			if err != nil {
				d.report(n, diag.DateSyntax, s)
				return false
			}
			dt.Pos = d.pos(n)
			v.Set(reflect.ValueOf(dt))
			return true
		}
		return false
	case t == measureType:
		if s, ok := d.scalar(n, key, "指标值，如 \"≥90%\""); ok {
			m := model.ParseMeasure(s)
			m.Pos = d.pos(n)
			v.Set(reflect.ValueOf(m))
			return true
		}
		return false
	case t == deltaType:
		if s, ok := d.scalar(n, key, "增减，按原文，如 \"下降42.13%\"、\"减少18,987.42元\""); ok {
			x, err := model.ParseDelta(s)
			if err != nil {
				d.report(n, diag.DeltaSyntax, s)
				return false
			}
			x.Pos = d.pos(n)
			v.Set(reflect.ValueOf(x))
			return true
		}
		return false
	case t.Implements(enumType) && t.Kind() == reflect.String:
		if s, ok := d.scalar(n, key, "可选值之一"); ok {
			e := reflect.Zero(t).Interface().(model.Enum)
			if !model.ValidEnum(e, s) {
				hint := ""
				if sug := suggest(s, e.Values()); sug != "" {
					hint = "，是不是“" + sug + "”？"
				}
				d.report(n, diag.EnumValue, s, key, hint, strings.Join(e.Values(), "、"))
				return false
			}
			v.SetString(s)
			return true
		}
		return false
	}
	switch t.Kind() {
	case reflect.String:
		s, ok := d.scalar(n, key, "文字")
		if ok {
			v.SetString(s)
		}
		return ok
	case reflect.Bool:
		if s, ok := d.scalar(n, key, "true 或 false"); ok {
			switch strings.TrimSpace(s) {
			case "true", "是":
				v.SetBool(true)
			case "false", "否":
				v.SetBool(false)
			default:
				d.wrongType(n, key, "true 或 false", "写 true（是）或 false（否）。", "Write true or false.")
				return false
			}
			return true
		}
		return false
	case reflect.Int:
		if s, ok := d.scalar(n, key, "整数"); ok {
			i, err := strconv.Atoi(strings.TrimSpace(s))
			if err != nil || i < 0 {
				d.report(n, diag.IntegerSyntax, s)
				return false
			}
			v.SetInt(int64(i))
			return true
		}
		return false
	case reflect.Struct:
		return d.decodeStruct(n, v, key)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.wrongType(n, key, "列表（每项以“- ”开头）", "每一项另起一行，以“- ”开头。", "Write each item on its own line starting with \"- \".")
			return false
		}
		s := reflect.MakeSlice(t, 0, len(n.Content))
		for _, item := range n.Content {
			if isNull(item) {
				d.report(item, diag.EmptyValue, key)
				continue
			}
			ev := reflect.New(t.Elem()).Elem()
			if d.decodeValue(item, ev, key) {
				s = reflect.Append(s, ev)
			}
		}
		v.Set(s)
		return true
	default:
		panic(fmt.Sprintf("content: no decoder for %s (field %s)", t, key))
	}
}

// scalar returns the literal text of a scalar node, or reports a type error.
func (d *decoder) scalar(n *yaml.Node, key, want string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.wrongType(n, key, want, "在冒号后直接写值。", "Write the value right after the colon.")
		return "", false
	}
	return n.Value, true
}

func explainNumber(err error) string {
	switch {
	case errors.Is(err, model.ErrPrecision):
		return fmt.Sprintf("小数位太多（最多 %d 位）", model.Scale)
	case errors.Is(err, model.ErrRange):
		return "数字太大"
	case errors.Is(err, model.ErrGrouping):
		return "千分位逗号位置不对"
	case errors.Is(err, model.ErrEmpty):
		return "没有数字"
	case errors.Is(err, model.ErrUnit):
		return "单位只能是 万元、元 或 亿元"
	}
	return "只能包含数字和一个小数点"
}

// amountForm is the mapping form of an amount that records an erratum.
type amountForm struct {
	Published string `yaml:"published" req:"true" doc:"原文所写，如 55.02元"`
	Corrected string `yaml:"corrected" req:"true" doc:"更正后的金额（万元）"`
	Reason    string `yaml:"reason" req:"true" doc:"判定原文有误的理由"`
	Pos       model.Pos
}

// AmountFormType is exported for the schema generator's agreement test.
var AmountFormType = reflect.TypeFor[amountForm]()

func (d *decoder) decodeAmount(n *yaml.Node, a *model.Amount, key string) bool {
	a.Pos = d.pos(n)
	if n.Kind == yaml.MappingNode {
		var f amountForm
		d.decodeStruct(n, reflect.ValueOf(&f).Elem(), key)
		if f.Published == "" || f.Corrected == "" {
			return false
		}
		pub, _, err := model.ParseMoney(f.Published)
		if err != nil {
			d.report(n, diag.AmountSyntax, f.Published, explainNumber(err))
			return false
		}
		val, unit, ok := d.money(n, f.Corrected, key)
		if !ok {
			return false
		}
		a.Value, a.Unit, a.Published = val, unit, f.Published
		a.Erratum = &model.Erratum{Published: f.Published, Corrected: f.Corrected, Reason: f.Reason, Pos: f.Pos}
		if pub.Cmp(val) == 0 {
			d.report(n, diag.ErratumNoChange, f.Published)
		}
		return true
	}
	s, ok := d.scalar(n, key, "金额（万元），如 3176.4889")
	if !ok {
		return false
	}
	val, unit, ok := d.money(n, s, key)
	if !ok {
		return false
	}
	a.Value, a.Unit, a.Published = val, unit, s
	return true
}

func (d *decoder) money(n *yaml.Node, s, key string) (model.Decimal, model.Unit, bool) {
	val, unit, err := model.ParseMoney(s)
	if err != nil {
		d.report(n, diag.AmountSyntax, s, explainNumber(err))
		return val, unit, false
	}
	if val.IsNegative() && !slices.Contains(negativeOK, key) {
		d.report(n, diag.AmountNegative, s)
		return val, unit, false
	}
	return val, unit, true
}

// negativeOK lists the amount keys that may be below zero.
var negativeOK = []string{"adjustment"}
