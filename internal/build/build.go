// Package build turns a content directory into the static site on disk:
// load and check, render, write into a fresh directory, then swap it in.
// A failed build leaves the previous site exactly as it was.
//
// build is the one orchestrator: the only place that pairs loading
// (internal/content) with checking (internal/check) — Load for the commands
// that only check, Cache and the Builder for the live preview, which keep
// the incremental state (the content cache, each department's check
// diagnostics, the rendered files' hashes) between builds.
//
// Layer 6 (see internal/arch): it may import every layer below it (content,
// check, site and the render parts); only preview, cli and cmd import it.
package build

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"disclose/internal/compliance"
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
	// Fresh renders every file, whatever the previous build's manifest
	// says could be reused.
	Fresh bool
	// Waiting, when set, is told when the build must wait for another
	// build (or preview) writing the same output to finish.
	Waiting func()
	// PageSize is the most rows a list, comparison or category page
	// shows; 0 means site.PageSize. The browser tests use a few rows, so
	// that a paginated site takes dozens of reports, not hundreds.
	PageSize int
}

// Result describes a build, successful or not.
type Result struct {
	Diagnostics []diag.Diagnostic
	Files       int
	// Reused counts the files taken from the previous site without
	// rendering them, as its manifest allowed.
	Reused int
	// RelativeSitemap is true when no base URL was given, so sitemap.xml
	// and feed.xml hold relative addresses.
	RelativeSitemap bool
	// Shortfalls are what the disclosures lack against the site's
	// compliance profile (the 公开情况 page lists them); they do not stop
	// a build, but publish refuses them without --force.
	Shortfalls []diag.Diagnostic
	// UpToDate: the inputs were those of the last build and its output
	// was intact, so nothing was loaded or written; the diagnostics and
	// shortfalls are the ones that build found.
	UpToDate bool
}

// ErrContent means the content has errors; Result.Diagnostics says which.
var ErrContent = errors.New("content has errors")

// marker marks a directory as a disclose output, so that a build never
// replaces a directory it did not make (such as --out . by mistake).
const marker = ".disclose-site"

const markerText = "built by disclose; the next build replaces this whole directory\n"

// Build runs the whole pipeline. On any error the output directory is left
// untouched. When the inputs are byte for byte those of the last build and
// its output is as it wrote it, nothing is loaded: the result is the last
// one (see record.go).
func Build(ctx context.Context, o Options) (Result, error) {
	key, keyErr := inputKey(ctx, o)
	if keyErr == nil && !o.Fresh {
		if res, ok := upToDate(ctx, o, key); ok {
			return res, nil
		}
	}
	b := NewBuilder(o)
	defer b.Close()
	u, err := b.Rebuild(ctx, Change{All: true})
	if err == nil && keyErr == nil {
		// An edit made while the build read the content must not be
		// recorded as built.
		if after, err := inputKey(ctx, o); err == nil && after == key {
			saveRecord(o, key, u.Result)
		} else {
			os.Remove(recordPath(o.Out))
		}
	}
	return u.Result, err
}

// contentRootName is the content directory as diagnostics name it.
func contentRootName(o Options) string { return filepath.ToSlash(filepath.Clean(o.Content)) }

