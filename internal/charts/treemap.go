package charts

import (
	"encoding/json"
	"html"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"disclose/internal/model"
)

// tnode is a node of the spending tree as the treemap and its table show it.
type tnode struct {
	name     string
	value    model.Decimal
	computed bool // value added up by us (a grouping, or a node without a printed amount)
	children []*tnode
	color    string // first level only: basic and project keep their colours across charts
}

// treeItem is a treemap data item. go-echarts' opts.TreeMapNode keeps its
// value in an int, which cannot hold 3704.8 万元, and has no label or
// tooltip of its own; this has the same JSON shape plus those.
type treeItem struct {
	Name       string           `json:"name"`
	Value      json.Number      `json:"value"`
	Label      *opts.Label      `json:"label,omitempty"`
	UpperLabel *opts.UpperLabel `json:"upperLabel,omitempty"`
	Tooltip    *opts.Tooltip    `json:"tooltip,omitempty"`
	ItemStyle  *opts.ItemStyle  `json:"itemStyle,omitempty"`
	Children   []*treeItem      `json:"children,omitempty"`
}

// treemap is a drill-down treemap: two levels at a time, a click zooms into
// a node, the breadcrumb below leads back.
type treemap struct {
	series string // the root, first in the breadcrumb
	roots  []*tnode
	height int
}

// bottom is the room below the blocks: the breadcrumb's on the page, the
// source line's in an image (which has no breadcrumb: see forImage).
func (t treemap) bottom(l layout) int {
	if l.title != "" {
		return 8 + l.bottom
	}
	return 44
}

func (t treemap) depth() int {
	var d func(ns []*tnode) int
	d = func(ns []*tnode) int {
		m := 0
		for _, n := range ns {
			m = max(m, 1+d(n.children))
		}
		return m
	}
	return d(t.roots)
}

func (t treemap) build(summary string) func(layout) renderable {
	return func(l layout) renderable {
		c := charts.NewTreeMap()
		c.SetGlobalOptions(append(common(l, summary, false), charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}))...)
		// Level 0 is the root. Below it every parent gets a dark frame: its
		// header (the upper label) is drawn on the frame colour, so white
		// text on it stays readable whatever the node's own colour.
		levels := []opts.TreeMapLevel{{
			ItemStyle:  &opts.ItemStyle{GapWidth: 2},
			UpperLabel: &opts.UpperLabel{Show: opts.Bool(false)},
		}}
		for i := 1; i < t.depth(); i++ {
			levels = append(levels, opts.TreeMapLevel{ItemStyle: &opts.ItemStyle{BorderColor: headerColor, BorderWidth: 2, GapWidth: 2}})
		}
		var total model.Decimal
		for _, n := range t.roots {
			total = total.Add(n.value)
		}
		items := make([]*treeItem, 0, len(t.roots))
		for _, n := range t.roots {
			items = append(items, n.item(t.series, total, total))
		}
		c.AddSeries(t.series, nil,
			charts.WithTreeMapOpts(opts.TreeMapChart{
				// The treemap series defaults to animation: true, which
				// overrides the global switch (ECharts 5.6).
				Animation: opts.Bool(false),
				// One level at a time: a block holds its whole label
				// (wrapped) only when it is big enough, and two levels
				// halve the room of each. A click shows the next level.
				LeafDepth: 1,
				Roam:      opts.Bool(false),
				Levels:    &levels,
				UpperLabel: &opts.UpperLabel{
					Show: opts.Bool(true), Height: 28, Color: onColor, FontSize: fontSize,
				},
				Top: px(l.top + 8), Bottom: px(t.bottom(l)), Left: "8", Right: "8",
			}),
			charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "insideTopLeft", FontSize: fontSize, LineHeight: 20, Color: onColor}),
			charts.WithSeriesOpts(func(s *charts.SingleSeries) {
				s.Data = items
				s.NodeClick = "zoomToNode"
				// ECharts adds a root of its own, named after the
				// series, which shows in the gaps between the first-level
				// nodes. With no data item it has no tooltip of ours, and
				// ECharts' default one is HTML with style attributes,
				// which the pages' CSP (style-src 'self') refuses, and
				// "3,229.37" without a unit. This one is for the root
				// only: every data item has its own.
				s.SeriesTooltip = &opts.SeriesTooltip{Formatter: types.FuncStr("{b}：" + withUnit(total, wan))}
			}),
		)
		return c
	}
}

