package svgraster

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
)

// unitSeg is one segment of a parsed path, for comparing whole paths in
// tables.
type unitSeg struct {
	kind segKind
	pts  []float64
}

func (s unitSeg) String() string {
	name := [...]string{"M", "L", "Q", "C", "Z"}[s.kind]
	return fmt.Sprint(name, s.pts)
}

func unitSegments(p *path) []unitSeg {
	var out []unitSeg
	p.each(func(k segKind, pts []float64) {
		out = append(out, unitSeg{k, slices.Clone(pts)})
	})
	return out
}

func unitM(x, y float64) unitSeg { return unitSeg{segMove, []float64{x, y}} }
func unitL(x, y float64) unitSeg { return unitSeg{segLine, []float64{x, y}} }
func unitQ(x1, y1, x, y float64) unitSeg {
	return unitSeg{segQuad, []float64{x1, y1, x, y}}
}
func unitC(x1, y1, x2, y2, x, y float64) unitSeg {
	return unitSeg{segCube, []float64{x1, y1, x2, y2, x, y}}
}

var unitZ = unitSeg{segClose, []float64{}}

func unitSameSegments(got, want []unitSeg, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i].kind != want[i].kind || len(got[i].pts) != len(want[i].pts) {
			return false
		}
		for j := range got[i].pts {
			if math.Abs(got[i].pts[j]-want[i].pts[j]) > tol {
				return false
			}
		}
	}
	return true
}

