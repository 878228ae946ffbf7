package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long a test waits to be sure no further batch comes. An
// editor's save is over within a millisecond or two here, so anything
// belonging to it arrives within Quiet (+ replaceGrace) of its last event.
const settle = 150 * time.Millisecond

// waitTimeout bounds every wait, so a broken watcher fails a test rather
// than hanging it. A batch comes within Quiet on an idle machine; a minute
// leaves room for make test loading every core with other packages' tests
// under -race, so that only a broken watcher runs it out.
const waitTimeout = time.Minute

func start(t *testing.T, roots []string, o Options) *Watcher {
	t.Helper()
	w, err := New(roots, o)
	if err != nil {
		t.Fatalf("New(%q): %v", roots, err)
	}
	t.Cleanup(func() {
		select {
		case err := <-w.Errors():
			t.Errorf("unexpected error from Errors(): %v", err)
		case <-time.After(10 * time.Millisecond):
		}
		if err := w.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return w
}

// tree makes a folder "site" in a fresh temporary folder with the given
// files (a name ending in / is a folder) and returns the folder holding it
// and its path.
func tree(t *testing.T, files ...string) (base, root string) {
	t.Helper()
	base = t.TempDir()
	root = filepath.Join(base, "site")
	mkdir(t, root)
	for _, f := range files {
		p := filepath.Join(root, f)
		if strings.HasSuffix(f, "/") {
			mkdir(t, p)
			continue
		}
		mkdir(t, filepath.Dir(p))
		write(t, p, "old")
	}
	return base, root
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, p string) {
	t.Helper()
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
}

// next returns the next batch, failing the test if none comes in time.
func next(t *testing.T, w *Watcher) Batch {
	t.Helper()
	select {
	case b, ok := <-w.Batches():
		if !ok {
			t.Fatal("Batches closed")
		}
		return b
	case <-time.After(waitTimeout):
		t.Fatal("no batch within", waitTimeout)
	}
	panic("unreachable")
}

// none fails the test if a batch arrives within settle.
func none(t *testing.T, w *Watcher) {
	t.Helper()
	select {
	case b := <-w.Batches():
		t.Fatalf("unexpected batch %q", b.Paths)
	case <-time.After(settle):
	}
}

// only expects exactly one batch holding exactly want.
func only(t *testing.T, w *Watcher, want ...string) {
	t.Helper()
	b := next(t, w)
	if !slices.Equal(b.Paths, want) {
		t.Fatalf("batch = %q, want %q", b.Paths, want)
	}
	none(t, w)
}

// until collects batches until every path in want has been seen and
// returns them.
func until(t *testing.T, w *Watcher, want ...string) []Batch {
	t.Helper()
	var got []Batch
	seen := map[string]bool{}
	deadline := time.After(waitTimeout)
	for {
		missing := slices.DeleteFunc(slices.Clone(want), func(p string) bool { return seen[p] })
		if len(missing) == 0 {
			return got
		}
		select {
		case b := <-w.Batches():
			got = append(got, b)
			for _, p := range b.Paths {
				seen[p] = true
			}
		case <-deadline:
			t.Fatalf("never saw %q; batches: %v", missing, got)
		}
	}
}

// noneUnder fails if any path in the batches is dir or below it.
func TestWrites(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		files  []string
		change func(t *testing.T, root string)
		want   []string
	}{
		{"write", []string{"a.yaml"}, func(t *testing.T, root string) {
			write(t, filepath.Join(root, "a.yaml"), "new")
		}, []string{"a.yaml"}},
		{"append", []string{"d/a.md"}, func(t *testing.T, root string) {
			f, err := os.OpenFile(filepath.Join(root, "d/a.md"), os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			for range 5 {
				fmt.Fprintln(f, "more")
			}
			f.Close()
		}, []string{"d/a.md"}},
		{"create", nil, func(t *testing.T, root string) {
			write(t, filepath.Join(root, "b.yaml"), "new")
		}, []string{"b.yaml"}},
		{"delete", []string{"a.yaml"}, func(t *testing.T, root string) {
			remove(t, filepath.Join(root, "a.yaml"))
		}, []string{"a.yaml"}},
		{"touch", []string{"a.yaml"}, func(t *testing.T, root string) {
			now := time.Now()
			if err := os.Chtimes(filepath.Join(root, "a.yaml"), now, now); err != nil {
				t.Fatal(err)
			}
		}, []string{"a.yaml"}},
		{"rename", []string{"a.yaml"}, func(t *testing.T, root string) {
			rename(t, filepath.Join(root, "a.yaml"), filepath.Join(root, "b.yaml"))
		}, []string{"a.yaml", "b.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, root := tree(t, tt.files...)
			w := start(t, []string{root}, Options{})
			tt.change(t, root)
			var want []string
			for _, p := range tt.want {
				want = append(want, filepath.Join(root, p))
			}
			only(t, w, want...)
		})
	}
}

// TestEditorSaves replays, step by step, how editors save a file. Each
// save must give exactly one batch naming the file and nothing else, and
// the file must still be watched afterwards.
func TestEditorSaves(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		exists bool // the file exists before the save
		save   func(t *testing.T, p string)
	}{
		{"vim", true, func(t *testing.T, p string) {
			dir, name := filepath.Split(p)
			swp := filepath.Join(dir, "."+name+".swp")
			write(t, swp, "swap") // while editing
			write(t, filepath.Join(dir, "."+name+".swx"), "")
			remove(t, filepath.Join(dir, "."+name+".swx"))
			probe := filepath.Join(dir, "4913") // may vim write here?
			write(t, probe, "")
			remove(t, probe)
			rename(t, p, p+"~") // backup by rename
			write(t, p, "new")
			if err := os.Chmod(p, 0o644); err != nil {
				t.Fatal(err)
			}
			write(t, swp, "swap 2")
			remove(t, p+"~") // writebackup without backup
			remove(t, swp)   // :wq
		}},
		{"vim first write of a new file", false, func(t *testing.T, p string) {
			dir, name := filepath.Split(p)
			write(t, filepath.Join(dir, "."+name+".swp"), "swap")
			write(t, filepath.Join(dir, "4913"), "")
			remove(t, filepath.Join(dir, "4913"))
			write(t, p, "new")
			remove(t, filepath.Join(dir, "."+name+".swp"))
		}},
		{"VS Code dot tmp", true, func(t *testing.T, p string) {
			dir, name := filepath.Split(p)
			tmp := filepath.Join(dir, "."+name+".tmp")
			write(t, tmp, "new")
			rename(t, tmp, p)
		}},
		{"Sublime tmp123", true, func(t *testing.T, p string) {
			tmp := p + ".tmp123"
			write(t, tmp, "new")
			rename(t, tmp, p)
		}},
		{"new file renamed from a temp name", false, func(t *testing.T, p string) {
			tmp := filepath.Join(filepath.Dir(p), ".new.tmp")
			write(t, tmp, "new")
			rename(t, tmp, p)
		}},
		{"JetBrains safe write", true, func(t *testing.T, p string) {
			write(t, p+"___jb_tmp___", "new")
			rename(t, p, p+"___jb_old___")
			rename(t, p+"___jb_tmp___", p)
			remove(t, p+"___jb_old___")
		}},
		{"Emacs", true, func(t *testing.T, p string) {
			dir, name := filepath.Split(p)
			lock := filepath.Join(dir, ".#"+name)
			auto := filepath.Join(dir, "#"+name+"#")
			if err := os.Symlink("user@host.4242:1700000000", lock); err != nil {
				t.Fatal(err)
			}
			write(t, auto, "autosave")
			rename(t, p, p+"~") // first save: backup by rename
			write(t, p, "new")
			remove(t, auto)
			remove(t, lock)
		}},
		{"slow rename-over save", true, func(t *testing.T, p string) {
			// The file is missing for longer than Quiet (a slow disk, a
			// big file); the batch waits for it to come back.
			rename(t, p, p+"~")
			time.Sleep(2 * defaultQuiet)
			write(t, p, "new")
			remove(t, p+"~")
		}},
		{"sed -i", true, func(t *testing.T, p string) {
			tmp := filepath.Join(filepath.Dir(p), "sedX1y2Z3")
			write(t, tmp, "new")
			rename(t, tmp, p)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var files []string
			if tt.exists {
				files = append(files, "dept/2023.yaml")
			} else {
				files = append(files, "dept/")
			}
			_, root := tree(t, files...)
			p := filepath.Join(root, "dept/2023.yaml")
			w := start(t, []string{root}, Options{})
			saveOnce(t, w, p, tt.save)
			// The folder's watch survived the save.
			saveOnce(t, w, p, tt.save)
		})
	}
}

// saveOnce runs save and expects exactly one batch, holding p. Other
// paths fail the test at once. A save split over two batches may be the
// machine pausing this test for longer than Quiet (other test binaries
// running), so it is tried again; a watcher that splits saves does so
// every time.
func saveOnce(t *testing.T, w *Watcher, p string, save func(*testing.T, string)) {
	t.Helper()
	const attempts = 3
	for attempt := 1; ; attempt++ {
		t0 := time.Now()
		save(t, p)
		took := time.Since(t0)
		n := 0
		for b := next(t, w); ; {
			if !slices.Equal(b.Paths, []string{p}) {
				t.Fatalf("batch = %q, want %q", b.Paths, p)
			}
			n++
			select {
			case b = <-w.Batches():
				continue
			case <-time.After(settle):
			}
			break
		}
		if n == 1 {
			return
		}
		if attempt == attempts {
			t.Fatalf("the save gave %d batches, in each of %d attempts", n, attempts)
		}
		t.Logf("the save (%v) gave %d batches; trying again", took, n)
	}
}

func TestNewFolders(t *testing.T) {
	t.Parallel()

	t.Run("mkdir -p with a file written at once", func(t *testing.T) {
		t.Parallel()
		_, root := tree(t)
		w := start(t, []string{root}, Options{})
		deep := filepath.Join(root, "a/b/c")
		mkdir(t, deep)
		write(t, filepath.Join(deep, "x.md"), "x")
		until(t, w, filepath.Join(root, "a"), filepath.Join(root, "a/b"), deep, filepath.Join(deep, "x.md"))
		none(t, w)
		write(t, filepath.Join(deep, "x.md"), "edited")
		only(t, w, filepath.Join(deep, "x.md"))
		write(t, filepath.Join(root, "a/b/y.md"), "y")
		only(t, w, filepath.Join(root, "a/b/y.md"))
	})

	t.Run("folder moved in with files", func(t *testing.T) {
		t.Parallel()
		base, root := tree(t)
		outside := filepath.Join(base, "outside/m")
		mkdir(t, filepath.Join(outside, "n"))
		write(t, filepath.Join(outside, "n/p.yaml"), "p")
		write(t, filepath.Join(outside, "n/q.md"), "q")
		write(t, filepath.Join(outside, "n/q.md~"), "backup")
		w := start(t, []string{root}, Options{})
		m := filepath.Join(root, "m")
		rename(t, outside, m)
		only(t, w, m, filepath.Join(m, "n"), filepath.Join(m, "n/p.yaml"), filepath.Join(m, "n/q.md"))
		write(t, filepath.Join(m, "n/p.yaml"), "edited")
		only(t, w, filepath.Join(m, "n/p.yaml"))
	})

	t.Run("folder renamed inside the root", func(t *testing.T) {
		t.Parallel()
		_, root := tree(t, "m/n/p.yaml")
		w := start(t, []string{root}, Options{})
		m, k := filepath.Join(root, "m"), filepath.Join(root, "k")
		rename(t, m, k)
		only(t, w, k, filepath.Join(k, "n"), filepath.Join(k, "n/p.yaml"), m)
		write(t, filepath.Join(k, "n/p.yaml"), "edited")
		only(t, w, filepath.Join(k, "n/p.yaml"))
		if wl := w.fsw.WatchList(); slices.ContainsFunc(wl, func(p string) bool { return p == m || isUnder(p, m) }) {
			t.Errorf("watches on the old names remain: %q", wl)
		}
	})
}

func TestRemovedAndRecreated(t *testing.T) {
	t.Parallel()

	// A folder, or the root itself, removed and made again: the watch
	// comes back with it.
	for _, tc := range []struct{ name, file, gone string }{
		{"folder", "d/e/f.yaml", "d"},
		{"the root itself", "d/f.yaml", "."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, root := tree(t, tc.file)
			w := start(t, []string{root}, Options{})
			gone := filepath.Join(root, tc.gone)
			file := filepath.Join(root, tc.file)
			remove(t, gone)
			until(t, w, gone)
			none(t, w)
			mkdir(t, filepath.Dir(file))
			write(t, file, "again")
			until(t, w, file)
			none(t, w)
			write(t, file, "edited")
			only(t, w, file)
		})
	}

	t.Run("folder moved away", func(t *testing.T) {
		t.Parallel()
		base, root := tree(t, "d/e/f.yaml")
		w := start(t, []string{root}, Options{})
		d := filepath.Join(root, "d")
		away := filepath.Join(base, "trash")
		rename(t, d, away)
		only(t, w, d)
		// The old watches would report this under the old name.
		write(t, filepath.Join(away, "e/f.yaml"), "edited in the trash")
		none(t, w)
		if wl := w.fsw.WatchList(); slices.ContainsFunc(wl, func(p string) bool { return p == d || isUnder(p, d) }) {
			t.Errorf("watches on the moved folder remain: %q", wl)
		}
	})
}

