package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// A ref is one URL that a page or a stylesheet points at.
type ref struct {
	where string // element and attribute, e.g. `a href`, `css url()`
	rel   string // the rel attribute of <link>/<a>, e.g. "canonical"
	url   string
}

// refAttrs are the attributes that load or link to another resource.
var refAttrs = map[string][]string{
	"a":      {"href"},
	"area":   {"href"},
	"link":   {"href"},
	"script": {"src"},
	"img":    {"src", "srcset"},
	"source": {"src", "srcset"},
	"video":  {"src", "poster"},
	"audio":  {"src"},
	"track":  {"src"},
	"iframe": {"src"},
	"embed":  {"src"},
	"object": {"data"},
	"form":   {"action"},
}

// A page is what the checks need from one HTML document.
type page struct {
	refs []ref
	ids  map[string]bool // id attributes and <a name>, the valid fragments
	lang string          // <html lang>
	csp  []string        // the contents of <meta http-equiv=Content-Security-Policy>
	// inline holds the CSP sources ('sha256-…') of the page's inline
	// scripts: the only inline code a CSP may allow is code it names.
	inline map[string]bool
}

func parsePage(b []byte) (*page, error) {
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	p := &page{ids: map[string]bool{}, inline: map[string]bool{}}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
				if a.Key == "id" || (n.Data == "a" && a.Key == "name") {
					p.ids[a.Val] = true
				}
			}
			switch {
			case n.Data == "html":
				p.lang = attr["lang"]
			case n.Data == "meta" && strings.EqualFold(attr["http-equiv"], "Content-Security-Policy"):
				p.csp = append(p.csp, attr["content"])
			}
			for _, name := range refAttrs[n.Data] {
				v, ok := attr[name]
				if !ok {
					continue
				}
				if name == "srcset" {
					for _, u := range parseSrcset(v) {
						p.refs = append(p.refs, ref{where: n.Data + " srcset", url: u})
					}
					continue
				}
				p.refs = append(p.refs, ref{where: n.Data + " " + name, rel: attr["rel"], url: strings.TrimSpace(v)})
			}
			if s, ok := attr["style"]; ok {
				for _, u := range cssURLs(s) {
					p.refs = append(p.refs, ref{where: n.Data + " style url()", url: u})
				}
			}
			if _, src := attr["src"]; n.Data == "script" && !src && n.FirstChild != nil {
				sum := sha256.Sum256([]byte(n.FirstChild.Data))
				p.inline["'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'"] = true
			}
			if n.Data == "style" && n.FirstChild != nil {
				for _, u := range cssURLs(n.FirstChild.Data) {
					p.refs = append(p.refs, ref{where: "style url()", url: u})
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return p, nil
}

func parseSrcset(v string) []string {
	var out []string
	for _, cand := range strings.Split(v, ",") {
		if f := strings.Fields(cand); len(f) > 0 {
			out = append(out, f[0])
		}
	}
	return out
}

var (
	cssURLRe    = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)`)
	cssImportRe = regexp.MustCompile(`@import\s+(?:"([^"]*)"|'([^']*)')`)
	cssComment  = regexp.MustCompile(`(?s)/\*.*?\*/`)
)

// cssURLs returns the URLs a stylesheet loads: url(...) and @import "...".
func cssURLs(css string) []string {
	css = cssComment.ReplaceAllString(css, "")
	var out []string
	for _, re := range []*regexp.Regexp{cssURLRe, cssImportRe} {
		for _, m := range re.FindAllStringSubmatch(css, -1) {
			out = append(out, strings.TrimSpace(m[1]+m[2]+m[3]))
		}
	}
	return out
}
