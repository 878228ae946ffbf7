package svgraster

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// unitCanvas is a w×h canvas over a background that is not plain (a
// gradient of translucent premultiplied pixels), so that blending
// arithmetic shows.
func unitCanvas(w, h int) *canvas {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(100 + 2*x + y)
			img.SetRGBA(x, y, color.RGBA{a / 2, a / 3, a, a})
		}
	}
	return &canvas{img: img}
}

func unitMustPath(t *testing.T, d string) *path {
	t.Helper()
	p, err := parsePath(d)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// unitDiff returns the first pixel where a and b differ by more than tol
// in a channel.
func unitDiff(a, b *image.RGBA, tol int) (image.Point, color.RGBA, color.RGBA, bool) {
	for y := a.Rect.Min.Y; y < a.Rect.Max.Y; y++ {
		for x := a.Rect.Min.X; x < a.Rect.Max.X; x++ {
			ca, cb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			for _, d := range []int{int(ca.R) - int(cb.R), int(ca.G) - int(cb.G), int(ca.B) - int(cb.B), int(ca.A) - int(cb.A)} {
				if d > tol || d < -tol {
					return image.Pt(x, y), ca, cb, true
				}
			}
		}
	}
	return image.Point{}, color.RGBA{}, color.RGBA{}, false
}

// TestFillRectMatchesRasterizer checks the fast path for axis-aligned
// rectangles against x/image/vector, which draws everything else: a bar
// must look the same whether it went one way or the other (and golden
// images were made with both).
func TestFillRectMatchesRasterizer(t *testing.T) {
	rects := []struct{ x0, y0, x1, y1 float64 }{
		{2, 3, 20, 15},
		{2.3, 4.7, 17.25, 9.5},
		{5.2, 5.2, 5.6, 5.9}, // inside one pixel
		{10.5, 0, 10.75, 48}, // a hairline
		{-3.5, -2.25, 10.5, 8.75},
		{50.5, 30.2, 80, 60},
		{-100, -100, 200, 200}, // the whole canvas
		{-10, -10, -5, -5},     // off the canvas
		{0.125, 0.875, 63.875, 47.125},
	}
	colors := []struct {
		name string
		c    color.NRGBA
		op   float64
	}{
		{"opaque", color.NRGBA{200, 30, 90, 255}, 1},
		{"translucent", color.NRGBA{0, 128, 255, 128}, 1},
		{"opacity", color.NRGBA{10, 250, 40, 255}, 0.3},
	}
	for _, r := range rects {
		w, h := r.x1-r.x0, r.y1-r.y0
		// Each outline ECharts or the shape code may produce for it.
		fast := map[string]string{
			"clockwise":       fmt.Sprintf("M%v %vH%v V%v H%v Z", r.x0, r.y0, r.x1, r.y1, r.x0),
			"anticlockwise":   fmt.Sprintf("M%v %vV%v H%v V%v Z", r.x0, r.y0, r.y1, r.x1, r.y0),
			"from far corner": fmt.Sprintf("M%v %vL%v %v L%v %v L%v %v Z", r.x1, r.y1, r.x0, r.y1, r.x0, r.y0, r.x1, r.y0),
			"l..Z":            fmt.Sprintf("M%v %vl%v 0l0 %vl%v 0Z", r.x0, r.y0, w, h, -w),
			"fifth point":     fmt.Sprintf("M%v %vL%v %v L%v %v L%v %v L%v %v Z", r.x0, r.y0, r.x1, r.y0, r.x1, r.y1, r.x0, r.y1, r.x0, r.y0),
		}
		// The same rectangle with a repeated corner is no longer one
		// rect() recognizes, so it takes the rasterizer.
		slow := unitMustPath(t, fmt.Sprintf("M%v %vL%v %v L%v %v L%v %v L%v %v Z", r.x0, r.y0, r.x1, r.y0, r.x1, r.y0, r.x1, r.y1, r.x0, r.y1))
		if _, _, _, _, ok := slow.rect(); ok {
			t.Fatal("the reference path was taken for a rectangle")
		}
		for name, d := range fast {
			p := unitMustPath(t, d)
			x0, y0, x1, y1, ok := p.rect()
			if name != "l..Z" && (!ok || x0 != r.x0 || y0 != r.y0 || x1 != r.x1 || y1 != r.y1) {
				// "l..Z" may miss by rounding (x0+w-w), which is fine: it
				// then takes the rasterizer, compared all the same.
				t.Errorf("%v %s: rect() = %v %v %v %v %v", r, name, x0, y0, x1, y1, ok)
			}
			for _, col := range colors {
				want := unitCanvas(64, 48)
				want.fill(slow, uniform(col.c, col.op), true)
				got := unitCanvas(64, 48)
				got.fill(p, uniform(col.c, col.op), true)
				if at, g, w, bad := unitDiff(got.img, want.img, 1); bad {
					t.Errorf("%v %s %s: pixel %v = %v, rasterizer has %v", r, name, col.name, at, g, w)
				}
			}
		}
	}
}

// TestRectRecognition checks which outlines take the fast path: only a
// single axis-aligned rectangle.
func TestRectRecognition(t *testing.T) {
	tests := []struct {
		d  string
		ok bool
	}{
		{"M0 0l10 0l0 5l-10 0Z", true},
		{"M0 0l10 0l0 5l-10 0l0 -5Z", true},
		{"M0 0H10V5H0Z", true},
		{"M0 0V5H10V0Z", true},
		{"M0 0H10V5H0", false},         // not closed (filled the same, but not recognized)
		{"M0 0H10V5H1Z", false},        // a trapezoid
		{"M0 0L10 1L10 5L0 5Z", false}, // slanted edge
		{"M0 0H10V5H0L0 1Z", false},    // fifth point elsewhere
		{"M0 0H10V5H0ZM20 0H30V5H20Z", false},
		{"M0 0H10V5H0V0H5Z", false},
		{"M0 0Q5 0 10 0V5H0Z", false},
		// Six segments ending "L..Z" but with closes before: the fifth
		// point is not where it would be (this used to index out of
		// range).
		{"M0 0ZZZL1 1Z", false},
		{"M0 0ZZZL0 0Z", false},
		{"M0 0C1 1 2 2 3 3ZL0 0Z", false},
	}
	for _, tt := range tests {
		if _, _, _, _, ok := unitMustPath(t, tt.d).rect(); ok != tt.ok {
			t.Errorf("rect(%q) ok = %v, want %v", tt.d, ok, tt.ok)
		}
	}
}

// unitAlpha returns the alpha channel of c's image at (x, y).
func unitAlpha(c *canvas, x, y int) uint8 { return c.img.RGBAAt(x, y).A }

// unitStroke strokes d, width wide, onto a clear 64×48 canvas in black.
func unitStroke(t *testing.T, d string, width float64, st style) *canvas {
	t.Helper()
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, 64, 48))}
	outline, err := strokeOutline(unitMustPath(t, d), width, st, 1)
	if err != nil {
		t.Fatal(err)
	}
	c.fill(outline, image.NewUniform(color.Black), false)
	return c
}

