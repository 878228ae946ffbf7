package chartimage

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/output"
)

var errNoPNG = errors.New("no PNG today")

type failingPNG struct{}

func (failingPNG) PNG([]byte, int, int, float64) ([]byte, error) { return nil, errNoPNG }

// An export replaces the whole directory it writes, and only a directory
// it made: a failed, stopped or empty export, or one into somebody else's
// directory, leaves the directory as it was and nothing beside it.
func TestExportReplacesItsDirectoryOnly(t *testing.T) {
	r := renderer(t)
	m, _ := content.Load(os.DirFS("../../content"), "content")
	jingmen := Groups(m, "hubei-jingmen-minzheng/2022")
	xiangtan := Groups(m, "hunan-xiangtan-minzheng/2024")
	svgOnly := Options{Width: 400, Height: 300, SVG: true, Chart: "basic-project"}
	parent := t.TempDir()
	out := filepath.Join(parent, "charts")

	if _, err := r.Export(context.Background(), jingmen, out, svgOnly); err != nil {
		t.Fatal(err)
	}
	first := listing(t, out)
	if want := []string{Marker, "hubei-jingmen-minzheng-2022-basic-project.svg", "index.html"}; !slices.Equal(first, want) {
		t.Fatalf("export wrote %v, want %v", first, want)
	}
	// The files are what the renderer draws: the export only writes them.
	var funds []byte
	for _, c := range jingmen[0].Charts() {
		if c.ID == "basic-project" {
			var err error
			if funds, err = r.SVG(c.WithTitle(), 400, Height(c, 300)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if got, _ := os.ReadFile(filepath.Join(out, "hubei-jingmen-minzheng-2022-basic-project.svg")); !bytes.Equal(got, funds) {
		t.Error("the exported SVG differs from the rendered one")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		o    Options
		want error
	}{
		{"a chart fails", context.Background(), Options{Width: 400, Height: 300, SVG: true, PNG: failingPNG{}, Chart: "basic-project"}, errNoPNG},
		{"stopped", ctx, svgOnly, context.Canceled},
		{"no charts", context.Background(), Options{Width: 400, Height: 300, SVG: true, Chart: "no-such-chart"}, ErrNoCharts},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Export(tc.ctx, xiangtan, out, tc.o)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if got := listing(t, out); !slices.Equal(got, first) {
				t.Errorf("the directory holds %v, want the first export's %v", got, first)
			}
			if got := listing(t, parent); !slices.Equal(got, []string{".charts.disclose-lock", "charts"}) {
				t.Errorf("left beside the directory: %v", got)
			}
		})
	}

	if _, err := r.Export(context.Background(), xiangtan, out, svgOnly); err != nil {
		t.Fatal(err)
	}
	if got, want := listing(t, out), []string{Marker, "hunan-xiangtan-minzheng-2024-basic-project.svg", "index.html"}; !slices.Equal(got, want) {
		t.Errorf("the second export left %v, want %v", got, want)
	}

	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "slides.pptx"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Export(context.Background(), xiangtan, foreign, svgOnly); !errors.Is(err, output.ErrForeign) {
		t.Fatalf("export into a foreign directory: %v", err)
	}
	if got := listing(t, foreign); !slices.Equal(got, []string{"slides.pptx"}) {
		t.Errorf("the foreign directory holds %v", got)
	}
	// A site is not a chart directory either.
	site := filepath.Join(t.TempDir(), "public")
	os.Mkdir(site, 0o755)
	os.WriteFile(filepath.Join(site, ".disclose-site"), nil, 0o644)
	if _, err := r.Export(context.Background(), xiangtan, site, svgOnly); !errors.Is(err, output.ErrForeign) || !strings.Contains(err.Error(), Marker) {
		t.Fatalf("export into a site: %v", err)
	}
}

func listing(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}
