package svgraster

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Face is a font to draw text with. Glyph outlines are read once, in font
// units, and kept: a chart's labels use a few hundred distinct glyphs.
type Face struct {
	font    *sfnt.Font
	upem    float64
	ascent  float64 // font units above the baseline
	descent float64 // font units below it
	xHeight float64

	mu     sync.Mutex // guards buf
	buf    sfnt.Buffer
	glyphs sync.Map // rune → *glyph
	kerns  sync.Map // [2]sfnt.GlyphIndex → float64, font units
}

type glyph struct {
	index   sfnt.GlyphIndex
	advance float64 // font units
	segs    []sfnt.Segment
	missing bool
}

// NewFace prepares f for drawing.
func NewFace(f *sfnt.Font) (*Face, error) {
	if f == nil {
		return nil, errors.New("no font")
	}
	face := &Face{font: f, upem: float64(f.UnitsPerEm())}
	ppem := fixed.Int26_6(f.UnitsPerEm()) << 6
	m, err := f.Metrics(&face.buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("font metrics: %w", err)
	}
	face.ascent = float64(m.Ascent) / 64
	face.descent = float64(m.Descent) / 64
	face.xHeight = float64(m.XHeight) / 64
	return face, nil
}

// glyph returns r's outline and advance, loading it on first use.
func (f *Face) glyph(r rune) (*glyph, error) {
	if g, ok := f.glyphs.Load(r); ok {
		return g.(*glyph), nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if g, ok := f.glyphs.Load(r); ok {
		return g.(*glyph), nil
	}
	ppem := fixed.Int26_6(f.upem) << 6
	idx, err := f.font.GlyphIndex(&f.buf, r)
	if err != nil {
		return nil, fmt.Errorf("glyph for %q: %w", r, err)
	}
	g := &glyph{index: idx, missing: idx == 0}
	adv, err := f.font.GlyphAdvance(&f.buf, idx, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("advance of %q: %w", r, err)
	}
	g.advance = float64(adv) / 64
	segs, err := f.font.LoadGlyph(&f.buf, idx, ppem, nil)
	if err != nil {
		return nil, fmt.Errorf("outline of %q: %w", r, err)
	}
	g.segs = append([]sfnt.Segment(nil), segs...) // segs belongs to buf
	f.glyphs.Store(r, g)
	return g, nil
}

// Width is the advance width of s set at size px, kerning included, as
// layoutText sets it. A character the font lacks counts half an em: in a
// browser a fallback font draws it, and half an em is a fair guess.
func (f *Face) Width(s string, size float64) float64 {
	w := 0.0
	var prev *glyph
	for _, r := range s {
		g, err := f.glyph(r)
		if err != nil || g.missing {
			w += f.upem / 2
			prev = nil
			continue
		}
		if prev != nil {
			w += f.kern(prev.index, g.index)
		}
		w += g.advance
		prev = g
	}
	return w * size / f.upem
}

// kern is the kerning between two glyphs, in font units.
func (f *Face) kern(a, b sfnt.GlyphIndex) float64 {
	pair := [2]sfnt.GlyphIndex{a, b}
	if k, ok := f.kerns.Load(pair); ok {
		return k.(float64)
	}
	f.mu.Lock()
	k, err := f.font.Kern(&f.buf, a, b, fixed.Int26_6(f.upem)<<6, font.HintingNone)
	f.mu.Unlock()
	v := 0.0
	if err == nil {
		v = float64(k) / 64
	}
	// Every render of every chart asks for the same few hundred pairs;
	// without the cache they would queue on the one buffer's lock.
	f.kerns.Store(pair, v)
	return v
}

// pixelMetrics are the ascent and descent at size px the way Chromium
// has them on Linux: rounded to whole pixels, and with a pixel moved from
// the ascent to the descent when the descent was rounded down (so that
// descenders are not cut off). The "central" baseline is placed from these,
// so following Chromium here is what puts labels where the site shows them.
func (f *Face) pixelMetrics(size float64) (ascent, descent float64) {
	a, d := f.ascent*size/f.upem, f.descent*size/f.upem
	ascent, descent = math.Round(a), math.Round(d)
	if descent < d && ascent >= 1 {
		descent++
		ascent--
	}
	return ascent, descent
}

// baselines gives, for each dominant-baseline, how far below the y the
// text is placed at its alphabetic baseline sits, in pixels at size px.
var baselines = map[string]func(f *Face, size float64) float64{
	"auto":       func(*Face, float64) float64 { return 0 },
	"alphabetic": func(*Face, float64) float64 { return 0 },
	"baseline":   func(*Face, float64) float64 { return 0 },
	"central": func(f *Face, size float64) float64 {
		a, d := f.pixelMetrics(size)
		return (a - d) / 2
	},
	"middle": func(f *Face, size float64) float64 { return f.xHeight * size / f.upem / 2 },
	"text-before-edge": func(f *Face, size float64) float64 {
		a, _ := f.pixelMetrics(size)
		return a
	},
	"hanging": func(f *Face, size float64) float64 {
		a, _ := f.pixelMetrics(size)
		return a * 0.8 // Chromium's hanging baseline: 80% of the ascent
	},
	"text-after-edge": func(f *Face, size float64) float64 {
		_, d := f.pixelMetrics(size)
		return -d
	},
	"ideographic": func(f *Face, size float64) float64 {
		_, d := f.pixelMetrics(size)
		return -d
	},
}

// layoutText returns the outline of s set in face at size px, placed at
// (x, y) of user space by anchor and baseline, then mapped by ctm.
func layoutText(face *Face, s string, size, x, y float64, anchor, baseline string, ctm matrix) (*path, error) {
	var gs []*glyph
	var pens []float64
	pen := 0.0
	var prev *glyph
	for _, r := range s {
		g, err := face.glyph(r)
		if err != nil {
			return nil, err
		}
		if g.missing {
			return nil, fmt.Errorf("the font has no glyph for %q (U+%04X); use --font to give one that has", r, r)
		}
		if prev != nil {
			pen += face.kern(prev.index, g.index)
		}
		gs = append(gs, g)
		pens = append(pens, pen)
		pen += g.advance
		prev = g
	}
	k := size / face.upem
	switch anchor {
	case "middle":
		x -= pen * k / 2
	case "end":
		x -= pen * k
	}
	y += baselines[baseline](face, size)
	if ctm.b == 0 && ctm.c == 0 && ctm.d != 0 {
		// Chromium positions glyphs at fractions of a pixel across but
		// puts the baseline on a whole device pixel; so do we, or every
		// label at y=121.25 would come out a little blurred and shifted.
		dev := ctm.d*y + ctm.f
		y += (math.Floor(dev+0.5) - dev) / ctm.d
	}
	p := &path{}
	for i, g := range gs {
		ox := x + pens[i]*k
		at := func(pt fixed.Point26_6) (float64, float64) {
			// sfnt's outlines already have y growing downwards, as SVG.
			return ctm.apply(ox+float64(pt.X)/64*k, y+float64(pt.Y)/64*k)
		}
		for _, seg := range g.segs {
			switch seg.Op {
			case sfnt.SegmentOpMoveTo:
				if !p.empty() {
					p.close()
				}
				p.moveTo(at(seg.Args[0]))
			case sfnt.SegmentOpLineTo:
				p.lineTo(at(seg.Args[0]))
			case sfnt.SegmentOpQuadTo:
				x1, y1 := at(seg.Args[0])
				x2, y2 := at(seg.Args[1])
				p.quadTo(x1, y1, x2, y2)
			case sfnt.SegmentOpCubeTo:
				x1, y1 := at(seg.Args[0])
				x2, y2 := at(seg.Args[1])
				x3, y3 := at(seg.Args[2])
				p.cubeTo(x1, y1, x2, y2, x3, y3)
			}
		}
	}
	if !p.empty() {
		p.close()
	}
	return p, nil
}

// textContent applies SVG's white-space rules: without xml:space
// "preserve", line breaks go, tabs become spaces, runs of spaces collapse
// and the ends are trimmed; with it, each of those becomes one space.
func textContent(n *node) string {
	s := n.text
	if n.attrs["xml:space"] == "preserve" {
		return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	}
	s = strings.NewReplacer("\r\n", "", "\n", "", "\r", "", "\t", " ").Replace(s)
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' }), " ")
}
