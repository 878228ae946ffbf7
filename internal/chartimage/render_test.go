package chartimage

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"

	"disclose/internal/charts"
	"disclose/internal/content"
	"disclose/internal/heavytest"
	"disclose/internal/model"
	"disclose/themes"
)

var (
	rendererOnce sync.Once
	shared       *Renderer
	sharedErr    error
)

func renderer(t testing.TB) *Renderer {
	t.Helper()
	rendererOnce.Do(func() {
		var f *Font
		if f, sharedErr = LoadFont(""); sharedErr == nil {
			shared, sharedErr = New(themes.Default(), f)
		}
	})
	if sharedErr == ErrNoFont && os.Getenv("DISCLOSE_E2E") != "require" {
		t.Skip(sharedErr)
	}
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// wellFormed decodes the whole document as XML.
func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

// TestHeavySeedChartsAsSVG draws every chart of every seed report: each is
// well-formed SVG of the asked size, names the fonts with fallbacks, shows
// its title and its Chinese labels, and comes out the same twice. Heavy:
// four renders of each chart in turn; TestConcurrentRendersAgree has the
// pool's runtimes at work at once, under -race.
func TestHeavySeedChartsAsSVG(t *testing.T) {
	heavytest.Mark(t)
	r := renderer(t)
	m, _ := content.Load(os.DirFS("../../content"), "content")
	n := 0
	for _, d := range m.Departments {
		for _, rep := range d.Reports {
			for _, c := range charts.ForReport(rep) {
				h := c.Height + charts.TitleHeight
				svg, err := r.SVG(c.WithTitle(), 800, h)
				if err != nil {
					t.Fatalf("%s %d %s: %v", d.ID, rep.Year, c.ID, err)
				}
				if err := wellFormed(svg); err != nil {
					t.Errorf("%s %d %s: not well-formed: %v", d.ID, rep.Year, c.ID, err)
				}
				s := string(svg)
				for _, want := range []string{`width="800"`, "Noto Sans CJK SC", "Microsoft YaHei", xmlText(c.Title)} {
					if !strings.Contains(s, want) {
						t.Errorf("%s %d %s: SVG lacks %q", d.ID, rep.Year, c.ID, want)
					}
				}
				// The pool holds a runtime per core, each with its own
				// counters: several renders must still agree.
				for range 3 {
					again, _ := r.SVG(c.WithTitle(), 800, h)
					if !bytes.Equal(svg, again) {
						t.Errorf("%s %d %s: two renders differ", d.ID, rep.Year, c.ID)
						break
					}
				}
				n++
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d charts drawn", n)
	}
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// TestMeasureText: the widths ECharts lays out with are the font's.
func TestMeasureText(t *testing.T) {
	f, err := LoadFont("")
	if err == ErrNoFont {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	// CJK glyphs are one em wide; Latin digits are narrower.
	if w := f.Width("支出结构", 20, false); w < 79 || w > 81 {
		t.Errorf("four CJK characters at 20px: %v, want 80", w)
	}
	if w := f.Width("1234", 20, false); w <= 0 || w >= 60 {
		t.Errorf("four digits at 20px: %v", w)
	}
	if _, err := LoadFont("/no/such/font.ttc"); err == nil {
		t.Error("a missing --font file must be an error")
	}
}

func BenchmarkSVG(b *testing.B) {
	r := renderer(b)
	m, _ := content.Load(os.DirFS("../../content"), "content")
	var all []charts.Chart
	for _, d := range m.Departments {
		for _, rep := range d.Reports {
			all = append(all, charts.ForReport(rep)...)
		}
	}
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c := all[i%len(all)]
			if _, err := r.SVG(c.WithTitle(), 800, c.Height+charts.TitleHeight); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}

// TestConcurrentRendersAgree: charts drawn at once by different runtimes
// of the pool are byte-identical.
func TestConcurrentRendersAgree(t *testing.T) {
	r := renderer(t)
	m, _ := content.Load(os.DirFS("../../content"), "content")
	cs := charts.ForReport(m.Departments[2].Reports[0])
	want := make([][]byte, len(cs))
	for i, c := range cs {
		want[i], _ = r.SVG(c.WithTitle(), 800, 500)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i, c := range cs {
				got, err := r.SVG(c.WithTitle(), 800, 500)
				if err != nil || !bytes.Equal(got, want[i]) {
					errs <- c.ID
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for id := range errs {
		t.Errorf("%s: concurrent render differs", id)
	}
}

// TestHeavyRenderOrderDoesNotMatter: a chart comes out the same whatever
// the runtime drew before it. (ECharts hands out decal patterns by series
// name from a palette that lives as long as the runtime; the options pin
// them.) Heavy: every seed chart twice, in turn.
func TestHeavyRenderOrderDoesNotMatter(t *testing.T) {
	heavytest.Mark(t)
	r := renderer(t)
	m, _ := content.Load(os.DirFS("../../content"), "content")
	var all []charts.Chart
	for _, g := range Groups(m, "") {
		all = append(all, g.Charts()...)
	}
	fresh, err := New(themes.Default(), r.font)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]byte{}
	for i, c := range all {
		if want[i], err = r.SVG(c.WithTitle(), 800, Height(c, 500)); err != nil {
			t.Fatal(err)
		}
	}
	for i := len(all) - 1; i >= 0; i-- {
		got, err := fresh.SVG(all[i].WithTitle(), 800, Height(all[i], 500))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want[i]) {
			t.Errorf("%s comes out differently when drawn in another order", all[i].ID)
		}
	}
}

// TestLargeComparisonsSplit: a comparison of more departments than fit on
// a slide comes as several images, by province and then in parts, each of
// at most MaxBars departments, together covering every department once.
func TestLargeComparisonsSplit(t *testing.T) {
	var reports []*model.Report
	provinces := []string{"湖南省", "湖北省", "广东省"}
	sizes := []int{95, 12, 40}
	for p, n := range sizes {
		for i := range n {
			d := &model.Department{ID: fmt.Sprintf("d%d-%d", p, i), Region: []string{provinces[p], "某市"}}
			reports = append(reports, &model.Report{Department: d, Year: 2024})
		}
	}
	got := parts(reports)
	var suffixes []string
	seen := map[*model.Report]bool{}
	for _, p := range got {
		suffixes = append(suffixes, p.suffix)
		if len(p.reports) > MaxBars || len(p.reports) == 0 {
			t.Errorf("%s has %d departments", p.suffix, len(p.reports))
		}
		for _, r := range p.reports {
			if seen[r] {
				t.Errorf("%s appears twice", r.Department.ID)
			}
			seen[r] = true
		}
	}
	if len(seen) != len(reports) {
		t.Errorf("%d of %d departments shown", len(seen), len(reports))
	}
	want := []string{"-湖南省-1", "-湖南省-2", "-湖南省-3", "-湖北省", "-广东省"}
	if strings.Join(suffixes, " ") != strings.Join(want, " ") {
		t.Errorf("parts %v, want %v", suffixes, want)
	}
	if small := parts(reports[:MaxBars]); len(small) != 1 || small[0].suffix != "" {
		t.Errorf("a comparison that fits is split: %+v", small)
	}
}
