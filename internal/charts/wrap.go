package charts

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// labelLine is the line height of chart text in px (fontSize 14 in a CJK
// font needs about 1.4 times its size).
const labelLine = 20

// textWidth estimates the width in px of s at fontSize: a CJK character
// or full-width mark is a square em, anything else about 0.6 em (digits
// and Latin in the sans-serif fonts the pages and images use).
func textWidth(s string) int {
	w := 0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

func runeWidth(r rune) int {
	if wide(r) {
		return fontSize
	}
	return fontSize * 6 / 10
}

func wide(r rune) bool {
	return r >= 0x2E80 || unicode.Is(unicode.Han, r)
}

// wrappedLines is how many lines ECharts' overflow "break" makes of s in
// width px: it breaks after any CJK character and between Latin words,
// never inside a Latin word or number. Explicit newlines start lines too.
// It errs on the side of one more line, so that the room made for a
// label is never too small.
func wrappedLines(s string, width int) int {
	n := 0
	for _, line := range strings.Split(s, "\n") {
		n += len(wrapLine(line, width))
	}
	return n
}

// wrapLine breaks one line of text as wrappedLines counts it.
func wrapLine(s string, width int) []string {
	var lines []string
	var cur strings.Builder
	w := 0
	for len(s) > 0 {
		// The next unbreakable piece: one CJK character, or a run of
		// other characters up to a space or a CJK character.
		r, size := utf8.DecodeRuneInString(s)
		end := size
		if !wide(r) && r != ' ' {
			for end < len(s) {
				r2, sz := utf8.DecodeRuneInString(s[end:])
				if wide(r2) || r2 == ' ' {
					break
				}
				end += sz
			}
		}
		piece := s[:end]
		s = s[end:]
		pw := textWidth(piece)
		// A closing mark stays with the text it closes (no line starts
		// with 》 or ，), even if it sticks out a little.
		if w > 0 && w+pw > width && !closing(piece) {
			lines = append(lines, cur.String())
			cur.Reset()
			w = 0
			if piece == " " {
				continue
			}
		}
		cur.WriteString(piece)
		w += pw
	}
	if cur.Len() > 0 || len(lines) == 0 {
		lines = append(lines, cur.String())
	}
	return lines
}

// breakText inserts newlines into s so that no line is wider than width
// px, for text ECharts draws without a width of its own (pie and
// treemap labels are given one only by the room around them).
func breakText(s string, width int) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		out = append(out, wrapLine(line, width)...)
	}
	return strings.Join(out, "\n")
}

// closing reports whether a line must not start with piece: a closing
// bracket or quote, or punctuation that ends a clause.
func closing(piece string) bool {
	r, _ := utf8.DecodeRuneInString(piece)
	return strings.ContainsRune("》〉」』）)】”’，。、；：！？,.;:!?%", r)
}
