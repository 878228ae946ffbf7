package output

import (
	"context"
	"crypto/sha256"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// Two writers of one output take turns: the second waits (and says so)
// while the first holds the lock, and then writes. Cancelling a waiting
// writer ends it without touching anything.
func TestWritersOfOneOutputTakeTurns(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first, err := Begin(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		o := testOptions
		o.Waiting = func() { close(waiting) }
		second, err := Begin(context.Background(), out, o)
		if err == nil {
			err = second.WriteFile("second.txt", []byte("2"))
		}
		if err == nil {
			err = second.Commit(nil)
		}
		done <- err
	}()
	<-waiting
	select {
	case err := <-done:
		t.Fatalf("the second writer did not wait: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	if err := first.WriteFile("first.txt", []byte("1")); err != nil {
		t.Fatal(err)
	}
	if err := first.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := names(t, out); !slices.Equal(got, []string{testOptions.Marker, "second.txt"}) {
		t.Errorf("output holds %v, want the second writer's", got)
	}

	holder, err := Begin(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Abort()
	ctx, cancel := context.WithCancel(context.Background())
	o := testOptions
	o.Waiting = cancel
	if _, err := Begin(ctx, out, o); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while waiting: %v", err)
	}
}

// What crashed writers left beside the output is removed by the next
// writer, or reader under the lock, but only what carries its marker (or
// is a manifest): a user's file of a similar name stays, and so does
// another kind's directory.
func TestStaleTemporariesAreRemoved(t *testing.T) {
	for _, tc := range []struct {
		name string
		take func(t *testing.T, out string)
		want []string
	}{
		{"a writer", func(t *testing.T, out string) { commit(t, out, nil, nil) },
			[]string{".other.new-555", ".public.disclose-lock", ".public.new-333", ".public.new-444", ".public.new-666.disclose-manifest", "public"}},
		{"a reader", func(t *testing.T, out string) {
			unlock, err := Lock(context.Background(), out, testOptions)
			if err != nil {
				t.Fatal(err)
			}
			unlock()
		}, []string{".other.new-555", ".public.disclose-lock", ".public.new-333", ".public.new-444", ".public.new-666.disclose-manifest"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "public")
			dir := func(name, marker string) {
				p := filepath.Join(parent, name)
				if err := os.MkdirAll(filepath.Join(p, "reports"), 0o755); err != nil {
					t.Fatal(err)
				}
				write(t, filepath.Join(p, "reports", "x.html"), "x")
				if marker != "" {
					write(t, filepath.Join(p, marker), "")
				}
			}
			dir(".public.new-111", testOptions.Marker)
			dir(".public.stage-222", testOptions.Marker)
			dir(".public.new-111.old", testOptions.Marker)
			dir(".public.new-333", "")                // not ours: no marker
			dir(".public.new-444", ".disclose-other") // another kind's
			dir(".other.new-555", testOptions.Marker) // another output's
			write(t, filepath.Join(parent, ".public.new-111.disclose-manifest"), ManifestHeader+"1\nkey 00\n")
			write(t, filepath.Join(parent, ".public.new-666.disclose-manifest"), "my notes\n")
			tc.take(t, out)
			if got := names(t, parent); !slices.Equal(got, tc.want) {
				t.Errorf("beside the output:\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

// A stopped writer removes its own temporary directory and leaves the
// old output.
func TestAbortLeavesOutputAlone(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "public")
	commit(t, out, map[string]string{"a.txt": "old"}, nil)
	tx, err := Begin(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.WriteFile("a.txt", []byte("new")); err != nil {
		t.Fatal(err)
	}
	tx.Abort()
	tx.Abort() // twice is harmless
	if b, _ := os.ReadFile(filepath.Join(out, "a.txt")); string(b) != "old" {
		t.Errorf("a.txt = %q after Abort", b)
	}
	if got := names(t, parent); !slices.Equal(got, []string{".public.disclose-lock", "public"}) {
		t.Errorf("left beside the output: %v", got)
	}
	if err := tx.Commit(nil); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestCommit(t *testing.T) {
	for _, tc := range []struct {
		name     string
		setup    func(t *testing.T, out string) // makes what is at out before
		files    map[string]string
		manifest string
		wantErr  error // from Begin or Commit
		want     []string
	}{
		{
			name:  "new directory",
			setup: func(*testing.T, string) {},
			files: map[string]string{"index.html": "i", "reports/a/2023.html": "r"},
			want:  []string{testOptions.Marker, "index.html", "reports/a/2023.html"},
		},
		{
			name:  "empty directory",
			setup: func(t *testing.T, out string) { os.Mkdir(out, 0o755) },
			files: map[string]string{"index.html": "i"},
			want:  []string{testOptions.Marker, "index.html"},
		},
		{
			name: "earlier output of the same kind",
			setup: func(t *testing.T, out string) {
				commit(t, out, map[string]string{"gone.html": "g", "index.html": "old"}, nil)
			},
			files: map[string]string{"index.html": "i"},
			want:  []string{testOptions.Marker, "index.html"},
		},
		{
			name: "a directory disclose did not make",
			setup: func(t *testing.T, out string) {
				os.Mkdir(out, 0o755)
				write(t, filepath.Join(out, "thesis.docx"), "years of work")
			},
			wantErr: ErrForeign,
			want:    []string{"thesis.docx"},
		},
		{
			name: "another kind's output",
			setup: func(t *testing.T, out string) {
				o := testOptions
				o.Marker = ".disclose-other"
				tx, err := Begin(context.Background(), out, o)
				if err != nil {
					t.Fatal(err)
				}
				if err := tx.Commit(nil); err != nil {
					t.Fatal(err)
				}
			},
			wantErr: ErrForeign,
			want:    []string{".disclose-other"},
		},
		{
			name:     "with a manifest",
			setup:    func(*testing.T, string) {},
			files:    map[string]string{"index.html": "i"},
			manifest: ManifestHeader + "1\n",
			want:     []string{testOptions.Marker, "index.html"},
		},
		{
			name:     "a manifest without the header",
			setup:    func(*testing.T, string) {},
			files:    map[string]string{"index.html": "i"},
			manifest: "not a manifest\n",
			wantErr:  errBadManifest,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			out := filepath.Join(parent, "public")
			tc.setup(t, out)
			var m []byte
			if tc.manifest != "" {
				m = []byte(tc.manifest)
			}
			err := func() error {
				tx, err := Begin(context.Background(), out, testOptions)
				if err != nil {
					return err
				}
				defer tx.Abort()
				for p, data := range tc.files {
					if err := tx.WriteFile(p, []byte(data)); err != nil {
						return err
					}
				}
				return tx.Commit(m)
			}()
			if !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			if got := files(t, out); !slices.Equal(got, tc.want) {
				t.Errorf("output holds %v, want %v", got, tc.want)
			}
			got, err := os.ReadFile(ManifestPath(out))
			switch {
			case tc.manifest != "" && tc.wantErr == nil && string(got) != tc.manifest:
				t.Errorf("manifest = %q, %v; want %q", got, err, tc.manifest)
			case (tc.manifest == "" || tc.wantErr != nil) && err == nil:
				t.Errorf("a manifest was kept: %q", got)
			}
			for _, n := range names(t, parent) {
				if n != "public" && n != ".public.disclose-lock" && n != ".public.disclose-manifest" {
					t.Errorf("left beside the output: %s", n)
				}
			}
		})
	}
}

// Check, which the preview runs before it serves a directory, agrees with
// Begin.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "file"), "")
	ours := filepath.Join(dir, "ours")
	commit(t, ours, nil, nil)
	for _, tc := range []struct {
		out     string
		wantErr bool
	}{
		{filepath.Join(dir, "missing"), false},
		{t.TempDir(), false},
		{ours, false},
		{dir, true},
		{filepath.Join(dir, "file"), true},
	} {
		if err := Check(tc.out, testOptions.Marker); (err != nil) != tc.wantErr {
			t.Errorf("Check(%s) = %v, want error %v", tc.out, err, tc.wantErr)
		}
	}
}

var testOptions = Options{Marker: ".disclose-test", MarkerText: []byte("written by a test\n")}

// commit writes files as a whole new output of testOptions' kind.
func commit(t *testing.T, out string, files map[string]string, manifest []byte) {
	t.Helper()
	tx, err := Begin(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Abort()
	for p, data := range files {
		if err := tx.WriteFile(p, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(manifest); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, p, data string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// names lists dir's entries, sorted.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

// files lists the regular files under dir, slash-separated and sorted;
// none when there is no dir.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func hashOf(s string) [32]byte { return sha256.Sum256([]byte(s)) }
