package svgraster

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/imagediff"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current renderer")

// ownGolden allows what a newer build of the same font may change (a
// glyph's rim) and nothing a reader would see: a regression in the
// renderer shows as a patch or a spread well beyond these.
var ownGolden = imagediff.Limits{Options: imagediff.Options{Radius: 0, Threshold: 0.05}, MaxLargest: 12, MaxRatio: 0.0005}

// TestGolden draws each feature file and compares it with the PNG the
// renderer drew when it was last checked by eye and against Chromium
// (TestAgainstChromium). -update rewrites them.
func TestGolden(t *testing.T) {
	eachFeature(t, func(t *testing.T, name string, svg []byte, got *image.RGBA) {
		golden := filepath.Join("testdata", "golden", name+".png")
		if *update {
			b, err := encodePNG(got)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(golden, b, 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		want := readPNGFile(t, golden)
		if res, err := ownGolden.Check(got, want); err != nil {
			writeMask(t, name, res)
			t.Errorf("%s against %s: %v (run with -update after checking the new image by eye)", name, golden, err)
		}
	})
}

// eachFeature draws each file of testdata/features with the real fonts at
// scale 2 and hands it to check, as a subtest named after the file.
func eachFeature(t *testing.T, check func(t *testing.T, name string, svg []byte, got *image.RGBA)) {
	r := realRasterizer(t)
	files, err := filepath.Glob("testdata/features/*.svg")
	if err != nil || len(files) == 0 {
		t.Fatalf("no feature files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".svg")
		t.Run(name, func(t *testing.T) {
			svg, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := r.Render(svg, 2)
			if err != nil {
				t.Fatal(err)
			}
			check(t, name, svg, got)
		})
	}
}

func readPNGFile(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// writeMask saves where two images differ, for the person looking into a
// failure.
func writeMask(t *testing.T, name string, res imagediff.Result) {
	if res.Mask == nil {
		return
	}
	p := filepath.Join(t.TempDir(), name+"-diff.png")
	var b bytes.Buffer
	if png.Encode(&b, res.Mask) == nil && os.WriteFile(p, b.Bytes(), 0o644) == nil {
		t.Logf("unmatched pixels: %s", p)
	}
}
