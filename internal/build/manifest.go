package build

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
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
// every name and byte under its directory (content.TreeKeys), taken before
// the build read it. The site's key (streamKey) covers everything else a
// page can show: the program itself, the user theme and profiles, the
// files outside the departments and the shell (configuration, years, base
// URL).
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
	// A line is about 150 bytes: grown by doubling, the buffer of a
	// province's manifest (15 MB) would be copied a dozen times over.
	b.Grow(160*(len(m.files)+len(m.depts)) + 256)
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
		// Both are compared whatever the other says: the inputs are keyed
		// before they are read, so an edit saved meanwhile leaves a
		// department with its old input key and its new aggregate.
		if !ok || p.input != k.input {
			sameInputs = false
		}
		if !ok || p.aggregate != k.aggregate {
			sameAggregates = false
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
