// Package preview is `disclose serve`: it builds the site, serves it, and
// on every save rebuilds what changed and tells the open pages, which
// reload or show the errors. It wraps build; it never renders by itself.
//
// Layer 7 (see internal/arch): it imports build, diag, review, server and
// watch; it never loads or checks content itself.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/review"
	"disclose/internal/server"
	"disclose/internal/watch"
)

// Options of a preview.
type Options struct {
	Build build.Options
	Bind  string // address to listen on; 127.0.0.1 keeps the preview private
	Port  int    // 0 picks a free port
	// Ready, when set, receives the preview's address once it serves the
	// site: one up to date at once, else once its first build is done
	// (pages asked for meanwhile are rendered first).
	Ready func(addr string)
}

// Run serves the preview until ctx ends. Content errors never stop it: the
// last good site stays served and the pages show the errors.
func Run(ctx context.Context, o Options, stdout, stderr io.Writer) error {
	if err := build.CheckOutput(o.Build.Out); err != nil {
		return err
	}
	p := &preview{o: o, out: stdout, errOut: stderr, hub: server.NewHub()}
	p.builder = build.NewBuilder(o.Build)
	p.builder.DeferSlow()
	p.builder.DepartmentsFirst()
	defer p.builder.Close()
	// Without its content directory a preview is a mistyped command, not
	// an edit to wait for: stop, as disclose build does.
	if _, err := os.Stat(o.Build.Content); err != nil {
		return fmt.Errorf("content directory: %w", err)
	}

	// A site that the last build left up to date is served at once; the
	// content is read behind it, so that the first edit is an
	// incremental rebuild. Otherwise the first build comes first.
	adopted := p.builder.Adopt(ctx)

	// The watch starts before the first build reads anything: a save
	// made while it runs is a change to build after it, never lost.
	roots := []string{o.Build.Content}
	if o.Build.Theme != "" {
		roots = append(roots, o.Build.Theme)
	}
	// Editors finish an atomic save within a few milliseconds; a short
	// quiet window keeps the save-to-page time low.
	w, err := watch.New(roots, watch.Options{Quiet: 10 * time.Millisecond})
	if err != nil {
		return err
	}
	defer w.Close()

	ln, err := net.Listen("tcp", net.JoinHostPort(o.Bind, strconv.Itoa(o.Port)))
	if err != nil {
		return fmt.Errorf("无法监听 %s:%d：%w（端口被占用时可用 --port 换一个）", o.Bind, o.Port, err)
	}
	// The review pages open the content directory themselves: the
	// builder's records reads for the manifest during the first load and
	// finds its root again before each rebuild.
	tools := map[string]http.Handler{strings.Trim(review.Prefix, "/"): review.Handler(o.Build.Content)}
	srv := &http.Server{
		// From the address actually listened on, not o.Bind: --bind
		// localhost or a host name resolves to it.
		Handler: server.New(o.Build.Out, server.Options{Guard: p.builder, Live: p.hub, LoopbackOnly: server.IsLoopback(ln.Addr()), Tools: tools,
			Pending: p.builder.Pending}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	srv.RegisterOnShutdown(p.hub.Close)
	addr := ln.Addr().String()
	fmt.Fprintf(stdout, "预览地址：http://%s/  （保存内容文件后页面自动刷新；按 Ctrl-C 停止）\n", addr)
	if drafts(o.Build.Content) > 0 {
		fmt.Fprintf(stdout, "导入的草稿待核对：http://%s%s\n", addr, review.Prefix)
	}
	if adopted {
		fmt.Fprintln(stdout, "网站与内容一致，现在就可以浏览；正在读入内容，读完后保存只更新改动的部分。")
	} else {
		fmt.Fprintln(stdout, "正在生成网站；读完内容后，打开的页面会先生成。")
	}

	var wg sync.WaitGroup
	serveErr := make(chan error, 1)
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			serveErr <- err
		}
	}()

	// The site is served while the first build writes it: a page asked
	// for meanwhile is rendered first (build.Builder.Pending).
	first := make(chan struct{}, 1)
	if adopted {
		first <- struct{}{}
	} else {
		p.rebuild(ctx, build.Change{All: true})
		p.startTail(ctx)
	}
	if o.Ready != nil {
		o.Ready(addr)
	}

	var runErr error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case <-first:
			p.stopTail()
			p.rebuild(ctx, build.Change{All: true})
			p.startTail(ctx)
		case err := <-serveErr:
			runErr = err
			break loop
		case err, ok := <-w.Errors():
			if ok {
				fmt.Fprintf(stderr, "监视文件：%v\n", err)
			}
		case b, ok := <-w.Batches():
			if !ok {
				break loop
			}
			ch := p.change(b.Paths)
			select {
			case <-first:
				// The content was not read yet: read it all.
				ch = build.Change{All: true}
			default:
			}
			if b.Rescan {
				// The kernel dropped events: anything may have changed.
				ch = build.Change{All: true}
			}
			// What the last save left to do in the background waits:
			// the builder takes it up with this change.
			p.stopTail()
			p.rebuild(ctx, ch)
			p.startTail(ctx)
		}
	}
	p.stopTail()
	p.follow(context.Background())
	p.flush(context.Background())
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && runErr == nil {
		runErr = err
	}
	wg.Wait()
	fmt.Fprintln(stdout, "预览已停止。")
	return runErr
}

