package svgraster

import (
	"fmt"
	"math"
	"strconv"
)

type segKind uint8

const (
	segMove segKind = iota
	segLine
	segQuad
	segCube
	segClose
)

// path is an outline in absolute coordinates: each segment takes 1 (move,
// line), 2 (quad) or 3 (cube) points, close none.
type path struct {
	kinds []segKind
	pts   []float64 // x, y pairs
}

func (p *path) moveTo(x, y float64) {
	p.kinds = append(p.kinds, segMove)
	p.pts = append(p.pts, x, y)
}
func (p *path) lineTo(x, y float64) {
	p.kinds = append(p.kinds, segLine)
	p.pts = append(p.pts, x, y)
}
func (p *path) quadTo(x1, y1, x, y float64) {
	p.kinds = append(p.kinds, segQuad)
	p.pts = append(p.pts, x1, y1, x, y)
}
func (p *path) cubeTo(x1, y1, x2, y2, x, y float64) {
	p.kinds = append(p.kinds, segCube)
	p.pts = append(p.pts, x1, y1, x2, y2, x, y)
}
func (p *path) close() { p.kinds = append(p.kinds, segClose) }

func (p *path) empty() bool { return len(p.kinds) == 0 }

// transformed returns p with every point mapped through m; an affine map
// of a Bézier curve is the curve of the mapped control points.
func (p *path) transformed(m matrix) *path {
	q := &path{kinds: p.kinds, pts: make([]float64, len(p.pts))}
	for i := 0; i+1 < len(p.pts); i += 2 {
		q.pts[i], q.pts[i+1] = m.apply(p.pts[i], p.pts[i+1])
	}
	return q
}

// bounds of the control points, which contain the curve.
func (p *path) bounds() (x0, y0, x1, y1 float64) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for i := 0; i+1 < len(p.pts); i += 2 {
		x, y := p.pts[i], p.pts[i+1]
		x0, x1 = math.Min(x0, x), math.Max(x1, x)
		y0, y1 = math.Min(y0, y), math.Max(y1, y)
	}
	return
}

// each calls f for every segment with its points.
func (p *path) each(f func(k segKind, pts []float64)) {
	i := 0
	for _, k := range p.kinds {
		n := 0
		switch k {
		case segMove, segLine:
			n = 2
		case segQuad:
			n = 4
		case segCube:
			n = 6
		}
		f(k, p.pts[i:i+n])
		i += n
	}
}

// scanner reads SVG's compact number syntax: "M0-7l1 0", "1.5.5" (two
// numbers), "1e-3", flags written without separators ("0 1 1 6.4 -3").
type scanner struct {
	s string
	i int
}

func (sc *scanner) done() bool { return sc.i >= len(sc.s) }

func (sc *scanner) skipSeparators() {
	for sc.i < len(sc.s) {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r', '\n', '\f', ',':
			sc.i++
		default:
			return
		}
	}
}

