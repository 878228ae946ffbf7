package server

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestServer(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"index.html":          "<h1>首页</h1>",
		"404.html":            "<h1>没有找到</h1>",
		"assets/css/site.css": "body{}",
		"assets/js/site.js":   "1",
		"reports/a/2023.html": "<h1>报告</h1>",
		".disclose-site":      "marker",
		"data/all.xlsx":       "PK",
		"../outside.txt":      "secret",
	} {
		p := filepath.Join(dir, "site", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(New(filepath.Join(dir, "site"), Options{}))
	defer srv.Close()
	for _, tc := range []struct {
		path, wantType, wantBody string
		wantCode                 int
	}{
		{"/", "text/html", "首页", 200},
		{"/index.html", "text/html", "首页", 200},
		{"/reports/a/2023.html", "text/html", "报告", 200},
		{"/assets/css/site.css", "text/css", "body", 200},
		{"/assets/js/site.js", "text/javascript", "1", 200},
		{"/data/all.xlsx", "application/vnd.openxmlformats", "PK", 200},
		{"/nope.html", "text/html", "没有找到", 404},
		{"/.disclose-site", "text/html", "没有找到", 404},
		{"/../outside.txt", "text/html", "没有找到", 404},
		{"/%2e%2e/outside.txt", "text/html", "没有找到", 404},
		{"/reports/..%2f..%2foutside.txt", "text/html", "没有找到", 404},
		{"/reports/%2e%2e/%2e%2e/outside.txt", "text/html", "没有找到", 404},
		{"/..%5coutside.txt", "text/html", "没有找到", 404},
	} {
		req, _ := http.NewRequest("GET", srv.URL+tc.path, nil)
		// Keep the client from cleaning the path before it is sent.
		req.URL.Opaque = tc.path
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.wantCode || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.wantType) || !strings.Contains(string(body), tc.wantBody) {
			t.Errorf("%s: %d %s %q; want %d %s %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), body, tc.wantCode, tc.wantType, tc.wantBody)
		}
		if strings.Contains(string(body), "secret") {
			t.Errorf("%s: served a file outside the site", tc.path)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
			t.Errorf("%s: CSP %q", tc.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", tc.path)
		}
	}
	resp, err := http.Post(srv.URL+"/index.html", "text/plain", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", resp.StatusCode)
	}
}

// Pending answers first: the files it has (a first build's, rendered on
// request) are served from it, with the live script on pages; the rest,
// and dotfiles always, as without it.
func TestPendingFilesFirst(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.html"), []byte("<body>旧页面</body>"), 0o644); err != nil {
		t.Fatal(err)
	}
	var asked []string
	pending := func(_ context.Context, rel string) ([]byte, bool, error) {
		asked = append(asked, rel)
		switch rel {
		case "index.html":
			return []byte("<body>正在生成的首页</body>"), true, nil
		case "data/x.csv":
			return []byte("a,b\n"), true, nil
		}
		return nil, false, nil
	}
	srv := httptest.NewServer(New(dir, Options{Live: NewHub(), Pending: pending}))
	defer srv.Close()
	for _, tc := range []struct{ path, want, wantType string }{
		{"/", "正在生成的首页", "text/html"},
		{"/data/x.csv", "a,b", "text/csv"},
		{"/old.html", "旧页面", "text/html"},
	} {
		resp, err := http.Get(srv.URL + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), tc.want) || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.wantType) {
			t.Errorf("%s: %d %q %q", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
		if strings.HasSuffix(tc.wantType, "html") && !strings.Contains(string(b), "live.js") {
			t.Errorf("%s: no live script", tc.path)
		}
	}
	if want := []string{"index.html", "data/x.csv", "old.html"}; strings.Join(asked, " ") != strings.Join(want, " ") {
		t.Errorf("asked %v, want %v", asked, want)
	}
}
