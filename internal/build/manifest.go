package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"disclose/internal/diag"
	"disclose/internal/output"
	"disclose/internal/site"
)

// The manifest lets a build reuse what the previous build wrote. A
// province's portal rebuilds the whole site after a few reports changed;
// rendering the other thousands of pages again gives the same bytes, so a
// build links them from the previous site instead. Package output keeps it
// beside the site (output.ManifestPath) and links the files; what it holds
// and when a file may be reused is the build's business.
//
// A department's files are reused when the department's key is unchanged:
// every byte the loader read in its directory, every listing and stat, and
// the checker's findings in its files. The site's key covers everything
// else a page can show: the program itself, the user theme, the files
// outside the departments and the shell (configuration, years, base URL).
// The site-wide pages are reused when no department's Aggregate changed,
// the site-wide downloads only when no department changed at all. Each
// reused file must still have the size and modification time it was
// written with, so a file edited by hand is rendered again.
const manifestVersion = output.ManifestHeader + "1"

type deptKeys struct{ input, aggregate [32]byte }

type manifest struct {
	key   [32]byte
	depts map[string]deptKeys
	files map[string]output.Record
}

// readManifest returns the manifest in file, or nil when there is none or
// it cannot be read: the build then renders everything.
func readManifest(file string) *manifest {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	m, err := parseManifest(b)
	if err != nil {
		return nil
	}
	return m
}

func parseManifest(b []byte) (*manifest, error) {
	m := &manifest{depts: map[string]deptKeys{}, files: map[string]output.Record{}}
	lines := strings.Split(string(b), "\n")
	if len(lines) < 2 || lines[0] != manifestVersion {
		return nil, errors.New("not a manifest of this version")
	}
	key, ok := strings.CutPrefix(lines[1], "key ")
	if !ok || !decodeHash(key, &m.key) {
		return nil, errors.New("no key")
	}
	for i, line := range lines[2:] {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		bad := fmt.Errorf("line %d: %q", i+3, line)
		switch {
		case f[0] == "dept" && len(f) == 4:
			var k deptKeys
			if f[1] == "" || !decodeHash(f[2], &k.input) || !decodeHash(f[3], &k.aggregate) {
				return nil, bad
			}
			m.depts[f[1]] = k
		case f[0] == "file" && len(f) == 5:
			var r output.Record
			var err1, err2 error
			r.Size, err1 = strconv.ParseInt(f[3], 10, 64)
			r.MTime, err2 = strconv.ParseInt(f[4], 10, 64)
			if !fs.ValidPath(f[1]) || f[1] == "." || !decodeHash(f[2], &r.Hash) || err1 != nil || err2 != nil || r.Size < 0 {
				return nil, bad
			}
			m.files[f[1]] = r
		default:
			return nil, bad
		}
	}
	return m, nil
}

func decodeHash(s string, h *[32]byte) bool {
	if len(s) != 2*len(h) {
		return false
	}
	_, err := hex.Decode(h[:], []byte(s))
	return err == nil
}

func (m *manifest) marshal() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\nkey %x\n", manifestVersion, m.key)
	for _, id := range slices.Sorted(maps.Keys(m.depts)) {
		k := m.depts[id]
		fmt.Fprintf(&b, "dept\t%s\t%x\t%x\n", id, k.input, k.aggregate)
	}
	for _, p := range slices.Sorted(maps.Keys(m.files)) {
		r := m.files[p]
		fmt.Fprintf(&b, "file\t%s\t%x\t%d\t%d\n", p, r.Hash, r.Size, r.MTime)
	}
	return b.Bytes()
}

// reusable picks the files of files that prev says can be taken from the
// previous site as they are, given the keys of this build.
func reusable(prev, cur *manifest, files []site.File) map[string]output.Record {
	if prev == nil || prev.key != cur.key {
		return nil
	}
	sameInputs := len(prev.depts) == len(cur.depts)
	sameAggregates := sameInputs
	for id, k := range cur.depts {
		p, ok := prev.depts[id]
		switch {
		case !ok:
			sameInputs, sameAggregates = false, false
		case p.input != k.input:
			sameInputs = false
			if p.aggregate != k.aggregate {
				sameAggregates = false
			}
		}
	}
	out := map[string]output.Record{}
	for _, f := range files {
		rec, ok := prev.files[f.Path]
		if !ok {
			continue
		}
		switch f.Scope.Kind {
		case site.DeptScope:
			p, had := prev.depts[f.Scope.Dept]
			if c, has := cur.depts[f.Scope.Dept]; !had || !has || p.input != c.input {
				continue
			}
		case site.AllScope:
			if (f.Slow && !sameInputs) || (!f.Slow && !sameAggregates) {
				continue
			}
		default:
			continue // the shell's pages and the theme's assets cost nothing to render
		}
		out[f.Path] = rec
	}
	return out
}

// inputs records what the loader read, so that a department's key can be
// computed from exactly the bytes its pages were made from. It implements
// the fs interfaces the loader uses; anything read another way makes the
// site's key unusable.
type inputs struct {
	fsys fs.FS
	mu   sync.Mutex
	seen map[string][32]byte // path → hash of what was read, listed or stat'ed
	open bool                // a file was opened directly: the record is incomplete
	// stopped: reads pass through unrecorded (see Builder.loadContent).
	stopped atomic.Bool
}

