package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"disclose/internal/site"
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
			f := site.File{Path: "data/x/all.csv", Write: func(w io.Writer) error {
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
			w, err := writeAll(context.Background(), dir, []site.File{f}, writePlan{}, Options{Jobs: 1})
			if err != nil {
				t.Fatal(err)
			}
			hashes := w.hashes
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
			if _, err := writeAll(context.Background(), again, []site.File{f}, writePlan{old: hashes}, Options{Jobs: 1}); err != nil {
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
	f := site.File{Path: "big.bin", Write: func(w io.Writer) error {
		if _, err := w.Write(make([]byte, 2*spillSize)); err != nil {
			return err
		}
		return boom
	}}
	_, err := writeAll(context.Background(), t.TempDir(), []site.File{f}, writePlan{}, Options{Jobs: 1})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
}
