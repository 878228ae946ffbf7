package sourcedoc

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// Limits of a .docx beyond those every source file has. Word itself stops
// at 63 columns; deeper nesting than these is a crafted file, and each
// level of it costs a frame of recursion here.
const (
	maxTableDepth = 32
	maxXMLDepth   = 1024
	maxGridCols   = 1024
)

// Namespaces of WordprocessingML: the transitional one Word and WPS write,
// and the strict one Word can be told to write.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// compoundFileMagic begins a Compound File: an old binary .doc, or a .docx
// that was saved with a password and so encrypted into one.
var compoundFileMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// utf16LE spells ASCII s as a Compound File names its streams.
func utf16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for i := 0; i < len(s); i++ {
		b = append(b, s[i], 0)
	}
	return b
}

// docxRefusal is a limit a document broke. Its text is the whole user-facing
// reason, so it is shown as it is rather than as a malformed file.
type docxRefusal string

func (e docxRefusal) Error() string { return string(e) }

// ReadDocx reads the body of a Word document: its paragraphs and tables in
// reading order. Headers, footers, footnotes and comments are not read, as
// the text a report publishes is in the body.
//
// Loc.Line of a paragraph or table is its 1-based position among the
// blocks of the body, empty paragraphs included, so that a number found
// here can be counted out in Word from the top and stays the same when an
// empty paragraph is given text. Text in a text box belongs to the
// paragraph that anchors it; a table in a table cell, to that cell.
//
// List numbers ("一、", "（一）", "1.") that Word generates are put back in
// front of the paragraph's text, where the published document shows them.
// Deleted tracked changes and hidden text are left out, inserted ones kept.
func ReadDocx(name string, data []byte) (*Document, error) {
	if bytes.HasPrefix(data, compoundFileMagic) {
		// Decrypting is never tried: there is no password to offer.
		if bytes.Contains(data, utf16LE("EncryptedPackage")) {
			return nil, fmt.Errorf("%s: 文档设置了打开密码，无法读取；请在 Word 或 WPS 中打开它，取消密码后另存为 .docx 再导入", name)
		}
		return nil, fmt.Errorf("%s: %w：这是 Word 97-2003 格式（.doc）的文件，%s", name, ErrFormat, ConvertHint(".doc"))
	}
	// archive/zip builds a record for every central-directory header it
	// finds, however few the end record claims, so count them first: a
	// 64 MB file of bare headers would otherwise cost several times that in
	// memory before the entry count could be checked.
	if n := bytes.Count(data, []byte("PK\x01\x02")); n > MaxZipEntries {
		return nil, fmt.Errorf("%s: 压缩包里的文件超过 %d 个，不像正常的 Word 文档，已拒绝读取", name, MaxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: 不是有效的 Word 文档（.docx）：%w", name, err)
	}
	if len(zr.File) > MaxZipEntries {
		return nil, fmt.Errorf("%s: 压缩包里的文件超过 %d 个，不像正常的 Word 文档，已拒绝读取", name, MaxZipEntries)
	}
	p := &docxPackage{name: name, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		// Part names are case-insensitive in a package. A duplicate is
		// malformed; keeping the first makes the choice deterministic.
		k := strings.ToLower(strings.TrimPrefix(f.Name, "/"))
		if _, dup := p.files[k]; !dup {
			p.files[k] = f
		}
	}

	docPart, err := p.mainPart()
	if err != nil {
		return nil, err
	}
	styles, numbering, err := p.auxParts(docPart)
	if err != nil {
		return nil, err
	}
	doc := &Document{Name: name, Format: "docx"}
	r := &docReader{name: name, styles: styles, num: numbering}
	found, err := p.parse(docPart, func(t *xmlTokens) error {
		r.xmlTokens = t
		return r.document(doc)
	})
	if !found {
		return nil, fmt.Errorf("%s: 不是有效的 Word 文档（.docx）：压缩包里没有正文 %s", name, docPart)
	}
	if err != nil {
		return nil, p.fail(docPart, err)
	}
	return doc, nil
}

// docxPackage is the zip package of a .docx.
type docxPackage struct {
	name  string
	files map[string]*zip.File // by lower-cased part name
}

func (p *docxPackage) fail(part string, err error) error {
	var ref docxRefusal
	if errors.As(err, &ref) {
		return fmt.Errorf("%s: %w", p.name, err)
	}
	return fmt.Errorf("%s: 不是有效的 Word 文档（.docx）：%s：%w", p.name, part, err)
}

// parse streams one part through fn, reading at most MaxTextSize bytes of
// it whatever its header claims. found is false if there is no such part.
func (p *docxPackage) parse(part string, fn func(*xmlTokens) error) (found bool, err error) {
	f := p.files[strings.ToLower(part)]
	if f == nil {
		return false, nil
	}
	rc, err := f.Open()
	if err != nil {
		return true, err
	}
	defer rc.Close()
	return true, fn(&xmlTokens{dec: xml.NewDecoder(&cappedReader{r: rc, left: MaxTextSize, part: part})})
}

// mainPart is the document part the package's relationships name, which is
// word/document.xml in every file Word or WPS writes.
func (p *docxPackage) mainPart() (string, error) {
	part := "word/document.xml"
	rels, err := p.rels("_rels/.rels", "")
	if err != nil {
		return "", err
	}
	if t, ok := rels["officeDocument"]; ok {
		part = t
	}
	return part, nil
}

// auxParts reads the styles and numbering definitions the document refers
// to. Without them headings are known only by their style names and list
// numbers are left out, so a missing or broken one is no reason to refuse
// the document; only an oversized one is.
func (p *docxPackage) auxParts(docPart string) (*styleSheet, *numbering, error) {
	dir := path.Dir(docPart)
	rels, err := p.rels(path.Join(dir, "_rels", path.Base(docPart)+".rels"), dir)
	if err != nil {
		return nil, nil, err
	}
	stylesPart, ok := rels["styles"]
	if !ok {
		stylesPart = path.Join(dir, "styles.xml")
	}
	numPart, ok := rels["numbering"]
	if !ok {
		numPart = path.Join(dir, "numbering.xml")
	}
	styles := &styleSheet{byID: map[string]*paraStyle{}}
	if _, err := p.parse(stylesPart, func(t *xmlTokens) error { return styles.read(t) }); err != nil {
		if errors.As(err, new(docxRefusal)) {
			return nil, nil, p.fail(stylesPart, err)
		}
		styles = &styleSheet{byID: map[string]*paraStyle{}}
	}
	num := newNumbering()
	found, err := p.parse(numPart, func(t *xmlTokens) error { return num.read(t) })
	if err != nil {
		if errors.As(err, new(docxRefusal)) {
			return nil, nil, p.fail(numPart, err)
		}
		num = nil
	} else if !found {
		num = nil
	}
	return styles, num, nil
}

// rels reads a relationships part into the targets of the types wanted
// here, keyed by the last segment of the type ("officeDocument", "styles",
// "numbering") so that transitional and strict types both match. Targets
// are resolved against dir. A missing or broken part gives no targets.
func (p *docxPackage) rels(part, dir string) (map[string]string, error) {
	out := map[string]string{}
	_, err := p.parse(part, func(t *xmlTokens) error {
		return t.each(func(tok xml.Token) error {
			s, ok := tok.(xml.StartElement)
			if !ok || s.Name.Local != "Relationship" {
				return nil
			}
			typ, target, mode := plainAttr(s, "Type"), plainAttr(s, "Target"), plainAttr(s, "TargetMode")
			if target == "" || strings.EqualFold(mode, "External") {
				return nil
			}
			kind := typ[strings.LastIndex(typ, "/")+1:]
			switch kind {
			case "officeDocument", "styles", "numbering":
				if _, dup := out[kind]; !dup {
					out[kind] = resolvePart(dir, target)
				}
			}
			return nil
		})
	})
	if err != nil {
		if errors.As(err, new(docxRefusal)) {
			return nil, p.fail(part, err)
		}
		return map[string]string{}, nil
	}
	return out, nil
}

func resolvePart(dir, target string) string {
	if strings.HasPrefix(target, "/") {
		return strings.TrimPrefix(path.Clean(target), "/")
	}
	return strings.TrimPrefix(path.Clean(path.Join("/", dir, target)), "/")
}

// cappedReader fails once more than left bytes come out of r. Header sizes
// are not trusted either way: archive/zip stops a part at the size its
// header claims, and this stops one whose header claims too much.
type cappedReader struct {
	r    io.Reader
	left int64
	part string
}

func (c *cappedReader) Read(b []byte) (int, error) {
	if int64(len(b)) > c.left+1 {
		b = b[:c.left+1]
	}
	n, err := c.r.Read(b)
	if int64(n) > c.left {
		return 0, docxRefusal(fmt.Sprintf("%s 解压后超过 %d MB，不像正常的 Word 文档，已拒绝读取", c.part, MaxTextSize>>20))
	}
	c.left -= int64(n)
	return n, err
}

// xmlTokens reads XML tokens and bounds how deep elements nest, since
// encoding/xml keeps a record of every open element and the walkers here
// recurse once per level.
type xmlTokens struct {
	dec   *xml.Decoder
	depth int
}

func (t *xmlTokens) next() (xml.Token, error) {
	tok, err := t.dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok.(type) {
	case xml.StartElement:
		t.depth++
		if t.depth > maxXMLDepth {
			return nil, docxRefusal(fmt.Sprintf("文档结构嵌套超过 %d 层，已拒绝读取", maxXMLDepth))
		}
	case xml.EndElement:
		t.depth--
	}
	return tok, nil
}

// each hands every remaining token to fn, until the part ends or fn fails.
func (t *xmlTokens) each(fn func(xml.Token) error) error {
	for {
		tok, err := t.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(tok); err != nil {
			return err
		}
	}
}

// skip consumes the rest of the element just started.
func (t *xmlTokens) skip() error {
	for open := 1; open > 0; {
		tok, err := t.next()
		if err != nil {
			return eofIsUnexpected(err)
		}
		switch tok.(type) {
		case xml.StartElement:
			open++
		case xml.EndElement:
			open--
		}
	}
	return nil
}

// An element left open at the end of a part is a truncated file.
func eofIsUnexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

func isW(n xml.Name) bool {
	// An undeclared "w" prefix is left as the space by encoding/xml; a file
	// that forgets the declaration is still plainly WordprocessingML.
	return n.Space == nsW || n.Space == nsWStrict || n.Space == "w"
}

// wVal is the w:val attribute most WordprocessingML properties carry.
func wVal(s xml.StartElement) (string, bool) { return wAttr(s, "val") }

func wAttr(s xml.StartElement, local string) (string, bool) {
	for _, a := range s.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || isW(a.Name)) {
			return a.Value, true
		}
	}
	return "", false
}

