package cli

import (
	"bytes"
	"image/color"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"disclose/internal/chartimage"
	"disclose/internal/heavytest"
)

func TestHeavyChartsCommand(t *testing.T) {
	// Draws every chart of the seeds to files: the rendering's concurrency
	// is internal/chartimage's, tested there under -race.
	heavytest.Mark(t)
	if _, err := chartimage.LoadFont(""); err == chartimage.ErrNoFont && os.Getenv("DISCLOSE_E2E") != "require" {
		t.Skip(err)
	}
	out := filepath.Join(t.TempDir(), "charts")
	var stdout, stderr bytes.Buffer
	if code := runCLI([]string{"charts", "--content", "../../content", "--out", out}, &stdout, &stderr); code != 0 {
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
	// By default every chart comes as SVG and as PNG, drawn in Go.
	if pngs, _ := filepath.Glob(filepath.Join(out, "*.png")); len(pngs) != len(files) {
		t.Errorf("%d PNG files for %d SVG files", len(pngs), len(files))
	}
	shown := map[string]bool{}
	for _, m := range regexp.MustCompile(`src="([^"]+)"`).FindAllStringSubmatch(string(index), -1) {
		// Category names are Chinese, which the page percent-encodes.
		name, err := url.PathUnescape(m[1])
		if err != nil {
			t.Errorf("index.html: %v", err)
		}
		shown[name] = true
	}
	for _, f := range files {
		if !shown[filepath.Base(f)] {
			t.Errorf("index.html does not show %s", filepath.Base(f))
		}
		b, _ := os.ReadFile(f)
		if !bytes.HasPrefix(b, []byte(`<?xml`)) || !bytes.Contains(b, []byte("<svg")) {
			t.Errorf("%s is not SVG", f)
		}
	}
	for _, want := range []string{"hunan-xiangtan-minzheng-2024-categories.svg", "compare-2022-totals.svg", "category-basic-人员经费-amount.png"} {
		if _, err := os.Stat(filepath.Join(out, want)); err != nil {
			t.Errorf("missing %s", want)
		}
	}

	one := filepath.Join(t.TempDir(), "one")
	stdout.Reset()
	if code := runCLI([]string{"charts", "--content", "../../content", "--out", one, "--only", "hubei-jingmen-minzheng/2022", "--chart", "funds", "--format", "svg"}, &stdout, &stderr); code != 0 {
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
		{[]string{"--renderer", "inkscape"}, 2, "--renderer"},
		{[]string{"--format", "jpg"}, 2, "--format"},
	} {
		stderr.Reset()
		args := append([]string{"charts", "--content", "../../content", "--out", filepath.Join(t.TempDir(), "x")}, tc.args...)
		if code := runCLI(args, &stdout, &stderr); code != tc.code || !strings.Contains(stderr.String(), tc.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tc.args, code, stderr.String(), tc.code, tc.msg)
		}
	}

	// A directory that disclose charts did not make is never replaced.
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "slides.pptx"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	stderr.Reset()
	if code := runCLI([]string{"charts", "--content", "../../content", "--out", foreign, "--format", "svg"}, &stdout, &stderr); code != 1 || !strings.Contains(stderr.String(), chartimage.Marker) {
		t.Errorf("charts into a foreign directory: exit %d, %q", code, stderr.String())
	}
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Errorf("the foreign directory holds %d entries", len(entries))
	}
}

// TestChartsPNG: with either renderer, PNGs come out at twice the CSS
// size, as real pictures (not blank).
func TestHeavyChartsPNG(t *testing.T) {
	heavytest.Mark(t)
	for _, renderer := range []string{"go", "chromium"} {
		t.Run(renderer, func(t *testing.T) {
			if _, err := chartimage.LoadFont(""); err == chartimage.ErrNoFont && os.Getenv("DISCLOSE_E2E") != "require" {
				t.Skip(err)
			}
			if _, err := exec.LookPath("chromium"); renderer == "chromium" && err != nil && os.Getenv("DISCLOSE_E2E") != "require" {
				t.Skip("no chromium")
			}
			out := filepath.Join(t.TempDir(), "png")
			var stdout, stderr bytes.Buffer
			args := []string{"charts", "--content", "../../content", "--out", out, "--format", "png", "--renderer", renderer, "--only", "hunan-yueyang-yunxi-minzheng/2023"}
			if code := runCLI(args, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			files, _ := filepath.Glob(filepath.Join(out, "*.png"))
			if len(files) < 3 {
				t.Fatalf("%d PNG files", len(files))
			}
			if svgs, _ := filepath.Glob(filepath.Join(out, "*.svg")); len(svgs) != 0 {
				t.Errorf("--format png wrote SVG files too")
			}
			for _, f := range files {
				fh, err := os.Open(f)
				if err != nil {
					t.Fatal(err)
				}
				img, err := png.Decode(fh)
				fh.Close()
				if err != nil {
					t.Fatalf("%s: %v", f, err)
				}
				b := img.Bounds()
				if b.Dx() != 1600 || b.Dy() < 1000 {
					t.Errorf("%s is %dx%d, want at least 1600x1000", filepath.Base(f), b.Dx(), b.Dy())
				}
				// A drawn chart has many colours; a blank or failed one has one.
				colours := map[color.Color]bool{}
				for y := b.Min.Y; y < b.Max.Y; y += 7 {
					for x := b.Min.X; x < b.Max.X; x += 7 {
						colours[img.At(x, y)] = true
					}
				}
				if len(colours) < 10 {
					t.Errorf("%s looks blank (%d colours)", filepath.Base(f), len(colours))
				}
			}
		})
	}
}
