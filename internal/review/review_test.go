package review

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// draftYAML is a draft as disclose import writes it: the provenance beside
// each value, its line recorded in the sidecar.
const draftYAML = `# 由 disclose import 从“报告.docx”生成的草稿（SHA-256 c9d6e5c8c4e0…）。
# 每个数字旁的注释给出它在原文中的位置；请逐项核对后删去本行。
# 未能归位的数字列在文件末尾。

year: 2023
title: 某某县民政局2023年度部门整体支出绩效自评报告
funds:
  - source: 一般公共预算
    expenditure: 1190.27 # 原文第 4 行：“支出1,190.27万元”
    basic:
      items:
        - name: 工资福利支出
          amount: 800.5 # 原文表 2 第 3 行：“工资福利支出 800.50”
three_public:
  total:
    actual: 12.3 # 原文第 5 行：“三公经费支出共计12.3万元”
`

const sidecar = `{
  "report": "test-dept/2023.yaml",
  "source": "报告.docx",
  "source_sha256": "c9d6e5c8c4e046ab7c6ced7b3bc1cfa0364c8bcc419e12e20c325c045d920387",
  "values": [
    {"path": "funds[一般公共预算].expenditure", "line": 9, "value": "1190.27", "where": "第 4 行", "quote": "2023年一般公共预算收入1,190.27万元，支出1,190.27万元"},
    {"path": "funds[一般公共预算].basic.items[工资福利支出].amount", "line": 13, "value": "800.5", "where": "表 2 第 3 行", "quote": "工资福利支出 800.50"},
    {"path": "three_public.total.actual", "line": 16, "value": "12.3", "where": "第 5 行", "quote": "三公经费<b>支出</b>共计12.3万元"}
  ],
  "unplaced": [
    {"where": "第 6 行", "quote": "另有其他收入33万元", "why": "没有找到它在报告中的位置"}
  ]
}
`