func plainAttr(s xml.StartElement, local string) string {
	for _, a := range s.Attr {
		if a.Name.Local == local && a.Name.Space == "" {
			return a.Value
		}
	}
	return ""
}

func intVal(s xml.StartElement) (int, bool) {
	v, ok := wVal(s)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	return n, err == nil
}

// wOn reads an on/off property, which is on when present without a value.
func wOn(s xml.StartElement) bool {
	v, ok := wVal(s)
	if !ok {
		return true
	}
	switch strings.ToLower(v) {
	case "0", "false", "off":
		return false
	}
	return true
}

// opaqueElems hold no published text of their own: properties,
// deleted revisions, field codes, ruby pronunciation, the reference marks
// of notes and comments, and the Fallback copy of markup-compatibility
// content whose Choice is read instead.
var opaqueElems = map[string]bool{
	"sectPr": true, "sdtPr": true, "sdtEndPr": true, "pPr": true, "rPr": true,
	"tblPr": true, "trPr": true, "tcPr": true, "tblGrid": true, "tblPrEx": true,
	"del": true, "moveFrom": true, "delText": true, "delInstrText": true,
	"instrText": true, "fldData": true, "rt": true, "altChunk": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
	"annotationRef": true, "customXmlPr": true, "smartTagPr": true,
}

