package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/chartimage"
)

func TestChartsCommand(t *testing.T) {
	if _, err := chartimage.LoadFont(""); err == chartimage.ErrNoFont && os.Getenv("DISCLOSE_E2E") != "require" {
		t.Skip(err)
	}
	out := filepath.Join(t.TempDir(), "charts")
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"charts", "--content", "../../content", "--out", out}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.svg"))
	index, err := os.ReadFile(filepath.Join(out, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Errorf("%d SVG files", len(files))
	}
	for _, f := range files {
		if !bytes.Contains(index, []byte(`src="`+filepath.Base(f)+`"`)) {
			t.Errorf("index.html does not show %s", filepath.Base(f))
		}
		b, _ := os.ReadFile(f)
		if !bytes.HasPrefix(b, []byte(`<?xml`)) || !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("%s is not SVG", f)
		}
	}
	for _, want := range []string{"hunan-xiangtan-minzheng-2024-categories.svg", "compare-2022-compare-totals.svg"} {
		if _, err := os.Stat(filepath.Join(out, want)); err != nil {
			t.Errorf("missing %s", want)
		}
	}

	one := filepath.Join(t.TempDir(), "one")
	stdout.Reset()
	if code := Run([]string{"charts", "--content", "../../content", "--out", one, "--only", "hubei-jingmen-minzheng/2022", "--chart", "funds"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if files, _ := filepath.Glob(filepath.Join(one, "*.svg")); len(files) != 1 || filepath.Base(files[0]) != "hubei-jingmen-minzheng-2022-funds.svg" {
		t.Errorf("--only/--chart wrote %v", files)
	}

	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"--only", "no-such-dept"}, 1, "没有符合条件的图表"},
		{[]string{"--font", "/no/such/font.ttc"}, 1, "字体"},
		{[]string{"--width", "10"}, 2, "--width"},
	} {
		stderr.Reset()
		args := append([]string{"charts", "--content", "../../content", "--out", filepath.Join(t.TempDir(), "x")}, tc.args...)
		if code := Run(args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.msg)
		}
	}
}
