// Package markdown renders the narrative of reports. Raw HTML in the source
// is dropped (goldmark's default): content comes from many offices and the
// site's Content-Security-Policy must hold.
//
// Layer 0 (see internal/arch): it imports nothing of ours.
package markdown

import (
	"bytes"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer is safe for concurrent use.
type Renderer struct{ md goldmark.Markdown }

// New returns a renderer whose highest heading becomes level top, so that
// a section's own headings nest under the page's section title without
// skipping a level, whatever level the writer started from.
func New(top int) *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(extension.Table, doubleTildeStrikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(
			util.Prioritized(headingShift(top), 100))),
	)}
}

// Render returns the HTML of src and its text without markup (for
// summaries and the search index) from one parse. A text that Check
// refuses never reaches goldmark: it comes out as escaped paragraphs, so
// that whatever reaches the renderer takes time linear in its length. A
// render error (which goldmark only returns for a failing writer) yields
// the text escaped the same way.
func (r *Renderer) Render(src string) (template.HTML, string) {
	src = trimBOM(src)
	if src == "" {
		return "", ""
	}
	if _, ok := Check(src); !ok {
		return escaped(src), plain(src)
	}
	source := []byte(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	var buf bytes.Buffer
	if err := r.md.Renderer().Render(&buf, source, doc); err != nil {
		return escaped(src), plain(src)
	}
	return template.HTML(buf.String()), plainText(doc, source)
}

// HTML renders src; see Render.
func (r *Renderer) HTML(src string) template.HTML {
	h, _ := r.Render(src)
	return h
}

// Plain returns the text of src without markup; see Render. It does not
// render the HTML.
func (r *Renderer) Plain(src string) string {
	src = trimBOM(src)
	if _, ok := Check(src); !ok {
		return plain(src)
	}
	source := []byte(src)
	return plainText(r.md.Parser().Parse(text.NewReader(source)), source)
}

// escaped is src as paragraphs of text, split at blank lines.
func escaped(src string) template.HTML {
	var b strings.Builder
	for para := range strings.SplitSeq(strings.ReplaceAll(src, "\r\n", "\n"), "\n\n") {
		if para = strings.TrimSpace(para); para != "" {
			b.WriteString("<p>" + template.HTMLEscapeString(para) + "</p>\n")
		}
	}
	return template.HTML(b.String())
}

// plain is src with its white space collapsed, as plainText leaves it.
func plain(src string) string { return strings.Join(strings.Fields(src), " ") }

func plainText(doc ast.Node, source []byte) string {
	var buf bytes.Buffer
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock && buf.Len() > 0 {
				buf.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch t := n.(type) {
		case *ast.Text:
			buf.Write(t.Segment.Value(source))
			if t.SoftLineBreak() || t.HardLineBreak() {
				buf.WriteByte(' ')
			}
		case *ast.String:
			buf.Write(t.Value)
		}
		return ast.WalkContinue, nil
	})
	return string(bytes.Join(bytes.Fields(buf.Bytes()), []byte(" ")))
}

// headingShift moves every heading so that the document's highest one
// lands on the given level.
type headingShift int

func (top headingShift) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	highest := 7
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			highest = min(highest, h.Level)
		}
		return ast.WalkContinue, nil
	})
	if highest == 7 {
		return
	}
	shift := int(top) - highest
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			h.Level = max(1, min(h.Level+shift, 6))
		}
		return ast.WalkContinue, nil
	})
}
