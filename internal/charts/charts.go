// Package charts is the one place that decides how each chart of the site
// looks. It turns reports into ECharts options, built with go-echarts, which
// the web pages render in the browser (ECharts 5.6, SVG renderer) and an
// image exporter renders with ECharts' server-side rendering. Every chart
// also comes with a one-sentence summary and a table of the same figures,
// for readers who cannot see or run it.
//
// Amounts are exact: they go into the option as JSON numbers spelled as the
// document published them, never through float64, and every figure a
// reader sees in a label or tooltip is that same published text. ECharts
// formats values itself only where the text does not matter (axis ticks).
//
// The options hold no JavaScript functions: the site's Content-Security-Policy
// forbids eval, so formatters are ECharts string templates, mostly with the
// figure written in literally.
//
// Layer 4 (see internal/arch): it imports model only.
package charts

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/opts"

	"disclose/internal/model"
)

// Chart is one chart of a page with everything needed to show it.
type Chart struct {
	ID      string          // stable slug, unique within a page, e.g. "categories"
	Title   string          // shown by the page as the figure caption
	Summary string          // one plain sentence with the key figures (also the chart's ARIA description)
	Option  json.RawMessage // the ECharts option, without a title component
	Table   Table           // the same figures as a table
	Height  int             // suggested height in CSS px

	// An image of the chart (WithTitle) has no page around it to say
	// whose figures it shows: Subtitle names the department(s) and year(s),
	// Source the documents and the unit ("数据来源：…，单位：万元").
	Subtitle, Source string

	unit string // of the figures, for Source

	// titled lays Option out with a title component on top. It is made
	// on demand: only chart images need it, and a build of ten thousand
	// reports should not pay for sixty thousand of them.
	titled func(subtitle, source string) json.RawMessage
}

// Table is the data of a chart as text, ready to print.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string // display text: amounts at their published precision, percentages like "67.87%"
	Numeric []bool     // per column: right-align
}

// TitleHeight is the height in px that WithTitle adds on top of the chart
// for the title and subtitle; ImageHeight adds the source line below.
const TitleHeight = 64

// ImageHeight is the height in px of an image of WithTitle: the chart,
// its title and subtitle, and its source line.
func (c Chart) ImageHeight() int {
	return c.Height + TitleHeight + sourceHeight(c.Source)
}

// WithTitle returns the option with a title and subtitle above the chart
// and the source line below, for images shown outside the page (where
// there is no figure caption); nothing in it is interactive.
func (c Chart) WithTitle() json.RawMessage {
	if c.titled != nil {
		return c.titled(c.Subtitle, c.Source)
	}
	// A Chart made outside this package: add the titles and leave the layout.
	var m map[string]any
	if err := decode(c.Option, &m); err != nil || m == nil {
		return c.Option
	}
	imageTitles(m, c.Title, c.Subtitle, c.Source)
	return encode(m)
}

// sourced gives each chart its subtitle and source line: from, the
// documents, and the chart's unit.
func sourced(cs []Chart, subtitle, from string) []Chart {
	for i := range cs {
		cs[i].Subtitle = subtitle
		cs[i].Source = "数据来源：" + from
		if cs[i].unit != "" {
			cs[i].Source += "，单位：" + cs[i].unit
		}
	}
	return cs
}

// Text and colour choices, in one place. Text is at least 14px for elderly
// readers. Every colour is dark enough that white text on it, and it as
// text or bars on the white page, pass WCAG AA (4.5:1; tested). Blue and
// orange come first, the pair the common colour-vision deficiencies keep
// apart; bar series also differ by pattern (aria decals), not colour alone.
const (
	fontSize    = 14
	textColor   = "#1f2937" // labels, legend, axis names: 14.7:1 on white
	mutedColor  = "#4b5563" // axis tick labels: 7.6:1
	lineColor   = "#d1d5db" // grid lines (decoration, no contrast needed)
	headerColor = "#374151" // treemap headers and breadcrumb behind white text
	onColor     = "#ffffff" // text on coloured areas

	colorBudget = "#1f5fa8" // 预算, 分值: blue
	colorIncome = "#2e7d32" // 收入, 资金到位, 达到目标: green
	colorSpent  = "#b34700" // 支出, 实际拨付, 得分: orange
	colorOther  = "#4b5563" // 无法比较: grey
)

var palette = []string{
	"#1f5fa8", // blue
	"#b34700", // orange
	"#2e7d32", // green
	"#6a3d9a", // purple
	"#8c564b", // brown
	"#ad1457", // crimson
	"#00695c", // teal
	"#455a64", // blue grey
}

// wan is the unit of every amount.
const wan = "万元"

// num puts a decimal into an option exactly as published.
func num(d model.Decimal) json.Number { return json.Number(d.String()) }

// pct is d/den as a percentage with two places, exact; ok is false when the
// denominator is zero.
func pct(d, den model.Decimal) (model.Decimal, bool) { return model.Ratio(d, den, 2) }

// pctText prints a percentage, "67.87%".
func pctText(p model.Decimal) string { return p.String() + "%" }

// withUnit prints a figure with its unit the way Chinese documents do, its
// published digits grouped by thousands for reading: "21,680.25万元",
// "30分". Options' values (num) stay plain numbers.
func withUnit(d model.Decimal, unit string) string { return d.Grouped() + unit }

// dash is what a table shows for a figure the source does not state.
const dash = "—"

func cell(d *model.Decimal) string {
	if d == nil {
		return dash
	}
	return d.Grouped()
}

func amountOf(a *model.Amount) *model.Decimal {
	if a == nil {
		return nil
	}
	v := a.Value
	return &v
}

func numberOf(n *model.Number) *model.Decimal {
	if n == nil {
		return nil
	}
	v := n.Value
	return &v
}

func decode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // keep every number as written
	return dec.Decode(v)
}

// encode marshals an option. encoding/json sorts map keys, so the same
// option always gives the same bytes; HTML-sensitive characters stay
// escaped so that the JSON can sit inside a <script> element.
func encode(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps, slices, strings, bools and json.Numbers get here.
		panic(fmt.Sprintf("charts: encoding option: %v", err))
	}
	return b
}

func titleOpts(title string) opts.Title {
	return opts.Title{
		Title:      title,
		Left:       "center",
		Top:        "8",
		TitleStyle: &opts.TextStyle{FontSize: 18, FontWeight: "bold", Color: textColor},
	}
}
