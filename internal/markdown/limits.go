package markdown

import "strings"

// goldmark (v1.8.7) does work that grows faster than the text on some
// shapes of input, all far from anything a report contains. Measured on
// two cores, each within the loader's 4 MiB file limit:
//
//   - nesting: a 200 KB line of ">" took 60 s, a list nested 1,400 levels
//     by indentation 19 s: at every container it opens or continues,
//     goldmark counts the columns of the line from its start again;
//   - re-scanning: each "[" still open when a "]" arrives is walked again
//     (1 M pairs "[[[…]]]": 83 s and 1 GB), an unclosed "(" or "<" after
//     "](" sends goldmark to the end of the line, an unmatched backtick to
//     the end of the paragraph, and each "*" or "_" that closes nothing
//     walks back over every mark before it in the paragraph;
//   - volume: a table row is padded to the header's width, so 1,000
//     columns over 100,000 one-letter rows ask for 10^8 cells; and at
//     about 1 µs per element, even well-formed text made only of list
//     items takes 3.5 s at 4 MiB.
//
// Check measures each of these in one pass over the text, and the renderer
// hands goldmark only text that Check accepts. Every measure is an upper
// bound of what goldmark meets (it counts a mark inside a code span as a
// mark, and a whole run of non-blank lines as one paragraph), so that no
// text within the limits can take long, whatever its shape. The limits are
// set far above real reports: in the seed content and in 1,700 generated
// sections, no text nests more than one level or opens "[" at all, and
// none has more than 45 elements or a work above 4,000.
const (
	// MaxDepth bounds the block quotes and lists open on one line, and the
	// "[" open at once in one paragraph. A report nests two or three
	// levels; goldmark's work on a line grows with the square of the
	// depth, which stays small below 100.
	MaxDepth = 100
	// MaxElements bounds the lines, containers, marks (` * _ ~ [ ] ! <)
	// and table cells of one text: about what goldmark makes nodes of, at
	// 1 to 3 µs each. 100,000 render in about 0.3 s.
	MaxElements = 100_000
	// MaxWork bounds, summed over the paragraphs of one text, each
	// paragraph's marks times its length (a line counting 64 bytes, for
	// the node goldmark makes of it when it re-scans the paragraph): no
	// mark can make goldmark scan beyond its own paragraph, so this bounds
	// all re-scanning, to about 0.1 s.
	MaxWork = 100_000_000
)

// Limit names the measure a text exceeded.
type Limit int

const (
	// Depth: block quotes (">") and list items nested on one line.
	Depth Limit = iota + 1
	// Brackets: "[" open at once in one paragraph.
	Brackets
	// Elements: lines, containers, marks and table cells in the text.
	Elements
	// Work: paragraphs both long and full of marks.
	Work
)

// Excess is the first place where a text goes beyond a limit.
type Excess struct {
	Limit Limit
	Line  int // 1-based line of the text: where it happened, or where the paragraph starts (Work)
	Found int // the depth or the count reached; for Work, the paragraph's marks
	Size  int // for Work, the paragraph's length in bytes
}

// Max is the limit that was exceeded.
func (e Excess) Max() int {
	switch e.Limit {
	case Depth, Brackets:
		return MaxDepth
	case Elements:
		return MaxElements
	}
	return MaxWork
}

const bom = "\ufeff"

// trimBOM drops a UTF-8 byte order mark, which editors on Windows put at
// the start of a file: goldmark would keep it as text, so that a first
// heading "# 标题" became a paragraph.
func trimBOM(src string) string { return strings.TrimPrefix(src, bom) }

// Check reports whether src is within the limits the renderer accepts and,
// when it is not, the first excess. It takes time linear in len(src).
func Check(src string) (Excess, bool) {
	var s scanner
	return s.run(trimBOM(src))
}

// lineWeight is what one line of a paragraph counts in MaxWork, in bytes.
const lineWeight = 64

type scanner struct {
	carried    int  // containers that may still be open after the previous line
	afterBlank bool // the previous line was blank
	elements   int
	work       int
	worst      paragraph // the paragraph with the most work so far
	para       paragraph
}

// paragraph is a run of non-blank lines: every block goldmark parses
// inline lies within one.
type paragraph struct {
	start, lines, bytes, marks int
	brackets                   int // "[" open
	cols, colsLine             int // the widest possible table delimiter row, and its line
	work                       int
}

func (s *scanner) run(src string) (Excess, bool) {
	line := 0
	for len(src) > 0 {
		line++
		l := src
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			src = ""
		}
		if blank(l) {
			if e, ok := s.end(); !ok {
				return e, false
			}
			s.afterBlank = true
			continue
		}
		if e, ok := s.line(l, line); !ok {
			return e, false
		}
		s.afterBlank = false
	}
	return s.end()
}

// blank is goldmark's util.IsBlank: a line of white space ends paragraphs.
func blank(l string) bool {
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case ' ', '\t', '\r', '\v', '\f':
		default:
			return false
		}
	}
	return true
}

