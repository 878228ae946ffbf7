package charts

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"sync"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// layout is the room a chart may draw in: below the title, when the option
// carries one (WithTitle), else all of it.
type layout struct {
	title string // "" on the page, where the figure caption is the title
	top   int    // px taken by the title
	// An image (WithTitle) says whose figures it shows and where they come
	// from, since it is seen without the page around it.
	subtitle, source string
	bottom           int // px taken by the source line below the chart
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
	patch patch
	unit  string // of the figures, for the source line of an image
}

func (s spec) chart() Chart {
	return Chart{
		ID:      s.id,
		Title:   s.title,
		Summary: s.summary,
		Option:  s.render(layout{}),
		Table:   s.table,
		Height:  s.height,
		unit:    s.unit,
		titled: func(subtitle, source string) json.RawMessage {
			return s.render(layout{title: s.title, top: TitleHeight, subtitle: subtitle, source: source, bottom: sourceHeight(source)})
		},
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
	t := tidiers.Get().(*tidier)
	defer tidiers.Put(t)
	t.in.Reset()
	if err := t.enc.Encode(c.JSON()); err != nil {
		panic("charts: encoding option: " + err.Error())
	}
	opt := tidyOption(t, t.in.Bytes(), s.patch)
	if l.title != "" {
		opt = forImage(opt, l)
	}
	return opt
}

// forImage makes a titled option an image for a slide: the title with a
// subtitle (whose figures, which year), the source line at the bottom,
// and nothing a reader could only click (the treemap's breadcrumb).
func forImage(opt json.RawMessage, l layout) json.RawMessage {
	var m map[string]any
	if err := decode(opt, &m); err != nil {
		panic("charts: re-reading option: " + err.Error())
	}
	imageTitles(m, l.title, l.subtitle, l.source)
	eachSeries(m, "treemap", func(s map[string]any) { s["breadcrumb"] = map[string]any{"show": false} })
	return encode(m)
}

// imageTitles sets the title components of an image.
func imageTitles(m map[string]any, title, subtitle, source string) {
	main := map[string]any{
		"text": title, "left": "center", "top": 8, "itemGap": 6,
		"textStyle": map[string]any{"fontSize": 18, "fontWeight": "bold", "color": textColor},
	}
	if subtitle != "" {
		main["subtext"] = subtitle
		main["subtextStyle"] = map[string]any{"fontSize": fontSize, "color": mutedColor}
	}
	titles := []any{main}
	if source != "" {
		titles = append(titles, map[string]any{
			"text": sourceText(source), "left": "center", "bottom": 8,
			"textStyle": map[string]any{"fontSize": sourceFont, "fontWeight": "normal", "color": mutedColor, "lineHeight": sourceLine},
		})
	}
	m["title"] = titles
}

// The source line of an image, at the least text size of the charts,
// wrapped to fit an image 500 px wide (the default is 800).
const (
	sourceFont  = fontSize
	sourceLine  = labelLine
	sourceWidth = 468
)

// sourceText is the source line as drawn: wrapped, with the unit on a
// line of its own. Set after a closing 》 the comma is a pair of
// full-width marks that Chromium draws closer together (text-spacing-trim)
// than other renderers, and the unit reads best where the eye ends.
func sourceText(source string) string {
	from, unit, ok := strings.Cut(source, "，单位：")
	if !ok {
		return breakText(source, sourceWidth)
	}
	return breakText(from, sourceWidth) + "\n单位：" + unit
}

// sourceHeight is the room the source line takes below the chart.
func sourceHeight(source string) int {
	if source == "" {
		return 0
	}
	return (strings.Count(sourceText(source), "\n")+1)*sourceLine + 16
}

// A patch adds options go-echarts has no type for. maps makes the edits
// on the tidy option as decode reads JSON (maps, slices, strings, bools
// and json.Numbers): it says what the patch does, and the tests hold tree
// to it. tree, when given, makes the same edits on the tidier's tree, so
// that the option need not become maps and be written from them: that
// took a fifth of the time of a report's charts.
type patch struct {
	maps func(m map[string]any)
	tree func(t *tidier, m int32)
}

// tidiers keeps the buffers of renders for the next ones: a build renders
// tens of thousands of options, in parallel.
var tidiers = sync.Pool{New: func() any { return newTidier() }}

// tidyOption is (*tidier).tidy; tests replace it to check every option
// against the encoding/json version (tidy_test.go).
var tidyOption = (*tidier).tidy

// tidy tidies the option in, as encoding/json writes it, and returns it as
// encoding/json would write the map it decodes to with the tidying done
// (see tidyjson.go): null members dropped, the toolbox and an empty title
// removed, text styles and tooltip confinement added, decals pinned and
// patch applied.
func (t *tidier) tidy(in []byte, p patch) json.RawMessage {
	m, err := t.parse(in)
	if err == nil && t.nodes[m].kind != kObject {
		err = errors.New("not an object")
	}
	if err != nil {
		panic("charts: re-reading option: " + err.Error())
	}
	t.del(m, "toolbox")
	if title := t.get(m, "title"); title != 0 && t.nodes[title].kind == kObject {
		mark := len(t.order)
		t.sorted(title)
		if len(t.order) == mark { // no member, or only null ones
			t.del(m, "title")
		}
		t.order = t.order[:mark]
	}
	t.set(m, "textStyle", textStyle)
	if tip := t.get(m, "tooltip"); tip != 0 && t.nodes[tip].kind == kObject {
		// Keep the tooltip inside the chart on a 360px wide phone.
		t.set(tip, "confine", []byte("true"))
		t.set(tip, "textStyle", textStyle)
	}
	for _, key := range []string{"xAxis", "yAxis"} {
		if axes := t.get(m, key); axes != 0 && t.nodes[axes].kind == kArray {
			for ax := t.nodes[axes].first; ax != 0; ax = t.nodes[ax].next {
				if t.get(ax, "name") != 0 {
					t.set(ax, "nameTextStyle", textStyle)
				}
			}
		}
	}
	t.pinDecals(m)
	switch {
	case p.tree != nil:
		p.tree(t, m)
		t.out = t.appendNode(t.out[:0], m)
	case p.maps != nil:
		// A patch of maps edits the option as it was before this tree:
		// the tree becomes maps for it (all of it, as it may look
		// anywhere).
		opt := t.toAny(m).(map[string]any)
		p.maps(opt)
		t.out = t.appendAny(t.out[:0], opt)
	default:
		t.out = t.appendNode(t.out[:0], m)
	}
	return bytes.Clone(t.out)
}

// textStyle is the text style tidy gives the chart, its tooltip and axis
// names, as encoding/json writes it.
var textStyle = encode(map[string]any{"fontSize": fontSize, "color": textColor})

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

// decal returns the decal of the i-th series: pattern i of the palette.
func decal(i int) map[string]any {
	d := map[string]any{"color": "rgba(0, 0, 0, 0.2)"}
	for k, v := range decalPalette[i%len(decalPalette)] {
		d[k] = v
	}
	return d
}

// decals and decalStyles are, per pattern of the palette, the decal of an
// itemStyle and an itemStyle with only that decal, as encoding/json writes
// them.
var decals, decalStyles = func() (ds, ss [][]byte) {
	for i := range decalPalette {
		ds = append(ds, encode(decal(i)))
		ss = append(ss, encode(map[string]any{"decal": decal(i)}))
	}
	return ds, ss
}()

// pinDecals gives each series of a chart with decals its pattern by its
// place in the chart, as its colour is given. Left to itself ECharts hands
// out patterns by series name from a palette shared by every chart drawn
// in the same page (or export runtime), so a series' pattern would depend
// on which charts happened to be drawn before it.
func (t *tidier) pinDecals(m int32) {
	if show := t.get(t.get(t.get(m, "aria"), "decal"), "show"); show == 0 || t.nodes[show].kind != kTrue {
		return
	}
	series := t.get(m, "series")
	if series == 0 || t.nodes[series].kind != kArray {
		return
	}
	i := 0
	for sr := t.nodes[series].first; sr != 0; sr, i = t.nodes[sr].next, i+1 {
		if t.nodes[sr].kind != kObject {
			continue
		}
		switch style := t.get(sr, "itemStyle"); {
		case style == 0 || t.nodes[style].kind != kObject:
			t.set(sr, "itemStyle", decalStyles[i%len(decalStyles)])
		case t.get(style, "decal") == 0:
			t.set(style, "decal", decals[i%len(decals)])
		}
	}
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

// eachSeries calls patch on each series of the option m whose type is typ:
// the option patches set what go-echarts has no field for.
func eachSeries(m map[string]any, typ string, patch func(series map[string]any)) {
	series, _ := m["series"].([]any)
	for _, s := range series {
		if s, ok := s.(map[string]any); ok && s["type"] == typ {
			patch(s)
		}
	}
}

// eachSeries calls patch on each series of the option tree m whose type
// is typ, as eachSeries does on maps.
func (t *tidier) eachSeries(m int32, typ string, patch func(series int32)) {
	series := t.get(m, "series")
	if series == 0 || t.nodes[series].kind != kArray {
		return
	}
	for s := t.nodes[series].first; s != 0; s = t.nodes[s].next {
		if t.isString(t.get(s, "type"), typ) {
			patch(s)
		}
	}
}

// label is the label object of a series of the tree, 0 when it has none.
func (t *tidier) label(series int32) int32 {
	if l := t.get(series, "label"); l != 0 && t.nodes[l].kind == kObject {
		return l
	}
	return 0
}

// labelOf is the label object of a series, nil when it has none.
func labelOf(series map[string]any) map[string]any {
	l, _ := series["label"].(map[string]any)
	return l
}