// TestBurst is a git checkout: hundreds of files change at once and the
// preview should rebuild once or twice, not hundreds of times.
func TestBurst(t *testing.T) {
	t.Parallel()
	const n = 200
	var files, want []string
	for i := range n {
		files = append(files, fmt.Sprintf("dept%d/%d.yaml", i%4, 2000+i))
	}
	_, root := tree(t, files...)
	w := start(t, []string{root}, Options{})
	for _, f := range files {
		p := filepath.Join(root, f)
		write(t, p, "checked out")
		want = append(want, p)
	}
	bs := until(t, w, want...)
	if len(bs) > 5 {
		t.Errorf("%d writes gave %d batches, want a few", n, len(bs))
	}
	t.Logf("%d writes gave %d batches", n, len(bs))
	none(t, w)
}

// TestMaxWait: writes that never pause for Quiet still give batches, at
// least every MaxWait. The writes go on, a few milliseconds apart, until
// two batches came; without MaxWait none would come before waitTimeout.
// Quiet is long, so that a busy machine pausing the writer cannot give a
// batch by Quiet instead (MaxWait is never less than Quiet). Batches
// counted over a fixed stretch of time, as before, depend on how fast the
// machine is.
func TestMaxWait(t *testing.T) {
	t.Parallel()
	_, root := tree(t, "a.yaml")
	const maxWait = 500 * time.Millisecond
	w := start(t, []string{root}, Options{Quiet: maxWait, MaxWait: maxWait})
	p := filepath.Join(root, "a.yaml")
	deadline := time.After(waitTimeout)
	var got, writes int
	for got < 2 {
		write(t, p, time.Now().String())
		writes++
		select {
		case <-w.Batches():
			got++
		case <-deadline:
			t.Fatalf("%d writes without a pause gave %d batches in %v; MaxWait should give one every %v", writes, got, waitTimeout, maxWait)
		case <-time.After(5 * time.Millisecond):
		}
	}
	t.Logf("two batches after %d writes", writes)
}

