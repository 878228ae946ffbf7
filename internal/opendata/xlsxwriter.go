package opendata

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"disclose/internal/model"
)

// This file is a minimal SpreadsheetML (.xlsx) writer: just what AllXLSX
// needs, written for speed on large sites and for byte-identical output.
//
// Rows are encoded straight to XML and compressed as they come, without a
// document tree. One thing stands in the way of writing a sheet front to
// back: its column widths (<cols>) come before the rows (<sheetData>) but
// depend on every cell. So the rows are compressed first, into memory
// (about a tenth of their XML), and the sheet's head is compressed
// afterwards on its own; the compressed head, then the compressed rows,
// form one deflate stream (see segment), whose CRC is combined from the
// CRCs of its parts. The entry is then stored with zip.Writer.CreateRaw.
//
// Compression costs two to three times as much as the rest, so the rows
// are compressed in segments of segmentSize bytes, on up to GOMAXPROCS
// goroutines (at most 8), while the next segment is encoded. The output
// does not depend on that scheduling.
//
// Strings go to a shared-strings table, as Excel itself writes them: most
// cells of the long table repeat a handful of texts (department, region,
// 口径, 数据项…), and an index is shorter to write and to compress than the
// text. Each distinct string is escaped and measured once.
//
// excelize's StreamWriter, measured in this writer's place (issue 17,
// BenchmarkAllXLSXGenerated), writes the same cells, styles and widths but
// took 3.4 times the CPU for 1,000 reports and 50 times the allocations,
// made the file a quarter larger (inline strings, no shared table), wrote
// its sheets in map order (so an archive writer of our own was needed for
// byte-identical output) and changed literal _xHHHH_ text that shares an
// underscore with another. At 10,000 reports it added 22% to the CPU time
// of a whole build and of the rebuild after one edit.

// xlsxLevel is the deflate level of every part. With Go's compressor,
// level 1 (BestSpeed, a different, Snappy-like algorithm) is no faster
// than level 2 here and makes the file a fifth larger; level 3 takes 1.75
// times as long for 3% less, and higher levels longer still.
const xlsxLevel = 2

// Excel's limit on the length of a cell's text, in UTF-16 code units.
// Longer texts are cut, as Excel itself would do on entry.
const maxCellChars = 32767

// excelMaxRows is Excel's limit on the rows of a sheet. A sheet with more
// is not written: Excel would open it only by dropping rows.
const excelMaxRows = 1 << 20

// sheetRows is where WriteAllXLSX goes on in a new sheet: Excel's limit,
// lowered by tests.
var sheetRows = excelMaxRows

// Style indexes (cellXfs) of styles.xml, which is the same for every
// workbook: see stylesXML.
const (
	xfDefault = iota
	xfHeader
	xfHeaderWrap
	xfText
	xfTextWrap
	xfInteger
	xfDecimal // + 2×places, + 1 when italic
)

func xfDecimalStyle(places int, italic bool) int {
	places = min(max(places, 0), model.Scale)
	xf := xfDecimal + 2*places
	if italic {
		xf++
	}
	return xf
}

var xfCount = xfDecimalStyle(model.Scale, true) + 1

// styleAttr[xf] is the cell attribute selecting style xf.
var styleAttr = func() []string {
	out := make([]string, xfCount)
	for i := range out {
		out[i] = `" s="` + strconv.Itoa(i) + `"`
	}
	return out
}()

// workbook writes the parts of one .xlsx file into a ZIP archive. Use:
// newWorkbook and start, then for each sheet in order sheet, and the
// sheetWriter's header, row for each row, and end; then finish.
type workbook struct {
	zw     *zip.Writer
	mod    time.Time
	sheets []sheetEntry

	strings map[string]sstEntry
	sst     []string // distinct strings in index order
	sstRefs int      // cells referring to the table

	entry *flate.Writer // compressor of entries written through zw
	head  bytes.Buffer  // compressed head of the sheet being written
	err   error

	// Compressors for segments and heads of sheets (see sheetWriter.flush
	// and end), made as needed up to maxCompressors and reused.
	compressors    chan *flate.Writer
	numCompressors int
	maxCompressors int
	free           [][]byte // segment buffers to reuse

	// spill, when set, holds the compressed rows of the sheet being
	// written instead of memory, up to spillEnd: at 10,000 reports those
	// of 明细 are about 45 MB.
	spill    *os.File
	spillEnd int64
}

