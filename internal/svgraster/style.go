package svgraster

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
)

// style holds the properties a node draws with. Most are inherited from
// the parent; opacity, transform and display apply to the node alone.
type style struct {
	fill          paint
	fillOpacity   float64
	stroke        paint
	strokeOpacity float64
	strokeWidth   float64
	lineCap       string
	lineJoin      string
	miterLimit    float64
	dashes        []float64
	dashOffset    float64
	fontSize      float64
	bold          bool
	anchor        string
	baseline      string
	strokeFirst   bool // paint-order: stroke
	hidden        bool // visibility: hidden

	// not inherited
	opacity float64
	display bool
}

func defaultStyle() style {
	return style{
		fill:          paint{color: namedColors["black"]},
		fillOpacity:   1,
		stroke:        paint{none: true},
		strokeOpacity: 1,
		strokeWidth:   1,
		lineCap:       "butt",
		lineJoin:      "miter",
		miterLimit:    4,
		fontSize:      16,
		anchor:        "start",
		baseline:      "auto",
		opacity:       1,
		display:       true,
	}
}

// geometryAttrs are read by the element that owns them, not as style.
var geometryAttrs = map[string]bool{
	"d": true, "x": true, "y": true, "width": true, "height": true,
	"rx": true, "ry": true, "cx": true, "cy": true, "r": true,
	"x1": true, "y1": true, "x2": true, "y2": true, "points": true,
	"transform": true, "viewBox": true, "preserveAspectRatio": true,
	"patternTransform": true, "patternContentUnits": true, "style": true,
	"xml:space": true,
}

// inherit returns the parent's style for a child node, with the node's
// presentation attributes and then its style attribute (which wins)
// applied.
func (parent style) inherit(n *node) (style, error) {
	st := parent
	st.opacity, st.display = 1, true
	for _, k := range sortedKeys(n.attrs) {
		if geometryAttrs[k] || ignoredAttrs[k] || strings.HasPrefix(k, "ecmeta_") || strings.HasPrefix(k, "data-") {
			continue
		}
		if err := st.set(k, n.attrs[k]); err != nil {
			return st, fmt.Errorf("SVG line %d, <%s>: %w", n.line, n.name, err)
		}
	}
	if css := n.attrs["style"]; css != "" {
		for _, decl := range strings.Split(css, ";") {
			name, value, ok := strings.Cut(decl, ":")
			name = strings.TrimSpace(name)
			if !ok || name == "" {
				if strings.TrimSpace(decl) == "" {
					continue
				}
				return st, fmt.Errorf("SVG line %d, <%s>: style %q: expected name:value", n.line, n.name, decl)
			}
			if err := st.set(name, strings.TrimSpace(value)); err != nil {
				return st, fmt.Errorf("SVG line %d, <%s>: %w", n.line, n.name, err)
			}
		}
	}
	return st, nil
}

