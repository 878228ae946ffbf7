package importer

import (
	"fmt"
	"reflect"
	"strings"

	"disclose/internal/model"
)

// Figure is one money amount of a report at its place in the report's tree,
// as published: the unit to measure an import against a hand transcription.
type Figure struct {
	Path string // funds[一般公共预算].basic.items[工资福利支出].amount
	Text string // "603.69", "55.02元": the published text, unit kept
}

var (
	amountT = reflect.TypeFor[model.Amount]()
	deptT   = reflect.TypeFor[model.Department]()
)

// Figures lists every money amount of r with its path. A list element is
// named by its name-like field (source, name, item, project) rather than by
// its index, so that an import which finds the same items in another order
// or misses one still lines up; repeated names are numbered.
func Figures(r *model.Report) []Figure {
	var out []Figure
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() && v.Elem().Type() != deptT {
				walk(v.Elem(), path)
			}
		case reflect.Slice:
			seen := map[string]int{}
			for i := 0; i < v.Len(); i++ {
				key := elementKey(v.Index(i))
				if key == "" {
					key = fmt.Sprint(i)
				}
				seen[key]++
				if n := seen[key]; n > 1 {
					key = fmt.Sprintf("%s#%d", key, n)
				}
				walk(v.Index(i), path+"["+key+"]")
			}
		case reflect.Struct:
			if v.Type() == amountT {
				a := v.Interface().(model.Amount)
				text := a.Published
				if a.Erratum != nil && a.Erratum.Published != "" {
					text = a.Erratum.Published
				}
				out = append(out, Figure{Path: path, Text: NormalizeAmount(text)})
				return
			}
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
				if !f.IsExported() || tag == "" || tag == "-" {
					continue
				}
				p := tag
				if path != "" {
					p = path + "." + tag
				}
				walk(v.Field(i), p)
			}
		}
	}
	walk(reflect.ValueOf(r).Elem(), "")
	return out
}

// elementKey names a list element by the first of its naming fields that is
// set.
func elementKey(v reflect.Value) string {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for _, name := range []string{"Source", "Name", "Item", "Label", "Title"} {
		f := v.FieldByName(name)
		if f.IsValid() && f.Kind() == reflect.String && f.String() != "" {
			// A form's "其中:本年财政拨款" row is the fund 本年财政拨款,
			// whether a transcription kept the prefix or not.
			return whichRE.ReplaceAllString(f.String(), "")
		}
	}
	return ""
}

// NormalizeAmount makes two spellings of the same published figure equal:
// "1,089.76万元" and "1089.76" are the same text in a 万元 report, and the
// comparison is about digits and unit, not about separators.
func NormalizeAmount(s string) string {
	s = spacesRE.ReplaceAllString(strings.ReplaceAll(s, ",", ""), "")
	s = strings.ReplaceAll(s, "，", "")
	return strings.TrimSuffix(strings.TrimSuffix(s, "万元"), "万")
}

// IndicatorFigures lists the values of a report's evaluation — each
// indicator's target, actual, weight and score, the score and its parts,
// the targets' text, as published — with paths like Figures', to measure
// an import of them the same way.
func IndicatorFigures(r *model.Report) []Figure {
	var out []Figure
	var walk func(list []*model.Indicator, path string)
	walk = func(list []*model.Indicator, path string) {
		for _, in := range list {
			p := path + "[" + in.Name + "]"
			if in.Target != nil {
				out = append(out, Figure{p + ".target", spacesRE.ReplaceAllString(in.Target.Text, "")})
			}
			if in.Actual != nil {
				out = append(out, Figure{p + ".actual", spacesRE.ReplaceAllString(in.Actual.Text, "")})
			}
			if in.Weight != nil {
				out = append(out, Figure{p + ".weight", in.Weight.Value.String()})
			}
			if in.Score != nil {
				out = append(out, Figure{p + ".score", in.Score.Value.String()})
			}
			walk(in.Items, p+".items")
		}
	}
	walk(r.Indicators, "indicators")
	if r.Score != nil {
		if r.Score.Total != nil {
			out = append(out, Figure{"score.total", r.Score.Total.Value.String()})
		}
		for _, p := range r.Score.Parts {
			if p.Score != nil {
				out = append(out, Figure{"score.parts[" + p.Name + "].score", p.Score.Value.String()})
			}
		}
	}
	for _, t := range r.Targets {
		out = append(out, Figure{"targets[" + t.Name + "]", spacesRE.ReplaceAllString(t.Text, "")})
	}
	return out
}