// TestStrokeCaps checks a horizontal line's stroke pixel by pixel: butt
// caps end at the endpoints, square caps half a width beyond, round caps
// partly cover the pixels there.
func TestStrokeCaps(t *testing.T) {
	const full, empty = 250, 5
	butt := defaultStyle()
	c := unitStroke(t, "M10 10L20 10", 2, butt)
	for y := 7; y <= 12; y++ {
		for x := 7; x <= 23; x++ {
			a := unitAlpha(c, x, y)
			inside := x >= 10 && x < 20 && y >= 9 && y < 11
			if inside && a < full || !inside && a > empty {
				t.Errorf("butt: pixel (%d,%d) alpha %d, want it %s", x, y, a, map[bool]string{true: "covered", false: "clear"}[inside])
			}
		}
	}

	square := defaultStyle()
	square.lineCap = "square"
	c = unitStroke(t, "M10 10L20 10", 2, square)
	for _, x := range []int{9, 20} {
		if a := unitAlpha(c, x, 9); a < full {
			t.Errorf("square: pixel (%d,9) alpha %d, want covered", x, a)
		}
	}
	for _, x := range []int{8, 21} {
		if a := unitAlpha(c, x, 9); a > empty {
			t.Errorf("square: pixel (%d,9) alpha %d, want clear", x, a)
		}
	}

	round := defaultStyle()
	round.lineCap = "round"
	c = unitStroke(t, "M10 10L20 10", 2, round)
	for _, p := range []image.Point{{9, 9}, {9, 10}, {20, 9}, {20, 10}} {
		// A quarter of a unit disc: about 78% of the pixel.
		if a := unitAlpha(c, p.X, p.Y); a < 150 || a > 230 {
			t.Errorf("round: pixel %v alpha %d, want a quarter disc (~200)", p, a)
		}
	}
	for _, p := range []image.Point{{8, 9}, {21, 10}, {9, 8}} {
		if a := unitAlpha(c, p.X, p.Y); a > empty {
			t.Errorf("round: pixel %v alpha %d, want clear", p, a)
		}
	}
	for x := 10; x < 20; x++ {
		if a := unitAlpha(c, x, 9); a < full {
			t.Errorf("round: pixel (%d,9) alpha %d, want covered", x, a)
		}
	}
}

