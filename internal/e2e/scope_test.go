package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// scopeJS reads what a reader compares: each summary table's cells, with
// their “*” (added up by the site) and “口径” (another scope) marks and the
// note a 口径 mark links to, and each chart's data as ECharts holds it
// after drawing (getInstanceByDom, else the option the page hands it).
const scopeJS = `(() => {
	const num = d => {
		if (d !== null && typeof d === 'object' && !Array.isArray(d)) d = d.value;
		return (d === null || d === undefined || d === '-' || d === '') ? null : Number(d);
	};
	const tables = [...document.querySelectorAll('table.data.sortable')].filter(t => ['compare', 'reports', 'history'].includes(t.id)).map(table => {
		const heads = [...table.tHead.rows[0].cells].map(c => c.textContent.trim());
		const rows = [...table.tBodies[0].rows].map(tr => ({
			dept: (tr.cells[0].querySelector('a') || tr.cells[0]).textContent.trim(),
			cells: [...tr.cells].map((c, i) => {
				const a = c.querySelector('.scope-mark a');
				let note = '';
				if (a) {
					const el = document.getElementById(decodeURIComponent((a.getAttribute('href') || '').replace(/^#/, '')));
					note = el ? el.textContent.trim() : 'MISSING';
				}
				return {head: heads[i], text: (c.querySelector('.num') || c).textContent.trim(), computed: c.querySelector('.computed') !== null, scope: a !== null, note};
			}),
		}));
		return {id: table.id, rows};
	});
	const charts = [...document.querySelectorAll('.chart-canvas[data-option]')].map(el => {
		const fig = el.closest('figure');
		const inst = window.echarts && window.echarts.getInstanceByDom(el);
		const o = inst ? inst.getOption() : JSON.parse(document.getElementById(el.dataset.option).textContent);
		const axis = [].concat(o.yAxis || [], o.xAxis || []).find(a => a.type === 'category');
		return {
			id: fig.id, drawn: !!inst,
			summary: fig.querySelector('.chart-summary').textContent,
			names: axis ? axis.data.map(d => typeof d === 'object' ? d.value : d) : [],
			series: [].concat(o.series || []).map(s => ({name: s.name, values: (s.data || []).map(num)})),
		};
	});
	return {tables, charts};
})()`

type scopeCell struct {
	Head     string `json:"head"`
	Text     string `json:"text"`
	Computed bool   `json:"computed"`
	Scope    bool   `json:"scope"`
	Note     string `json:"note"`
}

type scopePage struct {
	Tables []struct {
		ID   string `json:"id"`
		Rows []struct {
			Dept  string      `json:"dept"`
			Cells []scopeCell `json:"cells"`
		} `json:"rows"`
	} `json:"tables"`
	Charts []struct {
		ID      string   `json:"id"`
		Drawn   bool     `json:"drawn"`
		Summary string   `json:"summary"`
		Names   []string `json:"names"`
		Series  []struct {
			Name   string     `json:"name"`
			Values []*float64 `json:"values"`
		} `json:"series"`
	} `json:"charts"`
}

// chartColumns maps each comparison chart's series to the column of the
// summary table that holds the same figure.
var chartColumns = map[string]map[string]string{
	"chart-compare-totals":       {"预算": "全年预算", "支出": "支出合计"},
	"chart-compare-shares":       {"基本支出": "基本支出占比", "项目支出": "项目支出占比"},
	"chart-compare-rate":         {"执行率（支出÷预算）": "预算执行率"},
	"chart-compare-three-public": {"实际支出": "“三公”经费支出"},
	"chart-compare-score":        {"自评得分": "自评得分"},
}

// scopeMarked lists, for the default content, cells that are not of their
// column's scope and must be marked: 芦淞区 2022 (spending summed over two
// funds and smaller than its department-wide project spending; basic
// spending of one fund) and 云溪区 2023 (every figure summed over funds).
var scopeMarked = map[string][]string{
	"芦淞区民政局/2022": {"支出合计", "基本支出", "基本支出占比", "项目支出占比"},
	"云溪区民政局/2023": {"支出合计", "基本支出", "项目支出"},
}

