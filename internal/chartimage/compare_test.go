package chartimage

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"disclose/internal/chromium"
	"disclose/internal/content"
	"disclose/internal/heavytest"
	"disclose/internal/imagediff"
)

var (
	chromiumOnce sync.Once
	sharedChrome *chromium.Renderer
	chromeErr    error
)

// reference starts one Chromium for the package's tests; it stays up until
// the test binary exits.
func reference(t testing.TB) *chromium.Renderer {
	t.Helper()
	chromiumOnce.Do(func() { sharedChrome, chromeErr = chromium.New() })
	if errors.Is(chromeErr, chromium.ErrNotFound) && os.Getenv("DISCLOSE_E2E") != "require" {
		t.Skip(chromeErr)
	}
	if chromeErr != nil {
		t.Fatal(chromeErr)
	}
	return sharedChrome
}

// seedSVGs draws every chart of the default site as SVG, by job name.
func seedSVGs(t testing.TB, r *Renderer) (names []string, svgs map[string][]byte, sizes map[string][2]int) {
	t.Helper()
	m, ds := content.Load(os.DirFS("../../content"), "content")
	if m == nil {
		t.Fatalf("content: %v", ds)
	}
	svgs, sizes = map[string][]byte{}, map[string][2]int{}
	for _, g := range Groups(m, "") {
		for _, c := range g.Charts() {
			name := ImageName(g.Prefix, c.ID)
			h := Height(c, 500)
			svg, err := r.SVG(c.WithTitle(), 800, h)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			names = append(names, name)
			svgs[name], sizes[name] = svg, [2]int{800, h}
		}
	}
	return names, svgs, sizes
}