// TestStrokeJoins checks the corner of an L-shaped polyline 4 wide: the
// join square is filled without a gap, and the outer corner pixel is
// covered by a miter, cut off by a bevel and rounded by a round join.
func TestStrokeJoins(t *testing.T) {
	const d = "M10 30L30 30L30 10" // the corner is at (30, 30); outer corner (32, 32)
	tests := []struct {
		join         string
		cornerLo     uint8 // alpha range of pixel (31, 31)
		cornerHi     uint8
		beside       uint8 // minimum alpha of (30, 31) and (31, 30)
		besideCapped uint8 // maximum alpha of them
	}{
		{"miter", 250, 255, 250, 255},
		{"bevel", 0, 5, 100, 160},    // the bevel x+y=62 halves them
		{"round", 60, 240, 200, 250}, // (31,32) is outside the radius
	}
	for _, tt := range tests {
		st := defaultStyle()
		st.lineJoin = tt.join
		c := unitStroke(t, d, 4, st)
		// Both legs and the inside of the corner.
		for y := 28; y < 32; y++ {
			for x := 12; x < 30; x++ {
				if a := unitAlpha(c, x, y); a < 250 {
					t.Errorf("%s: horizontal leg pixel (%d,%d) alpha %d", tt.join, x, y, a)
				}
			}
		}
		for y := 12; y < 30; y++ {
			for x := 28; x < 32; x++ {
				if a := unitAlpha(c, x, y); a < 250 {
					t.Errorf("%s: vertical leg pixel (%d,%d) alpha %d", tt.join, x, y, a)
				}
			}
		}
		for _, p := range []image.Point{{28, 28}, {29, 29}, {30, 30}, {28, 31}, {31, 28}} {
			if a := unitAlpha(c, p.X, p.Y); a < 250 {
				t.Errorf("%s: join pixel %v alpha %d, want covered", tt.join, p, a)
			}
		}
		if a := unitAlpha(c, 31, 31); a < tt.cornerLo || a > tt.cornerHi {
			t.Errorf("%s: corner pixel (31,31) alpha %d, want %d–%d", tt.join, a, tt.cornerLo, tt.cornerHi)
		}
		for _, p := range []image.Point{{30, 31}, {31, 30}} {
			if a := unitAlpha(c, p.X, p.Y); a < tt.beside || a > tt.besideCapped {
				t.Errorf("%s: pixel %v alpha %d, want %d–%d", tt.join, p, a, tt.beside, tt.besideCapped)
			}
		}
		// Nothing beyond the miter.
		if a := unitAlpha(c, 32, 32); a > 5 {
			t.Errorf("%s: pixel (32,32) alpha %d, want clear", tt.join, a)
		}
	}
}

