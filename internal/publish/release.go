package publish

import (
	"bytes"
	"cmp"
	"context"
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
	"strings"
	"time"
)

const (
	releasesDir     = "releases"
	liveLink        = "current"
	partialPrefix   = ".partial-"
	manifestSuffix  = ".manifest.json"
	changelogSuffix = ".changelog.txt"
	// DefaultKeep is how many releases a publish keeps unless told.
	DefaultKeep = 5
)

// ErrPrune means the new release is live but old ones could not all be
// removed.
var ErrPrune = errors.New("removing old releases failed")

// Options say what to publish and how.
type Options struct {
	Site       string // the built site's directory on this machine
	Version    string // the program's version, recorded in the manifest
	ContentKey string // hash of the content directory, recorded in the manifest
	// Forced lists the findings --force overrode, recorded in the manifest.
	Forced []string
	// Keep is how many releases to keep (DefaultKeep when 0); the live
	// release and the one it replaced are kept whatever it says.
	Keep int
	// DryRun computes the plan and the changelog and changes nothing on
	// the target.
	DryRun bool
	// BeforeSwitch, when set, is told of the release once it is complete
	// on the target, before it goes live: the moment to show the
	// changelog. It is not called in a dry run or for an unchanged site.
	BeforeSwitch func(Result)
	// MaxFigures bounds the changed figures listed per report (20 when 0).
	MaxFigures int
	Now        func() time.Time // time.Now when nil
}

// Result says what a publish did, or in a dry run would do.
type Result struct {
	ID       string // the release live afterwards
	Previous string // the release live before; "" for the first publish
	Files    int    // files in the release
	Bytes    int64
	// Sent files were uploaded; Reused ones hard-linked on the target from
	// the live release; Resumed ones found already uploaded by an
	// interrupted publish of the same site.
	Sent      int
	SentBytes int64
	Reused    int
	Resumed   int
	// Unchanged is true when the site equals the live release: nothing
	// was sent and no release made.
	Unchanged bool
	// Existing is true when an earlier release held exactly these files:
	// it was made live again instead of uploaded.
	Existing bool
	Changes  *Changelog
	Pruned   []string // releases removed by --keep
}

// Publish makes the built site in o.Site a release on s and switches the
// live path to it. An interrupted publish leaves the live release as it
// was; the next publish of the same site resumes the upload. In a dry run
// s may be nil, for a target that does not exist yet.
func Publish(ctx context.Context, s Store, o Options) (Result, error) {
	var res Result
	files, err := ScanSite(ctx, o.Site)
	if err != nil {
		return res, err
	}
	if len(files) == 0 {
		return res, fmt.Errorf("publish: site %s has no files", o.Site)
	}
	for _, f := range files {
		if !validPath(f.Path) {
			return res, fmt.Errorf("publish: cannot publish a file named %q", f.Path)
		}
		res.Bytes += f.Size
	}
	res.Files = len(files)
	now := time.Now
	if o.Now != nil {
		now = o.Now
	}
	t := now().UTC()
	sum := FilesHash(files)
	m := &Manifest{
		Format: ManifestFormat, ID: ReleaseID(t, files), Created: t,
		Version: o.Version, ContentKey: o.ContentKey, Files: files, Forced: slices.Clone(o.Forced),
	}
	var live *Manifest
	var lost string
	if s != nil {
		id, err := LiveID(s)
		if err != nil {
			return res, err
		}
		if id != "" {
			res.Previous, m.Previous = id, id
			live, err = readManifest(s, id)
			switch {
			case errors.Is(err, fs.ErrNotExist) || errors.Is(err, errBadManifest):
				// A live release whose manifest is lost or damaged is
				// still replaced, by sending every file: refusing would
				// leave the site stuck on it.
				live = nil
				lost = fmt.Sprintf("现行版本 %s 的清单无法读取（%v），全部文件重新上传，无法列出变化", id, err)
			case err != nil:
				return res, fmt.Errorf("publish: live release %s: %w", id, err)
			}
		}
	}
	if live != nil && FilesHash(live.Files) == sum {
		res.ID, res.Unchanged = live.ID, true
		return res, nil
	}
	readOld := func(p string) ([]byte, error) { return s.ReadFile(releasesDir + "/" + live.ID + "/" + p) }
	readNew := func(p string) ([]byte, error) { return os.ReadFile(filepath.Join(o.Site, filepath.FromSlash(p))) }
	res.Changes, err = Changes(live, m, readOld, readNew, o.MaxFigures)
	if err != nil {
		return res, err
	}
	res.Changes.Lost = lost
	res.ID = m.ID

	var existing string
	if s != nil {
		if existing, err = findRelease(s, sum); err != nil {
			return res, err
		}
	}
	if existing != "" {
		res.ID, res.Existing = existing, true
		res.Changes.To = existing
	}
	if o.DryRun {
		if existing == "" {
			err = plan(s, live, files, sum, &res)
		}
		return res, err
	}
	if existing == "" {
		if err := upload(ctx, s, o.Site, live, m, sum, &res); err != nil {
			return res, err
		}
	}
	if o.BeforeSwitch != nil {
		o.BeforeSwitch(res)
	}
	if err := switchLive(s, res.ID); err != nil {
		return res, err
	}
	keep := o.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	res.Pruned, err = prune(s, keep, res.ID, res.Previous, partialPrefix+sum[:12])
	if err != nil {
		return res, fmt.Errorf("publish: release %s is live, but %w: %w", res.ID, ErrPrune, err)
	}
	return res, nil
}