// TestSlowReceiver: while the server rebuilds it does not read Batches;
// what changed meanwhile must come in the next batch, merged.
func TestSlowReceiver(t *testing.T) {
	t.Parallel()
	_, root := tree(t, "a.yaml", "b.yaml")
	w := start(t, []string{root}, Options{})
	a, b := filepath.Join(root, "a.yaml"), filepath.Join(root, "b.yaml")
	write(t, a, "new")
	time.Sleep(200 * time.Millisecond) // a's batch is ready, and not taken
	write(t, b, "new")
	time.Sleep(300 * time.Millisecond)
	only(t, w, a, b)
}

// TestFileRoot watches a site config on its own: its saves are seen, its
// neighbours are not.
func TestFileRoot(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	cfg := filepath.Join(base, "site.yaml")
	write(t, cfg, "old")
	write(t, filepath.Join(base, "other.yaml"), "old")
	w := start(t, []string{cfg}, Options{})
	write(t, filepath.Join(base, "other.yaml"), "new")
	none(t, w)
	// vim's save, whose probe and backup land beside the config.
	write(t, filepath.Join(base, "4913"), "")
	remove(t, filepath.Join(base, "4913"))
	rename(t, cfg, cfg+"~")
	write(t, cfg, "new")
	remove(t, cfg+"~")
	only(t, w, cfg)
	write(t, cfg, "newer")
	only(t, w, cfg)
}

