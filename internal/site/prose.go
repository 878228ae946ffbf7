package site

import (
	"html/template"
	"sync"

	"disclose/internal/markdown"
	"disclose/internal/model"
)

// prose renders the Markdown of one build. Each text takes the renderer
// time linear in its length (markdown.Check keeps it so), but some texts
// appear in several files: a report's summary on its page and, as plain
// text, in the search index; a department's duties on the page of each of
// its reports. Those are rendered once, HTML and plain text from one
// parse, and kept for the build; a text shown once goes to the renderer
// directly, so that the build does not hold every section's HTML.
type prose struct {
	render func(src string) (template.HTML, string)
	mu     sync.Mutex
	shared map[string]*rendered
}

type rendered struct {
	once  sync.Once
	html  template.HTML
	plain string
}

func newProse(md *markdown.Renderer) *prose {
	return &prose{render: md.Render, shared: map[string]*rendered{}}
}

// html renders a text shown once.
func (p *prose) html(src string) template.HTML {
	h, _ := p.render(src)
	return h
}

// once renders a text shown in several files, the first time it is asked
// for.
func (p *prose) once(src string) *rendered {
	p.mu.Lock()
	r, ok := p.shared[src]
	if !ok {
		r = &rendered{}
		p.shared[src] = r
	}
	p.mu.Unlock()
	r.once.Do(func() { r.html, r.plain = p.render(src) })
	return r
}

// forget drops the texts of d that once kept: its duties and its reports'
// summaries, which no other department's files show.
func (p *prose) forget(d *model.Department) {
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.shared, d.Duties)
	for _, r := range d.Reports {
		delete(p.shared, r.Narrative.Summary)
	}
}
