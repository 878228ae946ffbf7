package svgraster

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"
)

// unitFontFile is the CJK font disclose draws charts with (Debian's
// fonts-noto-cjk).
const unitFontFile = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"

var unitFace struct {
	once sync.Once
	face *Face
	err  error
}

// unitTextRasterizer draws with Noto Sans CJK SC, loaded once for all
// fuzz inputs. Without the font file the test is skipped, unless
// DISCLOSE_E2E=require makes that a failure.
func unitTextRasterizer(tb testing.TB) *Rasterizer {
	tb.Helper()
	unitFace.once.Do(func() {
		data, err := os.ReadFile(unitFontFile)
		if err != nil {
			unitFace.err = err
			return
		}
		c, err := sfnt.ParseCollection(data)
		if err != nil {
			unitFace.err = err
			return
		}
		var buf sfnt.Buffer
		for i := range c.NumFonts() {
			f, err := c.Font(i)
			if err != nil {
				unitFace.err = err
				return
			}
			if name, _ := f.Name(&buf, sfnt.NameIDFull); strings.HasPrefix(name, "Noto Sans CJK SC") {
				unitFace.face, unitFace.err = NewFace(f)
				return
			}
		}
		unitFace.err = fmt.Errorf("%s has no Noto Sans CJK SC face", unitFontFile)
	})
	if errors.Is(unitFace.err, os.ErrNotExist) && os.Getenv("DISCLOSE_E2E") != "require" {
		tb.Skipf("no CJK font: %v", unitFace.err)
	}
	if unitFace.err != nil {
		tb.Fatal(unitFace.err)
	}
	r, err := New(unitFace.face, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// unitPathSeeds are paths ECharts writes, and odd ones.
var unitPathSeeds = []string{
	"M400 120A80 80 0 1 1 383.2 278.2L389.9 246.9A48 48 0 1 0 400 152Z",
	"M0 0l784 0l0 408l-784 0Z",
	"M6.4 -3A2.4 2.4 0 1 1 6.4 -3.0002",
	"M100.5 84L100.5 468",
	"M80 84C120 90 140 60 180 70S240 100 260 80Q280 60 300 70T340 80",
	"M1 1h10v10h-10z m2 2 l1 1 1 1",
	"M0-7l1 0",
	"M1.5.5.5.5",
	"M1e-3-1E+3",
	"M0 0A5 5 0 0110 0",
	"M0 0A1e-200 1e-200 0 0 1 10 0",
	"M1e308 0l1e308 0",
	"M0 0a1e300 1e300 0 0 1 1e300 1e300",
	"",
	"Z",
	"M",
	"M0 0L",
	"m0 0zzzm1 1",
	"M0 0A1 1 0 2 0 1 1",
	"M-.5-.5t1 1s1 1 2 2",
}

// FuzzParsePath checks that no path data makes parsePath panic, that
// every point it returns is finite, and that a parsed path printed back in
// absolute commands parses to the same segments.
func FuzzParsePath(f *testing.F) {
	for _, s := range unitPathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, d string) {
		p, err := parsePath(d)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		n := 0
		for _, k := range p.kinds {
			n += map[segKind]int{segMove: 2, segLine: 2, segQuad: 4, segCube: 6, segClose: 0}[k]
		}
		if n != len(p.pts) {
			t.Fatalf("%d kinds need %d numbers, have %d", len(p.kinds), n, len(p.pts))
		}
		if len(p.kinds) > 0 && p.kinds[0] != segMove {
			t.Fatalf("path starts with kind %d, not a move", p.kinds[0])
		}
		for _, v := range p.pts {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("point %v in %v", v, unitSegments(p))
			}
		}
		var b strings.Builder
		num := func(v float64) { b.WriteString(" " + strconv.FormatFloat(v, 'g', -1, 64)) }
		p.each(func(k segKind, pts []float64) {
			b.WriteString([...]string{"M", "L", "Q", "C", "Z"}[k])
			for _, v := range pts {
				num(v)
			}
		})
		q, err := parsePath(b.String())
		if err != nil {
			t.Fatalf("printed path %q does not parse: %v", b.String(), err)
		}
		if got, want := unitSegments(q), unitSegments(p); !unitSameSegments(got, want, 0) {
			t.Fatalf("printed path %q parses as\n%v\nnot\n%v", b.String(), got, want)
		}
	})
}

