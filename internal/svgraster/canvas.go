package svgraster

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"

	"github.com/srwiley/rasterx"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// canvas draws device-space paths onto an image. Each shape is rasterized
// only over its own bounding box: a chart has hundreds of small shapes,
// and rasterizing each over the whole 1600×1000 image (as rasterx's own
// scanner does) costs ten times more.
type canvas struct {
	img  *image.RGBA
	ras  vector.Rasterizer
	mask *image.Alpha // coverage, for pattern fills
	work work
}

// work counts what drawing does, in units whose cost does not depend on
// the machine: the rasterizer's time is about segments × mask rows plus
// pixels. The tests bound it, so that "extreme geometry stays cheap" is
// checked by counting rather than by a clock that a loaded machine or the
// race detector slows down. Plain ints: a canvas serves one Render at a
// time.
type work struct {
	segments int // lines and curves given to the rasterizer, outline lines made by the stroker
	pixels   int // pixels allocated, rasterized or painted
}

func (w *work) add(v work) {
	w.segments += v.segments
	w.pixels += v.pixels
}

// pixelBounds is the pixels p may touch, within the given rectangle.
func (p *path) pixelBounds(within image.Rectangle) image.Rectangle {
	x0, y0, x1, y1 := p.bounds()
	if math.IsInf(x0, 0) || math.IsNaN(x0+y0+x1+y1) {
		return image.Rectangle{}
	}
	// Clamp before converting so that a huge coordinate cannot overflow.
	lim := func(v float64) int { return int(min(max(v, -1e7), 1e7)) }
	r := image.Rect(lim(math.Floor(x0)), lim(math.Floor(y0)), lim(math.Ceil(x1)), lim(math.Ceil(y1)))
	return r.Intersect(within)
}

// fill paints src through the coverage of p (device coordinates) by
// non-zero winding. With closeSubpaths every subpath is closed, as SVG
// fills do; a stroke outline from rasterx must be taken as it is, since
// its pieces only add up to closed loops together.
func (c *canvas) fill(p *path, src image.Image, closeSubpaths bool) {
	if u, ok := src.(*image.Uniform); ok && closeSubpaths {
		if x0, y0, x1, y1, ok := p.rect(); ok {
			c.fillRect(x0, y0, x1, y1, u.C)
			return
		}
	}
	r := p.pixelBounds(c.img.Bounds())
	if r.Empty() {
		return
	}
	c.work.pixels += r.Dx() * r.Dy()
	c.ras.Reset(r.Dx(), r.Dy())
	c.ras.DrawOp = draw.Over
	ox, oy := float64(r.Min.X), float64(r.Min.Y)
	x0, y0, x1, y1 := p.bounds()
	e := edges{ras: &c.ras, w: float64(r.Dx()), h: float64(r.Dy()),
		clip: x0 < ox || y0 < oy || x1 > float64(r.Max.X) || y1 > float64(r.Max.Y)}
	open := false
	var fx, fy, px, py float64
	closeOpen := func() {
		if closeSubpaths && open && (px != fx || py != fy) {
			e.lineTo(fx, fy)
		}
		open = false
	}
	p.each(func(k segKind, pts []float64) {
		switch k {
		case segMove:
			closeOpen()
			fx, fy = pts[0]-ox, pts[1]-oy
			px, py = fx, fy
			e.moveTo(fx, fy)
			open = true
		case segLine:
			px, py = pts[0]-ox, pts[1]-oy
			e.lineTo(px, py)
		case segQuad:
			px, py = pts[2]-ox, pts[3]-oy
			e.quadTo(pts[0]-ox, pts[1]-oy, px, py)
		case segCube:
			px, py = pts[4]-ox, pts[5]-oy
			e.cubeTo(pts[0]-ox, pts[1]-oy, pts[2]-ox, pts[3]-oy, px, py)
		case segClose:
			closeOpen()
			px, py = fx, fy
			e.moveTo(fx, fy)
		}
	})
	closeOpen()
	c.work.segments += e.segments
	if pat, ok := src.(*patternImage); ok {
		c.fillPattern(r, pat)
		return
	}
	c.ras.Draw(c.img, r, src, r.Min)
}

// edges passes a path's edges, in the coordinates of the rasterizer's
// w×h mask, to the rasterizer. A path that reaches beyond the mask is
// clipped first: x/image/vector walks every row an edge spans, above the
// mask as well, and its fixed-point math overflows (dividing by zero) on
// coordinates in the millions, so a shape reaching far off the canvas
// could crash or take minutes.
type edges struct {
	ras      *vector.Rasterizer
	w, h     float64
	clip     bool
	x, y     float64 // the pen
	segments int     // given to ras or to clipLine (see work)
}

