package chartimage

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FontFamily is what the SVG files name, with the fonts office machines
// have, so that a chart pasted into a document looks as drawn here.
const FontFamily = `'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'PingFang SC', sans-serif`

// fontPaths are where Debian's fonts-noto-cjk (and similar packages) put
// a Simplified Chinese sans-serif font.
var fontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/source-han-sans/SourceHanSans-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
}

// ErrNoFont says no CJK font was found, and how to get one.
var ErrNoFont = errors.New("找不到中文字体：请安装 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk），或用 --font 指定 .ttc/.otf/.ttf 字体文件")

// Font measures text the way it will be drawn, so that ECharts lays out
// labels and legends for the real glyph widths, not a guess.
type Font struct {
	f  *sfnt.Font
	mu sync.Mutex // sfnt.Buffer is not safe for concurrent use
	b  sfnt.Buffer
}

// LoadFont reads the font at path, or the first CJK font found when path
// is empty. A collection (.ttc) gives its Simplified Chinese face.
func LoadFont(path string) (*Font, error) {
	paths := fontPaths
	if path != "" {
		paths = []string{path}
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			if path != "" {
				return nil, fmt.Errorf("字体 %s：%w", p, err)
			}
			continue
		}
		f, err := parseFont(data)
		if err != nil {
			return nil, fmt.Errorf("字体 %s：%w", p, err)
		}
		return &Font{f: f}, nil
	}
	return nil, ErrNoFont
}

// parseFont picks the face whose name says Simplified Chinese from a
// collection, else its first face.
func parseFont(data []byte) (*sfnt.Font, error) {
	c, err := sfnt.ParseCollection(data)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	var first *sfnt.Font
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = f
		}
		name, err := f.Name(&buf, sfnt.NameIDFull)
		if err == nil && (name == "Noto Sans CJK SC" || name == "Noto Sans CJK SC Regular" || name == "Source Han Sans SC" || name == "Source Han Sans SC Regular") {
			return f, nil
		}
	}
	if first == nil {
		return nil, errors.New("the file holds no font")
	}
	return first, nil
}

// Width is the advance width of s at size px.
func (f *Font) Width(s string, px float64) float64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	ppem := fixed.Int26_6(px * 64)
	var w fixed.Int26_6
	prev := sfnt.GlyphIndex(0)
	for i, r := range s {
		g, err := f.f.GlyphIndex(&f.b, r)
		if err != nil || g == 0 {
			// A character the font lacks is drawn by a fallback font;
			// half an em is a fair guess for most of those.
			w += ppem / 2
			prev = 0
			continue
		}
		if i > 0 && prev != 0 {
			if k, err := f.f.Kern(&f.b, prev, g, ppem, font.HintingNone); err == nil {
				w += k
			}
		}
		adv, err := f.f.GlyphAdvance(&f.b, g, ppem, font.HintingNone)
		if err == nil {
			w += adv
		}
		prev = g
	}
	return float64(w) / 64
}
