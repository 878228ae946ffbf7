package svgraster

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"
)

// unitNode is an element with the given attributes, as parseDocument
// builds it.
func unitNode(name string, attrs ...string) *node {
	n := &node{name: name, attrs: map[string]string{}, line: 7}
	for i := 0; i+1 < len(attrs); i += 2 {
		n.attrs[attrs[i]] = attrs[i+1]
	}
	return n
}

// unitShapeRasterizer draws documents without text: its face is never
// read, so the tests of shapes and styles need no font file.
func unitShapeRasterizer(t testing.TB) *Rasterizer {
	t.Helper()
	r, err := New(&Face{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// unitSVG wraps body in a 64×48 document.
func unitSVG(body string) []byte {
	return []byte(`<svg width="64" height="48" xmlns="http://www.w3.org/2000/svg">` + body + `</svg>`)
}

var (
	unitRed  = color.NRGBA{255, 0, 0, 255}
	unitBlue = color.NRGBA{0, 0, 255, 255}
)

// TestInheritAttributes checks that presentation attributes are read.
func TestInheritAttributes(t *testing.T) {
	st, err := defaultStyle().inherit(unitNode("path",
		"fill", "red", "stroke", "#00f", "stroke-width", "2", "stroke-linecap", "round",
		"stroke-linejoin", "bevel", "stroke-miterlimit", "10", "fill-opacity", "0.5",
		"stroke-opacity", "25%", "opacity", "0.8", "font-size", "12px", "font-weight", "bold",
		"text-anchor", "middle", "dominant-baseline", "central", "paint-order", "stroke",
		"stroke-dashoffset", "3", "visibility", "hidden",
	))
	if err != nil {
		t.Fatal(err)
	}
	if st.fill.color != unitRed || st.stroke.color != unitBlue || st.strokeWidth != 2 ||
		st.lineCap != "round" || st.lineJoin != "bevel" || st.miterLimit != 10 ||
		st.fillOpacity != 0.5 || st.strokeOpacity != 0.25 || st.opacity != 0.8 ||
		st.fontSize != 12 || !st.bold || st.anchor != "middle" || st.baseline != "central" ||
		!st.strokeFirst || st.dashOffset != 3 || !st.hidden {
		t.Errorf("style = %+v", st)
	}
}

// TestInheritStyleAttribute checks that the style attribute wins over
// presentation attributes, as CSS specificity has it, whatever the order
// they are written in.
func TestInheritStyleAttribute(t *testing.T) {
	tests := []struct {
		attrs     []string
		fill      color.NRGBA
		width     float64
		fillAlpha float64
	}{
		{[]string{"fill", "red", "style", "fill: blue"}, unitBlue, 1, 1},
		{[]string{"style", "fill:blue", "fill", "red"}, unitBlue, 1, 1},
		{[]string{"style", "stroke-width: 3px;", "stroke-width", "1"}, unitBlue, 3, 1},
		{[]string{"style", " fill : red ; fill-opacity : 0.5 ;; "}, unitRed, 1, 0.5},
		// The last declaration in the style attribute wins.
		{[]string{"style", "fill:red;fill:blue"}, unitBlue, 1, 1},
	}
	for _, tt := range tests {
		parent := defaultStyle()
		parent.fill.color = unitBlue
		st, err := parent.inherit(unitNode("rect", tt.attrs...))
		if err != nil {
			t.Errorf("%v: %v", tt.attrs, err)
			continue
		}
		if st.fill.color != tt.fill || st.strokeWidth != tt.width || st.fillOpacity != tt.fillAlpha {
			t.Errorf("%v: fill %v width %v fill-opacity %v, want %v %v %v", tt.attrs, st.fill.color, st.strokeWidth, st.fillOpacity, tt.fill, tt.width, tt.fillAlpha)
		}
	}
}

// TestInheritance checks what passes from a group to its children:
// fill, font size and anchor do; opacity and display apply to the group
// as a whole and must not be applied again to each child.
func TestInheritance(t *testing.T) {
	g, err := defaultStyle().inherit(unitNode("g",
		"fill", "red", "font-size", "20", "text-anchor", "end", "opacity", "0.5",
		"stroke-dasharray", "4 2", "font-weight", "700",
	))
	if err != nil {
		t.Fatal(err)
	}
	inner, err := g.inherit(unitNode("g", "stroke", "blue"))
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := inner.inherit(unitNode("text", "x", "1", "y", "2"))
	if err != nil {
		t.Fatal(err)
	}
	if leaf.fill.color != unitRed || leaf.stroke.color != unitBlue || leaf.fontSize != 20 ||
		leaf.anchor != "end" || !leaf.bold || !slices.Equal(leaf.dashes, []float64{4, 2}) {
		t.Errorf("leaf style = %+v", leaf)
	}
	if leaf.opacity != 1 || inner.opacity != 1 {
		t.Errorf("opacity inherited: inner %v, leaf %v, want 1", inner.opacity, leaf.opacity)
	}

	hidden, err := defaultStyle().inherit(unitNode("g", "display", "none"))
	if err != nil {
		t.Fatal(err)
	}
	if hidden.display {
		t.Error(`display="none" left display on`)
	}
	child, err := hidden.inherit(unitNode("rect"))
	if err != nil {
		t.Fatal(err)
	}
	if !child.display {
		t.Error("display inherited") // the parent is skipped instead
	}

	// A child overrides an inherited value, and "none" ends dashing.
	over, err := leaf.inherit(unitNode("path", "fill", "none", "stroke-dasharray", "none", "font-weight", "normal"))
	if err != nil {
		t.Fatal(err)
	}
	if !over.fill.none || over.dashes != nil || over.bold {
		t.Errorf("override = %+v", over)
	}
}

func TestFontWeight(t *testing.T) {
	for _, w := range []string{"bold", "bolder", "600", "700", "800", "900"} {
		st, err := defaultStyle().inherit(unitNode("text", "font-weight", w))
		if err != nil || !st.bold {
			t.Errorf("font-weight %q: bold %v, %v; want bold", w, st.bold, err)
		}
	}
	for _, w := range []string{"normal", "lighter", "100", "200", "300", "400", "500"} {
		parent := defaultStyle()
		parent.bold = true
		st, err := parent.inherit(unitNode("text", "style", "font-weight: "+w))
		if err != nil || st.bold {
			t.Errorf("font-weight %q: bold %v, %v; want regular", w, st.bold, err)
		}
	}
	for _, w := range []string{"heavy", "650", "Bold", ""} {
		if _, err := defaultStyle().inherit(unitNode("text", "font-weight", w)); err == nil || !strings.Contains(err.Error(), "font-weight") {
			t.Errorf("font-weight %q: error %v, want one naming font-weight", w, err)
		}
	}
}

// TestDashArray checks SVG's rule that an odd list is repeated to make it
// even ("4" is 4 on, 4 off), and the units ECharts may add.
func TestDashArray(t *testing.T) {
	tests := []struct {
		s    string
		want []float64
	}{
		{"4", []float64{4, 4}},
		{"4 2 1", []float64{4, 2, 1, 4, 2, 1}},
		{"4,2", []float64{4, 2}},
		{"5px 3px", []float64{5, 3}},
		{"5px, 3px, 1px", []float64{5, 3, 1, 5, 3, 1}},
		{"none", nil},
		{"", nil},
		{"0 0", []float64{0, 0}},
	}
	for _, tt := range tests {
		st, err := defaultStyle().inherit(unitNode("path", "stroke-dasharray", tt.s))
		if err != nil {
			t.Errorf("stroke-dasharray %q: %v", tt.s, err)
			continue
		}
		if !slices.Equal(st.dashes, tt.want) {
			t.Errorf("stroke-dasharray %q = %v, want %v", tt.s, st.dashes, tt.want)
		}
	}
	for _, s := range []string{"-1 2", "a", "4 -4 2", "4em"} {
		if _, err := defaultStyle().inherit(unitNode("path", "stroke-dasharray", s)); err == nil || !strings.Contains(err.Error(), "stroke-dasharray") {
			t.Errorf("stroke-dasharray %q: error %v, want one naming stroke-dasharray", s, err)
		}
	}
}

// TestStyleAccepted checks what changes nothing in a still image and is
// skipped: ECharts' classes, metadata and interaction attributes, and
// properties with their default values.
func TestStyleAccepted(t *testing.T) {
	for _, attrs := range [][]string{
		{"class", "zr0-cls-1"},
		{"id", "x"},
		{"ecmeta_series_index", "0", "ecmeta_data_index", "3", "ecmeta_ssr_type", "chart"},
		{"data-name", "x"},
		{"pointer-events", "none"},
		{"cursor", "pointer"},
		{"aria-label", "chart"},
		{"role", "img"},
		{"font-family", "sans-serif"},
		{"font-style", "normal"},
		{"font-variant", "normal"},
		{"fill-rule", "nonzero"},
		{"clip-rule", "nonzero"},
		{"vector-effect", "none"},
		{"letter-spacing", "0"},
		{"word-spacing", "normal"},
		{"shape-rendering", "crispEdges"},
		{"visibility", "visible"},
		{"style", "cursor: pointer; user-select: none; transition: all 1s; pointer-events: none"},
		{"d", "M0 0", "x", "1", "transform", "scale(2)", "xml:space", "preserve"},
	} {
		if _, err := defaultStyle().inherit(unitNode("path", attrs...)); err != nil {
			t.Errorf("%v: %v", attrs, err)
		}
	}
}

// TestStyleRefused checks that what would change the picture but is not
// implemented is an error naming it, with the element and its line.
func TestStyleRefused(t *testing.T) {
	tests := []struct {
		attrs   []string
		mention string
	}{
		{[]string{"filter", "url(#f)"}, `"filter"`},
		{[]string{"clip-path", "url(#c)"}, `"clip-path"`},
		{[]string{"mask", "url(#m)"}, `"mask"`},
		{[]string{"marker-end", "url(#m)"}, `"marker-end"`},
		{[]string{"style", "filter: blur(2px)"}, `"filter"`},
		{[]string{"fill-rule", "evenodd"}, `fill-rule "evenodd"`},
		{[]string{"clip-rule", "evenodd"}, `clip-rule "evenodd"`},
		{[]string{"style", "font-style: italic"}, `font-style "italic"`},
		{[]string{"font-style", "oblique"}, `font-style "oblique"`},
		{[]string{"font-variant", "small-caps"}, "font-variant"},
		{[]string{"stroke-linecap", "triangle"}, "stroke-linecap"},
		{[]string{"stroke-linejoin", "miter-clip"}, "stroke-linejoin"},
		{[]string{"stroke-miterlimit", "0.5"}, "stroke-miterlimit"},
		{[]string{"text-anchor", "left"}, "text-anchor"},
		{[]string{"dominant-baseline", "bogus"}, "dominant-baseline"},
		{[]string{"alignment-baseline", "bogus"}, "alignment-baseline"},
		{[]string{"paint-order", "markers-first"}, "paint-order"},
		{[]string{"vector-effect", "non-scaling-stroke"}, "vector-effect"},
		{[]string{"letter-spacing", "2px"}, "letter-spacing"},
		{[]string{"stroke-width", "-1"}, "stroke-width"},
		{[]string{"stroke-width", "1em"}, "stroke-width"},
		{[]string{"font-size", "large"}, "font-size"},
		{[]string{"opacity", "half"}, "opacity"},
		{[]string{"fill", "bluish"}, "fill"},
		{[]string{"stroke", "url(#)"}, "stroke"},
		{[]string{"style", "fill red"}, "expected name:value"},
		{[]string{"style", ": red"}, "expected name:value"},
		// NaN passes every range check written as a comparison.
		{[]string{"stroke-width", "NaN"}, "stroke-width"},
		{[]string{"font-size", "nan"}, "font-size"},
		{[]string{"stroke-miterlimit", "NaN"}, "stroke-miterlimit"},
		{[]string{"stroke-dashoffset", "NaN"}, "stroke-dashoffset"},
		{[]string{"stroke-width", "Inf"}, "stroke-width"},
	}
	for _, tt := range tests {
		_, err := defaultStyle().inherit(unitNode("path", tt.attrs...))
		if err == nil {
			t.Errorf("%v: no error", tt.attrs)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.mention) || !strings.Contains(msg, "SVG line 7, <path>") {
			t.Errorf("%v: error %q, want one naming %s and the element", tt.attrs, msg, tt.mention)
		}
	}
}

// TestDocumentRefused checks element-level refusals through parseDocument
// and Render: an element, a style sheet or an attribute that would change
// the picture must fail the whole render, not drop a part of the chart.
func TestDocumentRefused(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		mention string
	}{
		{"image", `<image href="a.png" width="10" height="10"/>`, "<image>"},
		{"use", `<use href="#a"/>`, "<use>"},
		{"linearGradient", `<defs><linearGradient id="g"/></defs>`, "<linearGradient>"},
		{"radialGradient", `<radialGradient id="g"/>`, "<radialGradient>"},
		{"clipPath element", `<clipPath id="c"><rect width="1" height="1"/></clipPath>`, "<clipPath>"},
		{"foreignObject", `<foreignObject/>`, "<foreignObject>"},
		{"tspan", `<text x="1" y="2">a<tspan>b</tspan></text>`, "<tspan>"},
		{"rect in text", `<text x="1" y="2"><rect/></text>`, "<rect> inside <text>"},
		{"style rule", `<style>.a{fill:red}</style>`, `".a"`},
		{"style rule among hover rules", `<style>.a:hover{fill:red} .b, .c:hover{stroke:blue}</style>`, `".b"`},
		{"style sheet junk", `<style>.a:hover{fill:red} junk</style>`, "junk"},
		{"unclosed rule", `<style>.a:hover{fill:red</style>`, "unclosed"},
		{"filter attribute", `<rect width="10" height="10" filter="url(#f)"/>`, `"filter"`},
		{"clip-path attribute", `<path d="M0 0L10 10" clip-path="url(#c)"/>`, `"clip-path"`},
		{"mask on a group", `<g mask="url(#m)"><rect width="1" height="1"/></g>`, `"mask"`},
		{"evenodd", `<path d="M0 0L10 0L10 10Z" fill-rule="evenodd"/>`, "evenodd"},
		{"italic text", `<text x="1" y="2" style="font-style: italic">a</text>`, "italic"},
		{"child of a shape", `<rect width="1" height="1"><title>t</title></rect>`, "child elements"},
		{"bad path", `<path d="M0 0L"/>`, "path data"},
		{"bad transform", `<g transform="perspective(1)"/>`, "perspective"},
		{"skewed stroke", `<path transform="skewX(30)" stroke="red" d="M0 0L10 0"/>`, "skews"},
		{"missing pattern", `<rect width="10" height="10" fill="url(#nope)"/>`, "#nope"},
		{"pattern units", `<pattern id="p" width="4" height="4"/><rect width="10" height="10" fill="url(#p)"/>`, "pattern units"},
		{"bad rect number", `<rect width="ten" height="10"/>`, `width="ten"`},
		{"per-glyph x", `<text x="1 2" y="2">ab</text>`, "per-glyph"},
		{"bad points", `<polyline points="1,2 x"/>`, "points"},
	}
	r := unitShapeRasterizer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			img, err := r.Render(unitSVG(tt.body), 1)
			if err == nil {
				t.Fatalf("Render = %v, want an error", img.Rect)
			}
			if !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q, want one mentioning %s", err, tt.mention)
			}
		})
	}
}

