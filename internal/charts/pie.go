package charts

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"disclose/internal/model"
)

type slice struct {
	name         string
	value, share model.Decimal // share in percent of the whole pie
	color        string
	mark         string // "*" for an amount the site added up
}

// donut is a ring chart of a few parts of one whole.
type donut struct {
	series string
	slices []slice
	height int
}

func (p donut) build(summary string) func(layout) renderable {
	return func(l layout) renderable {
		c := charts.NewPie()
		g := append(common(l, summary, false), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))
		c.SetGlobalOptions(g...)
		data := make([]opts.PieData, 0, len(p.slices))
		for _, s := range p.slices {
			data = append(data, opts.PieData{
				Name:      s.name,
				Value:     num(s.value),
				ItemStyle: &opts.ItemStyle{Color: s.color},
				// Name and share only: two short lines fit beside the ring on
				// a 360px screen; the amount is in the tooltip and the table.
				Label:   &opts.Label{Formatter: "{b}\n" + pctText(s.share) + s.mark},
				Tooltip: &opts.Tooltip{Formatter: types.FuncStr("{b}：" + withUnit(s.value, wan) + s.mark + "（" + pctText(s.share) + "）")},
			})
		}
		c.AddSeries(p.series, data,
			charts.WithPieChartOpts(opts.PieChart{
				// In px, not %: a percentage grows with the container, and
				// the titled option's taller one pushed the labels off a
				// 360px wide image.
				// Small enough to leave a 360px phone five characters
				// of label room each side.
				Radius: []int{40, 68},
				Center: []any{"50%", l.top + p.height/2},
			}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), FontSize: fontSize, Color: textColor, LineHeight: 20}),
			charts.WithLabelLineOpts(opts.LabelLine{Show: opts.Bool(true), Length2: 8}),
		)
		return c
	}
}

// pieLabels lets ECharts wrap a pie label to the room beside the ring
// (go-echarts' Label has no overflow); by default it cuts it.
var pieLabels = patch{
	maps: func(m map[string]any) {
		eachSeries(m, "pie", func(s map[string]any) {
			if l := labelOf(s); l != nil {
				l["overflow"] = "breakAll"
			}
		})
	},
	tree: func(t *tidier, m int32) {
		t.eachSeries(m, "pie", func(s int32) {
			if l := t.label(s); l != 0 {
				t.set(l, "overflow", breakAll)
			}
		})
	},
}

// breakAll is the label overflow that wraps, as encoding/json writes it.
var breakAll = encode("breakAll")