// breadcrumb styles the treemap's path bar, which go-echarts has no type
// for: 14px white text on the dark header colour, at the bottom.
var breadcrumb = patch{
	maps: func(m map[string]any) {
		eachSeries(m, "treemap", func(s map[string]any) {
			// ECharts cuts a treemap label to its block; wrapped, and
			// shown only where it fits (item), it is whole.
			if l := labelOf(s); l != nil {
				l["overflow"] = "breakAll"
			}
			s["breadcrumb"] = breadcrumbBar()
		})
	},
	tree: func(t *tidier, m int32) {
		t.eachSeries(m, "treemap", func(s int32) {
			if l := t.label(s); l != 0 {
				t.set(l, "overflow", breakAll)
			}
			t.set(s, "breadcrumb", breadcrumbJSON)
		})
	},
}

func breadcrumbBar() map[string]any {
	return map[string]any{
		"show":   true,
		"left":   "center",
		"bottom": 8,
		"height": 28,
		"itemStyle": map[string]any{
			"color":     headerColor,
			"textStyle": map[string]any{"fontSize": fontSize, "color": onColor},
		},
	}
}

// breadcrumbJSON is breadcrumbBar as encoding/json writes it.
var breadcrumbJSON = encode(breadcrumbBar())

// treemapArea is the least room in px² the treemap draws a level in: the
// plot of a 360px wide phone (about 340 by 380 px) less the gaps.
const treemapArea = 320 * 360

// fits says whether a block of share (in %) of treemapArea holds text
// wrapped to the block's width: the text's area with room for the
// padding and for lines that end short, and a block at least wide enough
// for two characters.
func fits(text string, share model.Decimal) bool {
	// A float only to weigh room for drawing, never for a figure.
	pc, _ := strconv.ParseFloat(share.String(), 64)
	area := float64(treemapArea) * pc / 100
	need := 0.0
	for _, line := range strings.Split(text, "\n") {
		need += float64(textWidth(line)+2*fontSize) * labelLine
	}
	return area >= 3*need && area >= 64*64
}

// item is the node as a treemap data item; parent and of are the name and
// amount its share is taken of, as in the table. whole is the amount of
// its level's view (its parent, or all for the first level): a block's
// area is its share of that.
func (n *tnode) item(parent string, of, whole model.Decimal) *treeItem {
	text := withUnit(n.value, wan) + star(n.computed)
	tip := "{b}：" + text
	if s, ok := pct(n.value, of); ok {
		// The tooltip is HTML: ECharts escapes what {b} stands for, not
		// the template's own text.
		tip += "（占" + html.EscapeString(parent) + "的" + pctText(s) + "）"
	}
	it := &treeItem{
		Name:    n.name,
		Value:   num(n.value),
		Tooltip: &opts.Tooltip{Formatter: types.FuncStr(tip)},
	}
	// label is used where the node is drawn as a block (a leaf, or a
	// parent at the depth limit), upperLabel where it frames its children.
	it.Label = &opts.Label{Formatter: "{b}\n" + text}
	if share, ok := pct(n.value, whole); !ok || !fits("▶ "+n.name+"\n"+text, share) {
		// Too small to hold its name whole: no label rather than a cut
		// one. The tooltip, the bars above and the table name it.
		it.Label.Show = opts.Bool(false)
	}
	if n.color != "" {
		it.ItemStyle = &opts.ItemStyle{Color: n.color}
	}
	if len(n.children) > 0 {
		it.UpperLabel = &opts.UpperLabel{Formatter: "{b}　" + text}
	}
	for _, c := range n.children {
		it.Children = append(it.Children, c.item(n.name, n.value, n.value))
	}
	return it
}

// fromNode converts a category and its full breakdown. "其中" items are
// left out: they overlap their parent and would be drawn twice. A node
// without an amount takes the sum of its items; one with neither is
// dropped, having nothing to draw.
func fromNode(n *model.Node, name string) *tnode {
	if n == nil {
		return nil
	}
	if name == "" {
		name = "（未命名）"
	}
	t := &tnode{name: name}
	for _, it := range n.Items {
		if c := fromNode(it, itemName(it)); c != nil {
			t.children = append(t.children, c)
		}
	}
	switch {
	case n.Amount != nil:
		t.value = n.Amount.Value
	case len(t.children) > 0:
		t.value, t.computed = t.childSum(), true
	default:
		return nil
	}
	return t
}

func itemName(n *model.Node) string {
	if n == nil {
		return ""
	}
	return n.Name
}

func (n *tnode) childSum() model.Decimal {
	var s model.Decimal
	for _, c := range n.children {
		s = s.Add(c.value)
	}
	return s
}

// group makes a node of our own (a fund, or a kind paid from several funds)
// whose value is the sum of its children.
func group(name string, children []*tnode) *tnode {
	if len(children) == 0 {
		return nil
	}
	g := &tnode{name: name, children: children}
	g.value = g.childSum()
	g.computed = len(children) > 1
	return g
}