// TestCompareScopes: the comparison pages and the home page set side by
// side only figures of the same meaning and scope. In Chromium, after
// ECharts drew the charts: no chart holds a figure whose table cell is
// marked as another scope or as added up by the site; every such cell
// carries the 口径 mark, linked to a note naming the department; a cell
// the site added up, or spending smaller than a part of it, is such a
// cell; and each chart's summary names the department it left out.
func TestCompareScopes(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	dir, root := site(t)
	pages := []string{"index.html"}
	for _, p := range files(t, dir, ".html") {
		if strings.HasPrefix(p, "compare/") && !strings.HasPrefix(p, "compare/category") && p != "compare/categories.html" {
			pages = append(pages, p)
		}
	}
	browser := startBrowser(t, exe)
	tb := newTab(t, browser)
	tb.viewport(1280, 900, false)
	seen := map[string]bool{}
	chartsChecked := 0
	for _, page := range pages {
		tb.navigate(root.String() + page)
		tb.waitCharts(page)
		got := eval[scopePage](tb, scopeJS)
		// The departments of this page's summary table, with their cells.
		cells := map[string]map[string]scopeCell{}
		for _, table := range got.Tables {
			for _, row := range table.Rows {
				byHead := map[string]scopeCell{}
				year := ""
				for _, c := range row.Cells {
					byHead[c.Head] = c
					if c.Head == "年度" {
						year = c.Text
					}
				}
				key := row.Dept + "/" + year
				if table.ID == "compare" {
					cells[row.Dept] = byHead
				}
				for _, col := range scopeMarked[key] {
					c, ok := byHead[col]
					if !ok {
						continue // a table without the column (the home page's has no shares)
					}
					seen[key+"/"+col] = true
					if !c.Scope {
						tb.errorf("%s: %s's %s (%s) is not of its column's scope but carries no 口径 mark", page, key, col, c.Text)
					}
				}
				for _, c := range row.Cells {
					if c.Computed && !c.Scope {
						tb.errorf("%s: %s's %s %s was added up by the site (*) but carries no 口径 mark", page, key, c.Head, c.Text)
					}
					if c.Scope && !strings.Contains(c.Note, row.Dept) {
						tb.errorf("%s: %s's %s links its 口径 mark to a note that does not name it: %q", page, key, c.Head, c.Note)
					}
				}
				// Spending smaller than a part of it is not the department's.
				spent, okS := amount(byHead["支出合计"].Text)
				for _, part := range []string{"基本支出", "项目支出"} {
					if v, ok := amount(byHead[part].Text); ok && okS && v > spent && !byHead["支出合计"].Scope {
						tb.errorf("%s: %s's 支出合计 %s is smaller than its %s %s but carries no 口径 mark", page, key, byHead["支出合计"].Text, part, byHead[part].Text)
					}
				}
			}
		}
		for _, ch := range got.Charts {
			cols, ok := chartColumns[ch.ID]
			if !ok {
				continue
			}
			chartsChecked++
			if !ch.Drawn {
				tb.errorf("%s: %s: no ECharts instance to read the drawn data from", page, ch.ID)
			}
			drawn := map[string]bool{} // dept/column
			for _, s := range ch.Series {
				col, ok := cols[s.Name]
				if !ok {
					continue
				}
				for i, v := range s.Values {
					if v == nil || i >= len(ch.Names) {
						continue
					}
					dept := ch.Names[i]
					drawn[dept+"/"+col] = true
					c, ok := cells[dept][col]
					if !ok {
						tb.errorf("%s: %s draws %s, which the comparison table does not list", page, ch.ID, dept)
						continue
					}
					if c.Scope || c.Computed {
						tb.errorf("%s: %s draws %s's %s (%s = %v), whose table cell is marked as another scope or added up by the site", page, ch.ID, dept, col, s.Name, *v)
					}
				}
			}
			// Every marked figure the chart would show is named in its
			// summary as left out.
			for dept, byHead := range cells {
				for _, col := range cols {
					c := byHead[col]
					if !(c.Scope || c.Computed) || c.Text == "—" || c.Text == "" || drawn[dept+"/"+col] {
						continue
					}
					if !strings.Contains(ch.Summary, dept) || !strings.Contains(ch.Summary, "未画入图中") {
						tb.errorf("%s: %s leaves out %s's %s (%s) but its summary does not say so: %q", page, ch.ID, dept, col, c.Text, ch.Summary)
					}
				}
			}
		}
	}
	for key, cols := range scopeMarked {
		for _, col := range cols {
			if !seen[key+"/"+col] {
				tb.errorf("no page's table lists %s's %s: the default content changed, update scopeMarked", key, col)
			}
		}
	}
	if chartsChecked == 0 {
		tb.errorf("no comparison chart on %s", strings.Join(pages, ", "))
	}
	tb.finish("comparing like for like")
}

// amount reads a table's money text (“4,076.11”, “888.07”); ok is false
// for “—” and other text.
func amount(s string) (float64, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ",", ""))
	s = strings.TrimRightFunc(s, func(r rune) bool { return !strings.ContainsRune("0123456789.", r) })
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil
}
