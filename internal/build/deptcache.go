package build

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/opendata"
	"disclose/internal/output"
)

// The department cache lets a build take a department whose files did not
// change without reading, checking or rendering it. It is kept beside the
// output (.public.disclose-cache/), an entry per department: what a
// streamed build kept of it (its digest, its diagnostics, its share of
// the downloads) and the files it wrote with their hashes, under the
// department's key (the bytes of its directory, content.TreeKeys) and the
// build's (streamKey: program, theme, profiles, options, site settings,
// years). Not the model: the digest is all the site-wide files need.
//
// An entry is used only when both keys match and the previous site still
// holds each of its files with the recorded hash, as its manifest says;
// the files are then linked from there. Anything else, or a file that
// cannot be linked, takes the long way. So a stale or damaged entry costs
// time, never a wrong page: TestCachedBuildEqualsClean.
const (
	cacheSuffix  = ".disclose-cache"
	cacheVersion = 1
)

func cacheDir(out string) string { return output.Beside(out, cacheSuffix) }

type cacheEntry struct {
	Version int
	Key     string // the build's key, hex
	Input   string // the department's key, hex
	// Digest is the department's digest as its Aggregate (what
	// Site.DigestJSON gives): parked as it is (ColdStore.Park), it is
	// decoded once, when the site-wide files need it.
	Digest     json.RawMessage
	Load       []diag.Diagnostic // the loader's, sorted
	Check      []diag.Diagnostic // the checker's, sorted
	Name       string            // what content.ValidateDepartments reads
	BudgetCode string
	Pos        model.Pos
	Files      map[string]string // path → SHA-256, hex
}

// deptCache reads and writes the entries of one output's cache.
type deptCache struct{ dir string }

func openDeptCache(out string) (*deptCache, error) {
	dir := cacheDir(out)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &deptCache{dir: dir}, nil
}

func (c *deptCache) entryPath(id string) string { return filepath.Join(c.dir, id+".json") }
func (c *deptCache) partPath(id string) string  { return filepath.Join(c.dir, id+".part") }

// get returns department id's entry and part when they were made under
// key and input.
func (c *deptCache) get(id string, key, input [32]byte) (*cacheEntry, *opendata.Part, bool) {
	b, err := os.ReadFile(c.entryPath(id))
	if err != nil {
		return nil, nil, false
	}
	var e cacheEntry
	if json.Unmarshal(b, &e) != nil || e.Version != cacheVersion || len(e.Digest) == 0 ||
		e.Key != hex.EncodeToString(key[:]) || e.Input != hex.EncodeToString(input[:]) {
		return nil, nil, false
	}
	var head struct{ ID string }
	if json.Unmarshal(e.Digest, &head) != nil || head.ID != id {
		return nil, nil, false
	}
	pb, err := os.ReadFile(c.partPath(id))
	if err != nil {
		return nil, nil, false
	}
	part := new(opendata.Part)
	if part.UnmarshalBinary(pb) != nil {
		return nil, nil, false
	}
	return &e, part, true
}

// put keeps department id's entry; a failure only costs the next build
// the long way.
func (c *deptCache) put(id string, key, input [32]byte, d *model.Department, load, check []diag.Diagnostic, digest []byte, part *opendata.Part, hashes map[string][32]byte) {
	e := cacheEntry{
		Version: cacheVersion, Key: hex.EncodeToString(key[:]), Input: hex.EncodeToString(input[:]),
		Digest: digest, Load: load, Check: check, Name: d.Name, BudgetCode: d.BudgetCode, Pos: d.Pos,
		Files: make(map[string]string, len(hashes)),
	}
	for p, h := range hashes {
		e.Files[p] = hex.EncodeToString(h[:])
	}
	b, err := json.Marshal(e)
	if err != nil {
		return
	}
	pb, err := part.MarshalBinary()
	if err != nil {
		return
	}
	// The part first: an entry is only read with its part beside it.
	if writeAtomic(c.partPath(id), pb) != nil || writeAtomic(c.entryPath(id), b) != nil {
		os.Remove(c.entryPath(id))
	}
}

// prune removes the entries of departments not in keep.
func (c *deptCache) prune(keep []string) {
	live := make(map[string]bool, len(keep))
	for _, id := range keep {
		live[id] = true
	}
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		id := strings.TrimSuffix(strings.TrimSuffix(name, ".json"), ".part")
		if !live[id] || strings.HasSuffix(name, ".tmp") {
			os.Remove(filepath.Join(c.dir, name))
		}
	}
}

// dropChanged removes the cache entries of the departments whose keys
// differ between before and after a build (all of them when after could
// not be taken).
func dropChanged(out string, before, after content.Keys, afterErr error) {
	dir := cacheDir(out)
	if afterErr != nil {
		os.RemoveAll(dir)
		return
	}
	for id, k := range before.Depts {
		if after.Depts[id] != k {
			os.Remove(filepath.Join(dir, id+".json"))
		}
	}
}

func writeAtomic(file string, b []byte) error {
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, file); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// linkable gives the records of prev for e's files when prev holds every
// one of them with the hash e recorded.
func (e *cacheEntry) linkable(prev *manifest) (map[string]output.Record, bool) {
	if prev == nil || len(e.Files) == 0 {
		return nil, false
	}
	out := make(map[string]output.Record, len(e.Files))
	for p, h := range e.Files {
		rec, ok := prev.files[p]
		if !ok || hex.EncodeToString(rec.Hash[:]) != h {
			return nil, false
		}
		out[p] = rec
	}
	return out, true
}

// stillThere tells whether the previous site in dir holds each file as
// recs describe it, so that linking them cannot fail half-way: a file
// written over one already linked would write through the link into the
// previous site.
func stillThere(dir string, recs map[string]output.Record) bool {
	if dir == "" {
		return false
	}
	for p, rec := range recs {
		st, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !st.Mode().IsRegular() || st.Size() != rec.Size || st.ModTime().UnixNano() != rec.MTime {
			return false
		}
	}
	return true
}

// errUnlinked is what a cached department's file gives if it could not be
// linked from the previous site after stillThere said it could: the build
// fails rather than write over a link.
var errUnlinked = errors.New("could not be linked from the previous site")

// linkedFiles are e's files, to be taken from the previous site.
func (e *cacheEntry) linkedFiles() []output.File {
	out := make([]output.File, 0, len(e.Files))
	for p := range e.Files {
		out = append(out, output.File{Path: p, Write: func(io.Writer) error { return errUnlinked }})
	}
	return out
}

// aggregateKey is what the manifest records of a digest, given as its
// Aggregate.
func aggregateKey(aggregate []byte) [32]byte { return sha256.Sum256(aggregate) }
