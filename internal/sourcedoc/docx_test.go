package sourcedoc

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"disclose/internal/heavytest"
)

const testNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`

// testDocumentXML wraps body in the document element a .docx holds.
func testDocumentXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + testNS + ` xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` +
		body + `<w:sectPr/></w:body></w:document>`
}

// testZip packs parts, in name order, into a zip.
func testZip(t testing.TB, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(f, parts[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// testDocx is a .docx of body, with styles.xml and numbering.xml when given.
func testDocx(t testing.TB, body, styles, numbering string) []byte {
	parts := map[string]string{"word/document.xml": testDocumentXML(body)}
	if styles != "" {
		parts["word/styles.xml"] = `<w:styles ` + testNS + `>` + styles + `</w:styles>`
	}
	if numbering != "" {
		parts["word/numbering.xml"] = `<w:numbering ` + testNS + `>` + numbering + `</w:numbering>`
	}
	return testZip(t, parts)
}

func p(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + text + `</w:t></w:r></w:p>`
}

func styled(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func numbered(numID, ilvl int, text string) string {
	return fmt.Sprintf(`<w:p><w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr><w:r><w:t>%s</w:t></w:r></w:p>`, ilvl, numID, text)
}

func tc(props, content string) string {
	return `<w:tc><w:tcPr>` + props + `</w:tcPr>` + content + `</w:tc>`
}

func tbl(rows ...string) string {
	return `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="100"/></w:tblGrid>` +
		strings.Join(rows, "") + `</w:tbl>`
}

func tr(cells ...string) string { return `<w:tr>` + strings.Join(cells, "") + `</w:tr>` }

// render writes lines compactly: "#2 text" for a heading, "a|b|c" for a
// table row, the text for a paragraph.
func render(lines []Line) []string {
	var out []string
	for _, l := range lines {
		switch {
		case l.Cells != nil:
			out = append(out, strings.ReplaceAll(l.Text, "\t", "|"))
		case l.Level > 0:
			out = append(out, fmt.Sprintf("#%d %s", l.Level, l.Text))
		default:
			out = append(out, l.Text)
		}
	}
	return out
}

func TestReadDocxRoundTrip(t *testing.T) {
	files, err := filepath.Glob("../../content/_sources/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no seed sources: %v", err)
	}
	para := regexp.MustCompile(`^第 \d+ 段$`)
	cell := regexp.MustCompile(`^表 \d+ 第 \d+ 行第 \d+ 列$`)
	for _, file := range files {
		base := strings.TrimSuffix(filepath.Base(file), ".txt")
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			src, err := ReadText(base+".txt", data, "txt")
			if err != nil {
				t.Fatal(err)
			}
			var one, two bytes.Buffer
			if err := WriteDocx(&one, src); err != nil {
				t.Fatal(err)
			}
			if err := WriteDocx(&two, src); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(one.Bytes(), two.Bytes()) {
				t.Fatal("WriteDocx wrote different bytes for the same document")
			}
			doc, err := ReadDocx(base+".docx", one.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			want, got := src.Lines(), doc.Lines()
			if len(got) != len(want) {
				t.Fatalf("%d lines, want %d:\n%q\nwant\n%q", len(got), len(want), render(got), render(want))
			}
			for i := range want {
				w, g := want[i], got[i]
				if g.Text != w.Text || (g.Cells == nil) != (w.Cells == nil) || g.Level != w.Level {
					t.Fatalf("line %d (%s) = %q (table row %v), want %q (table row %v)", i+1, w.Loc, g.Text, g.Cells != nil, w.Text, w.Cells != nil)
				}
				if g.Cells == nil {
					if !para.MatchString(g.Loc.String()) {
						t.Errorf("paragraph cited as %q", g.Loc)
					}
					continue
				}
				for _, c := range g.Cells {
					if !cell.MatchString(c.Loc.String()) {
						t.Errorf("cell cited as %q", c.Loc)
					}
				}
			}
		})
	}
}

// WriteDocx turns merged cells and headings into Word's own merges and
// styles, which ReadDocx turns back into the same lines and grid.
func TestReadDocxWriteMerged(t *testing.T) {
	cell := func(text string, merged bool) Cell { return Cell{Text: text, Merged: merged} }
	src := &Document{Blocks: []Block{
		{Para: &Paragraph{Text: "标题", Level: 1}},
		{Para: &Paragraph{Text: "  前后有空格  与 <特殊> & 字符 \"引号\"", Level: 0}},
		{Table: &Table{Rows: [][]Cell{
			{cell("项目", false), cell("项目", true), cell("金额", false)},
			{cell("项目", true), cell("项目", true), cell("10", false)},
			{cell("合计", false), cell("", false), cell("10", false)},
		}}},
		{Table: &Table{Rows: [][]Cell{{cell("第二张表", false)}}}},
		{Para: &Paragraph{Text: "小节", Level: 3}},
	}}
	var buf bytes.Buffer
	if err := WriteDocx(&buf, src); err != nil {
		t.Fatal(err)
	}
	doc, err := ReadDocx("w.docx", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"#1 标题", "前后有空格  与 <特殊> & 字符 \"引号\"", "项目|金额", "10", "合计||10", "第二张表", "#3 小节"}
	if got := render(doc.Lines()); !slices.Equal(got, want) {
		t.Fatalf("lines\n%q\nwant\n%q", got, want)
	}
	tables := 0
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		tables++
		if tables == 1 {
			for i, row := range b.Table.Rows {
				for j, c := range row {
					if w := src.Blocks[2].Table.Rows[i][j]; c.Text != w.Text || c.Merged != w.Merged {
						t.Errorf("cell %d,%d = %q merged %v, want %q merged %v", i+1, j+1, c.Text, c.Merged, w.Text, w.Merged)
					}
				}
			}
		}
	}
	if tables != 2 {
		t.Errorf("%d tables, want 2 kept apart", tables)
	}
}

func TestReadDocxContent(t *testing.T) {
	const styles = `<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="我的标题"/><w:basedOn w:val="1"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="a6"><w:name w:val="小标题"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="3"><w:name w:val="Body Text"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="loop1"><w:name w:val="x"/><w:basedOn w:val="loop2"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="loop2"><w:name w:val="y"/><w:basedOn w:val="loop1"/></w:style>` +
		`<w:style w:type="character" w:styleId="10"><w:name w:val="标题 1 字符"/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="list2"><w:name w:val="编号标题"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr><w:outlineLvl w:val="1"/></w:pPr></w:style>`
	const numbering = `<w:abstractNum w:abstractNumId="0">` +
		`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>` +
		`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>` +
		`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>` +
		`<w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3.%4"/><w:suff w:val="space"/></w:lvl>` +
		`</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/>` +
		`<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="w14"><w:numFmt w:val="custom" w:format="一, 二, 三, ..."/></mc:Choice>` +
		`<mc:Fallback><w:numFmt w:val="chineseCountingThousand"/></mc:Fallback></mc:AlternateContent><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
		`<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>` +
		`<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>` +
		`<w:num w:numId="4"><w:abstractNumId w:val="2"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="11"/></w:lvlOverride></w:num>` +
		`<w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>`

	tests := []struct {
		name                    string
		body, styles, numbering string
		want                    []string
		wantLines               []int // Loc.Line of each line, when checked
	}{
		{
			name:      "empty paragraphs still counted",
			body:      `<w:p/>` + p("甲") + `<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>` + tbl(tr(tc("", p("格")))) + p("乙"),
			want:      []string{"甲", "格", "乙"},
			wantLines: []int{2, 4, 5},
		},
		{
			name: "tracked changes, fields, bookmarks, hidden text",
			body: `<w:p><w:r><w:t>保留</w:t></w:r><w:del w:id="1" w:author="a"><w:r><w:delText>删掉</w:delText></w:r></w:del>` +
				`<w:ins w:id="2" w:author="a"><w:r><w:t>插入</w:t></w:r></w:ins><w:moveFrom w:id="3" w:author="a"><w:r><w:t>移走</w:t></w:r></w:moveFrom></w:p>` +
				`<w:p><w:bookmarkStart w:id="0" w:name="_Toc1"/><w:r><w:t>书签</w:t></w:r><w:bookmarkEnd w:id="0"/></w:p>` +
				`<w:p><w:r><w:t xml:space="preserve">第 </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>` +
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> 页</w:t></w:r></w:p>` +
				`<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>显示</w:t></w:r>` +
				`<w:r><w:t>注</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
			want: []string{"保留插入", "书签", "第 3 页", "显示注"},
		},
		{
			name: "breaks, tabs, hyphens and spaces",
			body: `<w:p><w:r><w:t>第一行</w:t><w:br/><w:t>第二行</w:t><w:tab/><w:t>末</w:t><w:cr/><w:t>尾</w:t></w:r></w:p>` +
				`<w:p><w:r><w:t>2023</w:t><w:noBreakHyphen/><w:t>2024</w:t><w:softHyphen/></w:r></w:p>` +
				"<w:p><w:r><w:t xml:space=\"preserve\">\u00a0 甲\u00a0乙\u3000丙 \u3000</w:t></w:r></w:p>" +
				`<w:p><w:r><w:t>分</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>开的</w:t></w:r><w:proofErr w:type="spellEnd"/><w:r><w:t>字</w:t></w:r></w:p>`,
			want: []string{"第一行 第二行 末 尾", "2023-2024", "甲\u00a0乙\u3000丙", "分开的字"},
		},
		{
			name: "content controls, hyperlinks, text boxes",
			body: `<w:sdt><w:sdtPr><w:alias w:val="目录"/><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr>` +
				`<w:sdtContent>` + p("目录") + `<w:p><w:hyperlink w:anchor="_Toc1"><w:r><w:t>一、概况</w:t></w:r></w:hyperlink></w:p></w:sdtContent></w:sdt>` +
				`<w:p><w:r><w:t>锚</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>` +
				`<wps:txbx xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:txbxContent>` + p("框内") + `</w:txbxContent></wps:txbx>` +
				`</w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox xmlns:v="urn:schemas-microsoft-com:vml"><w:txbxContent>` + p("框内") + `</w:txbxContent></v:textbox></w:pict>` +
				`</mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>` +
				p("末段"),
			want:      []string{"目录", "一、概况", "锚 框内 后", "末段"},
			wantLines: []int{1, 2, 3, 4},
		},
		{
			name: "headings from styles.xml",
			body: styled("1", "一级") + styled("2", "二级") + styled("a5", "派生") + styled("a6", "大纲") + styled("3", "正文") +
				styled("loop1", "循环") + styled("Heading2", "未定义的样式") +
				`<w:p><w:pPr><w:pStyle w:val="3"/><w:outlineLvl w:val="1"/></w:pPr><w:r><w:t>直接大纲</w:t></w:r></w:p>` +
				`<w:p><w:pPr><w:pStyle w:val="1"/><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>正文级别</w:t></w:r></w:p>` +
				p("默认样式"),
			styles: styles,
			want:   []string{"#1 一级", "#2 二级", "#1 派生", "#3 大纲", "正文", "循环", "#2 未定义的样式", "#2 直接大纲", "正文级别", "默认样式"},
		},
		{
			name: "headings without styles.xml",
			body: styled("Heading1", "甲") + styled("heading 2", "乙") + styled("3", "丙") + styled("Title", "题") + styled("a3", "文") + styled("10", "十"),
			want: []string{"#1 甲", "#2 乙", "#3 丙", "#1 题", "文", "十"},
		},
		{
			name: "list numbers",
			body: numbered(1, 0, "部门职责") + numbered(1, 1, "主要职能") + numbered(1, 2, "机构情况") + numbered(1, 2, "人员情况") +
				numbered(1, 3, "细目") + numbered(1, 1, "机构设置") + numbered(1, 2, "重新编号") + numbered(1, 0, "收支情况") +
				numbered(2, 0, "要点") + numbered(3, 0, "重新开始") + numbered(5, 0, "共用定义") + numbered(4, 0, "从十一") + numbered(4, 0, "接着") +
				numbered(99, 0, "未定义") + numbered(0, 0, "取消编号") + `<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>` +
				styled("list2", "样式编号") +
				`<w:p><w:pPr><w:pStyle w:val="list2"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>去掉样式编号</w:t></w:r></w:p>` +
				tbl(tr(tc("", numbered(1, 1, "格内")))),
			styles:    styles,
			numbering: numbering,
			want: []string{"一、部门职责", "（一）主要职能", "1.机构情况", "2.人员情况", "2.1 细目", "（二）机构设置", "1.重新编号", "二、收支情况",
				"要点", "一、重新开始", "三、共用定义", "十一.从十一", "十二.接着", "未定义", "取消编号", "四、", "#2 （一）样式编号", "#2 去掉样式编号", "（二）格内"},
		},
		{
			name: "list numbers without numbering.xml",
			body: numbered(1, 0, "部门职责"),
			want: []string{"部门职责"},
		},
		{
			name: "tables",
			body: tbl(
				tr(tc(`<w:gridSpan w:val="2"/>`, p("横跨")), tc("", p("丙"))),
				tr(tc(`<w:vMerge w:val="restart"/>`, p("竖跨")), tc("", p("乙")), tc("", p("丙"))),
				tr(tc(`<w:vMerge/>`, `<w:p/>`), tc("", p("乙2")), tc("", p("丙2"))),
				tr(tc(`<w:vMerge w:val="continue"/>`, `<w:p/>`), tc(`<w:gridSpan w:val="2"/>`, p("横跨2"))),
				tr(`<w:trPr><w:gridBefore w:val="1"/></w:trPr>`, tc("", p("缩进")), tc("", p("丙3"))),
				tr(tc("", p("第一段")+`<w:p/>`+p("第二段")), tc(`<w:hMerge w:val="restart"/>`, p("旧横")), tc(`<w:hMerge/>`, `<w:p/>`)),
				tr(tc("", p("外")+tbl(tr(tc("", p("内1")), tc("", p("内2")+tbl(tr(tc("", p("更内"))))))))),
				`<w:sdt><w:sdtPr/><w:sdtContent>`+tr(tc("", p("控件行")))+`</w:sdtContent></w:sdt>`,
			) + `<w:p/>` + tbl(tr(tc("", p("表二")))),
			want:      []string{"横跨|丙", "竖跨|乙|丙", "乙2|丙2", "横跨2", "|缩进|丙3", "第一段 第二段|旧横", "外 内1 内2 更内", "控件行", "表二"},
			wantLines: []int{1, 1, 1, 1, 1, 1, 1, 1, 3},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := ReadDocx("t.docx", testDocx(t, tt.body, tt.styles, tt.numbering))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Name != "t.docx" || doc.Format != "docx" {
				t.Errorf("document %q format %q", doc.Name, doc.Format)
			}
			lines := doc.Lines()
			if got := render(lines); !slices.Equal(got, tt.want) {
				t.Fatalf("lines\n%q\nwant\n%q", got, tt.want)
			}
			if tt.wantLines != nil {
				var got []int
				for _, l := range lines {
					got = append(got, l.Loc.Line)
				}
				if !slices.Equal(got, tt.wantLines) {
					t.Errorf("Loc.Line %v, want %v", got, tt.wantLines)
				}
			}
		})
	}
}

// The grid keeps every cell at its column: merged copies repeat the text
// and are marked, and each cell is cited at its own row and column.
func TestReadDocxGrid(t *testing.T) {
	body := p("前言") + tbl(
		tr(tc(`<w:gridSpan w:val="2"/>`, p("A")), tc(`<w:vMerge w:val="restart"/>`, p("B"))),
		tr(tc("", p("C")), tc("", p("D")), tc(`<w:vMerge/>`, `<w:p/>`)),
	) + p("后记") + tbl(tr(tc("", p("E"))))
	doc, err := ReadDocx("g.docx", testDocx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	type cell struct {
		text   string
		merged bool
		loc    string
	}
	var got [][]cell
	var tables []string
	for _, b := range doc.Blocks {
		if b.Table == nil {
			continue
		}
		tables = append(tables, fmt.Sprintf("%s@%d", b.Table.Loc, b.Table.Loc.Line))
		for _, row := range b.Table.Rows {
			var r []cell
			for _, c := range row {
				r = append(r, cell{c.Text, c.Merged, c.Loc.String()})
				if c.Loc.File != "g.docx" || c.Loc.Line != b.Table.Loc.Line || c.Loc.Table != b.Table.Loc.Table {
					t.Errorf("cell %q at %+v in table at %+v", c.Text, c.Loc, b.Table.Loc)
				}
			}
			got = append(got, r)
		}
	}
	want := [][]cell{
		{{"A", false, "表 1 第 1 行第 1 列"}, {"A", true, "表 1 第 1 行第 2 列"}, {"B", false, "表 1 第 1 行第 3 列"}},
		{{"C", false, "表 1 第 2 行第 1 列"}, {"D", false, "表 1 第 2 行第 2 列"}, {"B", true, "表 1 第 2 行第 3 列"}},
		{{"E", false, "表 2 第 1 行第 1 列"}},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("grid\n%v\nwant\n%v", got, want)
	}
	if w := []string{"表 1@2", "表 2@4"}; !slices.Equal(tables, w) {
		t.Errorf("tables %v, want %v", tables, w)
	}
	if l := doc.Blocks[0].Para.Loc.String(); l != "第 1 段" {
		t.Errorf("first paragraph cited as %q", l)
	}
}

func TestReadDocxPackage(t *testing.T) {
	// The main part is found through the package relationships, part names
	// match case-insensitively, and a strict-namespace document reads too.
	strict := `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body>` + styled("x", "严格") + `</w:body></w:document>`
	data := testZip(t, map[string]string{
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
			`<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/Word/Main.XML"/></Relationships>`,
		"word/main.xml": strict,
		"word/_rels/main.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="s/st.xml"/></Relationships>`,
		"word/s/st.xml":     `<w:styles xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:style w:type="paragraph" w:styleId="x"><w:name w:val="heading 4"/></w:style></w:styles>`,
		"word/document.xml": testDocumentXML(p("不是这个")),
	})
	doc, err := ReadDocx("s.docx", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := render(doc.Lines()); !slices.Equal(got, []string{"#4 严格"}) {
		t.Errorf("lines %q", got)
	}

	// A broken styles.xml or numbering.xml costs headings and numbers, not
	// the document.
	doc, err = ReadDocx("b.docx", testZip(t, map[string]string{
		"word/document.xml":  testDocumentXML(styled("Heading1", "标题") + numbered(1, 0, "条")),
		"word/styles.xml":    `<w:styles ` + testNS + `><w:style>`,
		"word/numbering.xml": `<<<`,
	}))
	if err != nil {
		t.Fatal(err)
	}
	if got := render(doc.Lines()); !slices.Equal(got, []string{"#1 标题", "条"}) {
		t.Errorf("lines %q", got)
	}
}