func TestMissingRoot(t *testing.T) {
	t.Parallel()

	t.Run("appears later", func(t *testing.T) {
		t.Parallel()
		base := t.TempDir()
		themes := filepath.Join(base, "themes")
		mkdir(t, themes)
		theme := filepath.Join(themes, "new")
		w := start(t, []string{theme}, Options{})
		write(t, filepath.Join(themes, "unrelated.txt"), "x")
		none(t, w)
		css := filepath.Join(theme, "assets/site.css")
		mkdir(t, filepath.Dir(css))
		write(t, css, "body{}")
		until(t, w, theme, css)
		none(t, w)
		write(t, css, "body{color:red}")
		only(t, w, css)
	})

	t.Run("parent missing too", func(t *testing.T) {
		t.Parallel()
		root := filepath.Join(t.TempDir(), "nope/site")
		w, err := New([]string{root}, Options{})
		if err == nil {
			w.Close()
			t.Fatal("New succeeded for a root whose parent does not exist")
		}
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Error(), "找不到") || !errors.Is(err, os.ErrNotExist) {
			t.Errorf("err = %v (%T), want a *Error saying 找不到 that wraps ErrNotExist", err, err)
		}
	})
}

func TestIgnored(t *testing.T) {
	t.Parallel()
	_, root := tree(t, ".git/HEAD", "public/index.html", "content/a.yaml")
	public := filepath.Join(root, "public")
	w := start(t, []string{root}, Options{Ignore: func(p string) bool { return p == public }})
	if wl := w.fsw.WatchList(); slices.ContainsFunc(wl, func(p string) bool {
		return strings.Contains(p, ".git") || strings.Contains(p, "public")
	}) {
		t.Errorf("ignored folders are watched: %q", wl)
	}
	write(t, filepath.Join(root, ".git/HEAD"), "ref")
	write(t, filepath.Join(root, ".hidden"), "x")
	write(t, filepath.Join(root, "public/index.html"), "x")
	mkdir(t, filepath.Join(root, ".cache/deep"))
	write(t, filepath.Join(root, ".cache/deep/x.yaml"), "x")
	write(t, filepath.Join(root, "content/a.yaml~"), "x")
	write(t, filepath.Join(root, "content/#a.yaml#"), "x")
	none(t, w)
	write(t, filepath.Join(root, "content/a.yaml"), "new")
	only(t, w, filepath.Join(root, "content/a.yaml"))
}