func (st *style) set(name, value string) error {
	var err error
	switch name {
	case "fill":
		st.fill, err = parsePaint(value)
	case "stroke":
		st.stroke, err = parsePaint(value)
	case "fill-opacity":
		st.fillOpacity, err = parseOpacity(value)
	case "stroke-opacity":
		st.strokeOpacity, err = parseOpacity(value)
	case "opacity":
		st.opacity, err = parseOpacity(value)
	case "stroke-width":
		st.strokeWidth, err = cssLength(value)
	case "stroke-linecap":
		if value != "butt" && value != "round" && value != "square" {
			return fmt.Errorf("stroke-linecap %q is not supported", value)
		}
		st.lineCap = value
	case "stroke-linejoin":
		if value != "miter" && value != "round" && value != "bevel" {
			return fmt.Errorf("stroke-linejoin %q is not supported", value)
		}
		st.lineJoin = value
	case "stroke-miterlimit":
		st.miterLimit, err = strconv.ParseFloat(value, 64)
		if err == nil && !(st.miterLimit >= 1 && st.miterLimit <= math.MaxFloat64) {
			err = fmt.Errorf("stroke-miterlimit %q is below 1", value)
		}
	case "stroke-dasharray":
		st.dashes = nil
		if value != "none" && value != "" {
			st.dashes, err = numberList(strings.ReplaceAll(value, "px", ""))
			if err == nil && len(st.dashes)%2 == 1 {
				// SVG repeats an odd list to make it even.
				st.dashes = append(st.dashes, st.dashes...)
			}
			for _, d := range st.dashes {
				if d < 0 {
					err = fmt.Errorf("stroke-dasharray %q has a negative length", value)
				}
			}
		}
	case "stroke-dashoffset":
		st.dashOffset, err = cssLength(value)
	case "font-size":
		st.fontSize, err = cssLength(value)
	case "font-weight":
		switch value {
		case "bold", "bolder", "600", "700", "800", "900":
			st.bold = true
		case "normal", "lighter", "100", "200", "300", "400", "500":
			st.bold = false
		default:
			err = fmt.Errorf("font-weight %q is not supported", value)
		}
	case "font-family":
		// The renderer draws with the one CJK face it was given; the
		// family list is for the SVG file's readers.
	case "font-style":
		if value != "normal" {
			err = fmt.Errorf("font-style %q is not supported", value)
		}
	case "font-variant":
		if value != "normal" {
			err = fmt.Errorf("font-variant %q is not supported", value)
		}
	case "text-anchor":
		if value != "start" && value != "middle" && value != "end" {
			return fmt.Errorf("text-anchor %q is not supported", value)
		}
		st.anchor = value
	case "dominant-baseline", "alignment-baseline":
		if _, ok := baselines[value]; !ok {
			return fmt.Errorf("%s %q is not supported", name, value)
		}
		st.baseline = value
	case "paint-order":
		switch strings.Fields(value + " fill")[0] {
		case "normal", "fill", "markers":
			st.strokeFirst = false
		case "stroke":
			st.strokeFirst = true
		default:
			err = fmt.Errorf("paint-order %q is not supported", value)
		}
	case "visibility":
		st.hidden = value == "hidden" || value == "collapse"
	case "display":
		st.display = value != "none"
	case "fill-rule", "clip-rule":
		// The coverage rasterizer fills by non-zero winding, which is
		// what SVG does unless told otherwise.
		if value != "nonzero" {
			err = fmt.Errorf("%s %q is not supported (only nonzero)", name, value)
		}
	case "shape-rendering", "text-rendering", "image-rendering", "vector-effect", "white-space", "letter-spacing", "word-spacing":
		if name == "vector-effect" && value != "none" {
			err = fmt.Errorf("vector-effect %q is not supported", value)
		}
		if (name == "letter-spacing" || name == "word-spacing") && value != "normal" && value != "0" && value != "0px" {
			err = fmt.Errorf("%s %q is not supported", name, value)
		}
	case "cursor", "pointer-events", "user-select", "transition":
	default:
		return fmt.Errorf("attribute or property %q is not supported", name)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// cssLength reads a number of CSS pixels, "14px" or "14".
func cssLength(s string) (float64, error) {
	s = strings.TrimSpace(s)
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "px"), 64)
	if err != nil || !(v >= 0 && v <= math.MaxFloat64) { // nor NaN nor infinite
		return 0, fmt.Errorf("%q is not a length in pixels", s)
	}
	return v, nil
}

// attrNumber reads a numeric geometry attribute; a missing one is def.
func attrNumber(n *node, name string, def float64) (float64, error) {
	s, ok := n.attrs[name]
	if !ok || strings.TrimSpace(s) == "" {
		return def, nil
	}
	s = strings.TrimSuffix(strings.TrimSpace(s), "px")
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("SVG line %d, <%s> %s=%q: not a number", n.line, n.name, name, n.attrs[name])
	}
	return v, nil
}

func sortedKeys(m map[string]string) []string {
	// Order matters only for which error is reported first.
	return slices.Sorted(maps.Keys(m))
}
