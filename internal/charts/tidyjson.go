package charts

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// This file is a small JSON reader and writer for tidying options (see
// tidy in render.go). The option used to go through encoding/json three
// times: encoded, decoded into maps and encoded again. The decoding and
// the second encoding were half the cost of a chart, for maps that live a
// few microseconds. So the option is now read into a tree of nodes that
// point into its text by offsets, in one slice reused from render to
// render, and written back by copying that text.
//
// The output must not change by a byte, so the tree is written the way
// encoding/json writes the map it would have decoded (with UseNumber, see
// decode in charts.go):
//
//   - an object's members are written sorted by name, the last of equal
//     names wins, and null members are left out (what dropNulls did);
//   - numbers are copied as written, as a json.Number is;
//   - strings are written as the string they decode to: escapes resolved,
//     invalid UTF-8 replaced by U+FFFD, then escaped as encoding/json does
//     (<, >, & and U+2028, U+2029 too). Text that encoding/json wrote
//     comes out as it went in.
//
// tidy_test.go keeps the encoding/json version and checks every chart of
// the seeds and of a generated tree against it; FuzzTidy checks arbitrary
// input.

// A kind is the type of a JSON value in the tree.
type kind uint8

const (
	kNull kind = iota
	kFalse
	kTrue
	kNumber
	kString
	kObject
	kArray
	kRaw // JSON as encoding/json writes it, added by tidy: copied as is
)

// A span is the text buf[lo:hi] of a tidier.
type span struct{ lo, hi int32 }

// A node is a JSON value, and an object's member or an array's element.
// Nodes refer to each other by index in tidier.nodes, where 0 is no node
// (nodes[0] is a null standing for none). Nodes hold no pointers:
// building, editing and dropping the tree costs the garbage collector
// nothing.
type node struct {
	kind  kind
	plain bool  // a string whose text between the quotes is the string
	key   span  // a member's name, decoded
	text  span  // number, string (with its quotes) as written; raw JSON
	first int32 // object, array: the first member or element
	next  int32 // the next member or element of the same container
}

// tidier holds the buffers of one tidy; they are pooled (see render).
type tidier struct {
	in      bytes.Buffer   // the option as encoding/json writes it
	enc     *json.Encoder  // into in
	buf     []byte         // the text being read, then text that tidy adds
	pos     int            // read position in buf
	nodes   []node         // the tree
	order   []int32        // members being written, a stack (see sorted)
	names   []string       // map keys being sorted, a stack (appendAny)
	out     []byte         // the tidy option
	scratch []byte         // a string being re-escaped
	strings map[string]any // strings made for patches (intern)
}

func newTidier() *tidier {
	t := &tidier{}
	t.enc = json.NewEncoder(&t.in) // escapes HTML, as json.Marshal does
	return t
}

func (t *tidier) text(s span) []byte { return t.buf[s.lo:s.hi] }

// add appends s to buf and returns where it is.
func add[S []byte | string](t *tidier, s S) span {
	lo := len(t.buf)
	t.buf = append(t.buf, s...)
	return span{int32(lo), int32(len(t.buf))}
}

// maxDepth is encoding/json's limit on nesting, so that both accept the
// same input.
const maxDepth = 10000

var errSyntax = errors.New("invalid JSON")

// parse reads src, one JSON value with nothing but white space around it,
// into a new tree, and returns its root. src is copied: it may be the
// caller's.
func (t *tidier) parse(src []byte) (int32, error) {
	if len(src) > math.MaxInt32/2 { // spans are int32, with room for additions
		return 0, errors.New("option too large")
	}
	t.buf = append(t.buf[:0], src...)
	t.nodes = append(t.nodes[:0], node{}) // none
	return t.parseText(span{0, int32(len(src))})
}

