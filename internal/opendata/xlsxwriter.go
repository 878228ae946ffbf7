package opendata

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"disclose/internal/model"
)

// This file writes the sheets of xlsx.go into a workbook with excelize's
// StreamWriter, which encodes a sheet's rows as they come and keeps at most
// excelize.StreamChunkSize bytes of a sheet's XML in memory (the rest waits
// in a temporary file until the workbook is written), so that all.xlsx of a
// large site takes bounded memory.
//
// Three things excelize does not do as the site needs are done here:
//
//   - Column widths must be set before the first row, and depend on every
//     cell; so each sheet's rows are made twice, once to measure and count
//     them, once to write them. Making a row costs little beside encoding it.
//   - Figures are decimals, which the StreamWriter takes only as float64.
//     See numberValue for why that keeps them exact.
//   - excelize writes the ZIP archive through a ZipWriter that it calls in
//     an order that depends on map iteration (the sheets come first, in any
//     order), with no entry times. zipSpool collects the compressed entries
//     and writes them in a fixed order, all at the document's time, so that
//     the same content gives the same bytes.

// xlsxLevel is the deflate level of every part. With Go's compressor,
// level 1 (BestSpeed, a different, Snappy-like algorithm) is no faster
// than level 2 here and makes the file a fifth larger; level 3 takes 1.75
// times as long for 3% less, and higher levels longer still.
const xlsxLevel = 2

// Column widths in Excel's character units; wide enough for most values,
// capped so that long text does not push the rest of the table off screen.
const (
	minWidth  = 6
	maxWidth  = 40
	wrapWidth = 80
)

// docProps are the document properties of docProps/core.xml. time is both
// the created and the modified date, and the time of every ZIP entry.
type docProps struct {
	title, subject, creator, language string
	time                              time.Time
}

// writeWorkbook writes the sheets, in order, as one workbook to w.
func writeWorkbook(w io.Writer, p docProps, sheets []*sheet) (err error) {
	f := excelize.NewFile()
	defer func() {
		// Close removes the temporary files of the streamed sheets.
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zs := newZipSpool()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zs })

	for i, sh := range sheets {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			return fmt.Errorf("xlsx: sheet %s: %w", sh.name, err)
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return fmt.Errorf("xlsx: styles: %w", err)
	}
	for _, sh := range sheets {
		if err := writeSheet(f, st, sh); err != nil {
			return fmt.Errorf("xlsx: sheet %s: %w", sh.name, err)
		}
	}
	// The first sheet is the active one, as in a new file. (SetActiveSheet
	// would read every streamed sheet back into memory to set it.)
	ts := p.time.UTC().Format(time.RFC3339)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          p.title,
		Subject:        p.subject,
		Creator:        p.creator,
		LastModifiedBy: p.creator,
		Created:        ts,
		Modified:       ts,
		Language:       p.language,
	}); err != nil {
		return fmt.Errorf("xlsx: document properties: %w", err)
	}
	if err := f.SetAppProps(&excelize.AppProperties{Application: p.creator}); err != nil {
		return fmt.Errorf("xlsx: application properties: %w", err)
	}
	// excelize hands the ZipWriter a buffer of its own, which stays empty:
	// zs keeps the entries and writes them to w below.
	if _, err := f.WriteToBuffer(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := zs.writeTo(w, p.time); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

// styles are the style IDs of the cells.
type styles struct {
	header, headerWrap, text, textWrap, integer int
	decimal                                     [model.Scale + 1][2]int // by places, then italic
}

// newStyles makes every style a cell can have, always in the same order:
// headers (bold on light blue, vertically centred), text, integers ("0")
// and decimals at each precision up to model.Scale ("#,##0.00" and so on),
// upright and italic, all aligned to the top; text and headers also
// wrapping, for the notes sheet.
func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	style := func(s *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(s)
		return id
	}
	header := func(wrap bool) *excelize.Style {
		return &excelize.Style{
			Font:      &excelize.Font{Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: wrap},
		}
	}
	top := func(wrap bool) *excelize.Alignment { return &excelize.Alignment{Vertical: "top", WrapText: wrap} }
	format := func(s string) *string { return &s }
	st.header = style(header(false))
	st.headerWrap = style(header(true))
	st.text = style(&excelize.Style{Alignment: top(false)})
	st.textWrap = style(&excelize.Style{Alignment: top(true)})
	st.integer = style(&excelize.Style{Alignment: top(false), CustomNumFmt: format("0")})
	for p := range st.decimal {
		for italic := range 2 {
			s := &excelize.Style{Alignment: top(false), CustomNumFmt: format(decimalFormat(p))}
			if italic == 1 {
				s.Font = &excelize.Font{Italic: true}
			}
			st.decimal[p][italic] = style(s)
		}
	}
	return st, err
}

// decimalFormat shows a number with thousands separators and places
// decimals: "#,##0", "#,##0.00".
func decimalFormat(places int) string {
	f := "#,##0"
	if places > 0 {
		f += "." + strings.Repeat("0", places)
	}
	return f
}

