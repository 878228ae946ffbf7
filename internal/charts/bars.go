package charts

import (
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"disclose/internal/model"
)

// barSeries is one series of a bar chart. Values line up with the
// categories; nil where the source states no figure, which ECharts leaves
// empty ("-") rather than drawing as zero.
type barSeries struct {
	name   string
	color  string
	values []*model.Decimal
	hide   []bool   // per value: no label on the bar (too narrow to hold it)
	texts  []string // per value, optional: its label, when not the figure alone
	marked []bool   // per value, optional: a figure the site added up (labelled with *)
}

// label is the text on the i-th bar of s.
func (b bar) label(s barSeries, i int) string {
	if i < len(s.texts) && s.texts[i] != "" {
		return s.texts[i]
	}
	t := b.labelText(*s.values[i])
	if i < len(s.marked) && s.marked[i] {
		t += "*"
	}
	return t
}

// bar is a bar chart. Horizontal bars suit long Chinese category names on a
// narrow screen; years read best along the bottom (vertical bars).
type bar struct {
	names      []string
	series     []barSeries
	unit       string // of the values: wan, "分", "%" or "项"
	horizontal bool
	stack      bool
	max        string // fixed end of the value axis ("100" for shares), "" for automatic
	labels     bool   // print each value on its bar
	upright    bool   // vertical bars side by side: their labels turned upright (see uprightLabels)
}

// Category labels wrap at this width (9 characters at 14px, enough for
// 公务用车运行维护费): a longer name takes more lines, never an ellipsis,
// and height() gives its row the room.
const categoryLabelWidth = 128

// stated counts the figures the chart would show.
func (b bar) stated() int {
	n := 0
	for _, s := range b.series {
		for _, v := range s.values {
			if v != nil {
				n++
			}
		}
	}
	return n
}

// height is what a horizontal chart needs to show every category: each
// bar is barRow thick and each category has barRow more between its bars
// and the next category's. The page draws the chart at this height,
// however many categories (a province's comparison page: thousands of px).
func (b bar) height() int {
	if !b.horizontal {
		return 360 + b.uprightRoom()
	}
	rows := len(b.series)
	if b.stack {
		rows = 1
	}
	h := 60
	for i, n := range b.names {
		// A wrapped name needs its lines' height (lineHeight 20 at 14px)
		// and a little air to the next one; so does a value label of two
		// lines beside a single bar.
		h += max(rows*barRow+barRow, wrappedLines(n, categoryLabelWidth)*labelLine+8, b.labelLines(i)*labelLine+8)
	}
	if len(b.series) > 1 {
		h += 36
	}
	return max(h, 220)
}

// barRow is the room of one bar of a horizontal chart in px. A value
// label is fontSize tall and its line box in a CJK font about 1.4 times
// that (20px at 14px): beside two bars of a category, 18px bars 10% apart
// put the labels 20px apart, and a stacked bar (60% of its category's
// 36px) holds its label inside. A category name (one line, at most
// categoryLabelWidth wide) gets at least 2×barRow. Measured in Chromium
// (internal/e2e TestTallCharts): no text of one row overlaps another's.
const barRow = fontSize + 4

func (b bar) labelText(d model.Decimal) string {
	if b.unit == "%" {
		return pctText(d)
	}
	// As the tables and summaries write it: 21,680.25.
	return d.Grouped()
}

// labelLines is how many lines the value labels of category i take.
func (b bar) labelLines(i int) int {
	n := 1
	if !b.labels {
		return n
	}
	for _, s := range b.series {
		if i < len(s.values) && s.values[i] != nil {
			n = max(n, strings.Count(b.label(s, i), "\n")+1)
		}
	}
	return n
}

// longestLabel is the width in px of the widest value label (digits and
// the point are about 8px wide at 14px).
func (b bar) longestLabel() int {
	w := 0
	for _, s := range b.series {
		for i, v := range s.values {
			if v != nil {
				for _, line := range strings.Split(b.label(s, i), "\n") {
					w = max(w, textWidth(line))
				}
			}
		}
	}
	return w
}