type sheetEntry struct {
	name       string
	lastRef    string // bottom-right cell of the table
	autoFilter bool
}

type sstEntry struct {
	index int32
	width int32 // displayWidth of the string
}

func newWorkbook(w io.Writer, mod time.Time) *workbook {
	wb := &workbook{
		zw:      zip.NewWriter(w),
		mod:     mod,
		strings: map[string]sstEntry{},
	}
	// Compressors are created once and reset for each use: a deflate
	// compressor holds over half a megabyte of tables. The ZIP writer
	// closes an entry's compressor before it creates the next entry, so one
	// is enough for all entries it compresses.
	wb.entry, _ = flate.NewWriter(io.Discard, xlsxLevel)
	wb.maxCompressors = min(max(runtime.GOMAXPROCS(0), 1), 8)
	wb.compressors = make(chan *flate.Writer, wb.maxCompressors)
	wb.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		wb.entry.Reset(out)
		return wb.entry, nil
	})
	return wb
}

// rawHeader describes an entry as zip.Writer.CreateHeader would, which
// CreateRaw leaves to the caller: deflated, modified at wb.mod in the MS-DOS
// fields and in an extended timestamp.
func (wb *workbook) rawHeader(name string) *zip.FileHeader {
	t := wb.mod
	mt := uint32(t.Unix())
	fh := &zip.FileHeader{
		Name:           name,
		Method:         zip.Deflate,
		Modified:       t,
		CreatorVersion: 20,
		ReaderVersion:  20,
		// Extended timestamp: ID 0x5455, 5 bytes, flags 1 (mtime), mtime.
		Extra: []byte{0x55, 0x54, 5, 0, 1, byte(mt), byte(mt >> 8), byte(mt >> 16), byte(mt >> 24)},
	}
	// CreateRaw, unlike CreateHeader, does not derive the MS-DOS date and
	// time from Modified; readers other than Go's need them.
	//lint:ignore SA1019 the deprecated fields are what CreateRaw writes
	fh.ModifiedDate = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	//lint:ignore SA1019 as above
	fh.ModifiedTime = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return fh
}

// part writes a whole entry that is small enough to build in memory.
func (wb *workbook) part(name string, data []byte) {
	if wb.err != nil {
		return
	}
	w, err := wb.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: wb.mod})
	if err != nil {
		wb.err = err
		return
	}
	_, wb.err = w.Write(data)
}

// stringIndex returns the shared-string index of s, adding s to the table
// on first use.
func (wb *workbook) stringIndex(s string) sstEntry {
	e, ok := wb.strings[s]
	if !ok {
		e = sstEntry{index: int32(len(wb.sst)), width: int32(displayWidth(s))}
		wb.strings[s] = e
		wb.sst = append(wb.sst, s)
	}
	wb.sstRefs++
	return e
}

// intern returns the string of b, the one in the shared-strings table if
// it is there: a part's text decoded into a string the workbook already
// holds costs no allocation.
func (wb *workbook) intern(b []byte) string {
	if e, ok := wb.strings[string(b)]; ok {
		return wb.sst[e.index]
	}
	return string(b)
}

// sheetWriter encodes one sheet's rows.
type sheetWriter struct {
	wb      *workbook
	name    string
	wrap    bool
	ncols   int
	buf     []byte     // XML not yet compressed
	pending []*segment // segments being compressed, in order
	comp    [][]byte   // the compressed segments collected, after those in wb.spill
	compLen int        // their length, and that of those in wb.spill
	crc     uint32     // of the XML compressed and collected so far
	size    int64      // bytes of XML compressed and collected so far
	rows    int        // rows written, header included
	rowNum  []byte     // rows in decimal
	widths  []int
	cellRef []string // `<c r="` and the column's letters
	// last remembers each column's previous string and its table entry:
	// consecutive rows mostly repeat them, and comparing a string with
	// itself is cheaper than a map lookup.
	last []struct {
		s string
		e sstEntry
	}
}