// exactDigits is how many significant digits a figure may have to be a
// numeric cell. Any decimal of at most 15 significant digits (DBL_DIG)
// converts to a float64 that converts back to the same decimal: the
// shortest text that reads as that float64, which is what excelize writes,
// is the decimal itself (without trailing zeros in its fraction, which
// the number format shows again). Excel keeps 15 digits too, and would
// round a longer one.
const exactDigits = 15

// numberValue is the float64 of d as published (at d.Places), for a
// numeric cell, or false when it has more significant digits than a
// float64 keeps exactly. The published text is appended to scratch, which
// is returned for reuse.
func numberValue(d model.Decimal, scratch []byte) (float64, bool, []byte) {
	scratch = appendDecimal(scratch[:0], d)
	digits, leading := 0, true
	for _, c := range scratch {
		if c < '0' || c > '9' || leading && c == '0' {
			continue
		}
		leading = false
		digits++
	}
	if digits > exactDigits {
		return 0, false, scratch
	}
	f, err := strconv.ParseFloat(string(scratch), 64)
	return f, err == nil, scratch
}

// sheetCells turns a sheet's cells into the values of a StreamWriter row,
// reusing its slices from row to row. Empty cells are nil, which the
// StreamWriter leaves out.
type sheetCells struct {
	st      *styles
	wrap    bool
	cells   []excelize.Cell
	values  []any
	scratch []byte
}

func (x *sheetCells) row(cells []cell) []any {
	if len(x.cells) < len(cells) {
		x.cells = make([]excelize.Cell, len(cells))
		x.values = make([]any, len(cells))
	}
	values := x.values[:len(cells)]
	textStyle := x.st.text
	if x.wrap {
		textStyle = x.st.textWrap
	}
	for i, c := range cells {
		v := &x.cells[i]
		values[i] = v
		switch c.kind {
		case cellText:
			if c.text == "" {
				values[i] = nil
				continue
			}
			v.StyleID, v.Value = textStyle, c.text
		case cellInt:
			v.StyleID, v.Value = x.st.integer, c.n
		case cellDecimal:
			italic := 0
			if c.italic {
				italic = 1
			}
			var f float64
			var ok bool
			f, ok, x.scratch = numberValue(c.dec, x.scratch)
			if ok {
				v.StyleID, v.Value = x.st.decimal[min(max(c.dec.Places, 0), model.Scale)][italic], f
			} else {
				// More digits than Excel keeps: the published text,
				// unchanged, rather than a number that is not the figure.
				v.StyleID, v.Value = textStyle, c.dec.String()
			}
		default:
			values[i] = nil
		}
	}
	return values
}

// measure returns the width of each column, in Excel's character units,
// and the number of rows with the header.
func measure(sh *sheet) (widths []float64, rows int) {
	chars := make([]int, len(sh.cols))
	for i, c := range sh.cols {
		chars[i] = displayWidth(c.Name)
	}
	rows = 1
	var scratch []byte
	sh.rows(func(cells []cell) {
		rows++
		for i, c := range cells {
			n := 0
			switch c.kind {
			case cellText:
				n = displayWidth(c.text)
			case cellInt:
				scratch = strconv.AppendInt(scratch[:0], c.n, 10)
				n = len(scratch) + len(scratch)/3
			case cellDecimal:
				// As wide as its digits and the thousands separators its
				// format adds.
				scratch = appendDecimal(scratch[:0], c.dec)
				n = len(scratch) + len(scratch)/3
			}
			chars[i] = max(chars[i], n)
		}
	})
	limit := maxWidth
	if sh.wrap {
		limit = wrapWidth
	}
	widths = make([]float64, len(chars))
	for i, n := range chars {
		widths[i] = float64(min(max(n+2, minWidth), limit))
	}
	return widths, rows
}

