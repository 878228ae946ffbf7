package importer

import (
	"regexp"
	"strings"
)

// The 部门决算 and 部门预算 情况说明 follow the national template's
// sentences: "收入总计…万元,支出总计…万元,与上年相比,各减少…", "本年收入合计…;
// 包括财政拨款收入…(其中,一般公共预算…),占收入合计…%;…", "财政拨款支出年初
// 预算数…,完成年初预算的…%", "一般公共预算财政拨款支出…,占本年支出合计的…%".
// accountsReader places them in the report's accounts trees.

var (
	changeRE     = regexp.MustCompile(`(增加|减少)\s*(-?\d[\d,]*(?:\.\d+)?)\s*(万元|元)`)
	changeRateRE = regexp.MustCompile(`(增长|下降|降低|减少|增加)\s*(-?\d[\d,]*(?:\.\d+)?%)`)
	shareRE      = regexp.MustCompile(`^[,，]?\s*占[^,，;；。%]{0,12}?(\d+(?:\.\d+)?%)`)
	rateRE       = regexp.MustCompile(`完成年初预算的\s*(\d+(?:\.\d+)?%)`)
	reasonRE     = regexp.MustCompile(`主要(?:变动)?原因是[:：]?\s*(.+)$`)
	// "收、支总计各是4125.49,4143.91万元": both totals in one breath, the unit
	// after the second only.
	bothTotalsRE = regexp.MustCompile(`收、?支总计各(?:是|为)\s*(\d[\d,]*\.?\d*)\s*(万元|元)?\s*[,，、和]\s*(\d[\d,]*\.?\d*)\s*(万元|元)`)
	bothChangeRE = regexp.MustCompile(`各(增加|减少)\s*(\d[\d,]*\.?\d*)\s*(万元|元)?\s*[,，、]\s*(\d[\d,]*\.?\d*)\s*(万元|元)`)
	bothRateRE   = regexp.MustCompile(`各(增长|下降|降低|减少|增加)\s*(\d+(?:\.\d+)?%)\s*[,，、]\s*(\d+(?:\.\d+)?%)`)
)

// bothTotals reads the variant that gives 收入总计 and 支出总计 as a pair,
// and their changes as pairs, each figure as printed.
func (a *accountsReader) bothTotals(p *para, s string, off int) bool {
	if !strings.Contains(s, "收、支总计各") && !strings.Contains(s, "收支总计各") {
		return false
	}
	a.bothChanges(p, s, off)
	m := bothTotalsRE.FindStringSubmatchIndex(s)
	if m == nil {
		return true
	}
	unit := func(u string) string {
		if u == "元" {
			return u
		}
		return ""
	}
	for i, side := range []string{"income", "expenditure"} {
		num, u := s[m[2+4*i]:m[3+4*i]], ""
		if m[4+4*i] >= 0 {
			u = unit(s[m[4+4*i]:m[5+4*i]])
		}
		a.d.SetString("accounts."+side+".name", map[string]string{"income": "收入总计", "expenditure": "支出总计"}[side], nil)
		prov := &Prov{Loc: p.locAt(off + m[2+4*i]), Quote: s[m[0]:m[1]]}
		if a.d.Set("accounts."+side+".amount", strings.ReplaceAll(num, ",", "")+u, prov) {
			a.placed++
		}
	}
	return true
}

// bothChanges reads "各减少1267.86,2570.97万元,各下降23.51%、38.28%": the
// changes of the two totals, each as printed (the first without the unit
// the sentence gives only once).
func (a *accountsReader) bothChanges(p *para, s string, off int) {
	if c := bothChangeRE.FindStringSubmatchIndex(s); c != nil {
		verb := s[c[2]:c[3]]
		first := verb + s[c[4]:c[5]]
		if c[6] >= 0 {
			first += s[c[6]:c[7]]
		}
		a.stated("accounts.income.change", first, p, off+c[0], s[c[0]:c[1]])
		a.stated("accounts.expenditure.change", verb+s[c[8]:c[9]]+s[c[10]:c[11]], p, off+c[0], s[c[0]:c[1]])
	}
	if r := bothRateRE.FindStringSubmatchIndex(s); r != nil {
		verb := s[r[2]:r[3]]
		a.stated("accounts.income.change_rate", verb+s[r[4]:r[5]], p, off+r[0], s[r[0]:r[1]])
		a.stated("accounts.expenditure.change_rate", verb+s[r[6]:r[7]], p, off+r[0], s[r[0]:r[1]])
	}
}