// docReader walks word/document.xml.
type docReader struct {
	*xmlTokens
	name     string
	styles   *styleSheet
	num      *numbering
	block    int // body-level paragraphs and tables so far
	tables   int // body-level tables so far
	cells    int
	tblDepth int
}

// children walks the children of the element just started until its end.
// fn is offered each child element and reports whether it consumed it; an
// element it declines is skipped if opaque and otherwise entered, its own
// children offered to fn in turn, so that content controls, custom XML,
// hyperlinks and drawings are seen through.
func (r *docReader) children(fn func(xml.StartElement) (bool, error)) error {
	for {
		tok, err := r.next()
		if err != nil {
			return eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			done, err := fn(t)
			if err != nil {
				return err
			}
			switch {
			case done:
			case isW(t.Name) && opaqueElems[t.Name.Local], t.Name.Space == nsMC && t.Name.Local == "Fallback":
				err = r.skip()
			default:
				err = r.children(fn)
			}
			if err != nil {
				return err
			}
		}
	}
}

func (r *docReader) document(doc *Document) error {
	for {
		tok, err := r.next()
		if err == io.EOF {
			return errors.New("正文是空的")
		}
		if err != nil {
			return err
		}
		if _, ok := tok.(xml.StartElement); ok {
			return r.body(doc)
		}
	}
}

