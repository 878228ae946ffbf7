// Package imagediff compares two renderings of the same picture the way a
// reader would: it forgives what differs between two good renderers
// (anti-aliasing, a glyph placed a pixel higher) and catches what a
// reader would see (a missing label, line or bar, a wrong colour).
//
// It is a package for tests only (see internal/arch): it imports nothing
// of ours, and no package that ships imports it.
package imagediff

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
)

// Options of a comparison.
type Options struct {
	// Radius is how far, in pixels, a pixel may move and still count as
	// the same: a pixel of one image is matched when the other has a
	// pixel of nearly the same colour within Radius of it.
	Radius int
	// Threshold is the colour distance, 0 to 1, under which two colours
	// count as the same (the YIQ distance of Kotsarenko and Ramos, as
	// pixelmatch uses; 0.1 is pixelmatch's default).
	Threshold float64
}

// Result says how different two images are.
type Result struct {
	Pixels    int // pixels compared
	Unmatched int // pixels of either image with no match in the other
	// Largest is the size of the largest 8-connected patch of unmatched
	// pixels: scattered edge noise stays small, a missing shape does not.
	Largest int
	// Mask marks the unmatched pixels, for a person to look at.
	Mask *image.Gray
}

func (r Result) String() string {
	return fmt.Sprintf("%d of %d pixels unmatched (%.4f%%), largest patch %d", r.Unmatched, r.Pixels, 100*float64(r.Unmatched)/float64(max(r.Pixels, 1)), r.Largest)
}

// Compare compares a and b, which must be the same size. A pixel is
// unmatched when the other image has no pixel of nearly its colour within
// the radius and it is not the anti-aliased rim of an edge in either.
func Compare(a, b image.Image, o Options) (Result, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return Result{}, fmt.Errorf("imagediff: sizes differ: %v and %v", a.Bounds().Size(), b.Bounds().Size())
	}
	ra, rb := toRGBA(a), toRGBA(b)
	w, h := ra.Rect.Dx(), ra.Rect.Dy()
	mask := image.NewGray(image.Rect(0, 0, w, h))
	maxDelta := o.Threshold * o.Threshold * 35215
	res := Result{Pixels: w * h, Mask: mask}
	for _, pair := range [2][2]*image.RGBA{{ra, rb}, {rb, ra}} {
		from, to := pair[0], pair[1]
		for y := range h {
			for x := range w {
				if mask.Pix[y*mask.Stride+x] != 0 || matched(from, to, x, y, o.Radius, maxDelta) {
					continue
				}
				if antialiased(ra, rb, x, y) || antialiased(rb, ra, x, y) {
					continue
				}
				mask.Pix[y*mask.Stride+x] = 255
				res.Unmatched++
			}
		}
	}
	res.Largest = largestPatch(mask)
	return res, nil
}

func toRGBA(m image.Image) *image.RGBA {
	if r, ok := m.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	r := image.NewRGBA(image.Rect(0, 0, m.Bounds().Dx(), m.Bounds().Dy()))
	draw.Draw(r, r.Rect, m, m.Bounds().Min, draw.Src)
	return r
}

// matched reports whether the pixel at (x, y) of from has a pixel of
// nearly its colour within radius of (x, y) in to, nearest first.
func matched(from, to *image.RGBA, x, y, radius int, maxDelta float64) bool {
	c := from.RGBAAt(x, y)
	if delta(c, to.RGBAAt(x, y)) <= maxDelta {
		return true
	}
	b := to.Rect
	for r := 1; r <= radius; r++ {
		for dy := -r; dy <= r; dy++ {
			for dx := -r; dx <= r; dx++ {
				if max(abs(dx), abs(dy)) != r {
					continue
				}
				p := image.Pt(x+dx, y+dy)
				if p.In(b) && delta(c, to.RGBAAt(p.X, p.Y)) <= maxDelta {
					return true
				}
			}
		}
	}
	return false
}

// antialiased reports whether the pixel at (x, y) of img is the blended
// rim of an edge: it lies between a darker and a brighter neighbour, it
// has at most two neighbours of its own colour, and the darker or the
// brighter neighbour sits in a flat area (three or more equal neighbours)
// in both images. Two renderers cover such rim pixels differently (Skia
// widens a diagonal stroke by a tenth of a pixel, say); the shape itself
// is the same. This is the test of pixelmatch, after Vysniauskas, "Anti-
// aliased pixel and intensity slope detector" (2009). The core of a line
// or a glyph is never such a pixel, so a missing one is still caught.
func antialiased(img, other *image.RGBA, x, y int) bool {
	x0, y0, x2, y2, zeroes := neighbourhood(img, x, y)
	c := img.RGBAAt(x, y)
	var lo, hi float64
	var loX, loY, hiX, hiY int
	for ny := y0; ny <= y2; ny++ {
		for nx := x0; nx <= x2; nx++ {
			if nx == x && ny == y {
				continue
			}
			d := brightnessDelta(c, img.RGBAAt(nx, ny))
			switch {
			case d == 0:
				zeroes++
				if zeroes > 2 {
					return false
				}
			case d < lo:
				lo, loX, loY = d, nx, ny
			case d > hi:
				hi, hiX, hiY = d, nx, ny
			}
		}
	}
	if lo == 0 || hi == 0 {
		return false
	}
	return manySiblings(img, loX, loY) && manySiblings(other, loX, loY) ||
		manySiblings(img, hiX, hiY) && manySiblings(other, hiX, hiY)
}