func TestReadDocxFormatNumber(t *testing.T) {
	tests := []struct {
		n      int
		format string
		want   string
	}{
		{1, "chineseCounting", "一"},
		{10, "chineseCounting", "十"},
		{11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"},
		{21, "chineseCounting", "二十一"},
		{99, "chineseCounting", "九十九"},
		{105, "chineseCounting", "一〇五"},
		{10, "chineseCountingThousand", "十"},
		{101, "chineseCountingThousand", "一百〇一"},
		{110, "chineseCountingThousand", "一百一十"},
		{1000, "chineseCountingThousand", "一千"},
		{1010, "chineseCountingThousand", "一千〇一十"},
		{10000, "chineseCountingThousand", "10000"},
		{11, "chineseLegalSimplified", "壹拾壹"},
		{3, "ideographTraditional", "丙"},
		{11, "ideographTraditional", "11"},
		{3, "decimal", "3"},
		{7, "decimalZero", "07"},
		{12, "decimalZero", "12"},
		{1, "decimalEnclosedCircle", "①"},
		{21, "decimalEnclosedCircleChinese", "㉑"},
		{51, "decimalEnclosedCircle", "51"},
		{2, "decimalEnclosedParen", "⑵"},
		{2, "decimalEnclosedFullstop", "⒉"},
		{12, "decimalFullWidth", "１２"},
		{28, "upperLetter", "BB"},
		{1, "lowerLetter", "a"},
		{14, "lowerRoman", "xiv"},
		{1994, "upperRoman", "MCMXCIV"},
		{5000, "upperRoman", "5000"},
		{4, "none", ""},
		{4, "somethingNew", "4"},
		{0, "chineseCounting", "0"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.n, tt.format); got != tt.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", tt.n, tt.format, got, tt.want)
		}
	}
}

