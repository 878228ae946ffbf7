// Package svgraster draws SVG to PNG in pure Go. It covers what ECharts'
// SVG renderer writes for disclose's charts (paths with arcs and curves,
// rects, circles, lines, polylines, polygons, text with anchors and
// baselines, opacity, transforms, pattern fills for decals) and refuses
// anything else with an error that names it, so that an image is never
// silently missing part of a chart.
//
// Layer 0 (see internal/arch): it imports nothing of ours.
package svgraster

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"sync"
)

// Rasterizer draws SVG documents. It is safe for concurrent use.
type Rasterizer struct {
	regular, bold *Face
	canvases      sync.Pool
}

// New returns a rasterizer drawing text with regular, and bold text with
// bold (regular when nil).
func New(regular, bold *Face) (*Rasterizer, error) {
	if regular == nil {
		return nil, errors.New("svgraster: no font")
	}
	if bold == nil {
		bold = regular
	}
	return &Rasterizer{regular: regular, bold: bold}, nil
}

// MaxPixels bounds an image's size, so that a typo in a width cannot ask
// for gigabytes.
const MaxPixels = 64 << 20

// Render draws svg at scale image pixels per CSS pixel.
func (r *Rasterizer) Render(svg []byte, scale float64) (*image.RGBA, error) {
	img, _, err := r.render(svg, scale)
	return img, err
}

// render is Render, also returning the work it did, errors included.
func (r *Rasterizer) render(svg []byte, scale float64) (*image.RGBA, work, error) {
	doc, err := parseDocument(svg)
	if err != nil {
		return nil, work{}, err
	}
	if !(scale > 0) || scale > 16 {
		return nil, work{}, fmt.Errorf("svgraster: scale %v out of range", scale)
	}
	w := int(math.Ceil(doc.width*scale - 1e-9))
	h := int(math.Ceil(doc.height*scale - 1e-9))
	if w*h > MaxPixels {
		return nil, work{}, fmt.Errorf("svgraster: %d×%d pixels is too large", w, h)
	}
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	c, _ := r.canvases.Get().(*canvas)
	if c == nil {
		c = &canvas{}
	}
	defer r.canvases.Put(c)
	c.img = img
	c.work = work{pixels: w * h}
	d := &drawing{r: r, doc: doc, c: c, tiles: map[tileKey]*image.RGBA{}, inTile: map[string]bool{}}
	ctm := doc.viewBox.then(matrix{a: scale, d: scale})
	st, err := defaultStyle().inherit(doc.root)
	if err != nil {
		return nil, c.work, err
	}
	err = d.children(doc.root, ctm, st)
	c.img = nil
	if err != nil {
		return nil, c.work, err
	}
	return img, c.work, nil
}

// PNG draws svg, width×height CSS pixels, at scale and encodes it. The
// size must agree with the document's own.
func (r *Rasterizer) PNG(svg []byte, width, height int, scale float64) ([]byte, error) {
	img, err := r.Render(svg, scale)
	if err != nil {
		return nil, err
	}
	if wantW, wantH := int(math.Ceil(float64(width)*scale-1e-9)), int(math.Ceil(float64(height)*scale-1e-9)); img.Rect.Dx() != wantW || img.Rect.Dy() != wantH {
		return nil, fmt.Errorf("svgraster: the SVG is %d×%d pixels at this scale, not %d×%d", img.Rect.Dx(), img.Rect.Dy(), wantW, wantH)
	}
	return encodePNG(img)
}

// drawing is one Render call's state.
type drawing struct {
	r     *Rasterizer
	doc   *document
	c     *canvas
	tiles map[tileKey]*image.RGBA
	// inTile holds the patterns whose tiles are being drawn, so that a
	// pattern used inside itself is an error, not an endless recursion.
	inTile map[string]bool
}

type tileKey struct {
	id   string
	w, h int
}

func (d *drawing) children(n *node, ctm matrix, st style) error {
	for _, ch := range n.children {
		if err := d.node(ch, ctm, st); err != nil {
			return err
		}
	}
	return nil
}