type accountsReader struct {
	d      *Draft
	placed int
	last   string // the node the next "与上年相比…" sentence speaks of
}

// paragraph reads sentence by sentence, a sentence ending only at a full
// stop: the template lists a total's parts separated by semicolons.
func (a *accountsReader) paragraph(p *para) {
	start := 0
	for i, r := range p.text {
		if r == '。' {
			a.sentence(p, p.text[start:i+len("。")], start)
			start = i + len("。")
		}
	}
	if strings.TrimSpace(p.text[start:]) != "" {
		a.sentence(p, p.text[start:], start)
	}
}

func (a *accountsReader) set(path, text string, p *para, s string, off int, m mention) {
	if a.d.Set(path, text, &Prov{Loc: p.locAt(off + m.start), Quote: quote(s, m.start, m.end)}) {
		a.placed++
	}
}

// stated sets a Delta or Percent written as text, with its provenance.
func (a *accountsReader) stated(path, text string, p *para, off int, quoteText string) {
	a.d.SetString(path, text, &Prov{Loc: p.locAt(off), Quote: quoteText})
}

func (a *accountsReader) changes(node, s string, p *para, off int) {
	if m := changeRE.FindStringSubmatchIndex(s); m != nil {
		text := s[m[2]:m[3]] + s[m[4]:m[5]] + s[m[6]:m[7]]
		a.stated(node+".change", text, p, off+m[0], s[m[0]:m[1]])
	}
	if m := changeRateRE.FindStringSubmatchIndex(s); m != nil {
		a.stated(node+".change_rate", s[m[2]:m[3]]+s[m[4]:m[5]], p, off+m[0], s[m[0]:m[1]])
	}
}

func (a *accountsReader) sentence(p *para, s string, off int) {
	ms := mentions(s)
	if a.bothTotals(p, s, off) {
		return
	}
	switch {
	case strings.Contains(s, "收入总计") && strings.Contains(s, "支出总计") && len(ms) >= 2:
		fiscal := strings.Contains(s, "财政拨款收入总计")
		for _, m := range ms {
			label := strings.TrimSpace(m.label)
			switch {
			case fiscal && strings.HasSuffix(label, "支出总计"):
				a.d.SetString("accounts.fiscal.name", "财政拨款支出", nil)
				a.set("accounts.fiscal.amount", fig(m), p, s, off, m)
				a.changes("accounts.fiscal", s[m.end:], p, off+m.end)
			case !fiscal && strings.HasSuffix(label, "收入总计"):
				a.d.SetString("accounts.income.name", "收入总计", nil)
				a.set("accounts.income.amount", fig(m), p, s, off, m)
				a.changes("accounts.income", s[m.end:], p, off+m.end)
				if r := reasonRE.FindStringSubmatch(s); r != nil {
					a.d.SetString("accounts.income.reason", strings.TrimSpace(r[1]), nil)
					a.d.SetString("accounts.expenditure.reason", strings.TrimSpace(r[1]), nil)
				}
			case !fiscal && strings.HasSuffix(label, "支出总计"):
				a.d.SetString("accounts.expenditure.name", "支出总计", nil)
				a.set("accounts.expenditure.amount", fig(m), p, s, off, m)
				a.changes("accounts.expenditure", s[m.end:], p, off+m.end)
			}
		}
	case strings.Contains(s, "本年收入合计") || strings.Contains(s, "本年支出合计") && !strings.Contains(s, "占本年支出合计"):
		side, total := "income", "本年收入合计"
		if !strings.Contains(s, "本年收入合计") {
			side, total = "expenditure", "本年支出合计"
		}
		a.list(p, s, off, ms, side, total)
	case strings.Contains(s, "年初预算数") && strings.Contains(s, "财政拨款"):
		for _, m := range ms {
			if strings.Contains(m.label, "年初预算") {
				a.set("accounts.fiscal.budget", fig(m), p, s, off, m)
			}
		}
		if m := rateRE.FindStringSubmatchIndex(s); m != nil {
			a.stated("accounts.fiscal.execution_rate", s[m[2]:m[3]], p, off+m[0], s[m[0]:m[1]])
		}
	case strings.Contains(s, "一般公共预算财政拨款支出") && len(ms) > 0 && strings.HasSuffix(strings.TrimSpace(ms[0].label), "一般公共预算财政拨款支出"):
		m := ms[0]
		a.d.SetString("accounts.functional.name", "一般公共预算财政拨款支出", nil)
		a.set("accounts.functional.amount", fig(m), p, s, off, m)
		a.set("accounts.fiscal.items[一般公共预算财政拨款支出].amount", fig(m), p, s, off, m)
		// The template names this one line of the 财政拨款 spending; the
		// others (政府性基金, 国有资本经营) come in sections of their own,
		// if at all.
		a.d.Set("accounts.fiscal.partial", "true", nil)
		if sm := shareRE.FindStringSubmatchIndex(s[m.end:]); sm != nil {
			a.stated("accounts.functional.share", s[m.end+sm[2]:m.end+sm[3]], p, off+m.end, s[m.start:m.end+sm[1]])
		}
		a.last = "accounts.functional"
	case a.last != "" && strings.Contains(s, "相比") && changeRE.MatchString(s):
		a.changes(a.last, s, p, off)
		a.last = ""
	}
}