// plan counts what an upload would send, reuse and resume, reading only.
func plan(s Store, live *Manifest, files []File, sum string, res *Result) error {
	var present map[string]int64
	if s != nil {
		var err error
		if present, err = walkFiles(s, releasesDir+"/"+partialPrefix+sum[:12]); err != nil {
			return err
		}
	}
	inLive := liveFiles(live)
	for _, f := range files {
		if size, ok := present[f.Path]; ok && size == f.Size {
			res.Resumed++
			continue
		}
		switch {
		case inLive[f.Path] == f.SHA256:
			res.Reused++
		default:
			res.Sent++
			res.SentBytes += f.Size
		}
	}
	return nil
}

func liveFiles(live *Manifest) map[string]string {
	in := map[string]string{}
	if live != nil {
		for _, f := range live.Files {
			in[f.Path] = f.SHA256
		}
	}
	return in
}

// upload puts every file of m into releases/.partial-<hash>/, then writes
// the manifest and changelog and renames the directory to releases/<id>.
func upload(ctx context.Context, s Store, site string, live, m *Manifest, sum string, res *Result) error {
	partial := releasesDir + "/" + partialPrefix + sum[:12]
	present, err := walkFiles(s, partial)
	if err != nil {
		return err
	}
	want := make(map[string]int64, len(m.Files))
	for _, f := range m.Files {
		want[f.Path] = f.Size
	}
	// Whatever an earlier attempt left that is not a whole file of this
	// release (a temporary file of an interrupted write) must not be
	// served; a file of the right size at its final name is whole.
	for _, p := range slices.Sorted(maps.Keys(present)) {
		if size, ok := want[p]; !ok || size != present[p] {
			if err := s.RemoveAll(partial + "/" + p); err != nil {
				return fmt.Errorf("publish: remove %s: %w", p, err)
			}
			delete(present, p)
		}
	}
	if err := s.MkdirAll(partial); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	made := map[string]bool{partial: true}
	inLive := liveFiles(live)
	canLink := live != nil
	for _, f := range m.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, ok := present[f.Path]; ok {
			res.Resumed++
			continue
		}
		dst := partial + "/" + f.Path
		if dir := path.Dir(dst); !made[dir] {
			if err := s.MkdirAll(dir); err != nil {
				return fmt.Errorf("publish: %w", err)
			}
			for d := dir; d != partial && d != "."; d = path.Dir(d) {
				made[d] = true
			}
		}
		if canLink && inLive[f.Path] == f.SHA256 {
			err := s.Link(releasesDir+"/"+live.ID+"/"+f.Path, dst)
			if err == nil {
				res.Reused++
				continue
			}
			switch {
			case errors.Is(err, errors.ErrUnsupported), errors.Is(err, fs.ErrPermission):
				// The target cannot link (no hardlink@openssh.com, or
				// links refused): send every file from here on.
				canLink = false
			case errors.Is(err, fs.ErrNotExist):
				// The live release lost this file; send it.
			default:
				return fmt.Errorf("publish: link %s: %w", f.Path, err)
			}
		}
		if err := send(s, site, f, dst); err != nil {
			return err
		}
		res.Sent++
		res.SentBytes += f.Size
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	b, err := m.Marshal()
	if err != nil {
		return err
	}
	if err := s.WriteFile(releasesDir+"/"+m.ID+manifestSuffix, bytes.NewReader(b)); err != nil {
		return fmt.Errorf("publish: write manifest: %w", err)
	}
	var log bytes.Buffer
	if err := res.Changes.WriteText(&log); err != nil {
		return err
	}
	if err := s.WriteFile(releasesDir+"/"+m.ID+changelogSuffix, &log); err != nil {
		return fmt.Errorf("publish: write changelog: %w", err)
	}
	if err := s.Rename(partial, releasesDir+"/"+m.ID); err != nil {
		return fmt.Errorf("publish: complete release %s: %w", m.ID, err)
	}
	return nil
}

