package importer

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"disclose/internal/sourcedoc"
)

// Prov is where an imported value came from: the place in the source and
// the words around it, as a reviewer checks them.
type Prov struct {
	Loc   sourcedoc.Loc
	Quote string
	// NameFile is set when the report draws on several files: the place
	// then names its file.
	NameFile bool
}

// place is where the value stands in its source, as a reviewer looks it up.
func (p Prov) place() string {
	if p.NameFile && p.Loc.File != "" {
		return "原文（" + p.Loc.File + "）" + p.Loc.String()
	}
	return "原文" + p.Loc.String()
}

// Where is the place without the word 原文, as the sidecar records it.
func (p Prov) Where() string { return strings.TrimPrefix(p.place(), "原文") }

// Comment is the provenance as the YAML comment beside the value.
func (p Prov) Comment() string {
	if p.Quote == "" {
		return p.place()
	}
	return fmt.Sprintf("%s：“%s”", p.place(), p.Quote)
}

// Draft is a report being built from a source document: an ordered tree
// addressed by the same paths Figures gives, every leaf with its
// provenance.
type Draft struct {
	root     *dnode
	Unplaced []Unplaced
	placed   map[string]bool // place and figure of every value set
}

// Unplaced is something the importer saw but could not put in the report.
type Unplaced struct {
	Prov   Prov
	Why    string
	figure string
}

func placeKey(loc sourcedoc.Loc, figure string) string {
	// A stated change ("减少423.94万元") is the same figure as its number.
	figure = strings.TrimLeft(NormalizeAmount(figure), "增加减少长下降低")
	return loc.String() + "\x00" + figure
}

// dropPlaced forgets the figures one reader could not place that another
// did (the narrative reader sees every figure of a 决算 情况说明, the
// accounts reader places them).
func (d *Draft) dropPlaced() {
	kept := d.Unplaced[:0]
	for _, u := range d.Unplaced {
		if u.figure == "" || !d.placed[placeKey(u.Prov.Loc, u.figure)] {
			kept = append(kept, u)
		}
	}
	d.Unplaced = kept
}

type dnode struct {
	keys []string
	vals map[string]any // *dnode, *dleaf, *dlist
	name string         // its key in its parent, which says what its lists hold
}

type dleaf struct {
	text string
	str  bool // write as a string even if it looks like a number
	prov *Prov
}

// dseq is a short list of strings, written in flow style: a table row's
// cells.
type dseq struct {
	items []string
}

type dlist struct {
	key   string // the naming field of the elements ("name", "source")
	elems []*dnode
}

// NewDraft returns an empty draft.
func NewDraft() *Draft { return &Draft{root: newNode()} }

func newNode() *dnode { return &dnode{vals: map[string]any{}} }

func (n *dnode) child(key string) *dnode {
	if v, ok := n.vals[key]; ok {
		if c, ok := v.(*dnode); ok {
			return c
		}
		return nil
	}
	c := newNode()
	c.name = key
	n.keys = append(n.keys, key)
	n.vals[key] = c
	return c
}

func (n *dnode) elem(key, name string) *dnode {
	v, ok := n.vals[key]
	if !ok {
		l := &dlist{key: namingField(key, n.name)}
		n.keys = append(n.keys, key)
		n.vals[key] = l
		v = l
	}
	l, ok := v.(*dlist)
	if !ok {
		return nil
	}
	if strings.HasPrefix(name, "#") {
		// "rows[#3]": the fourth element, however it is named (table rows
		// repeat names such as 其他支出 under different classes).
		var i int
		fmt.Sscan(name[1:], &i)
		for len(l.elems) <= i {
			l.elems = append(l.elems, newNode())
		}
		return l.elems[i]
	}
	if name != "" {
		for _, e := range l.elems {
			if lf, ok := e.vals[l.key].(*dleaf); ok && lf.text == name {
				return e
			}
		}
	}
	e := newNode()
	if name != "" {
		e.keys = append(e.keys, l.key)
		e.vals[l.key] = &dleaf{text: name, str: true}
	}
	l.elems = append(l.elems, e)
	return e
}

// namingField is the field that names an element of the list under key,
// the one Figures keys elements by.
func namingField(key, parent string) string {
	if key == "funds" && parent != "project_eval" {
		return "source"
	}
	return "name"
}

// walk resolves a path like "funds[一般公共预算].basic.items[工资福利支出]"
// to its node, creating what is missing; nil if the path runs into a leaf.
func (d *Draft) walk(path string) *dnode {
	n := d.root
	if path == "" {
		return n
	}
	for _, seg := range splitPath(path) {
		if n == nil {
			return nil
		}
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			n = n.elem(seg[:i], seg[i+1:len(seg)-1])
		} else {
			n = n.child(seg)
		}
	}
	return n
}

// splitPath splits on dots outside brackets: names may hold dots.
func splitPath(path string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range path {
		switch r {
		case '[':
			depth++
		case ']':
			depth--
		case '.':
			if depth == 0 {
				out = append(out, path[start:i])
				start = i + 1
			}
		}
	}
	return append(out, path[start:])
}

