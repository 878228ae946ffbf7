package review

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io/fs"
	"path"
)

// List renders the list of the drafts in fsys, a content directory that
// the user knows as root ("content").
func List(fsys fs.FS, root string) ([]byte, error) {
	type entry struct {
		Href, Report, Source, Problem string
		Values, Changed, Missing      int
		Unplaced                      int
	}
	var data struct {
		Root    string
		Entries []entry
	}
	data.Root = root
	for _, d := range Drafts(fsys) {
		rep, err := read(fsys, root, d)
		if err != nil {
			continue // gone since it was listed
		}
		e := entry{Href: d.Dept + "/" + d.Key + ".html", Report: rep.Report, Source: rep.Source, Problem: rep.Problem,
			Values: len(rep.Rows), Changed: rep.Changed, Missing: rep.Missing, Unplaced: len(rep.Unplaced)}
		if e.Report == "" {
			e.Report = path.Join(d.Dept, d.Key+".yaml")
		}
		data.Entries = append(data.Entries, e)
	}
	return render("list", data)
}

// Page renders the review page of the report dept/key of the content in
// fsys, known to the user as root. It is ErrNotFound when the names are not
// a report's or there is no sidecar for it; a sidecar that cannot be read
// makes a page that says so.
func Page(fsys fs.FS, root, dept, key string) ([]byte, error) {
	rep, err := read(fsys, root, Draft{dept, key})
	if err != nil {
		return nil, err
	}
	return render("page", rep)
}

func notFoundPage() []byte {
	b, err := render("notfound", nil)
	if err != nil {
		return []byte("404")
	}
	return b
}

func problemPage(title, msg string) []byte {
	b, err := render("problem", struct{ Title, Message string }{title, msg})
	if err != nil {
		return []byte(msg)
	}
	return b
}

