package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// doubleTildeStrikethrough is goldmark's strikethrough with "~~" only.
// Chinese reports write ranges with a single tilde ("1~3月完成60%，
// 4~6月完成80%"), which GitHub's single-tilde strikethrough would strike
// out from one range to the next, changing what the report says.
var doubleTildeStrikethrough goldmark.Extender = doubleTildeExtension{}

type doubleTildeExtension struct{}

func (doubleTildeExtension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithInlineParsers(
		util.Prioritized(doubleTilde{extension.NewStrikethroughParser()}, 500),
	))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
	))
}

type doubleTilde struct{ inner parser.InlineParser }

func (d doubleTilde) Trigger() []byte { return d.inner.Trigger() }

func (d doubleTilde) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	n := 0
	for n < len(line) && line[n] == '~' {
		n++
	}
	if n != 2 {
		return nil // plain text, as in "1~3月"
	}
	return d.inner.Parse(parent, block, pc)
}
