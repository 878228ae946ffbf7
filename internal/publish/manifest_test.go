package publish

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func sampleManifest() *Manifest {
	files := []File{
		{Path: "a/b.html", Size: 3, SHA256: strings.Repeat("ab", 32)},
		{Path: "index.html", Size: 10, SHA256: strings.Repeat("0f", 32)},
	}
	return &Manifest{
		Format: ManifestFormat, ID: ReleaseID(time.Date(2026, 12, 4, 15, 30, 0, 0, time.UTC), files),
		Created: time.Date(2026, 12, 4, 15, 30, 0, 5, time.UTC), Version: "v1", ContentKey: "ck",
		Files: files, Forced: []string{"缺少表 3"}, Previous: "20261203T000000Z-0123456789ab",
	}
}

func TestManifestRoundTrip(t *testing.T) {
	m := sampleManifest()
	if !strings.HasPrefix(m.ID, "20261204T153000Z-") {
		t.Errorf("id %s", m.ID)
	}
	b, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
	}
}

func TestParseManifestRefuses(t *testing.T) {
	good, _ := sampleManifest().Marshal()
	for name, edit := range map[string]func(string) string{
		"other format":  func(s string) string { return strings.Replace(s, ManifestFormat, "disclose-release 2", 1) },
		"path escapes":  func(s string) string { return strings.Replace(s, `"a/b.html"`, `"../b.html"`, 1) },
		"absolute path": func(s string) string { return strings.Replace(s, `"a/b.html"`, `"/etc/b.html"`, 1) },
		"unsorted":      func(s string) string { return strings.Replace(s, `"a/b.html"`, `"z.html"`, 1) },
		"bad hash":      func(s string) string { return strings.Replace(s, strings.Repeat("ab", 32), "abc", 1) },
		"negative size": func(s string) string { return strings.Replace(s, `"size": 3`, `"size": -3`, 1) },
		"id mismatch":   func(s string) string { return strings.Replace(s, `"size": 3`, `"size": 4`, 1) },
		"bad previous":  func(s string) string { return strings.Replace(s, "20261203T000000Z-0123456789ab", "../x", 1) },
		"unknown field": func(s string) string { return strings.Replace(s, `"format"`, `"extra": 1, "format"`, 1) },
		"trailing data": func(s string) string { return s + "{}" },
		"partial dir":   func(s string) string { return strings.Replace(s, `"a/b.html"`, `".partial-x/b.html"`, 1) },
	} {
		if _, err := ParseManifest([]byte(edit(string(good)))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// The manifest is read back from a server: whatever it holds, parsing does
// not panic, and what parses writes back to the same manifest.
func FuzzParseManifest(f *testing.F) {
	good, _ := sampleManifest().Marshal()
	f.Add(good)
	f.Add([]byte(`{"format":"disclose-release 1","id":"20261204T153000Z-e3b0c44298fc","files":[]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseManifest(b)
		if err != nil {
			return
		}
		for _, f := range m.Files {
			if !validPath(f.Path) || filepath.IsAbs(f.Path) || strings.Contains(f.Path, "..") && slices.Contains(strings.Split(f.Path, "/"), "..") {
				t.Fatalf("accepted path %q", f.Path)
			}
		}
		out, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseManifest(out)
		if err != nil {
			t.Fatalf("own output refused: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(again, m) {
			t.Fatalf("round trip changed the manifest:\n%+v\n%+v", m, again)
		}
	})
}

func TestParseTarget(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Target
		ok   bool
	}{
		{"dir:/srv/www/xxgk", Target{Kind: "dir", Path: "/srv/www/xxgk"}, true},
		{"dir:www", Target{Kind: "dir", Path: "www"}, true},
		{"zip:site-2024.zip", Target{Kind: "zip", Path: "site-2024.zip"}, true},
		{"sftp://deploy@portal.example.gov.cn:2222/srv/www/xxgk/", Target{Kind: "sftp", User: "deploy", Host: "portal.example.gov.cn", Port: 2222, Path: "/srv/www/xxgk"}, true},
		{"sftp://deploy@10.0.0.5/srv/www", Target{Kind: "sftp", User: "deploy", Host: "10.0.0.5", Port: 22, Path: "/srv/www"}, true},
		{"sftp://deploy@[::1]:22/www", Target{Kind: "sftp", User: "deploy", Host: "::1", Port: 22, Path: "/www"}, true},
		{"dir:", Target{}, false},
		{"zip:site.tar", Target{}, false},
		{"zip:.zip", Target{}, false},
		{"sftp://portal/srv", Target{}, false},
		{"sftp://u:pw@portal/srv", Target{}, false},
		{"sftp://u@portal:99999/srv", Target{}, false},
		{"sftp://u@portal", Target{}, false},
		{"sftp://u@portal/srv?x=1", Target{}, false},
		{"/srv/www", Target{}, false},
		{"ftp://u@portal/srv", Target{}, false},
	} {
		got, err := ParseTarget(c.in)
		if (err == nil) != c.ok {
			t.Errorf("%s: error %v", c.in, err)
			continue
		}
		if !c.ok {
			if !strings.ContainsAny(err.Error(), "应缺不") {
				t.Errorf("%s: error not said in Chinese: %v", c.in, err)
			}
			continue
		}
		c.want.raw = c.in
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.in, got, c.want)
		}
	}
}

// The bundle holds every file of the site, sorted, with SHA256SUMS that
// its files verify against, and the same site gives the same bytes.
func TestWriteZip(t *testing.T) {
	files := site(nil)
	siteDir := writeSite(t, files)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.zip"), filepath.Join(dir, "b.zip")
	ra, err := WriteZip(context.Background(), siteDir, a)
	if err != nil {
		t.Fatal(err)
	}
	// Other times on the files change nothing in the bundle.
	if err := os.Chtimes(filepath.Join(siteDir, "index.html"), time.Now(), time.Now().Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := WriteZip(context.Background(), siteDir, b); err != nil {
		t.Fatal(err)
	}
	ab, _ := os.ReadFile(a)
	bb, _ := os.ReadFile(b)
	if !bytes.Equal(ab, bb) {
		t.Error("two bundles of the same site differ")
	}
	if sum := sha256.Sum256(ab); hex.EncodeToString(sum[:]) != ra.SHA256 || int64(len(ab)) != ra.Bytes || ra.Files != 11 {
		t.Errorf("result %+v", ra)
	}
	zr, err := zip.NewReader(bytes.NewReader(ab), int64(len(ab)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(rc)
		rc.Close()
		got[f.Name] = body
		names = append(names, f.Name)
		if !f.Modified.Equal(zipTime) {
			t.Errorf("%s: time %v", f.Name, f.Modified)
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	sums := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(got[SumsName]))
	for sc.Scan() {
		h, p, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("SHA256SUMS line %q", sc.Text())
		}
		sums[p] = h
	}
	if len(sums) != 11 || len(got) != 12 {
		t.Errorf("%d sums, %d entries", len(sums), len(got))
	}
	for p, h := range sums {
		sum := sha256.Sum256(got[p])
		if hex.EncodeToString(sum[:]) != h || string(got[p]) != files[p] {
			t.Errorf("%s does not verify", p)
		}
	}
	if _, ok := got[".disclose-site"]; ok {
		t.Error("the build's marker is in the bundle")
	}
	// What a webmaster runs on the unpacked bundle.
	if tool, err := exec.LookPath("sha256sum"); err == nil {
		out := t.TempDir()
		for p, body := range got {
			full := filepath.Join(out, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(full), 0o755)
			if err := os.WriteFile(full, body, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		cmd := exec.Command(tool, "-c", "--strict", SumsName)
		cmd.Dir = out
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("sha256sum -c: %v\n%s", err, b)
		}
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".*tmp*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