// flushSize is the size of the buffer of the shared strings.
const flushSize = 64 << 10

// segmentSize is the amount of a sheet's XML compressed as one segment.
// Each starts without the previous one's history, which costs 0.1% of the
// size at this length; longer segments save no time and need more memory
// in flight.
const segmentSize = 1 << 20

// sheet starts the next sheet.
func (wb *workbook) sheet(name string, ncols int, wrap bool) *sheetWriter {
	sw := &sheetWriter{
		wb:      wb,
		name:    name,
		wrap:    wrap,
		ncols:   ncols,
		buf:     wb.buffer(),
		widths:  make([]int, ncols),
		cellRef: make([]string, ncols),
		last: make([]struct {
			s string
			e sstEntry
		}, ncols),
	}
	for i := range sw.cellRef {
		sw.cellRef[i] = `<c r="` + columnName(i+1)
	}
	sw.buf = append(sw.buf, "<sheetData>"...)
	return sw
}

// header writes the header row: bold, on a shaded background.
func (sw *sheetWriter) header(cols []Column) {
	xf := xfHeader
	if sw.wrap {
		xf = xfHeaderWrap
	}
	sw.startRow()
	for i, c := range cols {
		if c.Name != "" {
			sw.stringCell(i, c.Name, xf)
		}
	}
	sw.endRow()
}

// row writes a row of the table. Empty cells are left out.
func (sw *sheetWriter) row(cells []cell) {
	textXF := xfText
	if sw.wrap {
		textXF = xfTextWrap
	}
	sw.startRow()
	for i, c := range cells {
		switch c.kind {
		case cellText:
			if c.text != "" {
				sw.stringCell(i, c.text, textXF)
			}
		case cellInt:
			sw.numberStart(i, xfInteger)
			n := len(sw.buf)
			sw.buf = strconv.AppendInt(sw.buf, c.n, 10)
			sw.numberEnd(i, len(sw.buf)-n)
		case cellDecimal:
			sw.numberStart(i, xfDecimalStyle(c.dec.Places, c.italic))
			n := len(sw.buf)
			sw.buf = appendDecimal(sw.buf, c.dec)
			sw.numberEnd(i, len(sw.buf)-n)
		}
	}
	sw.endRow()
}

func (sw *sheetWriter) startRow() {
	if sw.rows == excelMaxRows && sw.wb.err == nil {
		sw.wb.err = fmt.Errorf("xlsx: sheet %s has more than %d rows, the most Excel can open", sw.name, excelMaxRows)
	}
	sw.rows++
	sw.rowNum = strconv.AppendInt(sw.rowNum[:0], int64(sw.rows), 10)
	sw.buf = append(sw.buf, `<row r="`...)
	sw.buf = append(sw.buf, sw.rowNum...)
	sw.buf = append(sw.buf, `">`...)
}

func (sw *sheetWriter) endRow() {
	sw.buf = append(sw.buf, "</row>"...)
	if len(sw.buf) >= segmentSize {
		sw.flush()
	}
}

// cellStart writes `<c r="B7" s="3"`.
func (sw *sheetWriter) cellStart(col, xf int) {
	sw.buf = append(sw.buf, sw.cellRef[col]...)
	sw.buf = append(sw.buf, sw.rowNum...)
	sw.buf = append(sw.buf, styleAttr[xf]...)
}

func (sw *sheetWriter) stringCell(col int, s string, xf int) {
	l := &sw.last[col]
	if s != l.s {
		l.s, l.e = s, sw.wb.stringIndex(s)
	} else {
		sw.wb.sstRefs++
	}
	sw.widths[col] = max(sw.widths[col], int(l.e.width))
	sw.cellStart(col, xf)
	sw.buf = append(sw.buf, ` t="s"><v>`...)
	sw.buf = strconv.AppendInt(sw.buf, int64(l.e.index), 10)
	sw.buf = append(sw.buf, "</v></c>"...)
}