// TestDocumentAccepted renders what ECharts' SSR output contains around
// the drawing: hover rules, classes, ecmeta attributes, pointer events,
// titles and metadata.
func TestDocumentAccepted(t *testing.T) {
	body := `<style>
@keyframes zr1-ani { }
.zr1-cls-0:hover {cursor:pointer;fill:rgba(255,0,0,1);}
.zr1-cls-1:hover, .zr1-cls-2:hover{stroke:red}
.zr1-cls-3{}
</style>
<title>chart</title><desc>d</desc><metadata>m</metadata>
<rect width="64" height="48" x="0" y="0" id="zr1-bg" fill="#fff" ecmeta_ssr_type="bg"></rect>
<g class="zr1-cls-0" pointer-events="none" ecmeta_series_index="0" ecmeta_data_index="2" data-x="1">
<path d="M0 0l10 0l0 5l-10 0Z" fill="red" class="zr1-cls-1" cursor="pointer"/>
</g>`
	// The @keyframes block has an empty body, which the check skips; a
	// rule with content and no :hover would be refused.
	r := unitShapeRasterizer(t)
	img, err := r.Render(unitSVG(body), 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := img.RGBAAt(5, 2); got != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("pixel (5,2) = %v, want red", got)
	}
	if got := img.RGBAAt(30, 30); got != (color.RGBA{255, 255, 255, 255}) {
		t.Errorf("pixel (30,30) = %v, want white", got)
	}
}

