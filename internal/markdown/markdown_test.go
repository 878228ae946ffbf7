package markdown

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestHTML(t *testing.T) {
	r := New(3)
	for _, tc := range []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"raw HTML is dropped", "段落<script>alert(1)</script>\n\n<div onclick=\"x()\">块</div>", []string{"<p>段落"}, []string{"<script", "onclick", "<div"}},
		{"headings nest under the section", "# 一级\n\n## 二级\n\n###### 六级", []string{"<h3>一级</h3>", "<h4>二级</h4>", "<h6>六级</h6>"}, []string{"<h1", "<h2"}},
		{"tables", "| 项目 | 金额 |\n|---|---|\n| 甲 | 1.5 |", []string{"<table>", "<td>1.5</td>"}, nil},
		{"javascript links are neutralised", "[点我](javascript:alert(1))", []string{"<a href=\"\">"}, []string{"javascript:"}},
		{"the highest heading becomes the top", "### 三级\n\n#### 四级", []string{"<h3>三级</h3>", "<h4>四级</h4>"}, []string{"<h5"}},
		{"empty", "", nil, []string{"<p>"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := string(r.HTML(tc.src))
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("HTML(%q) = %q, want %q", tc.src, got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("HTML(%q) = %q, must not contain %q", tc.src, got, n)
				}
			}
		})
	}
}

func TestPlain(t *testing.T) {
	got := New(3).Plain("# 标题\n\n第一段**加粗**文字，\n续行。\n\n- 列表项")
	want := "标题 第一段加粗文字， 续行。 列表项"
	if got != want {
		t.Errorf("Plain = %q, want %q", got, want)
	}
}

// FuzzHTML: whatever an office writes, the output carries no markup that
// could run script or escape the page's layout, and rendering never fails.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{
		"普通段落", "# 标题\n\n正文", "<script>alert(1)</script>", "[x](javascript:alert(1))",
		"<img src=x onerror=alert(1)>", "| a | b |\n|---|---|\n| 1 | 2 |", "```\n<script>\n```", "<!-- c -->",
		"![图](data:text/html,<script>)", "<a href=\"http://x\" onclick=\"y\">z</a>", "~~删~~ **粗** _斜_",
	} {
		f.Add(s)
	}
	r := New(3)
	f.Fuzz(func(t *testing.T, src string) {
		out := string(r.HTML(src))
		doc, err := html.Parse(strings.NewReader(out))
		if err != nil {
			t.Fatal(err)
		}
		var check func(*html.Node)
		check = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "iframe", "object", "embed", "style", "form", "input", "base", "meta", "link":
					t.Fatalf("HTML(%q) has <%s>:\n%s", src, n.Data, out)
				}
				for _, a := range n.Attr {
					v := strings.ToLower(strings.TrimSpace(a.Val))
					if strings.HasPrefix(a.Key, "on") || a.Key == "style" ||
						((a.Key == "href" || a.Key == "src") && (strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "vbscript:") || strings.HasPrefix(v, "data:text"))) {
						t.Fatalf("HTML(%q) has %s=%q:\n%s", src, a.Key, a.Val, out)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				check(c)
			}
		}
		check(doc)
		if h, p := r.Render(src); h != r.HTML(src) || p != r.Plain(src) {
			t.Fatalf("Render(%q) differs from HTML and Plain", src)
		}
	})
}

// A single tilde is a range in Chinese text, never a strikethrough; "~~"
// still strikes through.
func TestTildeRanges(t *testing.T) {
	r := New(3)
	for in, want := range map[string]string{
		"1~3月完成60%，4~6月完成80%。": "<p>1~3月完成60%，4~6月完成80%。</p>\n",
		"~a~":                  "<p>~a~</p>\n",
		"~~删除~~保留":             "<p><del>删除</del>保留</p>\n",
		"3~~~5":                "<p>3~~~5</p>\n",
	} {
		if got := string(r.HTML(in)); got != want {
			t.Errorf("HTML(%q) = %q, want %q", in, got, want)
		}
	}
}