func (e *edges) moveTo(x, y float64) {
	e.x, e.y = x, y
	if !e.clip {
		e.ras.MoveTo(float32(x), float32(y))
	}
}

func (e *edges) lineTo(x, y float64) {
	if e.clip {
		e.clipLine(e.x, e.y, x, y)
	} else {
		e.segments++
		e.ras.LineTo(float32(x), float32(y))
	}
	e.x, e.y = x, y
}

func (e *edges) quadTo(x1, y1, x, y float64) {
	if !e.clip {
		e.segments++
		e.ras.QuadTo(float32(x1), float32(y1), float32(x), float32(y))
		e.x, e.y = x, y
		return
	}
	ax, ay := e.margin(e.x, e.y)
	bx, by := e.margin(x1, y1)
	cx, cy := e.margin(x, y)
	e.clipLine(e.x, e.y, ax, ay)
	// Flattened as vector does it.
	n := flatten(ax-2*bx+cx, ay-2*by+cy)
	px, py := ax, ay
	for i := 1; i < n; i++ {
		t := float64(i) / float64(n)
		mt := 1 - t
		qx := mt*mt*ax + 2*mt*t*bx + t*t*cx
		qy := mt*mt*ay + 2*mt*t*by + t*t*cy
		e.clipLine(px, py, qx, qy)
		px, py = qx, qy
	}
	e.clipLine(px, py, cx, cy)
	e.clipLine(cx, cy, x, y)
	e.x, e.y = x, y
}

func (e *edges) cubeTo(x1, y1, x2, y2, x, y float64) {
	if !e.clip {
		e.segments++
		e.ras.CubeTo(float32(x1), float32(y1), float32(x2), float32(y2), float32(x), float32(y))
		e.x, e.y = x, y
		return
	}
	ax, ay := e.margin(e.x, e.y)
	bx, by := e.margin(x1, y1)
	cx, cy := e.margin(x2, y2)
	dx, dy := e.margin(x, y)
	e.clipLine(e.x, e.y, ax, ay)
	n := max(flatten(ax-2*bx+dx, ay-2*by+dy), flatten(ax-2*cx+dx, ay-2*cy+dy))
	px, py := ax, ay
	for i := 1; i < n; i++ {
		t := float64(i) / float64(n)
		mt := 1 - t
		qx := mt*mt*mt*ax + 3*mt*mt*t*bx + 3*mt*t*t*cx + t*t*t*dx
		qy := mt*mt*mt*ay + 3*mt*mt*t*by + 3*mt*t*t*cy + t*t*t*dy
		e.clipLine(px, py, qx, qy)
		px, py = qx, qy
	}
	e.clipLine(px, py, dx, dy)
	e.clipLine(dx, dy, x, y)
	e.x, e.y = x, y
}

// flatten is how many lines vector draws a curve with, given its
// deviation from a straight line.
func flatten(devx, devy float64) int {
	devsq := devx*devx + devy*devy
	if !(devsq >= 0.333) {
		return 1
	}
	return 1 + int(math.Sqrt(math.Sqrt(3*devsq)))
}

// margin keeps a curve's control points within 2^16 pixels of the mask,
// which bounds the lines it is flattened into. No chart has curves that
// reach so far; one that does is drawn approximately.
func (e *edges) margin(x, y float64) (float64, float64) {
	const m = 1 << 16
	return min(max(x, -m), e.w+m), min(max(y, -m), e.h+m)
}

