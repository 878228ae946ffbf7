package check_test

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/diag"
)

// The messages say, in words a finance officer can act on, what is wrong
// and where within a text written in YAML.
func TestMarkdownMessages(t *testing.T) {
	fsys := fstest.MapFS{
		"site.yaml":         {Data: []byte("title: 测试站点\n")},
		"a/department.yaml": {Data: []byte("name: 甲局\nlevel: 县级\nregion: [湖南省, 某市, 某区]\n")},
	}
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
