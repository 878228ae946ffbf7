package theme

import (
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestOverlay(t *testing.T) {
	base := fstest.MapFS{
		"assets/css/site.css": {Data: []byte("base css")},
		"assets/js/site.js":   {Data: []byte("base js")},
		"templates/home.html": {Data: []byte("base home")},
	}
	top := fstest.MapFS{
		"assets/css/site.css": {Data: []byte("user css")},
		"assets/img/logo.svg": {Data: []byte("<svg/>")},
		"assets/.DS_Store":    {Data: []byte("junk")},
	}
	o := Overlay(top, base)
	for name, want := range map[string]string{
		"assets/css/site.css": "user css",
		"assets/js/site.js":   "base js",
		"templates/home.html": "base home",
		"assets/img/logo.svg": "<svg/>",
	} {
		got, err := fs.ReadFile(o, name)
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", name, got, err, want)
		}
	}
	assets, err := Assets(o)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"assets/css/site.css", "assets/img/logo.svg", "assets/js/site.js"}
	if !slices.Equal(assets, want) {
		t.Errorf("Assets = %v, want %v", assets, want)
	}
	if err := fstest.TestFS(o, "assets/css/site.css", "assets/js/site.js", "assets/img/logo.svg", "templates/home.html"); err != nil {
		t.Error(err)
	}
}

func TestTemplatesShareLayout(t *testing.T) {
	fsys := fstest.MapFS{
		"templates/_base.html": {Data: []byte(`<main>{{block "main" .}}{{end}}</main>`)},
		"templates/a.html":     {Data: []byte(`{{template "_base.html" .}}{{define "main"}}A{{.}}{{end}}`)},
		"templates/b.html":     {Data: []byte(`{{template "_base.html" .}}{{define "main"}}B{{up .}}{{end}}`)},
	}
	pages, err := Templates(fsys, template.FuncMap{"up": strings.ToUpper})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"a": "<main>Ax</main>", "b": "<main>BX</main>"} {
		var sb strings.Builder
		if err := pages[name].ExecuteTemplate(&sb, name+".html", "x"); err != nil {
			t.Fatal(err)
		}
		if sb.String() != want {
			t.Errorf("%s = %q, want %q", name, sb.String(), want)
		}
	}
	if _, ok := pages["_base"]; ok {
		t.Error("layout files are not pages")
	}
	bad := fstest.MapFS{"templates/c.html": {Data: []byte(`{{if}}`)}}
	if _, err := Templates(bad, nil); err == nil || !strings.Contains(err.Error(), "c.html") {
		t.Errorf("parse error = %v, want it to name c.html", err)
	}
}

func TestDefaultThemeIsComplete(t *testing.T) {
	th, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"templates/_base.html", "templates/report.html", "assets/css/site.css", "assets/js/site.js", "assets/js/prefs.js"} {
		if _, err := fs.Stat(th, name); err != nil {
			t.Errorf("default theme lacks %s", name)
		}
	}
	if _, err := Open("/no/such/theme"); err == nil {
		t.Error("a missing theme directory must be an error")
	}
}
