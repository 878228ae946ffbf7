package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

// The floor must write exactly the bytes asked for, cutting the last
// document at a character boundary and keeping the closing tags.
func TestFit(t *testing.T) {
	page := []byte("<main>部门预算一二三")
	for _, tc := range []struct {
		n    int
		want string
	}{
		{n: len(page) + len(tail), want: string(page) + tail},
		{n: len(page) + len(tail) + 3, want: string(page) + tail + "\n\n\n"},
		// 2 bytes short: the last character (3 bytes) goes whole, 1 byte of padding.
		{n: len(page) + len(tail) - 2, want: "<main>部门预算一二" + tail + "\n"},
		{n: 3, want: "<ma"},
	} {
		got := fit(bytes.Clone(page), tc.n)
		if string(got) != tc.want || len(got) != tc.n {
			t.Errorf("fit(%d) = %q (%d bytes), want %q", tc.n, got, len(got), tc.want)
		}
		if tc.n >= len(tail) && !utf8.Valid(got) {
			t.Errorf("fit(%d) cut a character: %q", tc.n, got)
		}
	}
}

// writeAll writes the asked number of files and bytes, whatever the
// documents' sizes.
func TestWriteAllTotals(t *testing.T) {
	dir := t.TempDir()
	content := filepath.Join(dir, "content")
	if err := os.MkdirAll(filepath.Join(content, "dept"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{
		"site.yaml":            "title: 站点\n",
		"dept/department.yaml": "name: 某局\noffices: {count: 2, names: [办公室, 财务股]}\n",
		"dept/2024.yaml":       "year: 2024\ntitle: 报告\nfunds: [{source: 一般公共预算, budget: 12.5}]\n",
	} {
		if err := os.WriteFile(filepath.Join(content, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := decodeAll(content)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("decoded %d documents, want 3", len(docs))
	}
	for _, tc := range []struct {
		files int
		size  int64
	}{{1, 50}, {7, 7 * 5000}, {1001, 1001*900 + 17}} {
		out := filepath.Join(dir, "out", fmt.Sprint(tc.files))
		if err := writeAll(out, docs, tc.files, tc.size); err != nil {
			t.Fatal(err)
		}
		var files int
		var size int64
		err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			fi, err := d.Info()
			if err != nil {
				return err
			}
			files++
			size += fi.Size()
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if files != tc.files || size != tc.size {
			t.Errorf("writeAll(%d files, %d bytes) wrote %d files, %d bytes", tc.files, tc.size, files, size)
		}
	}
}