func (d *drawing) node(n *node, ctm matrix, parent style) error {
	switch n.name {
	case "defs", "pattern", "style", "title", "desc", "metadata":
		return nil // patterns are drawn where they are used
	}
	st, err := parent.inherit(n)
	if err != nil {
		return err
	}
	if !st.display {
		return nil
	}
	if t := n.attrs["transform"]; t != "" {
		m, err := parseTransform(t)
		if err != nil {
			return fmt.Errorf("SVG line %d: %w", n.line, err)
		}
		ctm = m.then(ctm)
	}
	if n.name == "g" || n.name == "svg" {
		if st.opacity >= 1 {
			return d.children(n, ctm, st)
		}
		if st.opacity <= 0 {
			return nil
		}
		// Group opacity applies to the group as drawn, overlaps included,
		// so the group is drawn apart and then laid down at that opacity.
		dst := d.c.img
		layer := image.NewRGBA(dst.Rect)
		d.c.work.pixels += 2 * dst.Rect.Dx() * dst.Rect.Dy() // the layer, then laying it down
		d.c.img = layer
		err := d.children(n, ctm, st)
		d.c.img = dst
		if err != nil {
			return err
		}
		draw.DrawMask(dst, dst.Rect, layer, dst.Rect.Min, image.NewUniform(color.Alpha{uint8(math.Round(st.opacity * 255))}), image.Point{}, draw.Over)
		return nil
	}
	if st.hidden {
		return nil
	}
	if n.name == "text" {
		return d.text(n, ctm, st)
	}
	if len(n.children) > 0 {
		return fmt.Errorf("SVG line %d: <%s> with child elements is not supported", n.line, n.name)
	}
	p, err := shapePath(n)
	if err != nil || p == nil {
		return err
	}
	return d.paint(n, p, ctm, st)
}

// paint fills and strokes p (user space) in paint order. A leaf's own
// opacity multiplies its fill and stroke, which differs from a group's
// only where its stroke overlaps its fill.
func (d *drawing) paint(n *node, p *path, ctm matrix, st style) error {
	return d.paintDevice(n, p.transformed(ctm), ctm, st)
}

// paintDevice is paint for a path already in device space.
func (d *drawing) paintDevice(n *node, dev *path, ctm matrix, st style) error {
	if st.opacity <= 0 {
		return nil
	}
	doFill := func() error {
		if st.fill.none {
			return nil
		}
		src, err := d.source(st.fill, st.fillOpacity*st.opacity, ctm)
		if err != nil || src == nil {
			return err
		}
		d.c.fill(dev, src, true)
		return nil
	}
	doStroke := func() error {
		if st.stroke.none || st.strokeWidth <= 0 {
			return nil
		}
		s, uniformScale := ctm.scale()
		if !uniformScale {
			return fmt.Errorf("SVG line %d: a stroke under a transform that skews or stretches unevenly is not supported", n.line)
		}
		src, err := d.source(st.stroke, st.strokeOpacity*st.opacity, ctm)
		if err != nil || src == nil {
			return err
		}
		outline, err := strokeOutline(dev, st.strokeWidth*s, st, s)
		if outline != nil {
			d.c.work.segments += len(outline.kinds)
		}
		if err != nil {
			return fmt.Errorf("SVG line %d: %w", n.line, err)
		}
		d.c.fill(outline, src, false)
		return nil
	}
	first, second := doFill, doStroke
	if st.strokeFirst {
		first, second = doStroke, doFill
	}
	if err := first(); err != nil {
		return err
	}
	return second()
}

// source is what a paint draws with; nil when it draws nothing.
func (d *drawing) source(p paint, opacity float64, ctm matrix) (image.Image, error) {
	if p.pattern != "" {
		return d.patternSource(p.pattern, opacity, ctm)
	}
	if p.color.A == 0 || opacity <= 0 {
		return nil, nil
	}
	return uniform(p.color, opacity), nil
}

