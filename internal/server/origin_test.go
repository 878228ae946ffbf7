package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSite writes files (slash paths) under a new directory and returns it.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// raw sends one request over its own connection exactly as written: Go's
// client would clean the target or turn "//host/..." into an absolute URL,
// which is not what an attacker's link makes a browser send. The body of
// an event stream is not read, since it never ends.
func raw(t *testing.T, addr, method, target, host string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, host)
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s (Host %q): %v", method, target, host, err)
	}
	// Closing the body of a stream would wait for its end; closing the
	// connection is enough.
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		return resp, ""
	}
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	return resp, string(body)
}

// browserResolve resolves a Location against base as a browser's URL
// parser would: it drops tabs and newlines anywhere, trims control
// characters and spaces at the ends, and reads "\" as "/" in http URLs.
func browserResolve(base *url.URL, loc string) (*url.URL, error) {
	loc = strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' })
	loc = strings.NewReplacer("\t", "", "\n", "", "\r", "", `\`, "/").Replace(loc)
	u, err := url.Parse(loc)
	if err != nil {
		return nil, err
	}
	return base.ResolveReference(u), nil
}

var originSite = map[string]string{
	"index.html":              "<h1>首页</h1>",
	"assets/index.html":       "<h1>资源</h1>",
	"reports/a/index.html":    "<h1>甲单位</h1>",
	"404.html":                "<h1>没有找到</h1>",
	"assets/css/site.css":     "body{}",
	"reports/a/2023.html":     "<h1>报告</h1>",
	"evil.example/index.html": "<h1>一个像主机名的目录</h1>",
	"50% #1/index.html":       "<h1>特殊字符</h1>",
	"报告/index.html":           "<h1>中文目录</h1>",
	".hidden/index.html":      "secret",
}

func TestRedirectStaysOnSite(t *testing.T) {
	srv := httptest.NewServer(New(writeSite(t, originSite), Options{LoopbackOnly: true}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL + "/")
	addr := base.Host

	// Each of these once produced a Location that leaves the site, or could
	// with another directory layout.
	for _, target := range []string{
		"//evil.example/..%2fassets",
		"//evil.example/..%2fassets?x=1",
		"//evil.example%2f..%2fassets",
		"//127.0.0.1@evil.example/..%2fassets",
		"//evil.example",
		"//evil.example/",
		`/\evil.example/`,
		`/\evil.example/..%2fassets`,
		"/%5cevil.example/..%2fassets",
		"/%5c%5cevil.example/..%2f..%2fassets",
		"/%2F%2Fevil.example",
		"/%2F%2Fevil.example/assets",
		"/%2F/evil.example/..%2f..%2fassets",
		"///evil.example",
		"///evil.example/assets",
		"////evil.example",
		"/.//evil.example",
		"/.//evil.example/..%2f..%2fassets",
		"/%2e//evil.example/..%2f..%2fassets",
		"/%09/evil.example/..%2f..%2fassets",
		"/%0d%0a/evil.example/..%2f..%2fassets",
		"/%0a/evil.example/..%2f..%2fassets",
		"/%0d%0aLocation:%20http://evil.example/..%2f..%2fassets",
		"/%20//evil.example/..%2f..%2fassets",
		"/%00/evil.example/..%2f..%2fassets",
		"/..%2f/evil.example",
		"/assets/..%2f..%2f/evil.example",
		"/.hidden",
	} {
		for _, method := range []string{"GET", "HEAD"} {
			resp, body := raw(t, addr, method, target, addr)
			loc := resp.Header.Get("Location")
			if len(resp.Header.Values("Location")) > 1 {
				t.Errorf("%s %s: several Locations %q", method, target, resp.Header.Values("Location"))
			}
			if loc == "" {
				if resp.StatusCode/100 == 3 {
					t.Errorf("%s %s: %d without Location", method, target, resp.StatusCode)
				}
				continue
			}
			u, err := browserResolve(base, loc)
			if err != nil {
				t.Errorf("%s %s: Location %q does not parse: %v", method, target, loc, err)
				continue
			}
			if u.Scheme != base.Scheme || u.Host != base.Host {
				t.Errorf("%s %s: Location %q leads to %s://%s", method, target, loc, u.Scheme, u.Host)
			}
			if !strings.HasPrefix(loc, "/") || strings.HasPrefix(loc, "//") || strings.HasPrefix(loc, `/\`) {
				t.Errorf("%s %s: Location %q is not a plain absolute path", method, target, loc)
			}
			if strings.Contains(body, "evil.example") && !strings.Contains(loc, "evil.example") {
				t.Errorf("%s %s: body names another site: %q", method, target, body)
			}
		}
	}
}

func TestDirectoryRedirect(t *testing.T) {
	srv := httptest.NewServer(New(writeSite(t, originSite), Options{LoopbackOnly: true}))
	defer srv.Close()
	base, _ := url.Parse(srv.URL + "/")
	addr := base.Host
	for _, tc := range []struct {
		target   string
		wantCode int
		wantLoc  string // the Location header exactly; "" for none
		wantPath string // the path a browser goes to
		wantBody string
	}{
		{"/assets", 301, "/assets/", "/assets/", ""},
		{"/assets?v=1&x=%2F%2Fevil", 301, "/assets/?v=1&x=%2F%2Fevil", "/assets/", ""},
		{"/reports/a", 301, "/reports/a/", "/reports/a/", ""},
		{"/reports/./a", 301, "/reports/a/", "/reports/a/", ""},
		{"/reports/x/../a", 301, "/reports/a/", "/reports/a/", ""},
		{"/evil.example", 301, "/evil.example/", "/evil.example/", ""},
		{"/50%25%20%231", 301, "/50%25%20%231/", "/50% #1/", ""},
		{"/%E6%8A%A5%E5%91%8A", 301, "/%E6%8A%A5%E5%91%8A/", "/报告/", ""},
		{"/evil.example/", 200, "", "", "像主机名"},
		{"/50%25%20%231/", 200, "", "", "特殊字符"},
		{"/", 200, "", "", "首页"},
		{"/.hidden", 404, "", "", "没有找到"},
		{"/.hidden/", 404, "", "", "没有找到"},
		// Above the root is the root, as before.
		{"/../assets", 301, "/assets/", "/assets/", ""},
		{"/%2e%2e/assets", 301, "/assets/", "/assets/", ""},
		{"/../../outside", 404, "", "", "没有找到"},
		{"/..%5cassets", 404, "", "", "没有找到"},
		{"/nope", 404, "", "", "没有找到"},
	} {
		resp, body := raw(t, addr, "GET", tc.target, addr)
		loc := resp.Header.Get("Location")
		// Percent-escapes may be in either case.
		if resp.StatusCode != tc.wantCode || !strings.EqualFold(loc, tc.wantLoc) || !strings.Contains(body, tc.wantBody) {
			t.Errorf("GET %s: %d Location %q %q; want %d Location %q body with %q", tc.target, resp.StatusCode, loc, body, tc.wantCode, tc.wantLoc, tc.wantBody)
			continue
		}
		if tc.wantPath == "" {
			continue
		}
		u, err := browserResolve(base, loc)
		if err != nil || u.Host != base.Host || u.Path != tc.wantPath {
			t.Errorf("GET %s: Location %q resolves to %v (%v); want path %q", tc.target, loc, u, err, tc.wantPath)
		}
		// The redirect must lead somewhere that answers.
		if next, _ := raw(t, addr, "GET", u.RequestURI(), addr); next.StatusCode != 200 {
			t.Errorf("GET %s → %s: %d", tc.target, u.RequestURI(), next.StatusCode)
		}
	}
}

func TestHostCheck(t *testing.T) {
	dir := writeSite(t, originSite)
	hub := NewHub()
	srv := httptest.NewServer(New(dir, Options{Live: hub, LoopbackOnly: true}))
	defer srv.Close()
	// Ends any stream left open before Close waits for it.
	defer hub.Close()
	addr := srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)

	paths := []string{"/", "/assets/css/site.css", "/nope", "/_disclose/live.js", "/_disclose/events"}
	for _, host := range []string{
		"127.0.0.1:" + port,
		"127.0.0.1",
		"127.1.2.3:" + port,
		"localhost:" + port,
		"localhost",
		"LocalHost:" + port,
		"[::1]:" + port,
		"[::1]",
		"[0:0:0:0:0:0:0:1]:" + port,
		// A forwarded port (ssh -L 8080:127.0.0.1:PORT) is still this machine.
		"localhost:8080",
	} {
		for _, p := range paths {
			resp, _ := raw(t, addr, "GET", p, host)
			if resp.StatusCode == http.StatusMisdirectedRequest || resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusBadRequest {
				t.Errorf("Host %q GET %s: %d; want it served", host, p, resp.StatusCode)
			}
		}
	}

	for _, tc := range []struct{ method, target, host string }{
		// DNS rebinding: the attacker's name now points at 127.0.0.1.
		{"GET", "/", "evil.example:" + port},
		{"GET", "/", "evil.example"},
		{"GET", "/_disclose/events", "evil.example:" + port},
		{"GET", "/_disclose/live.js", "evil.example:" + port},
		{"HEAD", "/", "evil.example:" + port},
		{"POST", "/", "evil.example:" + port},
		{"GET", "/assets", "evil.example:" + port},
		{"GET", "/", "localhost.evil.example:" + port},
		{"GET", "/", "127.0.0.1.nip.io:" + port},
		{"GET", "/", "localhost.:" + port},
		{"GET", "/", "0.0.0.0:" + port},
		{"GET", "/", "192.168.1.10:" + port},
		{"GET", "/", "[::]:" + port},
		{"GET", "/", ""},
		// In absolute form the request's own URL names the host.
		{"GET", "http://evil.example:" + port + "/", "127.0.0.1:" + port},
		{"GET", "http://evil.example:" + port + "/_disclose/events", "127.0.0.1:" + port},
	} {
		resp, body := raw(t, addr, tc.method, tc.target, tc.host)
		if resp.StatusCode != http.StatusMisdirectedRequest {
			t.Errorf("Host %q %s %s: %d; want 421", tc.host, tc.method, tc.target, resp.StatusCode)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
			t.Errorf("Host %q %s %s: Content-Type %q", tc.host, tc.method, tc.target, ct)
		}
		if loc := resp.Header.Get("Location"); loc != "" {
			t.Errorf("Host %q %s %s: Location %q", tc.host, tc.method, tc.target, loc)
		}
		if tc.method == "GET" && (!strings.Contains(body, "http://"+addr+"/") || !strings.Contains(body, "本机")) {
			t.Errorf("Host %q %s %s: body %q", tc.host, tc.method, tc.target, body)
		}
		if strings.Contains(body, "首页") {
			t.Errorf("Host %q %s %s: served the site", tc.host, tc.method, tc.target)
		}
	}
	waitClients(t, hub, 0)
}

// waitClients waits for the hub to see n pages: a handler notices a
// closed connection a moment after the client closes it.
func waitClients(t *testing.T, hub *Hub, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for hub.Clients() != n {
		if time.Now().After(deadline) {
			t.Errorf("%d event streams open; want %d", hub.Clients(), n)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A preview opened to the network is reached under names it cannot know.
func TestHostAnyWhenNotLoopbackOnly(t *testing.T) {
	srv := httptest.NewServer(New(writeSite(t, originSite), Options{Live: NewHub()}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	for _, host := range []string{"colleague-pc.local:1313", "192.168.1.10:1313", "evil.example"} {
		for _, p := range []string{"/", "/_disclose/live.js"} {
			if resp, _ := raw(t, addr, "GET", p, host); resp.StatusCode != 200 {
				t.Errorf("Host %q GET %s: %d", host, p, resp.StatusCode)
			}
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for _, tc := range []struct {
		addr net.Addr
		want bool
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 1313}, true},
		{&net.TCPAddr{IP: net.ParseIP("127.0.1.1"), Port: 1313}, true},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 1313}, true},
		{&net.TCPAddr{IP: net.ParseIP("::ffff:127.0.0.1"), Port: 1313}, true},
		{&net.TCPAddr{IP: net.ParseIP("0.0.0.0"), Port: 1313}, false},
		{&net.TCPAddr{IP: net.ParseIP("::"), Port: 1313}, false},
		{&net.TCPAddr{Port: 1313}, false},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.10"), Port: 1313}, false},
		{&net.UnixAddr{Name: "/tmp/preview.sock", Net: "unix"}, false},
	} {
		if got := IsLoopback(tc.addr); got != tc.want {
			t.Errorf("IsLoopback(%v) = %v; want %v", tc.addr, got, tc.want)
		}
	}
	// --bind localhost resolves to a loopback address.
	ln, err := net.Listen("tcp", "localhost:0")
	if err != nil {
		t.Skip(err)
	}
	defer ln.Close()
	if !IsLoopback(ln.Addr()) {
		t.Errorf("IsLoopback(%v) = false for a listener on localhost", ln.Addr())
	}
}

// A HEAD of the event stream gets its headers and ends, leaving the
// connection free for the next request.
func TestEventsHead(t *testing.T) {
	hub := NewHub()
	srv := httptest.NewServer(New(writeSite(t, originSite), Options{Live: hub, LoopbackOnly: true}))
	defer srv.Close()
	defer hub.Close()
	addr := srv.Listener.Addr().String()

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	br := bufio.NewReader(conn)
	fmt.Fprintf(conn, "HEAD /_disclose/events HTTP/1.1\r\nHost: %s\r\n\r\n", addr)
	resp, err := http.ReadResponse(br, &http.Request{Method: "HEAD"})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		t.Errorf("HEAD events: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", addr)
	resp, err = http.ReadResponse(br, &http.Request{Method: "GET"})
	if err != nil {
		t.Fatalf("GET after HEAD events on the same connection: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "首页") {
		t.Errorf("GET after HEAD events: %d %q", resp.StatusCode, body)
	}
	waitClients(t, hub, 0)
}
