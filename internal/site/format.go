package site

import (
	"strings"

	"disclose/internal/model"
)

// money shows an amount at the precision the source published it, with
// thousands separators for reading: 21680.25 is shown 21,680.25 and
// 603.6900 keeps its four places. Downloads and attributes keep plain
// numbers; they do not use this.
func money(d model.Decimal) string { return d.Grouped() }

// grouped adds thousands separators to a published literal and keeps its
// digits ("1234567.5" → "1,234,567.5"); text that is not a plain number
// (a blank, "—", a note) is returned as it is.
func grouped(s string) string {
	d, err := model.ParseDecimal(s)
	if err != nil {
		return s
	}
	return d.Grouped()
}

// pct shows a percentage computed exactly to two places.
func pct(d model.Decimal) string { return d.Format(2) + "%" }

// figure is a display-ready amount: the figure, whether we added it up,
// and the erratum that corrected it.
type figure struct {
	Text     string
	Computed bool
	Erratum  *model.Erratum
	// Unit is the unit the figure was published in when that is not the
	// tables' 万元: a figure published in 元 is shown in 元, as printed.
	Unit string
	// ErratumHref is where the erratum is explained: the report page's
	// data-check section.
	ErratumHref string
	// Scope says why the figure is not the department's whole figure of
	// its column (model.Scope.Note), when it is not: a comparison marks it
	// and leaves it out of its charts.
	Scope string
}

// onReport points f's erratum mark at the report page href; tables outside
// the report page link there.
func onReport(f *figure, href string) *figure {
	if f != nil && f.Erratum != nil {
		c := *f
		c.ErratumHref = href + "#checks"
		return &c
	}
	return f
}

func (f *figure) String() string {
	if f == nil {
		return ""
	}
	return f.Text
}

func amountFig(a *model.Amount) *figure {
	if a == nil {
		return nil
	}
	f := &figure{Text: money(a.Value), Erratum: a.Erratum, ErratumHref: "#checks"}
	if a.Erratum == nil && a.Unit != "" && a.Unit != model.UnitWan {
		// "26,085.58元" stays 26,085.58 元 on the page, not 2.608558 万元.
		f.Text = grouped(strings.TrimSpace(strings.TrimSuffix(a.Published, string(a.Unit))))
		f.Unit = string(a.Unit)
		return f
	}
	return f
}

func overviewFig(f *model.Figure) *figure {
	if f == nil {
		return nil
	}
	if f.From != nil {
		return amountFig(f.From)
	}
	return &figure{Text: money(f.Value), Computed: true}
}

func percentText(p *model.Percent) string {
	if p == nil {
		return ""
	}
	return p.Value.String() + "%"
}

func numberText(n *model.Number) string {
	if n == nil {
		return ""
	}
	return n.Value.String()
}

func measureText(m *model.Measure) string {
	if m == nil {
		return ""
	}
	return m.Text
}

func regionText(d *model.Department) string { return strings.Join(d.Region, "") }

func deptName(d *model.Department) string {
	if d.ShortName != "" {
		return d.ShortName
	}
	return d.Name
}
