package svgraster

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// node is one element of the SVG document.
type node struct {
	name     string
	attrs    map[string]string
	children []*node
	text     string // character data, for <text> and <style>
	line     int
}

// document is a parsed SVG: its root and the patterns it defines.
type document struct {
	root     *node
	width    float64
	height   float64
	viewBox  matrix // user units to CSS pixels
	patterns map[string]*node
}

// elements are those this renderer draws or knows to skip; any other is
// an error, so that a chart never comes out silently missing a part.
var elements = map[string]bool{
	"svg": true, "g": true, "defs": true, "pattern": true, "style": true,
	"title": true, "desc": true, "metadata": true,
	"path": true, "rect": true, "circle": true, "ellipse": true, "line": true,
	"polyline": true, "polygon": true, "text": true,
}

// ignoredAttrs change nothing in a still image: interaction (ECharts'
// hover classes, pointer events), metadata and XML plumbing.
var ignoredAttrs = map[string]bool{
	"class": true, "id": true, "pointer-events": true, "cursor": true,
	"version": true, "baseProfile": true, "xmlns": true, "space": true,
	"patternUnits": true, "lang": true, "role": true, "aria-label": true,
	"aria-hidden": true, "focusable": true,
}

func parseDocument(data []byte) (*document, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var stack []*node
	doc := &document{patterns: map[string]*node{}}
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("SVG: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if !elements[name] {
				return nil, fmt.Errorf("SVG line %d: element <%s> is not supported", line, name)
			}
			n := &node{name: name, attrs: map[string]string{}, line: line}
			for _, a := range t.Attr {
				key := a.Name.Local
				if a.Name.Space == "xmlns" || a.Name.Space == "http://www.w3.org/2000/xmlns/" {
					continue
				}
				if key == "space" {
					// xml:space="preserve" keeps the spaces of a text.
					n.attrs["xml:space"] = a.Value
					continue
				}
				n.attrs[key] = a.Value
			}
			if len(stack) == 0 {
				if name != "svg" {
					return nil, fmt.Errorf("SVG: the root element is <%s>, not <svg>", name)
				}
				doc.root = n
			} else {
				parent := stack[len(stack)-1]
				if parent.name == "text" {
					return nil, fmt.Errorf("SVG line %d: <%s> inside <text> is not supported", line, name)
				}
				parent.children = append(parent.children, n)
			}
			if name == "pattern" {
				if id := n.attrs["id"]; id != "" {
					doc.patterns[id] = n
				}
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if doc.root == nil {
		return nil, errors.New("SVG: no <svg> element")
	}
	if err := doc.size(); err != nil {
		return nil, err
	}
	if err := checkStyles(doc.root); err != nil {
		return nil, err
	}
	return doc, nil
}

// size reads the root's width, height and viewBox, placing the viewBox
// as preserveAspectRatio's default (xMidYMid meet) does.
func (doc *document) size() error {
	r := doc.root
	var err error
	if doc.width, err = length(r.attrs["width"]); err != nil {
		return fmt.Errorf("SVG width: %w", err)
	}
	if doc.height, err = length(r.attrs["height"]); err != nil {
		return fmt.Errorf("SVG height: %w", err)
	}
	doc.viewBox = identity
	vb := r.attrs["viewBox"]
	if vb == "" {
		return nil
	}
	v, err := numberList(vb)
	if err != nil || len(v) != 4 || v[2] <= 0 || v[3] <= 0 {
		return fmt.Errorf("SVG viewBox %q: expected four numbers, width and height above zero", vb)
	}
	if par := strings.TrimSpace(r.attrs["preserveAspectRatio"]); par != "" && par != "xMidYMid meet" && par != "xMidYMid" {
		return fmt.Errorf("SVG preserveAspectRatio %q is not supported", par)
	}
	s := min(doc.width/v[2], doc.height/v[3])
	tx := (doc.width - v[2]*s) / 2
	ty := (doc.height - v[3]*s) / 2
	doc.viewBox = matrix{a: s, d: s, e: tx - v[0]*s, f: ty - v[1]*s}
	return nil
}

// length reads a size in CSS pixels ("800", "800px").
func length(s string) (float64, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "px"))
	if s == "" {
		return 0, errors.New("missing")
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v > 0) || v > 100000 { // !(v > 0) is also NaN
		return 0, fmt.Errorf("%q is not a size in pixels", s)
	}
	return v, nil
}

// checkStyles refuses style sheets that would change the picture. ECharts
// writes rules for hover states only, which a still image never shows.
func checkStyles(n *node) error {
	if n.name == "style" {
		css := n.text
		for {
			open := strings.IndexByte(css, '{')
			if open < 0 {
				if strings.TrimSpace(css) != "" {
					return fmt.Errorf("SVG line %d: style sheet text %q is not supported", n.line, clip(strings.TrimSpace(css)))
				}
				break
			}
			end := strings.IndexByte(css[open:], '}')
			if end < 0 {
				return fmt.Errorf("SVG line %d: unclosed rule in style sheet", n.line)
			}
			selectors := strings.TrimSpace(css[:open])
			body := strings.TrimSpace(css[open+1 : open+end])
			css = css[open+end+1:]
			if body == "" {
				continue
			}
			for _, sel := range strings.Split(selectors, ",") {
				if !strings.Contains(sel, ":hover") {
					return fmt.Errorf("SVG line %d: style rule %q would change the picture and is not supported", n.line, strings.TrimSpace(sel))
				}
			}
		}
	}
	for _, c := range n.children {
		if err := checkStyles(c); err != nil {
			return err
		}
	}
	return nil
}
