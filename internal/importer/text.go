package importer

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"disclose/internal/sourcedoc"
)

// piece is a run of a logical paragraph's text that came from one place.
type piece struct {
	off int // byte offset in the paragraph text
	loc sourcedoc.Loc
}

// para is a logical paragraph: a source paragraph, a table cell, or a
// sentence the source broke over several lines, joined back.
type para struct {
	text    string
	pieces  []piece
	heading bool
}

func (p *para) locAt(off int) sourcedoc.Loc {
	loc := p.pieces[0].loc
	for _, pc := range p.pieces {
		if pc.off > off {
			break
		}
		loc = pc.loc
	}
	return loc
}

var (
	tagRE       = regexp.MustCompile(`</?[a-zA-Z][^<>]{0,40}>`)
	bookmarkRE  = regexp.MustCompile(`\[bookmark: [^\]]*\]`)
	numberingRE = regexp.MustCompile(`^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d{1,2}\s*[、．]|\d{1,2}\.\s*|[（(]\d{1,2}[）)]|[①②③④⑤⑥⑦⑧⑨⑩])`)
	// A line ends a sentence with these; anything else may continue on
	// the next line, as text copied out of a PDF or a table does.
	enders = "。；;：:！!？?）)”>】"
)

// paragraphs turns a document's lines into logical paragraphs: HTML tags
// some portals leave in the text split paragraphs, table cells are their own
// paragraphs, and a line broken mid-sentence is joined to the next.
func paragraphs(doc *sourcedoc.Document) []*para {
	var out []*para
	var open *para
	add := func(text string, loc sourcedoc.Loc, level int, cell bool) {
		text = bookmarkRE.ReplaceAllString(text, "")
		for _, part := range tagRE.Split(text, -1) {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			numbered := numberingRE.MatchString(part)
			if open != nil && !cell && !numbered && level == 0 {
				open.pieces = append(open.pieces, piece{len(open.text), loc})
				open.text += part
			} else {
				open = &para{text: part, pieces: []piece{{0, loc}}, heading: level > 0}
				out = append(out, open)
			}
			if r, _ := utf8.DecodeLastRuneInString(open.text); strings.ContainsRune(enders, r) || cell || level > 0 || !continues(open.text) {
				open = nil
			}
		}
	}
	for _, l := range doc.Lines() {
		if l.Cells == nil {
			add(l.Text, l.Loc, l.Level, false)
			continue
		}
		open = nil
		for _, c := range l.Cells {
			add(c.Text, c.Loc, 0, true)
			open = nil
		}
	}
	return out
}

// continues says whether a line that does not end a sentence reads as if
// broken off: it ends in a letter or a comma, and is long enough to be
// prose rather than a heading.
func continues(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return utf8.RuneCountInString(s) > 20 && strings.ContainsAny(s, "，,") && (unicode.Is(unicode.Han, r) || r == '，' || r == ',')
}

// mention is one money figure in a sentence.
type mention struct {
	num, unit string
	start     int // byte offset of the number in the sentence
	end       int // just after the unit
	label     string
	approx    bool // 约, 余, 多: not an exact figure
	rate      bool // per person, per month: a standard, not an amount
}

var moneyWordRE = regexp.MustCompile(`资金|经费|支出|收入|结余|结转|预算|拨款|费`)

var amountRE = regexp.MustCompile(`(\d[\d,，]*(?:\.\d+)?)\s*(亿元|万元|元|万)|为\s*(0)\s*[，。；,;]`)

// mentions finds the money figures of a sentence with the words before
// each, back to the previous figure or clause break.
func mentions(s string) []mention {
	var out []mention
	prevEnd := 0
	for _, m := range amountRE.FindAllStringSubmatchIndex(s, -1) {
		var num, unit string
		if m[2] < 0 {
			// "结转结余资金为 0，": a zero needs no unit.
			m = []int{m[6], m[7], m[6], m[7], m[7], m[7]}
			num = s[m[2]:m[3]]
		} else {
			num, unit = s[m[2]:m[3]], s[m[4]:m[5]]
		}
		if m[2] > 0 {
			if r, _ := utf8.DecodeLastRuneInString(s[:m[2]]); r == '.' || unicode.IsDigit(r) || unicode.IsLetter(r) && r < 0x80 {
				continue
			}
		}
		after := s[m[1]:]
		mt := mention{num: strings.TrimRight(num, ",，"), unit: unit, start: m[2], end: m[1]}
		if unit == "万" {
			if strings.HasPrefix(after, "余") || strings.HasPrefix(after, "多") {
				mt.approx = true
			} else if r, _ := utf8.DecodeRuneInString(after); unicode.Is(unicode.Han, r) && !strings.ContainsRune("，。；、）)用", r) {
				// "5万人", "3万余": not money.
				continue
			}
		}
		if strings.HasPrefix(after, "/") || strings.HasPrefix(after, "每") || strings.HasPrefix(after, "余") || strings.HasPrefix(after, "左右") || strings.HasPrefix(after, "以上") || strings.HasPrefix(after, "以下") {
			mt.rate = strings.HasPrefix(after, "/") || strings.HasPrefix(after, "每")
			mt.approx = !mt.rate
		}
		lab := s[prevEnd:m[2]]
		if i := lastBreak(lab); i >= 0 {
			lab = lab[i:]
		}
		if unit == "" && !moneyWordRE.MatchString(lab) {
			continue // "基数为0": a zero of something else
		}
		before := s[:m[2]]
		if strings.HasSuffix(strings.TrimSpace(before), "约") || strings.HasSuffix(strings.TrimSpace(before), "近") || strings.HasSuffix(strings.TrimSpace(before), "超") {
			mt.approx = true
		}
		if strings.Contains(lab, "每") || strings.Contains(lab, "人均") || strings.Contains(lab, "标准") || strings.Contains(lab, "水平") {
			mt.rate = true
		}
		mt.label = strings.TrimSpace(lab)
		out = append(out, mt)
		prevEnd = m[1]
	}
	return out
}