// drafts counts the imported reports awaiting review in the content
// directory dir.
func drafts(dir string) int {
	r, err := os.OpenRoot(dir)
	if err != nil {
		return 0
	}
	defer r.Close()
	return len(review.Drafts(r.FS()))
}

type preview struct {
	// tailStop and tailDone stop the background work of the last save
	// (see startTail); nil when none runs. The builder is used by one
	// goroutine at a time: the loop stops the tail before it rebuilds.
	tailStop context.CancelFunc
	tailDone chan struct{}

	o       Options
	out     io.Writer
	errOut  io.Writer
	hub     *server.Hub
	builder *build.Builder
	broken  bool
	// warnings is the text of the warnings last printed, so that the
	// terminal shows them when they change, not after every save.
	warnings string
}

// change sorts watched paths into content and theme paths, relative to
// their roots.
func (p *preview) change(paths []string) build.Change {
	var ch build.Change
	content, _ := filepath.Abs(p.o.Build.Content)
	theme := ""
	if p.o.Build.Theme != "" {
		theme, _ = filepath.Abs(p.o.Build.Theme)
	}
	for _, path := range paths {
		abs, err := filepath.Abs(path)
		if err != nil {
			return build.Change{All: true}
		}
		if rel, ok := within(content, abs); ok {
			ch.Content = append(ch.Content, rel)
		} else if rel, ok := within(theme, abs); theme != "" && ok {
			ch.Theme = append(ch.Theme, rel)
		} else {
			return build.Change{All: true}
		}
	}
	return ch
}

