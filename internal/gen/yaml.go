package gen

import (
	"strconv"
	"strings"
)

// yw writes YAML by hand rather than through a YAML library: the output is
// meant to look like the transcribed seeds (flow lists for regions, block
// text, quoted codes and rates), and writing 10,000 reports through
// reflection would dominate the generator's run time.
//
// Every method takes the prefix of the line it writes: the indentation,
// followed by "- " for the first key of a list item. Callers pass that
// prefix for the first key and the plain indentation for the rest (see
// keys).
type yw struct{ b []byte }

// keys hands out line prefixes for one mapping: first for the first key,
// rest for the others, so that a list item's "- " appears once.
type keys struct{ next, rest string }

func mapping(first, rest string) *keys { return &keys{first, rest} }

func (k *keys) pre() string {
	p := k.next
	k.next = k.rest
	return p
}

// child is the indentation of values nested under the current mapping.
func (k *keys) child() string { return k.rest + "  " }

// plain writes a value that is safe unquoted: numbers, dates, enums.
func (w *yw) plain(k *keys, key, val string) {
	w.b = append(w.b, k.pre()...)
	w.b = append(w.b, key...)
	w.b = append(w.b, ": "...)
	w.b = append(w.b, val...)
	w.b = append(w.b, '\n')
}

// open starts a nested mapping or list under key.
func (w *yw) open(k *keys, key string) {
	w.b = append(w.b, k.pre()...)
	w.b = append(w.b, key...)
	w.b = append(w.b, ":\n"...)
}

// quoted writes a double-quoted value; codes, rates and indicator values
// are always quoted, as the README asks editors to do.
func (w *yw) quoted(k *keys, key, val string) {
	w.plain(k, key, quote(val))
}

// text writes free text: plain when YAML allows, a block scalar when it
// is long or spans lines, quoted otherwise.
func (w *yw) text(k *keys, key, s string) {
	pre := k.pre()
	if strings.Contains(s, "\n") || len(s) > 240 {
		w.block(pre, key, s)
		return
	}
	w.b = append(w.b, pre...)
	w.b = append(w.b, key...)
	w.b = append(w.b, ": "...)
	if plainSafe(s) {
		w.b = append(w.b, s...)
	} else {
		w.b = append(w.b, quote(s)...)
	}
	w.b = append(w.b, '\n')
}

func (w *yw) block(pre, key, s string) {
	ind := strings.Repeat(" ", len(pre)+2)
	indicator := "|-"
	if strings.HasSuffix(s, "\n") {
		indicator = "|"
		s = strings.TrimSuffix(s, "\n")
	}
	w.b = append(w.b, pre...)
	w.b = append(w.b, key...)
	w.b = append(w.b, ": "...)
	w.b = append(w.b, indicator...)
	w.b = append(w.b, '\n')
	for line := range strings.SplitSeq(s, "\n") {
		if line != "" {
			w.b = append(w.b, ind...)
			w.b = append(w.b, line...)
		}
		w.b = append(w.b, '\n')
	}
}

// item writes a list item that is a scalar.
func (w *yw) item(indent, s string) {
	w.b = append(w.b, indent...)
	w.b = append(w.b, "- "...)
	if plainSafe(s) {
		w.b = append(w.b, s...)
	} else {
		w.b = append(w.b, quote(s)...)
	}
	w.b = append(w.b, '\n')
}

func (w *yw) blank() { w.b = append(w.b, '\n') }