// unitRenderSeeds are document bodies: ECharts' constructs, every
// element and property the renderer knows, and inputs that once made it
// crash or hang.
var unitRenderSeeds = []string{
	`<rect width="64" height="48" x="0" y="0" id="zr1-bg" fill="#fff"/><path d="M400 120A80 80 0 1 1 383.2 278.2L389.9 246.9A48 48 0 1 0 400 152Z" transform="matrix(0.1,0,0,0.1,0,0)" fill="#5470c6" stroke="#fff" stroke-linejoin="round"/>`,
	`<path d="M0 0l784 0l0 408l-784 0Z" transform="scale(0.05)" fill="none" stroke="#ccc" stroke-dasharray="4 2"/>`,
	`<path d="M6.4 -3A2.4 2.4 0 1 1 6.4 -3.0002" transform="translate(20 20)" fill="#fff" stroke="#5470c6" stroke-width="2"/>`,
	`<path d="M10.5 4L10.5 46" fill="none" stroke="#E0E6F1" shape-rendering="crispEdges"/>`,
	`<text dominant-baseline="central" text-anchor="middle" style="font-size:12px;font-family:sans-serif;" transform="translate(32 24)" fill="#464646">零 ABC</text>`,
	`<text x="2" y="20" font-weight="bold" paint-order="stroke" stroke="#fff" stroke-width="2" xml:space="preserve">  a  b  </text>`,
	`<g opacity="0.5"><rect width="20" height="20" fill="red"/><circle cx="20" cy="20" r="10" fill="blue"/></g>`,
	`<defs><pattern id="p" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(30)"><rect width="4" height="4" fill="#000"/></pattern></defs><path d="M0 0h64v48h-64z" fill="url(#p)"/>`,
	`<pattern id="p" patternUnits="userSpaceOnUse" width="4" height="4"><rect width="4" height="4" fill="url(#p)"/></pattern><rect width="10" height="10" fill="url(#p)"/>`,
	`<ellipse cx="30" cy="20" rx="20" ry="5" fill="green"/><line x1="0" y1="0" x2="64" y2="48" stroke="red" stroke-linecap="round"/><polyline points="1,2 10,20 30,5" fill="none" stroke="#333"/><polygon points="5 5 20 5 10 20" fill="orange"/>`,
	`<rect x="5" y="5" width="30" height="20" rx="4" fill="rgba(0,0,0,0.3)"/>`,
	`<style>.a:hover{fill:red}</style><rect class="a" width="10" height="10" ecmeta_series_index="0"/>`,
	`<svg width="NaN" height="NaN"/>`,
	`<rect width="NaN" height="10"/>`,
	`<path d="M0 0C1e15 0 0 0 10 10" fill="red"/>`,
	`<path d="M0 -1e9L10 40L20 -1e9" fill="red"/>`,
	`<path d="M0 10L1e5 10" stroke="red" stroke-dasharray="0.02"/>`,
	`<path d="M0 10L30 10" stroke="red" stroke-dasharray="1" stroke-dashoffset="-1e9"/>`,
	`<path d="M0 10L10 10" stroke="red" stroke-width="1e9"/>`,
	`<circle r="1e6" cx="10" cy="10" stroke="red"/>`,
	`<pattern id="p" patternUnits="userSpaceOnUse" width="1e10" height="1e10"><rect width="4" height="4"/></pattern><rect width="10" height="10" fill="url(#p)"/>`,
	`<text x="1" y="40" font-size="1e300">a</text>`,
	`<text x="1" y="40">` + "\x01" + `</text>`,
	`<g transform="scale(1e300)"><circle r="1" stroke="red"/></g>`,
	`<path d="M0 0ZZZL1 1Z" fill="red"/>`,
	`<image/>`,
	`<text>a<tspan>b</tspan></text>`,
	``,
}

// renderHang is how long unitRenderBounded waits before calling Render
// hung. It is a safety net, not a speed test: with -fuzz, go test has no
// timeout, so a hang would be reported as nothing at all. Inputs take
// milliseconds; minutes leave room for -race on a busy machine, so that
// only a real hang fails.
const renderHang = 3 * time.Minute