// parseText reads the JSON text buf[s.lo:s.hi] into nodes added to the
// tree, and returns the one of its value.
func (t *tidier) parseText(s span) (int32, error) {
	t.pos = int(s.lo)
	src := t.buf[:s.hi] // what unquote adds to buf comes after src
	root, err := t.value(src, 0)
	if err != nil {
		return 0, err
	}
	if t.space(src); t.pos != len(src) {
		return 0, errSyntax
	}
	return root, nil
}

func (t *tidier) space(src []byte) {
	for t.pos < len(src) {
		switch src[t.pos] {
		case ' ', '\t', '\n', '\r':
			t.pos++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte, 0 at the end (0 is
// not valid JSON there either).
func (t *tidier) peek(src []byte) byte {
	t.space(src)
	if t.pos < len(src) {
		return src[t.pos]
	}
	return 0
}

// value reads a value at nesting depth and returns its node. src is the
// input: buf without the names decoded into it since.
func (t *tidier) value(src []byte, depth int) (int32, error) {
	i := int32(len(t.nodes))
	t.nodes = append(t.nodes, node{})
	n := &t.nodes[i] // until the next append
	switch c := t.peek(src); {
	case c == '{' || c == '[':
		if depth++; depth > maxDepth {
			return 0, errSyntax
		}
		return i, t.container(src, i, depth, c == '{')
	case c == '"':
		lo := t.pos
		plain, err := t.str(src)
		*n = node{kind: kString, plain: plain, text: span{int32(lo), int32(t.pos)}}
		return i, err
	case c == '-' || '0' <= c && c <= '9':
		l := numberLen(src[t.pos:])
		if l < 0 {
			return 0, errSyntax
		}
		n.kind, n.text = kNumber, span{int32(t.pos), int32(t.pos + l)}
		t.pos += l
		return i, nil
	case c == 'n':
		n.kind = kNull
		return i, t.literal(src, "null")
	case c == 't':
		n.kind = kTrue
		return i, t.literal(src, "true")
	case c == 'f':
		n.kind = kFalse
		return i, t.literal(src, "false")
	}
	return 0, errSyntax
}

// literal reads null, true or false.
func (t *tidier) literal(src []byte, text string) error {
	end := t.pos + len(text)
	if end > len(src) || string(src[t.pos:end]) != text {
		return errSyntax
	}
	t.pos = end
	return nil
}

// container reads the object or array of node i, linking its members in
// the order they come.
func (t *tidier) container(src []byte, i int32, depth int, object bool) error {
	t.pos++ // { or [
	end := byte(']')
	t.nodes[i].kind = kArray
	if object {
		end = '}'
		t.nodes[i].kind = kObject
	}
	if t.peek(src) == end {
		t.pos++
		return nil
	}
	for last := int32(0); ; {
		var name span
		if object {
			if t.peek(src) != '"' {
				return errSyntax
			}
			lo := t.pos
			plain, err := t.str(src)
			if err != nil {
				return err
			}
			name = span{int32(lo) + 1, int32(t.pos) - 1}
			if !plain {
				name = t.unquote(name)
			}
			if t.peek(src) != ':' {
				return errSyntax
			}
			t.pos++
		}
		m, err := t.value(src, depth)
		if err != nil {
			return err
		}
		t.nodes[m].key = name
		if last == 0 {
			t.nodes[i].first = m
		} else {
			t.nodes[last].next = m
		}
		last = m
		c := t.peek(src)
		t.pos++
		if c == end {
			return nil
		}
		if c != ',' {
			return errSyntax
		}
	}
}

// str reads a string, and reports whether it is plain: whether the text
// between the quotes is the string, with no escapes and valid UTF-8.
func (t *tidier) str(src []byte) (plain bool, err error) {
	escaped, ascii := false, true
	for i := t.pos + 1; i < len(src); {
		switch c := src[i]; {
		case c == '"':
			plain = !escaped && (ascii || utf8.Valid(src[t.pos+1:i]))
			t.pos = i + 1
			return plain, nil
		case c == '\\':
			escaped = true
			if i+1 >= len(src) {
				return false, errSyntax
			}
			switch src[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if getu4(src[i:]) < 0 {
					return false, errSyntax
				}
				i += 6
			default:
				return false, errSyntax
			}
		case c < ' ':
			return false, errSyntax
		case c >= utf8.RuneSelf:
			ascii = false
			i++
		default:
			i++
		}
	}
	return false, errSyntax
}

// unquote adds the string that the content s of a string literal that is
// not plain decodes to to buf, and returns where it is.
func (t *tidier) unquote(s span) span {
	lo := len(t.buf)
	t.buf = appendUnquoted(t.buf, t.buf[s.lo:s.hi])
	return span{int32(lo), int32(len(t.buf))}
}

// numberLen returns the length of the JSON number at the start of s, or -1
// when there is none.
func numberLen[S []byte | string](s S) int {
	i := 0
	digits := func() bool {
		j := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i > j
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return -1
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return -1
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return -1
		}
	}
	return i
}

// getu4 decodes the \uXXXX escape at the start of s, or returns -1; as
// encoding/json's getu4.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// appendUnquoted appends the string that the content s of a valid string
// literal decodes to, as encoding/json's unquoteBytes: escapes resolved,
// a surrogate not in a pair and each byte of invalid UTF-8 made U+FFFD.
func appendUnquoted(dst, s []byte) []byte {
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\' && s[r+1] == 'u':
			rr := getu4(s[r:])
			r += 6
			if utf16.IsSurrogate(rr) {
				if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
					rr = dec // a valid pair: take the second half too
					r += 6
				} else {
					rr = unicode.ReplacementChar
				}
			}
			dst = utf8.AppendRune(dst, rr)
		case c == '\\':
			switch e := s[r+1]; e {
			case 'b':
				dst = append(dst, '\b')
			case 'f':
				dst = append(dst, '\f')
			case 'n':
				dst = append(dst, '\n')
			case 'r':
				dst = append(dst, '\r')
			case 't':
				dst = append(dst, '\t')
			default: // " \ /
				dst = append(dst, e)
			}
			r += 2
		case c < utf8.RuneSelf:
			dst = append(dst, c)
			r++
		default:
			rr, size := utf8.DecodeRune(s[r:])
			dst = utf8.AppendRune(dst, rr)
			r += size
		}
	}
	return dst
}

