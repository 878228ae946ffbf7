package opendata

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strconv"
	"sync"

	"disclose/internal/model"
)

// A site's all.csv and all.xlsx are, table by table, the rows of one
// department after another, and no row depends on another department. So
// each department's share can be worked out from that department alone,
// kept as bytes (in a spool on disk, or in a cache across builds, for a
// department that was not even decoded), and the site-wide files written
// from the shares, one at a time, without the model of the whole site.

// Part is one department's share of all.csv and all.xlsx: the cells of its
// rows in each sheet of the workbook (all.csv is the 明细 sheet's), the
// latest year it reports on (for the workbook's dates) and which sheets of
// the kinds of document it needs. It is held in its encoded form (see
// MarshalBinary), and is immutable. The zero Part is not a part: make one
// with PartOf or UnmarshalBinary.
type Part struct {
	data []byte
	head partHead
	// Section s is data[off[s]:off[s+1]].
	off [numSections + 1]int
}

// partHead is what a writer needs of every part before it writes
// anything: the workbook's dates come first in the file, and the sheet
// list follows the data.
type partHead struct {
	year  int   // latest report year, 0 without reports
	kinds uint8 // kindBit of each kind sheet the part has rows for
}

// sectionID names a section of a part: a sheet's cells. all.csv is the
// 明细 sheet as CSV, so it is written from secDetail.
type sectionID uint8

const (
	secSummary sectionID = iota
	secDetail
	secIndicators
	secProjects
	secFinal
	secBudget
	secThree
	secEval
	numSections
)

// kindBit is the bit of partHead.kinds for a sheet that only a site with
// such documents has (secFinal to secEval).
func kindBit(s sectionID) uint8 { return 1 << (s - secFinal) }

// partVersion starts every encoded part, so that a part kept by an older
// program in a cache is refused rather than misread.
const partVersion = 1

// PartOf works out department d's part. It reads d and its reports only,
// and may be called from many goroutines at once.
func PartOf(d *model.Department) *Part {
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	p := &Part{head: headOf(d)}
	// Sections are encoded one after another into the encoder's buffer;
	// their lengths, which the header gives, are known only then.
	body := e.body[:0]
	var lens [numSections]int
	for s := range numSections {
		n := len(body)
		body = e.appendSection(body, d, s)
		lens[s] = len(body) - n
	}
	e.body = body
	b := appendHead(make([]byte, 0, 32+len(body)), p.head)
	for _, n := range lens {
		b = binary.AppendUvarint(b, uint64(n))
	}
	p.off[0] = len(b)
	for s, n := range lens {
		p.off[s+1] = p.off[s] + n
	}
	p.data = append(b, body...)
	return p
}

// encoders keeps encoders and their buffers for PartOf, which is called
// for every department of a build.
var encoders = sync.Pool{New: func() any { return new(encoder) }}

// headOf is the part head of d.
func headOf(d *model.Department) partHead {
	var h partHead
	for _, r := range d.Reports {
		h.year = max(h.year, r.Year)
		if r.Accounts != nil {
			h.kinds |= kindBit(accountsSection(r))
		}
		if r.ThreePublic != nil {
			h.kinds |= kindBit(secThree)
		}
		if r.ProjectEval != nil && len(r.ProjectEval.Funds) > 0 {
			h.kinds |= kindBit(secEval)
		}
	}
	return h
}

// accountsSection is the sheet of a report's accounts: those of a 决算
// unless the document is a 预算.
func accountsSection(r *model.Report) sectionID {
	if r.DocKind() == model.KindBudget {
		return secBudget
	}
	return secFinal
}

func appendHead(b []byte, h partHead) []byte {
	b = append(b, partVersion)
	b = binary.AppendVarint(b, int64(h.year))
	return append(b, h.kinds)
}

// MarshalBinary encodes the part: a version byte, the latest year (a
// varint), the kind sheets (a byte), the length of each section (uvarints),
// then the sections. A section is its rows, each the number of its cells
// (a uvarint) and the cells, each a tag byte (the cellKind, tagItalic,
// tagSeen) and a payload: for a string, its length and bytes the first
// time the section has it and afterwards, with tagSeen, its index among
// the section's strings; for an integer, a varint; for a decimal, its
// units and places as varints. At 1,000 generated reports the parts take
// 7.3 MB, against 11.6 MB of CSV and 5.5 MB of compressed workbook.
func (p *Part) MarshalBinary() ([]byte, error) { return p.AppendBinary(nil) }

// AppendBinary appends the encoding of MarshalBinary to b.
func (p *Part) AppendBinary(b []byte) ([]byte, error) { return append(b, p.data...), nil }