// render loads, checks and prepares the site; nothing is written.
func render(o Options, m *model.Site, ds []diag.Diagnostic, memo *site.Memo) (*site.Site, []site.File, error) {
	themeFS, err := theme.Open(o.Theme)
	if err != nil {
		return nil, nil, err
	}
	// The user's disclosure-compliance profiles live beside the content
	// directory; the 公开情况 page uses the one site.yaml names.
	profiles, err := compliance.Load(o.Content)
	if err != nil {
		return nil, nil, err
	}
	s, err := site.New(m, ds, themeFS, site.Options{BaseURL: o.BaseURL, Memo: memo, Profiles: profiles, PageSize: o.PageSize})
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
// swaps it in. With cur, the new site carries a manifest, and the files
// the previous site's manifest shows unchanged are linked from it rather
// than rendered.
func writeFresh(ctx context.Context, o Options, files []site.File, cur *manifest) (written, error) {
	unlock, err := lockOutput(ctx, o.Out, o.Waiting)
	if err != nil {
		return written{}, err
	}
	defer unlock()
	removeLeftovers(o.Out)
	// The new site is written next to the old one so that the swap is a
	// rename within one file system.
	tmp, err := makeOwnDir(o.Out, "new")
	if err != nil {
		return written{}, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = removeTree(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return written{}, err
	}
	// Files that come out as the previous build wrote them are linked
	// from it rather than written again: a rebuild of a large site changes
	// few files, and deleting the old site then frees almost no blocks.
	var plan writePlan
	if st, err := os.Stat(o.Out); err == nil && st.IsDir() {
		plan.prev = o.Out
	}
	if cur != nil {
		plan.record = true
		if plan.prev != "" && !o.Fresh {
			plan.reuse = reusable(readManifest(manifestPath(o.Out)), cur, files)
		}
	}
	w, err := writeAll(ctx, tmp, files, plan, o)
	if err != nil {
		return written{}, err
	}
	// Stopped (Ctrl-C) after the last file: the old site stays.
	if err := ctx.Err(); err != nil {
		return written{}, err
	}
	var pending string
	if cur != nil {
		cur.files = w.records
		pending = tmp + manifestSuffix
		if err := os.WriteFile(pending, cur.marshal(), 0o644); err != nil {
			return written{}, err
		}
	}
	if err := swap(tmp, o.Out); err != nil {
		os.Remove(pending)
		return written{}, err
	}
	if pending != "" {
		// A manifest left behind by a failure here only costs renders:
		// each file it lists must still have its recorded size and time.
		if err := os.Rename(pending, manifestPath(o.Out)); err != nil {
			os.Remove(pending)
		}
	}
	ok = true
	return w, nil
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

// writePlan says what writeAll may spare itself.
type writePlan struct {
	old    map[string][32]byte   // a file whose bytes hash as before is not written
	prev   string                // a file whose bytes equal the same path's there is linked from there
	reuse  map[string]fileRecord // files taken from prev without rendering, if still as recorded
	record bool                  // return a record of every file for the manifest
}

// reusedHook, when set by a test, is told of every file taken from the
// manifest unrendered: a file rendered to the same bytes is linked too, so
// the file system alone cannot tell the two apart.
var reusedHook func(path string)

// written is what writeAll did.
type written struct {
	hashes  map[string][32]byte // every file's, rendered or reused
	records map[string]fileRecord
	reused  int
}

// writeAll renders the files on every core; each file is rendered and
// written by one worker, so memory holds only the pages in flight.
func writeAll(ctx context.Context, dir string, files []site.File, plan writePlan, o Options) (written, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan site.File)
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		firstErr error
		dirs     sync.Map
		res      = written{hashes: make(map[string][32]byte, len(files))}
		done     int
	)
	if plan.record {
		res.records = make(map[string]fileRecord, len(files))
	}
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
	finished := func(path string, h [32]byte, reused bool) {
		mu.Lock()
		res.hashes[path] = h
		if reused {
			res.reused++
		}
		done++
		if o.Progress != nil {
			o.Progress(done, len(files))
		}
		mu.Unlock()
	}
	recordFile := func(rel string, h [32]byte) {
		if !plan.record || !recordable(rel) {
			return
		}
		st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil {
			return // left out of the manifest: the next build renders it
		}
		mu.Lock()
		res.records[rel] = fileRecord{hash: h, size: st.Size(), mtime: st.ModTime().UnixNano()}
		mu.Unlock()
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out := output{dir: dir, dirs: &dirs}
			var scratch []byte
			for f := range jobs {
				if rec, ok := plan.reuse[f.Path]; ok && linkReused(plan.prev, dir, f.Path, rec, &dirs) {
					if reusedHook != nil {
						reusedHook(f.Path)
					}
					finished(f.Path, rec.hash, true)
					recordFile(f.Path, rec.hash)
					continue
				}
				out.reset(f.Path)
				err := f.Write(&out)
				h, streamed, closeErr := out.finish()
				if err = cmp.Or(err, closeErr); err != nil {
					fail(fmt.Errorf("render %s: %w", f.Path, err))
					continue
				}
				finished(f.Path, h, false)
				switch was, ok := plan.old[f.Path]; {
				case streamed:
				case ok && was == h:
					continue
				case plan.prev != "" && linkSame(plan.prev, dir, f.Path, out.buf.Bytes(), &scratch, &dirs):
				default:
					if err := writeFile(dir, f.Path, out.buf.Bytes(), &dirs); err != nil {
						fail(err)
						continue
					}
				}
				recordFile(f.Path, h)
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
		return written{}, firstErr
	}
	return res, ctx.Err()
}

// spillSize is the most of one file held in memory. Pages are well under
// it; the site-wide downloads run to 100 MB at 10,000 reports and go
// straight to disk.
const spillSize = 1 << 20

// output receives one rendered file: in memory while it is small, so that
// an unchanged file need not touch the disk, else streamed to its place in
// dir. Either way it hashes what it received.
type output struct {
	dir  string
	dirs *sync.Map
	rel  string
	buf  bytes.Buffer
	f    *os.File
	bw   *bufio.Writer
	h    hash.Hash
	err  error
}

func (o *output) reset(rel string) {
	o.rel, o.f, o.err = rel, nil, nil
	o.buf.Reset()
}

func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	if o.f == nil {
		if o.buf.Len()+len(p) <= spillSize {
			return o.buf.Write(p)
		}
		if o.err = o.spill(); o.err != nil {
			return 0, o.err
		}
	}
	o.h.Write(p)
	n, err := o.bw.Write(p)
	o.err = err
	return n, err
}

// spill opens the file and moves what was buffered into it.
func (o *output) spill() error {
	p := filepath.Join(o.dir, filepath.FromSlash(o.rel))
	if err := mkdirOnce(filepath.Dir(p), o.dirs); err != nil {
		return err
	}
	f, err := os.Create(p)
	if err != nil {
		return fmt.Errorf("write %s: %w", o.rel, err)
	}
	o.f = f
	if o.bw == nil {
		o.bw = bufio.NewWriterSize(f, 256<<10)
		o.h = sha256.New()
	} else {
		o.bw.Reset(f)
		o.h.Reset()
	}
	o.h.Write(o.buf.Bytes())
	_, err = o.bw.Write(o.buf.Bytes())
	o.buf.Reset()
	return err
}

// finish returns the hash of the file, and whether it is already on disk.
func (o *output) finish() (sum [32]byte, streamed bool, err error) {
	if o.f == nil {
		return sha256.Sum256(o.buf.Bytes()), false, o.err
	}
	err = o.err
	if err == nil {
		err = o.bw.Flush()
	}
	if cerr := o.f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", o.rel, cerr)
	}
	o.h.Sum(sum[:0])
	return sum, true, err
}

