// Package sourcedoc reads the documents departments already have (Word
// .docx, plain text and Markdown, Excel .xlsx) into one located form: a
// sequence of paragraphs and tables in which every piece of text knows where
// in its file it came from, so that an importer can cite it. It owns the
// file formats only, not what the text means, and imports nothing of ours.
//
// Layer 0 (see internal/arch).
package sourcedoc

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// Loc is where a piece of text sits in its source file.
type Loc struct {
	File string // base name of the source file
	// Line is the 1-based line of a text file, or the 1-based paragraph of
	// a .docx body (tables count as one paragraph each, so the numbers
	// follow the document's reading order).
	Line int
	// Table is the 1-based table of a .docx ("表 2"); Sheet names an .xlsx
	// worksheet. Row and Col are 1-based within either.
	Table    int
	Sheet    string
	Row, Col int
}

// String cites the place the way a reviewer finds it in the original:
// 第 24 行, 第 24 段, 表 2 第 3 行第 4 列, 表“绩效自评表”!D7.
func (l Loc) String() string {
	switch {
	case l.Sheet != "":
		if l.Row == 0 {
			return fmt.Sprintf("表“%s”", l.Sheet)
		}
		return fmt.Sprintf("表“%s”!%s", l.Sheet, CellName(l.Col, l.Row))
	case l.Table > 0:
		s := fmt.Sprintf("表 %d", l.Table)
		if l.Row > 0 {
			s += fmt.Sprintf(" 第 %d 行", l.Row)
		}
		if l.Col > 0 {
			s += fmt.Sprintf("第 %d 列", l.Col)
		}
		return s
	case strings.EqualFold(filepath.Ext(l.File), ".docx"):
		return fmt.Sprintf("第 %d 段", l.Line)
	}
	return fmt.Sprintf("第 %d 行", l.Line)
}

// CellName is the spreadsheet name of a 1-based column and row: (4, 7) is D7.
func CellName(col, row int) string {
	var b []byte
	for c := col; c > 0; c = (c - 1) / 26 {
		b = append([]byte{byte('A' + (c-1)%26)}, b...)
	}
	return fmt.Sprintf("%s%d", b, row)
}

// Paragraph is one paragraph of text (a line of a text file).
type Paragraph struct {
	Text string
	// Level is the heading level a .docx style or Markdown "#" gives
	// (1 for a title), 0 for body text.
	Level int
	Loc   Loc
}

// Cell is one cell of a table. A cell merged over several grid positions
// appears at each of them with the same text and Merged set on all but the
// first, so rows keep their columns.
type Cell struct {
	Text   string
	Merged bool
	Loc    Loc
}

// Table is a table of a .docx or a worksheet of an .xlsx.
type Table struct {
	Name string // sheet name; "" for a .docx table
	Rows [][]Cell
	Loc  Loc
}

// Block is a Paragraph or a Table, in document order.
type Block struct {
	Para  *Paragraph
	Table *Table
}

// Document is a source file read into blocks.
type Document struct {
	Name   string // base name
	Format string // "txt", "md", "docx", "xlsx"
	Blocks []Block
}

// Line is one line of text to match sentences against: a paragraph, or a
// table row with its cells joined by tabs (as a text export of the same
// table would have it).
type Line struct {
	Text  string
	Loc   Loc
	Cells []Cell // nil for a paragraph
	Level int
}

// Lines flattens the document into lines in reading order. Merged copies
// of a cell are left out of the joined text so that a merged header reads
// once.
func (d *Document) Lines() []Line {
	var out []Line
	for _, b := range d.Blocks {
		switch {
		case b.Para != nil:
			out = append(out, Line{Text: b.Para.Text, Loc: b.Para.Loc, Level: b.Para.Level})
		case b.Table != nil:
			for _, row := range b.Table.Rows {
				var parts []string
				var cells []Cell
				for _, c := range row {
					if c.Merged {
						continue
					}
					parts = append(parts, c.Text)
					cells = append(cells, c)
				}
				if len(cells) == 0 {
					continue
				}
				loc := cells[0].Loc
				loc.Col = 0
				out = append(out, Line{Text: strings.Join(parts, "\t"), Loc: loc, Cells: cells})
			}
		}
	}
	return out
}

// ErrFormat is returned for a file type disclose cannot read; the message
// says how to convert it.
var ErrFormat = errors.New("unsupported source format")

// Limits on what one source file may hold, so that a hostile or broken
// file is refused instead of exhausting memory.
const (
	MaxFileSize   = 64 << 20  // bytes of the file itself
	MaxTextSize   = 32 << 20  // bytes of text after unpacking
	MaxCells      = 2_000_000 // table cells in all
	MaxZipEntries = 10_000
)

// Read reads a source file by its extension.
func Read(name string, data []byte) (*Document, error) {
	base := filepath.Base(name)
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("%s: 文件太大（%d 字节，上限 %d 字节）", base, len(data), MaxFileSize)
	}
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".txt", ".text", "":
		return ReadText(base, data, "txt")
	case ".md", ".markdown":
		return ReadText(base, data, "md")
	case ".docx":
		return ReadDocx(base, data)
	case ".xlsx", ".xlsm":
		return ReadXlsx(base, data)
	case ".doc", ".xls", ".wps", ".et", ".pdf", ".rtf", ".odt", ".ods":
		return nil, fmt.Errorf("%s: %w：%s", base, ErrFormat, ConvertHint(ext))
	default:
		return nil, fmt.Errorf("%s: %w：只能导入 .docx、.xlsx、.txt、.md 文件", base, ErrFormat)
	}
}

// ConvertHint tells a user how to turn a file disclose cannot read into one
// it can.
func ConvertHint(ext string) string {
	switch ext {
	case ".xls", ".et", ".ods":
		return "请先另存为 .xlsx（WPS 或 Excel：文件 → 另存为 → Excel 工作簿），或运行 libreoffice --headless --convert-to xlsx 文件名"
	case ".pdf":
		return "PDF 里的文字和表格无法可靠还原；请向编制单位要 Word 或 Excel 原件，或把 PDF 的文字复制到 .txt 文件再导入"
	}
	return "请先另存为 .docx（WPS 或 Word：文件 → 另存为 → Word 文档），或运行 libreoffice --headless --convert-to docx 文件名"
}