func (sw *sheetWriter) numberStart(col, xf int) {
	sw.cellStart(col, xf)
	sw.buf = append(sw.buf, "><v>"...)
}

// numberEnd closes a numeric cell whose value took n bytes. A number is
// as wide as its digits and the thousands separators its format adds.
func (sw *sheetWriter) numberEnd(col, n int) {
	sw.buf = append(sw.buf, "</v></c>"...)
	sw.widths[col] = max(sw.widths[col], n+n/3)
}

// segment is a piece of a sheet's XML, compressed on its own into a run
// of deflate blocks that ends byte-aligned with a sync flush and is not
// final, so that the runs of a sheet's segments, one after another, are a
// deflate stream, to be ended with finalBlock.
type segment struct {
	in, out []byte
	crc     uint32
	done    chan struct{}
}

// finalBlock ends a deflate stream: an empty final block (fixed Huffman
// codes, end-of-block code only).
var finalBlock = []byte{0x03, 0x00}

// flush hands the XML buffered so far to a compressor, and collects the
// segments compressed so far. The output does not depend on how the work
// is scheduled: segments end at the first row end after segmentSize bytes,
// each is compressed from a fresh state, and they are collected in order.
func (sw *sheetWriter) flush() {
	wb := sw.wb
	seg := &segment{in: sw.buf, out: wb.buffer(), done: make(chan struct{})}
	fw := wb.compressor()
	go func() {
		seg.crc = crc32.ChecksumIEEE(seg.in)
		out := bytes.NewBuffer(seg.out)
		fw.Reset(out)
		// Writing to a bytes.Buffer does not fail.
		_, _ = fw.Write(seg.in)
		_ = fw.Flush()
		seg.out = out.Bytes()
		wb.compressors <- fw
		close(seg.done)
	}()
	sw.pending = append(sw.pending, seg)
	sw.buf = wb.buffer()
	for len(sw.pending) > 0 {
		if len(sw.pending) <= 2*wb.maxCompressors {
			select {
			case <-sw.pending[0].done:
			default:
				return
			}
		}
		sw.collect()
	}
}

// collect waits for the first pending segment and appends it to the
// sheet's compressed rows.
func (sw *sheetWriter) collect() {
	wb := sw.wb
	seg := sw.pending[0]
	<-seg.done
	sw.pending[0] = nil
	sw.pending = sw.pending[1:]
	sw.crc = crc32Combine(sw.crc, seg.crc, int64(len(seg.in)))
	sw.size += int64(len(seg.in))
	if wb.spill != nil {
		if _, err := wb.spill.WriteAt(seg.out, wb.spillEnd); err != nil && wb.err == nil {
			wb.err = fmt.Errorf("xlsx: %w", err)
		}
		wb.spillEnd += int64(len(seg.out))
	} else {
		sw.comp = append(sw.comp, slices.Clone(seg.out))
	}
	sw.compLen += len(seg.out)
	wb.free = append(wb.free, seg.in[:0], seg.out[:0])
}

// compressor returns a free compressor, making one if fewer than
// maxCompressors exist, else waiting for one.
func (wb *workbook) compressor() *flate.Writer {
	select {
	case fw := <-wb.compressors:
		return fw
	default:
	}
	if wb.numCompressors < wb.maxCompressors {
		wb.numCompressors++
		fw, _ := flate.NewWriter(io.Discard, xlsxLevel)
		return fw
	}
	return <-wb.compressors
}

// buffer returns an empty buffer for a segment or its compressed form.
func (wb *workbook) buffer() []byte {
	if n := len(wb.free); n > 0 {
		b := wb.free[n-1]
		wb.free = wb.free[:n-1]
		return b
	}
	// Small to start with, for small sites; buffers are reused, and
	// those of a large site soon grow to a segment's size.
	return make([]byte, 0, 64<<10)
}

