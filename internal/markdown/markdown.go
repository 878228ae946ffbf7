// Package markdown renders the narrative of reports. Raw HTML in the source
// is dropped (goldmark's default): content comes from many offices and the
// site's Content-Security-Policy must hold.
package markdown

import (
	"bytes"
	"html/template"

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
		goldmark.WithExtensions(extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(parser.WithASTTransformers(
			util.Prioritized(headingShift(top), 100))),
	)}
}

// HTML renders src; a render error (which goldmark only returns for a
// failing writer) yields the text escaped as a paragraph.
func (r *Renderer) HTML(src string) template.HTML {
	if src == "" {
		return ""
	}
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return template.HTML("<p>" + template.HTMLEscapeString(src) + "</p>")
	}
	return template.HTML(buf.String())
}

// Plain returns the text of src without markup, for summaries and the
// search index.
func (r *Renderer) Plain(src string) string {
	doc := r.md.Parser().Parse(text.NewReader([]byte(src)))
	var buf bytes.Buffer
	source := []byte(src)
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