// send uploads one file of the site, checking on the way that its bytes
// are still those scanned: a site rebuilt during the publish must not end
// up half old, half new under the new release's manifest.
func send(s Store, site string, f File, dst string) error {
	src, err := os.Open(filepath.Join(site, filepath.FromSlash(f.Path)))
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer src.Close()
	r := &verifying{r: src, h: sha256.New(), f: f}
	if err := s.WriteFile(dst, r); err != nil {
		return fmt.Errorf("publish: send %s: %w", f.Path, err)
	}
	return nil
}

// verifying reads a file and, at its end, fails instead of reporting EOF
// when the bytes read are not the ones the manifest lists, so that the
// Store's WriteFile never puts them at their final name.
type verifying struct {
	r io.Reader
	h hash.Hash
	n int64
	f File
}

func (v *verifying) Read(p []byte) (int, error) {
	n, err := v.r.Read(p)
	v.h.Write(p[:n])
	v.n += int64(n)
	if err == io.EOF && (v.n != v.f.Size || hex.EncodeToString(v.h.Sum(nil)) != v.f.SHA256) {
		return n, fmt.Errorf("%s changed while it was being published", v.f.Path)
	}
	return n, err
}

// walkFiles lists the regular files under dir with their sizes, one
// ReadDir a directory; a missing dir has none. Anything else found (a
// link) is listed with size -1, so that it is removed as not wanted.
func walkFiles(s Store, dir string) (map[string]int64, error) {
	found := map[string]int64{}
	var walk func(rel string) error
	walk = func(rel string) error {
		name := dir
		if rel != "" {
			name += "/" + rel
		}
		infos, err := s.ReadDir(name)
		if err != nil {
			return err
		}
		for _, fi := range infos {
			p := path.Join(rel, fi.Name())
			switch {
			case fi.IsDir():
				if err := walk(p); err != nil {
					return err
				}
			case fi.Mode().IsRegular():
				found[p] = fi.Size()
			default:
				found[p] = -1
			}
		}
		return nil
	}
	err := walk("")
	if errors.Is(err, fs.ErrNotExist) && len(found) == 0 {
		return found, nil
	}
	if err != nil {
		return nil, fmt.Errorf("publish: read %s: %w", dir, err)
	}
	return found, nil
}

// LiveID is the id of the live release, "" when there is none.
func LiveID(s Store) (string, error) {
	fi, err := s.Stat(liveLink)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return "", fmt.Errorf("publish: %s on the target is not a link made by disclose; move it away first", liveLink)
	}
	target, err := s.Readlink(liveLink)
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	id, ok := strings.CutPrefix(target, releasesDir+"/")
	if !ok || !ValidID(id) {
		return "", fmt.Errorf("publish: %s points to %q, not to a release", liveLink, target)
	}
	return id, nil
}

// errBadManifest marks a manifest that is there but does not parse.
var errBadManifest = errors.New("damaged manifest")

func readManifest(s Store, id string) (*Manifest, error) {
	b, err := s.ReadFile(releasesDir + "/" + id + manifestSuffix)
	if err != nil {
		return nil, err
	}
	m, err := ParseManifest(b)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadManifest, err)
	}
	if m.ID != id {
		return nil, fmt.Errorf("%w: it names release %s", errBadManifest, m.ID)
	}
	return m, nil
}

// findRelease finds a complete release holding exactly the files of sum,
// such as one made before a rollback, or one whose publish was stopped
// after it was complete but before the switch.
func findRelease(s Store, sum string) (string, error) {
	infos, err := s.ReadDir(releasesDir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("publish: %w", err)
	}
	for _, fi := range infos {
		id := fi.Name()
		if !fi.IsDir() || !ValidID(id) || !strings.HasSuffix(id, "-"+sum[:12]) {
			continue
		}
		if m, err := readManifest(s, id); err == nil && FilesHash(m.Files) == sum {
			return id, nil
		}
	}
	return "", nil
}

// switchLive makes releases/<id> live: a new link renamed over current.
func switchLive(s Store, id string) error {
	tmp := liveLink + ".new-" + id
	if err := s.RemoveAll(tmp); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := s.Symlink(releasesDir+"/"+id, tmp); err != nil {
		return fmt.Errorf("publish: switch to %s: %w", id, err)
	}
	if err := s.Rename(tmp, liveLink); err != nil {
		s.RemoveAll(tmp)
		return fmt.Errorf("publish: switch to %s: %w", id, err)
	}
	return nil
}

// Release is one release on a target.
type Release struct {
	ID string
	// Manifest is nil when the release's manifest is missing or
	// unreadable; Err says why.
	Manifest *Manifest
	Err      error
	Live     bool
}