// clipLine adds the part of an edge that can change the mask. The parts
// above and below it add nothing and are left out; parts left of it add
// their whole winding to every pixel of their rows, and parts right of it
// none, so those are moved onto the vertical lines x = -1 and x = w+1,
// where they still do exactly that.
func (e *edges) clipLine(ax, ay, bx, by float64) {
	// One segment, whatever comes of it: at most three lines for ras,
	// each within the mask's rows.
	e.segments++
	const big = 1e15 // beyond this, float64 loses the pixel
	ax, ay = min(max(ax, -big), big), min(max(ay, -big), big)
	bx, by = min(max(bx, -big), big), min(max(by, -big), big)
	if ay == by {
		return // a horizontal edge covers nothing
	}
	t0, t1 := (0-ay)/(by-ay), (e.h-ay)/(by-ay)
	if t0 > t1 {
		t0, t1 = t1, t0
	}
	t0, t1 = max(t0, 0), min(t1, 1)
	if !(t0 < t1) {
		return
	}
	at := func(t float64) (float64, float64) {
		switch t {
		case 0:
			return ax, ay
		case 1:
			return bx, by
		}
		return ax + (bx-ax)*t, min(max(ay+(by-ay)*t, 0), e.h)
	}
	x0, y0 := at(t0)
	x1, y1 := at(t1)
	cuts := [4]float64{0, 1}
	n := 2
	for _, cx := range [2]float64{-1, e.w + 1} {
		if s := (cx - x0) / (x1 - x0); s > 0 && s < 1 {
			cuts[n] = s
			n++
		}
	}
	slices.Sort(cuts[:n])
	for i := 0; i+1 < n; i++ {
		s0, s1 := cuts[i], cuts[i+1]
		xa, ya := x0+(x1-x0)*s0, y0+(y1-y0)*s0
		xb, yb := x0+(x1-x0)*s1, y0+(y1-y0)*s1
		if s1 == 1 {
			xb, yb = x1, y1
		}
		e.ras.MoveTo(float32(min(max(xa, -1), e.w+1)), float32(ya))
		e.ras.LineTo(float32(min(max(xb, -1), e.w+1)), float32(yb))
	}
}

// fillPattern lays a pattern through the rasterized coverage over r.
// Going through image.Image's At for each pixel, as the rasterizer's
// general path does, allocates a colour per pixel.
func (c *canvas) fillPattern(r image.Rectangle, pat *patternImage) {
	n := r.Dx() * r.Dy()
	c.work.pixels += n
	if c.mask == nil || len(c.mask.Pix) < n {
		c.mask = image.NewAlpha(image.Rect(0, 0, max(n, 1<<16), 1))
	}
	// The mask's rows must be contiguous (stride = width): when the mask
	// is the rasterizer's size, vector writes it as one run of bytes
	// whatever the stride, so a wider buffer's sub-image would come out
	// with all its rows packed into the first few.
	m := &image.Alpha{Pix: c.mask.Pix[:n], Stride: r.Dx(), Rect: image.Rect(0, 0, r.Dx(), r.Dy())}
	clear(m.Pix)
	c.ras.DrawOp = draw.Src
	c.ras.Draw(m, m.Rect, image.Opaque, image.Point{})
	for y := range r.Dy() {
		for x := range r.Dx() {
			ma := uint32(m.Pix[y*m.Stride+x]) * 0x101
			if ma == 0 {
				continue
			}
			s := pat.rgba(r.Min.X+x, r.Min.Y+y)
			sr, sg, sb, sa := uint32(s.R)*0x101, uint32(s.G)*0x101, uint32(s.B)*0x101, uint32(s.A)*0x101
			px := c.img.Pix[c.img.PixOffset(r.Min.X+x, r.Min.Y+y):]
			a := 0xffff - (sa * ma / 0xffff)
			px[0] = uint8(((uint32(px[0])*0x101*a + sr*ma) / 0xffff) >> 8)
			px[1] = uint8(((uint32(px[1])*0x101*a + sg*ma) / 0xffff) >> 8)
			px[2] = uint8(((uint32(px[2])*0x101*a + sb*ma) / 0xffff) >> 8)
			px[3] = uint8(((uint32(px[3])*0x101*a + sa*ma) / 0xffff) >> 8)
		}
	}
}

// maxOutline bounds the lines of one stroke's outline. rasterx makes
// each dash, cap and join in turn, flattening round ones into more lines
// the wider the stroke; a pattern a fraction of a pixel long, or a stroke
// millions of pixels wide, would otherwise take minutes. A chart's
// strokes have thousands.
const maxOutline = 1 << 20

// errOutline stops rasterx (which cannot be told to) when an outline
// grows past maxOutline.
var errOutline = errors.New("outline too large")