// lastBreak is the byte offset just after the last clause break in s, or -1.
func lastBreak(s string) int {
	best := -1
	for _, b := range []string{"，", ",", "、", "：", ":", "；", ";", "（", "(", "）", ")", "其中", "。"} {
		if i := strings.LastIndex(s, b); i >= 0 && i+len(b) > best {
			best = i + len(b)
		}
	}
	return best
}

var (
	yearRE   = regexp.MustCompile(`^\s*(?:\d{4}\s*年(?:度)?(?:末)?|截至\d{4}\s*年\d{1,2}月\d{1,2}日|本年度?|全年)`)
	leadRE   = regexp.MustCompile(`^(?:我局|我单位|本部门|本单位|我部门|单位|部门|全年|累计|当年|共|共计|其中|主要为|主要用于|用于|均为|具体包含|具体包括|包含|包括|分别为|分别是)+`)
	trailRE  = regexp.MustCompile(`(?:共计|合计|总计|合计数|累计|共|计|为|是|达到|达|约|金额为|数为|总额为|总额)+\s*$`)
	spacesRE = regexp.MustCompile(`\s+`)
)

// cleanLabel strips numbering, the year, the subject and the verbs from the
// words before a figure: "（一）基本支出共计" gives "基本支出".
func cleanLabel(s string) string {
	s = spacesRE.ReplaceAllString(s, "")
	for {
		t := stripNumbering(s)
		t = yearRE.ReplaceAllString(t, "")
		t = leadRE.ReplaceAllString(t, "")
		t = trailRE.ReplaceAllString(t, "")
		t = strings.Trim(t, "“”\"'‘’ ")
		if t == s {
			return t
		}
		s = t
	}
}

// sentences splits a paragraph at full stops and semicolons, keeping byte
// offsets.
func sentences(text string) (out []struct {
	s   string
	off int
}) {
	start := 0
	for i, r := range text {
		if r == '。' || r == '；' || r == ';' || r == '！' || r == '？' {
			end := i + utf8.RuneLen(r)
			out = append(out, struct {
				s   string
				off int
			}{text[start:end], start})
			start = end
		}
	}
	if strings.TrimSpace(text[start:]) != "" {
		out = append(out, struct {
			s   string
			off int
		}{text[start:], start})
	}
	return out
}

// quote is the words of a figure for its provenance comment: its clause,
// from the last break before it to its unit ("老年人福利支出55.02元"); a
// clause too short to say anything ("支出41万元") takes the one before too.
func quote(s string, start, end int) string {
	from := clauseStart(s, start)
	if utf8.RuneCountInString(s[from:start]) < 4 && from > 0 {
		from = clauseStart(s, max(from-1, 0))
	}
	if n := utf8.RuneCountInString(s[from:start]); n > 40 {
		for i := 0; i < n-40; i++ {
			_, size := utf8.DecodeRuneInString(s[from:])
			from += size
		}
	}
	return strings.TrimSpace(s[from:end])
}

func clauseStart(s string, at int) int {
	best := 0
	for _, b := range []string{"，", ",", "、", "：", ":", "；", ";", "。"} {
		if i := strings.LastIndex(s[:at], b); i >= 0 && i+len(b) > best {
			best = i + len(b)
		}
	}
	return best
}

// stripNumbering removes a leading section number ("一、", "（二）", "3.")
// but not the start of a decimal ("3.5万元").
func stripNumbering(s string) string {
	loc := numberingRE.FindStringIndex(s)
	if loc == nil {
		return s
	}
	if r, _ := utf8.DecodeRuneInString(s[loc[1]:]); unicode.IsDigit(r) && strings.HasSuffix(strings.TrimSpace(s[:loc[1]]), ".") {
		return s
	}
	return s[loc[1]:]
}
