package model

import (
	"reflect"
	"strings"
)

// StatedKind says what a figure a report states as text is.
type StatedKind int

const (
	StatedChange  StatedKind = iota // a Delta: "减少18,987.42元"
	StatedPercent                   // a Percent: "38.28%"
	StatedCell                      // a standard table's cell: "440.55"
)

// StatedFigure is a figure a report gives as published text rather than as
// an Amount: the faithfulness tests hold each to the source and to the
// page.
type StatedFigure struct {
	Kind StatedKind
	Text string // the Delta's text, the percentage with "%", or the cell
	Pos  Pos
}

var (
	deltaT    = reflect.TypeFor[Delta]()
	percentT  = reflect.TypeFor[Percent]()
	tableRowT = reflect.TypeFor[TableRow]()
)

// StatedFigures lists the report's stated changes, percentages and table
// cells (blank cells left out) in declaration order.
func (r *Report) StatedFigures() []StatedFigure {
	var out []StatedFigure
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		case reflect.Struct:
			switch v.Type() {
			case deltaT:
				d := v.Addr().Interface().(*Delta)
				out = append(out, StatedFigure{StatedChange, d.Text, d.Pos})
				return
			case percentT:
				p := v.Addr().Interface().(*Percent)
				out = append(out, StatedFigure{StatedPercent, p.Value.String() + "%", p.Pos})
				return
			case tableRowT:
				row := v.Addr().Interface().(*TableRow)
				for _, c := range row.Cells {
					if c = strings.TrimSpace(c); c != "" && c != "-" && c != "—" {
						out = append(out, StatedFigure{StatedCell, c, row.Pos})
					}
				}
				return
			case amountT:
				return
			}
			t := v.Type()
			for i := 0; i < t.NumField(); i++ {
				// Only what the report's files hold: not back up to its
				// Department.
				if f := t.Field(i); f.IsExported() && f.Tag.Get("yaml") != "" && f.Tag.Get("yaml") != "-" {
					walk(v.Field(i))
				}
			}
		}
	}
	walk(reflect.ValueOf(r).Elem())
	return out
}