// strokeOutline turns p (device coordinates) into the outline of its
// stroke, width device pixels wide, using rasterx's stroker and dasher.
// On error the outline is what was made before the stroker was stopped,
// so that its work is counted all the same.
func strokeOutline(p *path, width float64, st style, dashScale float64) (made *path, err error) {
	out := &outline{}
	defer func() {
		if e := recover(); e != nil {
			if e != errOutline {
				panic(e)
			}
			made = &out.path
			err = fmt.Errorf("the outline of a stroke %.4g pixels wide would have more than %d lines", width, maxOutline)
		}
	}()
	rp := rasterx.Path{}
	// rasterx works in 26.6 fixed point, which holds ±2^25 pixels; and
	// it flattens curves into more pieces the larger they are. No chart
	// draws a million pixels off the canvas.
	const lim = 1 << 20
	pt := func(x, y float64) fixed.Point26_6 {
		x, y = min(max(x, -lim), lim), min(max(y, -lim), lim)
		return fixed.Point26_6{X: fixed.Int26_6(math.Round(x * 64)), Y: fixed.Int26_6(math.Round(y * 64))}
	}
	p.each(func(k segKind, v []float64) {
		switch k {
		case segMove:
			rp.Start(pt(v[0], v[1]))
		case segLine:
			rp.Line(pt(v[0], v[1]))
		case segQuad:
			rp.QuadBezier(pt(v[0], v[1]), pt(v[2], v[3]))
		case segCube:
			rp.CubeBezier(pt(v[0], v[1]), pt(v[2], v[3]), pt(v[4], v[5]))
		case segClose:
			rp.Stop(true)
		}
	})
	d := rasterx.NewDasher(0, 0, out)
	var capFn rasterx.CapFunc
	switch st.lineCap {
	case "round":
		capFn = rasterx.RoundCap
	case "square":
		capFn = rasterx.SquareCap
	default:
		capFn = rasterx.ButtCap
	}
	// rasterx draws a Round join with the gap function, as any join
	// past the miter limit: RoundGap makes it round, FlatGap a bevel.
	join, gap := rasterx.Miter, rasterx.FlatGap
	switch st.lineJoin {
	case "round":
		join, gap = rasterx.Round, rasterx.RoundGap
	case "bevel":
		join = rasterx.Bevel
	}
	var dashes []float64
	period := 0.0
	for _, v := range st.dashes {
		// 26.6 fixed point holds ±2^25: a longer dash is as good as
		// endless, and one under 1/64 pixel is none to rasterx.
		v = min(v*dashScale, 1<<24)
		dashes = append(dashes, v)
		period += math.Floor(v*64) / 64
	}
	// rasterx steps through the pattern up to the offset from 0, so a
	// negative offset would lengthen the first dash instead of shifting
	// the pattern back; SVG's offset is the same modulo the period.
	offset := st.dashOffset * dashScale
	if period > 0 {
		offset = math.Mod(offset, period)
		if offset < 0 {
			offset += period
		}
	}
	width = min(width, 1<<22) // wider covers any canvas
	d.SetStroke(fixed.Int26_6(math.Round(width*64)), fixed.Int26_6(math.Round(st.miterLimit*64)), capFn, nil, gap, join, dashes, offset)
	rp.AddTo(d)
	d.Stop(false)
	return &out.path, nil
}

// outline collects what rasterx's stroker emits, as a path to fill.
type outline struct{ path path }

func (o *outline) Start(a fixed.Point26_6) {
	if len(o.path.kinds) >= maxOutline {
		panic(errOutline)
	}
	o.path.moveTo(float64(a.X)/64, float64(a.Y)/64)
}
func (o *outline) Line(b fixed.Point26_6) {
	if len(o.path.kinds) >= maxOutline {
		panic(errOutline)
	}
	o.path.lineTo(float64(b.X)/64, float64(b.Y)/64)
}
func (o *outline) Draw() {}
func (o *outline) GetPathExtent() fixed.Rectangle26_6 {
	return fixed.Rectangle26_6{}
}
func (o *outline) SetBounds(w, h int)                {}
func (o *outline) SetColor(color interface{})        {}
func (o *outline) SetWinding(useNonZeroWinding bool) {}
func (o *outline) Clear()                            { o.path = path{} }
func (o *outline) SetClip(rect image.Rectangle)      {}

// uniform is a colour at an opacity, premultiplied for drawing.
func uniform(c color.NRGBA, opacity float64) *image.Uniform {
	c.A = uint8(math.Round(float64(c.A) * opacity))
	return image.NewUniform(c)
}

// patternImage paints a pattern tile repeated over the device plane:
// toTile maps a device pixel centre to a position in the tile's pixels.
type patternImage struct {
	tile    *image.RGBA
	toTile  matrix
	opacity float64
}

func (p *patternImage) ColorModel() color.Model { return color.RGBAModel }
func (p *patternImage) Bounds() image.Rectangle {
	return image.Rect(-1e7, -1e7, 1e7, 1e7)
}
func (p *patternImage) At(x, y int) color.Color { return p.rgba(x, y) }