// UnmarshalBinary decodes a part encoded by MarshalBinary, checking every
// sheet section, and keeps a copy of data.
func (p *Part) UnmarshalBinary(data []byte) error {
	q, err := parsePart(data)
	if err != nil {
		return err
	}
	var dec sheetDecoder
	for s := range numSections {
		if err := dec.rows(q.section(s), s, func([]cell) {}, nil); err != nil {
			return fmt.Errorf("opendata: part: %s: %w", s, err)
		}
	}
	q.data = append([]byte(nil), data...)
	*p = q
	return nil
}

// Size is the length of the part's encoding.
func (p *Part) Size() int { return len(p.data) }

// section is the encoded section s.
func (p *Part) section(s sectionID) []byte { return p.data[p.off[s]:p.off[s+1]] }

// parsePart reads the header of an encoded part, which it refers to.
func parsePart(data []byte) (Part, error) {
	bad := func(what string) (Part, error) {
		return Part{}, fmt.Errorf("opendata: part: %s", what)
	}
	if len(data) == 0 || data[0] != partVersion {
		return bad("not a part, or one of another version of the program")
	}
	i := 1
	year, n := binary.Varint(data[i:])
	if n <= 0 || year < 0 || year > math.MaxInt32 {
		return bad("bad year")
	}
	i += n
	if i >= len(data) || data[i] >= 1<<(numSections-secFinal) {
		return bad("bad kinds of document")
	}
	p := Part{data: data, head: partHead{year: int(year), kinds: data[i]}}
	i++
	var lens [numSections]uint64
	for s := range lens {
		l, n := binary.Uvarint(data[i:])
		if n <= 0 {
			return bad("bad section length")
		}
		lens[s] = l
		i += n
	}
	p.off[0] = i
	for s, l := range lens {
		if l > uint64(len(data)-p.off[s]) {
			return bad("sections longer than the part")
		}
		p.off[s+1] = p.off[s] + int(l)
	}
	if p.off[numSections] != len(data) {
		return bad("bytes after the last section")
	}
	return p, nil
}

func (s sectionID) String() string {
	if s < numSections {
		return sections[s].name
	}
	return "section " + strconv.Itoa(int(s))
}

// Tag bits of a cell in a sheet section, beside its cellKind.
const (
	tagKind   = 0x03
	tagItalic = 0x04
	tagSeen   = 0x08 // a string given by its index
)

// Every cellKind fits in tagKind.
const _ = uint(tagKind - cellDecimal)

// encoder encodes the sections of parts; its buffers are reused from one
// section to the next.
type encoder struct {
	body   []byte            // PartOf's sections
	b      []byte            // the sheet section being encoded
	strs   map[string]uint32 // index of each string the section has so far
	cells  []cell            // a row being built
	detail detailCells
}

// appendSection appends section s of department d's part to b.
func (e *encoder) appendSection(b []byte, d *model.Department, s sectionID) []byte {
	e.b = b
	if e.strs == nil {
		e.strs = map[string]uint32{}
	}
	clear(e.strs)
	for _, r := range d.Reports {
		switch s {
		case secSummary:
			e.cells = summaryRow(e.cells[:0], r)
			e.row(e.cells)
		case secDetail:
			eachRow(r, func(w row) { e.row(e.detail.fill(w)) })
		case secIndicators:
			e.cells = indicatorRows(e.cells, r, e.row)
		case secProjects:
			e.cells = projectRows(e.cells, r, e.row)
		case secFinal, secBudget:
			if r.Accounts != nil && accountsSection(r) == s {
				e.cells = accountsRows(e.cells, r, e.row)
			}
		case secThree:
			e.cells = threeRows(e.cells, r, e.row)
		case secEval:
			e.cells = evalRows(e.cells, r, e.row)
		}
	}
	b, e.b = e.b, nil
	return b
}

// row appends a row of cells to the section.
func (e *encoder) row(cells []cell) {
	b := binary.AppendUvarint(e.b, uint64(len(cells)))
	for _, c := range cells {
		tag := byte(c.kind)
		if c.italic {
			tag |= tagItalic
		}
		switch c.kind {
		case cellText:
			if c.text == "" {
				// The writer leaves an empty string's cell out, as
				// an empty cell.
				b = append(b, tag&^tagKind|byte(cellEmpty))
			} else if i, ok := e.strs[c.text]; ok {
				b = append(b, tag|tagSeen)
				b = binary.AppendUvarint(b, uint64(i))
			} else {
				e.strs[c.text] = uint32(len(e.strs))
				b = append(b, tag)
				b = binary.AppendUvarint(b, uint64(len(c.text)))
				b = append(b, c.text...)
			}
		case cellInt:
			b = append(b, tag)
			b = binary.AppendVarint(b, c.n)
		case cellDecimal:
			b = append(b, tag)
			b = binary.AppendVarint(b, c.dec.Units)
			b = binary.AppendVarint(b, int64(c.dec.Places))
		default:
			b = append(b, tag&^tagKind|byte(cellEmpty))
		}
	}
	e.b = b
}