func (r *docReader) body(doc *Document) error {
	return r.children(func(s xml.StartElement) (bool, error) {
		if !isW(s.Name) {
			return false, nil
		}
		switch s.Name.Local {
		case "p":
			r.block++
			loc := Loc{File: r.name, Line: r.block}
			text, level, err := r.para()
			if err != nil {
				return true, err
			}
			if text != "" {
				doc.Blocks = append(doc.Blocks, Block{Para: &Paragraph{Text: text, Level: level, Loc: loc}})
			}
			return true, nil
		case "tbl":
			r.block++
			r.tables++
			t, err := r.table(Loc{File: r.name, Line: r.block, Table: r.tables})
			if err != nil {
				return true, err
			}
			doc.Blocks = append(doc.Blocks, Block{Table: t})
			return true, nil
		}
		return false, nil
	})
}

// para reads a paragraph: its text with any list number in front, trimmed,
// and its heading level.
func (r *docReader) para() (string, int, error) {
	var pp pProps
	var number string
	var b strings.Builder
	err := r.children(func(s xml.StartElement) (bool, error) {
		if isW(s.Name) && s.Name.Local == "pPr" {
			if err := r.pPr(&pp); err != nil {
				return true, err
			}
			// Counted here, at the paragraph's start, so that lists in
			// text boxes inside it count after it, in reading order.
			number = r.number(&pp)
			return true, nil
		}
		return r.inline(s, &b)
	})
	if err != nil {
		return "", 0, err
	}
	return strings.TrimSpace(number + strings.TrimSpace(b.String())), r.level(&pp), nil
}

// inline handles an element that may hold text: runs, text, breaks, and
// the paragraphs and tables of text boxes and cells, which are joined into
// the text around them with spaces.
func (r *docReader) inline(s xml.StartElement, b *strings.Builder) (bool, error) {
	if !isW(s.Name) {
		return false, nil
	}
	switch s.Name.Local {
	case "t":
		return true, r.chars(b)
	case "tab", "ptab", "br", "cr":
		b.WriteByte(' ')
		return true, r.skip()
	case "noBreakHyphen":
		b.WriteByte('-')
		return true, r.skip()
	case "r":
		return true, r.run(b)
	case "p":
		text, _, err := r.para()
		if text != "" {
			appendSep(b, text)
			b.WriteByte(' ')
		}
		return true, err
	case "tbl":
		if err := r.enterTable(); err != nil {
			return true, err
		}
		err := r.children(func(s xml.StartElement) (bool, error) { return r.inline(s, b) })
		r.tblDepth--
		return true, err
	}
	return false, nil
}

func appendSep(b *strings.Builder, text string) {
	if n := b.Len(); n > 0 {
		if c := b.String()[n-1]; c != ' ' && c != '\n' && c != '\t' {
			b.WriteByte(' ')
		}
	}
	b.WriteString(text)
}