// TestParsePath checks each command, absolute and relative, against the
// absolute segments it must produce. The relative forms are what ECharts
// writes most ("l..Z" rectangles), the absolute ones what zrender writes
// for lines and arcs.
func TestParsePath(t *testing.T) {
	tests := []struct {
		name string
		d    string
		want []unitSeg
	}{
		{"empty", "", nil},
		{"only spaces", " \t\r\n", nil},
		{"M", "M10 20", []unitSeg{unitM(10, 20)}},
		{"m at start is absolute", "m10 20", []unitSeg{unitM(10, 20)}},
		{"L", "M10 20L30 40", []unitSeg{unitM(10, 20), unitL(30, 40)}},
		{"l", "M10 20l5 -5", []unitSeg{unitM(10, 20), unitL(15, 15)}},
		{"H", "M10 20H30", []unitSeg{unitM(10, 20), unitL(30, 20)}},
		{"h", "M10 20h-5", []unitSeg{unitM(10, 20), unitL(5, 20)}},
		{"V", "M10 20V0", []unitSeg{unitM(10, 20), unitL(10, 0)}},
		{"v", "M10 20v5", []unitSeg{unitM(10, 20), unitL(10, 25)}},
		{"C", "M0 0C1 2 3 4 5 6", []unitSeg{unitM(0, 0), unitC(1, 2, 3, 4, 5, 6)}},
		{"c", "M1 1c1 2 3 4 5 6", []unitSeg{unitM(1, 1), unitC(2, 3, 4, 5, 6, 7)}},
		{"Q", "M0 0Q1 2 3 4", []unitSeg{unitM(0, 0), unitQ(1, 2, 3, 4)}},
		{"q", "M1 1q1 2 3 4", []unitSeg{unitM(1, 1), unitQ(2, 3, 4, 5)}},
		// S reflects the previous cubic's second control point about the
		// current point: (3,4) about (5,6) is (7,8).
		{"S after C", "M0 0C1 2 3 4 5 6S9 10 11 12", []unitSeg{unitM(0, 0), unitC(1, 2, 3, 4, 5, 6), unitC(7, 8, 9, 10, 11, 12)}},
		{"s after C", "M0 0C1 2 3 4 5 6s4 4 6 6", []unitSeg{unitM(0, 0), unitC(1, 2, 3, 4, 5, 6), unitC(7, 8, 9, 10, 11, 12)}},
		{"S after S", "M0 0C1 2 3 4 5 6S9 10 11 12S15 16 17 18", []unitSeg{unitM(0, 0), unitC(1, 2, 3, 4, 5, 6), unitC(7, 8, 9, 10, 11, 12), unitC(13, 14, 15, 16, 17, 18)}},
		{"s after c", "M1 1c1 2 3 4 5 6s4 4 6 6", []unitSeg{unitM(1, 1), unitC(2, 3, 4, 5, 6, 7), unitC(8, 9, 10, 11, 12, 13)}},
		// Without a cubic before it, S's first control point is the
		// current point.
		{"S first", "M0 0S3 4 5 6", []unitSeg{unitM(0, 0), unitC(0, 0, 3, 4, 5, 6)}},
		{"S after L", "M0 0L1 1S3 4 5 6", []unitSeg{unitM(0, 0), unitL(1, 1), unitC(1, 1, 3, 4, 5, 6)}},
		{"S after Q", "M0 0Q1 1 2 2S5 5 6 6", []unitSeg{unitM(0, 0), unitQ(1, 1, 2, 2), unitC(2, 2, 5, 5, 6, 6)}},
		{"T after Q", "M0 0Q1 2 3 4T7 8", []unitSeg{unitM(0, 0), unitQ(1, 2, 3, 4), unitQ(5, 6, 7, 8)}},
		{"t after Q", "M0 0Q1 2 3 4t4 4", []unitSeg{unitM(0, 0), unitQ(1, 2, 3, 4), unitQ(5, 6, 7, 8)}},
		// A second T reflects the first T's (implied) control point.
		{"T after T", "M0 0Q1 2 3 4T7 8T11 12", []unitSeg{unitM(0, 0), unitQ(1, 2, 3, 4), unitQ(5, 6, 7, 8), unitQ(9, 10, 11, 12)}},
		{"T first", "M0 0T5 6", []unitSeg{unitM(0, 0), unitQ(0, 0, 5, 6)}},
		{"T after C", "M0 0C1 1 2 2 3 3T5 5", []unitSeg{unitM(0, 0), unitC(1, 1, 2, 2, 3, 3), unitQ(3, 3, 5, 5)}},
		{"Z", "M1 1L5 1L5 5Z", []unitSeg{unitM(1, 1), unitL(5, 1), unitL(5, 5), unitZ}},
		// After Z the current point is the subpath's start again.
		{"z then l", "M1 1L5 1zl2 3", []unitSeg{unitM(1, 1), unitL(5, 1), unitZ, unitL(3, 4)}},
		{"Z then m", "M1 1L5 1Zm1 1", []unitSeg{unitM(1, 1), unitL(5, 1), unitZ, unitM(2, 2)}},
		{"second subpath start", "M1 1L2 2M10 10L11 11zl1 0", []unitSeg{unitM(1, 1), unitL(2, 2), unitM(10, 10), unitL(11, 11), unitZ, unitL(11, 10)}},
		{"relative m after subpath", "M1 1L5 5m1 1", []unitSeg{unitM(1, 1), unitL(5, 5), unitM(6, 6)}},
		{"ZZ", "M0 0L1 0ZZ", []unitSeg{unitM(0, 0), unitL(1, 0), unitZ, unitZ}},
		// Implicit repetition: pairs after M are lines, after m relative
		// lines, and any other command repeats itself.
		{"M pairs", "M0 0 1 1 2 2", []unitSeg{unitM(0, 0), unitL(1, 1), unitL(2, 2)}},
		{"m pairs", "m1 1 1 1 2 2", []unitSeg{unitM(1, 1), unitL(2, 2), unitL(4, 4)}},
		{"m pairs later", "M0 0m1 1 1 1", []unitSeg{unitM(0, 0), unitM(1, 1), unitL(2, 2)}},
		{"l pairs", "M1 1l1 0 0 1", []unitSeg{unitM(1, 1), unitL(2, 1), unitL(2, 2)}},
		{"H list", "M0 0H1 2 3", []unitSeg{unitM(0, 0), unitL(1, 0), unitL(2, 0), unitL(3, 0)}},
		{"v list", "M0 0v1 2", []unitSeg{unitM(0, 0), unitL(0, 1), unitL(0, 3)}},
		{"C pairs", "M0 0C1 1 2 2 3 3 4 4 5 5 6 6", []unitSeg{unitM(0, 0), unitC(1, 1, 2, 2, 3, 3), unitC(4, 4, 5, 5, 6, 6)}},
		{"q pairs", "M0 0q1 1 2 2 1 1 2 2", []unitSeg{unitM(0, 0), unitQ(1, 1, 2, 2), unitQ(3, 3, 4, 4)}},
		{"a pairs", "M0 0a0 0 0 0 0 1 0 0 0 0 0 0 0 1", []unitSeg{unitM(0, 0), unitL(1, 0), unitL(1, 1)}},
		// Compact number syntax.
		{"minus separates", "M0-7l1 0", []unitSeg{unitM(0, -7), unitL(1, -7)}},
		{"second point starts a number", "M1.5.5L2 2", []unitSeg{unitM(1.5, 0.5), unitL(2, 2)}},
		{"exponents", "M1e-3 2E2", []unitSeg{unitM(0.001, 200)}},
		{"exponent with plus", "M1e+2 0", []unitSeg{unitM(100, 0)}},
		{"leading point", "M-.5-.5", []unitSeg{unitM(-0.5, -0.5)}},
		{"leading plus", "M+1,+2", []unitSeg{unitM(1, 2)}},
		{"trailing point", "M1. 2", []unitSeg{unitM(1, 2)}},
		{"commas and spaces", " M 1 , 2 L\t3\n,\r4 ", []unitSeg{unitM(1, 2), unitL(3, 4)}},
		{"exponent then minus", "M1e2-1", []unitSeg{unitM(100, -1)}},
		{"ECharts axis line", "M100.5 84L100.5 468", []unitSeg{unitM(100.5, 84), unitL(100.5, 468)}},
		{"ECharts rect", "M0 0l784 0l0 408l-784 0Z", []unitSeg{unitM(0, 0), unitL(784, 0), unitL(784, 408), unitL(0, 408), unitZ}},
		// Arcs: only the kinds and the endpoint here; TestArc checks the
		// shape.
		{"zero radius arc is a line", "M0 0A0 5 0 0 1 10 0", []unitSeg{unitM(0, 0), unitL(10, 0)}},
		{"zero ry arc is a line", "M0 0a5 0 0 0 1 10 0", []unitSeg{unitM(0, 0), unitL(10, 0)}},
		{"arc to the current point is omitted", "M1 1A5 5 0 1 1 1 1", []unitSeg{unitM(1, 1)}},
		{"relative arc of no length is omitted", "M1 1a5 5 0 1 1 0 0L2 2", []unitSeg{unitM(1, 1), unitL(2, 2)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePath(tt.d)
			if err != nil {
				t.Fatalf("parsePath(%q): %v", tt.d, err)
			}
			if got := unitSegments(p); !unitSameSegments(got, tt.want, 1e-12) {
				t.Errorf("parsePath(%q)\n got %v\nwant %v", tt.d, got, tt.want)
			}
		})
	}
}

