package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

const mib = 1 << 20

// stair is a list nested n levels by indentation, one item a line.
func stair(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- 项\n")
	}
	return b.String()
}

// stairOf is the deepest stair within size bytes.
func stairOf(size int) string {
	n := 0
	for total := 0; ; n++ {
		total += 2*n + len("- 项\n")
		if total > size {
			break
		}
	}
	return stair(n)
}

// The shapes of the security report, at full size and at the loader's
// 4 MiB limit, and text just within each limit. Each full-size shape took
// goldmark from 18 s to over 80 s.
func TestCheck(t *testing.T) {
	table := func(cols, rows int) string {
		return strings.Repeat("|列", cols) + "|\n" + strings.Repeat("|-", cols) + "|\n" + strings.Repeat("行\n", rows)
	}
	for _, tc := range []struct {
		name  string
		src   string
		limit Limit // 0: accepted
		line  int
		found int
	}{
		{"200 KB of >", strings.Repeat(">", 200_000), Depth, 1, 200_000},
		{"4 MiB of >", strings.Repeat(">", 4*mib), Depth, 1, 4 * mib},
		{"> after other lines", "# 标题\n\n正文\n" + strings.Repeat("> ", 101) + "引用", Depth, 4, 101},
		{"1 M bracket pairs", strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000), Brackets, 1, MaxDepth + 1},
		{"2 M bracket pairs (4 MiB)", strings.Repeat("[", 2*mib) + strings.Repeat("]", 2*mib), Brackets, 1, MaxDepth + 1},
		{"brackets over lines", "正文\n" + strings.Repeat("[\n", 101), Brackets, 102, MaxDepth + 1},
		{"1,400-level list", stair(1400), Depth, MaxDepth + 1, MaxDepth + 1},
		{"4 MiB list", stairOf(4 * mib), Depth, MaxDepth + 1, MaxDepth + 1},
		{"1,400 list markers on one line", strings.Repeat("- ", 1400) + "项", Depth, 1, 1400},
		{"list markers on one line, 4 MiB", strings.Repeat("- ", 2*mib-2) + "项", Depth, 1, 2*mib - 2},
		{"ordered lists on one line", strings.Repeat("1. ", 101) + "项", Depth, 1, 101},
		{"quotes and lists", strings.Repeat("> - ", 51), Depth, 1, 102},
		{"list continued by indentation", stair(60) + strings.Repeat(" ", 120) + strings.Repeat("> ", 50) + "项", Depth, 61, 110},
		{"indentation after a blank line", stair(60) + "\n" + strings.Repeat(" ", 120) + strings.Repeat("> ", 50) + "项", Depth, 62, 110},
		{"100,001 lines", strings.Repeat("行\n", MaxElements+1), Elements, MaxElements + 1, MaxElements + 1},
		{"marks", strings.Repeat("*", 200_000), Elements, 1, 200_001},
		{"padded table", table(1000, 100), Elements, 2, 1002*102 + 102},
		{"long paragraph full of marks", strings.Repeat("*强", 5000), Work, 1, 5000},
		{"unclosed link destinations", "正文\n\n" + strings.Repeat("[](", 5000), Work, 3, 10_000},
		{"code spans over many lines", strings.Repeat("`", 30) + "\n" + strings.Repeat("行\n", 60_000), Work, 1, 30},

		{"100 levels of >", strings.Repeat(">", 100), 0, 0, 0},
		{"100-level list", stair(100), 0, 0, 0},
		{"100 list markers", strings.Repeat("- ", 100) + "项", 0, 0, 0},
		{"100 open brackets", strings.Repeat("[", 100) + strings.Repeat("]", 100), 0, 0, 0},
		{"100 open brackets in each paragraph", strings.Repeat(strings.Repeat("[", 100)+"\n\n", 500), 0, 0, 0},
		{"escaped brackets", strings.Repeat(`\[`, 1000), 0, 0, 0},
		{"100,000 lines", strings.Repeat("行\n", MaxElements), 0, 0, 0},
		{"paragraph just within the work", strings.Repeat("*强", 4990), 0, 0, 0},
		{"the same in short paragraphs", strings.Repeat(strings.Repeat("*强", 100)+"\n\n", 400), 0, 0, 0},
		{"thematic breaks are not lists", strings.Repeat("- ", 5000) + "\n\n" + strings.Repeat("* ", 5000), 0, 0, 0},
		{"4 MiB of prose", strings.Repeat("本年度预算执行情况良好，各项工作有序推进。\n\n", 4*mib/66), 0, 0, 0},
		{"a byte order mark counts for nothing", bom + strings.Repeat(">", 100), 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, ok := Check(tc.src)
			if tc.limit == 0 {
				if !ok {
					t.Fatalf("refused: %+v", e)
				}
				if _, containers, links := astShape(New(3), tc.src); containers > MaxDepth || links > MaxDepth {
					t.Fatalf("goldmark nests %d containers, %d links", containers, links)
				}
				return
			}
			if ok || e.Limit != tc.limit || e.Line != tc.line || e.Found != tc.found {
				t.Fatalf("Check = %+v, %v; want limit %d at line %d, found %d", e, ok, tc.limit, tc.line, tc.found)
			}
		})
	}
}