// htmlSafe is encoding/json's htmlSafeSet: the ASCII bytes it writes as
// they are in a string when escaping HTML, as json.Marshal does.
var htmlSafe = func() (set [utf8.RuneSelf]bool) {
	for b := ' '; b < utf8.RuneSelf; b++ {
		set[b] = b != '"' && b != '\\' && b != '<' && b != '>' && b != '&'
	}
	return set
}()

// appendString appends s as a JSON string, escaped exactly as json.Marshal
// escapes it (encoding/json's appendString with escapeHTML).
func appendString[S []byte | string](dst []byte, s S) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if htmlSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default: // other control bytes, < > &
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// The tree is edited with these, which treat an object as the map
// encoding/json decodes it to: of members of equal names the last counts,
// and a null member is no member (see dropNulls in tidy_test.go).

// get returns the member called name of object o, or 0 when there is
// none, it is null, or o is not an object. o may be 0: the callers follow
// paths that may not be there.
func (t *tidier) get(o int32, name string) int32 {
	if o == 0 || t.nodes[o].kind != kObject {
		return 0
	}
	_, m := t.find(o, name)
	if m != 0 && t.nodes[m].kind == kNull {
		return 0
	}
	return m
}

// find returns the last member of object o called name, 0 if none, and
// the member before it (0 if it is the first).
func (t *tidier) find(o int32, name string) (prev, m int32) {
	for p, c := int32(0), t.nodes[o].first; c != 0; p, c = c, t.nodes[c].next {
		if string(t.text(t.nodes[c].key)) == name {
			prev, m = p, c
		}
	}
	return prev, m
}

