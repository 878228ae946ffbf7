// Command hugocontent turns a disclose content tree into the content of the
// Hugo site in scripts/hugo, for the side-by-side benchmark
// (scripts/bench-compare.sh). Its run is not timed: only Hugo's build is.
//
// Each report becomes one page whose YAML front matter is the report's YAML
// (under "report", so that its keys never collide with Hugo's own) and whose
// body is its narrative Markdown, one "##" heading per section; each
// department becomes a section (reports/DEPT/_index.md) so that its page
// lists its reports without a search over the whole site; each year gets a
// comparison page. Scalars are copied as yaml.Node values, so Hugo parses
// the same literals disclose does (amounts such as 31.1301 stay as written).
//
// It imports only internal/model, for the narrative sections' order and
// titles, so that the Hugo pages show the sections disclose shows.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"disclose/internal/model"
)

func main() {
	content := flag.String("content", "content", "the disclose content tree to convert")
	out := flag.String("out", "", "the Hugo content directory to write (replaced)")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "hugocontent: --out is required")
		os.Exit(2)
	}
	n, err := convert(*content, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hugocontent:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "hugocontent: %d reports from %s into %s\n", n, *content, *out)
}

// convert writes the Hugo content for the tree at src into dst and returns
// the number of reports.
func convert(src, dst string) (int, error) {
	if err := os.RemoveAll(dst); err != nil {
		return 0, err
	}
	siteNode, err := readYAML(filepath.Join(src, "site.yaml"))
	if err != nil {
		return 0, err
	}
	title := scalar(siteNode, "title")
	if err := writePage(filepath.Join(dst, "_index.md"), []kv{
		{"title", str(title)},
		{"site", siteNode},
	}, ""); err != nil {
		return 0, err
	}
	if err := writePage(filepath.Join(dst, "reports", "_index.md"), []kv{{"title", str("部门")}}, ""); err != nil {
		return 0, err
	}

	entries, err := os.ReadDir(src)
	if err != nil {
		return 0, err
	}
	years := map[int]bool{}
	reports := 0
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		n, err := convertDepartment(filepath.Join(src, e.Name()), filepath.Join(dst, "reports", e.Name()), years)
		if err != nil {
			return 0, err
		}
		reports += n
	}
	if reports == 0 {
		return 0, fmt.Errorf("no reports under %s", src)
	}
	for y := range years {
		p := filepath.Join(dst, "compare", strconv.Itoa(y)+".md")
		if err := writePage(p, []kv{
			{"title", str(fmt.Sprintf("%d年度各部门比较", y))},
			{"layout", str("compare")},
			{"year", num(y)},
		}, ""); err != nil {
			return 0, err
		}
	}
	return reports, nil
}

// convertDepartment writes one department's section and its reports, adding
// their years to years.
func convertDepartment(src, dst string, years map[int]bool) (int, error) {
	dept, err := readYAML(filepath.Join(src, "department.yaml"))
	if err != nil {
		return 0, err
	}
	name := scalar(dept, "name")
	duties, err := readOptional(filepath.Join(src, "duties.md"))
	if err != nil {
		return 0, err
	}
	if err := writePage(filepath.Join(dst, "_index.md"), []kv{
		{"title", str(name)},
		{"dept", dept},
	}, duties); err != nil {
		return 0, err
	}
	files, err := filepath.Glob(filepath.Join(src, "[0-9][0-9][0-9][0-9].yaml"))
	if err != nil {
		return 0, err
	}
	sort.Strings(files)
	for _, f := range files {
		year, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(f), ".yaml"))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		years[year] = true
		report, err := readYAML(f)
		if err != nil {
			return 0, err
		}
		body, err := narrative(report, filepath.Join(src, strconv.Itoa(year)))
		if err != nil {
			return 0, fmt.Errorf("%s: %w", f, err)
		}
		if err := writePage(filepath.Join(dst, strconv.Itoa(year)+".md"), []kv{
			{"title", str(scalar(report, "title"))},
			{"weight", num(year)},
			{"dept_name", str(name)},
			{"dept_short", str(scalar(dept, "short_name"))},
			{"report", report},
		}, body); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}

// narrative removes the report's inline narrative from its mapping and
// returns the Markdown body: every section, inline or in DIR/KEY.md, in
// disclose's reading order under its title.
func narrative(report *yaml.Node, dir string) (string, error) {
	inline := map[string]string{}
	for i := 0; i+1 < len(report.Content); i += 2 {
		if report.Content[i].Value != "narrative" {
			continue
		}
		sec := report.Content[i+1]
		for j := 0; j+1 < len(sec.Content); j += 2 {
			inline[sec.Content[j].Value] = sec.Content[j+1].Value
		}
		report.Content = append(report.Content[:i], report.Content[i+2:]...)
		break
	}
	var b strings.Builder
	for _, st := range model.SectionTitles {
		md, err := readOptional(filepath.Join(dir, st.Key+".md"))
		if err != nil {
			return "", err
		}
		if md == "" {
			md = inline[st.Key]
		}
		if strings.TrimSpace(md) == "" {
			continue
		}
		fmt.Fprintf(&b, "## %s {#h-sec-%s}\n\n%s\n\n", st.Title, st.Key, strings.TrimSpace(md))
	}
	return b.String(), nil
}

// kv is one front matter key and its value, kept in order.
type kv struct {
	key string
	val *yaml.Node
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
func num(n int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(n)}
}

// writePage writes a Markdown page with YAML front matter.
func writePage(path string, front []kv, body string) error {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, f := range front {
		m.Content = append(m.Content, str(f.key), f.val)
	}
	var b bytes.Buffer
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	b.WriteString("---\n\n")
	b.WriteString(body)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// readYAML returns the top-level mapping of a YAML file, without the
// comments (the schema line would otherwise land inside the front matter).
func readYAML(path string) (*yaml.Node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a YAML mapping", path)
	}
	m := doc.Content[0]
	stripComments(m)
	return m, nil
}

func stripComments(n *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = "", "", ""
	for _, c := range n.Content {
		stripComments(c)
	}
}

// scalar returns the value of key in mapping m, or "".
func scalar(m *yaml.Node, key string) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1].Value
		}
	}
	return ""
}

// readOptional returns a file's text, or "" when it does not exist.
func readOptional(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	return string(data), err
}