// bombPart streams size bytes of valid but textless WordprocessingML, as a
// zip bomb would hold, without holding them in memory.
func bombPart(w io.Writer, size int) error {
	chunk := []byte(`<w:bookmarkStart w:id="0" w:name="` + strings.Repeat("a", 4000) + `"/>`)
	if _, err := io.WriteString(w, `<w:document `+testNS+`><w:body><w:p>`); err != nil {
		return err
	}
	for n := 0; n < size; n += len(chunk) {
		if _, err := w.Write(chunk); err != nil {
			return err
		}
	}
	_, err := io.WriteString(w, `</w:p></w:body></w:document>`)
	return err
}

func TestReadDocxHostile(t *testing.T) {
	manyEntries := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i <= MaxZipEntries; i++ {
			if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprint(i), Method: zip.Store}); err != nil {
				t.Fatal(err)
			}
		}
		zw.Close()
		return buf.Bytes()
	}
	nest := func(open, close string, n int, inner string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}

	tests := []struct {
		name string
		data func() []byte
		want string // in the error
		is   error
	}{
		{"empty", func() []byte { return nil }, "不是有效的 Word 文档", nil},
		{"not a zip", func() []byte { return []byte("这不是压缩包") }, "不是有效的 Word 文档", nil},
		{"old .doc", func() []byte { return append(slices.Clone(compoundFileMagic), make([]byte, 512)...) }, "Word 97-2003", ErrFormat},
		{"encrypted", func() []byte {
			return append(append(slices.Clone(compoundFileMagic), make([]byte, 512)...), utf16LE("EncryptedPackage")...)
		}, "密码", nil},
		{"zip without document.xml", func() []byte { return testZip(t, map[string]string{"word/styles.xml": "<w:styles/>"}) }, "没有正文 word/document.xml", nil},
		{"relationship to a missing part", func() []byte {
			return testZip(t, map[string]string{"_rels/.rels": `<Relationships><Relationship Type="x/officeDocument" Target="word/gone.xml"/></Relationships>`,
				"word/document.xml": testDocumentXML(p("x"))})
		}, "word/gone.xml", nil},
		{"empty document.xml", func() []byte { return testZip(t, map[string]string{"word/document.xml": ""}) }, "正文是空的", nil},
		{"truncated document.xml", func() []byte {
			return testZip(t, map[string]string{"word/document.xml": `<w:document ` + testNS + `><w:body><w:p><w:r><w:t>半`})
		}, "不是有效的 Word 文档", nil},
		{"mismatched tags", func() []byte {
			return testZip(t, map[string]string{"word/document.xml": `<w:document ` + testNS + `><w:body><w:p></w:tbl></w:body></w:document>`})
		}, "不是有效的 Word 文档", nil},
		{"entity expansion", func() []byte {
			return testZip(t, map[string]string{"word/document.xml": `<!DOCTYPE d [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>` +
				`<w:document ` + testNS + `><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>`})
		}, "不是有效的 Word 文档", nil},
		{"too many entries", manyEntries, "文件超过 10000 个", nil},
		{"deeply nested tables", func() []byte {
			return testDocx(t, nest(`<w:tbl><w:tr><w:tc>`, `</w:tc></w:tr></w:tbl>`, 40, `<w:p/>`), "", "")
		}, "表格嵌套超过 32 层", nil},
		{"deeply nested text box tables", func() []byte {
			return testDocx(t, `<w:p><w:r>`+nest(`<w:tbl><w:tr><w:tc>`, `</w:tc></w:tr></w:tbl>`, 40, `<w:p/>`)+`</w:r></w:p>`, "", "")
		}, "表格嵌套超过 32 层", nil},
		{"deeply nested elements", func() []byte {
			return testDocx(t, nest(`<w:sdt><w:sdtContent>`, `</w:sdtContent></w:sdt>`, 3000, p("深")), "", "")
		}, "嵌套超过 1024 层", nil},
		{"deeply nested styles.xml", func() []byte {
			return testDocx(t, p("x"), nest(`<w:x>`, `</w:x>`, 3000, ""), "")
		}, "嵌套超过 1024 层", nil},
		{"huge gridSpan", func() []byte {
			return testDocx(t, tbl(tr(tc(`<w:gridSpan w:val="2000000000"/>`, p("宽")))), "", "")
		}, "表 1 第 1 行超过 1024 列", nil},
		{"too wide a row", func() []byte {
			return testDocx(t, tbl(tr(strings.Repeat(tc("", `<w:p/>`), 1100))), "", "")
		}, "超过 1024 列", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantRefused(t, tt.data(), tt.want, tt.is) })
	}
}

