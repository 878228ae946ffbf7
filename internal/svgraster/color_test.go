package svgraster

import (
	"image/color"
	"strings"
	"testing"
)

// TestParseColor covers the colour syntaxes ECharts' themes and options
// produce: hex in four lengths, rgb()/rgba() with and without spaces, and
// the keywords.
func TestParseColor(t *testing.T) {
	tests := []struct {
		s    string
		want color.NRGBA
	}{
		{"#f00", color.NRGBA{255, 0, 0, 255}},
		{"#F0a", color.NRGBA{255, 0, 170, 255}},
		{"#f008", color.NRGBA{255, 0, 0, 0x88}},
		{"#ff8000", color.NRGBA{255, 128, 0, 255}},
		{"#5470C6", color.NRGBA{0x54, 0x70, 0xc6, 255}},
		{"#FF800080", color.NRGBA{255, 128, 0, 0x80}},
		{"#00000000", color.NRGBA{}},
		{"  #fff  ", color.NRGBA{255, 255, 255, 255}},
		{"rgb(255, 128, 0)", color.NRGBA{255, 128, 0, 255}},
		{"rgb(255,128,0)", color.NRGBA{255, 128, 0, 255}},
		{"RGB( 1 , 2 , 3 )", color.NRGBA{1, 2, 3, 255}},
		{"rgba(255, 128, 0, 0.5)", color.NRGBA{255, 128, 0, 128}},
		{"rgba(0,0,0,0)", color.NRGBA{}},
		{"rgba(0,0,0,1)", color.NRGBA{0, 0, 0, 255}},
		{"rgba(10, 20, 30, 50%)", color.NRGBA{10, 20, 30, 128}},
		{"rgb(100%, 50%, 0%)", color.NRGBA{255, 128, 0, 255}},
		{"rgb(12.4, 12.6, 0)", color.NRGBA{12, 13, 0, 255}},
		// CSS clamps out-of-range components.
		{"rgb(300, -5, 0)", color.NRGBA{255, 0, 0, 255}},
		{"rgba(0, 0, 0, 2)", color.NRGBA{0, 0, 0, 255}},
		{"rgba(0, 0, 0, -1)", color.NRGBA{}},
		// ECharts' rgba() may go through rgb( with four numbers.
		{"rgb(1, 2, 3, 0.5)", color.NRGBA{1, 2, 3, 128}},
		{"red", color.NRGBA{255, 0, 0, 255}},
		{"White", color.NRGBA{255, 255, 255, 255}},
		{"grey", color.NRGBA{128, 128, 128, 255}},
		{"lightgray", color.NRGBA{211, 211, 211, 255}},
		{"transparent", color.NRGBA{}},
	}
	for _, tt := range tests {
		got, err := parseColor(tt.s)
		if err != nil {
			t.Errorf("parseColor(%q): %v", tt.s, err)
			continue
		}
		if got != tt.want {
			t.Errorf("parseColor(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// TestParseColorErrors checks that a colour the parser does not know is an
// error naming it, not a silent black.
func TestParseColorErrors(t *testing.T) {
	for _, s := range []string{
		"",
		"bluish",
		"currentColor",
		"inherit",
		"hsl(0, 0%, 0%)",
		"#",
		"#ff",
		"#fffff",
		"#fffffff",
		"#fffffffff",
		"#ggg",
		"#+f0",
		"#gggggg",
		"#12345z78",
		"#0x1234",
		"#-12345",
		"rgb(1,2)",
		"rgb(1,2,3,4,5)",
		"rgb(a,b,c)",
		"rgb(1 2 3)",
		"rgb(1,2,3",
		"rgb(1,,3)",
		"rgb(1%%,2,3)",
		"rgba(1,2,3,x)",
		"rgb(NaN, 0, 0)",
		"rgba(0, 0, 0, NaN)",
	} {
		got, err := parseColor(s)
		if err == nil {
			t.Errorf("parseColor(%q) = %v, want an error", s, got)
			continue
		}
		if !strings.Contains(err.Error(), strings.ToLower(strings.TrimSpace(s))) {
			t.Errorf("parseColor(%q) error %q does not name the colour", s, err)
		}
	}
}

func TestParsePaint(t *testing.T) {
	tests := []struct {
		s    string
		want paint
	}{
		{"none", paint{none: true}},
		{" none ", paint{none: true}},
		{"transparent", paint{}},
		{"#5470c6", paint{color: color.NRGBA{0x54, 0x70, 0xc6, 255}}},
		{"rgba(0,0,0,0.3)", paint{color: color.NRGBA{0, 0, 0, 77}}},
		{"url(#p)", paint{pattern: "p"}},
		{"url(#zr1-decal-0)", paint{pattern: "zr1-decal-0"}},
		{" url(#p) ", paint{pattern: "p"}},
	}
	for _, tt := range tests {
		got, err := parsePaint(tt.s)
		if err != nil {
			t.Errorf("parsePaint(%q): %v", tt.s, err)
			continue
		}
		if got.none != tt.want.none || got.color != tt.want.color || got.pattern != tt.want.pattern {
			t.Errorf("parsePaint(%q) = %+v, want %+v", tt.s, got, tt.want)
		}
	}
	// A reference with no id, or a fallback colour after it, would draw
	// nothing or something else without a word.
	for _, s := range []string{"None", "url(#)", "url(#p) red", "url(p)", "url(#p", "", "bogus"} {
		if got, err := parsePaint(s); err == nil {
			t.Errorf("parsePaint(%q) = %+v, want an error", s, got)
		}
	}
}

// TestParseOpacity checks clamping to 0–1 and percentages, as CSS has
// them.
func TestParseOpacity(t *testing.T) {
	tests := []struct {
		s    string
		want float64
	}{
		{"0", 0},
		{"1", 1},
		{"0.5", 0.5},
		{" 0.25 ", 0.25},
		{".3", 0.3},
		{"1.5", 1},
		{"-1", 0},
		{"50%", 0.5},
		{"150%", 1},
		{"-5%", 0},
		{"1e-1", 0.1},
	}
	for _, tt := range tests {
		got, err := parseOpacity(tt.s)
		if err != nil {
			t.Errorf("parseOpacity(%q): %v", tt.s, err)
			continue
		}
		if !unitNear(got, tt.want, 1e-12) {
			t.Errorf("parseOpacity(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	// NaN would pass both clamps (max and min keep a NaN) and reach the
	// drawing as an undefined alpha.
	for _, s := range []string{"", "abc", "%", "0.5.5", "NaN", "nan%", "0.5 0.5"} {
		if got, err := parseOpacity(s); err == nil {
			t.Errorf("parseOpacity(%q) = %v, want an error", s, got)
		}
	}
}