// Created is when the release was made: from its manifest, else its id.
func (r Release) Created() time.Time {
	if r.Manifest != nil {
		return r.Manifest.Created
	}
	t, _ := time.Parse(idTime, r.ID[:len(idTime)])
	return t
}

// List returns the releases on s, oldest first (by creation time, then id).
func List(s Store) ([]Release, error) {
	rs, _, err := list(s)
	return rs, err
}

// list also returns the names in releases/ that belong to no release:
// manifests and changelogs of uploads stopped before their rename.
func list(s Store) ([]Release, []string, error) {
	infos, err := s.ReadDir(releasesDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("publish: %w", err)
	}
	live, err := LiveID(s)
	if err != nil {
		return nil, nil, err
	}
	dirs := map[string]bool{}
	var rs []Release
	for _, fi := range infos {
		if fi.IsDir() && ValidID(fi.Name()) {
			dirs[fi.Name()] = true
			r := Release{ID: fi.Name(), Live: fi.Name() == live}
			r.Manifest, r.Err = readManifest(s, r.ID)
			rs = append(rs, r)
		}
	}
	var orphans []string
	for _, fi := range infos {
		name := fi.Name()
		for _, suffix := range []string{manifestSuffix, changelogSuffix} {
			if id, ok := strings.CutSuffix(name, suffix); ok && ValidID(id) && !dirs[id] {
				orphans = append(orphans, name)
			}
		}
	}
	slices.SortFunc(rs, func(a, b Release) int {
		return cmp.Or(a.Created().Compare(b.Created()), strings.Compare(a.ID, b.ID))
	})
	return rs, orphans, nil
}

// prune removes all but the newest keep releases, never the live one nor
// the one it replaced (the first a rollback goes back to), and what
// stopped uploads left: other .partial- directories and orphan manifests.
func prune(s Store, keep int, live, previous, ownPartial string) ([]string, error) {
	rs, orphans, err := list(s)
	if err != nil {
		return nil, err
	}
	var removed []string
	kept := 0
	for i := len(rs) - 1; i >= 0; i-- {
		id := rs[i].ID
		if id == live || id == previous || kept < keep {
			kept++
			continue
		}
		if err := removeRelease(s, id); err != nil {
			return removed, err
		}
		removed = append(removed, id)
	}
	for _, name := range orphans {
		if err := s.RemoveAll(releasesDir + "/" + name); err != nil {
			return removed, fmt.Errorf("remove %s: %w", name, err)
		}
	}
	infos, err := s.ReadDir(releasesDir)
	if err != nil {
		return removed, err
	}
	for _, fi := range infos {
		if strings.HasPrefix(fi.Name(), partialPrefix) && fi.Name() != ownPartial {
			if err := s.RemoveAll(releasesDir + "/" + fi.Name()); err != nil {
				return removed, fmt.Errorf("remove %s: %w", fi.Name(), err)
			}
		}
	}
	slices.Reverse(removed)
	return removed, nil
}

// removeRelease removes a release's files first and its manifest last, so
// that a release interrupted half removed is still listed and removed by
// the next prune, never left as an unlisted tree.
func removeRelease(s Store, id string) error {
	for _, name := range []string{id, id + changelogSuffix, id + manifestSuffix} {
		if err := s.RemoveAll(releasesDir + "/" + name); err != nil {
			return fmt.Errorf("remove release %s: %w", id, err)
		}
	}
	return nil
}

// Rollback makes another release live: to, or when to is "" the release
// before the live one. It returns the release that was live and the one
// that is now.
func Rollback(s Store, to string) (from, now string, err error) {
	rs, err := List(s)
	if err != nil {
		return "", "", err
	}
	live := -1
	for i, r := range rs {
		if r.Live {
			live = i
		}
	}
	if live < 0 {
		return "", "", errors.New("publish: nothing is live on the target yet")
	}
	from = rs[live].ID
	target := -1
	if to == "" {
		if live == 0 {
			return from, "", fmt.Errorf("publish: %s is the oldest release; there is none before it", from)
		}
		target = live - 1
	} else {
		for i, r := range rs {
			if r.ID == to {
				target = i
			}
		}
		if target < 0 {
			return from, "", fmt.Errorf("publish: no release %s on the target", to)
		}
	}
	r := rs[target]
	if r.Manifest == nil {
		return from, "", fmt.Errorf("publish: release %s has no readable manifest: %w", r.ID, r.Err)
	}
	if r.ID == from {
		return from, from, nil
	}
	if err := switchLive(s, r.ID); err != nil {
		return from, "", err
	}
	return from, r.ID, nil
}
