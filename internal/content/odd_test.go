package content_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/content"
	"disclose/internal/diag"
)

const oddReport = "year: 2023\ntitle: 测试报告\nsource:\n  title: 测试来源\n"

// Inputs that editors and mistakes produce: each gets a diagnostic in
// Chinese at a line, or loads as the writer meant.
func TestOddInputs(t *testing.T) {
	for _, tc := range []struct {
		name    string
		report  string
		summary string
		rule    diag.Rule // "" for no error
		line    int
		text    string // the Chinese message holds this
	}{
		{name: "only comments", report: "# yaml-language-server: $schema=../_schema/report.schema.json\n# 待填写\n", rule: diag.FileEmpty, text: "文件是空的"},
		{name: "a byte-order mark and comments", report: "\ufeff# 待填写\n", rule: diag.FileEmpty},
		{name: "only a document marker", report: "---\n", rule: diag.FileEmpty},
		{name: "flow nesting past the parser's limit", report: "year: 2023\ntitle: t\nx: " + strings.Repeat("[", 10050) + strings.Repeat("]", 10050) + "\n", rule: diag.YAMLSyntax, line: 3, text: "嵌套的层数太多"},
		{name: "flow nesting past the limit on line 1", report: "x: " + strings.Repeat("{a: ", 10050) + "\n", rule: diag.YAMLSyntax, line: 1, text: "嵌套的层数太多"},
		{name: "block nesting past the limit", report: "year: 2023\nx:\n" + strings.Repeat("- ", 10050) + "a\n", rule: diag.YAMLSyntax, line: 2, text: "嵌套的层数太多"},
		{name: "a byte-order mark before a Markdown heading", report: oddReport, summary: "\ufeff# 标题\n\n正文\n"},
		{name: "a Markdown file of only a byte-order mark", report: oddReport, summary: "\ufeff\n", rule: diag.FileEmpty},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"site.yaml":         {Data: []byte("title: t\n")},
				"d/department.yaml": {Data: []byte("name: 甲\nlevel: 县级\nregion: [湖南省]\n")},
				"d/2023.yaml":       {Data: []byte(tc.report)},
			}
			if tc.summary != "" {
				fsys["d/2023/summary.md"] = &fstest.MapFile{Data: []byte(tc.summary)}
			}
			site, ds := content.Load(fsys, "c")
			var errs []diag.Diagnostic
			for _, d := range ds {
				if d.Severity == diag.Error {
					errs = append(errs, d)
				}
			}
			if tc.rule == "" {
				if len(errs) > 0 {
					t.Fatalf("errors: %v", errs)
				}
				got := site.Departments[0].Reports[0].Narrative.Summary
				if strings.HasPrefix(got, "\ufeff") || !strings.HasPrefix(got, "# 标题") {
					t.Errorf("summary = %q: the byte-order mark was kept", got)
				}
				return
			}
			if len(errs) != 1 || errs[0].Rule != tc.rule {
				t.Fatalf("got %v, want one %s", errs, tc.rule)
			}
			d := errs[0]
			if d.Pos.Line != tc.line {
				t.Errorf("line %d, want %d", d.Pos.Line, tc.line)
			}
			msg := d.Message(diag.Zh)
			if !strings.Contains(msg, tc.text) || strings.Contains(msg, "EOF") || strings.HasPrefix(strings.TrimPrefix(msg, "不是有效的 YAML："), "yaml:") {
				t.Errorf("message %q", msg)
			}
		})
	}
}
