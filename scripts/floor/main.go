// Command floor is the floor of the side-by-side benchmark
// (scripts/bench-compare.sh): about the least work any generator must do to
// turn a content tree into a site of a given size. It decodes every YAML
// file of the tree with yaml.v3 into generic values, executes one
// html/template per output file (the page shows a decoded document's
// scalars as a table, repeated until the page reaches its share of the
// bytes),
// and writes exactly --files files holding --bytes bytes in all: the counts
// disclose's own build wrote. It checks nothing, computes no figure, renders
// no Markdown and draws no chart; the gap between it and disclose is what
// those cost.
//
// It uses every core (GOMAXPROCS workers for decoding and for pages) and
// imports nothing of the project.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"
	"gopkg.in/yaml.v3"
)

func main() {
	content := flag.String("content", "content", "the content tree whose YAML files are decoded")
	out := flag.String("out", "", "the directory to write (must not exist or be empty)")
	files := flag.Int("files", 0, "how many files to write")
	size := flag.Int64("bytes", 0, "how many bytes to write in all")
	flag.Parse()
	if *out == "" || *files <= 0 || *size < int64(*files) {
		fmt.Fprintln(os.Stderr, "floor: --out, --files > 0 and --bytes >= --files are required")
		os.Exit(2)
	}
	docs, err := decodeAll(*content)
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	if err := writeAll(*out, docs, *files, *size); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "floor: %d YAML files decoded; %d files, %d bytes written to %s\n", len(docs), *files, *size, *out)
}

// doc is one decoded YAML file.
type doc struct {
	path  string
	title string
	rows  []row
	size  int // bytes of one rendering of rows
}

// each runs f(0) … f(n-1) on GOMAXPROCS goroutines and returns the first
// error.
func each(n int, f func(i int) error) error {
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i := range n {
		g.Go(func() error { return f(i) })
	}
	return g.Wait()
}

// decodeAll decodes every .yaml file under root, in path order.
func decodeAll(root string) ([]*doc, error) {
	var paths []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".yaml") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no YAML files under %s", root)
	}
	sort.Strings(paths)
	docs := make([]*doc, len(paths))
	err = each(len(paths), func(i int) error {
		data, err := os.ReadFile(paths[i])
		if err != nil {
			return err
		}
		var v any
		if err := yaml.Unmarshal(data, &v); err != nil {
			return fmt.Errorf("%s: %w", paths[i], err)
		}
		d := &doc{path: paths[i], title: paths[i], rows: flatten(nil, "", v)}
		if m, ok := v.(map[string]any); ok {
			for _, k := range []string{"title", "name"} {
				if s, ok := m[k].(string); ok {
					d.title = s
					break
				}
			}
		}
		var one, none countWriter
		if err := page.Execute(&one, pageData{Rows: d.rows, Reps: make([]struct{}, 1)}); err != nil {
			return fmt.Errorf("%s: %w", paths[i], err)
		}
		if err := page.Execute(&none, pageData{}); err != nil {
			return err
		}
		d.size = max(int(one-none), 1)
		docs[i] = d
		return nil
	})
	return docs, err
}

// pageData is what the page template shows.
type pageData struct {
	Title string
	Rows  []row
	Reps  []struct{}
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// page renders a decoded document's rows as a table, Reps times over.
var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><main>{{range .Reps}}<table>{{range $.Rows}}<tr><th>{{.Key}}</th><td>{{.Value}}</td></tr>{{end}}</table>{{end}}`))

// row is one scalar of a decoded document and where it sits.
type row struct{ Key, Value string }

// flatten appends the scalars of v under prefix, maps in key order.
func flatten(rows []row, prefix string, v any) []row {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			rows = flatten(rows, prefix+"."+k, v[k])
		}
	case []any:
		for i, e := range v {
			rows = flatten(rows, fmt.Sprintf("%s[%d]", prefix, i), e)
		}
	default:
		rows = append(rows, row{prefix, fmt.Sprint(v)})
	}
	return rows
}

const tail = "</main></body></html>\n"

// writeAll writes files pages of size/files bytes each (the first
// size%files one byte more) into out/NNN/NNNNNN.html, page i showing
// docs[i % len(docs)].
func writeAll(out string, docs []*doc, files int, size int64) error {
	const perDir = 1000
	for d := 0; d*perDir < files; d++ {
		if err := os.MkdirAll(filepath.Join(out, fmt.Sprintf("%03d", d)), 0o755); err != nil {
			return err
		}
	}
	var empty countWriter
	if err := page.Execute(&empty, pageData{}); err != nil {
		return err
	}
	overhead := int64(empty) + int64(len(tail))
	base, extra := size/int64(files), size%int64(files)
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	return each(files, func(i int) error {
		want := base
		if int64(i) < extra {
			want++
		}
		d := docs[i%len(docs)]
		reps := max((want-overhead+int64(d.size)-1)/int64(d.size), 1)
		b := bufs.Get().(*bytes.Buffer)
		defer bufs.Put(b)
		b.Reset()
		if err := page.Execute(b, pageData{d.title, d.rows, make([]struct{}, reps)}); err != nil {
			return fmt.Errorf("%s: %w", d.path, err)
		}
		data := fit(b.Bytes(), int(want))
		return os.WriteFile(filepath.Join(out, fmt.Sprintf("%03d", i/perDir), fmt.Sprintf("%06d.html", i)), data, 0o644)
	})
}

// fit returns b cut or padded to exactly n bytes, ending with tail when
// there is room: the template renders whole documents, so the last one is
// cut at a character boundary.
func fit(b []byte, n int) []byte {
	if len(b)+len(tail) <= n {
		b = append(b, tail...)
		return append(b, bytes.Repeat([]byte{'\n'}, n-len(b))...)
	}
	if n < len(tail) {
		return b[:n]
	}
	cut := n - len(tail)
	for cut > 0 && !utf8.RuneStart(b[cut]) {
		cut--
	}
	b = append(b[:cut], tail...)
	return append(b, bytes.Repeat([]byte{'\n'}, n-len(b))...)
}
