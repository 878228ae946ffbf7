package sourcedoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// docxEpoch is the time stamped on every part WriteDocx writes, so that the
// same document always gives the same bytes.
var docxEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteDocx writes doc as a minimal Word document that Word, WPS and
// LibreOffice open, and that ReadDocx reads back into the same lines: it
// is how tests turn a text fixture into the .docx a department would send.
//
// A paragraph with a Level gets the matching "heading N" style. Each table
// cell becomes a w:tc; Merged copies that follow a cell in its row widen it
// with w:gridSpan, and Merged copies that begin a row continue the cell
// above with w:vMerge.
func WriteDocx(w io.Writer, doc *Document) error {
	parts := []struct {
		name string
		body []byte
	}{
		{"[Content_Types].xml", []byte(docxContentTypes)},
		{"_rels/.rels", []byte(docxRootRels)},
		{"word/_rels/document.xml.rels", []byte(docxDocumentRels)},
		{"word/document.xml", docxDocumentXML(doc)},
		{"word/styles.xml", docxStylesXML()},
	}
	zw := zip.NewWriter(w)
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: docxEpoch})
		if err != nil {
			return err
		}
		if _, err := f.Write(p.body); err != nil {
			return err
		}
	}
	return zw.Close()
}

const docxContentTypes = xml.Header + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
	`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
	`<Default Extension="xml" ContentType="application/xml"/>` +
	`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
	`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
	`</Types>`

const docxRootRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
	`</Relationships>`

const docxDocumentRels = xml.Header + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
	`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
	`</Relationships>`

// A4 with Word's default margins, in twentieths of a point.
const (
	docxPageWidth = 11906
	docxTextWidth = docxPageWidth - 2*1800
)

func docxStylesXML() []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<w:styles xmlns:w="` + nsW + `">`)
	b.WriteString(`<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>`)
	b.WriteString(`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>`)
	// All nine levels, as Markdown gives up to six and ReadDocx up to nine.
	for n := 1; n <= 9; n++ {
		size := max(36-4*n, 24)
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:styleId="Heading%d"><w:name w:val="heading %d"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>`+
			`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="%d"/></w:pPr><w:rPr><w:b/><w:sz w:val="%d"/></w:rPr></w:style>`,
			n, n, n-1, size)
	}
	b.WriteString(`<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>` +
		`<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>`)
	b.WriteString(`</w:styles>`)
	return b.Bytes()
}

func docxDocumentXML(doc *Document) []byte {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<w:document xmlns:w="` + nsW + `"><w:body>`)
	afterTable := false
	for _, blk := range doc.Blocks {
		switch {
		case blk.Para != nil:
			docxPara(&b, blk.Para.Text, blk.Para.Level)
			afterTable = false
		case blk.Table != nil && len(blk.Table.Rows) > 0:
			// Word draws two tables with nothing between as one.
			if afterTable {
				b.WriteString(`<w:p/>`)
			}
			if docxTable(&b, blk.Table) {
				afterTable = true
			}
		}
	}
	// Word wants the body to end in a paragraph.
	if afterTable {
		b.WriteString(`<w:p/>`)
	}
	fmt.Fprintf(&b, `<w:sectPr><w:pgSz w:w="%d" w:h="16838"/><w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`, docxPageWidth)
	b.WriteString(`</w:body></w:document>`)
	return b.Bytes()
}

func docxPara(b *bytes.Buffer, text string, level int) {
	b.WriteString(`<w:p>`)
	if level > 0 {
		fmt.Fprintf(b, `<w:pPr><w:pStyle w:val="Heading%d"/></w:pPr>`, min(level, 9))
	}
	if text != "" {
		b.WriteString(`<w:r>`)
		start := 0
		for i, c := range text {
			if c == '\t' || c == '\n' {
				docxText(b, text[start:i])
				if c == '\t' {
					b.WriteString(`<w:tab/>`)
				} else {
					b.WriteString(`<w:br/>`)
				}
				start = i + 1
			}
		}
		docxText(b, text[start:])
		b.WriteString(`</w:r>`)
	}
	b.WriteString(`</w:p>`)
}

func docxText(b *bytes.Buffer, s string) {
	if s == "" {
		return
	}
	// preserve, or Word drops leading, trailing and doubled spaces.
	b.WriteString(`<w:t xml:space="preserve">`)
	_ = xml.EscapeText(b, []byte(s)) // a bytes.Buffer does not fail
	b.WriteString(`</w:t>`)
}

// docxCell is a w:tc to write: its text, the grid columns it spans, and
// its part in a vertical merge.
type docxCell struct {
	text            string
	col, span       int
	restart, vMerge bool
}

// docxTable writes t, reporting false if no row had a cell to write (Word
// refuses a row without one, and a table without rows).
func docxTable(b *bytes.Buffer, t *Table) bool {
	var rows [][]docxCell
	cols := 0
	for _, row := range t.Rows {
		var out []docxCell
		for j, c := range row {
			if c.Merged && len(out) > 0 {
				out[len(out)-1].span++
				continue
			}
			dc := docxCell{text: c.Text, col: j, span: 1}
			if c.Merged {
				dc.text, dc.vMerge = "", true
			}
			out = append(out, dc)
		}
		if len(out) == 0 {
			continue
		}
		cols = max(cols, len(row))
		rows = append(rows, out)
	}
	if len(rows) == 0 {
		return false
	}
	for i := 1; i < len(rows); i++ {
		for _, c := range rows[i] {
			if !c.vMerge {
				continue
			}
			for k := range rows[i-1] {
				if up := &rows[i-1][k]; up.col == c.col && !up.vMerge {
					up.restart = true
				}
			}
		}
	}
	width := max(docxTextWidth/cols, 1)
	b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		fmt.Fprintf(b, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="auto"/>`, side)
	}
	b.WriteString(`</w:tblBorders><w:tblLook w:val="04A0"/></w:tblPr><w:tblGrid>`)
	b.WriteString(strings.Repeat(fmt.Sprintf(`<w:gridCol w:w="%d"/>`, width), cols))
	b.WriteString(`</w:tblGrid>`)
	for _, row := range rows {
		b.WriteString(`<w:tr>`)
		for _, c := range row {
			fmt.Fprintf(b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>`, width*c.span)
			if c.span > 1 {
				fmt.Fprintf(b, `<w:gridSpan w:val="%d"/>`, c.span)
			}
			switch {
			case c.vMerge:
				b.WriteString(`<w:vMerge/>`)
			case c.restart:
				b.WriteString(`<w:vMerge w:val="restart"/>`)
			}
			b.WriteString(`</w:tcPr>`)
			docxPara(b, c.text, 0)
			b.WriteString(`</w:tc>`)
		}
		b.WriteString(`</w:tr>`)
	}
	b.WriteString(`</w:tbl>`)
	return true
}