// Column widths in Excel's character units; wide enough for most values,
// capped so that long text does not push the rest of the table off screen.
const (
	minWidth  = 6
	maxWidth  = 40
	wrapWidth = 80
)

// end finishes the sheet: the header row is frozen, and unless
// autoFilter is false the table gets filter buttons.
func (sw *sheetWriter) end(autoFilter bool) {
	wb := sw.wb
	last := columnName(sw.ncols) + strconv.Itoa(max(sw.rows, 1))
	sw.buf = append(sw.buf, "</sheetData>"...)
	if autoFilter {
		sw.buf = append(sw.buf, `<autoFilter ref="A1:`...)
		sw.buf = append(sw.buf, last...)
		sw.buf = append(sw.buf, `"/>`...)
	}
	sw.buf = append(sw.buf, "</worksheet>"...)
	sw.flush()
	for len(sw.pending) > 0 {
		sw.collect()
	}
	sw.comp = append(sw.comp, finalBlock)
	sw.compLen += len(finalBlock)

	// The head, compressed on its own and ended with a sync flush (not a
	// final block), goes in front of the rows' deflate stream.
	h := append(sw.buf, xmlHeader...)
	h = append(h, `<worksheet xmlns="`+nsMain+`"><dimension ref="A1:`...)
	h = append(h, last...)
	h = append(h, `"/><sheetViews><sheetView `...)
	if len(wb.sheets) == 0 {
		h = append(h, `tabSelected="1" `...)
	}
	h = append(h, `workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`+
		`<sheetFormatPr defaultRowHeight="15"/><cols>`...)
	limit := maxWidth
	if sw.wrap {
		limit = wrapWidth
	}
	for i := 0; i < sw.ncols; {
		w := min(max(sw.widths[i]+2, minWidth), limit)
		j := i + 1
		for j < sw.ncols && min(max(sw.widths[j]+2, minWidth), limit) == w {
			j++
		}
		h = append(h, `<col min="`...)
		h = strconv.AppendInt(h, int64(i+1), 10)
		h = append(h, `" max="`...)
		h = strconv.AppendInt(h, int64(j), 10)
		h = append(h, `" width="`...)
		h = strconv.AppendInt(h, int64(w), 10)
		h = append(h, `" customWidth="1"/>`...)
		i = j
	}
	h = append(h, "</cols>"...)
	wb.head.Reset()
	fw := wb.compressor()
	fw.Reset(&wb.head)
	// Writing to a bytes.Buffer does not fail.
	_, _ = fw.Write(h)
	_ = fw.Flush()
	wb.compressors <- fw
	crc := crc32Combine(crc32.ChecksumIEEE(h), sw.crc, sw.size)
	size := int64(len(h)) + sw.size

	wb.sheets = append(wb.sheets, sheetEntry{name: sw.name, lastRef: last, autoFilter: autoFilter})
	if wb.err != nil {
		return
	}
	fh := wb.rawHeader("xl/worksheets/sheet" + strconv.Itoa(len(wb.sheets)) + ".xml")
	fh.CRC32 = crc
	fh.CompressedSize64 = uint64(wb.head.Len() + sw.compLen)
	fh.UncompressedSize64 = uint64(size)
	w, err := wb.zw.CreateRaw(fh)
	if err == nil {
		_, err = w.Write(wb.head.Bytes())
	}
	if err == nil && wb.spill != nil {
		_, err = io.Copy(w, io.NewSectionReader(wb.spill, 0, wb.spillEnd))
		// The next sheet's rows take the room again.
		wb.spillEnd = 0
	}
	if err == nil {
		for _, c := range sw.comp {
			if err == nil {
				_, err = w.Write(c)
			}
		}
	}
	wb.err = err
}

// docProps are the document properties of docProps/core.xml.
type docProps struct {
	title, subject, creator, language string
}