// TestParsePathArcSyntax checks the arc's number syntax: flags are single
// digits that need no separator, as minifiers and ECharts write them.
func TestParsePathArcSyntax(t *testing.T) {
	tests := []struct {
		d          string
		endX, endY float64
		curves     int
	}{
		{"M6.4 -3A2.4 2.4 0 1 1 6.4 -3.0002", 6.4, -3.0002, 4},
		{"M0 0A5 5 0 0110 0", 10, 0, 2},
		{"M0 0A5,5,0,0,1,10,0", 10, 0, 2},
		{"M0 0a5 5 0 1 0 10 0", 10, 0, 2},
		{"M0 0a5 5 0 1010-0", 10, 0, 2},
		{"M1 1a5 5 0 0 1 10 0", 11, 1, 2},
		{"M0 0A5 5 0 0 1 10 0 5 5 0 0 1 0 0", 0, 0, 4},
		{"M0 0A5 5 0 0 1 10 0 a5 5 0 0 1 -10 0", 0, 0, 4},
		{"M0 0A-5 -5 0 0 1 10 0", 10, 0, 2},
		{"M0 0A5 5 1e1 0 1 10 0", 10, 0, 2},
	}
	for _, tt := range tests {
		p, err := parsePath(tt.d)
		if err != nil {
			t.Errorf("parsePath(%q): %v", tt.d, err)
			continue
		}
		segs := unitSegments(p)
		if len(segs) != 1+tt.curves {
			t.Errorf("parsePath(%q): %d segments %v, want a move and %d cubics", tt.d, len(segs), segs, tt.curves)
			continue
		}
		for _, s := range segs[1:] {
			if s.kind != segCube {
				t.Errorf("parsePath(%q): segment %v, want cubics", tt.d, s)
			}
		}
		end := segs[len(segs)-1].pts
		if x, y := end[len(end)-2], end[len(end)-1]; x != tt.endX || y != tt.endY {
			t.Errorf("parsePath(%q) ends at (%v, %v), want exactly (%v, %v)", tt.d, x, y, tt.endX, tt.endY)
		}
	}
}