// sheetDecoder decodes sheet sections; its buffers are reused from one
// section to the next.
type sheetDecoder struct {
	strs []string
	row  []cell
}

var errTruncated = errors.New("truncated")

// rows passes the rows of b, an encoded section s, to emit, which must
// not keep the slice. intern, if not nil, gives the string of some bytes,
// so that a string many parts have can be shared rather than made again.
func (x *sheetDecoder) rows(b []byte, s sectionID, emit func([]cell), intern func([]byte) string) error {
	x.strs = x.strs[:0]
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 {
			return errTruncated
		}
		if n > uint64(len(sections[s].cols)) {
			return fmt.Errorf("a row of more cells than the sheet's %d columns", len(sections[s].cols))
		}
		b = b[k:]
		row := x.row[:0]
		for range n {
			if len(b) == 0 {
				return errTruncated
			}
			tag := b[0]
			b = b[1:]
			c := cell{kind: cellKind(tag & tagKind), italic: tag&tagItalic != 0}
			if tag&^(tagKind|tagItalic|tagSeen) != 0 || (tag&tagSeen != 0 && c.kind != cellText) {
				return fmt.Errorf("bad cell tag %#x", tag)
			}
			switch c.kind {
			case cellText:
				v, k := binary.Uvarint(b)
				if k <= 0 {
					return errTruncated
				}
				b = b[k:]
				if tag&tagSeen != 0 {
					if v >= uint64(len(x.strs)) {
						return fmt.Errorf("string %d of %d", v, len(x.strs))
					}
					c.text = x.strs[v]
					break
				}
				if v > uint64(len(b)) {
					return errTruncated
				}
				if intern != nil {
					c.text = intern(b[:v])
				} else {
					c.text = string(b[:v])
				}
				b = b[v:]
				x.strs = append(x.strs, c.text)
			case cellInt:
				v, k := binary.Varint(b)
				if k <= 0 {
					return errTruncated
				}
				b = b[k:]
				c.n = v
			case cellDecimal:
				u, k := binary.Varint(b)
				if k <= 0 {
					return errTruncated
				}
				b = b[k:]
				p, k := binary.Varint(b)
				if k <= 0 {
					return errTruncated
				}
				if p < math.MinInt32 || p > math.MaxInt32 {
					return fmt.Errorf("a decimal of %d places", p)
				}
				b = b[k:]
				c.dec = model.Decimal{Units: u, Places: int(p)}
			}
			row = append(row, c)
		}
		x.row = row
		emit(row)
	}
	return nil
}

// PartSource gives the writers of all.csv and all.xlsx the parts of a
// site, in the order of its departments. A writer asks for each part
// several times (all.xlsx once for each sheet, and once first for every
// part's latest year) and is done with one part before it asks for the
// next, so a source need not hold them all: see Spool.
type PartSource interface {
	// Len is the number of parts.
	Len() int
	// Part returns part i, 0 ≤ i < Len().
	Part(i int) (*Part, error)
}

// Parts is a PartSource of parts held in memory.
type Parts []*Part

// Len is the number of parts.
func (ps Parts) Len() int { return len(ps) }

// Part returns part i.
func (ps Parts) Part(i int) (*Part, error) { return ps[i], nil }

// partReader is what the writers read: a part's head, then one section of
// it at a time. A Spool reads just that section from its file; any other
// PartSource is read through sourceReader.
type partReader interface {
	Len() int
	head(i int) (partHead, error)
	// section returns section s of part i, in buf's storage if that
	// serves; it is valid until the next call.
	section(i int, s sectionID, buf []byte) ([]byte, error)
}

func readerOf(src PartSource) partReader {
	if r, ok := src.(partReader); ok {
		return r
	}
	return sourceReader{src}
}

type sourceReader struct{ src PartSource }

func (r sourceReader) Len() int { return r.src.Len() }

func (r sourceReader) part(i int) (*Part, error) {
	p, err := r.src.Part(i)
	if err == nil && p == nil {
		err = errors.New("no part")
	}
	return p, err
}

func (r sourceReader) head(i int) (partHead, error) {
	p, err := r.part(i)
	if err != nil {
		return partHead{}, err
	}
	return p.head, nil
}

func (r sourceReader) section(i int, s sectionID, _ []byte) ([]byte, error) {
	p, err := r.part(i)
	if err != nil {
		return nil, err
	}
	return p.section(s), nil
}

// siteReader works out the sections of a site's parts from its model as
// the writers ask for them, so that WriteAllCSV and WriteAllXLSX take the
// same path as the writers of parts without holding the parts.
type siteReader struct {
	depts []*model.Department
	enc   encoder
}

func (r *siteReader) Len() int { return len(r.depts) }

func (r *siteReader) head(i int) (partHead, error) { return headOf(r.depts[i]), nil }

func (r *siteReader) section(i int, s sectionID, buf []byte) ([]byte, error) {
	return r.enc.appendSection(buf, r.depts[i], s), nil
}
