package preview

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"disclose/internal/build"
)

// waitLimit bounds every wait for the preview: to start, to stop, to send
// an event, to let go of its goroutines. Each takes well under a second
// on an idle machine; minutes leave room for make test loading every core
// with other packages' tests under -race, so that only a preview that
// hangs or leaks runs it out.
const waitLimit = 2 * time.Minute

// start runs a preview of a copy of the seed content on a free port.
func start(t *testing.T) (content, root string, stop func()) {
	t.Helper()
	dir := t.TempDir()
	content = filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	root, stop = run(t, build.Options{Content: content, Out: filepath.Join(dir, "public")}, io.Discard)
	return content, root, stop
}

// run runs a preview of o on a free port until stop, telling stdout what
// it does.
func run(t *testing.T, o build.Options, stdout io.Writer) (root string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Options{
			Build: o,
			Bind:  "127.0.0.1",
			Ready: func(a string) { ready <- a },
		}, stdout, io.Discard)
	}()
	select {
	case a := <-ready:
		root = "http://" + a + "/"
	case err := <-done:
		t.Fatalf("preview stopped: %v", err)
	case <-time.After(waitLimit):
		t.Fatal("preview did not start")
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("preview: %v", err)
			}
		case <-time.After(waitLimit):
			t.Error("preview did not stop")
		}
	}
	t.Cleanup(stop)
	return root, stop
}

func save(t *testing.T, file, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		t.Fatalf("%s lacks %q", file, old)
	}
	tmp := filepath.Join(filepath.Dir(file), ".~"+filepath.Base(file)+".swp")
	if err := os.WriteFile(tmp, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, file); err != nil {
		t.Fatal(err)
	}
}

// events reads Server-Sent Events as "name data" lines.
func events(t *testing.T, url string) (<-chan string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("events content type %q", ct)
	}
	out := make(chan string, 64)
	go func() {
		defer resp.Body.Close()
		defer close(out)
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		name := ""
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				out <- name + " " + strings.TrimPrefix(line, "data: ")
			}
		}
	}()
	return out, cancel
}

func next(t *testing.T, ev <-chan string, name string) string {
	t.Helper()
	timeout := time.After(waitLimit)
	for {
		select {
		case e, ok := <-ev:
			if !ok {
				t.Fatalf("event stream ended waiting for %q", name)
			}
			if strings.HasPrefix(e, name+" ") {
				return strings.TrimPrefix(e, name+" ")
			}
		case <-timeout:
			t.Fatalf("no %q event within %v", name, waitLimit)
		}
	}
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPreviewRebuildsAndReports(t *testing.T) {
	content, root, _ := start(t)
	page := "reports/hunan-xiangtan-minzheng/2024.html"
	code, body := get(t, root+page)
	if code != 200 || !strings.Contains(body, `<script src="/_disclose/live.js"></script></body>`) {
		t.Fatalf("page %d, live script injected: %v", code, strings.Contains(body, "live.js"))
	}
	ev, cancel := events(t, root+"_disclose/events")
	defer cancel()
	report := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")

	save(t, report, "paid: 1190.27", "paid: 1234.56")
	data := next(t, ev, "reload")
	if !strings.Contains(data, page) || strings.Contains(data, "reports/hubei") {
		t.Errorf("reload event %s", data)
	}
	if _, body := get(t, root+page); !strings.Contains(body, "1234.56") {
		t.Error("the page does not show the new figure")
	}

	save(t, report, "year: 2024", "year: [2024")
	data = next(t, ev, "errors")
	if !strings.Contains(data, "2024.yaml:2:1") || !strings.Contains(data, `"hint"`) {
		t.Errorf("errors event %s", data)
	}
	if _, body := get(t, root+page); !strings.Contains(body, "1234.56") {
		t.Error("the last good page is not served while the content is broken")
	}
	// A page that connects now learns of the errors at once.
	ev2, cancel2 := events(t, root+"_disclose/events")
	defer cancel2()
	if data := next(t, ev2, "errors"); !strings.Contains(data, "2024.yaml:2:1") {
		t.Errorf("late subscriber got %s", data)
	}

	save(t, report, "year: [2024", "year: 2024")
	next(t, ev, "ok")
	next(t, ev2, "ok")
}

func TestPreviewStopsCleanly(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 3 {
		_, root, stop := start(t)
		ev, cancel := events(t, root+"_disclose/events")
		stop()
		// The event stream ends with the server.
		timeout := time.After(waitLimit)
	drain:
		for {
			select {
			case _, ok := <-ev:
				if !ok {
					break drain
				}
			case <-timeout:
				t.Fatal("event stream still open after shutdown")
			}
		}
		cancel()
	}
	http.DefaultClient.CloseIdleConnections()
	deadline := time.Now().Add(waitLimit)
	for runtime.NumGoroutine() > before+2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+2 {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after stopping, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}

func openFDs(t *testing.T) int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd here")
	}
	return len(entries)
}