// start writes the parts that come before the sheets: content types,
// package relationships, document properties and styles.
func (wb *workbook) start(p docProps) {
	// Worksheets take the default type of .xml parts, and every other XML
	// part is named, so that this part, written first, need not know how
	// many sheets follow: a table that outgrows a sheet goes on in another.
	var b []byte
	b = append(b, xmlHeader+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`...)
	b = append(b, `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`+
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`+
		`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`+
		`</Types>`...)
	wb.part("[Content_Types].xml", b)

	wb.part("_rels/.rels", []byte(xmlHeader+`<Relationships xmlns="`+nsRelationships+`">`+
		`<Relationship Id="rId1" Type="`+nsOfficeRel+`/officeDocument" Target="xl/workbook.xml"/>`+
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`+
		`<Relationship Id="rId3" Type="`+nsOfficeRel+`/extended-properties" Target="docProps/app.xml"/>`+
		`</Relationships>`))

	ts := wb.mod.UTC().Format(time.RFC3339)
	b = append(b[:0], xmlHeader+`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"`+
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"`+
		` xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`...)
	for _, e := range []struct{ tag, val string }{
		{"dc:title", p.title},
		{"dc:subject", p.subject},
		{"dc:creator", p.creator},
		{"cp:lastModifiedBy", p.creator},
		{"dc:language", p.language},
	} {
		b = append(b, '<')
		b = append(b, e.tag...)
		b = append(b, '>')
		b = appendEscaped(b, e.val, false)
		b = append(b, "</"...)
		b = append(b, e.tag...)
		b = append(b, '>')
	}
	b = append(b, `<dcterms:created xsi:type="dcterms:W3CDTF">`+ts+`</dcterms:created>`+
		`<dcterms:modified xsi:type="dcterms:W3CDTF">`+ts+`</dcterms:modified></cp:coreProperties>`...)
	wb.part("docProps/core.xml", b)

	wb.part("docProps/app.xml", []byte(xmlHeader+`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">`+
		`<Application>disclose</Application></Properties>`))

	wb.part("xl/styles.xml", stylesXML)
}

// finish writes the shared strings and the workbook, which lists the
// sheets, and closes the archive.
func (wb *workbook) finish() error {
	wb.sharedStrings()

	b := append([]byte(nil), xmlHeader+`<workbook xmlns="`+nsMain+`" xmlns:r="`+nsOfficeRel+`">`+
		`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`...)
	for i, s := range wb.sheets {
		b = append(b, `<sheet name="`...)
		b = appendEscaped(b, s.name, false)
		b = append(b, `" sheetId="`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" r:id="rId`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `"/>`...)
	}
	b = append(b, "</sheets>"...)
	names := false
	for i, s := range wb.sheets {
		if !s.autoFilter {
			continue
		}
		if !names {
			b = append(b, "<definedNames>"...)
			names = true
		}
		// Excel keeps the range of a sheet's filter under this hidden name.
		b = append(b, `<definedName name="_xlnm._FilterDatabase" localSheetId="`...)
		b = strconv.AppendInt(b, int64(i), 10)
		b = append(b, `" hidden="1">`...)
		b = appendEscaped(b, quoteSheetName(s.name)+"!"+absoluteRange("A1", s.lastRef), false)
		b = append(b, "</definedName>"...)
	}
	if names {
		b = append(b, "</definedNames>"...)
	}
	b = append(b, "</workbook>"...)
	wb.part("xl/workbook.xml", b)

	b = append(b[:0], xmlHeader+`<Relationships xmlns="`+nsRelationships+`">`...)
	rel := func(id int, typ, target string) {
		b = append(b, `<Relationship Id="rId`...)
		b = strconv.AppendInt(b, int64(id), 10)
		b = append(b, `" Type="`+nsOfficeRel+`/`...)
		b = append(b, typ...)
		b = append(b, `" Target="`...)
		b = append(b, target...)
		b = append(b, `"/>`...)
	}
	for i := range wb.sheets {
		rel(i+1, "worksheet", "worksheets/sheet"+strconv.Itoa(i+1)+".xml")
	}
	rel(len(wb.sheets)+1, "styles", "styles.xml")
	rel(len(wb.sheets)+2, "sharedStrings", "sharedStrings.xml")
	b = append(b, "</Relationships>"...)
	wb.part("xl/_rels/workbook.xml.rels", b)

	if err := wb.zw.Close(); err != nil && wb.err == nil {
		wb.err = err
	}
	return wb.err
}

// sharedStrings writes the shared-strings table, streaming it.
func (wb *workbook) sharedStrings() {
	if wb.err != nil {
		return
	}
	w, err := wb.zw.CreateHeader(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate, Modified: wb.mod})
	if err != nil {
		wb.err = err
		return
	}
	b := make([]byte, 0, flushSize+4096)
	b = append(b, xmlHeader+`<sst xmlns="`+nsMain+`" count="`...)
	b = strconv.AppendInt(b, int64(wb.sstRefs), 10)
	b = append(b, `" uniqueCount="`...)
	b = strconv.AppendInt(b, int64(len(wb.sst)), 10)
	b = append(b, `">`...)
	for _, s := range wb.sst {
		s = truncateUTF16(s, maxCellChars)
		if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
			b = append(b, `<si><t xml:space="preserve">`...)
		} else {
			b = append(b, `<si><t>`...)
		}
		b = appendEscaped(b, s, true)
		b = append(b, "</t></si>"...)
		if len(b) >= flushSize {
			if _, err := w.Write(b); err != nil {
				wb.err = err
				return
			}
			b = b[:0]
		}
	}
	b = append(b, "</sst>"...)
	_, wb.err = w.Write(b)
}

