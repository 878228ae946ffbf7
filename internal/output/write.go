package output

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// File is one file to write: Path is slash-separated and relative to the
// output directory; Write produces its bytes.
type File struct {
	Path  string
	Write func(io.Writer) error
}

// Record is what a manifest keeps of a written file, so that a later
// write can take it from the previous output unrendered: its hash, and
// the size and modification time it had when written (a file edited by
// hand since then has another time, and is rendered again).
type Record struct {
	Hash  [32]byte
	Size  int64
	MTime int64 // UnixNano
}

// Plan says how WriteAll works and what it may spare itself.
type Plan struct {
	// Jobs is how many files are rendered at once; 0 means one per core.
	Jobs int
	// Progress, when set, is told of each file done out of all.
	Progress func(done, total int)
	// Old holds hashes of what the output already has: a file whose bytes
	// hash as before is not written (for a Stage, whose output keeps it).
	Old map[string][32]byte
	// Reuse lists files taken from the previous output without rendering
	// them, if still as recorded (Txn only).
	Reuse map[string]Record
	// Reused, when set, is told of every file Reuse took: a file rendered
	// to the same bytes is linked too, so the file system alone cannot
	// tell the two apart.
	Reused func(path string)
	// Record asks for a Record of every file, for the manifest.
	Record bool
}

// Written is what WriteAll did.
type Written struct {
	Hashes  map[string][32]byte // every file's, rendered or reused
	Records map[string]Record   // with Plan.Record
	Reused  int                 // files taken by Plan.Reuse
}

// Recordable says whether a path can be written in a manifest's
// tab-and-line format; files that cannot are left out of Written.Records.
func Recordable(p string) bool { return !strings.ContainsAny(p, "\t\n") }

// writer writes files into dir; with prev, a file whose bytes equal the
// same path's there is hard-linked from there rather than written.
type writer struct {
	dir, prev string
	dirs      sync.Map // directories known to exist
}

// writeAll renders the files on plan.Jobs workers; each file is rendered
// and written by one worker, so memory holds only the files in flight. The
// first failure stops the rest, and so does ctx.
func (w *writer) writeAll(ctx context.Context, files []File, plan Plan) (Written, error) {
	var (
		mu   sync.Mutex
		res  = Written{Hashes: make(map[string][32]byte, len(files))}
		done int
	)
	if plan.Record {
		res.Records = make(map[string]Record, len(files))
	}
	workers := plan.Jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	finished := func(path string, h [32]byte, reused bool) {
		mu.Lock()
		res.Hashes[path] = h
		if reused {
			res.Reused++
		}
		done++
		if plan.Progress != nil {
			plan.Progress(done, len(files))
		}
		mu.Unlock()
	}
	recordFile := func(rel string, h [32]byte) {
		if !plan.Record || !Recordable(rel) {
			return
		}
		st, err := os.Lstat(filepath.Join(w.dir, filepath.FromSlash(rel)))
		if err != nil {
			return // left out of the manifest: the next build renders it
		}
		mu.Lock()
		res.Records[rel] = Record{Hash: h, Size: st.Size(), MTime: st.ModTime().UnixNano()}
		mu.Unlock()
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	// A file stops at its next write once ctx ends: the site-wide
	// downloads take seconds each, and a preview stops writing them the
	// moment the next save comes.
	var stopped atomic.Bool
	defer context.AfterFunc(gctx, func() { stopped.Store(true) })()
	// Each running file takes one of these buffers; there are never more
	// running than buffers.
	bufs := make(chan *pending, workers)
	for range workers {
		bufs <- &pending{w: w, stopped: &stopped}
	}
	write := func(f File) error {
		if !fs.ValidPath(f.Path) || f.Path == "." {
			return fmt.Errorf("output: bad file name %q", f.Path)
		}
		if rec, ok := plan.Reuse[f.Path]; ok && w.prev != "" && w.linkReused(f.Path, rec) {
			if plan.Reused != nil {
				plan.Reused(f.Path)
			}
			finished(f.Path, rec.Hash, true)
			recordFile(f.Path, rec.Hash)
			return nil
		}
		out := <-bufs
		defer func() { bufs <- out }()
		out.reset(f.Path)
		err := f.Write(out)
		h, streamed, closeErr := out.finish()
		if err = cmp.Or(err, closeErr); err != nil {
			return fmt.Errorf("render %s: %w", f.Path, err)
		}
		finished(f.Path, h, false)
		switch was, ok := plan.Old[f.Path]; {
		case streamed:
		case ok && was == h:
			return nil
		case w.prev != "" && w.linkSame(f.Path, out.buf.Bytes(), &out.scratch):
		default:
			if err := w.writeFile(f.Path, out.buf.Bytes()); err != nil {
				return err
			}
		}
		recordFile(f.Path, h)
		return nil
	}
	for _, f := range files {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			// Go may have waited for a slot while another file failed.
			if gctx.Err() != nil {
				return nil
			}
			return write(f)
		})
	}
	if err := g.Wait(); err != nil {
		return Written{}, err
	}
	return res, ctx.Err()
}

