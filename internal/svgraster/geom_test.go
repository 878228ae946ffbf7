package svgraster

import (
	"math"
	"strings"
	"testing"
)

func unitNear(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func unitNearMatrix(m, n matrix, tol float64) bool {
	return unitNear(m.a, n.a, tol) && unitNear(m.b, n.b, tol) && unitNear(m.c, n.c, tol) &&
		unitNear(m.d, n.d, tol) && unitNear(m.e, n.e, tol) && unitNear(m.f, n.f, tol)
}

// TestParseTransform maps points through each transform function, and
// through lists, whose order is easy to get backwards: the rightmost
// function applies to the shape first.
func TestParseTransform(t *testing.T) {
	tests := []struct {
		s            string
		x, y         float64 // a point
		wantX, wantY float64 // where it must go
	}{
		{"", 3, 4, 3, 4},
		{"  ", 3, 4, 3, 4},
		{"translate(10)", 1, 2, 11, 2},
		{"translate(10 20)", 1, 2, 11, 22},
		{"translate(10,20)", 1, 2, 11, 22},
		{"translate( 10 , -20 )", 1, 2, 11, -18},
		{"translate(1e1-2)", 0, 0, 10, -2},
		{"scale(2)", 1, 2, 2, 4},
		{"scale(2 3)", 1, 2, 2, 6},
		{"scale(-1,1)", 1, 2, -1, 2},
		// SVG's y axis points down, so rotate(90) turns the x axis onto
		// the y axis.
		{"rotate(90)", 1, 0, 0, 1},
		{"rotate(-90)", 1, 0, 0, -1},
		{"rotate(30)", 2, 0, 2 * math.Cos(math.Pi/6), 2 * math.Sin(math.Pi/6)},
		{"rotate(90 10 10)", 11, 10, 10, 11},
		{"rotate(90,10,10)", 20, 10, 10, 20},
		{"rotate(180 5 5)", 0, 0, 10, 10},
		{"rotate(45 1 1)", 1, 1, 1, 1}, // the centre stays
		{"matrix(1 2 3 4 5 6)", 1, 1, 9, 12},
		{"matrix(1,0,0,1,7,8)", 1, 1, 8, 9},
		{"skewX(45)", 0, 1, 1, 1},
		{"skewX(45)", 1, 0, 1, 0},
		{"skewY(45)", 1, 0, 1, 1},
		{"skewY(45)", 0, 1, 0, 1},
		{"translate(10 0) scale(2)", 1, 0, 12, 0},
		{"scale(2) translate(10 0)", 1, 0, 22, 0},
		{"translate(10,0),scale(2)", 1, 0, 12, 0},
		{"translate(10 0)scale(2)", 1, 0, 12, 0},
		{"translate(10 0) , scale(2)", 1, 0, 12, 0},
		{"rotate(90)translate(1 0)", 0, 0, 0, 1},
		{"translate(1 0)rotate(90)", 0, 1, 0, 0},
		{"translate(8 48) rotate(30) scale(2)", 1, 0, 8 + 2*math.Cos(math.Pi/6), 48 + 2*math.Sin(math.Pi/6)},
		{"\ttranslate(1 1)\n", 0, 0, 1, 1},
	}
	for _, tt := range tests {
		m, err := parseTransform(tt.s)
		if err != nil {
			t.Errorf("parseTransform(%q): %v", tt.s, err)
			continue
		}
		if x, y := m.apply(tt.x, tt.y); !unitNear(x, tt.wantX, 1e-9) || !unitNear(y, tt.wantY, 1e-9) {
			t.Errorf("parseTransform(%q) maps (%v, %v) to (%v, %v), want (%v, %v)", tt.s, tt.x, tt.y, x, y, tt.wantX, tt.wantY)
		}
	}
}

// TestParseTransformErrors checks that what the parser does not know is
// refused, naming the transform, rather than ignored.
func TestParseTransformErrors(t *testing.T) {
	tests := []struct {
		s, mention string
	}{
		{"foo(1)", "foo with 1 numbers"},
		{"Translate(1)", "Translate"},
		{"translate()", "translate with 0 numbers"},
		{"translate(1 2 3)", "translate with 3 numbers"},
		{"scale()", "scale with 0"},
		{"scale(1 2 3)", "scale with 3"},
		{"rotate(1 2)", "rotate with 2"},
		{"rotate(1 2 3 4)", "rotate with 4"},
		{"matrix(1 2 3 4 5)", "matrix with 5"},
		{"matrix(1 2 3 4 5 6 7)", "matrix with 7"},
		{"skewX()", "skewX with 0"},
		{"skewX(1 2)", "skewX with 2"},
		{"skewY(1 2)", "skewY with 2"},
		{"translate(1", "expected name(numbers)"},
		{"translate 1 2", "expected name(numbers)"},
		{"translate(1 2) junk", "expected name(numbers)"},
		{"translate(1 2) scale", "expected name(numbers)"},
		{")(", "expected name(numbers)"},
		{"translate(a)", "expected a number"},
		{"translate(1e999)", "bad number"},
		{"translate(1px 2px)", "expected a number"},
		{"(1 2)", "with 2 numbers"},
	}
	for _, tt := range tests {
		m, err := parseTransform(tt.s)
		if err == nil {
			t.Errorf("parseTransform(%q) = %+v, want an error", tt.s, m)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, tt.mention) || !strings.Contains(msg, tt.s) {
			t.Errorf("parseTransform(%q) error %q, want one quoting the transform and mentioning %q", tt.s, msg, tt.mention)
		}
		if m != identity {
			t.Errorf("parseTransform(%q) returned %+v with its error, want the identity", tt.s, m)
		}
	}
}

// TestMatrixThenInvert checks composition order and that inverting undoes
// a transform, which pattern fills rely on to map device pixels back into
// the tile.
func TestMatrixThenInvert(t *testing.T) {
	translate := matrix{a: 1, d: 1, e: 10}
	scale := matrix{a: 2, d: 2}
	if x, y := translate.then(scale).apply(1, 0); x != 22 || y != 0 {
		t.Errorf("translate.then(scale) maps (1,0) to (%v,%v), want (22,0): translate first", x, y)
	}
	if x, y := scale.then(translate).apply(1, 0); x != 12 || y != 0 {
		t.Errorf("scale.then(translate) maps (1,0) to (%v,%v), want (12,0)", x, y)
	}
	if identity.then(scale) != scale || scale.then(identity) != scale {
		t.Error("identity is not neutral for then")
	}

	for _, s := range []string{
		"translate(3 -7)",
		"scale(2 0.5)",
		"rotate(33 4 5)",
		"matrix(1 2 3 4 5 6)",
		"skewX(20) translate(1 2) scale(3)",
		"scale(-1 1)",
		"scale(1e-3)",
	} {
		m, err := parseTransform(s)
		if err != nil {
			t.Fatal(err)
		}
		inv, ok := m.invert()
		if !ok {
			t.Errorf("%s: not invertible", s)
			continue
		}
		if !unitNearMatrix(m.then(inv), identity, 1e-9) || !unitNearMatrix(inv.then(m), identity, 1e-9) {
			t.Errorf("%s: m.then(inv) = %+v, inv.then(m) = %+v, want the identity", s, m.then(inv), inv.then(m))
		}
		x, y := m.apply(1.5, -2.5)
		if bx, by := inv.apply(x, y); !unitNear(bx, 1.5, 1e-9) || !unitNear(by, -2.5, 1e-9) {
			t.Errorf("%s: round trip of (1.5,-2.5) gives (%v,%v)", s, bx, by)
		}
	}

	for _, m := range []matrix{
		{},                       // all zero
		{a: 0, d: 1},             // scale(0 1)
		{a: 1, b: 2, c: 2, d: 4}, // rows proportional
		{a: math.NaN(), d: 1},
		{a: math.Inf(1), d: 1},
	} {
		if inv, ok := m.invert(); ok {
			t.Errorf("invert(%+v) = %+v, want !ok", m, inv)
		}
	}
}

// TestMatrixScale checks which transforms a stroke can be drawn under:
// lengths must scale the same in every direction.
func TestMatrixScale(t *testing.T) {
	tests := []struct {
		s     string
		scale float64
		ok    bool
	}{
		{"", 1, true},
		{"translate(5 6)", 1, true},
		{"scale(2)", 2, true},
		{"rotate(30) scale(2)", 2, true},
		{"rotate(77 3 4)", 1, true},
		{"scale(-1 1)", 1, true}, // a mirror keeps lengths
		{"scale(-3)", 3, true},
		{"matrix(0 1 -1 0 0 0)", 1, true},
		{"scale(2 3)", math.Sqrt(6), false},
		{"skewX(10)", 1, false},
		{"skewY(10)", 1, false},
		{"scale(1 1.001)", math.Sqrt(1.001), false},
	}
	for _, tt := range tests {
		m, err := parseTransform(tt.s)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := m.scale()
		if ok != tt.ok || !unitNear(s, tt.scale, 1e-9) {
			t.Errorf("scale of %q = %v, %v; want %v, %v", tt.s, s, ok, tt.scale, tt.ok)
		}
	}
}

// TestNumberList covers the separators viewBox, points and dash arrays
// are written with.
func TestNumberList(t *testing.T) {
	tests := []struct {
		s    string
		want []float64
	}{
		{"", nil},
		{"0 0 800 400", []float64{0, 0, 800, 400}},
		{"1,2 3", []float64{1, 2, 3}},
		{"1-2", []float64{1, -2}},
		{" 1.5.5 ", []float64{1.5, 0.5}},
		{"1e2,-3e-1", []float64{100, -0.3}},
	}
	for _, tt := range tests {
		got, err := numberList(tt.s)
		if err != nil {
			t.Errorf("numberList(%q): %v", tt.s, err)
			continue
		}
		if len(got) != len(tt.want) {
			t.Errorf("numberList(%q) = %v, want %v", tt.s, got, tt.want)
			continue
		}
		for i := range got {
			if !unitNear(got[i], tt.want[i], 1e-12) {
				t.Errorf("numberList(%q) = %v, want %v", tt.s, got, tt.want)
				break
			}
		}
	}
	for _, s := range []string{"a", "1 b", "1px", "NaN", "Inf", "1e999"} {
		if got, err := numberList(s); err == nil {
			t.Errorf("numberList(%q) = %v, want an error", s, got)
		}
	}
}