func wantRefused(t *testing.T, data []byte, want string, is error) {
	t.Helper()
	doc, err := ReadDocx("h.docx", data)
	if err == nil {
		t.Fatalf("read %d blocks, want an error", len(doc.Blocks))
	}
	if !strings.HasPrefix(err.Error(), "h.docx: ") || !strings.Contains(err.Error(), want) {
		t.Errorf("error %q, want it to begin with the file name and say %q", err, want)
	}
	if is != nil && !errors.Is(err, is) {
		t.Errorf("error %q is not %v", err, is)
	}
}

// A part that unpacks past MaxTextSize is refused after reading no more
// than that, whether its header admits the size or hides it. Heavy: under
// -race unpacking 32 MB takes most of a minute.
func TestHeavyDocxZipBomb(t *testing.T) {
	heavytest.Mark(t)
	const bombSize = 40 << 20

	honestBomb := func(part string) []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		if part != "word/document.xml" {
			f, _ := zw.Create("word/document.xml")
			io.WriteString(f, testDocumentXML(p("正文")))
		}
		f, err := zw.Create(part)
		if err != nil {
			t.Fatal(err)
		}
		if err := bombPart(f, bombSize); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	// A header that understates the size: archive/zip stops at the size
	// claimed, which must surface as an error rather than as a cut-off text.
	lyingBomb := func() []byte {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		if err := bombPart(fw, bombSize); err != nil {
			t.Fatal(err)
		}
		fw.Close()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: 1 << 10})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
		zw.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name string
		data func() []byte
		want string
		is   error
	}{
		{"document.xml", func() []byte { return honestBomb("word/document.xml") }, "word/document.xml 解压后超过 32 MB", nil},
		{"styles.xml", func() []byte { return honestBomb("word/styles.xml") }, "word/styles.xml 解压后超过 32 MB", nil},
		{"lying header", lyingBomb, "不是有效的 Word 文档", zip.ErrFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantRefused(t, tt.data(), tt.want, tt.is) })
	}
}