// TestParsePathErrors checks that bad path data is refused with a message
// (rather than drawing part of a shape), and that the message shows the
// data.
func TestParsePathErrors(t *testing.T) {
	tests := []struct {
		d       string
		mention string // a part of the message
	}{
		{"L1 1", "must start with M"},
		{"z", "must start with M"},
		{"H5", "must start with M"},
		{"1 1", "unexpected"},
		{"M1 1 X", "unexpected 'X'"},
		{"M0 0L1 1 junk", "unexpected 'j'"},
		{"M0 0L1 1#", "unexpected '#'"},
		{"M1", "expected a number"},
		{"M", "expected a number"},
		{"M1 1L2", "expected a number"},
		{"M1 1L", "expected a number"},
		{"M0 0C1 1 2 2 3", "expected a number"},
		{"M.", "expected a number"},
		{"M-", "expected a number"},
		{"M1 1L--1 0", "expected a number"},
		{"M1 1L1e 0", "expected a number"},
		{"M1e999 0", "bad number"},
		{"M1 1Z 2 2", "unexpected"},
		{"M0 0A1 1 0 2 0 1 1", "arc flag"},
		{"M0 0A1 1 0 1 .5 1 1", "arc flag"},
		{"M0 0A1 1 0 0", "arc flag"},
		{"M0 0A1 1 0 1 1", "expected a number"},
		{"M0 0A1 1", "expected a number"},
		{"M0 0 L1 1 B2 2", "unexpected 'B'"},
		{"M0 0L", "expected a number"},
	}
	for _, tt := range tests {
		p, err := parsePath(tt.d)
		if err == nil {
			t.Errorf("parsePath(%q) = %v, want an error", tt.d, unitSegments(p))
			continue
		}
		if msg := err.Error(); msg == "" || !strings.Contains(msg, tt.mention) || !strings.Contains(msg, "path data") {
			t.Errorf("parsePath(%q) error %q, want one mentioning %q", tt.d, msg, tt.mention)
		}
	}
}

// unitCubic evaluates a cubic Bézier at t.
func unitCubic(x0, y0 float64, c []float64, t float64) (float64, float64) {
	mt := 1 - t
	a, b, cc, d := mt*mt*mt, 3*mt*mt*t, 3*mt*t*t, t*t*t
	return a*x0 + b*c[0] + cc*c[2] + d*c[4], a*y0 + b*c[1] + cc*c[3] + d*c[5]
}

// unitSample returns points along every segment of p (which must be a
// move followed by lines and cubics), several per curve.
func unitSample(t *testing.T, p *path) [][2]float64 {
	t.Helper()
	var out [][2]float64
	var cx, cy float64
	p.each(func(k segKind, pts []float64) {
		switch k {
		case segMove:
			cx, cy = pts[0], pts[1]
			out = append(out, [2]float64{cx, cy})
		case segLine:
			cx, cy = pts[0], pts[1]
			out = append(out, [2]float64{cx, cy})
		case segCube:
			for i := 1; i <= 16; i++ {
				x, y := unitCubic(cx, cy, pts, float64(i)/16)
				out = append(out, [2]float64{x, y})
			}
			cx, cy = pts[4], pts[5]
		default:
			t.Fatalf("unexpected segment kind %d", k)
		}
	})
	return out
}

// unitSwept is the signed angle the points turn through around (cx, cy),
// positive in SVG's positive-angle direction (clockwise on screen).
func unitSwept(pts [][2]float64, cx, cy float64) float64 {
	total := 0.0
	for i := 1; i < len(pts); i++ {
		a0 := math.Atan2(pts[i-1][1]-cy, pts[i-1][0]-cx)
		a1 := math.Atan2(pts[i][1]-cy, pts[i][0]-cx)
		d := a1 - a0
		for d > math.Pi {
			d -= 2 * math.Pi
		}
		for d < -math.Pi {
			d += 2 * math.Pi
		}
		total += d
	}
	return total
}