// patternSource draws the pattern's tile at device resolution and
// repeats it over the plane, in the user space of the shape it fills
// (patternUnits="userSpaceOnUse", the only kind ECharts writes).
func (d *drawing) patternSource(id string, opacity float64, ctm matrix) (image.Image, error) {
	n, ok := d.doc.patterns[id]
	if !ok {
		return nil, fmt.Errorf("SVG: fill refers to #%s, which is not a <pattern> of the document", id)
	}
	if u := n.attrs["patternUnits"]; u != "userSpaceOnUse" {
		return nil, fmt.Errorf("SVG line %d: pattern units %q are not supported (only userSpaceOnUse)", n.line, u)
	}
	if u := n.attrs["patternContentUnits"]; u != "" && u != "userSpaceOnUse" {
		return nil, fmt.Errorf("SVG line %d: pattern content units %q are not supported", n.line, u)
	}
	if n.attrs["viewBox"] != "" || n.attrs["href"] != "" {
		return nil, fmt.Errorf("SVG line %d: pattern viewBox and href are not supported", n.line)
	}
	w, err := attrNumber(n, "width", 0)
	if err != nil {
		return nil, err
	}
	h, err := attrNumber(n, "height", 0)
	if err != nil {
		return nil, err
	}
	x, err := attrNumber(n, "x", 0)
	if err != nil {
		return nil, err
	}
	y, err := attrNumber(n, "y", 0)
	if err != nil {
		return nil, err
	}
	if w <= 0 || h <= 0 || opacity <= 0 {
		return nil, nil // SVG: a pattern of no size paints nothing
	}
	pt := identity
	if t := n.attrs["patternTransform"]; t != "" {
		if pt, err = parseTransform(t); err != nil {
			return nil, fmt.Errorf("SVG line %d: %w", n.line, err)
		}
	}
	// tile space → user space → device
	full := matrix{a: 1, d: 1, e: x, f: y}.then(pt).then(ctm)
	k := math.Sqrt(math.Abs(full.det()))
	if !(w*k*h*k <= MaxPixels) { // in floating point, before int can overflow
		return nil, fmt.Errorf("SVG line %d: pattern tile too large", n.line)
	}
	tw, th := max(1, int(math.Round(w*k))), max(1, int(math.Round(h*k)))
	if tw*th > MaxPixels {
		return nil, fmt.Errorf("SVG line %d: pattern tile too large", n.line)
	}
	key := tileKey{id, tw, th}
	tile := d.tiles[key]
	if tile == nil {
		if d.inTile[id] {
			return nil, fmt.Errorf("SVG line %d: pattern #%s is used inside itself", n.line, id)
		}
		tile = image.NewRGBA(image.Rect(0, 0, tw, th))
		d.c.work.pixels += tw * th
		sub := &drawing{r: d.r, doc: d.doc, c: &canvas{img: tile}, tiles: d.tiles, inTile: d.inTile}
		st, err := defaultStyle().inherit(&node{name: "pattern", attrs: map[string]string{}, line: n.line})
		if err != nil {
			return nil, err
		}
		d.inTile[id] = true
		err = sub.children(n, matrix{a: float64(tw) / w, d: float64(th) / h}, st)
		d.c.work.add(sub.c.work)
		delete(d.inTile, id)
		if err != nil {
			return nil, err
		}
		d.tiles[key] = tile
	}
	inv, ok := full.invert()
	if !ok {
		return nil, nil
	}
	return &patternImage{tile: tile, toTile: inv.then(matrix{a: float64(tw) / w, d: float64(th) / h}), opacity: opacity}, nil
}

func (d *drawing) text(n *node, ctm matrix, st style) error {
	s := textContent(n)
	if s == "" || st.fontSize <= 0 {
		return nil
	}
	x, err := singleNumber(n, "x")
	if err != nil {
		return err
	}
	y, err := singleNumber(n, "y")
	if err != nil {
		return err
	}
	face := d.r.regular
	if st.bold {
		face = d.r.bold
	}
	p, err := layoutText(face, s, st.fontSize, x, y, st.anchor, st.baseline, ctm)
	if err != nil {
		return fmt.Errorf("SVG line %d: %w", n.line, err)
	}
	return d.paintDevice(n, p, ctm, st)
}