// Has reports whether a value is set at path.
func (d *Draft) Has(path string) bool {
	parent, key := splitLast(path)
	n := d.lookup(parent)
	if n == nil {
		return false
	}
	_, ok := n.vals[key]
	return ok
}

func (d *Draft) lookup(path string) *dnode {
	n := d.root
	if path == "" {
		return n
	}
	for _, seg := range splitPath(path) {
		var v any
		if i := strings.IndexByte(seg, '['); i >= 0 && strings.HasSuffix(seg, "]") {
			l, ok := n.vals[seg[:i]].(*dlist)
			if !ok {
				return nil
			}
			name := seg[i+1 : len(seg)-1]
			for _, e := range l.elems {
				if lf, ok := e.vals[l.key].(*dleaf); ok && lf.text == name {
					v = e
				}
			}
		} else {
			v = n.vals[seg]
		}
		c, ok := v.(*dnode)
		if !ok {
			return nil
		}
		n = c
	}
	return n
}

func splitLast(path string) (string, string) {
	segs := splitPath(path)
	return strings.Join(segs[:len(segs)-1], "."), segs[len(segs)-1]
}

// Set puts a value at path unless one is there already (the first reading
// of a figure wins; the importer never overwrites what it placed). It
// reports whether the value was set.
func (d *Draft) Set(path, text string, prov *Prov) bool {
	return d.set(path, &dleaf{text: text, prov: prov})
}

// SetString is Set for a value that must stay a string (a code, a name).
func (d *Draft) SetString(path, text string, prov *Prov) bool {
	return d.set(path, &dleaf{text: text, str: true, prov: prov})
}

// SetCells puts a list of strings at path, written ["440.55", ""].
func (d *Draft) SetCells(path string, cells []string) bool {
	return d.put(path, &dseq{items: cells})
}

func (d *Draft) set(path string, leaf *dleaf) bool {
	if !d.put(path, leaf) {
		return false
	}
	if leaf.prov != nil {
		if d.placed == nil {
			d.placed = map[string]bool{}
		}
		d.placed[placeKey(leaf.prov.Loc, leaf.text)] = true
	}
	return true
}

// put stores v (a *dleaf or *dseq) at path unless a value is there.
func (d *Draft) put(path string, v any) bool {
	parent, key := splitLast(path)
	n := d.walk(parent)
	if n == nil {
		return false
	}
	if _, ok := n.vals[key]; ok {
		return false
	}
	n.keys = append(n.keys, key)
	n.vals[key] = v
	return true
}

// Leaf is one value of the draft with its provenance, as the sidecar
// records it.
type Leaf struct {
	Path string `json:"path"`
	Line int    `json:"line"` // line in the written YAML
	Text string `json:"value"`
	Prov *Prov  `json:"-"`
}

// fieldOrder puts a report's keys in the order the hand-written reports and
// the README use, whatever order the importer found them in.
var fieldOrder = []string{"year", "kind", "title", "issuer", "unit", "approved", "report_date", "evaluation", "score", "staff",
	"totals", "funds", "three_public", "projects", "accounts", "project_eval", "profile", "tables", "targets", "indicators",
	"source", "name", "source", "label", "code", "amount", "initial_budget", "adjustment", "budget", "income", "expenditure",
	"carryover", "execution_rate", "basic", "project", "budget_plan", "total", "items", "of_which", "note"}

func rank(key string) int {
	for i, k := range fieldOrder {
		if k == key {
			return i
		}
	}
	return len(fieldOrder)
}

// YAML writes the draft with each value's provenance as its line comment,
// and returns the leaves with the lines they were written on.
func (d *Draft) YAML(header string) ([]byte, []Leaf, error) {
	var leaves []Leaf
	type pending struct {
		node *yaml.Node
		leaf Leaf
	}
	var pend []pending
	var conv func(n *dnode, path string, top bool) *yaml.Node
	conv = func(n *dnode, path string, top bool) *yaml.Node {
		m := &yaml.Node{Kind: yaml.MappingNode}
		keys := append([]string(nil), n.keys...)
		if top {
			sort.SliceStable(keys, func(i, j int) bool { return rank(keys[i]) < rank(keys[j]) })
		}
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			var v *yaml.Node
			switch x := n.vals[k].(type) {
			case *dnode:
				v = conv(x, p, false)
			case *dlist:
				v = &yaml.Node{Kind: yaml.SequenceNode}
				for _, e := range x.elems {
					name := ""
					if lf, ok := e.vals[x.key].(*dleaf); ok {
						name = lf.text
					}
					v.Content = append(v.Content, conv(e, p+"["+name+"]", false))
				}
			case *dseq:
				v = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
				for _, it := range x.items {
					v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: it, Tag: "!!str", Style: yaml.DoubleQuotedStyle})
				}
			case *dleaf:
				v = &yaml.Node{Kind: yaml.ScalarNode, Value: x.text, Tag: "!!str"}
				if !x.str && (x.text == "true" || x.text == "false") {
					v.Tag = "!!bool"
				}
				if !x.str && looksNumeric(x.text) {
					v.Tag = "!!float"
					if !strings.Contains(x.text, ".") {
						v.Tag = "!!int"
					}
				}
				if x.prov != nil {
					v.LineComment = x.prov.Comment()
					pend = append(pend, pending{v, Leaf{Path: p, Text: x.text, Prov: x.prov}})
				}
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: k}, v)
		}
		return m
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, HeadComment: header}
	doc.Content = []*yaml.Node{conv(d.root, "", true)}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, nil, err
	}
	// Encoding gives nodes no lines; read the output back to learn them.
	// The trees have the same shape, so the leaves are found in the same
	// order.
	var back yaml.Node
	if err := yaml.Unmarshal(buf.Bytes(), &back); err != nil {
		return nil, nil, fmt.Errorf("draft YAML does not read back: %w", err)
	}
	var lines []int
	var collect func(n *yaml.Node)
	collect = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode && n.LineComment != "" {
			lines = append(lines, n.Line)
		}
		for _, c := range n.Content {
			collect(c)
		}
	}
	collect(&back)
	if len(lines) != len(pend) {
		return nil, nil, fmt.Errorf("draft YAML: %d values with a source but %d read back", len(pend), len(lines))
	}
	for i, p := range pend {
		p.leaf.Line = lines[i]
		leaves = append(leaves, p.leaf)
	}
	return buf.Bytes(), leaves, nil
}