// TestStrokeDashes checks dashing, its scaling with the transform and the
// dash offset, including SVG's negative offsets, which shift the pattern
// the other way.
func TestStrokeDashes(t *testing.T) {
	tests := []struct {
		name    string
		dashes  []float64
		offset  float64
		scale   float64
		covered string // pixels 10–33 of the row, # covered . clear
	}{
		{"4 4", []float64{4, 4}, 0, 1, "####....####....####...."},
		{"scaled", []float64{2, 2}, 0, 2, "####....####....####...."},
		{"offset", []float64{4, 4}, 2, 1, "##....####....####....##"},
		{"negative offset", []float64{4, 4}, -2, 1, "..####....####....####.."},
		{"offset past a period", []float64{4, 4}, 10, 1, "##....####....####....##"},
		{"uneven", []float64{6, 2}, 0, 1, "######..######..######.."},
	}
	for _, tt := range tests {
		st := defaultStyle()
		st.dashes = tt.dashes
		st.dashOffset = tt.offset
		c := &canvas{img: image.NewRGBA(image.Rect(0, 0, 64, 48))}
		outline, err := strokeOutline(unitMustPath(t, "M10 10L34 10"), 2, st, tt.scale)
		if err != nil {
			t.Fatal(err)
		}
		c.fill(outline, image.NewUniform(color.Black), false)
		got := make([]byte, 24)
		for i := range got {
			switch a := unitAlpha(c, 10+i, 9); {
			case a >= 250:
				got[i] = '#'
			case a <= 5:
				got[i] = '.'
			default:
				got[i] = '?'
			}
		}
		if string(got) != tt.covered {
			t.Errorf("%s: row %s, want %s", tt.name, got, tt.covered)
		}
	}
}

// TestPatternFillRepeats fills the canvas with a decal-like pattern under
// a rotated patternTransform and checks that it repeats: the tile is
// 10×5 and turned by the angle of a 3-4-5 triangle, so its periods are
// the whole-pixel vectors (8, 6) and (-3, 4). x="0.25" y="0.25" keep
// pixel centres off the tile's edges, where rounding would decide.
func TestPatternFillRepeats(t *testing.T) {
	body := `<defs><pattern id="p" patternUnits="userSpaceOnUse" x="0.25" y="0.25" width="10" height="5" patternTransform="rotate(36.86989764584402)">
<rect width="5" height="5" fill="#f00"/><rect x="5" width="5" height="2" fill="#00f"/><rect x="5" y="2" width="5" height="3" fill="#0f0"/>
</pattern></defs>
<rect width="64" height="48" fill="#fff"/><rect x="0" y="0" width="64" height="48" fill="url(#p)"/>`
	img, err := unitShapeRasterizer(t).Render(unitSVG(body), 1)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[color.RGBA]int{}
	for y := range 48 {
		for x := range 64 {
			c := img.RGBAAt(x, y)
			seen[c]++
			for _, d := range []image.Point{{8, 6}, {-3, 4}, {5, 10}} {
				q := image.Pt(x+d.X, y+d.Y)
				if !q.In(img.Rect) {
					continue
				}
				if c2 := img.RGBAAt(q.X, q.Y); c2 != c {
					t.Fatalf("pixel (%d,%d) = %v but (%d,%d) one period on = %v", x, y, c, q.X, q.Y, c2)
				}
			}
		}
	}
	for _, c := range []color.RGBA{{255, 0, 0, 255}, {0, 0, 255, 255}, {0, 255, 0, 255}} {
		if seen[c] < 100 {
			t.Errorf("colour %v covers %d pixels, want the tile's share", c, seen[c])
		}
	}
	if len(seen) != 3 {
		t.Errorf("%d colours, want the tile's 3: %v", len(seen), seen)
	}
}

// TestPatternOpacity checks that a pattern fill at opacity 0.5 over white
// blends each tile pixel the way a uniform fill would.
func TestPatternOpacity(t *testing.T) {
	body := `<pattern id="p" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="#000"/></pattern>
<rect width="64" height="48" fill="#fff"/><rect width="64" height="40" fill="url(#p)" fill-opacity="0.5"/><rect x="0" y="40" width="64" height="8" fill="#000" fill-opacity="0.5"/>`
	img, err := unitShapeRasterizer(t).Render(unitSVG(body), 1)
	if err != nil {
		t.Fatal(err)
	}
	p, u := img.RGBAAt(10, 10), img.RGBAAt(10, 44)
	if d := int(p.R) - int(u.R); d < -1 || d > 1 || p.A != 255 || p.R < 126 || p.R > 129 {
		t.Errorf("pattern at half opacity gives %v, a uniform fill %v", p, u)
	}
}

