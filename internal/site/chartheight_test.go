package site

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"disclose/internal/charts"
	"disclose/internal/gen"
	"disclose/internal/heavytest"
)

// canvas is a chart canvas of a page: its size class, its data-height
// and the number of categories of its horizontal bars (0 for others).
type canvas struct {
	class, height string
	bars          int
}

// canvases returns each chart canvas of a page by its option's id
// ("chart-funds-option").
func canvases(t *testing.T, name string, page []byte) map[string]canvas {
	t.Helper()
	out := map[string]canvas{}
	options := map[string]string{}
	walk(parse(t, name, page), func(n *html.Node) {
		class, _ := attr(n, "class")
		id, _ := attr(n, "id")
		switch {
		case n.Type != html.ElementNode:
		case n.Data == "script" && strings.HasSuffix(id, "-option") && n.FirstChild != nil:
			options[id] = n.FirstChild.Data
		case strings.HasPrefix(class, "chart-canvas "):
			id, _ := attr(n, "data-option")
			h, _ := attr(n, "data-height")
			out[id] = canvas{class: strings.TrimPrefix(class, "chart-canvas "), height: h}
		}
	})
	for id, c := range out {
		var o struct {
			YAxis []struct {
				Type string `json:"type"`
				Data []any  `json:"data"`
			} `json:"yAxis"`
		}
		if err := json.Unmarshal([]byte(options[id]), &o); err != nil {
			t.Fatalf("%s: option of %s: %v", name, id, err)
		}
		if len(o.YAxis) > 0 && o.YAxis[0].Type == "category" {
			c.bars = len(o.YAxis[0].Data)
			out[id] = c
		}
	}
	return out
}

// TestChartCanvasHeight: each chart canvas carries the chart's own height
// (which site.js gives it) and the nearest size class, for the first paint.
func TestChartCanvasHeight(t *testing.T) {
	m, files := render(t, "")
	n := 0
	for _, d := range m.Departments {
		for _, r := range d.Reports {
			p := reportPath(r)
			got := canvases(t, p, files[p])
			for _, c := range charts.ForReport(r) {
				id := "chart-" + c.ID + "-option"
				g := got[id]
				if g.class != heightClass(c.Height) || g.height != strconv.Itoa(c.Height) {
					t.Errorf("%s: %s has class %q and data-height %q, want %s and %d", p, id, g.class, g.height, heightClass(c.Height), c.Height)
				}
				n++
			}
		}
	}
	if n == 0 {
		t.Fatal("the seed reports have no charts")
	}
}

// TestHeavyTallComparisonCanvas: a province's comparison page of many
// departments asks for a canvas tall enough to name every one, taller than
// the largest size class. (The tree is TestHeavyLargeSitePages'; 250
// departments a year are compared by province.) Heavy, as that one.
func TestHeavyTallComparisonCanvas(t *testing.T) {
	heavytest.Mark(t)
	if testing.Short() {
		t.Skip("loads 1,000 generated reports")
	}
	l := genTree(t, gen.Options{Departments: 250, Years: 4, Seed: 1})
	files, _ := renderSome(t, l, Options{}, func(f File) bool {
		return strings.HasPrefix(f.Path, "compare/") && strings.Count(f.Path, "/") == 2
	})
	most := 0
	for p, page := range files {
		for id, c := range canvases(t, p, page) {
			h, err := strconv.Atoi(c.height)
			if err != nil {
				t.Fatalf("%s: %s has data-height %q", p, id, c.height)
			}
			// 36 px a department at the least: one bar with its label.
			if h < 36*c.bars {
				t.Errorf("%s: %s is %d px tall for %d departments", p, id, h, c.bars)
			}
			if c.bars >= 16 && (c.class != "h-xl" || h <= 600) {
				t.Errorf("%s: %s has class %s and data-height %d for %d departments", p, id, c.class, h, c.bars)
			}
			most = max(most, c.bars)
		}
	}
	if most < 16 {
		t.Errorf("the longest chart has %d departments: the test needs more than 16", most)
	}
}

// TestHeightClass: the nearest of 300, 380, 480 and 600 px.
func TestHeightClass(t *testing.T) {
	for h, want := range map[int]string{
		0: "h-s", 220: "h-s", 300: "h-s", 339: "h-s", 340: "h-m", 360: "h-m", 429: "h-m",
		440: "h-l", 539: "h-l", 540: "h-xl", 600: "h-xl", 8000: "h-xl",
	} {
		if got := heightClass(h); got != want {
			t.Errorf("heightClass(%d) = %s, want %s", h, got, want)
		}
	}
}
