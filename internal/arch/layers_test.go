package arch

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// layers places every package of the module. A package may import only
// packages of a lower layer, so the loader never reaches for the checker,
// the checker never loads, rendering never builds, and build is the one
// place that pairs loading with checking and owns the state kept between
// builds. A new package fails TestLayers until it is placed here, with a
// package comment saying what it owns and what it may import.
var layers = map[string]int{
	// 0, foundations: import nothing of ours.
	"internal/model":      0, // the disclosure model: reports, figures, positions
	"internal/markdown":   0, // rendering the reports' Markdown narrative
	"internal/econclass":  0, // the official economic and functional classifications
	"internal/sourcedoc":  0, // source documents (docx, text, xlsx) as located paragraphs and tables
	"internal/svgraster":  0, // SVG to PNG
	"internal/chromium":   0, // SVG to PNG in headless Chromium, the reference renderer
	"internal/watch":      0, // file-system watching with quiet windows
	"internal/server":     0, // serving a built site over HTTP for preview
	"internal/publish":    0, // releases on a publish target (a Store)
	"internal/sftpstore":  0, // a publish target over SSH/SFTP
	"internal/output":     0, // every write of an output directory: swap, stage, lock, marker, manifest file
	"themes":              0, // the default theme, embedded
	"internal/arch":       0, // this table
	"internal/diag":       1, // diagnostics: rules, messages, order
	"internal/schema":     1, // the JSON Schemas of content files, from the model
	"internal/content":    2, // loading: content tree → model + shape diagnostics; its cache
	"internal/tables":     2, // the standard tables of 决算 and 预算, and their check
	"internal/check":      3, // checking: model → reconciliation diagnostics; pure
	"internal/importer":   3, // source documents → draft reports (disclose import)
	"internal/charts":     4, // how each chart looks: ECharts options, summaries, tables
	"internal/opendata":   4, // the open-data downloads: JSON, CSV, XLSX
	"internal/theme":      4, // the theme's templates and assets, user overlay
	"internal/compliance": 4, // disclosure-compliance profiles and their findings
	"internal/review":     4, // the preview's review pages of imported drafts
	"internal/site":       5, // rendering: model + diagnostics → the site's files
	"internal/chartimage": 5, // the charts as SVG and PNG files, without a browser
	"internal/gen":        5, // synthetic content trees for scale benchmarks
	"internal/build":      6, // orchestration: load + check, render, write; incremental state
	"internal/preview":    7, // disclose serve: build, watch, serve, reload
	"internal/cli":        8, // the commands
	"cmd/disclose":        9, // main
	// make bench's programs: beside Hugo, the floor and the converter of
	// generated content into Hugo's (the report model's section names);
	// and the timer of disclose serve's saves, which talks HTTP only.
	"scripts/floor":        9,
	"scripts/hugocontent":  9,
	"scripts/previewbench": 9,
}

// forbidden are imports the layers would allow but the design does not:
// the checker is pure, so it must not reach the loader below it.
var forbidden = map[[2]string]string{
	{"internal/check", "internal/content"}: "check is a pure step from the model to diagnostics; build pairs it with loading",
}

// testOnly are packages that exist for tests: they may import anything,
// and no package that ships may import them.
var testOnly = []string{
	"internal/e2e",
	"internal/heavytest",
	"internal/imagediff",
	"internal/seedset",
	"internal/sshdtest",
	"internal/publish/storetest",
}

// module is the module path, cut from import paths to match the table.
const module = "disclose/"

// imports runs go list over the whole module: each package with the
// packages of the module it imports (not counting its tests).
func imports(t *testing.T) map[string][]string {
	t.Helper()
	touchSources(t)
	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, "./...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	pkgs := map[string][]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, ok := strings.CutPrefix(fields[0], module)
		if !ok {
			t.Fatalf("go list named %s, outside module %s", fields[0], module)
		}
		var ours []string
		for _, imp := range fields[1:] {
			if p, ok := strings.CutPrefix(imp, module); ok {
				ours = append(ours, p)
			}
		}
		pkgs[pkg] = ours
	}
	return pkgs
}

