package svgraster

import (
	"fmt"
	"math"
	"strings"
)

// matrix is an affine transform: x' = a·x + c·y + e, y' = b·x + d·y + f,
// the six numbers of SVG's matrix(a b c d e f).
type matrix struct{ a, b, c, d, e, f float64 }

var identity = matrix{a: 1, d: 1}

// then returns the transform that applies m first and n after it.
func (m matrix) then(n matrix) matrix {
	return matrix{
		a: n.a*m.a + n.c*m.b,
		b: n.b*m.a + n.d*m.b,
		c: n.a*m.c + n.c*m.d,
		d: n.b*m.c + n.d*m.d,
		e: n.a*m.e + n.c*m.f + n.e,
		f: n.b*m.e + n.d*m.f + n.f,
	}
}

func (m matrix) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

func (m matrix) det() float64 { return m.a*m.d - m.b*m.c }

func (m matrix) invert() (matrix, bool) {
	det := m.det()
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return matrix{}, false
	}
	return matrix{
		a: m.d / det, b: -m.b / det,
		c: -m.c / det, d: m.a / det,
		e: (m.c*m.f - m.d*m.e) / det,
		f: (m.b*m.e - m.a*m.f) / det,
	}, true
}

// scale is how much m stretches lengths, for a transform that keeps
// shapes (translate, rotate, uniform scale); ok is false when it does not.
func (m matrix) scale() (s float64, ok bool) {
	sx := math.Hypot(m.a, m.b)
	sy := math.Hypot(m.c, m.d)
	dot := m.a*m.c + m.b*m.d
	ok = math.Abs(sx-sy) <= 1e-6*math.Max(sx, sy) && math.Abs(dot) <= 1e-6*sx*sy
	return math.Sqrt(math.Abs(m.det())), ok
}

// parseTransform reads an SVG transform list such as
// "translate(8 48) rotate(30) scale(2)". The list applies right to left:
// the last transform is applied to the shape first.
func parseTransform(s string) (matrix, error) {
	m := identity
	rest := strings.TrimSpace(s)
	for rest != "" {
		open := strings.IndexByte(rest, '(')
		end := strings.IndexByte(rest, ')')
		if open < 0 || end < open {
			return identity, fmt.Errorf("transform %q: expected name(numbers)", s)
		}
		name := strings.TrimSpace(rest[:open])
		args, err := numberList(rest[open+1 : end])
		if err != nil {
			return identity, fmt.Errorf("transform %q: %w", s, err)
		}
		rest = strings.TrimLeft(rest[end+1:], " \t\r\n,")
		var t matrix
		switch {
		case name == "matrix" && len(args) == 6:
			t = matrix{args[0], args[1], args[2], args[3], args[4], args[5]}
		case name == "translate" && len(args) == 1:
			t = matrix{a: 1, d: 1, e: args[0]}
		case name == "translate" && len(args) == 2:
			t = matrix{a: 1, d: 1, e: args[0], f: args[1]}
		case name == "scale" && len(args) == 1:
			t = matrix{a: args[0], d: args[0]}
		case name == "scale" && len(args) == 2:
			t = matrix{a: args[0], d: args[1]}
		case name == "rotate" && (len(args) == 1 || len(args) == 3):
			sin, cos := math.Sincos(args[0] * math.Pi / 180)
			t = matrix{a: cos, b: sin, c: -sin, d: cos}
			if len(args) == 3 {
				cx, cy := args[1], args[2]
				t = matrix{a: 1, d: 1, e: -cx, f: -cy}.then(t).then(matrix{a: 1, d: 1, e: cx, f: cy})
			}
		case name == "skewX" && len(args) == 1:
			t = matrix{a: 1, c: math.Tan(args[0] * math.Pi / 180), d: 1}
		case name == "skewY" && len(args) == 1:
			t = matrix{a: 1, b: math.Tan(args[0] * math.Pi / 180), d: 1}
		default:
			return identity, fmt.Errorf("transform %q: %s with %d numbers is not supported", s, name, len(args))
		}
		m = t.then(m)
	}
	return m, nil
}

// numberList reads numbers separated by spaces and/or commas.
func numberList(s string) ([]float64, error) {
	var out []float64
	sc := scanner{s: s}
	for {
		sc.skipSeparators()
		if sc.done() {
			return out, nil
		}
		v, err := sc.number()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}
