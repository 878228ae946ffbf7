package e2e

import (
	"fmt"
	"strings"
)

// cutLabelsJS lists, per chart of the page, the text ECharts drew that is
// cut: ending in an ellipsis, or a strict prefix of a name the chart's
// option gives (a category, a data item, a series, a treemap node) that
// the following lines of the same label do not complete. A label ECharts
// wraps is drawn as one <text> per line, so a first line that the next
// lines complete is whole.
const cutLabelsJS = `(() => {
	const strip = s => s.replace(/\s+/g, '').replace(/^▶/, '');
	return [...document.querySelectorAll('.chart-canvas[data-option]')].map(el => {
		const opt = JSON.parse(document.getElementById(el.dataset.option).textContent);
		const names = new Set();
		const add = v => { if (typeof v === 'string' && v.trim() !== '') names.add(strip(v)); };
		const walk = items => (items || []).forEach(d => {
			if (d && typeof d === 'object') { add(d.name); walk(d.children); } else add(d);
		});
		for (const key of ['xAxis', 'yAxis']) [].concat(opt[key] || []).forEach(a => walk(a.data));
		[].concat(opt.series || []).forEach(s => { add(s.name); walk(s.data); });
		[].concat(opt.legend || []).forEach(l => walk(l.data));
		const texts = [...el.querySelectorAll('svg text')];
		const cut = [];
		// The lines after a wrapped label's first: “会” below
		// “渭南市卫生健康委员” is no label of its own, even though a
		// name “会峰县……” starts with it.
		const continued = new Set();
		texts.forEach((t, i) => {
			const s = strip(t.textContent);
			if (s === '' || continued.has(i)) return;
			if (/(…|\.\.\.)$/.test(s)) { cut.push(t.textContent); return; }
			// A figure on a bar (a score of 20 beside the year 2021年) is
			// a value, not the start of a name.
			if (names.has(s) || /^-?[0-9][0-9,]*(\.[0-9]+)?[*%]?$/.test(s)) return;
			const longer = [...names].filter(n => n.startsWith(s));
			if (longer.length === 0) return;
			// Lines of one wrapped label are the next <text> siblings: the
			// line is whole when they complete a name.
			let acc = s;
			for (let j = i + 1; j < texts.length && texts[j].parentNode === t.parentNode; j++) {
				acc += strip(texts[j].textContent);
				if (names.has(acc)) {
					for (let k = i + 1; k <= j; k++) continued.add(k);
					return;
				}
				if (!longer.some(n => n.startsWith(acc))) break;
			}
			cut.push(t.textContent + ' (of ' + longer[0] + ')');
		});
		return {id: el.dataset.option, texts: texts.length, cut};
	});
})()`

type cutLabels struct {
	ID    string   `json:"id"`
	Texts int      `json:"texts"`
	Cut   []string `json:"cut"`
}

// computedJS lists the charts whose data table says a figure was added up
// by the site (its 说明 column: “各资金来源相加”, “下级相加”), whether
// the summary explains the * mark, and whether the chart draws one.
const computedJS = `[...document.querySelectorAll('figure.chart')].filter(f =>
	[...f.querySelectorAll('.chart-data td')].some(td => td.textContent.includes('相加'))
).map(f => ({
	id: f.id,
	summary: f.querySelector('.chart-summary').textContent.includes('* 为本站根据分项加总'),
	drawn: [...f.querySelectorAll('.chart-canvas svg text')].some(t => /\*/.test(t.textContent)),
}))`

type computedChart struct {
	ID      string `json:"id"`
	Summary bool   `json:"summary"`
	Drawn   bool   `json:"drawn"`
}

// leadJS describes a report page's first chart and where its tree map is.
const leadJS = `(() => {
	const els = [...document.querySelectorAll('.chart-canvas[data-option]')];
	const opts = els.map(el => JSON.parse(document.getElementById(el.dataset.option).textContent));
	const first = opts[0] || {}, s = [].concat(first.series || [])[0] || {};
	const y = [].concat(first.yAxis || [])[0] || {};
	return {
		first: els.length ? els[0].dataset.option : '',
		firstType: s.type || '', firstAxis: y.type || '',
		values: (s.data || []).map(d => Number(d && typeof d === 'object' ? d.value : d)),
		treemap: opts.findIndex(o => [].concat(o.series || []).some(s => s.type === 'treemap')),
	};
})()`

type chartLead struct {
	First     string    `json:"first"`
	FirstType string    `json:"firstType"`
	FirstAxis string    `json:"firstAxis"`
	Values    []float64 `json:"values"`
	Treemap   int       `json:"treemap"`
}

// checkChartText fails on any chart text ECharts cut short (a reader must
// see every name whole, wrapped if need be), and at the desktop width also
// checks that a report page leads with the spending categories as sorted
// bars, before the tree map, and that a figure the site added up is marked
// * in its chart and summary (issue 18, points 4 and 13). checkPage calls
// it on every page, so that each page is opened once for all its checks.
func (tb *tab) checkChartText(page string, width int) {
	tb.t.Helper()
	for _, c := range eval[[]cutLabels](tb, cutLabelsJS) {
		if len(c.Cut) > 0 {
			tb.errorf("%s at %d px: %s cuts %d labels: %s", page, width, c.ID, len(c.Cut), strings.Join(c.Cut[:min(len(c.Cut), 6)], "、"))
		}
	}
	if width < 1000 {
		return
	}
	for _, c := range eval[[]computedChart](tb, computedJS) {
		if !c.Summary || !c.Drawn {
			tb.errorf("%s: %s has a figure the site added up, but its summary explains the * mark: %v, the chart draws a *: %v", page, c.ID, c.Summary, c.Drawn)
		}
	}
	if strings.HasPrefix(page, "reports/") {
		if msg := checkLead(eval[chartLead](tb, leadJS)); msg != "" {
			tb.errorf("%s: %s", page, msg)
		}
	}
}

// checkLead says what is wrong with a report page's first chart, if the
// page has a tree map: it must be a horizontal bar chart, sorted largest
// first, and come before the tree map.
func checkLead(l chartLead) string {
	if l.Treemap < 0 {
		return ""
	}
	if l.Treemap == 0 || l.FirstType != "bar" || l.FirstAxis != "category" {
		return fmt.Sprintf("the first chart is %s (a %s chart, category axis %q), the tree map is chart %d; want horizontal bars of the categories first", l.First, l.FirstType, l.FirstAxis, l.Treemap+1)
	}
	for i := 1; i < len(l.Values); i++ {
		if l.Values[i] > l.Values[i-1] {
			return fmt.Sprintf("the bars of %s are not sorted largest first: %v", l.First, l.Values)
		}
	}
	return ""
}
