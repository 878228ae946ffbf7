package svgraster

import (
	"errors"
	"os"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// fontDir is where Debian's fonts-noto-cjk puts the faces the charts are
// drawn with (make browser installs it).
const fontDir = "/usr/share/fonts/opentype/noto/"

// realRasterizer draws with Noto Sans CJK SC, regular and bold, as
// disclose charts does. Without the font the test is skipped, unless
// DISCLOSE_E2E=require (make test) makes that a failure.
func realRasterizer(t testing.TB) *Rasterizer {
	t.Helper()
	face := func(file string) *Face {
		data, err := os.ReadFile(fontDir + file)
		if errors.Is(err, os.ErrNotExist) && os.Getenv("DISCLOSE_E2E") != "require" {
			t.Skipf("no CJK font: %v", err)
		}
		if err != nil {
			t.Fatal(err)
		}
		c, err := sfnt.ParseCollection(data)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for i := range c.NumFonts() {
			f, err := c.Font(i)
			if err != nil {
				t.Fatal(err)
			}
			if name, _ := f.Name(&buf, sfnt.NameIDFull); strings.HasPrefix(name, "Noto Sans CJK SC") {
				fc, err := NewFace(f)
				if err != nil {
					t.Fatal(err)
				}
				return fc
			}
		}
		t.Fatalf("%s has no Noto Sans CJK SC face", file)
		return nil
	}
	r, err := New(face("NotoSansCJK-Regular.ttc"), face("NotoSansCJK-Bold.ttc"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestWidthMatchesLayout: the width ECharts is told a text has is the
// width the renderer sets it at, so that anchored labels land where
// ECharts placed them.
func TestWidthMatchesLayout(t *testing.T) {
	r := realRasterizer(t)
	for _, s := range []string{"支出结构", "1581.75万元", "AV To 12%", "人员经费　合计"} {
		for _, size := range []float64{12, 14, 18} {
			w := r.regular.Width(s, size)
			start, err := layoutText(r.regular, s, size, 0, 0, "start", "alphabetic", identity)
			if err != nil {
				t.Fatal(err)
			}
			end, err := layoutText(r.regular, s, size, 0, 0, "end", "alphabetic", identity)
			if err != nil {
				t.Fatal(err)
			}
			// "end" moves the whole text left by its width.
			sx0, _, _, _ := start.bounds()
			ex0, _, _, _ := end.bounds()
			if d := sx0 - ex0; d < w-0.01 || d > w+0.01 {
				t.Errorf("%q at %v: Width %v, layout shifts by %v", s, size, w, d)
			}
		}
	}
	if w := r.regular.Width("支出结构", 20); w != 80 {
		t.Errorf("four CJK characters at 20px: %v, want 80", w)
	}
	if w := r.regular.Width("\U0010FFFD", 20); w != 10 {
		t.Errorf("a character the font lacks: %v, want half an em", w)
	}
}
