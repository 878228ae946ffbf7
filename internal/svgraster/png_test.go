package svgraster

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"
)

// unitDecodePNG decodes data with image/png, the reference decoder, and
// returns its pixels premultiplied, as image.RGBA has them.
func unitDecodePNG(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("png.Decode: %v", err)
	}
	out := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

// unitColorType is the IHDR colour type byte: after the 8-byte signature
// come the chunk length (4), "IHDR" (4), width (4), height (4) and bit
// depth (1).
func unitColorType(t *testing.T, data []byte) byte {
	t.Helper()
	if len(data) < 26 || string(data[:8]) != "\x89PNG\r\n\x1a\n" || string(data[12:16]) != "IHDR" {
		t.Fatalf("not a PNG starting with IHDR: % x", data[:min(len(data), 26)])
	}
	if depth := data[24]; depth != 8 {
		t.Errorf("bit depth %d, want 8", depth)
	}
	return data[25]
}

// TestEncodePNGOpaque checks that an opaque image (a chart on its white
// background) is written as RGB and decodes to exactly its pixels.
func TestEncodePNGOpaque(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 37, 23))
	for y := range 23 {
		for x := range 37 {
			img.SetRGBA(x, y, color.RGBA{uint8(x * 7), uint8(y * 11), uint8(x*y + 3), 255})
		}
	}
	data, err := encodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	if ct := unitColorType(t, data); ct != 2 {
		t.Errorf("colour type %d, want 2 (RGB) for an opaque image", ct)
	}
	if w, h := binary.BigEndian.Uint32(data[16:]), binary.BigEndian.Uint32(data[20:]); w != 37 || h != 23 {
		t.Errorf("IHDR size %d×%d, want 37×23", w, h)
	}
	got := unitDecodePNG(t, data)
	if got.Rect != img.Rect {
		t.Fatalf("decoded bounds %v, want %v", got.Rect, img.Rect)
	}
	if at, g, w, bad := unitDiff(got, img, 0); bad {
		t.Errorf("pixel %v decodes as %v, want %v", at, g, w)
	}
}

// TestEncodePNGTranslucent checks the premultiplied → straight alpha
// conversion: every valid premultiplied pixel comes back within one
// level, and fully transparent ones as zero.
func TestEncodePNGTranslucent(t *testing.T) {
	// Every alpha, with colour values from 0 to alpha.
	img := image.NewRGBA(image.Rect(0, 0, 256, 256))
	for a := range 256 {
		for i := range 256 {
			c := uint8(i * a / 255)
			img.SetRGBA(i, a, color.RGBA{c, uint8(a - int(c)), uint8(a / 2), uint8(a)})
		}
	}
	data, err := encodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	if ct := unitColorType(t, data); ct != 6 {
		t.Errorf("colour type %d, want 6 (RGBA) for a translucent image", ct)
	}
	got := unitDecodePNG(t, data)
	for y := range 256 {
		for x := range 256 {
			g, w := got.RGBAAt(x, y), img.RGBAAt(x, y)
			if w.A == 0 {
				if g != (color.RGBA{}) {
					t.Fatalf("transparent pixel (%d,%d) decodes as %v", x, y, g)
				}
				continue
			}
			if g.A != w.A {
				t.Fatalf("pixel (%d,%d) alpha %d, want exactly %d", x, y, g.A, w.A)
			}
			for _, d := range []int{int(g.R) - int(w.R), int(g.G) - int(w.G), int(g.B) - int(w.B)} {
				if d < -1 || d > 1 {
					t.Fatalf("pixel (%d,%d) decodes as %v, want %v ±1", x, y, g, w)
				}
			}
		}
	}
}

// TestEncodePNGSubImage checks an image whose bounds do not start at the
// origin, and images of one row, one column and one pixel.
func TestEncodePNGSubImage(t *testing.T) {
	big := image.NewRGBA(image.Rect(0, 0, 20, 20))
	for y := range 20 {
		for x := range 20 {
			big.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 9, 255})
		}
	}
	for _, r := range []image.Rectangle{
		image.Rect(5, 7, 13, 19),
		image.Rect(0, 3, 20, 4),
		image.Rect(3, 0, 4, 20),
		image.Rect(19, 19, 20, 20),
	} {
		sub := big.SubImage(r).(*image.RGBA)
		data, err := encodePNG(sub)
		if err != nil {
			t.Fatal(err)
		}
		got := unitDecodePNG(t, data)
		if got.Rect.Dx() != r.Dx() || got.Rect.Dy() != r.Dy() {
			t.Fatalf("%v: decoded size %v", r, got.Rect.Size())
		}
		for y := range r.Dy() {
			for x := range r.Dx() {
				if g, w := got.RGBAAt(x, y), sub.RGBAAt(r.Min.X+x, r.Min.Y+y); g != w {
					t.Fatalf("%v: pixel (%d,%d) = %v, want %v", r, x, y, g, w)
				}
			}
		}
	}
}

// TestPNGSizeCheck checks that PNG refuses a document whose size is not
// the one asked for, and encodes one that is.
func TestPNGSizeCheck(t *testing.T) {
	r := unitShapeRasterizer(t)
	svg := unitSVG(`<rect width="64" height="48" fill="#fff"/><circle cx="32" cy="24" r="10" fill="red"/>`)
	if _, err := r.PNG(svg, 800, 400, 1); err == nil {
		t.Error("PNG of a 64×48 document at 800×400: no error")
	}
	data, err := r.PNG(svg, 64, 48, 2)
	if err != nil {
		t.Fatal(err)
	}
	if ct := unitColorType(t, data); ct != 2 {
		t.Errorf("colour type %d for a chart on white, want 2", ct)
	}
	got := unitDecodePNG(t, data)
	if got.Rect.Dx() != 128 || got.Rect.Dy() != 96 {
		t.Errorf("size %v at scale 2, want 128×96", got.Rect.Size())
	}
	if c := got.RGBAAt(64, 48); c != (color.RGBA{255, 0, 0, 255}) {
		t.Errorf("centre %v, want red", c)
	}
	for _, scale := range []float64{0, -1, 17} {
		if _, err := r.Render(svg, scale); err == nil {
			t.Errorf("scale %v: no error", scale)
		}
	}
}
