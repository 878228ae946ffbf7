package charts

import (
	"fmt"
	"strconv"
	"strings"

	"disclose/internal/model"
)

func figureValue(f *model.Figure) *model.Decimal {
	if f == nil {
		return nil
	}
	v := f.Value
	return &v
}

// shares returns basic and project spending as percentages of their sum.
func shares(o model.Overview) (basic, project model.Decimal, ok bool) {
	if o.Basic == nil || o.Project == nil {
		return basic, project, false
	}
	total := o.Basic.Value.Add(o.Project.Value)
	b, ok1 := pct(o.Basic.Value, total)
	p, ok2 := pct(o.Project.Value, total)
	return b, p, ok1 && ok2
}

// deptName is how a report's department is named in comparisons.
func deptName(r *model.Report) string {
	switch {
	case r.Department == nil:
		return r.Title
	case r.Department.ShortName != "":
		return r.Department.ShortName
	}
	return r.Department.Name
}

func yearText(y int) string { return strconv.Itoa(y) + "年" }

// intDecimal is a count as a decimal, for bars of counts.
func intDecimal(n int) model.Decimal { return model.MustDecimal(strconv.Itoa(n)) }

// list joins clauses of a summary sentence.
func list(parts []string) string { return strings.Join(parts, "；") }

func sentence(format string, a ...any) string {
	s := fmt.Sprintf(format, a...)
	if !strings.HasSuffix(s, "。") {
		s += "。"
	}
	return s
}

// dropEmptyColumn removes a column no row fills (an empty 说明).
func dropEmptyColumn(t *Table, col int) {
	for _, r := range t.Rows {
		if r[col] != "" {
			return
		}
	}
	cut := func(s []string) []string { return append(s[:col:col], s[col+1:]...) }
	t.Head = cut(t.Head)
	t.Numeric = append(t.Numeric[:col:col], t.Numeric[col+1:]...)
	for i, r := range t.Rows {
		t.Rows[i] = cut(r)
	}
}

// measure is one figure of a fund, project or item, as a bar series.
type measure[T any] struct {
	name     string
	color    string
	get      func(T) *model.Decimal
	computed func(T) bool // optional: the figure was added up by us
	note     string       // how it was added up, when not "各资金来源相加"
	// leftOut, when it returns a note, keeps the row's figure out of the
	// chart: it is not of the same scope as the others' (model.Scope), and
	// the summary says so with that note.
	leftOut func(T) string
}

// seriesOf builds the series of the measures that at least one row states,
// and the matching table columns.
func seriesOf[T any](rows []T, ms []measure[T]) ([]barSeries, []measure[T]) {
	var out []barSeries
	var used []measure[T]
	for _, m := range ms {
		s := barSeries{name: m.name, color: m.color}
		any := false
		for _, r := range rows {
			v := m.get(r)
			any = any || v != nil
			s.values = append(s.values, v)
		}
		if any {
			out = append(out, s)
			used = append(used, m)
		}
	}
	return out, used
}
