package check

import (
	"strconv"

	"disclose/internal/diag"
	"disclose/internal/markdown"
	"disclose/internal/model"
)

// The site renders narrative Markdown only within markdown.Check's limits
// (nesting, marks, elements), which keep every build fast whatever a file
// holds; beyond them it would show the text as plain paragraphs. No real
// report comes near them, so a text beyond them is a mistake (a paste gone
// wrong, a file that is not a report) and an error here, at the line where
// it happens, rather than a page that silently differs from the source.

// markdownReport checks the Markdown of r that its page renders: the
// narrative, project descriptions, fund notes and editor's notes, and the
// department's duties, checked with its first report so that they are
// reported once (they show on the page of every report).
func (c *checker) markdownReport(r *model.Report) {
	files := make(map[string]string, len(r.Sections))
	for _, s := range r.Sections {
		files[s.Key] = s.File
	}
	for _, st := range model.SectionTitles {
		src := r.Narrative.Get(st.Key)
		if file, ok := files[st.Key]; ok {
			c.markdownText(model.Pos{File: file}, src, place{})
		} else {
			c.markdownText(r.Narrative.Pos, src, place{"文字部分“" + st.Title + "”（" + st.Key + "）", "narrative " + st.Key})
		}
	}
	for _, f := range append([]*model.Fund{r.Totals}, r.Funds...) {
		if f == nil || f.Note == "" {
			continue
		}
		label := fundLabel(f)
		if f == r.Totals {
			label = "部门整体"
		}
		// The page renders the note after the fund's name.
		c.markdownText(f.Pos, f.FundName()+"："+f.Note, place{"“" + label + "”的说明（note）", "note of " + label})
	}
	for _, p := range r.Projects {
		c.markdownText(p.Pos, p.Description, place{"项目“" + p.Name + "”的说明（description）", "description of project " + p.Name})
	}
	for i, n := range r.Notes {
		k := strconv.Itoa(i + 1)
		c.markdownText(r.Pos, n, place{"第 " + k + " 条编者注（notes）", "note " + k})
	}
	if d := r.Department; d != nil && len(d.Reports) > 0 && d.Reports[0] == r {
		if d.DutiesFile != "" {
			c.markdownText(model.Pos{File: d.DutiesFile}, d.Duties, place{})
		} else {
			c.markdownText(d.Pos, d.Duties, place{"主要职能（duties）", "duties"})
		}
	}
}

// Config checks the Markdown of the site settings: the description and
// the footer every page shows.
func Config(cfg *model.SiteConfig) []diag.Diagnostic {
	c := &checker{}
	c.markdownText(cfg.Pos, cfg.Description, place{"网站简介（description）", "description"})
	c.markdownText(cfg.Pos, cfg.Footer, place{"页脚（footer）", "footer"})
	return c.out
}

// place names a text written inside a YAML file, whose diagnostic is
// positioned at the value's mapping and so says which line of the text;
// it is zero for a .md file of its own, positioned at the line.
type place struct{ zh, en string }

func (c *checker) markdownText(pos model.Pos, src string, at place) {
	e, ok := markdown.Check(src)
	if ok {
		return
	}
	whereZh, whereEn := "", ""
	if at == (place{}) {
		pos.Line, pos.Col = e.Line, 1
	} else {
		line := strconv.Itoa(e.Line)
		whereZh = at.zh + "第 " + line + " 行："
		whereEn = at.en + ", line " + line + ": "
	}
	found, limit := strconv.Itoa(e.Found), strconv.Itoa(e.Max())
	var zh, en, hintZh, hintEn string
	switch e.Limit {
	case markdown.Depth:
		zh = "引用（行首的 >）和列表（行首的 -、*、+ 或 1.）嵌套了 " + found + " 层，超过上限 " + limit + " 层"
		en = "block quotes and lists are nested " + found + " deep, more than " + limit
		hintZh = "报告正文最多嵌套两三层。检查这一行开头是否误粘贴了一串 > 或 - 等符号并删去；确需在行首写这些符号时，在前面加反斜杠，如 \\>。"
		hintEn = "Reports nest two or three levels at most. Delete the run of > or - pasted at the start of the line; to write such a character at the start of a line, put a backslash before it (\\>)."
	case markdown.Brackets:
		zh = "同一段中未配对的方括号“[”超过 " + limit + " 个"
		en = "more than " + limit + " brackets \"[\" are open at once in one paragraph"
		hintZh = "方括号在 Markdown 里用来写链接。检查是否误粘贴了一串 [ 并删去；正文中的方括号可改用全角【】或［］。"
		hintEn = "Brackets make links in Markdown. Delete the run of [ pasted here; in running text, use 【】 or ［］ instead."
	case markdown.Elements:
		zh = "到这一行，Markdown 格式元素（行、列表项、表格单元格和 ` * _ ~ [ ] ! < 等符号）已有 " + found + " 个，超过上限 " + limit + " 个"
		en = "the text has " + found + " Markdown elements (lines, list items, table cells, marks) by this line, more than " + limit
		hintZh = "一节文字不会有这么多格式元素：检查是否误粘贴了大量符号或整份数据。表格每一行都按分隔行（|---|---|）的列数补足单元格，也请检查分隔行的列数。"
		hintEn = "A section has far fewer: look for pasted symbols or data. Every table row is padded to the columns of its delimiter row (|---|---|); check that row too."
	case markdown.Work:
		zh = "从这一行开始的一段文字长 " + strconv.Itoa(e.Size) + " 字节，又含有 " + found + " 个 Markdown 符号（` * _ ~ [ ] ! <），处理起来太慢"
		en = "the paragraph starting here is " + strconv.Itoa(e.Size) + " bytes long with " + found + " Markdown marks (` * _ ~ [ ] ! <), too slow to render"
		hintZh = "在段落之间加空行，把它分成几段；或删去多余的符号，正文中确需这些符号时改用全角字符（＊ ＿ ～ ［ ］ ！ ＜）。"
		hintEn = "Split it into paragraphs with blank lines, or delete the marks; in running text, use full-width characters (＊ ＿ ～ ［ ］ ！ ＜)."
	}
	c.add(diag.New(pos, diag.MarkdownNesting, whereZh, zh, whereEn, en, hintZh, hintEn))
}
