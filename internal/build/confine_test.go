package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"disclose/internal/diag"
)

// A build reads nothing from outside the content and theme directories,
// and a file whose name the loader does not read cannot take a published
// report off the site: each case fails the build with the file named and
// leaves the last good site as it was.
func TestBuildRefusesLinksAndMisnamedReports(t *testing.T) {
	secretDir := t.TempDir()
	secret := filepath.Join(secretDir, "passwd")
	const secretText = "root:x:0:0:SECRET-FROM-OUTSIDE"
	if err := os.WriteFile(secret, []byte("# "+secretText+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	outsideDept := filepath.Join(secretDir, "dept")
	if err := os.CopyFS(outsideDept, os.DirFS(filepath.Join(seeds, "hunan-xiangtan-minzheng"))); err != nil {
		t.Fatal(err)
	}
	const dept = "hunan-yueyang-yunxi-minzheng"
	link := func(target, name string) func(t *testing.T, content, theme string) {
		return func(t *testing.T, content, theme string) {
			p := filepath.Join(content, filepath.FromSlash(name))
			os.Remove(p)
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	themeLink := func(target, name string) func(t *testing.T, content, theme string) {
		return func(t *testing.T, content, theme string) {
			p := filepath.Join(theme, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	rename := func(from, to string) func(t *testing.T, content, theme string) {
		return func(t *testing.T, content, theme string) {
			if err := os.Rename(filepath.Join(content, filepath.FromSlash(from)), filepath.Join(content, filepath.FromSlash(to))); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, content, theme string)
		rule  diag.Rule
		file  string // the diagnostic's file, relative to the content directory
		theme string // or the text the theme error must hold
	}{
		{"section links outside", link(secret, dept+"/2023/other.md"), diag.Symlink, dept + "/2023/other.md", ""},
		{"duties links outside", link(secret, dept+"/duties.md"), diag.Symlink, dept + "/duties.md", ""},
		{"report links outside", link(secret, dept+"/2023.yaml"), diag.Symlink, dept + "/2023.yaml", ""},
		{"site.yaml links outside", link(secret, "site.yaml"), diag.Symlink, "site.yaml", ""},
		{"department links outside", link(outsideDept, "hunan-linked-minzheng"), diag.Symlink, "hunan-linked-minzheng", ""},
		{"section links inside", link("../../hunan-xiangtan-minzheng/2024/summary.md", dept+"/2023/other.md"), diag.Symlink, dept + "/2023/other.md", ""},
		{"report renamed with a space", rename(dept+"/2023.yaml", dept+"/2023 .yaml"), diag.MisnamedFile, dept + "/2023 .yaml", ""},
		{"report renamed in capitals", rename(dept+"/2023.yaml", dept+"/2023.YAML"), diag.MisnamedFile, dept + "/2023.YAML", ""},
		{"section renamed", rename(dept+"/2023/summary.md", dept+"/2023/Summary.md"), diag.MisnamedFile, dept + "/2023/Summary.md", ""},
		{"theme stylesheet links outside", themeLink(secret, "assets/css/site.css"), "", "", "assets/css/site.css"},
		{"theme template links outside", themeLink(secret, "templates/404.html"), "", "", "templates/404.html"},
		{"theme folder links outside", themeLink(secretDir, "assets/extra"), "", "", "assets/extra"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "public")
			buildInto(t, Options{Out: out})
			before := tree(t, out)
			content := copyDir(t, seeds)
			theme := t.TempDir()
			tc.setup(t, content, theme)
			o := Options{Content: content, Out: out}
			if tc.theme != "" {
				o.Theme = theme
			}
			res, err := Build(context.Background(), o)
			if err == nil {
				t.Fatal("the build succeeded")
			}
			if tc.rule != "" {
				if !errors.Is(err, ErrContent) {
					t.Fatalf("err = %v, want content errors", err)
				}
				want := filepath.ToSlash(filepath.Join(content, filepath.FromSlash(tc.file)))
				if !slices.ContainsFunc(res.Diagnostics, func(d diag.Diagnostic) bool {
					return d.Rule == tc.rule && d.Severity == diag.Error && d.Pos.File == want
				}) {
					t.Fatalf("no %s error at %s in %v", tc.rule, want, res.Diagnostics)
				}
			} else if !strings.Contains(err.Error(), tc.theme) || !strings.Contains(err.Error(), "符号链接") {
				t.Fatalf("err = %v, want it to name %s as a link", err, tc.theme)
			}
			for _, d := range res.Diagnostics {
				if strings.Contains(d.Message(diag.Zh), "SECRET") {
					t.Errorf("a diagnostic shows the outside file: %s", d.Message(diag.Zh))
				}
			}
			after := tree(t, out)
			if !sameTree(before, after) {
				t.Error("the failed build changed the site")
			}
		})
	}

}

func sameTree(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