var kinds = []string{model.KindBasic, model.KindProject}

// spendingTree is the report's spending as a tree, read from the same
// sources as Report.Categories. When both kinds come from several funds the
// funds are the first level (云溪区); otherwise basic and project spending
// are, and a kind paid from several funds gets them as its second level.
// levels names the levels for the summary; broken is false when no kind
// has a breakdown (then the treemap would only repeat the donut).
func spendingTree(r *model.Report) (roots []*tnode, levels string, broken bool) {
	sources := map[string][]*model.Fund{}
	var used []*model.Fund
	fromTotals := false
	for _, k := range kinds {
		sources[k] = r.KindSources(k)
		for _, f := range sources[k] {
			if f == r.Totals {
				fromTotals = true
			} else if !contains(used, f) {
				used = append(used, f)
			}
			if n := f.KindNode(k); n != nil && len(n.Items) > 0 {
				broken = true
			}
		}
	}
	if !fromTotals && len(used) > 1 {
		for _, f := range r.Funds {
			if !contains(used, f) {
				continue
			}
			var ks []*tnode
			for _, k := range kinds {
				if c := fromNode(f.KindNode(k), model.KindTitle(k)); c != nil {
					ks = append(ks, c)
				}
			}
			if g := group(f.FundName(), ks); g != nil {
				g.color = palette[len(roots)%len(palette)]
				roots = append(roots, g)
			}
		}
		return roots, "资金来源、基本支出与项目支出、支出项目", broken
	}
	levels = "基本支出与项目支出、支出项目"
	for i, k := range kinds {
		fs := sources[k]
		n := len(roots)
		switch len(fs) {
		case 0:
		case 1:
			name := model.KindTitle(k)
			if scope := partialScope(r, fs[0]); scope != "" {
				name += "（" + scope + "）"
			}
			if c := fromNode(fs[0].KindNode(k), name); c != nil {
				roots = append(roots, c)
			}
		default:
			var ch []*tnode
			for _, f := range fs {
				if c := fromNode(f.KindNode(k), f.FundName()); c != nil {
					ch = append(ch, c)
				}
			}
			if g := group(model.KindTitle(k), ch); g != nil {
				roots = append(roots, g)
				levels = "基本支出与项目支出、资金来源、支出项目"
			}
		}
		if len(roots) > n {
			roots[n].color = palette[i] // as in the donut and the category bars
		}
	}
	return roots, levels, broken
}

func contains(fs []*model.Fund, f *model.Fund) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// partialScope names the fund a figure comes from when that fund may not be
// the whole department: another fund has money of its own, or the totals
// split spending themselves or state another expenditure. 芦淞区 gives
// basic spending only for 一般公共预算 but project spending for the
// department as a whole, and readers must see the difference.
func partialScope(r *model.Report, f *model.Fund) string {
	if f == nil || f == r.Totals {
		return ""
	}
	for _, o := range r.Funds {
		if o != f && hasFlows(o) {
			return f.FundName()
		}
	}
	if t := r.Totals; t != nil {
		if t.Basic != nil || t.Project != nil {
			return f.FundName()
		}
		if t.Expenditure != nil && (f.Expenditure == nil || f.Expenditure.Value.Cmp(t.Expenditure.Value) != 0) {
			return f.FundName()
		}
	}
	return ""
}

// hasFlows reports whether a fund states any budget, income or spending
// (a fund with only a carry-over, like 湘潭市's 非财政拨款, has none).
func hasFlows(f *model.Fund) bool {
	return f.Budget != nil || f.Income != nil || f.Expenditure != nil || f.Basic != nil || f.Project != nil
}

// treeRows lists the tree depth-first for the table: the path, the amount
// and its share of the parent (of all first-level nodes for those).
func treeRows(roots []*tnode) [][]string {
	var rows [][]string
	var walk func(ns []*tnode, path []string, parent model.Decimal)
	walk = func(ns []*tnode, path []string, parent model.Decimal) {
		for _, n := range ns {
			p := append(path[:len(path):len(path)], n.name)
			share := dash
			if s, ok := pct(n.value, parent); ok {
				share = pctText(s)
			}
			note := ""
			if n.computed {
				note = "下级相加"
			}
			rows = append(rows, []string{strings.Join(p, " › "), n.value.Grouped(), share, note})
			walk(n.children, p, n.value)
		}
	}
	var total model.Decimal
	for _, n := range roots {
		total = total.Add(n.value)
	}
	walk(roots, nil, total)
	return rows
}