func (s *scanner) line(l string, n int) (Excess, bool) {
	p := &s.para
	if p.lines == 0 {
		*p = paragraph{start: n}
	}
	p.lines++
	p.bytes += len(l) + 1

	depth, rest := s.containers(l)
	if depth > MaxDepth {
		return Excess{Limit: Depth, Line: n, Found: depth}, false
	}
	if cols := delimiterRow(l, rest); cols > p.cols {
		p.cols, p.colsLine = cols, n
	}

	marks := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			// An escaped bracket opens nothing; it still counts as a mark.
			if i+1 < len(l) && isPunct(l[i+1]) {
				i++
				if isMark(l[i]) {
					marks++
				}
			}
		case '[':
			marks++
			p.brackets++
			if p.brackets > MaxDepth {
				return Excess{Limit: Brackets, Line: n, Found: p.brackets}, false
			}
		case ']':
			marks++
			p.brackets = max(p.brackets-1, 0)
		default:
			if isMark(l[i]) {
				marks++
			}
		}
	}
	p.marks += marks
	s.elements += 1 + depth + marks
	if s.elements > MaxElements {
		return Excess{Limit: Elements, Line: n, Found: s.elements}, false
	}
	return Excess{}, true
}

// end closes the paragraph being read, if any.
func (s *scanner) end() (Excess, bool) {
	p := &s.para
	if p.lines == 0 {
		return Excess{}, true
	}
	defer func() { p.lines = 0 }()
	if p.cols >= 2 {
		// goldmark pads every row of a table to the delimiter row's width
		// (and cuts longer ones), so each line may hold that many cells.
		s.elements += p.cols * p.lines
		if s.elements > MaxElements {
			return Excess{Limit: Elements, Line: p.colsLine, Found: s.elements}, false
		}
	}
	p.work = p.marks * (p.bytes + lineWeight*p.lines)
	if p.work > s.worst.work {
		s.worst = *p
	}
	s.work += p.work
	if s.work > MaxWork {
		w := s.worst
		return Excess{Limit: Work, Line: w.start, Found: w.marks, Size: w.bytes}, false
	}
	return Excess{}, true
}

// containers returns an upper bound of the block quotes and list items
// goldmark has open on line l, and the rest of l after their markers.
//
// A quote needs a ">" on the line, and a list item is opened by a marker
// on the line or stays open when the line is indented at least to its
// text, which lies two or more columns to the right of its parent's: so
// the containers kept open by indentation number at most half the columns
// of white space, and at most those open before. A line goldmark takes as
// the lazy continuation of a paragraph keeps everything open without a
// marker; the bound carried from line to line therefore only falls after
// a blank line, which ends laziness.
func (s *scanner) containers(l string) (int, string) {
	quotes, items, cols, i := 0, 0, 0, 0
	white := 0
	var brk breaks
	brk.init(l)
	for i < len(l) {
		switch c := l[i]; {
		case c == ' ' || c == '\t':
			w := 1
			if c == '\t' {
				w = 4 - cols%4
			}
			cols += w
			if items == 0 {
				// Past a list marker, white space is that item's; only
				// before one can it keep items of earlier lines open.
				white += w
			}
			i++
		case c == '>':
			quotes++
			cols++
			i++
			if i < len(l) && l[i] == ' ' {
				// The quote's own space, not indentation.
				cols++
				i++
			}
		case (c == '-' || c == '*') && brk.at(i, c):
			// A thematic break such as "- - -" or "* * *" ends the
			// containers: it is not a list.
			goto done
		case c == '-' || c == '*' || c == '+':
			if !markerEnd(l, i+1) {
				goto done
			}
			items++
			cols++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(l) && j-i < 10 && l[j] >= '0' && l[j] <= '9' {
				j++
			}
			if j-i > 9 || j == len(l) || (l[j] != '.' && l[j] != ')') || !markerEnd(l, j+1) {
				goto done
			}
			items++
			cols += j + 1 - i
			i = j + 1
		default:
			goto done
		}
	}
done:
	kept := min(s.carried, white/2)
	depth := kept + quotes + items
	if s.afterBlank {
		s.carried = depth
	} else {
		s.carried = max(s.carried, depth)
	}
	return depth, l[i:]
}

// markerEnd reports whether a list marker may end at l[i]: at the end of
// the line or before white space.
func markerEnd(l string, i int) bool {
	return i >= len(l) || l[i] == ' ' || l[i] == '\t' || l[i] == '\r'
}

// breaks answers in constant time whether a thematic break of "-" or "*"
// starts at a given place of one line: from there on, the line holds only
// that character (three or more times) and white space.
type breaks struct {
	other [2]int // last index of a byte other than the mark and white space
	third [2]int // index of the third occurrence of the mark from the end
}

func (b *breaks) init(l string) {
	for k, mark := range [2]byte{'-', '*'} {
		b.other[k], b.third[k] = -1, -1
		seen := 0
		for i := len(l) - 1; i >= 0; i-- {
			switch l[i] {
			case mark:
				if seen++; seen == 3 {
					b.third[k] = i
				}
			case ' ', '\t', '\r':
			default:
				if b.other[k] < 0 {
					b.other[k] = i
				}
			}
		}
	}
}

func (b *breaks) at(i int, mark byte) bool {
	k := 0
	if mark == '*' {
		k = 1
	}
	return b.other[k] < i && b.third[k] >= i
}

// delimiterRow returns how many columns a table delimiter row on line l
// could give, or 0 if it cannot be one. rest is l after its containers;
// goldmark splits the row at "|", so it has at most one column more than
// it has pipes.
func delimiterRow(l, rest string) int {
	pipes, dashes := 0, 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '|':
			pipes++
		case '-':
			dashes++
		case ':', ' ', '\t', '\r':
		default:
			return 0
		}
	}
	if pipes == 0 || dashes == 0 {
		return 0
	}
	return strings.Count(l, "|") + 1
}

// isMark reports whether goldmark starts an inline parser at c.
func isMark(c byte) bool {
	switch c {
	case '`', '*', '_', '~', '[', ']', '!', '<':
		return true
	}
	return false
}

// isPunct is ASCII punctuation, what a backslash escapes.
func isPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}