// TestPatternRecursion checks that a pattern which (directly or through
// another) fills with itself is an error, not an endless recursion that
// overflows the stack and kills the process.
func TestPatternRecursion(t *testing.T) {
	for _, body := range []string{
		`<pattern id="p" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="url(#p)"/></pattern>
<rect width="10" height="10" fill="url(#p)"/>`,
		`<pattern id="a" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="url(#b)"/></pattern>
<pattern id="b" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="scale(0.5)"><rect width="4" height="4" stroke="url(#a)"/></pattern>
<rect width="10" height="10" fill="url(#a)"/>`,
	} {
		_, err := unitShapeRasterizer(t).Render(unitSVG(body), 1)
		if err == nil {
			t.Errorf("no error for %s", body)
		}
	}
	// A pattern used twice, or inside another pattern, is fine.
	ok := `<pattern id="a" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="2" height="2" fill="red"/></pattern>
<pattern id="b" patternUnits="userSpaceOnUse" width="8" height="8"><rect width="8" height="8" fill="url(#a)"/></pattern>
<rect width="10" height="10" fill="url(#a)"/><rect x="20" width="10" height="10" fill="url(#b)"/><rect x="40" width="10" height="10" fill="url(#a)"/>`
	img, err := unitShapeRasterizer(t).Render(unitSVG(ok), 1)
	if err != nil {
		t.Fatal(err)
	}
	if img.RGBAAt(21, 1) != img.RGBAAt(1, 1) || img.RGBAAt(1, 1) != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("nested pattern pixel %v, direct %v, want red", img.RGBAAt(21, 1), img.RGBAAt(1, 1))
	}
}

// TestPatternHugeTile checks that a pattern whose tile would be enormous at
// device resolution is refused before any allocation: the pixel count is
// checked in floating point, where it cannot overflow.
func TestPatternHugeTile(t *testing.T) {
	for _, size := range []string{"1e5", "1e10", "3e9", "1e300"} {
		body := `<pattern id="p" patternUnits="userSpaceOnUse" width="` + size + `" height="` + size + `"><rect width="4" height="4" fill="red"/></pattern><rect width="10" height="10" fill="url(#p)"/>`
		if _, err := unitShapeRasterizer(t).Render(unitSVG(body), 1); err == nil {
			t.Errorf("pattern %s×%s: no error", size, size)
		}
	}
}

// TestGroupOpacity checks that a group's opacity applies to the group as
// drawn: two overlapping opaque squares in a group at 0.5 give one layer
// of 50%, not 75% where they overlap.
func TestGroupOpacity(t *testing.T) {
	body := `<rect width="64" height="48" fill="#fff"/><g opacity="0.5"><rect width="20" height="20" fill="#000"/><rect x="10" width="20" height="20" fill="#000"/></g>`
	img, err := unitShapeRasterizer(t).Render(unitSVG(body), 1)
	if err != nil {
		t.Fatal(err)
	}
	a, b := img.RGBAAt(5, 5), img.RGBAAt(15, 5)
	if a != b || a.R < 126 || a.R > 129 {
		t.Errorf("single %v, overlap %v, want both mid grey", a, b)
	}
}

