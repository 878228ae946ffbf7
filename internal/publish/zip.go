package publish

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// SumsName is the checksum file inside a bundle, in the format of
// sha256sum, so that `sha256sum -c SHA256SUMS` checks an unpacked bundle.
const SumsName = "SHA256SUMS"

// zipTime is every entry's time: the same site gives the same bundle,
// byte for byte, whenever it is made.
var zipTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// ZipResult describes a bundle written.
type ZipResult struct {
	Files int   // site files in the bundle, SHA256SUMS not counted
	Bytes int64 // the bundle's size
	// SHA256 is the bundle's own hash, to give to whoever uploads it.
	SHA256 string
}

// WriteZip writes the built site in siteDir as a zip bundle at dst for a
// portal whose CMS takes an upload: every file but the build's marker,
// sorted, with fixed times, and SHA256SUMS. The bundle appears at dst
// whole or not at all (a temporary file beside it, then renamed).
func WriteZip(ctx context.Context, siteDir, dst string) (ZipResult, error) {
	var res ZipResult
	files, err := ScanSite(ctx, siteDir)
	if err != nil {
		return res, err
	}
	var sums strings.Builder
	for _, f := range files {
		if f.Path == SumsName {
			return res, fmt.Errorf("bundle: the site has its own %s", SumsName)
		}
		if !validPath(f.Path) {
			return res, fmt.Errorf("bundle: cannot bundle a file named %q", f.Path)
		}
		fmt.Fprintf(&sums, "%s  %s\n", f.SHA256, f.Path)
	}
	entries := append(slices.Clone(files), File{Path: SumsName})
	slices.SortFunc(entries, func(a, b File) int { return strings.Compare(a.Path, b.Path) })

	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return res, fmt.Errorf("bundle %s: %w", dst, err)
	}
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	h := sha256.New()
	zw := zip.NewWriter(io.MultiWriter(tmp, h))
	for _, f := range entries {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		fh := &zip.FileHeader{Name: f.Path, Method: zip.Deflate, Modified: zipTime}
		fh.SetMode(0o644)
		w, err := zw.CreateHeader(fh)
		if err != nil {
			return res, fmt.Errorf("bundle %s: %w", dst, err)
		}
		if f.Path == SumsName {
			_, err = io.WriteString(w, sums.String())
		} else {
			err = copyVerified(w, siteDir, f)
		}
		if err != nil {
			return res, fmt.Errorf("bundle %s: %w", dst, err)
		}
	}
	if err := zw.Close(); err != nil {
		return res, fmt.Errorf("bundle %s: %w", dst, err)
	}
	if err := tmp.Sync(); err != nil {
		return res, fmt.Errorf("bundle %s: %w", dst, err)
	}
	st, err := tmp.Stat()
	if err != nil {
		return res, err
	}
	if err := tmp.Close(); err != nil {
		return res, fmt.Errorf("bundle %s: %w", dst, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return res, err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return res, fmt.Errorf("bundle %s: %w", dst, err)
	}
	ok = true
	res.Files, res.Bytes = len(files), st.Size()
	res.SHA256 = fmt.Sprintf("%x", h.Sum(nil))
	return res, nil
}

func copyVerified(w io.Writer, siteDir string, f File) error {
	src, err := os.Open(filepath.Join(siteDir, filepath.FromSlash(f.Path)))
	if err != nil {
		return err
	}
	defer src.Close()
	_, err = io.Copy(w, &verifying{r: src, h: sha256.New(), f: f})
	return err
}