// list reads "本年收入合计…;包括A…(其中,B…,C…),占收入合计…%;D…": the total,
// its parts, their shares, and the parts in brackets.
func (a *accountsReader) list(p *para, s string, off int, ms []mention, side, total string) {
	base := "accounts." + side + ".items[" + total + "]"
	a.d.SetString("accounts."+side+".name", map[string]string{"income": "收入总计", "expenditure": "支出总计"}[side], nil)
	var inner string // the part whose bracketed parts follow
	last := ""
	prevEnd := 0
	for i, m := range ms {
		between := s[prevEnd:m.start]
		if strings.ContainsAny(between, "(（") && last != "" {
			inner = last
		}
		if strings.ContainsAny(between, ")）") {
			inner = ""
		}
		prevEnd = m.end
		if i == 0 && strings.Contains(m.label, total) {
			a.set(base+".amount", fig(m), p, s, off, m)
			continue
		}
		label := cleanLabel(m.label)
		name := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(label, "包括"), "其中"))
		name = strings.TrimLeft(name, ",，:： ")
		if name == "" || m.approx || m.rate {
			continue
		}
		path := base + ".items[" + name + "]"
		if inner != "" {
			path = inner + ".items[" + name + "]"
		} else {
			last = path
		}
		a.set(path+".amount", fig(m), p, s, off, m)
		rest := s[m.end:]
		if inner != "" && (strings.HasPrefix(rest, ")") || strings.HasPrefix(rest, "）")) {
			// "(其中,…0.00万元),占收入合计87.53%": the share of the part
			// the bracket belongs to.
			r := strings.TrimLeft(rest, ")）")
			if sm := shareRE.FindStringSubmatchIndex(r); sm != nil {
				a.stated(inner+".share", r[sm[2]:sm[3]], p, off+m.end, r[:sm[1]])
			}
		}
		if close := strings.IndexAny(rest, ")）"); inner == "" && close >= 0 && close < strings.IndexAny(rest+"(", "(（") {
			rest = rest[close:]
		}
		if inner == "" {
			if sm := shareRE.FindStringSubmatchIndex(strings.TrimLeft(rest, ")）")); sm != nil {
				r := strings.TrimLeft(rest, ")）")
				a.stated(path+".share", r[sm[2]:sm[3]], p, off+m.end, s[m.start:m.end]+r[:sm[1]])
			}
		}
	}
}