// spillSize is the most of one file held in memory. Pages are well under
// it; the site-wide downloads run to 100 MB at 10,000 reports and go
// straight to disk.
const spillSize = 1 << 20

// pending receives one rendered file: in memory while it is small, so that
// an unchanged file need not touch the disk, else streamed to its place in
// the writer's dir. Either way it hashes what it received.
type pending struct {
	w       *writer
	stopped *atomic.Bool
	rel     string
	buf     bytes.Buffer
	scratch []byte // linkSame's
	f       *os.File
	bw      *bufio.Writer
	h       hash.Hash
	err     error
}

func (o *pending) reset(rel string) {
	o.rel, o.f, o.err = rel, nil, nil
	o.buf.Reset()
}

func (o *pending) Write(p []byte) (int, error) {
	if o.err == nil && o.stopped.Load() {
		o.err = context.Canceled
	}
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

// Err says whether the file should stop: a writer that holds its output
// back for seconds (all.xlsx's sheets) asks it between its writes.
func (o *pending) Err() error {
	if o.stopped.Load() {
		return context.Canceled
	}
	return nil
}

// spill opens the file and moves what was buffered into it.
func (o *pending) spill() error {
	p := filepath.Join(o.w.dir, filepath.FromSlash(o.rel))
	if err := o.w.mkdirOnce(filepath.Dir(p)); err != nil {
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
func (o *pending) finish() (sum [32]byte, streamed bool, err error) {
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
func (w *writer) linkSame(rel string, data []byte, scratch *[]byte) bool {
	src := filepath.Join(w.prev, filepath.FromSlash(rel))
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
	dst := filepath.Join(w.dir, filepath.FromSlash(rel))
	if w.mkdirOnce(filepath.Dir(dst)) != nil {
		return false
	}
	return os.Link(src, dst) == nil
}

// linkReused links rel from prev into dir if the file there is still the
// one rec describes.
func (w *writer) linkReused(rel string, rec Record) bool {
	src := filepath.Join(w.prev, filepath.FromSlash(rel))
	st, err := os.Lstat(src)
	if err != nil || !st.Mode().IsRegular() || st.Size() != rec.Size || st.ModTime().UnixNano() != rec.MTime {
		return false
	}
	dst := filepath.Join(w.dir, filepath.FromSlash(rel))
	if w.mkdirOnce(filepath.Dir(dst)) != nil {
		return false
	}
	return os.Link(src, dst) == nil
}

func (w *writer) mkdirOnce(dir string) error {
	if _, done := w.dirs.Load(dir); !done {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		w.dirs.Store(dir, true)
	}
	return nil
}

func (w *writer) writeFile(rel string, data []byte) error {
	p := filepath.Join(w.dir, filepath.FromSlash(rel))
	if err := w.mkdirOnce(filepath.Dir(p)); err != nil {
		return err
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", rel, err)
	}
	return nil
}
