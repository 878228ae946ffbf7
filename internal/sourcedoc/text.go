package sourcedoc

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// ReadText reads a plain text or Markdown file: one paragraph per line,
// numbered as the file's lines (blank lines are left out but still
// counted). Lines holding tabs are a table's rows, as a Word table copied
// as text comes out; consecutive ones make one table.
func ReadText(name string, data []byte, format string) (*Document, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		if s, ok := decodeGB18030(data); ok {
			data = []byte(s)
		} else {
			return nil, fmt.Errorf("%s: 文件不是 UTF-8 或 GBK 编码的文字", name)
		}
	}
	if len(data) > MaxTextSize {
		return nil, fmt.Errorf("%s: 文字太长（%d 字节，上限 %d 字节）", name, len(data), MaxTextSize)
	}
	doc := &Document{Name: name, Format: format}
	var table *Table
	tables := 0
	for i, raw := range strings.Split(string(data), "\n") {
		line := strings.TrimRight(raw, "\r")
		loc := Loc{File: name, Line: i + 1}
		if cells, ok := splitRow(line); ok {
			if table == nil {
				tables++
				table = &Table{Loc: loc}
				doc.Blocks = append(doc.Blocks, Block{Table: table})
			}
			var row []Cell
			for j, c := range cells {
				row = append(row, Cell{Text: strings.TrimSpace(c), Loc: Loc{File: name, Line: i + 1, Row: len(table.Rows) + 1, Col: j + 1}})
			}
			table.Rows = append(table.Rows, row)
			continue
		}
		table = nil
		text := strings.TrimSpace(line)
		if text == "" {
			continue
		}
		level := 0
		if format == "md" {
			if h := strings.TrimLeft(text, "#"); len(h) < len(text) && len(text)-len(h) <= 6 && strings.HasPrefix(h, " ") {
				level = len(text) - len(h)
				text = strings.TrimSpace(h)
			}
		}
		doc.Blocks = append(doc.Blocks, Block{Para: &Paragraph{Text: text, Level: level, Loc: loc}})
	}
	return doc, nil
}

// decodeGB18030 reads text saved in the GBK family of encodings, which
// Windows Notepad and many finance systems still write.
func decodeGB18030(data []byte) (string, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil || !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}

// splitRow splits a line that is a table row: cells separated by tabs, as a
// Word table pasted as text gives, or by " | ", as converters write tables
// to text. A lone "|" in prose does not make a table.
func splitRow(line string) ([]string, bool) {
	if strings.TrimSpace(line) == "" {
		return nil, false
	}
	if strings.Contains(line, "\t") {
		return strings.Split(line, "\t"), true
	}
	if strings.Count(line, " | ") >= 2 || strings.HasSuffix(strings.TrimSpace(line), " |") && strings.Count(line, "|") >= 2 {
		cells := strings.Split(strings.TrimSpace(line), "|")
		if strings.TrimSpace(cells[len(cells)-1]) == "" {
			cells = cells[:len(cells)-1]
		}
		return cells, true
	}
	return nil, false
}