// Real reports are far from the limits.
func TestCheckSeeds(t *testing.T) {
	files, err := filepath.Glob("../../content/*/*/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed sections: %v", err)
	}
	duties, _ := filepath.Glob("../../content/*/duties.md")
	for _, f := range append(files, duties...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s scanner
		if e, ok := s.run(string(b)); !ok {
			t.Errorf("%s: %+v", f, e)
		}
		if s.elements > MaxElements/100 || s.work > MaxWork/100 || s.carried > 3 {
			t.Errorf("%s: %d elements, work %d, depth %d: within a hundredth of a limit", f, s.elements, s.work, s.carried)
		}
	}
}

// What Check refuses never reaches goldmark: the renderer shows it as
// escaped paragraphs.
func TestRenderRefused(t *testing.T) {
	r := New(3)
	src := strings.Repeat(">", 101) + "\n<b>粗</b>\n\n\n第二段  文字\r\n"
	html, plain := r.Render(src)
	want := "<p>" + strings.Repeat("&gt;", 101) + "\n&lt;b&gt;粗&lt;/b&gt;</p>\n<p>第二段  文字</p>\n"
	if string(html) != want {
		t.Errorf("HTML = %q, want %q", html, want)
	}
	if want := strings.Repeat(">", 101) + " <b>粗</b> 第二段 文字"; plain != want {
		t.Errorf("plain = %q, want %q", plain, want)
	}
	if r.HTML(src) != html || r.Plain(src) != plain {
		t.Error("HTML and Plain differ from Render")
	}
	// One level less is Markdown.
	if got := r.HTML(strings.Repeat(">", 100) + " 引用"); !strings.HasPrefix(string(got), "<blockquote>") {
		t.Errorf("100 levels: %.80q", got)
	}
}

// A byte order mark, which Windows editors put at the start of a file,
// is not text: the first heading stays a heading.
func TestBOM(t *testing.T) {
	r := New(3)
	html, plain := r.Render(bom + "# 标题\n\n正文")
	if want := "<h3>标题</h3>\n<p>正文</p>\n"; string(html) != want {
		t.Errorf("HTML = %q, want %q", html, want)
	}
	if want := "标题 正文"; plain != want {
		t.Errorf("plain = %q, want %q", plain, want)
	}
	if got := r.Plain(bom + "正文"); got != "正文" {
		t.Errorf("Plain = %q", got)
	}
	if html, plain := r.Render(bom); html != "" || plain != "" {
		t.Errorf("a lone mark gives %q, %q", html, plain)
	}
}