// stop ends the recording; what was recorded stays until clear.
func (in *inputs) stop() { in.stopped.Store(true) }

func (in *inputs) clear() {
	in.mu.Lock()
	in.seen = nil
	in.mu.Unlock()
}

func newInputs(fsys fs.FS) *inputs { return &inputs{fsys: fsys, seen: map[string][32]byte{}} }

func (in *inputs) note(kind, name string, data []byte) {
	if in.stopped.Load() {
		return
	}
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(data)
	var sum [32]byte
	h.Sum(sum[:0])
	in.mu.Lock()
	in.seen[kind+":"+name] = sum
	in.mu.Unlock()
}

func (in *inputs) Open(name string) (fs.File, error) {
	if in.stopped.Load() {
		return in.fsys.Open(name)
	}
	in.mu.Lock()
	in.open = true
	in.mu.Unlock()
	return in.fsys.Open(name)
}

func (in *inputs) ReadFile(name string) ([]byte, error) {
	b, err := fs.ReadFile(in.fsys, name)
	if err != nil {
		in.note("read", name, []byte("error: "+err.Error()))
		return b, err
	}
	in.note("read", name, b)
	return b, nil
}

func (in *inputs) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(in.fsys, name)
	var b strings.Builder
	if err != nil {
		b.WriteString("error: " + err.Error())
	}
	for _, e := range entries {
		fmt.Fprintf(&b, "%s %v\n", e.Name(), e.Type())
	}
	in.note("dir", name, []byte(b.String()))
	return entries, err
}

func (in *inputs) Lstat(name string) (fs.FileInfo, error) {
	fi, err := fs.Lstat(in.fsys, name)
	if err != nil {
		in.note("lstat", name, []byte("error: "+err.Error()))
	} else {
		in.note("lstat", name, fmt.Appendf(nil, "%d %v", fi.Size(), fi.Mode()))
	}
	return fi, err
}

func (in *inputs) ReadLink(name string) (string, error) {
	target, err := fs.ReadLink(in.fsys, name)
	if err != nil {
		in.note("link", name, []byte("error: "+err.Error()))
	} else {
		in.note("link", name, []byte(target))
	}
	return target, err
}

func (in *inputs) Stat(name string) (fs.FileInfo, error) {
	fi, err := fs.Stat(in.fsys, name)
	if err != nil {
		in.note("stat", name, []byte("error: "+err.Error()))
	} else {
		in.note("stat", name, fmt.Appendf(nil, "%d %v", fi.Size(), fi.Mode()))
	}
	return fi, err
}

// keys computes the site's key and each department's input key. root is
// the content directory as the diagnostics name it; global holds what
// every page depends on besides its department.
func (in *inputs) keys(root string, ds []diag.Diagnostic, global []byte) ([32]byte, map[string][32]byte, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.open {
		return [32]byte{}, nil, false
	}
	hashers := map[string]hash.Hash{}
	site := sha256.New()
	site.Write(global)
	into := func(dept string) hash.Hash {
		if dept == "" {
			return site
		}
		h, ok := hashers[dept]
		if !ok {
			h = sha256.New()
			hashers[dept] = h
		}
		return h
	}
	for _, k := range slices.Sorted(maps.Keys(in.seen)) {
		_, name, _ := strings.Cut(k, ":")
		dept, _, _ := strings.Cut(name, "/")
		if name == "." {
			// The list of departments: each one's own key says whether it
			// is new or gone, and a new department must not make every
			// other department's pages be rendered again.
			continue
		}
		if !strings.Contains(name, "/") && !strings.HasPrefix(k, "dir:") {
			dept = "" // a file at the top, such as site.yaml
		}
		sum := in.seen[k]
		fmt.Fprintf(into(dept), "%s\x00%x\n", k, sum)
	}
	prefix := root + "/"
	for _, d := range ds {
		dept := ""
		if rel, ok := strings.CutPrefix(d.Pos.File, prefix); ok || root == "." {
			if !ok {
				rel = d.Pos.File
			}
			if before, _, found := strings.Cut(rel, "/"); found {
				dept = before
			}
		}
		fmt.Fprintf(into(dept), "%+v\n", d)
	}
	var key [32]byte
	site.Sum(key[:0])
	out := make(map[string][32]byte, len(hashers))
	for dept, h := range hashers {
		var sum [32]byte
		h.Sum(sum[:0])
		out[dept] = sum
	}
	return key, out, true
}

// programHash identifies the running program, whose code and embedded
// theme decide every byte of the output.
var programHash = sync.OnceValue(func() []byte {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, bufio.NewReaderSize(f, 1<<20)); err != nil {
		return nil
	}
	return h.Sum(nil)
})

// themeHash covers every file of a user theme directory.
func themeHash(dir string) ([]byte, error) {
	h := sha256.New()
	if dir == "" {
		return h.Sum(nil), nil
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %v\n", path.Clean(filepath.ToSlash(rel)), d.Type())
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%d\n", len(b))
		h.Write(b)
		return nil
	})
	return h.Sum(nil), err
}