// singleNumber reads a text position; lists (per-glyph positions) are not
// something ECharts writes.
func singleNumber(n *node, name string) (float64, error) {
	if strings.ContainsAny(strings.TrimSpace(n.attrs[name]), " ,") {
		return 0, fmt.Errorf("SVG line %d: <text> %s=%q: per-glyph positions are not supported", n.line, name, n.attrs[name])
	}
	return attrNumber(n, name, 0)
}

// shapePath is the outline of a basic shape in its user space; nil when
// SVG says the shape is not drawn (a rect of zero width, say).
func shapePath(n *node) (*path, error) {
	num := func(name string) (float64, error) { return attrNumber(n, name, 0) }
	var errs []error
	get := func(name string) float64 {
		v, err := num(name)
		if err != nil {
			errs = append(errs, err)
		}
		return v
	}
	p := &path{}
	switch n.name {
	case "path":
		d := n.attrs["d"]
		if strings.TrimSpace(d) == "" {
			return nil, nil
		}
		q, err := parsePath(d)
		if err != nil {
			return nil, fmt.Errorf("SVG line %d: %w", n.line, err)
		}
		return q, nil
	case "rect":
		x, y, w, h := get("x"), get("y"), get("width"), get("height")
		_, rxSet := n.attrs["rx"]
		_, rySet := n.attrs["ry"]
		crx, cry := get("rx"), get("ry")
		if !rxSet {
			crx = cry
		}
		if !rySet {
			cry = crx
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		if w <= 0 || h <= 0 {
			return nil, nil
		}
		crx, cry = min(max(crx, 0), w/2), min(max(cry, 0), h/2)
		if crx == 0 || cry == 0 {
			p.moveTo(x, y)
			p.lineTo(x+w, y)
			p.lineTo(x+w, y+h)
			p.lineTo(x, y+h)
			p.close()
			return p, nil
		}
		p.moveTo(x+crx, y)
		p.lineTo(x+w-crx, y)
		arcTo(p, x+w-crx, y, crx, cry, 0, false, true, x+w, y+cry)
		p.lineTo(x+w, y+h-cry)
		arcTo(p, x+w, y+h-cry, crx, cry, 0, false, true, x+w-crx, y+h)
		p.lineTo(x+crx, y+h)
		arcTo(p, x+crx, y+h, crx, cry, 0, false, true, x, y+h-cry)
		p.lineTo(x, y+cry)
		arcTo(p, x, y+cry, crx, cry, 0, false, true, x+crx, y)
		p.close()
		return p, nil
	case "circle", "ellipse":
		cx, cy := get("cx"), get("cy")
		var rx, ry float64
		if n.name == "circle" {
			rx = get("r")
			ry = rx
		} else {
			rx, ry = get("rx"), get("ry")
		}
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		if rx <= 0 || ry <= 0 {
			return nil, nil
		}
		p.moveTo(cx+rx, cy)
		arcTo(p, cx+rx, cy, rx, ry, 0, false, true, cx-rx, cy)
		arcTo(p, cx-rx, cy, rx, ry, 0, false, true, cx+rx, cy)
		p.close()
		return p, nil
	case "line":
		x1, y1, x2, y2 := get("x1"), get("y1"), get("x2"), get("y2")
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		p.moveTo(x1, y1)
		p.lineTo(x2, y2)
		return p, nil
	case "polyline", "polygon":
		v, err := numberList(n.attrs["points"])
		if err != nil {
			return nil, fmt.Errorf("SVG line %d: points: %w", n.line, err)
		}
		if len(v) < 4 {
			return nil, nil
		}
		v = v[:len(v)&^1] // SVG draws up to an odd last number
		p.moveTo(v[0], v[1])
		for i := 2; i+1 < len(v); i += 2 {
			p.lineTo(v[i], v[i+1])
		}
		if n.name == "polygon" {
			p.close()
		}
		return p, nil
	}
	return nil, fmt.Errorf("SVG line %d: <%s> cannot be drawn", n.line, n.name)
}