func decodePNG(t testing.TB, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestHeavyGoRendererMatchesChromium draws every chart of the five seed
// reports (report, comparison and category charts) with the pure-Go
// renderer and with Chromium, and holds them to imagediff.AcrossRenderers.
// Heavy: one chart at a time, on one goroutine.
func TestHeavyGoRendererMatchesChromium(t *testing.T) {
	heavytest.Mark(t)
	r := renderer(t)
	ras, err := r.font.Rasterizer()
	if err != nil {
		t.Fatal(err)
	}
	c := reference(t)
	names, svgs, sizes := seedSVGs(t, r)
	if len(names) < 20 {
		t.Fatalf("only %d charts", len(names))
	}
	var worst imagediff.Result
	for _, name := range names {
		sz := sizes[name]
		got, err := ras.PNG(svgs[name], sz[0], sz[1], 2)
		if err != nil {
			t.Errorf("%s: go: %v", name, err)
			continue
		}
		want, err := c.PNG(svgs[name], sz[0], sz[1], 2)
		if err != nil {
			t.Fatalf("%s: chromium: %v", name, err)
		}
		res, err := imagediff.AcrossRenderers.Check(decodePNG(t, got), decodePNG(t, want))
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if res.Largest > worst.Largest || res.Unmatched*worst.Pixels > worst.Unmatched*res.Pixels {
			worst = res
		}
	}
	t.Logf("%d charts; worst: %v", len(names), worst)
}

// defects are changes a reader would notice, made to a chart's SVG; each
// must take the Go rendering outside imagediff.AcrossRenderers of
// Chromium's rendering of the unchanged chart, or the limits are too loose
// to stand for "looks the same".
var defects = []struct {
	name, chart string
	change      func(svg string) string
}{
	{"pie label line missing", "hunan-xiangtan-minzheng-2024-basic-project", func(s string) string {
		return regexp.MustCompile(`<polyline[^>]*></polyline>`).ReplaceAllLiteralString(s, "")
	}},
	{"one digit missing", "hunan-xiangtan-minzheng-2024-basic-project", func(s string) string {
		return strings.Replace(s, "46.63%<", "46.6%<", 1)
	}},
	{"label two pixels lower", "hunan-zhuzhou-lusong-minzheng-2022-project-categories", func(s string) string {
		return moveFirst(s, `transform="translate\(([\d.]+) ([\d.]+)\)" fill="#1f2937">临时救助`, 2)
	}},
	{"bar one pixel longer", "hunan-zhuzhou-lusong-minzheng-2022-project-categories", func(s string) string {
		return lengthenFirstBar(s, 1)
	}},
	{"bar in the wrong colour", "hunan-xiangtan-minzheng-2024-categories", func(s string) string {
		return strings.Replace(s, `fill="#1f5fa8"`, `fill="#2e7d32"`, 1)
	}},
}

// moveFirst moves the first text matched by re (whose groups are the x
// and y of its translate) down by dy.
func moveFirst(s, re string, dy float64) string {
	m := regexp.MustCompile(re).FindStringSubmatchIndex(s)
	if m == nil {
		return s
	}
	y, _ := strconv.ParseFloat(s[m[4]:m[5]], 64)
	return s[:m[4]] + strconv.FormatFloat(y+dy, 'f', -1, 64) + s[m[5]:]
}

// lengthenFirstBar widens the first horizontal bar ("MX YlW 0l0 Hl-W 0Z")
// by dx.
func lengthenFirstBar(s string, dx float64) string {
	re := regexp.MustCompile(`d="M([\d.]+) ([\d.]+)l([\d.]+) 0l0 ([\d.]+)l-([\d.]+) 0Z" fill="#b34700"`)
	m := re.FindStringSubmatch(s)
	if m == nil {
		return s
	}
	w, _ := strconv.ParseFloat(m[3], 64)
	ws := strconv.FormatFloat(w+dx, 'f', -1, 64)
	return strings.Replace(s, m[0], `d="M`+m[1]+` `+m[2]+`l`+ws+` 0l0 `+m[4]+`l-`+ws+` 0Z" fill="#b34700"`, 1)
}

// TestHeavyThresholdCatchesDefects shows the limits the renderers are
// compared with are tight enough: each defect above fails them, while the
// charts themselves pass (TestHeavyGoRendererMatchesChromium). Heavy: it
// draws every seed chart to find the few it changes.
func TestHeavyThresholdCatchesDefects(t *testing.T) {
	heavytest.Mark(t)
	r := renderer(t)
	ras, err := r.font.Rasterizer()
	if err != nil {
		t.Fatal(err)
	}
	c := reference(t)
	_, svgs, sizes := seedSVGs(t, r)
	for _, d := range defects {
		t.Run(d.name, func(t *testing.T) {
			orig, ok := svgs[d.chart]
			if !ok {
				t.Fatalf("no chart %s", d.chart)
			}
			changed := d.change(string(orig))
			if changed == string(orig) {
				t.Fatalf("the change did not apply to %s", d.chart)
			}
			sz := sizes[d.chart]
			want, err := c.PNG(orig, sz[0], sz[1], 2)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ras.PNG([]byte(changed), sz[0], sz[1], 2)
			if err != nil {
				t.Fatal(err)
			}
			res, err := imagediff.AcrossRenderers.Check(decodePNG(t, got), decodePNG(t, want))
			t.Logf("%s: %v", d.name, res)
			if err == nil {
				t.Errorf("%s passed the comparison: the limits cannot tell it from the real chart", d.name)
			}
		})
	}
}

// TestImageNamesSayEachWordOnce: a chart's file name does not repeat the
// word its group already says.
func TestImageNamesSayEachWordOnce(t *testing.T) {
	for _, tc := range []struct{ prefix, id, want string }{
		{"hunan-xiangtan-minzheng-history", "history-totals", "hunan-xiangtan-minzheng-history-totals"},
		{"compare-2022", "compare-totals", "compare-2022-totals"},
		{"compare-2022-湖南省", "compare-score", "compare-2022-湖南省-score"},
		{"category-basic-人员经费", "category-amount", "category-basic-人员经费-amount"},
		{"hunan-xiangtan-minzheng-2024", "categories", "hunan-xiangtan-minzheng-2024-categories"},
	} {
		if got := ImageName(tc.prefix, tc.id); got != tc.want {
			t.Errorf("ImageName(%q, %q) = %q, want %q", tc.prefix, tc.id, got, tc.want)
		}
	}
}
