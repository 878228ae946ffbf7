package theme

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
)

// Templates parses templates/*.html once. Files whose names start with "_"
// are the shared layout and partials; every other file is a page, parsed on
// a clone of the shared set so that each page can define its own blocks.
// Pages are keyed by file name without ".html".
func Templates(fsys fs.FS, funcs template.FuncMap) (map[string]*template.Template, error) {
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	shared := template.New("").Funcs(funcs).Option("missingkey=error")
	var pages []string
	for _, n := range names {
		if strings.HasPrefix(path.Base(n), "_") {
			if err := parseInto(shared, fsys, n); err != nil {
				return nil, err
			}
		} else {
			pages = append(pages, n)
		}
	}
	out := make(map[string]*template.Template, len(pages))
	for _, n := range pages {
		t, err := shared.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseInto(t, fsys, n); err != nil {
			return nil, err
		}
		out[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return out, nil
}

func parseInto(t *template.Template, fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("theme %s: %w", name, err)
	}
	if _, err := t.New(path.Base(name)).Parse(string(b)); err != nil {
		return fmt.Errorf("theme %w", err)
	}
	return nil
}