func (r *docReader) chars(b *strings.Builder) error {
	for {
		tok, err := r.next()
		if err != nil {
			return eofIsUnexpected(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if err := r.skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// run reads a run, leaving it out if it is hidden: hidden text is not
// printed, so it is not what the document published.
func (r *docReader) run(b *strings.Builder) error {
	hidden := false
	return r.children(func(s xml.StartElement) (bool, error) {
		if hidden {
			return true, r.skip()
		}
		if isW(s.Name) && s.Name.Local == "rPr" {
			err := r.children(func(s xml.StartElement) (bool, error) {
				if isW(s.Name) && (s.Name.Local == "vanish" || s.Name.Local == "specVanish") && wOn(s) {
					hidden = true
				}
				return true, r.skip()
			})
			return true, err
		}
		return r.inline(s, b)
	})
}

func (r *docReader) enterTable() error {
	r.tblDepth++
	if r.tblDepth > maxTableDepth {
		return docxRefusal(fmt.Sprintf("表格嵌套超过 %d 层，已拒绝读取", maxTableDepth))
	}
	return nil
}

// mergeColumn is what a row above left in one grid column, for a vertically
// merged cell below to repeat.
type mergeColumn struct {
	text string
	set  bool
}

func (r *docReader) table(loc Loc) (*Table, error) {
	if err := r.enterTable(); err != nil {
		return nil, err
	}
	defer func() { r.tblDepth-- }()
	t := &Table{Loc: loc}
	var above []mergeColumn
	err := r.children(func(s xml.StartElement) (bool, error) {
		if !isW(s.Name) || s.Name.Local != "tr" {
			return false, nil
		}
		row, err := r.row(t, &above)
		t.Rows = append(t.Rows, row)
		return true, err
	})
	return t, err
}

func (r *docReader) row(t *Table, above *[]mergeColumn) ([]Cell, error) {
	var row []Cell
	rowNo := len(t.Rows) + 1
	add := func(text string, merged, real bool) error {
		col := len(row)
		if col >= maxGridCols {
			return docxRefusal(fmt.Sprintf("表 %d 第 %d 行超过 %d 列，已拒绝读取", t.Loc.Table, rowNo, maxGridCols))
		}
		if r.cells++; r.cells > MaxCells {
			return docxRefusal(fmt.Sprintf("表格单元格超过 %d 个，已拒绝读取", MaxCells))
		}
		loc := t.Loc
		loc.Row, loc.Col = rowNo, col+1
		row = append(row, Cell{Text: text, Merged: merged, Loc: loc})
		for len(*above) <= col {
			*above = append(*above, mergeColumn{})
		}
		(*above)[col] = mergeColumn{text: text, set: real}
		return nil
	}
	err := r.children(func(s xml.StartElement) (bool, error) {
		if !isW(s.Name) {
			return false, nil
		}
		switch s.Name.Local {
		case "trPr":
			// Grid columns a row leaves empty at its start are given
			// empty cells, so that every cell sits at its column.
			before := 0
			err := r.children(func(s xml.StartElement) (bool, error) {
				if isW(s.Name) && s.Name.Local == "gridBefore" {
					before, _ = intVal(s)
				}
				return true, r.skip()
			})
			for i := 0; i < before && err == nil; i++ {
				err = add("", false, false)
			}
			return true, err
		case "tc":
			span, vMerge, hMerge := 1, "", ""
			var b strings.Builder
			err := r.children(func(s xml.StartElement) (bool, error) {
				if isW(s.Name) && s.Name.Local == "tcPr" {
					return true, r.children(func(s xml.StartElement) (bool, error) {
						if isW(s.Name) {
							switch s.Name.Local {
							case "gridSpan":
								if n, ok := intVal(s); ok && n > 1 {
									span = min(n, maxGridCols+1)
								}
							case "vMerge":
								vMerge = mergeKind(s)
							case "hMerge":
								hMerge = mergeKind(s)
							}
						}
						return true, r.skip()
					})
				}
				return r.inline(s, &b)
			})
			if err != nil {
				return true, err
			}
			text, merged := strings.TrimSpace(b.String()), false
			col := len(row)
			switch {
			case vMerge == "continue" && col < len(*above) && (*above)[col].set:
				text, merged = (*above)[col].text, true
			case hMerge == "continue" && col > 0:
				text, merged = row[col-1].Text, true
			}
			for i := 0; i < span; i++ {
				if err := add(text, merged || i > 0, true); err != nil {
					return true, err
				}
			}
			return true, nil
		}
		return false, nil
	})
	return row, err
}

func mergeKind(s xml.StartElement) string {
	if v, _ := wVal(s); v == "restart" {
		return "restart"
	}
	return "continue"
}

// pProps are the paragraph properties that decide its level and number.
type pProps struct {
	style      string
	outline    int
	hasOutline bool
	numID      string
	hasNumID   bool
	ilvl       int
	hasIlvl    bool
}

func (r *docReader) pPr(pp *pProps) error {
	return r.children(func(s xml.StartElement) (bool, error) {
		if isW(s.Name) {
			switch s.Name.Local {
			case "pStyle":
				pp.style, _ = wVal(s)
			case "outlineLvl":
				pp.outline, pp.hasOutline = intVal(s)
			case "numPr":
				return true, r.children(func(s xml.StartElement) (bool, error) {
					if isW(s.Name) {
						switch s.Name.Local {
						case "numId":
							pp.numID, pp.hasNumID = wVal(s)
						case "ilvl":
							pp.ilvl, pp.hasIlvl = intVal(s)
						}
					}
					return true, r.skip()
				})
			}
		}
		return true, r.skip()
	})
}

func (r *docReader) styleID(pp *pProps) string {
	if pp.style != "" {
		return pp.style
	}
	return r.styles.defaultPara
}

func (r *docReader) level(pp *pProps) int {
	if pp.hasOutline {
		return outlineLevel(pp.outline)
	}
	return r.styles.level(r.styleID(pp))
}

// number advances the paragraph's list and gives its number text, "" if it
// is not numbered or its numbering cannot be resolved.
func (r *docReader) number(pp *pProps) string {
	if r.num == nil {
		return ""
	}
	id, ilvl := pp.numID, pp.ilvl
	if st := r.styles.numbered(r.styleID(pp)); st != nil {
		if !pp.hasNumID {
			id = st.numID
		}
		if !pp.hasIlvl {
			ilvl = st.ilvl
		}
	} else if !pp.hasNumID {
		return ""
	}
	if id == "0" {
		// numId 0 is how a paragraph turns off its style's list.
		return ""
	}
	return r.num.next(id, ilvl)
}

// outlineLevel turns a 0-based w:outlineLvl into a heading level; 9 and
// anything out of range is body text.
func outlineLevel(n int) int {
	if n >= 0 && n < 9 {
		return n + 1
	}
	return 0
}

// paraStyle is what a paragraph style passes on: its name, the style it is
// based on, and any outline level and list it carries.
type paraStyle struct {
	name, basedOn string
	outline       int
	hasOutline    bool
	numID         string
	ilvl          int
	hasNum        bool
}

type styleSheet struct {
	byID        map[string]*paraStyle
	defaultPara string
}

func (ss *styleSheet) read(t *xmlTokens) error {
	var cur *paraStyle
	return t.each(func(tok xml.Token) error {
		switch e := tok.(type) {
		case xml.EndElement:
			if isW(e.Name) && e.Name.Local == "style" {
				cur = nil
			}
		case xml.StartElement:
			if !isW(e.Name) {
				return nil
			}
			if e.Name.Local == "style" {
				cur = nil
				if typ, _ := wAttr(e, "type"); typ != "paragraph" && typ != "" {
					return nil
				}
				id, _ := wAttr(e, "styleId")
				if _, dup := ss.byID[id]; dup {
					return nil
				}
				cur = &paraStyle{}
				ss.byID[id] = cur
				if d, ok := wAttr(e, "default"); ok && (d == "1" || d == "true" || d == "on") && ss.defaultPara == "" {
					ss.defaultPara = id
				}
				return nil
			}
			if cur == nil {
				return nil
			}
			switch e.Name.Local {
			case "name":
				cur.name, _ = wVal(e)
			case "basedOn":
				cur.basedOn, _ = wVal(e)
			case "outlineLvl":
				cur.outline, cur.hasOutline = intVal(e)
			case "numId":
				cur.numID, cur.hasNum = wVal(e)
			case "ilvl":
				cur.ilvl, _ = intVal(e)
			case "pPrChange", "rPrChange":
				// The properties a tracked change replaced.
				if err := t.skip(); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// maxStyleChain bounds walks up w:basedOn, which a broken file can make
// circular.
const maxStyleChain = 16

// level is the heading level of a paragraph style: a "heading N" or
// "Title" name wins, then an outline level, then the style it is based on.
// A style the file does not define is judged by its id, as a document
// without styles.xml can only mean a built-in style: Word's ids are
// "Heading1" or, in Chinese Word, "1" to "9" for 标题 1 to 标题 9.
func (ss *styleSheet) level(id string) int {
	for i, cur := 0, id; cur != "" && i < maxStyleChain; i++ {
		st := ss.byID[cur]
		if st == nil {
			if i > 0 {
				return 0
			}
			if len(cur) == 1 && cur[0] >= '1' && cur[0] <= '9' {
				return int(cur[0] - '0')
			}
			return headingLevel(cur)
		}
		if n := headingLevel(st.name); n > 0 {
			return n
		}
		if st.hasOutline {
			return outlineLevel(st.outline)
		}
		cur = st.basedOn
	}
	return 0
}

// numbered is the nearest style in id's chain that carries a list, or nil.
func (ss *styleSheet) numbered(id string) *paraStyle {
	for i, cur := 0, id; cur != "" && i < maxStyleChain; i++ {
		st := ss.byID[cur]
		if st == nil {
			return nil
		}
		if st.hasNum {
			return st
		}
		cur = st.basedOn
	}
	return nil
}

// headingLevel reads a heading style's name or id: "heading 1",
// "Heading1", WPS's "标题 1", or "Title"/"标题" for the title.
func headingLevel(name string) int {
	s := strings.ToLower(strings.ReplaceAll(name, " ", ""))
	if s == "title" || s == "标题" {
		return 1
	}
	for _, prefix := range []string{"heading", "标题"} {
		if rest, ok := strings.CutPrefix(s, prefix); ok && len(rest) == 1 && rest[0] >= '1' && rest[0] <= '9' {
			return int(rest[0] - '0')
		}
	}
	return 0
}

// numLevel is one level of a list definition.
type numLevel struct {
	format string // w:numFmt
	text   string // w:lvlText, "%1、"
	suff   string // w:suff: tab, space or nothing after the number
	start  int
	legal  bool // w:isLgl: every level's number in Arabic digits
}

type abstractNum struct{ lvls [9]*numLevel }

// numInstance is a w:num: a list that uses an abstract definition, maybe
// restarting it or redefining levels.
type numInstance struct {
	abstract string
	override [9]*numLevel
	start    [9]int
	hasStart [9]bool
}

type listState struct {
	val [9]int
	on  [9]bool
}

type numbering struct {
	abstracts map[string]*abstractNum
	nums      map[string]*numInstance
	state     map[string]*listState
}

func newNumbering() *numbering {
	return &numbering{abstracts: map[string]*abstractNum{}, nums: map[string]*numInstance{}, state: map[string]*listState{}}
}

func (n *numbering) read(t *xmlTokens) error {
	var abs *abstractNum
	var inst *numInstance
	var lvl *numLevel
	override := -1
	return t.each(func(tok xml.Token) error {
		switch e := tok.(type) {
		case xml.EndElement:
			if !isW(e.Name) {
				return nil
			}
			switch e.Name.Local {
			case "abstractNum":
				abs = nil
			case "num":
				inst = nil
			case "lvlOverride":
				override = -1
			case "lvl":
				lvl = nil
			}
		case xml.StartElement:
			if !isW(e.Name) {
				return nil
			}
			switch e.Name.Local {
			case "abstractNum":
				id, _ := wAttr(e, "abstractNumId")
				abs, inst = &abstractNum{}, nil
				if _, dup := n.abstracts[id]; !dup {
					n.abstracts[id] = abs
				}
			case "num":
				id, _ := wAttr(e, "numId")
				inst, abs = &numInstance{}, nil
				if _, dup := n.nums[id]; !dup {
					n.nums[id] = inst
				}
			case "abstractNumId":
				if inst != nil {
					inst.abstract, _ = wVal(e)
				}
			case "lvlOverride":
				override = -1
				if s, _ := wAttr(e, "ilvl"); inst != nil {
					if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < 9 {
						override = i
					}
				}
			case "startOverride":
				if v, ok := intVal(e); ok && inst != nil && override >= 0 {
					inst.start[override], inst.hasStart[override] = max(v, 0), true
				}
			case "lvl":
				// Word always writes w:start; the schema's default of 0 would
				// give "零、", which no list means, so a missing one is 1.
				lvl = &numLevel{format: "decimal", start: 1}
				s, _ := wAttr(e, "ilvl")
				i, err := strconv.Atoi(s)
				switch {
				case inst != nil && override >= 0:
					inst.override[override] = lvl
				case abs != nil && err == nil && i >= 0 && i < 9:
					abs.lvls[i] = lvl
				}
			case "start":
				if v, ok := intVal(e); ok && lvl != nil {
					lvl.start = max(v, 0)
				}
			case "numFmt":
				// Word writes a newer format as an mc:Choice followed by an
				// mc:Fallback of the classic one; the later, classic one
				// overwrites, which is the one understood here.
				if lvl != nil {
					lvl.format, _ = wVal(e)
				}
			case "lvlText":
				if lvl != nil {
					lvl.text, _ = wVal(e)
				}
			case "suff":
				if lvl != nil {
					lvl.suff, _ = wVal(e)
				}
			case "isLgl":
				if lvl != nil {
					lvl.legal = wOn(e)
				}
			}
		}
		return nil
	})
}

// next counts one more paragraph of list numID at level ilvl and gives its
// number text. Lists that share an abstract definition continue each other
// unless one restarts it, as in Word. A tab after the number is layout,
// not text, and is left out, as published text has "1.机构情况" and
// "一、部门职责"; a space suffix is kept.
func (n *numbering) next(numID string, ilvl int) string {
	inst := n.nums[numID]
	if inst == nil || ilvl < 0 || ilvl >= 9 {
		return ""
	}
	abs := n.abstracts[inst.abstract]
	lvl := func(i int) *numLevel {
		if inst.override[i] != nil {
			return inst.override[i]
		}
		if abs != nil {
			return abs.lvls[i]
		}
		return nil
	}
	cur := lvl(ilvl)
	if cur == nil {
		return ""
	}
	key := "a" + inst.abstract
	for _, h := range inst.hasStart {
		if h {
			key = "n" + numID
		}
	}
	st := n.state[key]
	if st == nil {
		st = &listState{}
		n.state[key] = st
	}
	start := func(i int) int {
		if inst.hasStart[i] {
			return inst.start[i]
		}
		if l := lvl(i); l != nil {
			return l.start
		}
		return 1
	}
	if st.on[ilvl] {
		st.val[ilvl]++
	} else {
		st.val[ilvl], st.on[ilvl] = start(ilvl), true
	}
	for i := ilvl + 1; i < 9; i++ {
		st.on[i] = false
	}
	if cur.format == "bullet" {
		// A bullet is a symbol-font glyph, not text anyone quotes.
		return ""
	}
	var b strings.Builder
	for i := 0; i < len(cur.text); i++ {
		c := cur.text[i]
		if c != '%' || i+1 >= len(cur.text) || cur.text[i+1] < '1' || cur.text[i+1] > '9' {
			b.WriteByte(c)
			continue
		}
		i++
		k := int(cur.text[i] - '1')
		if k > ilvl {
			continue
		}
		v := start(k)
		if st.on[k] {
			v = st.val[k]
		}
		format := "decimal"
		if l := lvl(k); l != nil && !cur.legal {
			format = l.format
		}
		b.WriteString(formatNumber(v, format))
	}
	s := b.String()
	if s != "" && cur.suff == "space" {
		s += " "
	}
	return s
}

var (
	cjkDigits   = []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	legalDigits = []string{"零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"}
)

// formatNumber writes n in a w:numFmt; formats not known here, and numbers
// a format has no symbol for, are written in Arabic digits.
func formatNumber(n int, format string) string {
	switch format {
	case "none":
		return ""
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "upperLetter", "lowerLetter":
		if n > 0 && n <= 26*100 {
			base := 'a'
			if format == "upperLetter" {
				base = 'A'
			}
			return strings.Repeat(string(base+rune((n-1)%26)), (n-1)/26+1)
		}
	case "upperRoman", "lowerRoman":
		if n > 0 && n < 4000 {
			s := romanNumeral(n)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "chineseCounting", "taiwaneseCounting":
		if n > 0 && n < 100 {
			return cjkCounted(n, cjkDigits, "十", "百", "千", "〇", true)
		}
		if n >= 100 && n < 10000 {
			return cjkDigitwise(n)
		}
	case "chineseCountingThousand", "taiwaneseCountingThousand", "japaneseCounting":
		if n > 0 && n < 10000 {
			return cjkCounted(n, cjkDigits, "十", "百", "千", "〇", true)
		}
	case "chineseLegalSimplified":
		if n > 0 && n < 10000 {
			return cjkCounted(n, legalDigits, "拾", "佰", "仟", "零", false)
		}
	case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
		if n >= 0 {
			return cjkDigitwise(n)
		}
	case "ideographTraditional":
		if n > 0 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "ideographZodiac":
		if n > 0 && n <= 12 {
			return string([]rune("子丑寅卯辰巳午未申酉戌亥")[n-1])
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		switch {
		case n >= 1 && n <= 20:
			return string(rune(0x2460 + n - 1))
		case n >= 21 && n <= 35:
			return string(rune(0x3251 + n - 21))
		case n >= 36 && n <= 50:
			return string(rune(0x32B1 + n - 36))
		}
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune(0x2488 + n - 1))
		}
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune(0x2474 + n - 1))
		}
	case "decimalFullWidth", "decimalFullWidth2":
		if n >= 0 {
			return strings.Map(func(c rune) rune { return c - '0' + '０' }, strconv.Itoa(n))
		}
	}
	return strconv.Itoa(n)
}

// cjkCounted writes 1 ≤ n < 10000 with place words: 十一, 二十, 一百〇五.
// short drops the 一 of a leading 十 (十一, not 一十一), as everyday
// numbering does and the financial capitals (壹拾壹) do not.
func cjkCounted(n int, digits []string, ten, hundred, thousand, zero string, short bool) string {
	places := []string{thousand, hundred, ten, ""}
	ds := []int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	var b strings.Builder
	started, gap := false, false
	for i, d := range ds {
		if d == 0 {
			gap = gap || started
			continue
		}
		if gap {
			b.WriteString(zero)
			gap = false
		}
		if !(short && d == 1 && i == 2 && !started) {
			b.WriteString(digits[d])
		}
		b.WriteString(places[i])
		started = true
	}
	return b.String()
}

func cjkDigitwise(n int) string {
	var b strings.Builder
	for _, c := range strconv.Itoa(n) {
		b.WriteString(cjkDigits[c-'0'])
	}
	return b.String()
}

func romanNumeral(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
