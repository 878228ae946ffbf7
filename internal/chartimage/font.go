package chartimage

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"disclose/internal/svgraster"

	"golang.org/x/image/font/sfnt"
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
// labels and legends for the real glyph widths, not a guess; and it is
// what the PNG renderer draws with.
type Font struct {
	regularFace, boldFace *svgraster.Face
}

// LoadFont reads the font at path, or the first CJK font found when path
// is empty. A collection (.ttc) gives its Simplified Chinese face. The
// bold face (chart titles) comes from the file beside it with Bold for
// Regular in its name; without one, bold text is drawn regular.
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
		bold := f
		if bp := strings.Replace(p, "Regular", "Bold", 1); bp != p {
			if data, err := os.ReadFile(bp); err == nil {
				if b, err := parseFont(data); err == nil {
					bold = b
				}
			}
		}
		reg, err := svgraster.NewFace(f)
		if err != nil {
			return nil, fmt.Errorf("字体 %s：%w", p, err)
		}
		bf, err := svgraster.NewFace(bold)
		if err != nil {
			return nil, fmt.Errorf("字体 %s：%w", p, err)
		}
		return &Font{regularFace: reg, boldFace: bf}, nil
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
		if err == nil && (strings.HasPrefix(name, "Noto Sans CJK SC") || strings.HasPrefix(name, "Source Han Sans SC")) {
			return f, nil
		}
	}
	if first == nil {
		return nil, errors.New("the file holds no font")
	}
	return first, nil
}

// Width is the advance width of s at size px, in the bold face when bold:
// the same widths the PNG renderer sets the text with.
func (f *Font) Width(s string, px float64, bold bool) float64 {
	if bold {
		return f.boldFace.Width(s, px)
	}
	return f.regularFace.Width(s, px)
}

// Rasterizer is the pure-Go PNG renderer, drawing with this font.
func (f *Font) Rasterizer() (*svgraster.Rasterizer, error) {
	return svgraster.New(f.regularFace, f.boldFace)
}