// TestDocumentSize covers the root's width, height and viewBox.
func TestDocumentSize(t *testing.T) {
	tests := []struct {
		svg          string
		w, h         float64
		mapX, mapY   float64 // where the user point (10, 10) goes
		wantX, wantY float64
	}{
		{`<svg width="800" height="400"/>`, 800, 400, 10, 10, 10, 10},
		{`<svg width="800px" height=" 400px "/>`, 800, 400, 10, 10, 10, 10},
		{`<svg width="200" height="100" viewBox="0 0 400 200"/>`, 200, 100, 10, 10, 5, 5},
		// xMidYMid meet: the viewBox is centred in the wider box.
		{`<svg width="300" height="100" viewBox="0 0 100 100"/>`, 300, 100, 10, 10, 110, 10},
		{`<svg width="100" height="100" viewBox="-10 -10 20 20" preserveAspectRatio="xMidYMid meet"/>`, 100, 100, 0, 0, 50, 50},
	}
	for _, tt := range tests {
		doc, err := parseDocument([]byte(tt.svg))
		if err != nil {
			t.Errorf("%s: %v", tt.svg, err)
			continue
		}
		if doc.width != tt.w || doc.height != tt.h {
			t.Errorf("%s: size %v×%v", tt.svg, doc.width, doc.height)
		}
		if x, y := doc.viewBox.apply(tt.mapX, tt.mapY); !unitNear(x, tt.wantX, 1e-9) || !unitNear(y, tt.wantY, 1e-9) {
			t.Errorf("%s: (%v,%v) maps to (%v,%v), want (%v,%v)", tt.svg, tt.mapX, tt.mapY, x, y, tt.wantX, tt.wantY)
		}
	}
	for _, s := range []string{
		``,
		`<g/>`,
		`<svg height="10"/>`,
		`<svg width="10"/>`,
		`<svg width="0" height="10"/>`,
		`<svg width="-5" height="10"/>`,
		`<svg width="1e6" height="10"/>`,
		`<svg width="10%" height="10"/>`,
		`<svg width="NaN" height="NaN"/>`,
		`<svg width="10" height="nan"/>`,
		`<svg width="Inf" height="10"/>`,
		`<svg width="10" height="10" viewBox="0 0 10"/>`,
		`<svg width="10" height="10" viewBox="0 0 0 10"/>`,
		`<svg width="10" height="10" viewBox="0 0 10 10" preserveAspectRatio="none"/>`,
		`<svg width="10" height="10"><rect></svg>`,
		`<svg width="10" height="10"><image/></svg>`,
	} {
		if _, err := parseDocument([]byte(s)); err == nil {
			t.Errorf("parseDocument(%s): no error", s)
		}
	}
}