// TestArcGeometry samples arcs along their cubics and checks that every
// point lies on the ellipse SVG's endpoint parameterization (appendix F.6)
// defines, and that the flags choose the right one of the four arcs.
func TestArcGeometry(t *testing.T) {
	tests := []struct {
		name   string
		d      string
		cx, cy float64 // centre of the circle or ellipse
		rx, ry float64 // radii after any scaling up (F.6.6)
		swept  float64 // signed angle from start to end
	}{
		// ECharts' "emptyCircle" symbol: an arc that almost meets itself,
		// which must come out as a full circle, not a sliver.
		{"ECharts full circle", "M6.4 -3A2.4 2.4 0 1 1 6.4 -3.0002", 4, -3.0001, 2.4, 2.4, 2 * math.Pi},
		// Radius 5 through (0,0) and (5,5): centres (5,0) and (0,5).
		{"small sweep", "M0 0A5 5 0 0 1 5 5", 0, 5, 5, 5, math.Pi / 2},
		{"small no sweep", "M0 0A5 5 0 0 0 5 5", 5, 0, 5, 5, -math.Pi / 2},
		{"large sweep", "M0 0A5 5 0 1 1 5 5", 5, 0, 5, 5, 3 * math.Pi / 2},
		{"large no sweep", "M0 0A5 5 0 1 0 5 5", 0, 5, 5, 5, -3 * math.Pi / 2},
		// Radii too small for the chord are scaled up until the arc just
		// fits: a half circle, or a half ellipse keeping rx:ry.
		{"radius scaled up", "M0 0A1 1 0 0 1 10 0", 5, 0, 5, 5, math.Pi},
		{"ellipse scaled up", "M0 0A2 1 0 0 1 10 0", 5, 0, 5, 2.5, math.Pi},
		{"large flag irrelevant when scaled", "M0 0A1 1 0 1 0 10 0", 5, 0, 5, 5, -math.Pi},
		// For a circle the rotation changes nothing.
		{"rotated circle", "M0 0A5 5 45 0 1 5 5", 0, 5, 5, 5, math.Pi / 2},
		{"relative", "M10 10a5 5 0 0 1 5 5", 10, 15, 5, 5, math.Pi / 2},
		// ECharts' pie sector outer arc: centre (400,200), radius 80.
		{"ECharts sector", "M400 120A80 80 0 1 1 352 264", 400, 200, 80, 80, math.Atan2(64, -48) + math.Pi/2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePath(tt.d)
			if err != nil {
				t.Fatal(err)
			}
			pts := unitSample(t, p)
			r := max(tt.rx, tt.ry)
			for _, q := range pts {
				// Distance in the ellipse's own scale, times the radius:
				// 0.01 of slack is well under a pixel.
				e := math.Hypot((q[0]-tt.cx)/tt.rx, (q[1]-tt.cy)/tt.ry)
				if math.Abs(e-1)*r > 0.01 {
					t.Fatalf("point (%v, %v) is %v from the centre in radii, want 1 ±%v", q[0], q[1], e, 0.01/r)
				}
			}
			// The full circle stops 0.0002 short of itself.
			if got := unitSwept(pts, tt.cx, tt.cy); math.Abs(got-tt.swept) > 1e-3 {
				t.Errorf("swept %v rad, want %v", got, tt.swept)
			}
		})
	}
}

// TestArcEndpointsExact checks that an arc ends exactly on its endpoint,
// not a rounding error away: ECharts closes sectors with Z and draws the
// next segment from there, and a gap of 1e-13 would still be a seam.
func TestArcEndpointsExact(t *testing.T) {
	tests := []struct {
		x0, y0, rx, ry, angle float64
		large, sweep          bool
		x, y                  float64
	}{
		{0, 0, 5, 5, 0, false, true, 5, 5},
		{0.1, 0.2, 3, 7, 33, true, false, 4.3, -2.9},
		{400, 120, 80, 80, 0, true, true, 383.2, 278.2},
		{383.2, 278.2, 48, 48, 0, true, false, 400, 152},
		{6.4, -3, 2.4, 2.4, 0, true, true, 6.4, -3.0002},
		{1e-3, 1e-3, 1e-4, 1e-4, 0, false, false, 2e-3, 1e-3},
		{0, 0, 1e6, 1e6, 0, false, true, 1, 0},
		{-5, 7, 1, 1, -90, false, true, 5, 7}, // scaled up
		{0, 0, 10, 2, 90, true, true, 0, 3},
	}
	for _, tt := range tests {
		p := &path{}
		p.moveTo(tt.x0, tt.y0)
		arcTo(p, tt.x0, tt.y0, tt.rx, tt.ry, tt.angle, tt.large, tt.sweep, tt.x, tt.y)
		segs := unitSegments(p)
		if len(segs) < 2 {
			t.Errorf("arc %+v: no curves", tt)
			continue
		}
		last := segs[len(segs)-1].pts
		if x, y := last[len(last)-2], last[len(last)-1]; x != tt.x || y != tt.y {
			t.Errorf("arc %+v ends at (%v, %v)", tt, x, y)
		}
		// Quarter turns at most per cubic.
		if n := len(segs) - 1; n > 4 {
			t.Errorf("arc %+v: %d cubics, want at most 4", tt, n)
		}
		for _, v := range p.pts {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("arc %+v: point %v", tt, v)
			}
		}
	}
}

