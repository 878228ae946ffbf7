// Package build turns a content directory into the static site on disk:
// load and check, render, write into a fresh directory, then swap it in.
// A failed build leaves the previous site exactly as it was.
package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"disclose/internal/check"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/site"
	"disclose/internal/theme"
)

// Options say what to build and where.
type Options struct {
	Content string // content directory
	Theme   string // user theme directory laid over the default; "" for the default alone
	Out     string // output directory, replaced as a whole
	BaseURL string // absolute site address for sitemap.xml, feed.xml and canonical links; overrides site.yaml
	// Jobs is how many files are rendered at once; 0 means one per core.
	// Any number gives the same bytes (TestParallelBuildMatchesSequential).
	Jobs int
	// Progress, when set, is told of each file written out of all, so that
	// a long build can show how far it is.
	Progress func(done, total int)
}

// Result describes a build, successful or not.
type Result struct {
	Diagnostics []diag.Diagnostic
	Files       int
	// RelativeSitemap is true when no base URL was given, so sitemap.xml
	// and feed.xml hold relative addresses.
	RelativeSitemap bool
}

// ErrContent means the content has errors; Result.Diagnostics says which.
var ErrContent = errors.New("content has errors")

// marker marks a directory as a disclose output, so that a build never
// replaces a directory it did not make (such as --out . by mistake).
const marker = ".disclose-site"

// Build runs the whole pipeline. On any error the output directory is left
// untouched.
func Build(ctx context.Context, o Options) (Result, error) {
	u, err := NewBuilder(o).Rebuild(ctx, Change{All: true})
	return u.Result, err
}

// load reads and checks the content directory from scratch.
func load(o Options) (*model.Site, []diag.Diagnostic, error) {
	st, err := os.Stat(o.Content)
	if err != nil {
		return nil, nil, fmt.Errorf("content directory: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("content directory %s: not a directory", o.Content)
	}
	m, ds := check.Content(os.DirFS(o.Content), filepath.ToSlash(filepath.Clean(o.Content)))
	return m, ds, nil
}

// render loads, checks and prepares the site; nothing is written.
func render(o Options, m *model.Site, ds []diag.Diagnostic, memo *site.Memo) (*site.Site, []site.File, error) {
	themeFS, err := theme.Open(o.Theme)
	if err != nil {
		return nil, nil, err
	}
	s, err := site.New(m, ds, themeFS, site.Options{BaseURL: o.BaseURL, Memo: memo})
	if err != nil {
		return nil, nil, err
	}
	files, err := s.Files()
	if err != nil {
		return nil, nil, err
	}
	return s, files, nil
}

// writeFresh writes the whole site into a new directory beside o.Out and
// swaps it in. It returns the hash of every file written.
func writeFresh(ctx context.Context, o Options, files []site.File) (map[string][32]byte, error) {
	parent := filepath.Dir(filepath.Clean(o.Out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	// The new site is written next to the old one so that the swap is a
	// rename within one file system.
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(o.Out)+".new-*")
	if err != nil {
		return nil, fmt.Errorf("output: %w", err)
	}
	ok := false
	defer func() {
		if !ok {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	hashes, err := writeAll(ctx, tmp, files, nil, o)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(tmp, marker), []byte("built by disclose; the next build replaces this whole directory\n"), 0o644); err != nil {
		return nil, err
	}
	if err := swap(tmp, o.Out); err != nil {
		return nil, err
	}
	ok = true
	return hashes, nil
}

// CheckOutput refuses an output directory that holds files but was not
// made by disclose: building would replace them, serving would publish them.
func CheckOutput(out string) error { return checkReplaceable(out) }

// checkReplaceable refuses to replace a directory that holds files but was
// not made by disclose.
func checkReplaceable(out string) error {
	st, err := os.Stat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("output %s: exists and is not a directory", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output %s: %w", out, err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, marker)); err != nil {
		return fmt.Errorf("output %s: the directory holds files that disclose did not write (no %s marker); choose an empty or new directory, or empty this one yourself", out, marker)
	}
	return nil
}

// writeAll renders the files on every core; each file is rendered and
// written by one worker, so memory holds only the pages in flight. With
// old, a file whose bytes hash as before is not written at all. It returns
// the hash of every file rendered.
func writeAll(ctx context.Context, dir string, files []site.File, old map[string][32]byte, o Options) (map[string][32]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan site.File)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		dirs     sync.Map
		hashes   = make(map[string][32]byte, len(files))
		done     int
	)
	workers := o.Jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
		mu.Unlock()
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for f := range jobs {
				buf.Reset()
				if err := f.Write(&buf); err != nil {
					fail(fmt.Errorf("render %s: %w", f.Path, err))
					continue
				}
				h := sha256.Sum256(buf.Bytes())
				mu.Lock()
				hashes[f.Path] = h
				done++
				if o.Progress != nil {
					o.Progress(done, len(files))
				}
				mu.Unlock()
				if prev, ok := old[f.Path]; ok && prev == h {
					continue
				}
				if err := writeFile(dir, f.Path, buf.Bytes(), &dirs); err != nil {
					fail(err)
				}
			}
		}()
	}
feed:
	for _, f := range files {
		select {
		case jobs <- f:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return hashes, ctx.Err()
}

func writeFile(dir, rel string, data []byte, dirs *sync.Map) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	parent := filepath.Dir(p)
	if _, done := dirs.Load(parent); !done {
		if err := os.MkdirAll(parent, 0o755); err != nil {
			return err
		}
		dirs.Store(parent, true)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}