// manySiblings reports whether three or more neighbours of (x, y) have
// exactly its colour.
func manySiblings(img *image.RGBA, x, y int) bool {
	x0, y0, x2, y2, zeroes := neighbourhood(img, x, y)
	c := img.RGBAAt(x, y)
	for ny := y0; ny <= y2; ny++ {
		for nx := x0; nx <= x2; nx++ {
			if (nx != x || ny != y) && img.RGBAAt(nx, ny) == c {
				zeroes++
				if zeroes > 2 {
					return true
				}
			}
		}
	}
	return false
}

// neighbourhood is the 3×3 block around (x, y), cut at the image's edge;
// a pixel on the edge starts with one "equal neighbour" for the ones it
// lacks, as pixelmatch counts them.
func neighbourhood(img *image.RGBA, x, y int) (x0, y0, x2, y2, zeroes int) {
	b := img.Rect
	x0, y0 = max(x-1, b.Min.X), max(y-1, b.Min.Y)
	x2, y2 = min(x+1, b.Max.X-1), min(y+1, b.Max.Y-1)
	if x == x0 || x == x2 || y == y0 || y == y2 {
		zeroes = 1
	}
	return
}

// brightnessDelta is the signed difference in luma (YIQ's Y) of two
// colours over white.
func brightnessDelta(a, b color.RGBA) float64 {
	ya, _, _ := yiq(a)
	yb, _, _ := yiq(b)
	return ya - yb
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// delta is the squared YIQ distance of two colours blended over white,
// weighted as in "Measuring perceived color difference using YIQ NTSC
// transmission color space in mobile applications" (Kotsarenko, Ramos
// 2010); its largest value is 35215.
func delta(a, b color.RGBA) float64 {
	if a == b {
		return 0
	}
	ya, ia, qa := yiq(a)
	yb, ib, qb := yiq(b)
	dy, di, dq := ya-yb, ia-ib, qa-qb
	return 0.5053*dy*dy + 0.299*di*di + 0.1957*dq*dq
}

func yiq(c color.RGBA) (y, i, q float64) {
	// Premultiplied over white: colour + (1 - alpha) × white.
	white := 255 - float64(c.A)
	r, g, b := float64(c.R)+white, float64(c.G)+white, float64(c.B)+white
	y = r*0.29889531 + g*0.58662247 + b*0.11448223
	i = r*0.59597799 - g*0.27417610 - b*0.32180189
	q = r*0.21147017 - g*0.52261711 + b*0.31114694
	return
}

// largestPatch is the pixel count of the largest 8-connected patch of
// set pixels in m.
func largestPatch(m *image.Gray) int {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	seen := make([]bool, w*h)
	var stack []int
	best := 0
	for start := range w * h {
		if m.Pix[start] == 0 || seen[start] {
			continue
		}
		n := 0
		stack = append(stack[:0], start)
		seen[start] = true
		for len(stack) > 0 {
			i := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			n++
			x, y := i%w, i/w
			for dy := -1; dy <= 1; dy++ {
				for dx := -1; dx <= 1; dx++ {
					nx, ny := x+dx, y+dy
					if nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					j := ny*w + nx
					if m.Pix[j] != 0 && !seen[j] {
						seen[j] = true
						stack = append(stack, j)
					}
				}
			}
		}
		best = max(best, n)
	}
	return best
}

// Limits bound how different two images may be and still pass.
type Limits struct {
	Options
	MaxLargest int     // largest patch of unmatched pixels
	MaxRatio   float64 // share of unmatched pixels, 0 to 1
}

// AcrossRenderers is what disclose allows between its own PNG renderer
// and Chromium drawing the same SVG at scale 2. The numbers come from
// measurement:
//
//   - The 27 charts of the seed reports, matched within one pixel (half a
//     CSS pixel) at pixelmatch's colour threshold and with anti-aliased
//     rims forgiven, leave at most 0.004% of their pixels unmatched and
//     no patch larger than 10 pixels.
//   - The smallest defects a reader would notice leave patches of 61 (a
//     missing pie label line), 75 (a missing digit), 78 (a label two CSS
//     pixels lower) and 116 pixels (a bar one CSS pixel too long), and a
//     bar in the wrong colour a third of the image.
//     TestHeavyThresholdCatchesDefects in internal/chartimage checks each.
//
// A patch limit of 32 sits between the two, three times the worst noise
// and half the smallest defect; the share limit of 0.05%, twelve times the
// worst noise, catches a spread of small differences no one patch shows.
var AcrossRenderers = Limits{Options: Options{Radius: 1, Threshold: 0.1}, MaxLargest: 32, MaxRatio: 0.0005}

// Check compares a and b and returns an error saying how they differ
// when they differ by more than l allows.
func (l Limits) Check(a, b image.Image) (Result, error) {
	r, err := Compare(a, b, l.Options)
	if err != nil {
		return r, err
	}
	if r.Largest > l.MaxLargest || float64(r.Unmatched) > l.MaxRatio*float64(r.Pixels) {
		return r, fmt.Errorf("images differ: %v (allowed: patch %d, %.2f%%)", r, l.MaxLargest, 100*l.MaxRatio)
	}
	return r, nil
}