// unitRenderBounded renders svg and fails if Render has not returned after
// renderHang.
func unitRenderBounded(t *testing.T, r *Rasterizer, svg []byte, w, h int) {
	t.Helper()
	type result struct {
		w, h int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		img, err := r.Render(svg, 1)
		if err != nil {
			done <- result{err: err}
			return
		}
		done <- result{w: img.Rect.Dx(), h: img.Rect.Dy()}
	}()
	select {
	case res := <-done:
		if res.err != nil {
			if res.err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if res.w != w || res.h != h {
			t.Fatalf("image is %d×%d, want %d×%d", res.w, res.h, w, h)
		}
	case <-time.After(renderHang):
		t.Fatalf("Render did not return in %v for %q", renderHang, clip(string(svg)))
	}
}

// FuzzRender draws fuzzed document bodies, and fuzzed whole documents of a
// modest size, with real faces: Render must return (an image of the
// document's size, or an error) for any input, never panic or hang.
func FuzzRender(f *testing.F) {
	r := unitTextRasterizer(f)
	for _, s := range unitRenderSeeds {
		f.Add(s)
	}
	f.Add(`<svg width="100" height="50" viewBox="0 0 200 100" xmlns="http://www.w3.org/2000/svg"><rect width="200" height="100" fill="#fff"/><text x="100" y="50" text-anchor="middle">图表</text></svg>`)
	f.Add(`<svg width="10.5" height="3.2"><circle r="2" cx="5" cy="1"/></svg>`)
	f.Fuzz(func(t *testing.T, s string) {
		unitRenderBounded(t, r, unitSVG(s), 64, 48)
		// The same text as a whole document, when it is one and small
		// enough to draw many times a second.
		doc, err := parseDocument([]byte(s))
		if err != nil || doc.width*doc.height > 256*256 {
			return
		}
		unitRenderBounded(t, r, []byte(s), int(math.Ceil(doc.width-1e-9)), int(math.Ceil(doc.height-1e-9)))
	})
}

// extremeGeometry are shapes with coordinates, sizes and dash patterns far
// beyond any chart's. Each used to crash the process (integer division by
// zero in x/image/vector's fixed-point rasterizer, a stack overflow, an
// image of negative size) or run for minutes; now each draws
// (approximately, beyond the canvas) or is an error.
var extremeGeometry = []struct{ name, body string }{
	{"cubic-1e12", `<path d="M0 0C1e12 0 0 0 10 10" fill="red"/>`},
	{"cubic-1e15", `<path d="M0 0C1e15 0 0 0 10 10" fill="red"/>`},
	{"spike-1e9", `<path d="M0 -1e9L10 40L20 -1e9" fill="red"/>`},
	{"spike-1e9-pattern", `<path d="M0 -1e9L10 40L20 -1e9" fill="url(#p)"/><pattern id="p" patternUnits="userSpaceOnUse" width="3" height="3"><rect width="1" height="1"/></pattern>`},
	{"dash-0.02-over-1e5", `<path d="M0 10L1e5 10" stroke="red" stroke-dasharray="0.02"/>`},
	{"dash-0.5-over-1e6", `<path d="M0 10L1e6 10" stroke="red" stroke-dasharray="0.5"/>`},
	{"dashoffset-minus-1e9", `<path d="M0 10L30 10" stroke="red" stroke-dasharray="1" stroke-dashoffset="-1e9"/>`},
	{"dashoffset-1e12", `<path d="M0 10L30 10" stroke="red" stroke-dasharray="1" stroke-dashoffset="1e12"/>`},
	{"width-1e9", `<path d="M0 10L10 10" stroke="red" stroke-width="1e9"/>`},
	{"width-1e6-round-cap", `<path d="M0 10L10 10" stroke="red" stroke-width="1e6" stroke-linecap="round"/>`},
	{"cubic-1e8-round-join", `<path d="M0 10C1e8 0 0 1e8 10 10" stroke="red" stroke-width="3" stroke-linejoin="round"/>`},
	{"circle-1e6-stroke", `<circle r="1e6" cx="10" cy="10" stroke="red"/>`},
	{"circle-1e12-fill", `<circle r="1e12" cx="10" cy="10" fill="red"/>`},
	{"quad-1e38-gap-1e15", `<path d="M-2e9 0.001Q-2e9 1e38 -1 1e-300ZL33.3 1e38" stroke="blue" stroke-width="3.5" stroke-dasharray="1 1e15"/>`},
	{"polygon-1e300-width-2e9", `<polygon points="1e-300,3.5 64,1e-300 1e300,-2e9" stroke="blue" stroke-width="2e9" stroke-dasharray="0.001 33.3" stroke-dashoffset="64"/>`},
	{"polygon-1e38-round-cap", `<polygon points="40,0 1e38,-1e7 -20,1e7" stroke="blue" stroke-width="2e9" stroke-linecap="round" stroke-dasharray="64 1e-7"/>`},
	{"empty-subpaths", `<path d="M0 0ZZZL1 1Z" fill="red"/>`},
	{"scale-1e300", `<g transform="scale(1e300)"><circle r="1" stroke="red"/><rect width="1" height="1" fill="url(#p)"/></g><pattern id="p" patternUnits="userSpaceOnUse" width="3" height="3"><rect width="1" height="1"/></pattern>`},
	{"scale-1e-300", `<g transform="scale(1e-300)"><rect width="1" height="1" fill="url(#p)"/></g><pattern id="p" patternUnits="userSpaceOnUse" width="3" height="3"><rect width="1" height="1"/></pattern>`},
}

// extremeBudget is the most work one extreme shape on the 64×48 canvas may
// cost. Segments: the stroker may make maxOutline (2^20) outline lines,
// which the rasterizer then takes, so twice that; the cases use up to
// about half of it today. Pixels: a few canvases' worth (the image, a
// group's layer, masks clipped to the canvas); the cases use up to three.
// The safeguards these cases test are what keeps them inside it: without
// the margin that bounds curves, cubic-1e15 alone costs 6·10^7 segments;
// with maxOutline raised, the dashed strokes go over at once. Counting
// instead of timing keeps the check meaningful under -race and on a busy
// machine; BenchmarkRenderExtremeGeometry has the time.
var extremeBudget = work{segments: 2 << 20, pixels: 16 * 64 * 48}

// TestRenderExtremeGeometry checks that extreme geometry neither crashes
// nor blows up the rasterizer's work. A case that hangs is stopped by go
// test's -timeout, which names the running subtest.
func TestRenderExtremeGeometry(t *testing.T) {
	r := unitShapeRasterizer(t)
	for _, tc := range extremeGeometry {
		t.Run(tc.name, func(t *testing.T) {
			img, w, err := r.render(unitSVG(tc.body), 1)
			switch {
			case err != nil && err.Error() == "":
				t.Errorf("%s: empty error message", tc.body)
			case err == nil && (img.Rect.Dx() != 64 || img.Rect.Dy() != 48):
				t.Errorf("%s: image is %d×%d, want 64×48", tc.body, img.Rect.Dx(), img.Rect.Dy())
			}
			if w.segments > extremeBudget.segments || w.pixels > extremeBudget.pixels {
				t.Errorf("%s: %d segments and %d pixels of work, over the budget of %d and %d", tc.body, w.segments, w.pixels, extremeBudget.segments, extremeBudget.pixels)
			}
		})
	}
	// Inside the margin nothing changes: a triangle with a vertex 60000
	// pixels off the canvas covers the same pixels as its part inside.
	img, err := r.Render(unitSVG(`<path d="M0 0L64 0L0 60000Z" fill="#000"/>`), 1)
	if err != nil {
		t.Fatal(err)
	}
	// The edge x = 64(1 - y/60000) is within a pixel of x = 64 here.
	if a := img.RGBAAt(62, 47).A; a != 255 {
		t.Errorf("pixel (62,47) alpha %d, want covered", a)
	}
}

// BenchmarkRenderExtremeGeometry times what TestRenderExtremeGeometry
// bounds by counting, and reports the counts beside the time.
func BenchmarkRenderExtremeGeometry(b *testing.B) {
	r := unitShapeRasterizer(b)
	for _, tc := range extremeGeometry {
		b.Run(tc.name, func(b *testing.B) {
			svg := unitSVG(tc.body)
			var w work
			for b.Loop() {
				_, w, _ = r.render(svg, 1)
			}
			b.ReportMetric(float64(w.segments), "segments/op")
			b.ReportMetric(float64(w.pixels), "pixels/op")
		})
	}
}