// FuzzReadDocx feeds arbitrary bytes to ReadDocx, which must never panic
// and must locate everything it reads. Input that is not a zip is also
// packed as word/document.xml beside fixed styles and numbering, as random
// zips rarely get past their checksums to exercise the XML walker.
func FuzzReadDocx(f *testing.F) {
	var buf bytes.Buffer
	src, _ := ReadText("s.txt", []byte("一、概况\n项目\t金额\n\t10\n（一）说明\n"), "txt")
	src.Blocks = append(src.Blocks, Block{Para: &Paragraph{Text: "标题", Level: 2}},
		Block{Table: &Table{Rows: [][]Cell{{{Text: "a"}, {Text: "a", Merged: true}}, {{Text: "a", Merged: true}, {Text: "b"}}}}})
	if err := WriteDocx(&buf, src); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(testDocx(f, numbered(1, 0, "甲")+numbered(1, 1, "乙"), `<w:style w:styleId="1"><w:name w:val="heading 1"/></w:style>`,
		`<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>`+
			`<w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`))
	f.Add([]byte(testDocumentXML(styled("1", "标题") + numbered(1, 1, "条") + tbl(
		tr(tc(`<w:gridSpan w:val="2"/><w:vMerge w:val="restart"/>`, p("A")), tc("", p("B"))),
		tr(tc(`<w:gridSpan w:val="2"/><w:vMerge/>`, `<w:p/>`), tc(`<w:hMerge/>`, p("C"))),
		tr(`<w:trPr><w:gridBefore w:val="2"/></w:trPr>`, tc("", tbl(tr(tc("", p("内")))))),
	))))
	const styles = `<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>`
	const numbering = `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>` +
		`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="%1.%2"/><w:isLgl/></w:lvl></w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte("PK")) {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			for _, part := range []struct{ name, body string }{
				{"word/document.xml", string(data)},
				{"word/styles.xml", `<w:styles ` + testNS + `>` + styles + `</w:styles>`},
				{"word/numbering.xml", `<w:numbering ` + testNS + `>` + numbering + `</w:numbering>`},
			} {
				w, _ := zw.Create(part.name)
				io.WriteString(w, part.body)
			}
			zw.Close()
			data = buf.Bytes()
		}
		doc, err := ReadDocx("f.docx", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f.docx: ") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		for _, b := range doc.Blocks {
			switch {
			case b.Para != nil:
				if b.Para.Loc.Line < 1 || b.Para.Text == "" || b.Para.Text != strings.TrimSpace(b.Para.Text) {
					t.Fatalf("paragraph %q at %+v", b.Para.Text, b.Para.Loc)
				}
			case b.Table != nil:
				for i, row := range b.Table.Rows {
					for j, c := range row {
						if c.Loc.Table != b.Table.Loc.Table || c.Loc.Row != i+1 || c.Loc.Col != j+1 || c.Loc.Line != b.Table.Loc.Line {
							t.Fatalf("cell %d,%d at %+v in table at %+v", i+1, j+1, c.Loc, b.Table.Loc)
						}
					}
				}
			default:
				t.Fatal("empty block")
			}
		}
		doc.Lines()
	})
}