// content writes a content directory with the sidecar of test-dept/2023
// and the report as given ("" leaves the report out).
func content(t *testing.T, sc, yaml string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("_imports/test-dept/2023.json", sc)
	if yaml != "" {
		write("test-dept/2023.yaml", yaml)
	}
	write("_imports/test-dept/notes.txt", "not a sidecar")
	write("_imports/Bad_Dept/2023.json", sidecar)
	write("../outside/secret.txt", "secret")
	return dir
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	// Send the path as written: the client would clean "..".
	req.URL.Opaque = strings.TrimPrefix(url, "http://"+req.URL.Host)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestPage(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sidecar   string
		yaml      string
		want      []string
		wantNot   []string
		wantModif int // rows marked 已修改
	}{
		{
			name:    "unchanged",
			sidecar: sidecar, yaml: draftYAML,
			want: []string{
				`lang="zh-CN"`, "<caption>", `<th scope="col">报告位置</th>`,
				"<code>test-dept/2023.yaml:9</code>", "<code>test-dept/2023.yaml:13</code>", "<code>test-dept/2023.yaml:16</code>",
				"一般公共预算 › 支出", "一般公共预算 › 基本支出 › 工资福利支出 › 金额",
				"<strong>1190.27</strong>",
				// The last of the two equal figures, as printed.
				"收入1,190.27万元，支出<mark>1,190.27</mark>万元",
				"工资福利支出 <mark>800.50</mark>",
				// The quote is text, not markup.
				"三公经费&lt;b&gt;支出&lt;/b&gt;共计<mark>12.3</mark>万元",
				"另有其他收入33万元", "没有找到它在报告中的位置",
				"content/_imports/test-dept/2023.json", "content/test-dept/2023.yaml",
				"报告.docx", "c9d6e5c8c4e0…",
			},
			wantNot: []string{"<b>支出</b>", "找不到</span>"},
		},
		{
			name:    "edited",
			sidecar: sidecar, yaml: strings.Replace(draftYAML, "amount: 800.5", "amount: 850.5", 1),
			want:      []string{`<tr class="changed">`, "已修改", "现在：<strong>850.5</strong>", "导入时：800.5", "其中 1 个已修改"},
			wantModif: 1,
		},
		{
			name:    "header deleted: the values moved, not changed",
			sidecar: sidecar, yaml: strings.Replace(draftYAML, "# 每个数字旁的注释给出它在原文中的位置；请逐项核对后删去本行。\n", "", 1),
			want: []string{"<code>test-dept/2023.yaml:15</code>", "（导入时在第 16 行）", "<strong>12.3</strong>"},
		},
		{
			name:    "renamed item: found at its line",
			sidecar: sidecar, yaml: strings.Replace(draftYAML, "name: 工资福利支出", "name: 工资福利支出合计", 1),
			want:    []string{"<code>test-dept/2023.yaml:13</code>", "<strong>800.5</strong>"},
			wantNot: []string{"找不到</span>"},
		},
		{
			name:    "line gone",
			sidecar: sidecar, yaml: strings.Replace(draftYAML, "  total:\n    actual: 12.3 # 原文第 5 行：“三公经费支出共计12.3万元”\n", "  total: {}\n", 1),
			want: []string{`<tr class="missing">`, "找不到</span>", "导入时：12.3", "1 个在报告中找不到", "<code>test-dept/2023.yaml:16</code>"},
		},
		{
			name:    "report deleted",
			sidecar: sidecar, yaml: "",
			want: []string{"content/test-dept/2023.yaml 不存在", "导入时：800.5", "现在的值暂时无法读取"},
		},
		{
			name:    "report broken",
			sidecar: sidecar, yaml: "year: [2023\n",
			want: []string{"现在有格式错误", "导入时：12.3"},
		},
		{
			name:    "malformed sidecar",
			sidecar: `{"report": "test-dept/2023.yaml", "values": [{"line": "九"}`, yaml: draftYAML,
			want:    []string{"无法显示这份导入记录", "content/_imports/test-dept/2023.json 的格式有误"},
			wantNot: []string{"<table>"},
		},
		{
			name:    "sidecar of the wrong type",
			sidecar: `{"values": [{"path": "year", "line": "九"}]}`, yaml: draftYAML,
			want: []string{"格式有误"},
		},
		{
			name:    "report outside the content",
			sidecar: `{"report": "../outside/secret.txt"}`, yaml: draftYAML,
			want:    []string{"报告文件名 &#34;../outside/secret.txt&#34; 不对"},
			wantNot: []string{"secret</"},
		},
		{
			name:    "nothing imported",
			sidecar: `{"report": "test-dept/2023.yaml", "values": [], "unplaced": []}`, yaml: draftYAML,
			want: []string{"这次导入没有把数字放进报告", "原文中找到的数字都已放进报告"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(Handler(filepath.Join(content(t, tc.sidecar, tc.yaml))))
			defer srv.Close()
			code, hdr, body := get(t, srv.URL+"/_review/test-dept/2023.html")
			if code != 200 {
				t.Fatalf("status %d:\n%s", code, body)
			}
			if ct := hdr.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("lacks %q", w)
				}
			}
			for _, w := range tc.wantNot {
				if strings.Contains(body, w) {
					t.Errorf("has %q", w)
				}
			}
			if n := strings.Count(body, `<span class="badge">已修改</span>`); n != tc.wantModif {
				t.Errorf("%d rows 已修改, want %d", n, tc.wantModif)
			}
			if t.Failed() {
				t.Log(body)
			}
		})
	}
}

// The page's root is the content directory as the user named it, for the
// paths it tells them.
func TestPageNamesTheContentDirectory(t *testing.T) {
	dir := content(t, sidecar, draftYAML)
	b, err := Page(os.DirFS(dir), "site/content", "test-dept", "2023")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "删除导入记录文件 <code>site/content/_imports/test-dept/2023.json</code>") {
		t.Errorf("the page does not say which file to delete:\n%s", b)
	}
}

func TestNotFound(t *testing.T) {
	srv := httptest.NewServer(Handler(content(t, sidecar, draftYAML)))
	defer srv.Close()
	for _, p := range []string{
		"/_review/Bad_Dept/2023.html", // a sidecar is there, but no report has that name
		"/_review/-dept/2023.html",
		"/_review/test-dept/23.html",
		"/_review/test-dept/2023-X.html",
		"/_review/test-dept/2023.json",
		"/_review/test-dept/2023",
		"/_review/test-dept/2023.html/x",
		"/_review/test-dept/notes.html",
		"/_review/other-dept/2023.html", // no sidecar
		"/_review/test-dept/2024.html",
		"/_review/../outside/secret.html",
		"/_review/..%2foutside/2023.html",
		"/_review/%2e%2e/2023.html",
		"/_review/test-dept/",
		"/_review/test-dept",
		"/_reviewx/",
		"/",
	} {
		code, hdr, body := get(t, srv.URL+p)
		if code != 404 || !strings.Contains(body, "找不到这个核对页面") {
			t.Errorf("%s: %d %q", p, code, body)
		}
		if hdr.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", p, hdr.Get("Content-Type"))
		}
	}
}