// TestManySavesLeakNothing: an afternoon of saves must not grow the
// process: no goroutine, watch or file descriptor is left behind per
// rebuild.
func TestManySavesLeakNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	content, root, _ := start(t)
	ev, cancel := events(t, root+"_disclose/events")
	defer cancel()
	report := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")
	prev := "1190.27"
	saves := func(from, to int) {
		for i := from; i < to; i++ {
			figure := fmt.Sprintf("%d.%02d", 3000+i, i%100)
			save(t, report, "paid: "+prev, "paid: "+figure)
			prev = figure
			next(t, ev, "ok")
		}
	}
	saves(0, 20)
	time.Sleep(300 * time.Millisecond) // let the deferred downloads flush
	goroutines, fds := runtime.NumGoroutine(), openFDs(t)
	saves(20, 120)
	// What the last saves started may still be finishing: a leak is what
	// stays.
	g, f := runtime.NumGoroutine(), openFDs(t)
	for deadline := time.Now().Add(waitLimit); (g > goroutines+3 || f > fds+3) && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		g, f = runtime.NumGoroutine(), openFDs(t)
	}
	if g > goroutines+3 {
		t.Errorf("goroutines grew from %d to %d over 100 saves", goroutines, g)
	}
	if f > fds+3 {
		t.Errorf("open files grew from %d to %d over 100 saves", fds, f)
	}
}

// lockedBuffer is an io.Writer the preview's goroutine and the test can share.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *lockedBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