func (b bar) build(summary string) func(layout) renderable {
	return func(l layout) renderable {
		c := charts.NewBar()
		top := l.top
		g := common(l, summary, len(b.series) > 1)
		if len(b.series) > 1 {
			g = append(g, charts.WithLegendOpts(opts.Legend{
				Show: opts.Bool(true), Top: px(top + 4), Left: "center",
				ItemWidth: 18, ItemHeight: 12,
				TextStyle: &opts.TextStyle{FontSize: fontSize, Color: textColor},
			}))
			top += 36
		} else {
			g = append(g, charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
		}
		var limit any
		if b.max != "" {
			limit = b.max
		}
		catLabel := &opts.AxisLabel{FontSize: fontSize, Color: textColor, Width: categoryLabelWidth, Overflow: "break"}
		valLabel := &opts.AxisLabel{FontSize: fontSize, Color: mutedColor}
		split := &opts.SplitLine{Show: opts.Bool(true), LineStyle: &opts.LineStyle{Color: lineColor}}
		noTick := &opts.AxisTick{Show: opts.Bool(false)}
		if b.horizontal {
			right := 24
			if b.labels && !b.stack {
				right = 16 + b.longestLabel()
			}
			value := opts.XAxis{Type: "value", Name: b.unit, NameLocation: "middle", NameGap: 30, SplitNumber: 3, Max: limit, AxisLabel: valLabel, SplitLine: split}
			bottom := 44
			if b.labels {
				// Every bar carries its figure, so the ticks would only
				// repeat them less exactly, and on a phone they collide.
				value.AxisLabel = &opts.AxisLabel{Show: opts.Bool(false)}
				value.SplitLine = &opts.SplitLine{Show: opts.Bool(false)}
				value.Name, value.NameGap = "单位："+b.unit, 8
				bottom = 32
			}
			g = append(g,
				charts.WithGridOpts(opts.Grid{Left: "8", Right: px(right), Top: px(top + 8), Bottom: px(bottom + l.bottom), ContainLabel: opts.Bool(true)}),
				charts.WithXAxisOpts(value),
				// Inverse: the first category at the top, as in the source.
				charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: named(catLabel)}),
			)
			c.XYReversal()
		} else {
			g = append(g,
				charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: px(top + 40 + b.uprightRoom()), Bottom: px(8 + l.bottom), ContainLabel: opts.Bool(true)}),
				charts.WithXAxisOpts(opts.XAxis{Type: "category", AxisLabel: catLabel, AxisTick: noTick}),
				charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: b.unit, SplitNumber: 4, Max: limit, AxisLabel: valLabel, SplitLine: split}),
			)
		}
		c.SetGlobalOptions(g...)
		c.SetXAxis(b.names)
		for _, s := range b.series {
			c.AddSeries(s.name, b.data(s), b.seriesOpts(s)...)
		}
		return c
	}
}

// named is the category label of a horizontal chart: every bar is named.
// ECharts would otherwise drop labels it thinks will not fit; height()
// leaves each of them room. (Interval is a string in go-echarts; ECharts
// takes "0" as 0, a step of one category.)
func named(l *opts.AxisLabel) *opts.AxisLabel {
	n := *l
	n.Interval = "0"
	return &n
}

func (b bar) seriesOpts(s barSeries) []charts.SeriesOpts {
	o := []charts.SeriesOpts{charts.WithItemStyleOpts(opts.ItemStyle{Color: s.color})}
	if b.stack {
		o = append(o, charts.WithBarChartOpts(opts.BarChart{Stack: "total", BarCategoryGap: "40%"}))
	} else {
		o = append(o, charts.WithBarChartOpts(opts.BarChart{BarGap: "10%", BarCategoryGap: "30%"}))
	}
	if b.labels {
		pos, color := "right", textColor
		switch {
		case b.stack:
			pos, color = "inside", onColor
		case !b.horizontal:
			pos = "top"
		}
		o = append(o, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: pos, FontSize: fontSize, Color: color}))
	}
	return o
}

// data writes each figure twice: as the exact JSON number the bar is drawn
// from, and as literal text in its label and tooltip, because ECharts would
// print 712.00 as "712".
func (b bar) data(s barSeries) []opts.BarData {
	out := make([]opts.BarData, 0, len(s.values))
	for i, v := range s.values {
		if v == nil {
			out = append(out, opts.BarData{Value: "-"})
			continue
		}
		fig := withUnit(*v, b.unit)
		if i < len(s.marked) && s.marked[i] {
			fig += "*（本站根据分项加总）"
		}
		tip := "{b}：" + fig
		if len(b.series) > 1 {
			tip = "{b}<br/>{a}：" + fig
		}
		d := opts.BarData{Value: num(*v), Tooltip: &opts.Tooltip{Formatter: types.FuncStr(tip)}}
		if b.labels {
			if s.hide != nil && s.hide[i] {
				d.Label = &opts.Label{Show: opts.Bool(false)}
			} else {
				d.Label = &opts.Label{Formatter: b.label(s, i)}
			}
		}
		out = append(out, d)
	}
	return out
}

// uprightRoom is the room above the plot an upright label of the
// tallest bar needs.
func (b bar) uprightRoom() int {
	if !b.upright {
		return 0
	}
	return b.longestLabel()
}

// uprightLabels turns the value labels of vertical bars upright, reading
// upwards from the top of each bar: side by side, two bars of a year are
// narrower than their figures written across (go-echarts' Label has no
// rotate).
var uprightLabels = patch{
	maps: func(m map[string]any) {
		eachSeries(m, "bar", func(s map[string]any) {
			if l := labelOf(s); l != nil {
				l["rotate"] = 90
				l["align"] = "left"
				l["verticalAlign"] = "middle"
				l["distance"] = 6
			}
		})
	},
	tree: func(t *tidier, m int32) {
		t.eachSeries(m, "bar", func(s int32) {
			if l := t.label(s); l != 0 {
				t.set(l, "rotate", []byte("90"))
				t.set(l, "align", []byte(`"left"`))
				t.set(l, "verticalAlign", []byte(`"middle"`))
				t.set(l, "distance", []byte("6"))
			}
		})
	},
}