func TestList(t *testing.T) {
	dir := content(t, sidecar, strings.Replace(draftYAML, "actual: 12.3", "actual: 12.4", 1))
	for name, body := range map[string]string{
		"_imports/test-dept/2023-juesuan.json": `{"report": "test-dept/2023-juesuan.yaml", "source": "决算.xlsx"}`,
		"_imports/zz-dept/2022.json":           `not json`,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(Handler(dir))
	defer srv.Close()
	code, _, body := get(t, srv.URL+"/_review/")
	if code != 200 {
		t.Fatalf("list: %d", code)
	}
	for _, w := range []string{
		"<caption>待核对的报告（3 份）</caption>", `<th scope="col">已修改</th>`,
		`<a href="test-dept/2023.html">核对 test-dept/2023.yaml</a></td><td>报告.docx</td><td class="num">3</td><td class="num">1</td><td class="num">0</td><td class="num">1</td>`,
		`<a href="test-dept/2023-juesuan.html">核对 test-dept/2023-juesuan.yaml</a>`,
		`<a href="zz-dept/2022.html">核对 zz-dept/2022.yaml</a></td><td colspan="5">导入记录文件`,
	} {
		if !strings.Contains(body, w) {
			t.Errorf("list lacks %q:\n%s", w, body)
		}
	}
	if strings.Contains(body, "Bad_Dept") || strings.Contains(body, "notes") {
		t.Errorf("list shows files that are no report's sidecar:\n%s", body)
	}
	if i, j := strings.Index(body, "test-dept/2023.html"), strings.Index(body, "test-dept/2023-juesuan.html"); i > j {
		t.Error("list not in the order of the names")
	}

	// Without a slash, the list is one redirect away.
	resp, err := http.Get(srv.URL + "/_review")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/_review/" {
		t.Errorf("/_review: %d at %s", resp.StatusCode, resp.Request.URL.Path)
	}

	if got := Drafts(os.DirFS(t.TempDir())); len(got) != 0 {
		t.Errorf("drafts of empty content: %v", got)
	}
	empty := httptest.NewServer(Handler(t.TempDir()))
	defer empty.Close()
	if code, _, body := get(t, empty.URL+"/_review/"); code != 200 || !strings.Contains(body, "没有待核对的导入草稿") {
		t.Errorf("empty list: %d %s", code, body)
	}
}

func TestContentDirectoryGone(t *testing.T) {
	srv := httptest.NewServer(Handler(filepath.Join(t.TempDir(), "gone")))
	defer srv.Close()
	if code, _, body := get(t, srv.URL+"/_review/"); code != 500 || !strings.Contains(body, "打不开内容目录") {
		t.Errorf("%d %s", code, body)
	}
}

// The stylesheet applies under the pages' Content-Security-Policy only if
// its hash there is of the text as sent.
func TestStyleMatchesPolicy(t *testing.T) {
	srv := httptest.NewServer(Handler(content(t, sidecar, draftYAML)))
	defer srv.Close()
	for _, p := range []string{"/_review/", "/_review/test-dept/2023.html", "/_review/nope/2023.html"} {
		_, hdr, body := get(t, srv.URL+p)
		_, rest, _ := strings.Cut(body, "<style>")
		css, _, ok := strings.Cut(rest, "</style>")
		if !ok || strings.Count(body, "<style") != 1 || strings.Contains(body, "style=") {
			t.Fatalf("%s: not one <style> element", p)
		}
		sum := sha256.Sum256([]byte(css))
		want := "style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", p, csp, want)
		}
		if !strings.Contains(css, "font-size: 20px") {
			t.Errorf("%s: stylesheet %q", p, css)
		}
		if hdr.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q", p, hdr.Get("Cache-Control"))
		}
	}
}

func TestHighlight(t *testing.T) {
	for _, tc := range []struct{ quote, value, mark string }{
		{"年末结转结余0万元", "0", "0"},
		{"年末结转结余0.00万元", "0", "0.00"},
		{"2019年支出19万元", "19", "19"},
		{"支出1.19万元", "19", ""},
		{"收入1,190.27万元，支出1190.27万元", "1190.27", "1190.27"},
		{"合计3,000元", "3000元", "3,000元"},
		{"执行率84.69%", "84.69%", "84.69%"},
		{"应保尽保", "应保尽保", "应保尽保"},
		{"共计12万元", "13", ""},
		{"", "13", ""},
	} {
		q := highlight(tc.quote, tc.value)
		if q.Mark != tc.mark || q.Before+q.Mark+q.After != tc.quote {
			t.Errorf("highlight(%q, %q) = %q", tc.quote, tc.value, q)
		}
	}
}