func render(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// style is the pages' whole stylesheet. Large type and dark text for
// readers who find the site's own pages small; the smallest text is 18px.
// No comments in it: html/template drops CSS comments, and the hash in the
// Content-Security-Policy must be of the text as sent.
const style = `
html { font-size: 20px; }
body { margin: 0; padding: 1rem 1.5rem 3rem; color: #1b1b1b; background: #fff; line-height: 1.7;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 90rem; }
h1 { font-size: 1.5rem; line-height: 1.4; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.75rem; border-bottom: 2px solid #c8ced6; padding-bottom: 0.2rem; }
a { color: #0b4fa3; }
a:focus { outline: 3px solid #1b1b1b; outline-offset: 2px; }
code { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace; font-size: 0.9rem; color: #333; overflow-wrap: anywhere; }
.how { background: #f1f5fa; border-left: 6px solid #0b4fa3; padding: 0.5rem 1.25rem; }
.how h2 { margin-top: 0.75rem; border: 0; }
.how ol { padding-left: 1.5rem; }
.how li { margin: 0.4rem 0; }
.summary { font-weight: 700; }
.problem { background: #fdecec; border-left: 6px solid #a00000; padding: 0.75rem 1.25rem; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1.5rem; }
caption { text-align: left; font-weight: 700; font-size: 1.1rem; padding: 0.4rem 0; }
th, td { border: 1px solid #767676; padding: 0.5rem 0.6rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #e8edf3; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
mark { background: #ffe066; color: #000; font-weight: 700; padding: 0 0.15em; }
.badge { display: inline-block; font-weight: 700; border: 2px solid currentColor; border-radius: 0.3rem; padding: 0 0.4rem; margin-bottom: 0.2rem; }
tr.changed td { background: #fff4e5; }
tr.changed .badge { color: #7a3e00; }
tr.missing td { background: #fdecec; }
tr.missing .badge { color: #a00000; }
.was { color: #4a4a4a; }
`

// csp lets the pages' own stylesheet, and nothing else, apply.
var csp = func() string {
	sum := sha256.Sum256([]byte(style))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
}()

var pages = template.Must(template.New("").Parse(`
{{- define "top" -}}
<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}}</title>
<style>` + style + `</style>
</head>
<body>
<main>
{{- end}}

{{- define "bottom"}}
</main>
</body>
</html>
{{end}}

{{- define "list" -}}
{{template "top" "核对导入的草稿"}}
<h1>核对导入的草稿</h1>
{{- if .Entries}}
<p>下面是用 disclose import 导入、还没有核对完的报告。点开一份，逐个数字对照原文核对。核对完一份后，删除它在 <code>{{.Root}}/_imports/</code> 里的导入记录文件，它就不再列在这里。</p>
<table>
<caption>待核对的报告（{{len .Entries}} 份）</caption>
<thead><tr><th scope="col">报告文件</th><th scope="col">原文</th><th scope="col">导入的数字</th><th scope="col">已修改</th><th scope="col">报告中找不到</th><th scope="col">未能归位</th></tr></thead>
<tbody>
{{- range .Entries}}
<tr><td><a href="{{.Href}}">核对 {{.Report}}</a></td>
{{- if .Problem}}<td colspan="5">{{.Problem}}</td>
{{- else}}<td>{{.Source}}</td><td class="num">{{.Values}}</td><td class="num">{{.Changed}}</td><td class="num">{{.Missing}}</td><td class="num">{{.Unplaced}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>没有待核对的导入草稿。用 disclose import 导入 Word、Excel 或文本文件后，这里会列出导入的报告。</p>
{{- end}}
{{template "bottom"}}
{{- end}}

{{- define "page" -}}
{{template "top" (print "核对 " .Dept "/" .Key ".yaml")}}
<p><a href="../">← 所有待核对的报告</a></p>
{{- if .Problem}}
<h1>无法显示这份导入记录</h1>
<p class="problem">{{.Problem}}</p>
<p>可以用 disclose import 加 --force 重新导入，生成新的导入记录；如果这份报告已经核对完，直接删除 <code>{{.SidecarFile}}</code> 即可。</p>
{{- else}}
<h1>核对导入的草稿：{{.Report}}</h1>
<p>原文：{{.Source}}{{if .Sum}}（SHA-256 {{.Sum}}…）{{end}}</p>
<section class="how" aria-labelledby="how">
<h2 id="how">怎样核对</h2>
<ol>
<li>打开原文{{if .Source}}“{{.Source}}”{{end}}，对照下表逐行核对：每行是导入时放进报告的一个数字，“原文摘录”中用底色标出的就是它，“原文位置”说它在原文的哪里。</li>
<li>发现不对，就在报告文件 <code>{{.ReportFile}}</code> 里改正（“报告位置”给出行号），保存后刷新本页。改过的值标为“已修改”，并列出导入时的值。</li>
<li>再看下面的“未能归位的数字”：原文有、导入时没能放进报告的数字，需要的话手工填进报告。</li>
<li>全部核对完后，删去报告文件开头的导入说明注释，再删除导入记录文件 <code>{{.SidecarFile}}</code>。删除后本页不再列出这份报告。</li>
</ol>
</section>
{{- if .YAMLProblem}}
<p class="problem">{{.YAMLProblem}}</p>
{{- end}}
<p class="summary">共 {{len .Rows}} 个数字{{if .Changed}}，其中 {{.Changed}} 个已修改{{end}}{{if .Missing}}，{{.Missing}} 个在报告中找不到{{end}}；未能归位的数字 {{len .Unplaced}} 个。</p>
<h2>导入的数字</h2>
{{- if .Rows}}
<table>
<caption>{{.Report}} 中导入的数字与原文</caption>
<thead><tr><th scope="col">报告位置</th><th scope="col">字段</th><th scope="col">报告中的值</th><th scope="col">原文位置</th><th scope="col">原文摘录</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr{{if eq .Status "changed"}} class="changed"{{else if eq .Status "missing"}} class="missing"{{end}}>
<td><code>{{.Loc}}</code>{{if .Moved}}<br>（导入时在第 {{.Moved}} 行）{{end}}</td>
<td>{{.Field}}<br><code>{{.Path}}</code></td>
<td>
{{- if eq .Status "changed"}}<span class="badge">已修改</span><br>现在：<strong>{{if .Current}}{{.Current}}{{else}}（空）{{end}}</strong><br><span class="was">导入时：{{.Imported}}</span>
{{- else if eq .Status "missing"}}<span class="badge">找不到</span><br>报告中已没有这个值（可能已删除或移动）<br><span class="was">导入时：{{.Imported}}</span>
{{- else if eq .Status "unread"}}导入时：{{.Imported}}<br><span class="was">（现在的值暂时无法读取）</span>
{{- else}}<strong>{{.Current}}</strong>{{end -}}
</td>
<td>{{.Where}}</td>
<td>{{with .Quote}}{{if or .Before .Mark .After}}{{.Before}}{{if .Mark}}<mark>{{.Mark}}</mark>{{end}}{{.After}}{{else}}（没有摘录）{{end}}{{end}}</td>
</tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>这次导入没有把数字放进报告。</p>
{{- end}}
<h2>未能归位的数字</h2>
{{- if .Unplaced}}
<table>
<caption>原文中有、导入时没能放进报告的数字（{{len .Unplaced}} 个）</caption>
<thead><tr><th scope="col">原文位置</th><th scope="col">原文摘录</th><th scope="col">没能归位的原因</th></tr></thead>
<tbody>
{{- range .Unplaced}}
<tr><td>{{.Where}}</td><td>{{.Quote}}</td><td>{{.Why}}</td></tr>
{{- end}}
</tbody>
</table>
{{- else}}
<p>没有：原文中找到的数字都已放进报告。</p>
{{- end}}
{{- end}}
{{template "bottom"}}
{{- end}}

{{- define "notfound" -}}
{{template "top" "找不到这个核对页面"}}
<h1>找不到这个核对页面</h1>
<p>没有这份导入记录：它可能已经核对完并被删除，或者网址有误。</p>
<p><a href="/_review/">查看所有待核对的报告</a></p>
{{template "bottom"}}
{{- end}}

{{- define "problem" -}}
{{template "top" .Title}}
<h1>{{.Title}}</h1>
<p class="problem">{{.Message}}</p>
<p><a href="/_review/">查看所有待核对的报告</a></p>
{{template "bottom"}}
{{- end}}
`))
