package output

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files larger than spillSize are streamed to disk; their bytes and hashes
// must be the same as if they had been held in memory, whatever the size
// of the writes that make them up.
func TestWriteAllStreamsLargeFiles(t *testing.T) {
	cases := []struct {
		name   string
		size   int
		chunk  int
		stream bool
	}{
		{"empty", 0, 1, false},
		{"small", 1000, 100, false},
		{"exactly the limit", spillSize, spillSize, false},
		{"one byte over in one write", spillSize + 1, spillSize + 1, true},
		{"one byte over in small writes", spillSize + 1, 4096, true},
		{"many times the limit", 3*spillSize + 7, 65536, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := make([]byte, c.size)
			for i := range data {
				data[i] = byte(i*7 + i/251)
			}
			f := File{Path: "data/x/all.csv", Write: func(w io.Writer) error {
				for rest := data; len(rest) > 0; {
					n := min(c.chunk, len(rest))
					if _, err := w.Write(rest[:n]); err != nil {
						return err
					}
					rest = rest[n:]
				}
				return nil
			}}
			dir := t.TempDir()
			w, err := (&writer{dir: dir}).writeAll(context.Background(), []File{f}, Plan{Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			hashes := w.Hashes
			if hashes[f.Path] != sha256.Sum256(data) {
				t.Error("hash differs from the bytes' hash")
			}
			got, err := os.ReadFile(filepath.Join(dir, "data", "x", "all.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, data) {
				t.Errorf("file has %d bytes, want the %d written", len(got), len(data))
			}

			// Unchanged since the last build: a small file is not written
			// again; a streamed one is already in the staging directory,
			// and the caller moves only changed files.
			again := t.TempDir()
			if _, err := (&writer{dir: again}).writeAll(context.Background(), []File{f}, Plan{Old: hashes, Jobs: 1}); err != nil {
				t.Fatal(err)
			}
			_, statErr := os.Stat(filepath.Join(again, "data", "x", "all.csv"))
			if written := statErr == nil; written != c.stream {
				t.Errorf("unchanged file written again: %v, want %v", written, c.stream)
			}
		})
	}
}

// A render that fails after its file was streamed fails the build.
func TestWriteAllStreamedFailure(t *testing.T) {
	boom := errors.New("boom")
	f := File{Path: "big.bin", Write: func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 2*spillSize)); err != nil {
			return err
		}
		return boom
	}}
	_, err := (&writer{dir: t.TempDir()}).writeAll(context.Background(), []File{f}, Plan{Jobs: 1})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}

// The first failure stops the files not yet started, and so does a
// cancelled context; either way WriteAll says why.
func TestWriteAllStops(t *testing.T) {
	boom := errors.New("boom")
	for _, tc := range []struct {
		name     string
		failAt   int // the file that fails, -1 for none
		cancelAt int // the file that cancels the context, -1 for none
		want     error
	}{
		{"no failure", -1, -1, nil},
		{"third file fails", 2, -1, boom},
		{"cancelled at the third file", -1, 2, context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rendered := 0
			var files []File
			for i := range 10 {
				files = append(files, File{Path: fmt.Sprintf("f%d.txt", i), Write: func(w io.Writer) error {
					rendered++ // one worker: no race
					if i == tc.cancelAt {
						cancel()
					}
					if i == tc.failAt {
						return boom
					}
					_, err := io.WriteString(w, "x")
					return err
				}})
			}
			_, err := (&writer{dir: t.TempDir()}).writeAll(ctx, files, Plan{Jobs: 1})
			if !errors.Is(err, tc.want) || (tc.want == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			want := len(files)
			if tc.failAt >= 0 {
				want = tc.failAt + 1
			}
			if tc.cancelAt >= 0 {
				want = tc.cancelAt + 1
			}
			if rendered != want {
				t.Errorf("rendered %d files, want %d", rendered, want)
			}
		})
	}
}

// A cancelled context stops a long file at one of its next writes, not
// when it ends: the preview drops the site-wide downloads for the next
// save.
func TestWriteAllStopsInsideAFile(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	chunk := strings.Repeat("x", 64<<10) // past spillSize after 16 chunks
	written := 0
	files := []File{{Path: "all.csv", Write: func(w io.Writer) error {
		for i := range 1000 {
			if i == 40 {
				cancel()
			}
			if _, err := io.WriteString(w, chunk); err != nil {
				return err
			}
			written++
		}
		return nil
	}}}
	_, err := (&writer{dir: t.TempDir()}).writeAll(ctx, files, Plan{Jobs: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want %v", err, context.Canceled)
	}
	if written < 40 || written == 1000 {
		t.Errorf("%d writes of 1000 went through, cancelled after 40", written)
	}
}

// A path that would leave the output directory is refused.
func TestWriteRefusesPathsOutside(t *testing.T) {
	for _, p := range []string{"../x", "/etc/x", "a/../../x", ".", ""} {
		f := File{Path: p, Write: func(w io.Writer) error { return nil }}
		if _, err := (&writer{dir: t.TempDir()}).writeAll(context.Background(), []File{f}, Plan{}); err == nil {
			t.Errorf("WriteAll wrote %q", p)
		}
	}
}