const (
	xmlHeader       = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain          = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsOfficeRel     = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// stylesXML holds every style a cell can have: headers (bold on light
// blue, vertically centred), text, integers ("0") and decimals at each
// precision up to model.Scale ("#,##0.00" and so on), upright and italic,
// all aligned to the top; each also wrapping for the notes sheet where it
// applies. The order is that of the xf constants.
var stylesXML = func() []byte {
	var b []byte
	b = append(b, xmlHeader+`<styleSheet xmlns="`+nsMain+`"><numFmts count="`...)
	b = strconv.AppendInt(b, int64(model.Scale+2), 10)
	b = append(b, `"><numFmt numFmtId="164" formatCode="0"/>`...)
	// Custom formats even where Excel has a built-in one with the same
	// code, so that readers see the format code itself.
	for p := 0; p <= model.Scale; p++ {
		b = append(b, `<numFmt numFmtId="`...)
		b = strconv.AppendInt(b, int64(165+p), 10)
		b = append(b, `" formatCode="`...)
		b = append(b, decimalFormat(p)...)
		b = append(b, `"/>`...)
	}
	const font = `<sz val="11"/><name val="Calibri"/><family val="2"/></font>`
	b = append(b, `</numFmts><fonts count="3"><font>`+font+`<font><b val="1"/>`+font+`<font><i val="1"/>`+font+`</fonts>`+
		`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>`+
		`<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>`+
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>`+
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="`...)
	b = strconv.AppendInt(b, int64(xfCount), 10)
	b = append(b, `"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`+
		`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center"/></xf>`+
		`<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>`+
		`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top"/></xf>`+
		`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>`+
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>`...)
	for p := 0; p <= model.Scale; p++ {
		for _, font := range []string{`fontId="0"`, `fontId="2" applyFont="1"`} {
			b = append(b, `<xf numFmtId="`...)
			b = strconv.AppendInt(b, int64(165+p), 10)
			b = append(b, `" `+font+` fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment vertical="top"/></xf>`...)
		}
	}
	b = append(b, `</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>`+
		`<dxfs count="0"/><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`...)
	return b
}()

// decimalFormat shows a number with thousands separators and places
// decimals: "#,##0", "#,##0.00".
func decimalFormat(places int) string {
	f := "#,##0"
	if places > 0 {
		f += "."
		for range places {
			f += "0"
		}
	}
	return f
}

