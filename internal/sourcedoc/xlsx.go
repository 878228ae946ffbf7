package sourcedoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"path"
	"strings"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
)

// xlsxOLEMagic starts a Compound File: an Excel 97-2003 .xls, or an .xlsx that
// Excel or WPS encrypted with an open password.
var xlsxOLEMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// maxXlsxRowSteps bounds the rows stepped through in all sheets, gaps included:
// excelize walks a gap one row at a time, so a tiny sheet holding only row
// 1048576 costs a million steps, and ten thousand of them would hang.
const maxXlsxRowSteps = 16 * excelize.TotalRows

var (
	errTooManyCells = errors.New("too many cells")
	errTooManyRows  = errors.New("too many rows")
	errNoSheets     = errors.New("找不到任何工作表")
	// Every worksheet needs a part of its own.
	errTooManySheets = fmt.Errorf("工作表或关系太多（上限 %d 个），拒绝读取", MaxZipEntries)
)

// ReadXlsx reads an Excel workbook: each visible worksheet, in workbook
// order, becomes one table whose cells sit at their sheet positions
// (Rows[i][j] is row i+1, column j+1), so that a citation names the cell a
// reviewer finds in Excel. Hidden sheets are left out: they are not part of
// what was published.
//
// A cell's text is what Excel displays, not the number stored: a figure
// published as "1,234.50" or "84.69%" must be cited as printed, and the
// stored 1234.5 or 0.8469 would neither match the report's sentence nor
// show the decimals the department chose. Formulas are never evaluated;
// their results are the values Excel cached when the file was saved, and if
// the number format hides a formula's cached value, the cached value is
// used so that a computed figure is not lost.
//
// Empty cells at the ends of rows and empty rows at the end of a sheet are
// dropped; an empty row between others stays, as an empty slice, so that
// row numbers stay the sheet's.
func ReadXlsx(name string, data []byte) (*Document, error) {
	if bytes.HasPrefix(data, xlsxOLEMagic) {
		return nil, xlsxOLEError(name, data)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, notWorkbook(name, err)
	}
	if len(zr.File) > MaxZipEntries {
		return nil, fmt.Errorf("%s: 文件内部条目太多（%d 个，上限 %d 个），拒绝读取", name, len(zr.File), MaxZipEntries)
	}
	parts := make(map[string]*zip.File, len(zr.File))
	var unzipped uint64
	for _, zf := range zr.File {
		// Declared sizes are what excelize checks too, and archive/zip
		// fails an entry that unpacks to more than it declared. Each is
		// checked alone as well, so that huge ones cannot wrap the sum.
		unzipped += zf.UncompressedSize64
		if zf.UncompressedSize64 > MaxTextSize || unzipped > MaxTextSize {
			return nil, fmt.Errorf("%s: 解压后太大（超过 %d 字节），拒绝读取", name, MaxTextSize)
		}
		parts[strings.ReplaceAll(zf.Name, `\`, "/")] = zf
	}
	if _, ok := parts["word/document.xml"]; ok {
		return nil, notWorkbook(name, errors.New("这是 Word 文档，请把扩展名改为 .docx 再导入"))
	}
	// Resolved before excelize opens the file: matching sheets to their
	// parts costs excelize sheets × relationships, which a forged
	// workbook could make billions.
	paths, err := sheetPaths(parts)
	if errors.Is(err, errNoSheets) {
		return nil, notWorkbook(name, err)
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	// Every part stays in memory (UnzipXMLSizeLimit equal to the whole), so
	// reading never leaves temporary files behind. RawCellValue is left
	// false: cells are read as displayed (see above).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit:    MaxTextSize,
		UnzipXMLSizeLimit: MaxTextSize,
	})
	if err != nil {
		return nil, notWorkbook(name, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, notWorkbook(name, errNoSheets)
	}
	if len(sheets) > MaxZipEntries { // in case sheetPaths could not parse the workbook
		return nil, fmt.Errorf("%s: %w", name, errTooManySheets)
	}
	doc := &Document{Name: name, Format: "xlsx"}
	b := &xlsxBudget{cells: MaxCells, steps: maxXlsxRowSteps, visits: 2 * MaxCells}
	for _, sheet := range sheets {
		visible, err := f.GetSheetVisible(sheet)
		if err != nil {
			return nil, notWorkbook(name, err)
		}
		if !visible {
			continue
		}
		g := &xlsxGrid{xlsxBudget: b}
		err = g.readValues(f, sheet)
		if err == nil && parts[paths[sheet]] != nil {
			err = g.readSheetXML(parts[paths[sheet]])
		}
		switch {
		case errors.Is(err, errTooManyCells):
			return nil, fmt.Errorf("%s: 表格太大：单元格合计超过 %d 个（读到工作表“%s”时），请删去无关的工作表或区域后再导入", name, MaxCells, sheet)
		case errors.Is(err, errTooManyRows):
			return nil, fmt.Errorf("%s: 表格太大：行数合计超过 %d 行（读到工作表“%s”时），请删去无关的工作表或区域后再导入", name, maxXlsxRowSteps, sheet)
		case err != nil:
			return nil, notWorkbook(name, err)
		}
		doc.Blocks = append(doc.Blocks, Block{Table: g.table(name, sheet)})
	}
	return doc, nil
}

func notWorkbook(name string, err error) error {
	return fmt.Errorf("%s: 不是有效的 Excel 工作簿（.xlsx）：%w", name, err)
}

// xlsxOLEError explains a Compound File given as .xlsx. Decrypting is never
// tried: disclose has no password to offer.
func xlsxOLEError(name string, data []byte) error {
	marker := utf16.Encode([]rune("EncryptedPackage"))
	le := make([]byte, 0, 2*len(marker))
	for _, u := range marker {
		le = append(le, byte(u), byte(u>>8))
	}
	if bytes.Contains(data, le) {
		return fmt.Errorf("%s: 工作簿设置了打开密码，无法读取；请在 Excel 或 WPS 中打开它，取消密码后另存为 .xlsx 再导入", name)
	}
	return fmt.Errorf("%s: %w：这是 Excel 97-2003 格式（.xls）的文件，%s", name, ErrFormat, ConvertHint(".xls"))
}

// xlsxBudget is what the whole workbook may still cost. An empty row inside a
// table costs as much as a cell, so a sheet made of gaps is refused too.
type xlsxBudget struct {
	cells int // cells and empty rows that may still be added
	steps int // rows that may still be stepped through, gaps included
	// visits bounds the positions and rows that merged ranges may still
	// walk: ranges that do not overlap, as Excel saves them, walk each
	// cell once and each of their rows once, two visits per cell at most.
	visits int
}

// xlsxGrid is one sheet's cells by 1-based row and column.
type xlsxGrid struct {
	rows [][]Cell
	*xlsxBudget
}

// at returns the cell at (row, col), or nil outside the grid.
func (g *xlsxGrid) at(row, col int) *Cell {
	if row < 1 || row > len(g.rows) || col < 1 || col > len(g.rows[row-1]) {
		return nil
	}
	return &g.rows[row-1][col-1]
}

// grow returns the cell at (row, col), extending the grid to hold it.
func (g *xlsxGrid) grow(row, col int) (*Cell, error) {
	if c := g.at(row, col); c != nil {
		return c, nil
	}
	cost := col
	if row > len(g.rows) {
		cost += row - len(g.rows) - 1
	} else if have := len(g.rows[row-1]); have > 0 {
		cost -= have
	} else {
		cost-- // the row was empty and already paid for as one
	}
	if cost > g.cells {
		return nil, errTooManyCells
	}
	g.cells -= cost
	if row > len(g.rows) {
		g.rows = append(g.rows, make([][]Cell, row-len(g.rows))...)
	}
	r := &g.rows[row-1]
	*r = append(*r, make([]Cell, col-len(*r))...)
	return &(*r)[col-1], nil
}

// readValues reads the displayed text of every cell through excelize's
// streaming reader, which, unlike its whole-sheet reader, does not expand a
// forged sheet into millions of empty rows and cells.
func (g *xlsxGrid) readValues(f *excelize.File, sheet string) error {
	rows, err := f.Rows(sheet)
	if err != nil {
		return err
	}
	defer rows.Close()
	// Next steps through gaps one row at a time, so counting its calls
	// gives the sheet's row number.
	for row := 1; rows.Next(); row++ {
		if g.steps--; g.steps < 0 {
			return errTooManyRows
		}
		vals, err := rows.Columns()
		if err != nil {
			return err
		}
		n := len(vals)
		for n > 0 && strings.TrimSpace(vals[n-1]) == "" {
			n--
		}
		if n == 0 {
			continue
		}
		if _, err := g.grow(row, n); err != nil {
			return err
		}
		for j, v := range vals[:n] {
			g.rows[row-1][j].Text = strings.TrimSpace(v)
		}
	}
	return rows.Close()
}

// readSheetXML reads from the worksheet part what excelize's streaming
// reader does not give: merged ranges and formulas' cached values. The part
// is only scanned, never expanded, so its size bounds the work.
func (g *xlsxGrid) readSheetXML(zf *zip.File) error {
	rc, err := zf.Open()
	if err != nil {
		return nil
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var (
		inCell, inV, hasF bool
		ref               string
		v                 strings.Builder
	)
	for {
		tok, err := d.Token()
		if err != nil {
			// excelize has read the values already; a tail it tolerated
			// but we cannot parse only costs merges.
			return nil
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				inCell, hasF, ref = true, false, xlsxAttr(t, "r")
				v.Reset()
			case "f":
				hasF = hasF || inCell
			case "v":
				inV = inCell
			case "mergeCell":
				if err := g.merge(xlsxAttr(t, "ref")); err != nil {
					return err
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "v":
				inV = false
			case "c":
				if hasF && v.Len() > 0 {
					if err := g.cached(ref, v.String()); err != nil {
						return err
					}
				}
				inCell = false
			}
		case xml.CharData:
			if inV && v.Len() < 1<<16 {
				v.Write(t)
			}
		}
	}
}

func xlsxAttr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// cached fills a formula cell that displays nothing with its cached value.
func (g *xlsxGrid) cached(ref, value string) error {
	value = strings.TrimSpace(value)
	col, row, err := excelize.CellNameToCoordinates(ref)
	if err != nil || value == "" {
		return nil
	}
	if c := g.at(row, col); c != nil && c.Text != "" {
		return nil
	}
	c, err := g.grow(row, col)
	if err != nil {
		return err
	}
	c.Text = value
	return nil
}

// merge copies a merged range's top-left text to its other positions. Excel
// shows only the top-left value, so whatever else the file holds there is
// overwritten. An empty range is not allowed to lengthen the grid.
func (g *xlsxGrid) merge(ref string) error {
	from, to, ok := strings.Cut(ref, ":")
	if !ok {
		return nil
	}
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if err1 != nil || err2 != nil {
		return nil
	}
	c1, c2 = min(c1, c2), max(c1, c2)
	r1, r2 = min(r1, r2), max(r1, r2)
	text := ""
	if c := g.at(r1, c1); c != nil {
		text = c.Text
	}
	if text == "" {
		r2 = min(r2, len(g.rows))
	} else {
		// Refuse a range too big to fill before filling it.
		need := int64(r2-r1+1) * int64(c2-c1+1)
		for r := r1; r <= min(r2, len(g.rows)); r++ {
			need -= int64(max(0, min(len(g.rows[r-1]), c2)-c1+1))
		}
		if need > int64(g.cells) {
			return errTooManyCells
		}
	}
	for r := r1; r <= r2; r++ {
		if g.visits--; g.visits < 0 {
			return errTooManyCells
		}
		for c := c1; c <= c2; c++ {
			if r == r1 && c == c1 {
				continue
			}
			if text == "" && g.at(r, c) == nil {
				break // the rest of this row lies beyond the grid too
			}
			// Overlapping ranges, which Excel never saves, could walk
			// the same positions again and again without adding a cell.
			if g.visits--; g.visits < 0 {
				return errTooManyCells
			}
			cell, err := g.grow(r, c)
			if err != nil {
				return err
			}
			cell.Text, cell.Merged = text, true
		}
	}
	return nil
}

// table trims empty cells off the ends of rows and empty rows off the end
// of the sheet, and gives every cell its place.
func (g *xlsxGrid) table(name, sheet string) *Table {
	for i, row := range g.rows {
		n := len(row)
		for n > 0 && row[n-1].Text == "" {
			n--
		}
		g.rows[i] = row[:n:n]
		for j := range g.rows[i] {
			g.rows[i][j].Loc = Loc{File: name, Sheet: sheet, Row: i + 1, Col: j + 1}
		}
	}
	n := len(g.rows)
	for n > 0 && len(g.rows[n-1]) == 0 {
		n--
	}
	return &Table{Name: sheet, Rows: g.rows[:n:n], Loc: Loc{File: name, Sheet: sheet}}
}

// sheetPaths maps each worksheet's name to its part, resolving the
// package's relationships as excelize does.
func sheetPaths(parts map[string]*zip.File) (map[string]string, error) {
	paths := map[string]string{}
	var root xlsxRels
	_ = readXlsxPart(parts["_rels/.rels"], &root) // unreadable: no workbook below
	wb := ""
	for _, r := range root.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			wb = strings.TrimPrefix(r.Target, "/")
			break
		}
	}
	if parts[wb] == nil {
		return nil, errNoSheets
	}
	var book struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"id,attr"` // r:id, in either namespace
		} `xml:"sheets>sheet"`
	}
	var rels xlsxRels
	if readXlsxPart(parts[wb], &book) != nil ||
		readXlsxPart(parts[path.Join(path.Dir(wb), "_rels", path.Base(wb)+".rels")], &rels) != nil {
		return paths, nil
	}
	if len(book.Sheets) > MaxZipEntries || len(rels.Rels) > MaxZipEntries {
		return nil, errTooManySheets
	}
	targets := make(map[string]string, len(rels.Rels))
	for _, r := range rels.Rels {
		target := path.Join(path.Dir(wb), r.Target)
		if strings.HasPrefix(r.Target, "/") {
			target = path.Clean(r.Target)
		}
		targets[r.ID] = strings.TrimPrefix(target, "/")
	}
	for _, s := range book.Sheets {
		if t, ok := targets[s.ID]; ok {
			paths[s.Name] = t
		}
	}
	return paths, nil
}

type xlsxRels struct {
	Rels []struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	} `xml:"Relationship"`
}

// readXlsxPart decodes a part whose size the caller has already bounded.
func readXlsxPart(zf *zip.File, v any) error {
	if zf == nil {
		return errors.New("missing part")
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return xml.NewDecoder(rc).Decode(v)
}