func TestLayers(t *testing.T) {
	pkgs := imports(t)
	if len(pkgs) < len(layers) {
		t.Fatalf("go list found %d packages, fewer than the table's %d", len(pkgs), len(layers))
	}
	for _, msg := range violations(pkgs) {
		t.Error(msg)
	}
}

// violations checks pkgs (package → the module's packages it imports)
// against the table.
func violations(pkgs map[string][]string) []string {
	var out []string
	names := make([]string, 0, len(pkgs))
	for p := range pkgs {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, p := range names {
		if slices.Contains(testOnly, p) {
			continue
		}
		layer, ok := layers[p]
		if !ok {
			out = append(out, fmt.Sprintf("%s is in no layer: place it in the table in internal/arch/layers_test.go", p))
			continue
		}
		for _, imp := range pkgs[p] {
			if slices.Contains(testOnly, imp) {
				out = append(out, fmt.Sprintf("%s imports %s, a package for tests only", p, imp))
				continue
			}
			l, ok := layers[imp]
			if !ok {
				continue // reported as a package of its own
			}
			if l >= layer {
				out = append(out, fmt.Sprintf("%s (layer %d) imports %s (layer %d): a package may import only lower layers", p, layer, imp, l))
			}
			if why, ok := forbidden[[2]string{p, imp}]; ok {
				out = append(out, fmt.Sprintf("%s imports %s: %s", p, imp, why))
			}
		}
	}
	for p := range layers {
		if _, ok := pkgs[p]; !ok {
			out = append(out, fmt.Sprintf("%s is in the table but not in the module: remove it from internal/arch/layers_test.go", p))
		}
	}
	slices.Sort(out)
	return out
}

// The rules themselves, on a made-up module, so that a wrong turn in
// violations cannot pass TestLayers silently.
func TestViolations(t *testing.T) {
	whole := func(extra map[string][]string) map[string][]string {
		pkgs := map[string][]string{}
		for p := range layers {
			pkgs[p] = nil
		}
		for _, p := range testOnly {
			pkgs[p] = []string{"internal/build"}
		}
		for p, imps := range extra {
			pkgs[p] = imps
		}
		return pkgs
	}
	tests := []struct {
		name string
		pkgs map[string][]string
		want []string
	}{
		{"clean", whole(map[string][]string{"internal/check": {"internal/tables", "internal/model"}}), nil},
		{"forbidden", whole(map[string][]string{"internal/check": {"internal/content"}}),
			[]string{"internal/check imports internal/content: check is a pure step from the model to diagnostics; build pairs it with loading"}},
		{"upward", whole(map[string][]string{"internal/check": {"internal/build"}}),
			[]string{"internal/check (layer 3) imports internal/build (layer 6): a package may import only lower layers"}},
		{"same layer", whole(map[string][]string{"internal/content": {"internal/tables"}}),
			[]string{"internal/content (layer 2) imports internal/tables (layer 2): a package may import only lower layers"}},
		{"model imports", whole(map[string][]string{"internal/model": {"internal/markdown"}}),
			[]string{"internal/model (layer 0) imports internal/markdown (layer 0): a package may import only lower layers"}},
		{"unknown", whole(map[string][]string{"internal/newthing": {"internal/model"}}),
			[]string{"internal/newthing is in no layer: place it in the table in internal/arch/layers_test.go"}},
		{"test-only imported", whole(map[string][]string{"internal/site": {"internal/seedset"}}),
			[]string{"internal/site imports internal/seedset, a package for tests only"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := violations(tt.pkgs); !slices.Equal(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
	stale := whole(nil)
	delete(stale, "internal/watch")
	if got := violations(stale); len(got) != 1 || !strings.Contains(got[0], "internal/watch is in the table but not in the module") {
		t.Errorf("a stale entry: got %q", got)
	}
}

// touchSources looks at every Go file of the module. go test caches a
// passing result and reruns the test only when a file the test itself
// looked at changed; what go list reads does not count. Without this, an
// import added anywhere would leave the cached pass standing.
func touchSources(t *testing.T) {
	t.Helper()
	for _, root := range []string{"../../cmd", "../../internal", "../../themes"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || d.Name() == "vendor") {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(p, ".go") {
				_, err = os.Stat(p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