// columnName is the letters of the 1-based column n: A, …, Z, AA, ….
func columnName(n int) string {
	var b [8]byte
	i := len(b)
	for n > 0 {
		n--
		i--
		b[i] = byte('A' + n%26)
		n /= 26
	}
	return string(b[i:])
}

// absoluteRange is from:to with every row and column fixed ($A$1:$W$6).
func absoluteRange(from, to string) string {
	abs := func(ref string) string {
		i := 0
		for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
			i++
		}
		return "$" + ref[:i] + "$" + ref[i:]
	}
	return abs(from) + ":" + abs(to)
}

// quoteSheetName quotes a sheet name for a formula: 'name', with
// apostrophes doubled.
func quoteSheetName(name string) string {
	b := []byte{'\''}
	for i := 0; i < len(name); i++ {
		if name[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, name[i])
	}
	return string(append(b, '\''))
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// truncateUTF16 cuts s to at most n UTF-16 code units, at a character
// boundary.
func truncateUTF16(s string, n int) string {
	if len(s) <= n {
		return s // a UTF-16 unit never takes less than a byte
	}
	units := 0
	for i, r := range s {
		if r >= 0x10000 {
			units += 2
		} else {
			units++
		}
		if units > n {
			return s[:i]
		}
	}
	return s
}

// appendEscaped appends s as XML character data. Characters XML 1.0 does
// not allow (most C0 controls, U+FFFE, U+FFFF) and invalid UTF-8 become
// U+FFFD; a carriage return is written as a reference, since XML readers
// turn a literal one into a line feed. With bstr, text that reads as an
// ST_Xstring escape (_x0041_) gets its underscore escaped (_x005F_), since
// spreadsheet readers decode those in cell text.
func appendEscaped(b []byte, s string, bstr bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && size == 1) || r == 0xFFFE || r == 0xFFFF {
				b = append(b, s[start:i]...)
				b = append(b, "\uFFFD"...)
				start = i + size
			}
			i += size
			continue
		}
		var esc string
		switch {
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '&':
			esc = "&amp;"
		case c == '\r':
			esc = "&#xD;"
		case c < 0x20 && c != '\t' && c != '\n':
			esc = "\uFFFD"
		case c == '_' && bstr && isBstrEscape(s[i:]):
			// _xHHHH_ becomes _x005F_xHHHH_: the escaped underscore,
			// then the text as it is, underscore included.
			b = append(b, s[start:i]...)
			b = append(b, "_x005F"...)
			start = i
			i++
			continue
		default:
			i++
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		i++
		start = i
	}
	return append(b, s[start:]...)
}

// isBstrEscape reports whether s starts with _xHHHH_.
func isBstrEscape(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// appendDecimal appends d as d.String() does, at its published precision,
// without allocating.
func appendDecimal(b []byte, d model.Decimal) []byte { return d.AppendFormat(b, d.Places) }

// crc32Combine returns the IEEE CRC-32 of A followed by B from the CRC of
// A, the CRC of B and the length of B (zlib's crc32_combine).
func crc32Combine(crcA, crcB uint32, lenB int64) uint32 {
	return gf2MulModP(x8nModP(lenB), crcA) ^ crcB
}

const crcPoly = 0xedb88320 // IEEE polynomial, bit-reversed

// gf2MulModP multiplies a and b modulo the CRC polynomial, both in the
// reflected bit order CRCs use.
func gf2MulModP(a, b uint32) uint32 {
	m := uint32(1) << 31
	var p uint32
	for {
		if a&m != 0 {
			p ^= b
			if a&(m-1) == 0 {
				break
			}
		}
		m >>= 1
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x8nModP returns x^(8n) modulo the CRC polynomial: appending n zero bytes.
func x8nModP(n int64) uint32 {
	p := uint32(1) << 31 // x^0
	x := uint32(1) << 23 // x^8
	for n > 0 {
		if n&1 != 0 {
			p = gf2MulModP(x, p)
		}
		x = gf2MulModP(x, x)
		n >>= 1
	}
	return p
}