func (w *lockedBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

// A preview started over a site that disclose build left up to date
// serves it at once and reads the content behind it, writing nothing; the
// first save is then an incremental rebuild. Started over a site whose
// content changed since, it first builds, linking the files the manifest
// shows unchanged instead of rendering them, and says so.
func TestPreviewStartsFromTheLastBuild(t *testing.T) {
	setup := func(t *testing.T) (string, build.Options) {
		dir := t.TempDir()
		content := filepath.Join(dir, "content")
		if err := os.CopyFS(content, os.DirFS("../../content")); err != nil {
			t.Fatal(err)
		}
		bo := build.Options{Content: content, Out: filepath.Join(dir, "public")}
		if _, err := build.Build(context.Background(), bo); err != nil {
			t.Fatal(err)
		}
		return content, bo
	}
	// waitFor waits until out holds n lines of the preview's rebuilds and
	// gives the last.
	waitFor := func(t *testing.T, out *lockedBuffer, n int) string {
		t.Helper()
		deadline := time.Now().Add(waitLimit)
		for {
			var lines []string
			for l := range strings.SplitSeq(out.String(), "\n") {
				if strings.Contains(l, "] 已更新") {
					lines = append(lines, l)
				}
			}
			if len(lines) >= n {
				return lines[n-1]
			}
			if time.Now().After(deadline) {
				t.Fatalf("no rebuild %d:\n%s", n, out.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	const page = "reports/hunan-xiangtan-minzheng/2024.html"

	t.Run("up to date", func(t *testing.T) {
		content, bo := setup(t)
		st, err := os.Stat(filepath.Join(bo.Out, page))
		if err != nil {
			t.Fatal(err)
		}
		var out lockedBuffer
		root, stop := run(t, bo, &out)
		if !strings.Contains(out.String(), "网站与内容一致，现在就可以浏览") {
			t.Errorf("the preview did not serve the up-to-date site at once:\n%s", out.String())
		}
		if code, body := get(t, root+page); code != 200 || !strings.Contains(body, "湘潭") {
			t.Errorf("report page: %d", code)
		}
		if line := waitFor(t, &out, 1); !strings.Contains(line, "已更新 0 个文件") {
			t.Errorf("reading the content behind the site wrote files: %q", line)
		}
		if now, err := os.Stat(filepath.Join(bo.Out, page)); err != nil || !os.SameFile(now, st) || !now.ModTime().Equal(st.ModTime()) {
			t.Errorf("the page was written again")
		}
		save(t, filepath.Join(content, "hunan-xiangtan-minzheng", "2024", "problems.md"), "资金结余的情况。", "资金结余的情况（预览测试）。")
		line := waitFor(t, &out, 2)
		var n int
		if _, err := fmt.Sscanf(line[strings.Index(line, "已更新"):], "已更新 %d 个文件", &n); err != nil || n == 0 || n > 20 {
			t.Errorf("the first save rebuilt %q; want the few files it touches", line)
		}
		if _, body := get(t, root+page); !strings.Contains(body, "资金结余的情况（预览测试）") {
			t.Error("the saved edit is not on the page")
		}
		stop()
	})

	t.Run("changed since", func(t *testing.T) {
		content, bo := setup(t)
		save(t, filepath.Join(content, "hubei-jingmen-minzheng", "2022", "summary.md"), "。", "。（改）")
		var out lockedBuffer
		root, stop := run(t, bo, &out)
		if strings.Contains(out.String(), "网站与内容一致") {
			t.Errorf("the preview served a site whose content changed since:\n%s", out.String())
		}
		var reused int
		line := waitFor(t, &out, 1)
		_, after, _ := strings.Cut(line, "其中")
		if _, err := fmt.Sscanf(after, " %d 个内容未变", &reused); err != nil || reused == 0 {
			t.Errorf("first build reused nothing: %q", line)
		}
		if code, body := get(t, root+page); code != 200 || !strings.Contains(body, "湘潭") {
			t.Errorf("report page: %d", code)
		}
		// Nothing was imported: nothing to review.
		if strings.Contains(out.String(), "_review") {
			t.Errorf("the preview asks to review imports:\n%s", out.String())
		}
		stop()
	})
}

// A content directory with an imported report's sidecar: the preview says
// where to review it, and serves the review page behind the same host
// check as the site.
func TestPreviewServesReview(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	sidecar := filepath.Join(content, "_imports", "hunan-xiangtan-minzheng", "2024.json")
	if err := os.MkdirAll(filepath.Dir(sidecar), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sidecar, []byte(`{
  "report": "hunan-xiangtan-minzheng/2024.yaml",
  "source": "湘潭市民政局2024年度自评报告.docx",
  "values": [{"path": "projects[困难群众生活救助].paid", "line": 77, "value": "1190.27", "where": "第 12 段",
    "quote": "财政资金实际拨付 1190.27 万元"}],
  "unplaced": []
}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	root, stop := run(t, build.Options{Content: content, Out: filepath.Join(dir, "public")}, &out)
	if want := "导入的草稿待核对：" + root + "_review/\n"; !strings.Contains(out.String(), want) {
		t.Errorf("the preview does not say %q:\n%s", want, out.String())
	}

	code, body := get(t, root+"_review/hunan-xiangtan-minzheng/2024.html")
	if code != 200 || !strings.Contains(body, "财政资金实际拨付 <mark>1190.27</mark> 万元") || !strings.Contains(body, "hunan-xiangtan-minzheng/2024.yaml:77") {
		t.Errorf("review page %d:\n%s", code, body)
	}
	if strings.Contains(body, "live.js") {
		t.Error("the review page got the site's reload script")
	}
	if code, body := get(t, root+"_review/"); code != 200 || !strings.Contains(body, `href="hunan-xiangtan-minzheng/2024.html"`) {
		t.Errorf("review list %d:\n%s", code, body)
	}
	if code, _ := get(t, root+"_review/Hunan/2024.html"); code != 404 {
		t.Errorf("bad department name: %d", code)
	}

	// A page of another site pointing its name at 127.0.0.1 (DNS
	// rebinding) must not read the review any more than the site.
	req, _ := http.NewRequest("GET", root+"_review/hunan-xiangtan-minzheng/2024.html", nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest || strings.Contains(string(b), "1190.27") {
		t.Errorf("Host evil.example: %d", resp.StatusCode)
	}
	stop()
}

// A save made while the first build writes the site (after it read the
// content) is built next: the watch is on before the first build starts.
func TestSaveDuringFirstBuildIsBuilt(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.CopyFS(content, os.DirFS("../../content")); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")
	var once sync.Once
	o := build.Options{Content: content, Out: filepath.Join(dir, "public"), Jobs: 1}
	o.Progress = func(done, _ int) {
		once.Do(func() { save(t, report, "paid: 1190.27", "paid: 1234.56") })
	}
	root, _ := run(t, o, io.Discard)
	page := root + "reports/hunan-xiangtan-minzheng/2024.html"
	for deadline := time.Now().Add(waitLimit); ; time.Sleep(20 * time.Millisecond) {
		if _, body := get(t, page); strings.Contains(body, "1234.56") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the save made during the first build was not built within %v", waitLimit)
		}
	}
}