func within(root, p string) (string, bool) {
	if root == "" {
		return "", false
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	if rel == "." {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// overlayItem is one problem as the page's overlay shows it.
type overlayItem struct {
	Location string `json:"location,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Hint     string `json:"hint,omitempty"`
}

// rebuild builds after ch. For an edit of departments, the builder
// writes their own pages and returns, and the open pages reload at once;
// the site-wide pages follow in the background (startTail).
func (p *preview) rebuild(ctx context.Context, ch build.Change) {
	start := time.Now()
	u, err := p.builder.Rebuild(ctx, ch)
	p.report(u, err, time.Since(start))
}

// startTail writes in the background what the last rebuild left: the
// site-wide pages the edit changed, at once, then, after flushDelay, the
// downloads of the whole site. The next save stops it (stopTail), and the
// builder does what was left with that save's rebuild, so that nothing
// stays stale once the preview is idle, and a save never waits for lists
// or downloads.
func (p *preview) startTail(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	p.tailStop, p.tailDone = cancel, done
	go func() {
		defer close(done)
		if !p.follow(ctx) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(flushDelay):
		}
		p.flush(ctx)
	}()
}

func (p *preview) stopTail() {
	if p.tailStop == nil {
		return
	}
	p.tailStop()
	<-p.tailDone
	p.tailStop, p.tailDone = nil, nil
}

// follow writes the site-wide pages the last rebuild left, and says
// whether that is done.
func (p *preview) follow(ctx context.Context) bool {
	if !p.builder.Following() {
		return true
	}
	start := time.Now()
	u, err := p.builder.Follow(ctx)
	if ctx.Err() != nil {
		return false
	}
	return p.report(u, err, time.Since(start))
}

// report tells the terminal and the open pages how a rebuild went, and
// whether it succeeded.
func (p *preview) report(u build.Update, err error, took time.Duration) bool {
	if err != nil {
		p.broken = true
		var items []overlayItem
		var shown []diag.Diagnostic
		for _, d := range u.Diagnostics {
			if d.Severity == diag.Error {
				shown = append(shown, d)
				items = append(items, overlayItem{Location: d.Location(), Severity: "错误", Message: d.Message(diag.Zh), Hint: d.Hint(diag.Zh)})
			}
		}
		if len(items) == 0 {
			items = []overlayItem{{Severity: "错误", Message: err.Error()}}
		}
		fmt.Fprintf(p.errOut, "[%s] 生成失败，继续显示上一次成功生成的网站：\n", time.Now().Format("15:04:05"))
		if len(shown) > 0 {
			_ = diag.WriteSome(p.errOut, shown, u.Diagnostics, diag.Zh)
		} else {
			fmt.Fprintf(p.errOut, "  %v\n", err)
		}
		_ = p.hub.Publish(server.Event{Name: "errors", Data: items})
		return false
	}
	changed := append(slices.Clone(u.Written), u.Removed...)
	reused := ""
	if u.Reused > 0 {
		reused = fmt.Sprintf("，其中 %d 个内容未变，沿用上次生成的结果", u.Reused)
	}
	fmt.Fprintf(p.out, "[%s] 已更新 %d 个文件%s（%s）\n", time.Now().Format("15:04:05"), len(changed), reused, took.Round(time.Millisecond))
	p.printWarnings(u.Diagnostics)
	if len(changed) > 0 {
		_ = p.hub.Publish(server.Event{Name: "reload", Data: map[string]any{"paths": changed, "all": u.Full}})
	}
	p.broken = false
	_ = p.hub.Publish(server.Event{Name: "ok", Data: map[string]any{}})
	return true
}

// printWarnings shows the checker's warnings when they differ from the last
// ones shown: the reports' pages show them to readers as 数据核对提示, and
// the person editing should see them appear and go as they type.
func (p *preview) printWarnings(ds []diag.Diagnostic) {
	var warns []diag.Diagnostic
	for _, d := range ds {
		if d.Severity == diag.Warning {
			warns = append(warns, d)
		}
	}
	var b strings.Builder
	_ = diag.WriteSome(&b, warns, ds, diag.Zh)
	if b.String() == p.warnings {
		return
	}
	p.warnings = b.String()
	if len(warns) == 0 {
		fmt.Fprintln(p.out, "没有数据核对警告了。")
		return
	}
	fmt.Fprint(p.out, p.warnings)
}

// flushDelay: the downloads of the whole site are written once the pages
// have had time to reload, so that they do not compete for the CPU.
const flushDelay = 250 * time.Millisecond

func (p *preview) flush(ctx context.Context) {
	if _, err := p.builder.Flush(ctx); err != nil && ctx.Err() == nil {
		fmt.Fprintf(p.errOut, "写出数据下载文件失败：%v\n", err)
	}
}