// astShape measures what goldmark made of src: its nodes, and the deepest
// nesting of block quotes and list items, and of links and images.
func astShape(r *Renderer, src string) (nodes, containers, links int) {
	doc := r.md.Parser().Parse(text.NewReader([]byte(trimBOM(src))))
	c, l := 0, 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		d := 1
		if !entering {
			d = -1
		} else {
			nodes++
		}
		switch n.(type) {
		case *ast.Blockquote, *ast.ListItem:
			c += d
		case *ast.Link, *ast.Image:
			l += d
		}
		containers, links = max(containers, c), max(links, l)
		return ast.WalkContinue, nil
	})
	return nodes, containers, links
}

// FuzzNesting: Check's measures bound what goldmark makes of any text it
// accepts. goldmark's time is not measured (that would depend on the
// machine); what it builds is: no nesting beyond MaxDepth, and a number
// of nodes proportional to the elements Check counted. And Check finds
// the same excess however the text continues after it, so that the line
// it names is where the trouble is.
func FuzzNesting(f *testing.F) {
	for _, s := range []string{
		"普通段落", "> 引用\n> > 两层", "- 一\n  - 二\n    - 三", "1. 一\n   2. 二", "[链接](https://example.com)",
		"[[[a]]]", "![图](x)", "*强调* **加粗** ~~删~~ `代码`", "| a | b |\n|---|---|\n| 1 |", "|a|b|c|\n|-|-|-|\n1\n2\n",
		"- - - a", "* * *", ">>>>>>>>", "[](([](([](", "`a``b```c\nd\ne", "a**b_a**b_", "- a\nb\n      - c",
		"\ufeff# 标题", "a\r\n> b\r\n", "\t- a\n\t\t- b", "> - > - > -", "1) 2) 3) a",
	} {
		f.Add(s)
	}
	f.Add(strings.Repeat(">", MaxDepth+1))
	f.Add(strings.Repeat("- ", MaxDepth) + "a")
	f.Add(stair(MaxDepth))
	r := New(3)
	f.Fuzz(func(t *testing.T, src string) {
		var s scanner
		e, ok := s.run(trimBOM(src))
		if e2, ok2 := Check(src); e2 != e || ok2 != ok {
			t.Fatalf("Check is not deterministic: %+v %v, %+v %v", e, ok, e2, ok2)
		}
		if !ok {
			lines := strings.Count(src, "\n") + 1
			if e.Line < 1 || e.Line > lines || e.Found <= 0 {
				t.Fatalf("excess %+v outside the text's %d lines", e, lines)
			}
			// What follows does not move the first excess.
			e3, ok3 := Check(src + "\n\n" + strings.Repeat("[", MaxDepth+1))
			if ok3 || (e.Limit == Depth || e.Limit == Brackets) && e3 != e {
				t.Fatalf("with more text: %+v, before %+v", e3, e)
			}
			return
		}
		nodes, containers, links := astShape(r, src)
		if containers > MaxDepth {
			t.Fatalf("accepted with %d containers nested (limit %d)", containers, MaxDepth)
		}
		if links > MaxDepth {
			t.Fatalf("accepted with links nested %d deep", links)
		}
		// Every node comes from a line, a container, a mark or a table
		// cell: goldmark makes a few of each at most (a cell and its text;
		// a pair of marks, the node it opens and the text around it).
		if bound := 3*(s.elements+1) + 2; nodes > bound {
			t.Fatalf("accepted with %d nodes for %d elements", nodes, s.elements)
		}
	})
}

// Tables are elements too: each row is padded to the header's width.
func TestTableCells(t *testing.T) {
	r := New(3)
	src := "|a|b|c|\n|-|-|-|\n1\n2\n"
	nodes, _, _ := astShape(r, src)
	var s scanner
	s.run(src)
	cells := 0
	doc := r.md.Parser().Parse(text.NewReader([]byte(src)))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if _, ok := n.(*extast.TableCell); ok && entering {
			cells++
		}
		return ast.WalkContinue, nil
	})
	if cells != 9 || s.elements < cells || nodes > 3*s.elements {
		t.Errorf("%d cells, %d nodes, %d elements", cells, nodes, s.elements)
	}
}