// set makes the raw JSON text the member called name of object o.
func (t *tidier) set(o int32, name string, raw []byte) {
	n := node{kind: kRaw, key: add(t, name), text: add(t, raw)}
	i := int32(len(t.nodes))
	prev, m := t.find(o, name)
	if m == 0 { // append
		for c := t.nodes[o].first; c != 0; c = t.nodes[c].next {
			prev = c
		}
	} else { // in place of m
		n.next = t.nodes[m].next
	}
	t.nodes = append(t.nodes, n)
	if prev == 0 {
		t.nodes[o].first = i
	} else {
		t.nodes[prev].next = i
	}
}

// isString says whether node n is the string s.
func (t *tidier) isString(n int32, s string) bool {
	if n == 0 {
		return false
	}
	switch nd := t.nodes[n]; nd.kind {
	case kString:
		text := t.text(span{nd.text.lo + 1, nd.text.hi - 1})
		if !nd.plain {
			t.scratch = appendUnquoted(t.scratch[:0], text)
			text = t.scratch
		}
		return string(text) == s
	case kRaw:
		r, err := t.parseText(nd.text)
		return err == nil && t.isString(r, s)
	}
	return false
}

// del removes the members called name from object o.
func (t *tidier) del(o int32, name string) {
	link := &t.nodes[o].first
	for *link != 0 {
		if c := &t.nodes[*link]; string(t.text(c.key)) == name {
			*link = c.next
		} else {
			link = &c.next
		}
	}
}

// sorted pushes on t.order the members of object o that encoding/json
// writes, in its order: by name, the last of equal names, no nulls. The
// caller pops them (t.order[:mark], mark the length before).
func (t *tidier) sorted(o int32) {
	mark := len(t.order)
	inOrder := true // and no two equal names
	for c := t.nodes[o].first; c != 0; c = t.nodes[c].next {
		if n := len(t.order); n > mark && bytes.Compare(t.text(t.nodes[t.order[n-1]].key), t.text(t.nodes[c].key)) >= 0 {
			inOrder = false
		}
		t.order = append(t.order, c)
	}
	ms := t.order[mark:]
	key := func(m int32) []byte { return t.text(t.nodes[m].key) }
	if !inOrder {
		slices.SortStableFunc(ms, func(a, b int32) int { return bytes.Compare(key(a), key(b)) })
	}
	w := 0
	for i, m := range ms {
		if !inOrder && i+1 < len(ms) && bytes.Equal(key(m), key(ms[i+1])) || t.nodes[m].kind == kNull {
			continue
		}
		ms[w] = m
		w++
	}
	t.order = t.order[:mark+w]
}

// appendNode appends the value of node n as encoding/json would write
// what it decodes to.
func (t *tidier) appendNode(dst []byte, n int32) []byte {
	nd := t.nodes[n]
	switch nd.kind {
	case kNull:
		return append(dst, "null"...)
	case kFalse:
		return append(dst, "false"...)
	case kTrue:
		return append(dst, "true"...)
	case kString:
		s := t.text(span{nd.text.lo + 1, nd.text.hi - 1})
		if !nd.plain {
			t.scratch = appendUnquoted(t.scratch[:0], s)
			s = t.scratch
		}
		return appendString(dst, s)
	case kObject:
		dst = append(dst, '{')
		mark := len(t.order)
		t.sorted(n)
		// t.order grows under the members' own members: index it afresh.
		for i := mark; i < len(t.order); i++ {
			if i > mark {
				dst = append(dst, ',')
			}
			m := t.order[i]
			dst = appendString(dst, t.text(t.nodes[m].key))
			dst = append(dst, ':')
			dst = t.appendNode(dst, m)
		}
		t.order = t.order[:mark]
		return append(dst, '}')
	case kArray:
		dst = append(dst, '[')
		for c := nd.first; c != 0; c = t.nodes[c].next {
			if c != nd.first {
				dst = append(dst, ',')
			}
			dst = t.appendNode(dst, c)
		}
		return append(dst, ']')
	}
	return append(dst, t.text(nd.text)...) // number, raw
}

