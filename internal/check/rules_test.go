package check_test

import (
	"bytes"
	"flag"
	"golang.org/x/tools/txtar"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/check"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata fixtures")

// Each fixture in testdata/rules is a small content tree in txtar form
// (-- name -- headers; "-- name -> target --" makes a symbolic link) with
// a "want" section: the exact diagnostics, one
// per line, that loading and checking it must produce.
func TestRules(t *testing.T) {
	files, err := filepath.Glob("testdata/rules/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	covered := map[diag.Rule]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ar := txtar.Parse(raw)
			fsys := fstest.MapFS{}
			for _, f := range ar.Files {
				switch name, target, link := strings.Cut(f.Name, " -> "); {
				case f.Name == "want":
				case link:
					// "-- a -> b --" is a symbolic link a to b.
					fsys[name] = &fstest.MapFile{Data: []byte(target), Mode: fs.ModeSymlink}
				default:
					fsys[f.Name] = &fstest.MapFile{Data: f.Data}
				}
			}
			got := run(fsys)
			for _, d := range got {
				covered[d.Rule] = true
			}
			text := render(got)
			if *update {
				setSection(ar, "want", []byte(text))
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, ok := section(ar, "want")
			if !ok {
				t.Fatalf("%s has no want section", file)
			}
			if string(want) != text {
				t.Errorf("diagnostics differ\n--- got\n%s--- want\n%s", text, want)
			}
		})
	}
	if *update {
		return
	}
	for _, r := range diag.Rules() {
		if r == diag.FileRead || r == diag.FileTooLarge {
			continue // covered by TestFileLimits: needs a real or huge file
		}
		if r.Profile() {
			continue // given only against a profile: internal/compliance/testdata/rules
		}
		if !covered[r] {
			t.Errorf("rule %s has no fixture in testdata/rules", r)
		}
	}
}

func run(fsys fstest.MapFS) []diag.Diagnostic {
	_, ds := load(fsys, "content")
	return ds
}

// load reads the tree and checks it, as build.LoadFS does (build is out of
// reach from here: it imports check).
func load(fsys fs.FS, display string) (*model.Site, []diag.Diagnostic) {
	site, ds := content.Load(fsys, display)
	ds = append(ds, check.Site(site)...)
	diag.Sort(ds)
	return site, ds
}

func render(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Location() + ": " + d.Severity.String() + " [" + string(d.Rule) + "]: " + d.Message(diag.Zh) + "\n")
		if h := d.Hint(diag.Zh); h != "" {
			b.WriteString("    提示：" + h + "\n")
		}
	}
	return b.String()
}

func TestFileLimits(t *testing.T) {
	huge := bytes.Repeat([]byte("# padding line\n"), content.MaxFileSize/15+1)
	fsys := fstest.MapFS{
		"site.yaml":         {Data: []byte("title: t\n")},
		"d/department.yaml": {Data: []byte("name: 甲\nlevel: 县级\nregion: [湖南省]\n")},
		"d/2023.yaml":       {Data: huge},
	}
	got := run(fsys)
	if len(got) != 1 || got[0].Rule != diag.FileTooLarge || got[0].Pos.File != "content/d/2023.yaml" {
		t.Fatalf("got %s", render(got))
	}
	// A content root that cannot be read is reported, not a panic.
	site, ds := load(os.DirFS(filepath.Join(t.TempDir(), "missing")), "missing")
	if site == nil || !slices.ContainsFunc(ds, func(d diag.Diagnostic) bool { return d.Rule == diag.FileRead }) {
		t.Fatalf("missing root: %s", render(ds))
	}
}

// section is the archive's file of that name.
func section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// setSection replaces the archive's file of that name, or puts it first.
func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append([]txtar.File{{Name: name, Data: data}}, ar.Files...)
}
