package output

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// A file the previous output has with the same bytes, or that its
// manifest record says is reusable and that is still as recorded, is a
// hard link to the previous output's file; anything else is written anew.
func TestReuseByHardLink(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	first := map[string]string{
		"same.html":      "unchanged",
		"changed.html":   "before",
		"recorded.html":  "rendered once",
		"edited.html":    "as written",
		"a/b/deep.html":  "deep",
		"big/spill.data": string(make([]byte, spillSize+1)),
	}
	tx, err := Begin(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	w, err := tx.WriteAll(context.Background(), fileList(first), Plan{Record: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if len(w.Records) != len(first) {
		t.Fatalf("%d records for %d files", len(w.Records), len(first))
	}
	before := map[string]os.FileInfo{}
	for p := range first {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		before[p] = st
	}
	// Same size, another time: edited by hand, so not reusable.
	edited := filepath.Join(out, "edited.html")
	write(t, edited, "as Written")
	if err := os.Chtimes(edited, time.Now(), before["edited.html"].ModTime().Add(time.Nanosecond)); err != nil {
		t.Fatal(err)
	}

	second := map[string]string{
		"same.html":      "unchanged",
		"changed.html":   "after",
		"recorded.html":  "MUST NOT BE RENDERED",
		"edited.html":    "as written",
		"a/b/deep.html":  "deep",
		"big/spill.data": string(make([]byte, spillSize+1)),
		"new.html":       "new",
	}
	var reused []string
	tx, err = Begin(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	if tx.Prev() != out {
		t.Fatalf("Prev = %q, want %q", tx.Prev(), out)
	}
	w, err = tx.WriteAll(context.Background(), fileList(second), Plan{
		Jobs:   1,
		Reuse:  map[string]Record{"recorded.html": w.Records["recorded.html"], "edited.html": w.Records["edited.html"]},
		Reused: func(p string) { reused = append(reused, p) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(nil); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(reused, []string{"recorded.html"}) || w.Reused != 1 {
		t.Errorf("reused %v (%d), want recorded.html alone", reused, w.Reused)
	}
	for _, tc := range []struct {
		path   string
		linked bool
		want   string
	}{
		{"same.html", true, "unchanged"},
		{"a/b/deep.html", true, "deep"},
		{"recorded.html", true, "rendered once"},
		{"changed.html", false, "after"},
		{"edited.html", false, "as written"},
		// Streamed to disk before its bytes are known in full.
		{"big/spill.data", false, second["big/spill.data"]},
	} {
		st, err := os.Stat(filepath.Join(out, filepath.FromSlash(tc.path)))
		if err != nil {
			t.Fatal(err)
		}
		if got := os.SameFile(st, before[tc.path]); got != tc.linked {
			t.Errorf("%s: linked from the previous output: %v, want %v", tc.path, got, tc.linked)
		}
		if b, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(tc.path))); string(b) != tc.want {
			t.Errorf("%s holds %.20q, want %.20q", tc.path, b, tc.want)
		}
	}
}

// A stage moves in the files that changed, deletes those removed and the
// directories they leave empty, and leaves the rest of the output alone.
func TestStageApply(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	commit(t, out, map[string]string{"index.html": "i", "keep.html": "k", "old/dept/2023.html": "o"}, nil)
	keep, _ := os.Stat(filepath.Join(out, "keep.html"))
	st, err := BeginStage(context.Background(), out, testOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	staged := fileList(map[string]string{"index.html": "new index", "keep.html": "k", "new/x.html": "x"})
	w, err := st.WriteAll(context.Background(), staged, Plan{Old: map[string][32]byte{"keep.html": hashOf("k")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Hashes) != 3 {
		t.Errorf("%d hashes, want 3", len(w.Hashes))
	}
	var applied []string
	if err := st.Apply([]string{"index.html", "new/x.html"}, []string{"old/dept/2023.html"}, func(p string) { applied = append(applied, p) }); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if want := []string{"index.html", "new/x.html", "old/dept/2023.html"}; !slices.Equal(applied, want) {
		t.Errorf("applied %v, want %v", applied, want)
	}
	if got, want := files(t, out), []string{testOptions.Marker, "index.html", "keep.html", "new/x.html"}; !slices.Equal(got, want) {
		t.Errorf("output holds %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(out, "old")); err == nil {
		t.Error("an emptied directory stayed")
	}
	if now, _ := os.Stat(filepath.Join(out, "keep.html")); !os.SameFile(now, keep) {
		t.Error("an unchanged file was replaced")
	}
	if got := names(t, filepath.Dir(out)); !slices.Equal(got, []string{".public.disclose-lock", "public"}) {
		t.Errorf("left beside the output: %v", got)
	}
}

func fileList(m map[string]string) []File {
	var out []File
	for p, data := range m {
		out = append(out, File{Path: p, Write: func(w io.Writer) error {
			_, err := io.WriteString(w, data)
			return err
		}})
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}