// toAny turns node n into what decode would have made of its JSON, with
// null members dropped, for a patch of maps (patch.maps) to edit: maps, slices,
// strings, json.Numbers, bools, nil.
func (t *tidier) toAny(n int32) any {
	switch nd := t.nodes[n]; nd.kind {
	case kFalse:
		return false
	case kTrue:
		return true
	case kNumber:
		return json.Number(t.text(nd.text))
	case kString:
		s := t.text(span{nd.text.lo + 1, nd.text.hi - 1})
		if !nd.plain {
			t.scratch = appendUnquoted(t.scratch[:0], s)
			s = t.scratch
		}
		return t.intern(s)
	case kObject:
		size := 0
		for c := nd.first; c != 0; c = t.nodes[c].next {
			size++
		}
		m := make(map[string]any, size)
		for c := nd.first; c != 0; c = t.nodes[c].next {
			// In order, so that the last of equal names wins, and
			// null deletes, as dropNulls after decode would.
			if k := t.intern(t.text(t.nodes[c].key)).(string); t.nodes[c].kind == kNull {
				delete(m, k)
			} else {
				m[k] = t.toAny(c)
			}
		}
		return m
	case kArray:
		size := 0
		for c := nd.first; c != 0; c = t.nodes[c].next {
			size++
		}
		a := make([]any, 0, size)
		for c := nd.first; c != 0; c = t.nodes[c].next {
			a = append(a, t.toAny(c))
		}
		return a
	case kRaw:
		r, err := t.parseText(nd.text)
		if err != nil {
			panic("charts: reading option member: " + err.Error())
		}
		return t.toAny(r)
	}
	return nil
}

// intern returns s as a string in an interface, the same one for equal
// strings: the thousand members of a treemap have a dozen names and few
// more colours and texts, and the maps for a patch made half the
// allocations of a build's options. Strings do not change, so sharing
// them is safe.
func (t *tidier) intern(s []byte) any {
	if v, ok := t.strings[string(s)]; ok {
		return v
	}
	if len(t.strings) >= 4096 || t.strings == nil {
		t.strings = make(map[string]any) // start afresh, a new department's names
	}
	v := any(string(s))
	t.strings[v.(string)] = v
	return v
}

// appendAny appends v as json.Marshal writes it. It knows the types toAny
// makes and a patch is likely to add, and hands anything else to
// json.Marshal.
func (t *tidier) appendAny(dst []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(dst, "null"...)
	case bool:
		return strconv.AppendBool(dst, v)
	case string:
		return appendString(dst, v)
	case int:
		return strconv.AppendInt(dst, int64(v), 10)
	case json.Number:
		if v != "" && numberLen(string(v)) == len(v) {
			return append(dst, v...)
		}
	case map[string]any:
		if v == nil {
			return append(dst, "null"...)
		}
		// encoding/json sorts the keys. names is a stack shared by the
		// nested maps: this map's keys are names[mark:end].
		mark := len(t.names)
		for k := range v {
			t.names = append(t.names, k)
		}
		end := len(t.names)
		slices.Sort(t.names[mark:end])
		dst = append(dst, '{')
		for i := mark; i < end; i++ {
			if i > mark {
				dst = append(dst, ',')
			}
			k := t.names[i]
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = t.appendAny(dst, v[k])
		}
		clear(t.names[mark:end])
		t.names = t.names[:mark]
		return append(dst, '}')
	case []any:
		if v == nil {
			return append(dst, "null"...)
		}
		dst = append(dst, '[')
		for i, x := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = t.appendAny(dst, x)
		}
		return append(dst, ']')
	}
	return append(dst, encode(v)...)
}