func (sc *scanner) number() (float64, error) {
	start := sc.i
	i := sc.i
	if i < len(sc.s) && (sc.s[i] == '+' || sc.s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(sc.s) && sc.s[i] >= '0' && sc.s[i] <= '9' {
		i++
		digits++
	}
	if i < len(sc.s) && sc.s[i] == '.' {
		i++
		for i < len(sc.s) && sc.s[i] >= '0' && sc.s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 {
		return 0, fmt.Errorf("expected a number at offset %d of %q", start, clip(sc.s))
	}
	if i < len(sc.s) && (sc.s[i] == 'e' || sc.s[i] == 'E') {
		j := i + 1
		if j < len(sc.s) && (sc.s[j] == '+' || sc.s[j] == '-') {
			j++
		}
		if j < len(sc.s) && sc.s[j] >= '0' && sc.s[j] <= '9' {
			for j < len(sc.s) && sc.s[j] >= '0' && sc.s[j] <= '9' {
				j++
			}
			i = j
		}
	}
	v, err := strconv.ParseFloat(sc.s[start:i], 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("bad number %q in %q", sc.s[start:i], clip(sc.s))
	}
	sc.i = i
	return v, nil
}

// flag reads an arc flag, a single 0 or 1 that needs no separator.
func (sc *scanner) flag() (bool, error) {
	sc.skipSeparators()
	if sc.i < len(sc.s) && (sc.s[sc.i] == '0' || sc.s[sc.i] == '1') {
		sc.i++
		return sc.s[sc.i-1] == '1', nil
	}
	return false, fmt.Errorf("expected an arc flag (0 or 1) at offset %d of %q", sc.i, clip(sc.s))
}

func (sc *scanner) numbers(dst []float64) error {
	for i := range dst {
		sc.skipSeparators()
		v, err := sc.number()
		if err != nil {
			return err
		}
		dst[i] = v
	}
	return nil
}

// startsNumber reports whether more numbers follow, which repeat the last
// command ("l1 0 0 2" is two lines).
func (sc *scanner) startsNumber() bool {
	sc.skipSeparators()
	if sc.done() {
		return false
	}
	c := sc.s[sc.i]
	return c == '+' || c == '-' || c == '.' || c >= '0' && c <= '9'
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// parsePath reads SVG path data, every command of SVG 1.1, into absolute
// lines and curves; arcs become cubic Béziers.
func parsePath(d string) (*path, error) {
	p := &path{}
	sc := scanner{s: d}
	var (
		cx, cy      float64 // current point
		sx, sy      float64 // start of the subpath
		lcx, lcy    float64 // last control point, for S and T
		last        byte
		haveCurrent bool
		a           [7]float64
	)
	for {
		sc.skipSeparators()
		if sc.done() {
			for _, v := range p.pts {
				// Finite numbers can add up to infinity ("l1e308 0").
				if math.IsInf(v, 0) || math.IsNaN(v) {
					return nil, fmt.Errorf("path data: coordinates out of range in %q", clip(d))
				}
			}
			return p, nil
		}
		cmd := sc.s[sc.i]
		if isCommand(cmd) {
			sc.i++
		} else if last != 0 && last != 'Z' && last != 'z' && sc.startsNumber() {
			// Implicit repetition; after a move, further pairs are lines.
			cmd = last
			switch cmd {
			case 'M':
				cmd = 'L'
			case 'm':
				cmd = 'l'
			}
		} else {
			return nil, fmt.Errorf("path data: unexpected %q at offset %d of %q", cmd, sc.i, clip(d))
		}
		if !haveCurrent && cmd != 'M' && cmd != 'm' {
			return nil, fmt.Errorf("path data must start with M: %q", clip(d))
		}
		rel := cmd >= 'a'
		ox, oy := 0.0, 0.0
		if rel {
			ox, oy = cx, cy
		}
		var err error
		switch cmd {
		case 'M', 'm':
			if err = sc.numbers(a[:2]); err == nil {
				cx, cy = ox+a[0], oy+a[1]
				sx, sy = cx, cy
				p.moveTo(cx, cy)
				haveCurrent = true
			}
		case 'L', 'l':
			if err = sc.numbers(a[:2]); err == nil {
				cx, cy = ox+a[0], oy+a[1]
				p.lineTo(cx, cy)
			}
		case 'H', 'h':
			if err = sc.numbers(a[:1]); err == nil {
				cx = ox + a[0]
				p.lineTo(cx, cy)
			}
		case 'V', 'v':
			if err = sc.numbers(a[:1]); err == nil {
				cy = oy + a[0]
				p.lineTo(cx, cy)
			}
		case 'C', 'c':
			if err = sc.numbers(a[:6]); err == nil {
				p.cubeTo(ox+a[0], oy+a[1], ox+a[2], oy+a[3], ox+a[4], oy+a[5])
				lcx, lcy = ox+a[2], oy+a[3]
				cx, cy = ox+a[4], oy+a[5]
			}
		case 'S', 's':
			if err = sc.numbers(a[:4]); err == nil {
				x1, y1 := cx, cy
				if l := lower(last); l == 'c' || l == 's' {
					x1, y1 = 2*cx-lcx, 2*cy-lcy
				}
				p.cubeTo(x1, y1, ox+a[0], oy+a[1], ox+a[2], oy+a[3])
				lcx, lcy = ox+a[0], oy+a[1]
				cx, cy = ox+a[2], oy+a[3]
			}
		case 'Q', 'q':
			if err = sc.numbers(a[:4]); err == nil {
				p.quadTo(ox+a[0], oy+a[1], ox+a[2], oy+a[3])
				lcx, lcy = ox+a[0], oy+a[1]
				cx, cy = ox+a[2], oy+a[3]
			}
		case 'T', 't':
			if err = sc.numbers(a[:2]); err == nil {
				x1, y1 := cx, cy
				if l := lower(last); l == 'q' || l == 't' {
					x1, y1 = 2*cx-lcx, 2*cy-lcy
				}
				p.quadTo(x1, y1, ox+a[0], oy+a[1])
				lcx, lcy = x1, y1
				cx, cy = ox+a[0], oy+a[1]
			}
		case 'A', 'a':
			var large, sweep bool
			if err = sc.numbers(a[:3]); err == nil {
				if large, err = sc.flag(); err == nil {
					if sweep, err = sc.flag(); err == nil {
						if err = sc.numbers(a[3:5]); err == nil {
							x, y := ox+a[3], oy+a[4]
							arcTo(p, cx, cy, a[0], a[1], a[2], large, sweep, x, y)
							cx, cy = x, y
						}
					}
				}
			}
		case 'Z', 'z':
			p.close()
			cx, cy = sx, sy
		}
		if err != nil {
			return nil, fmt.Errorf("path data: %w", err)
		}
		last = cmd
	}
}

func isCommand(c byte) bool {
	switch lower(c) {
	case 'm', 'l', 'h', 'v', 'c', 's', 'q', 't', 'a', 'z':
		return true
	}
	return false
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// arcTo adds an elliptical arc from (x0, y0) to (x, y) as cubic Béziers,
// following the endpoint-to-center conversion of SVG 1.1 appendix F.6,
// out-of-range radii scaled up as F.6.6 says.
func arcTo(p *path, x0, y0, rx, ry, angle float64, large, sweep bool, x, y float64) {
	if x0 == x && y0 == y {
		return // F.6.2: the arc is omitted
	}
	rx, ry = math.Abs(rx), math.Abs(ry)
	if rx == 0 || ry == 0 {
		p.lineTo(x, y)
		return
	}
	sinPhi, cosPhi := math.Sincos(angle * math.Pi / 180)
	dx, dy := (x0-x)/2, (y0-y)/2
	x1 := cosPhi*dx + sinPhi*dy
	y1 := -sinPhi*dx + cosPhi*dy
	// F.6.5–6 in terms of x1/rx and y1/ry, whose squares stay finite
	// where those of radii like 1e-200 or 1e200 would not.
	l := math.Hypot(x1/rx, y1/ry)
	if l > 1 {
		rx, ry = rx*l, ry*l
	}
	coef := 0.0
	if l > 0 && l < 1 {
		coef = math.Sqrt(1-l*l) / l
	}
	if large == sweep {
		coef = -coef
	}
	cxp := coef * rx * (y1 / ry)
	cyp := -coef * ry * (x1 / rx)
	cx := cosPhi*cxp - sinPhi*cyp + (x0+x)/2
	cy := sinPhi*cxp + cosPhi*cyp + (y0+y)/2
	theta1 := vectorAngle(1, 0, (x1-cxp)/rx, (y1-cyp)/ry)
	delta := vectorAngle((x1-cxp)/rx, (y1-cyp)/ry, (-x1-cxp)/rx, (-y1-cyp)/ry)
	if !sweep && delta > 0 {
		delta -= 2 * math.Pi
	} else if sweep && delta < 0 {
		delta += 2 * math.Pi
	}
	// Quarter turns or less per curve keep the error under 0.03% of the
	// radius, far below a pixel at any size we draw.
	n := int(math.Ceil(math.Abs(delta) / (math.Pi / 2)))
	if n < 1 {
		n = 1
	}
	step := delta / float64(n)
	k := 4.0 / 3 * math.Tan(step/4)
	point := func(t float64) (px, py, tx, ty float64) {
		s, c := math.Sincos(t)
		ex, ey := rx*c, ry*s
		px = cosPhi*ex - sinPhi*ey + cx
		py = sinPhi*ex + cosPhi*ey + cy
		// derivative of the ellipse point
		dx, dy := -rx*s, ry*c
		tx = cosPhi*dx - sinPhi*dy
		ty = sinPhi*dx + cosPhi*dy
		return
	}
	t := theta1
	px, py, tx, ty := point(t)
	for i := range n {
		t2 := theta1 + step*float64(i+1)
		qx, qy, ux, uy := point(t2)
		if i == n-1 {
			qx, qy = x, y // land exactly on the endpoint
		}
		p.cubeTo(px+k*tx, py+k*ty, qx-k*ux, qy-k*uy, qx, qy)
		px, py, tx, ty = qx, qy, ux, uy
	}
}

func vectorAngle(ux, uy, vx, vy float64) float64 {
	return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy)
}