func looksNumeric(s string) bool {
	if s == "" {
		return false
	}
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0:
			dot = true
		case r == '-' && i == 0:
		default:
			return false
		}
	}
	return !strings.HasSuffix(s, ".")
}

// Rename renames the key old of the node at path to new, keeping its place.
func (d *Draft) Rename(path, old, new string) {
	n := d.lookup(path)
	if n == nil {
		return
	}
	v, ok := n.vals[old]
	if !ok {
		return
	}
	if _, taken := n.vals[new]; taken {
		return
	}
	delete(n.vals, old)
	n.vals[new] = v
	for i, k := range n.keys {
		if k == old {
			n.keys[i] = new
		}
	}
}

// merge adds o's values to d where d has none, keeping d's where both have
// one; a figure two sources give differently is listed as unplaced, with
// both places, for a person to settle.
func (d *Draft) merge(o *Draft) {
	var walk func(a, b *dnode, path string)
	walk = func(a, b *dnode, path string) {
		for _, k := range b.keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			bv := b.vals[k]
			av, ok := a.vals[k]
			if !ok {
				a.keys = append(a.keys, k)
				a.vals[k] = bv
				continue
			}
			switch x := av.(type) {
			case *dnode:
				if y, ok := bv.(*dnode); ok {
					walk(x, y, p)
				}
			case *dlist:
				y, ok := bv.(*dlist)
				if !ok {
					continue
				}
				for _, e := range y.elems {
					name := ""
					if lf, ok := e.vals[y.key].(*dleaf); ok {
						name = lf.text
					}
					var match *dnode
					for _, f := range x.elems {
						if lf, ok := f.vals[x.key].(*dleaf); ok && name != "" && lf.text == name {
							match = f
						}
					}
					if match == nil {
						x.elems = append(x.elems, e)
					} else {
						walk(match, e, p+"["+name+"]")
					}
				}
			case *dleaf:
				y, ok := bv.(*dleaf)
				if ok && y.prov != nil && x.prov != nil && NormalizeAmount(y.text) != NormalizeAmount(x.text) {
					d.Unplaced = append(d.Unplaced, Unplaced{Prov: *y.prov,
						Why: fmt.Sprintf("与%s的“%s”不一致（报告中 %s 用了后者）", x.prov.place(), x.text, p)})
				}
			}
		}
	}
	walk(d.root, o.root, "")
	d.Unplaced = append(d.Unplaced, o.Unplaced...)
	for k := range o.placed {
		if d.placed == nil {
			d.placed = map[string]bool{}
		}
		d.placed[k] = true
	}
}

// provs lists every provenance of the draft, to mark them when the draft
// draws on several files.
func (d *Draft) provs() []*Prov {
	var out []*Prov
	var walk func(n *dnode)
	walk = func(n *dnode) {
		for _, v := range n.vals {
			switch x := v.(type) {
			case *dnode:
				walk(x)
			case *dlist:
				for _, e := range x.elems {
					walk(e)
				}
			case *dleaf:
				if x.prov != nil {
					out = append(out, x.prov)
				}
			}
		}
	}
	walk(d.root)
	for i := range d.Unplaced {
		out = append(out, &d.Unplaced[i].Prov)
	}
	return out
}

// text is the string value at path.
func (d *Draft) text(path string) (string, bool) {
	parent, key := splitLast(path)
	n := d.lookup(parent)
	if n == nil {
		return "", false
	}
	lf, ok := n.vals[key].(*dleaf)
	if !ok {
		return "", false
	}
	return lf.text, true
}

// replace changes the text of the value at path, keeping its provenance.
func (d *Draft) replace(path, text string) {
	parent, key := splitLast(path)
	if n := d.lookup(parent); n != nil {
		if lf, ok := n.vals[key].(*dleaf); ok {
			lf.text = text
		}
	}
}