func (p *patternImage) rgba(x, y int) color.RGBA {
	u, v := p.toTile.apply(float64(x)+0.5, float64(y)+0.5)
	w, h := p.tile.Rect.Dx(), p.tile.Rect.Dy()
	i := int(math.Floor(u)) % w
	j := int(math.Floor(v)) % h
	if i < 0 {
		i += w
	}
	if j < 0 {
		j += h
	}
	c := p.tile.RGBAAt(i, j)
	if p.opacity < 1 {
		f := p.opacity
		c = color.RGBA{uint8(float64(c.R) * f), uint8(float64(c.G) * f), uint8(float64(c.B) * f), uint8(float64(c.A) * f)}
	}
	return c
}

// rect returns the corners of p when it is one axis-aligned rectangle
// (a bar, a background, a treemap cell: most of a chart's area).
func (p *path) rect() (x0, y0, x1, y1 float64, ok bool) {
	k := p.kinds
	if len(k) == 6 && k[4] == segLine && k[5] == segClose && len(p.pts) == 10 {
		// A fifth point back at the start, as ECharts writes "l..Z".
		if p.pts[8] != p.pts[0] || p.pts[9] != p.pts[1] {
			return 0, 0, 0, 0, false
		}
		k = k[:4:4]
		k = append(k, segClose)
	}
	if len(k) != 5 || k[0] != segMove || k[1] != segLine || k[2] != segLine || k[3] != segLine || k[4] != segClose {
		return 0, 0, 0, 0, false
	}
	v := p.pts
	horizontalFirst := v[1] == v[3] && v[2] == v[4] && v[5] == v[7] && v[6] == v[0]
	verticalFirst := v[0] == v[2] && v[3] == v[5] && v[4] == v[6] && v[7] == v[1]
	if !horizontalFirst && !verticalFirst {
		return 0, 0, 0, 0, false
	}
	x0, x1 = min(v[0], v[4]), max(v[0], v[4])
	y0, y1 = min(v[1], v[5]), max(v[1], v[5])
	return x0, y0, x1, y1, true
}

// fillRect paints an axis-aligned rectangle in a uniform colour. A pixel's
// coverage is the area of it the rectangle covers, which is what the
// general rasterizer computes too, but without its per-pixel work: inside
// an opaque rectangle pixels are simply set.
func (c *canvas) fillRect(x0, y0, x1, y1 float64, col color.Color) {
	b := c.img.Rect
	ix0, iy0 := max(int(math.Floor(max(x0, -1))), b.Min.X), max(int(math.Floor(max(y0, -1))), b.Min.Y)
	ix1, iy1 := min(int(math.Ceil(min(x1, 1e7))), b.Max.X), min(int(math.Ceil(min(y1, 1e7))), b.Max.Y)
	if ix0 >= ix1 || iy0 >= iy1 {
		return
	}
	c.work.pixels += (ix1 - ix0) * (iy1 - iy0)
	sr, sg, sb, sa := col.RGBA()
	cover := func(lo, hi float64, i int) float64 {
		return max(0, min(hi, float64(i+1))-max(lo, float64(i)))
	}
	xs := make([]float64, ix1-ix0)
	for i := range xs {
		xs[i] = cover(x0, x1, ix0+i)
	}
	for y := iy0; y < iy1; y++ {
		cy := cover(y0, y1, y)
		row := c.img.Pix[c.img.PixOffset(ix0, y):]
		for i, cx := range xs {
			px := row[4*i : 4*i+4 : 4*i+4]
			m := uint32(cx*cy*0xffff + 0.5)
			if m == 0xffff && sa == 0xffff {
				px[0], px[1], px[2], px[3] = uint8(sr>>8), uint8(sg>>8), uint8(sb>>8), 0xff
				continue
			}
			// The same arithmetic as x/image/vector's Over, so that a
			// rectangle looks the same whichever way it was drawn.
			a := 0xffff - (sa * m / 0xffff)
			px[0] = uint8(((uint32(px[0])*0x101*a + sr*m) / 0xffff) >> 8)
			px[1] = uint8(((uint32(px[1])*0x101*a + sg*m) / 0xffff) >> 8)
			px[2] = uint8(((uint32(px[2])*0x101*a + sb*m) / 0xffff) >> 8)
			px[3] = uint8(((uint32(px[3])*0x101*a + sa*m) / 0xffff) >> 8)
		}
	}
}