// writeSheet streams one sheet: its used range, column widths and frozen
// header row, the header, the rows and, on data sheets with rows, filter
// buttons.
func writeSheet(f *excelize.File, st styles, sh *sheet) error {
	widths, rows := measure(sh)
	if rows > excelize.TotalRows {
		return fmt.Errorf("%d rows, more than the %d Excel can open", rows, excelize.TotalRows)
	}
	last, err := excelize.CoordinatesToCellName(len(sh.cols), rows)
	if err != nil {
		return err
	}
	used := "A1:" + last
	// excelize leaves the used range at A1 otherwise; readers that trust it
	// (such as openpyxl in read-only mode) would see an empty sheet. The
	// StreamWriter writes it when it starts, so it is set first.
	if err := f.SetSheetDimension(sh.name, used); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh.name)
	if err != nil {
		return err
	}
	for i := 0; i < len(widths); {
		j := i + 1
		for j < len(widths) && widths[j] == widths[i] {
			j++
		}
		if err := sw.SetColWidth(i+1, j, widths[i]); err != nil {
			return err
		}
		i = j
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}

	x := sheetCells{st: &st, wrap: sh.wrap}
	headerStyle := st.header
	if sh.wrap {
		headerStyle = st.headerWrap
	}
	header := make([]any, len(sh.cols))
	for i, c := range sh.cols {
		if c.Name != "" {
			header[i] = excelize.Cell{StyleID: headerStyle, Value: c.Name}
		}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	n := 1
	var ref []byte
	sh.rows(func(cells []cell) {
		if err != nil {
			return
		}
		n++
		ref = strconv.AppendInt(append(ref[:0], 'A'), int64(n), 10)
		err = sw.SetRow(string(ref), x.row(cells))
	})
	if err != nil {
		return err
	}
	if n != rows {
		return fmt.Errorf("%d rows written, %d measured", n, rows)
	}
	// Filter buttons on the data sheets, not on the notes. The StreamWriter
	// writes the sheet's autoFilter when it is flushed, so it is set now.
	if rows > 1 && !sh.wrap {
		if err := f.AutoFilter(sh.name, used, nil); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// zipSpool is the excelize.ZipWriter of a workbook. It compresses each
// entry as excelize writes it and keeps it, compressed, until writeTo
// writes them all in a fixed order: [Content_Types].xml first, as Excel
// writes it, then the rest by name, sheets by number.
type zipSpool struct {
	fw      *flate.Writer
	entries []*spoolEntry
	open    *spoolEntry
	err     error
}

type spoolEntry struct {
	name string
	crc  hash.Hash32
	size int64
	data bytes.Buffer // compressed
}

func newZipSpool() *zipSpool {
	// One compressor, reset for each entry: it holds over half a megabyte
	// of tables.
	fw, _ := flate.NewWriter(io.Discard, xlsxLevel)
	return &zipSpool{fw: fw}
}

func (z *zipSpool) Create(name string) (io.Writer, error) {
	if err := z.closeEntry(); err != nil {
		return nil, err
	}
	e := &spoolEntry{name: name, crc: crc32.NewIEEE()}
	z.fw.Reset(&e.data)
	z.open = e
	z.entries = append(z.entries, e)
	return spoolWriter{z, e}, nil
}

// spoolWriter compresses the data of the open entry.
type spoolWriter struct {
	z *zipSpool
	e *spoolEntry
}

func (w spoolWriter) Write(p []byte) (int, error) {
	if w.z.open != w.e {
		return 0, fmt.Errorf("zipSpool: %s written after the next entry was created", w.e.name)
	}
	w.e.crc.Write(p)
	w.e.size += int64(len(p))
	// Writing to a bytes.Buffer does not fail.
	return w.z.fw.Write(p)
}

func (z *zipSpool) closeEntry() error {
	if z.open == nil {
		return z.err
	}
	z.open = nil
	if z.err == nil {
		z.err = z.fw.Close()
	}
	return z.err
}

// AddFS is part of excelize.ZipWriter; excelize does not call it when it
// writes a workbook.
func (z *zipSpool) AddFS(fs.FS) error { return errors.New("zipSpool: AddFS is not supported") }

func (z *zipSpool) Close() error { return z.closeEntry() }

// writeTo writes the entries as a ZIP archive to w, each modified at mod.
func (z *zipSpool) writeTo(w io.Writer, mod time.Time) error {
	if err := z.closeEntry(); err != nil {
		return err
	}
	entries := slices.Clone(z.entries)
	slices.SortFunc(entries, func(a, b *spoolEntry) int { return compareParts(a.name, b.name) })
	zw := zip.NewWriter(w)
	for _, e := range entries {
		fh := rawHeader(e.name, mod)
		fh.CRC32 = e.crc.Sum32()
		fh.CompressedSize64 = uint64(e.data.Len())
		fh.UncompressedSize64 = uint64(e.size)
		out, err := zw.CreateRaw(fh)
		if err != nil {
			return err
		}
		if _, err := out.Write(e.data.Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}

// compareParts orders the parts of the archive: [Content_Types].xml first,
// then by name, with the numbers in names compared as numbers (sheet2.xml
// before sheet10.xml).
func compareParts(a, b string) int {
	const first = "[Content_Types].xml"
	if (a == first) != (b == first) {
		if a == first {
			return -1
		}
		return 1
	}
	for a != "" && b != "" {
		da, db := leadingDigits(a), leadingDigits(b)
		if da > 0 && db > 0 {
			na, _ := strconv.Atoi(a[:da])
			nb, _ := strconv.Atoi(b[:db])
			if na != nb {
				return na - nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

func leadingDigits(s string) int {
	i := 0
	for i < len(s) && i < 9 && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// rawHeader describes an entry as zip.Writer.CreateHeader would, which
// CreateRaw leaves to the caller: deflated, modified at mod in the MS-DOS
// fields and in an extended timestamp.
func rawHeader(name string, mod time.Time) *zip.FileHeader {
	t := mod
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

// appendDecimal appends d as d.String() does, at its published precision,
// without allocating.
func appendDecimal(b []byte, d model.Decimal) []byte { return d.AppendFormat(b, d.Places) }