// linkSame links rel from prev into dir when the file there holds exactly
// data, and says whether it did. Anything unexpected (no such file, a
// different size or bytes, a file system without hard links) means the
// caller writes the file instead.
func linkSame(prev, dir, rel string, data []byte, scratch *[]byte, dirs *sync.Map) bool {
	src := filepath.Join(prev, filepath.FromSlash(rel))
	f, err := os.Open(src)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() != int64(len(data)) {
		return false
	}
	if cap(*scratch) < len(data)+1 {
		*scratch = make([]byte, len(data)+1)
	}
	// One byte more than expected shows a file that grew since the stat.
	buf := (*scratch)[:len(data)+1]
	n, err := io.ReadFull(f, buf)
	if n != len(data) || (err != io.ErrUnexpectedEOF && err != io.EOF) || !bytes.Equal(buf[:n], data) {
		return false
	}
	dst := filepath.Join(dir, filepath.FromSlash(rel))
	if mkdirOnce(filepath.Dir(dst), dirs) != nil {
		return false
	}
	return os.Link(src, dst) == nil
}

func mkdirOnce(dir string, dirs *sync.Map) error {
	if _, done := dirs.Load(dir); !done {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		dirs.Store(dir, true)
	}
	return nil
}

func writeFile(dir, rel string, data []byte, dirs *sync.Map) error {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := mkdirOnce(filepath.Dir(p), dirs); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}