// plainSafe reports whether s reads back as the same string unquoted. It
// is deliberately strict: anything doubtful is quoted.
func plainSafe(s string) bool {
	if s == "" || s != strings.TrimSpace(s) {
		return false
	}
	if strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`=<~0123456789.+") {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") ||
		strings.ContainsAny(s, "\t\n\r\\\"") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return true // has Chinese: cannot be read as a bool, null or number
		}
	}
	return false
}

// quote is a double-quoted YAML scalar. Only \ and " need escaping in the
// text gen writes (no control characters).
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

// departmentYAML is department.yaml.
func departmentYAML(d *dept, pr *profile, duties string) []byte {
	w := &yw{b: make([]byte, 0, 1024)}
	w.b = append(w.b, "# yaml-language-server: $schema=../_schema/department.schema.json\n"...)
	k := mapping("", "")
	w.text(k, "name", d.name)
	if d.short != "" {
		w.text(k, "short_name", d.short)
	}
	if pr.showCode {
		w.quoted(k, "budget_code", d.budgetCode)
	}
	w.plain(k, "level", levelNames[d.level])
	w.plain(k, "region", "["+strings.Join(d.region(), ", ")+"]")
	if pr.showAuthor {
		w.text(k, "authority", d.government())
	}
	w.plain(k, "unit_type", pr.unitType)
	w.plain(k, "funding", "全额拨款")
	w.plain(k, "rank", [3]string{"正厅级", "正处级", "正科级"}[d.level])
	w.open(k, "offices")
	ok := mapping("  ", "  ")
	w.plain(ok, "count", strconv.Itoa(len(pr.offices)))
	w.open(ok, "names")
	for _, o := range pr.offices {
		w.item("    ", o)
	}
	if len(pr.subs) > 0 {
		w.open(k, "subordinates")
		sk := mapping("  ", "  ")
		w.plain(sk, "count", strconv.Itoa(len(pr.subs)))
		w.open(sk, "names")
		for _, s := range pr.subs {
			w.item("    ", s)
		}
	}
	if pr.dutiesMode == 1 {
		w.block("", "duties", duties)
	}
	return w.b
}

// reportYAML is <year>.yaml.
func reportYAML(rp *report) []byte {
	w := &yw{b: make([]byte, 0, 16<<10)}
	w.b = append(w.b, "# yaml-language-server: $schema=../_schema/report.schema.json\n"...)
	k := mapping("", "")
	w.plain(k, "year", strconv.Itoa(rp.year))
	w.text(k, "title", rp.title)
	if rp.date != "" {
		w.plain(k, "report_date", rp.date)
	}
	w.open(k, "evaluation")
	ek := mapping("  ", "  ")
	w.plain(ek, "method", rp.evalMethod)
	w.text(ek, "text", rp.evalText)
	w.text(ek, "body", rp.evalBody)
	if rp.evalIssuer != "" {
		w.text(ek, "issuer", rp.evalIssuer)
	}
	if rp.hasScore {
		w.open(k, "score")
		sk := mapping("  ", "  ")
		w.plain(sk, "total", rp.total.String())
		if rp.showGrade {
			w.plain(sk, "grade", rp.grade)
		}
		if rp.hasParts {
			w.open(sk, "parts")
			for _, p := range rp.parts {
				pk := mapping("    - ", "      ")
				w.plain(pk, "name", p.name)
				w.plain(pk, "weight", p.weight.String())
				w.plain(pk, "score", p.score.String())
				w.text(pk, "note", p.note)
			}
		}
	}
	if s := rp.staff; s != nil {
		w.open(k, "staff")
		sk := mapping("  ", "  ")
		w.plain(sk, "as_of", strconv.Itoa(rp.year)+"-12-31")
		if s.showAuthorized {
			w.plain(sk, "authorized", strconv.Itoa(s.authorized))
		}
		w.plain(sk, "in_service", strconv.Itoa(s.inService))
		if len(s.byType) > 0 {
			w.open(sk, "by_type")
			for _, t := range s.byType {
				tk := mapping("    - ", "      ")
				w.plain(tk, "name", t.name)
				w.plain(tk, "count", strconv.Itoa(t.count))
			}
		}
		w.plain(sk, "retired", strconv.Itoa(s.retired))
	}
	if rp.totals != nil {
		w.blank()
		w.open(k, "totals")
		rp.writeFund(w, mapping("  ", "  "), rp.totals)
	}
	if len(rp.funds) > 0 {
		w.blank()
		w.open(k, "funds")
		for _, f := range rp.funds {
			rp.writeFund(w, mapping("  - ", "    "), f)
		}
	}
	if tp := rp.three; tp != nil {
		w.blank()
		w.open(k, "three_public")
		tk := mapping("  ", "  ")
		items := []struct {
			key string
			ba  *budgetActual
		}{{"total", &tp.total}, {"outbound", tp.outbound}, {"vehicle_purchase", tp.purchase},
			{"vehicle_operation", tp.operation}, {"reception", tp.reception}}
		for _, it := range items {
			if it.ba == nil {
				continue
			}
			w.open(tk, it.key)
			bk := mapping("    ", "    ")
			if it.ba.hasBudget {
				w.plain(bk, "budget", it.ba.budget.format(2, true))
			}
			w.plain(bk, "actual", it.ba.actual.format(2, true))
		}
	}
	if len(rp.projects) > 0 {
		w.blank()
		w.open(k, "projects")
		for _, p := range rp.projects {
			pk := mapping("  - ", "    ")
			w.text(pk, "name", p.name)
			w.text(pk, "group", p.group)
			w.plain(pk, "budget", p.budget.format(p.places, true))
			if p.hasArrived {
				w.plain(pk, "arrived", p.arrived.format(p.places, true))
			}
			if p.hasPaid {
				w.plain(pk, "paid", p.paid.format(p.places, true))
			}
			w.block(pk.pre(), "description", p.desc)
			if len(p.outputs) > 0 {
				w.open(pk, "outputs")
				for _, o := range p.outputs {
					w.item("      ", o)
				}
			}
			if len(p.items) > 0 {
				w.open(pk, "items")
				for _, it := range p.items {
					ik := mapping("      - ", "        ")
					w.text(ik, "name", it.name)
					w.plain(ik, "amount", it.amt.format(p.places, true))
				}
			}
		}
	}
	if len(rp.targets) > 0 {
		w.blank()
		w.open(k, "targets")
		for _, t := range rp.targets {
			tk := mapping("  - ", "    ")
			if t.name != "" {
				w.text(tk, "name", t.name)
			}
			w.text(tk, "text", t.text)
		}
	}
	if len(rp.inds) > 0 {
		w.blank()
		w.open(k, "indicators")
		for _, ind := range rp.inds {
			writeIndicator(w, "  ", ind)
		}
	}
	var inline []section
	for _, s := range rp.sections {
		if s.inline {
			inline = append(inline, s)
		}
	}
	if len(inline) > 0 {
		w.blank()
		w.open(k, "narrative")
		nk := mapping("  ", "  ")
		for _, s := range inline {
			w.block(nk.pre(), s.key, s.md)
		}
	}
	w.blank()
	w.open(k, "source")
	sk := mapping("  ", "  ")
	w.text(sk, "title", rp.title)
	w.text(sk, "publisher", rp.d.name)
	w.text(sk, "file", strconv.Itoa(rp.year)+"年度部门整体支出绩效自评报告"+rp.pr.fileExt)
	w.text(sk, "note", "合成数据：由 disclose gen 生成（种子 "+strconv.FormatInt(rp.seed, 10)+"），用于规模测试，不是真实报告。")
	if len(rp.notes) > 0 {
		w.blank()
		w.open(k, "notes")
		for _, n := range rp.notes {
			w.item("  ", n)
		}
	}
	if len(rp.errata) > 0 {
		w.blank()
		w.open(k, "errata")
		for _, e := range rp.errata {
			ek := mapping("  - ", "    ")
			w.text(ek, "published", e.published)
			w.text(ek, "corrected", e.corrected)
			w.text(ek, "reason", e.reason)
		}
	}
	return w.b
}

func (rp *report) writeFund(w *yw, k *keys, f *fund) {
	if f.source != "" {
		w.plain(k, "source", f.source)
	}
	if f.label != "" {
		w.text(k, "label", f.label)
	}
	if f.hasInitial {
		w.plain(k, "initial_budget", rp.m(f.initial))
		w.plain(k, "adjustment", rp.m(f.adjust))
	}
	if f.hasBudget {
		w.plain(k, "budget", rp.m(f.budget))
	}
	if f.hasIncome {
		w.plain(k, "income", rp.m(f.income))
	}
	if f.hasExp {
		w.plain(k, "expenditure", rp.m(f.exp))
	}
	if f.hasCarry {
		w.plain(k, "carryover", rp.m(f.carry))
	}
	if f.rate >= 0 {
		w.quoted(k, "execution_rate", formatRate(f.rate))
	}
	if f.note != "" {
		w.text(k, "note", f.note)
	}
	if f.basic != nil {
		w.open(k, "basic")
		rp.writeNode(w, mapping(k.child(), k.child()), f.basic)
	}
	if f.project != nil {
		w.open(k, "project")
		rp.writeNode(w, mapping(k.child(), k.child()), f.project)
	}
	if pl := f.plan; pl != nil {
		w.open(k, "budget_plan")
		pk := mapping(k.child(), k.child())
		w.plain(pk, "total", rp.m(pl.total))
		w.open(pk, "basic")
		rp.writeNode(w, mapping(pk.child(), pk.child()), pl.basic)
		w.open(pk, "project")
		rp.writeNode(w, mapping(pk.child(), pk.child()), pl.project)
	}
}

func (rp *report) writeNode(w *yw, k *keys, n *node) {
	if n.name != "" {
		w.text(k, "name", n.name)
	}
	if n.code != "" {
		w.quoted(k, "code", n.code)
	}
	switch {
	case n.erratum != "":
		w.open(k, "amount")
		ak := mapping(k.child(), k.child())
		w.text(ak, "published", n.pub)
		w.plain(ak, "corrected", rp.m(n.amt))
		w.text(ak, "reason", n.erratum)
	case n.pub != "":
		w.text(k, "amount", n.pub)
	default:
		w.plain(k, "amount", rp.m(n.amt))
	}
	if n.budget > 0 {
		w.plain(k, "budget", rp.m(n.budget))
	}
	if n.statedRate {
		w.quoted(k, "execution_rate", formatRate(rate(n.amt, n.budget)))
	}
	if n.note != "" {
		w.text(k, "note", n.note)
	}
	for _, list := range []struct {
		key   string
		nodes []*node
	}{{"items", n.items}, {"of_which", n.ofWhich}} {
		if len(list.nodes) == 0 {
			continue
		}
		w.open(k, list.key)
		for _, c := range list.nodes {
			rp.writeNode(w, mapping(k.rest+"  - ", k.rest+"    "), c)
		}
	}
}

func writeIndicator(w *yw, indent string, ind *indicator) {
	k := mapping(indent+"- ", indent+"  ")
	w.text(k, "name", ind.name)
	if ind.target != "" {
		w.quoted(k, "target", ind.target)
	}
	if ind.actual != "" {
		w.quoted(k, "actual", ind.actual)
	}
	if ind.scored {
		w.plain(k, "weight", ind.weight.String())
		w.plain(k, "score", ind.score.String())
	}
	if ind.deviation != "" {
		w.text(k, "deviation", ind.deviation)
	}
	if len(ind.items) > 0 {
		w.open(k, "items")
		for _, c := range ind.items {
			writeIndicator(w, indent+"    ", c)
		}
	}
}