// TestGeometryNumbers checks that NaN and infinity in a shape's geometry
// are refused: they pass comparisons like w <= 0 and reach the rasterizer.
func TestGeometryNumbers(t *testing.T) {
	r := unitShapeRasterizer(t)
	for _, body := range []string{
		`<rect width="NaN" height="10"/>`,
		`<rect width="10" height="10" x="inf"/>`,
		`<circle r="NaN"/>`,
		`<line x1="NaN" x2="10" stroke="red"/>`,
	} {
		if _, err := r.Render(unitSVG(body), 1); err == nil {
			t.Errorf("%s: no error", body)
		}
	}
	n := unitNode("rect", "width", " 12px ", "height", "")
	if v, err := attrNumber(n, "width", 0); err != nil || v != 12 {
		t.Errorf("attrNumber(width) = %v, %v", v, err)
	}
	if v, err := attrNumber(n, "height", 3); err != nil || v != 3 {
		t.Errorf("attrNumber(empty height) = %v, %v, want the default", v, err)
	}
	if v, err := attrNumber(n, "x", -1); err != nil || v != -1 {
		t.Errorf("attrNumber(missing x) = %v, %v, want the default", v, err)
	}
	if v, err := cssLength("14px"); err != nil || v != 14 {
		t.Errorf("cssLength(14px) = %v, %v", v, err)
	}
	if v, err := cssLength("NaN"); err == nil {
		t.Errorf("cssLength(NaN) = %v, want an error", v)
	}
	if v, err := length("NaN"); err == nil || !math.IsNaN(v) && v != 0 {
		t.Errorf("length(NaN) = %v, %v, want an error", v, err)
	}
}
