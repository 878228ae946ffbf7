package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ManifestFormat names the manifest's format and version; a manifest of
// another format is not read.
const ManifestFormat = "disclose-release 1"

// File is one file of a release.
type File struct {
	Path   string `json:"path"` // slash-separated, relative to the release
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"` // lower-case hex
}

// Manifest describes a release: what it holds and what made it. It is kept
// beside the release (releases/<id>.manifest.json), not in the served tree.
type Manifest struct {
	Format     string    `json:"format"`
	ID         string    `json:"id"`
	Created    time.Time `json:"created"`
	Version    string    `json:"version"`     // the program's version
	ContentKey string    `json:"content_key"` // hash of the content directory the site was built from
	Files      []File    `json:"files"`       // sorted by path
	// Forced lists what --force overrode (one message a finding); empty
	// when nothing was.
	Forced   []string `json:"forced"`
	Previous string   `json:"previous"` // the release this one replaced as live; "" for the first
}

// siteMarker is the build's mark on its output directory; it says nothing
// to readers and is not published.
const siteMarker = ".disclose-site"

// ScanSite lists every regular file of the built site in dir, with size and
// SHA-256, sorted by path, leaving out the build's marker file.
func ScanSite(ctx context.Context, dir string) ([]File, error) {
	var files []File
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == siteMarker {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		n, err := io.Copy(h, f)
		if err != nil {
			return fmt.Errorf("read %s: %w", p, err)
		}
		files = append(files, File{Path: rel, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan site %s: %w", dir, err)
	}
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, nil
}

// FilesHash is the hash of a file list: the same files with the same bytes
// give the same hash, whenever and by whatever version they were built.
// Its first 12 hex digits end the release id.
func FilesHash(files []File) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s\x00%d\x00%s\n", f.Path, f.Size, f.SHA256)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// idTime is the layout of a release id's time: UTC, to the second.
const idTime = "20060102T150405Z"

var idRE = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{12}$`)

// ReleaseID names a release made at t of the given files.
func ReleaseID(t time.Time, files []File) string {
	return t.UTC().Format(idTime) + "-" + FilesHash(files)[:12]
}

// ValidID reports whether id has the form of a release id; names read
// from a server pass here before they become paths.
func ValidID(id string) bool { return idRE.MatchString(id) }

var hexRE = regexp.MustCompile(`^[0-9a-f]{64}$`)

// Marshal writes the manifest as indented JSON, files sorted.
func (m *Manifest) Marshal() ([]byte, error) {
	c := *m
	c.Files = slices.Clone(m.Files)
	slices.SortFunc(c.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	if c.Forced == nil {
		c.Forced = []string{}
	}
	if c.Files == nil {
		c.Files = []File{}
	}
	b, err := json.MarshalIndent(&c, "", "\t")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// ParseManifest reads a manifest written by Marshal. It is read back from
// a server, so nothing in it is trusted: paths must be relative, clean and
// inside the release, sorted and unique; hashes well formed; the id of
// the right form and matching the files.
func ParseManifest(b []byte) (*Manifest, error) {
	var m Manifest
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, errors.New("manifest: data after the object")
	}
	if m.Format != ManifestFormat {
		return nil, fmt.Errorf("manifest: format %q, want %q", m.Format, ManifestFormat)
	}
	if !ValidID(m.ID) {
		return nil, fmt.Errorf("manifest: bad release id %q", m.ID)
	}
	if m.Previous != "" && !ValidID(m.Previous) {
		return nil, fmt.Errorf("manifest: bad previous release id %q", m.Previous)
	}
	for i, f := range m.Files {
		if !validPath(f.Path) {
			return nil, fmt.Errorf("manifest: bad path %q", f.Path)
		}
		if i > 0 && m.Files[i-1].Path >= f.Path {
			return nil, fmt.Errorf("manifest: paths not sorted or repeated at %q", f.Path)
		}
		if f.Size < 0 {
			return nil, fmt.Errorf("manifest: %s: negative size", f.Path)
		}
		if !hexRE.MatchString(f.SHA256) {
			return nil, fmt.Errorf("manifest: %s: bad sha256 %q", f.Path, f.SHA256)
		}
	}
	if want := FilesHash(m.Files)[:12]; !strings.HasSuffix(m.ID, "-"+want) {
		return nil, fmt.Errorf("manifest: id %s does not match its files (%s)", m.ID, want)
	}
	if m.Files == nil {
		m.Files = []File{}
	}
	if m.Forced == nil {
		m.Forced = []string{}
	}
	return &m, nil
}

// validPath accepts a clean, relative, slash-separated path that stays
// inside the release and that a manifest line and a SHA256SUMS line can
// hold.
func validPath(p string) bool {
	if !fs.ValidPath(p) || p == "." || strings.ContainsAny(p, "\\\x00\n\r") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if strings.HasPrefix(seg, ".partial-") {
			return false
		}
	}
	return true
}

// HumanBytes says a size the way the messages do: 2.1 MB, 340.0 KB, 12 字节.
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + " GB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + " KB"
	}
	return strconv.FormatInt(n, 10) + " 字节"
}
