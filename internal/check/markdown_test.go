package check_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// The preview rechecks after each save through the cache: Markdown beyond
// the renderer's limits is an error there as soon as it is saved, at its
// line, and gone once fixed, whichever limit it breaks.
func TestMarkdownLimitsInCache(t *testing.T) {
	fsys, _ := mapCacheFS(t)
	fsys["a/2023/summary.md"] = &fstest.MapFile{Data: []byte("# 综述\n\n正文\n")}
	set := func(p, s string) func(*testing.T) {
		return func(*testing.T) { fsys[p] = &fstest.MapFile{Data: []byte(s)} }
	}
	at := func(loc string) func(*model.Site, []diag.Diagnostic) string {
		return func(_ *model.Site, ds []diag.Diagnostic) string {
			var got []string
			for _, d := range ds {
				if d.Rule == diag.MarkdownNesting {
					if d.Severity != diag.Error {
						return "not an error: " + d.Location()
					}
					got = append(got, d.Location())
				}
			}
			if want := strings.Fields(loc); !slices.Equal(got, want) {
				return fmt.Sprintf("%s at %q, want %q", diag.MarkdownNesting, got, want)
			}
			return ""
		}
	}
	table := strings.Repeat("|列", 1000) + "|\n" + strings.Repeat("|-", 1000) + "|\n" + strings.Repeat("行\n", 100)
	runCacheSteps(t, fsys, []cacheStep{
		{name: "first load", full: true, want: at("")},
		{
			name: "200 KB of > on line 3", edit: set("a/2023/summary.md", "# 综述\n\n"+strings.Repeat(">", 200_000)+"\n"),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:3:1"),
		},
		{
			name: "1 M bracket pairs", edit: set("a/2023/summary.md", "# 综述\n\n"+strings.Repeat("[", 1_000_000)+strings.Repeat("]", 1_000_000)),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:3:1"),
		},
		{
			name: "1,400-level list in the duties", edit: set("b/duties.md", stair(1400)),
			changed: []string{"b/duties.md"}, reread: []string{"b"},
			want: at("content/a/2023/summary.md:3:1 content/b/duties.md:101:1"),
		},
		{
			name: "fixed", edit: func(t *testing.T) {
				set("a/2023/summary.md", "# 综述\n\n正文\n")(t)
				set("b/duties.md", stair(3))(t)
			},
			changed: []string{"a/2023/summary.md", "b/duties.md"}, reread: []string{"a", "b"},
			want: at(""),
		},
		{
			name: "a table padded to 1,000 columns", edit: set("a/2023/summary.md", "# 综述\n\n"+table),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:4:1"),
		},
		{
			name: "a long paragraph full of marks", edit: set("a/2023/summary.md", "# 综述\n\n正文\n"+strings.Repeat("*强", 5000)),
			changed: []string{"a/2023/summary.md"}, reread: []string{"a"},
			want: at("content/a/2023/summary.md:3:1"),
		},
		{
			name: "in the site's footer", edit: set("site.yaml", "title: 测试站点\nfooter: |\n  页脚\n  "+strings.Repeat("- ", 101)+"项\n"),
			changed: []string{"site.yaml"},
			want:    at("content/a/2023/summary.md:3:1 content/site.yaml:1:1"),
		},
		{
			name: "all fixed", edit: func(t *testing.T) {
				set("a/2023/summary.md", "# 综述\n\n正文\n")(t)
				set("site.yaml", "title: 测试站点\nfooter: 页脚\n")(t)
			},
			changed: []string{"a/2023/summary.md", "site.yaml"}, reread: []string{"a"},
			want: at(""),
		},
	})
}

func stair(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- 项\n")
	}
	return b.String()
}

// The messages say, in words a finance officer can act on, what is wrong
// and where within a text written in YAML.
func TestMarkdownMessages(t *testing.T) {
	fsys, _ := mapCacheFS(t)
	fsys["a/2023.yaml"] = &fstest.MapFile{Data: []byte("year: 2023\ntitle: 报告\nsource:\n  title: 来源\nnarrative:\n  summary: |\n    综述\n    " + strings.Repeat("[", 101) + "\n")}
	ds := run(fsys)
	i := slices.IndexFunc(ds, func(d diag.Diagnostic) bool { return d.Rule == diag.MarkdownNesting })
	if i < 0 {
		t.Fatalf("no %s: %s", diag.MarkdownNesting, render(ds))
	}
	d := ds[i]
	for _, want := range []struct{ got, want string }{
		{d.Location(), "content/a/2023.yaml:6:3"},
		{d.Message(diag.Zh), "文字部分“评价报告综述”（summary）第 2 行：同一段中未配对的方括号“[”超过 100 个，网站无法生成这段文字"},
		{d.Message(diag.En), "narrative summary, line 2: more than 100 brackets \"[\" are open at once in one paragraph; the site cannot render this text"},
		{d.Hint(diag.Zh), "方括号在 Markdown 里用来写链接。检查是否误粘贴了一串 [ 并删去；正文中的方括号可改用全角【】或［］。"},
	} {
		if want.got != want.want {
			t.Errorf("got %q, want %q", want.got, want.want)
		}
	}
}