// TestArcExtremeRadii checks arcs whose radii overflow or underflow when
// squared. SVG scales radii that are too small up (F.6.6), so a radius of
// 1e-200 is a half circle over the chord, not a failure.
func TestArcExtremeRadii(t *testing.T) {
	for _, d := range []string{
		"M0 0A1e-200 1e-200 0 0 1 10 0",
		"M0 0A1e-170 1e-170 0 0 1 10 0",
		"M0 0A1e-200 1 0 0 1 10 0",
	} {
		p, err := parsePath(d)
		if err != nil {
			t.Errorf("parsePath(%q): %v", d, err)
			continue
		}
		pts := unitSample(t, p)
		for _, q := range pts {
			if math.IsNaN(q[0]) || math.IsNaN(q[1]) || math.IsInf(q[0], 0) || math.IsInf(q[1], 0) {
				t.Fatalf("parsePath(%q): point %v", d, q)
			}
		}
	}
	// A radius of 1e-200 against a chord of 10 is scaled up to 5.
	p, err := parsePath("M0 0A1e-200 1e-200 0 0 1 10 0")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range unitSample(t, p) {
		if e := math.Hypot(q[0]-5, q[1]); math.Abs(e-5) > 0.01 {
			t.Fatalf("point %v is %v from (5, 0), want 5", q, e)
		}
	}
}

// TestParsePathFinite checks that path data whose numbers are each finite
// but add up to infinity (relative commands, huge radii) is refused: an
// infinite or NaN coordinate would reach the rasterizer.
func TestParsePathFinite(t *testing.T) {
	for _, d := range []string{
		"M1e308 0l1e308 0",
		"M0 -1e308v-1e308",
		"M1e308 1e308c1e308 0 0 0 0 0",
		"M0 0A1e300 1e300 0 0 1 1e300 1e300",
		"M-1e308 0A1 1 0 0 1 1e308 0",
	} {
		p, err := parsePath(d)
		if err != nil {
			continue // refusing is fine
		}
		for _, v := range p.pts {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Errorf("parsePath(%q) = %v, with a point that is not finite", d, unitSegments(p))
				break
			}
		}
	}
}

// TestPathHelpers covers transformed and bounds, which the canvas uses to
// place each shape.
func TestPathHelpers(t *testing.T) {
	p, err := parsePath("M1 2L3 -4Q5 6 7 8C-9 1 2 3 4 5Z")
	if err != nil {
		t.Fatal(err)
	}
	x0, y0, x1, y1 := p.bounds()
	if x0 != -9 || y0 != -4 || x1 != 7 || y1 != 8 {
		t.Errorf("bounds = %v %v %v %v", x0, y0, x1, y1)
	}
	q := p.transformed(matrix{a: 2, d: 3, e: 1, f: -1})
	want := []unitSeg{unitM(3, 5), unitL(7, -13), unitQ(11, 17, 15, 23), unitC(-17, 2, 5, 8, 9, 14), unitZ}
	if got := unitSegments(q); !unitSameSegments(got, want, 0) {
		t.Errorf("transformed = %v, want %v", got, want)
	}
	// The original is left alone.
	if got := unitSegments(p); got[0].pts[0] != 1 {
		t.Errorf("transformed changed its source: %v", got)
	}
	var empty path
	if !empty.empty() {
		t.Error("empty path not empty")
	}
	if x0, _, _, _ := empty.bounds(); !math.IsInf(x0, 1) {
		t.Errorf("bounds of the empty path start at %v, want +Inf", x0)
	}
}
