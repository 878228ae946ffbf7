package content_test

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/build"
	"disclose/internal/content"
	"disclose/internal/diag"
)

// FuzzLoad feeds arbitrary bytes as a report file (and as a department
// file) through the loader and the checker: whatever the input, they must
// not panic, must locate every diagnostic inside the file it names, and
// must give the same answer twice.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		"year: 2023\ntitle: t\nsource: {title: s}\n",
		"year: 2023\ntitle: t\nsource: {title: s}\nfunds:\n  - source: 一般公共预算\n    expenditure: 10\n    basic: {amount: 3, items: [{name: a, amount: 1}]}\n    project: {amount: 7, of_which: [{name: b, amount: 8}]}\n",
		"year: 2023\ntitle: t\nsource: {title: s}\nscore: {total: 97.35, parts: [{name: a, weight: 30, score: 31}]}\n",
		"year: 2023\ntitle: t\nsource: {title: s}\nfunds:\n  - source: 财政拨款\n    expenditure: {published: 3229.37元, corrected: 3229.37, reason: r}\n    execution_rate: \"84.69%\"\n    budget: 11,605.29\n",
		"year: 2023\nindicators:\n  - name: 产出\n    items:\n      - name: 数量\n        items: [{name: x, target: \"≥90%\", actual: 95%, weight: 5, score: 5}]\n",
		"a: &x [1]\nb: *x\n",
		"- 1\n- 2\n",
		"\t\t",
		"year: [",
		"{",
		"year: 2023\n---\nyear: 2024\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), []byte("name: 甲\nlevel: 县级\nregion: [湖南省]\n"))
	}
	f.Fuzz(func(t *testing.T, report, dept []byte) {
		fsys := fstest.MapFS{
			"site.yaml":         {Data: []byte("title: t\n")},
			"d/department.yaml": {Data: dept},
			"d/2023.yaml":       {Data: report},
			"d/2023/summary.md": {Data: []byte("# x\n")},
		}
		run := func() []diag.Diagnostic {
			_, ds := build.LoadFS(fsys, "c")
			return ds
		}
		first := run()
		lines := map[string]int{
			"c/d/2023.yaml":       lineCount(report),
			"c/d/department.yaml": lineCount(dept),
		}
		for _, d := range first {
			if !d.Rule.Known() {
				t.Fatalf("unknown rule %q", d.Rule)
			}
			if n, ok := lines[d.Pos.File]; ok && d.Pos.Line > n+1 {
				t.Fatalf("%s points past the end of a %d-line file", d.Location(), n)
			}
			if d.Message(diag.Zh) == "" {
				t.Fatalf("empty message for %s", d.Rule)
			}
		}
		second := run()
		diag.Sort(first)
		diag.Sort(second)
		if len(first) != len(second) {
			t.Fatalf("non-deterministic: %d then %d diagnostics", len(first), len(second))
		}
	})
}

// lineCount counts lines as YAML does: "\r\n", "\r" and "\n" each end one.
func lineCount(b []byte) int {
	b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
	return bytes.Count(b, []byte("\n")) + bytes.Count(b, []byte("\r")) + 1
}

// FuzzLoadEncodings feeds a report and a Markdown section through the
// loader behind the prefixes editors write (a UTF-8 or UTF-16 byte-order
// mark, comment lines, a document marker): the loader must give every
// problem in words and at a line where the parser can tell one, and
// must hand on Markdown without the byte-order mark.
func FuzzLoadEncodings(f *testing.F) {
	for _, s := range []string{"", "# 只有注释\n", "year: 2023\ntitle: t\nsource: {title: s}\n", "x: [[[[", "---\n", "\x00\x01", "year: 2023\n\tx: 1\n"} {
		f.Add(uint8(0), []byte(s), []byte("# 标题\n正文\n"))
		f.Add(uint8(1), []byte(s), []byte("> > > 引用\n"))
	}
	prefixes := []string{"", "\ufeff", "\xff\xfe", "\xfe\xff", "# yaml-language-server: $schema=../_schema/report.schema.json\n", "---\n", "\ufeff# 注释\n"}
	f.Fuzz(func(t *testing.T, prefix uint8, report, section []byte) {
		pre := prefixes[int(prefix)%len(prefixes)]
		report = append([]byte(pre), report...)
		section = append([]byte(pre), section...)
		fsys := fstest.MapFS{
			"site.yaml":         {Data: []byte("title: t\n")},
			"d/department.yaml": {Data: []byte("name: 甲\nlevel: 县级\nregion: [湖南省]\n")},
			"d/2023.yaml":       {Data: report},
			"d/2023/summary.md": {Data: section},
		}
		site, ds := content.Load(fsys, "c")
		for _, d := range ds {
			msg := d.Message(diag.Zh)
			if d.Rule == diag.YAMLSyntax {
				if strings.HasSuffix(msg, "EOF") || strings.HasPrefix(strings.TrimPrefix(msg, "不是有效的 YAML："), "yaml: exceeded") {
					t.Fatalf("unexplained message %q", msg)
				}
				if d.Pos.Line == 0 && !strings.Contains(msg, "UTF") && !strings.Contains(msg, "control") && !strings.Contains(msg, "Unicode") {
					t.Fatalf("no line for %q", msg)
				}
			}
		}
		for _, d := range site.Departments {
			for _, r := range d.Reports {
				if strings.HasPrefix(r.Narrative.Summary, "\ufeff") {
					t.Fatalf("summary keeps its byte-order mark: %q", r.Narrative.Summary)
				}
			}
		}
	})
}
