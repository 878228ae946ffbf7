package charts

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// layout is the room a chart may draw in: below the title, when the option
// carries one (WithTitle), else all of it.
type layout struct {
	title string // "" on the page, where the figure caption is the title
	top   int    // px taken by the title
}

// renderable is what go-echarts' chart types have in common.
type renderable interface {
	Validate()
	JSON() map[string]interface{}
}

// spec describes one chart before it is rendered. build is called twice,
// once for the page and once for WithTitle, because a title moves the
// legend and the plot down.
type spec struct {
	id, title, summary string
	table              Table
	height             int
	build              func(l layout) renderable
	// patch adds options go-echarts has no type for (treemap breadcrumb).
	patch func(m map[string]any)
}

func (s spec) chart() Chart {
	return Chart{
		ID:      s.id,
		Title:   s.title,
		Summary: s.summary,
		Option:  s.render(layout{}),
		Table:   s.table,
		Height:  s.height,
		titled:  func() json.RawMessage { return s.render(layout{title: s.title, top: TitleHeight}) },
	}
}

// render turns the go-echarts chart into the option JSON and tidies it:
// go-echarts always emits some components (an empty toolbox and title, null
// fields) that are noise to ECharts, and has no type for a few options
// every chart here needs (global text size, tooltip confinement, axis name
// style). The random chart ID go-echarts generates is not part of the
// option (json:"-"), so the output depends only on the input.
func (s spec) render(l layout) json.RawMessage {
	c := s.build(l)
	c.Validate()
	var m map[string]any
	if err := decode(encode(c.JSON()), &m); err != nil {
		panic("charts: re-reading option: " + err.Error())
	}
	m = dropNulls(m).(map[string]any)
	delete(m, "toolbox")
	if t, ok := m["title"].(map[string]any); ok && len(t) == 0 {
		delete(m, "title")
	}
	m["textStyle"] = map[string]any{"fontSize": fontSize, "color": textColor}
	if t, ok := m["tooltip"].(map[string]any); ok {
		// Keep the tooltip inside the chart on a 360px wide phone.
		t["confine"] = true
		t["textStyle"] = map[string]any{"fontSize": fontSize, "color": textColor}
	}
	for _, key := range []string{"xAxis", "yAxis"} {
		axes, _ := m[key].([]any)
		for _, a := range axes {
			if ax, ok := a.(map[string]any); ok && ax["name"] != nil {
				ax["nameTextStyle"] = map[string]any{"fontSize": fontSize, "color": textColor}
			}
		}
	}
	pinDecals(m)
	if s.patch != nil {
		s.patch(m)
	}
	return encode(m)
}

// decalPalette is ECharts' own default decal palette (globalDefault.js of
// ECharts 5.6) with every property spelled out.
var decalPalette = []map[string]any{
	{"symbol": "rect", "symbolSize": 1, "dashArrayX": []any{1, 0}, "dashArrayY": []any{2, 5}, "rotation": math.Pi / 6},
	{"symbol": "circle", "symbolSize": 0.8, "dashArrayX": []any{[]any{8, 8}, []any{0, 8, 8, 0}}, "dashArrayY": []any{6, 0}, "rotation": 0},
	{"symbol": "rect", "symbolSize": 1, "dashArrayX": []any{1, 0}, "dashArrayY": []any{4, 3}, "rotation": -math.Pi / 4},
	{"symbol": "rect", "symbolSize": 1, "dashArrayX": []any{[]any{6, 6}, []any{0, 6, 6, 0}}, "dashArrayY": []any{6, 0}, "rotation": 0},
	{"symbol": "rect", "symbolSize": 1, "dashArrayX": []any{[]any{1, 0}, []any{1, 6}}, "dashArrayY": []any{1, 0, 6, 0}, "rotation": math.Pi / 4},
	{"symbol": "triangle", "symbolSize": 0.75, "dashArrayX": []any{[]any{9, 9}, []any{0, 9, 9, 0}}, "dashArrayY": []any{7, 2}, "rotation": 0},
}

// pinDecals gives each series of a chart with decals its pattern by its
// place in the chart, as its colour is given. Left to itself ECharts hands
// out patterns by series name from a palette shared by every chart drawn
// in the same page (or export runtime), so a series' pattern would depend
// on which charts happened to be drawn before it.
func pinDecals(m map[string]any) {
	aria, _ := m["aria"].(map[string]any)
	decal, _ := aria["decal"].(map[string]any)
	if show, _ := decal["show"].(bool); !show {
		return
	}
	series, _ := m["series"].([]any)
	for i, x := range series {
		sr, ok := x.(map[string]any)
		if !ok {
			continue
		}
		style, _ := sr["itemStyle"].(map[string]any)
		if style == nil {
			style = map[string]any{}
			sr["itemStyle"] = style
		}
		if _, set := style["decal"]; set {
			continue
		}
		d := map[string]any{"color": "rgba(0, 0, 0, 0.2)"}
		for k, v := range decalPalette[i%len(decalPalette)] {
			d[k] = v
		}
		style["decal"] = d
	}
}

// dropNulls removes null members of objects (go-echarts writes some fields
// without omitempty); nulls inside arrays are data and stay.
func dropNulls(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if x == nil {
				delete(v, k)
				continue
			}
			v[k] = dropNulls(x)
		}
		return v
	case []any:
		for i, x := range v {
			v[i] = dropNulls(x)
		}
		return v
	}
	return v
}

// common are the global options of every chart.
func common(l layout, summary string, decal bool) []charts.GlobalOpts {
	aria := &opts.Aria{
		Enabled: opts.Bool(true),
		// Our sentence, not ECharts' generated one: it states the figures
		// exactly as published and reads as plain Chinese.
		Label: &opts.AriaLabel{Enabled: opts.Bool(true), Description: summary},
	}
	if decal {
		// Patterns on the bars, so that series differ by more than colour.
		aria.Decal = &opts.AriaDecal{Show: opts.Bool(true)}
	}
	o := []charts.GlobalOpts{
		charts.WithAnimation(false), // reduced motion; identical images
		charts.WithColorsOpts(palette),
		charts.WithAriaOpts(aria),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	}
	if l.title != "" {
		o = append(o, charts.WithTitleOpts(titleOpts(l.title)))
	}
	return o
}

func px(n int) string { return strconv.Itoa(n) }
