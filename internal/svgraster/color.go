package svgraster

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// paint is what fills or strokes a shape: nothing, a colour, or a pattern.
type paint struct {
	none    bool
	color   color.NRGBA
	pattern string // id of a <pattern>, from url(#id)
}

// namedColors are the CSS colour keywords ECharts' themes and our options
// use; an unknown name is an error rather than a silent black.
var namedColors = map[string]color.NRGBA{
	"black":       {0, 0, 0, 255},
	"white":       {255, 255, 255, 255},
	"red":         {255, 0, 0, 255},
	"green":       {0, 128, 0, 255},
	"blue":        {0, 0, 255, 255},
	"gray":        {128, 128, 128, 255},
	"grey":        {128, 128, 128, 255},
	"silver":      {192, 192, 192, 255},
	"orange":      {255, 165, 0, 255},
	"yellow":      {255, 255, 0, 255},
	"navy":        {0, 0, 128, 255},
	"lightgray":   {211, 211, 211, 255},
	"lightgrey":   {211, 211, 211, 255},
	"darkgray":    {169, 169, 169, 255},
	"darkgrey":    {169, 169, 169, 255},
	"transparent": {},
}

func parsePaint(s string) (paint, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "none":
		return paint{none: true}, nil
	case strings.HasPrefix(s, "url(#") && strings.HasSuffix(s, ")"):
		id := strings.Trim(s[len("url(#"):len(s)-1], `'"`)
		if id == "" {
			return paint{}, fmt.Errorf("paint %q refers to no id", s)
		}
		return paint{pattern: id}, nil
	}
	c, err := parseColor(s)
	if err != nil {
		return paint{}, err
	}
	return paint{color: c}, nil
}

func parseColor(s string) (color.NRGBA, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := namedColors[s]; ok {
		return c, nil
	}
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		switch len(h) {
		case 3, 4:
			var b [4]byte
			b[3] = 0xff
			for i := range len(h) {
				v, err := strconv.ParseUint(h[i:i+1], 16, 8)
				if err != nil {
					return color.NRGBA{}, fmt.Errorf("colour %q: not hexadecimal", s)
				}
				b[i] = byte(v * 17)
			}
			return color.NRGBA{b[0], b[1], b[2], b[3]}, nil
		case 6, 8:
			v, err := strconv.ParseUint(h, 16, 32)
			if err != nil {
				return color.NRGBA{}, fmt.Errorf("colour %q: not hexadecimal", s)
			}
			if len(h) == 6 {
				v = v<<8 | 0xff
			}
			return color.NRGBA{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}, nil
		}
		return color.NRGBA{}, fmt.Errorf("colour %q: expected #rgb or #rrggbb", s)
	}
	for _, fn := range []string{"rgba(", "rgb("} {
		if !strings.HasPrefix(s, fn) || !strings.HasSuffix(s, ")") {
			continue
		}
		parts := strings.Split(s[len(fn):len(s)-1], ",")
		if len(parts) != 3 && len(parts) != 4 {
			return color.NRGBA{}, fmt.Errorf("colour %q: expected 3 or 4 components", s)
		}
		var v [4]float64
		v[3] = 1
		for i, p := range parts {
			p = strings.TrimSpace(p)
			pct := strings.HasSuffix(p, "%")
			f, err := strconv.ParseFloat(strings.TrimSuffix(p, "%"), 64)
			if err != nil || math.IsNaN(f) {
				return color.NRGBA{}, fmt.Errorf("colour %q: bad component %q", s, p)
			}
			switch {
			case pct && i < 3:
				f = f * 255 / 100
			case pct:
				f /= 100
			}
			v[i] = f
		}
		return color.NRGBA{clamp255(v[0]), clamp255(v[1]), clamp255(v[2]), clamp255(v[3] * 255)}, nil
	}
	return color.NRGBA{}, fmt.Errorf("colour %q is not supported", s)
}

func clamp255(f float64) uint8 {
	switch {
	case f <= 0:
		return 0
	case f >= 255:
		return 255
	}
	return uint8(f + 0.5)
}

// parseOpacity reads 0–1 (or a percentage), clamped as CSS does.
func parseOpacity(s string) (float64, error) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(f) {
		return 0, fmt.Errorf("opacity %q is not a number", s)
	}
	if pct {
		f /= 100
	}
	return min(max(f, 0), 1), nil
}