// TestOverflow: when the kernel drops events, everything is reported and
// the watches are rebuilt. The overflow is simulated; making the kernel
// overflow needs a global setting that other programs share.
func TestOverflow(t *testing.T) {
	t.Parallel()
	_, root := tree(t, "d/a.yaml")
	w := start(t, []string{root}, Options{})
	d := filepath.Join(root, "d")
	// A watch lost without the Watcher knowing, as when a folder is
	// replaced while events are being dropped.
	if err := w.fsw.Remove(d); err != nil {
		t.Fatal(err)
	}
	w.fsw.Errors <- fsnotify.ErrEventOverflow
	b := next(t, w)
	if !b.Rescan || !slices.Equal(b.Paths, []string{root}) {
		t.Fatalf("batch = %+v, want Rescan with the root", b)
	}
	write(t, filepath.Join(d, "a.yaml"), "new")
	only(t, w, filepath.Join(d, "a.yaml"))
}

func TestClose(t *testing.T) {
	_, root := tree(t, "a/b/c.yaml", "d/e.yaml", "f.yaml")
	// Closing waits for the kernel to release the watches (~10ms), so the
	// watchers are closed 20 at a time.
	const rounds, together = 10, 20
	round := func(t *testing.T) {
		var ws []*Watcher
		for range together {
			w, err := New([]string{root, filepath.Join(root, "f.yaml")}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			ws = append(ws, w)
		}
		write(t, filepath.Join(root, "a/b/c.yaml"), "x")
		errs := make(chan error, together)
		for _, w := range ws {
			go func() { errs <- w.Close() }()
		}
		for range ws {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		for _, w := range ws {
			if err := w.Close(); err != nil {
				t.Fatalf("second Close: %v", err)
			}
			if _, ok := <-w.Batches(); ok {
				t.Fatal("Batches not closed after Close")
			}
			if _, ok := <-w.Errors(); ok {
				t.Fatal("Errors not closed after Close")
			}
		}
	}
	// One round first: the runtime starts goroutines and descriptors
	// (timers, the poller) on first use that are not the Watcher's.
	round(t)
	goroutines, fds := runtime.NumGoroutine(), openFDs(t)
	for range rounds {
		round(t)
	}
	deadline := time.Now().Add(waitTimeout)
	for {
		g, f := runtime.NumGoroutine(), openFDs(t)
		if g <= goroutines && f <= fds {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %d New/Close: %d goroutines (was %d), %d open descriptors (was %d)",
				rounds*together, g, goroutines, f, fds)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(entries)
}

// TestSuccessiveWrites: write after write, each waited for, gives a batch
// each, naming the file alone. How soon is for BenchmarkLatency to
// measure: a test that timed it would fail when the machine is busy.
func TestSuccessiveWrites(t *testing.T) {
	_, root := tree(t, "a.yaml")
	w := start(t, []string{root}, Options{})
	p := filepath.Join(root, "a.yaml")
	for i := range 50 {
		write(t, p, fmt.Sprint(i))
		if b := next(t, w); !slices.Equal(b.Paths, []string{p}) {
			t.Fatalf("write %d: batch = %q", i, b.Paths)
		}
	}
	none(t, w)
}

// BenchmarkLatency measures the time from a write to its batch, which
// should be about Quiet (defaultQuiet): ns/op, with the median and the
// slowest beside it.
func BenchmarkLatency(b *testing.B) {
	root := filepath.Join(b.TempDir(), "site")
	p := filepath.Join(root, "a.yaml")
	if err := os.MkdirAll(root, 0o755); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("old"), 0o644); err != nil {
		b.Fatal(err)
	}
	w, err := New([]string{root}, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	var ds []time.Duration
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		if err := os.WriteFile(p, []byte(fmt.Sprint(i)), 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case bt := <-w.Batches():
			if !slices.Equal(bt.Paths, []string{p}) {
				b.Fatalf("batch = %q", bt.Paths)
			}
		case <-time.After(waitTimeout):
			b.Fatal("no batch within", waitTimeout)
		}
		ds = append(ds, time.Since(t0))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(ds[len(ds)-1].Microseconds())/1000, "max-ms")
}

// TestRelativeRoots: paths come back in the form the roots were given,
// which is how the preview passes --content.
func TestRelativeRoots(t *testing.T) {
	for _, root := range []string{"./site/", "."} {
		t.Run(root, func(t *testing.T) {
			base, _ := tree(t, "a.yaml")
			t.Chdir(base)
			w := start(t, []string{root}, Options{})
			write(t, "site/a.yaml", "new")
			only(t, w, filepath.Join("site", "a.yaml"))
			mkdir(t, "site/n")
			write(t, "site/n/b.yaml", "new")
			until(t, w, filepath.Join("site", "n", "b.yaml"))
		})
	}
}