// TestPatternFillCoversShape fills a wide shape and then narrow ones with
// a solid pattern on the same canvas, which reuses the coverage mask at
// different widths: every pixel inside each shape must be painted, and
// none outside.
func TestPatternFillCoversShape(t *testing.T) {
	svg := `<svg width="300" height="60" xmlns="http://www.w3.org/2000/svg">
<pattern id="p" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="#00f"/></pattern>
<rect x="0" y="0" width="300" height="20" fill="url(#p)"/>
<rect x="5" y="25" width="10" height="10" fill="url(#p)"/>
<path d="M20 25h30v30h-30z" fill="url(#p)"/>
<circle cx="100" cy="40" r="12" fill="url(#p)"/>
</svg>`
	img, err := unitShapeRasterizer(t).Render([]byte(svg), 1)
	if err != nil {
		t.Fatal(err)
	}
	blue := color.RGBA{0, 0, 255, 255}
	inside := func(x, y int) bool {
		return y < 20 || x >= 5 && x < 15 && y >= 25 && y < 35 || x >= 20 && x < 50 && y >= 25 && y < 55
	}
	for y := range 60 {
		for x := range 80 {
			c := img.RGBAAt(x, y)
			if inside(x, y) && c != blue || !inside(x, y) && c.A != 0 {
				t.Fatalf("pixel (%d,%d) = %v, inside %v", x, y, c, inside(x, y))
			}
		}
	}
	// The circle's centre rows.
	for x := 90; x < 110; x++ {
		if c := img.RGBAAt(x, 40); c != blue {
			t.Fatalf("circle pixel (%d,40) = %v", x, c)
		}
	}
}

// unitRasterize draws p (already in the mask's coordinates) onto a clear
// w×h image through edges, clipping or not.
func unitRasterize(p *path, w, h int, clip bool) *image.RGBA {
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	c.ras.Reset(w, h)
	c.ras.DrawOp = draw.Over
	e := edges{ras: &c.ras, w: float64(w), h: float64(h), clip: clip}
	var fx, fy float64
	p.each(func(k segKind, pts []float64) {
		switch k {
		case segMove:
			fx, fy = pts[0], pts[1]
			e.moveTo(fx, fy)
		case segLine:
			e.lineTo(pts[0], pts[1])
		case segQuad:
			e.quadTo(pts[0], pts[1], pts[2], pts[3])
		case segCube:
			e.cubeTo(pts[0], pts[1], pts[2], pts[3], pts[4], pts[5])
		case segClose:
			e.lineTo(fx, fy)
		}
	})
	c.ras.Draw(c.img, c.img.Rect, image.NewUniform(color.Black), image.Point{})
	return c.img
}

// TestClippedFillMatches checks the clipping of shapes that reach beyond
// the mask: clipped, they must come out as vector draws them unclipped
// (which it can for these, whose coordinates are in the hundreds). The
// masks are 64×48, where vector uses fixed-point math, and 600×48, where
// it uses floating point. Clipped curves are flattened in float64 rather
// than vector's float32; the fixed-point rasterizer rounds its way along
// each edge from where it starts, which clipping moves.
func TestClippedFillMatches(t *testing.T) {
	shapes := []string{
		"M130 120m-60 0a60 60 0 1 0 120 0a60 60 0 1 0 -120 0Z",                           // circle
		"M130 20L150 100L230 110L160 150L180 230L130 170L80 230L100 150L30 110L110 100Z", // star
		"M20 20C300 0 0 300 280 280Q150 290 20 20Z",                                      // curves across
		"M95 95L290 97L105 146Z",                                                         // thin sliver
		"M99.5 99.5h200v0.75h-200zM99.5 160h70v70h-70z",                                  // two subpaths, one outside
		"M10 10L290 10L290 290L10 290ZM120 110L120 130L140 130L140 110Z",                 // hole (opposite winding)
	}
	for _, d := range shapes {
		for _, tt := range []struct {
			w, h int
			off  image.Point
			tol  int
		}{
			{64, 48, image.Pt(-100, -100), 6},
			{64, 48, image.Pt(-250, -240), 6},
			{600, 48, image.Pt(-100, -100), 1},
			{600, 48, image.Pt(420, -150), 1},
		} {
			p := unitMustPath(t, d).transformed(matrix{a: 1, d: 1, e: float64(tt.off.X), f: float64(tt.off.Y)})
			want, got := unitRasterize(p, tt.w, tt.h, false), unitRasterize(p, tt.w, tt.h, true)
			if at, g, w, bad := unitDiff(got, want, tt.tol); bad {
				t.Errorf("%s on %d×%d at %v: pixel %v alpha %d clipped, %d not", d, tt.w, tt.h, tt.off, at, g.A, w.A)
			}
		}
	}
}
