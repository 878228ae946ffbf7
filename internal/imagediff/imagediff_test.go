package imagediff

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// canvas is a white w×h image with the given rectangles filled in colour.
func canvas(w, h int, fills ...fill) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(m, m.Rect, image.White, image.Point{}, draw.Src)
	for _, f := range fills {
		draw.Draw(m, f.r, image.NewUniform(f.c), image.Point{}, draw.Src)
	}
	return m
}

type fill struct {
	r image.Rectangle
	c color.Color
}

var (
	black = color.RGBA{0, 0, 0, 255}
	blue  = color.RGBA{31, 95, 168, 255}
	grey  = color.RGBA{128, 128, 128, 255}
)

func TestCompare(t *testing.T) {
	bar := fill{image.Rect(10, 10, 40, 20), blue}
	tests := []struct {
		name          string
		a, b          *image.RGBA
		unmatched     int // exact count, or -1 for "some"
		largest       int // at least
		pass          bool
		passAcrossLim bool
	}{
		{"identical", canvas(50, 30, bar), canvas(50, 30, bar), 0, 0, true, true},
		{"moved one pixel: within the radius", canvas(50, 30, bar), canvas(50, 30, fill{bar.r.Add(image.Pt(1, 0)), blue}), 0, 0, true, true},
		{"moved three pixels", canvas(50, 30, bar), canvas(50, 30, fill{bar.r.Add(image.Pt(3, 0)), blue}), -1, 10, false, false},
		{"a line missing", canvas(50, 30, bar, fill{image.Rect(5, 25, 45, 27), black}), canvas(50, 30, bar), 80, 80, false, false},
		{"another colour", canvas(50, 30, bar), canvas(50, 30, fill{bar.r, color.RGBA{179, 71, 0, 255}}), 300, 300, false, false},
		{
			// A grey rim pixel on the edge of a black line in one image
			// and not the other: anti-aliasing, forgiven.
			"anti-aliased rim",
			canvas(50, 30, fill{image.Rect(10, 10, 40, 14), black}, fill{image.Rect(10, 14, 40, 15), grey}),
			canvas(50, 30, fill{image.Rect(10, 10, 40, 14), black}),
			0, 0, true, true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := Compare(tc.a, tc.b, Options{Radius: 1, Threshold: 0.1})
			if err != nil {
				t.Fatal(err)
			}
			if tc.unmatched >= 0 && r.Unmatched != tc.unmatched || tc.unmatched < 0 && r.Unmatched == 0 {
				t.Errorf("unmatched %d, want %d", r.Unmatched, tc.unmatched)
			}
			if r.Largest < tc.largest {
				t.Errorf("largest patch %d, want at least %d", r.Largest, tc.largest)
			}
			strict := Limits{Options: Options{Radius: 1, Threshold: 0.1}, MaxLargest: 0, MaxRatio: 0}
			if _, err := strict.Check(tc.a, tc.b); (err == nil) != tc.pass {
				t.Errorf("strict check: %v, want pass=%v", err, tc.pass)
			}
			// The renderers' limits hold too (in an image this small, any
			// unmatched patch is far over the share they allow).
			if _, err := AcrossRenderers.Check(tc.a, tc.b); (err == nil) != tc.passAcrossLim {
				t.Errorf("AcrossRenderers: %v, want pass=%v", err, tc.passAcrossLim)
			}
		})
	}
	if _, err := Compare(canvas(10, 10), canvas(10, 11), Options{}); err == nil {
		t.Error("images of different sizes must be an error")
	}
}
