package compliance

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/tables"
)

// Result is a site checked against a profile: the diagnostics, rule-coded
// and located, and one row per department-year for the 公开情况 page.
type Result struct {
	Profile     *Profile
	Diagnostics []diag.Diagnostic
	Rows        []Row
	// Site lists the portal meta values site.yaml lacks.
	Site []Missing
}

// Row is one department's disclosures for one year.
type Row struct {
	Dept  *model.Department
	Year  int
	Items []Item
}

// Item is one disclosure of a department-year: a required document, or a
// document published though not required.
type Item struct {
	Kind     model.DocKind
	Required bool
	Basis    string        // why it is required
	Report   *model.Report // nil when it was not published
	Timing   Timing
	Missing  []Missing
	// Undecided are required parts that cannot be told present or
	// missing, each with why (the copy of the source is incomplete).
	Undecided []Missing
}

// Present reports whether the document was published.
func (it Item) Present() bool { return it.Report != nil }

// Missing is a required part a disclosure lacks, with its basis.
type Missing struct {
	What  string
	Basis string
}

// TimingState is how a publication stands against its deadline.
type TimingState int

const (
	NoDeadline TimingState = iota // the profile sets none for this kind
	OnTime
	Late
	Undecided // a date is not recorded, so it cannot be told
)

// Timing is a publication against its deadline.
type Timing struct {
	State     TimingState
	Approved  *model.Date
	Published *model.Date
	Due       *model.Date // the last day allowed, when the approval date is known
	Days      int         // the deadline in days
	LateDays  int
	Reason    string // why it is Undecided
	Basis     string
}

// MissingCount is how many required documents and parts the rows lack.
func (r Result) MissingCount() int {
	n := 0
	for _, row := range r.Rows {
		for _, it := range row.Items {
			if it.Required && !it.Present() {
				n++
			}
			n += len(it.Missing)
		}
	}
	return n + len(r.Site)
}

// Shortfalls are the diagnostics that are not mere notes: what publish
// refuses without --force.
func (r Result) Shortfalls() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Severity != diag.Note {
			out = append(out, d)
		}
	}
	return out
}

// Blocking loads the profiles beside contentDir, looks up the site's
// configured profile (site.yaml profile:, default national) and returns
// the shortfalls of m against it. publish calls it before publishing.
func Blocking(m *model.Site, contentDir string) ([]diag.Diagnostic, error) {
	ps, err := Load(contentDir)
	if err != nil {
		return nil, err
	}
	p, err := ps.Lookup(m.Config.Profile)
	if err != nil {
		return nil, err
	}
	return Check(m, p).Shortfalls(), nil
}

// Check reads every department of m against p. The order of rows and
// diagnostics is fixed: departments by ID, years oldest first.
func Check(m *model.Site, p *Profile) Result {
	res := CheckSite(&m.Config, p)
	for _, d := range m.Departments {
		rows, ds := CheckDepartment(d, p)
		res.Rows = append(res.Rows, rows...)
		res.Diagnostics = append(res.Diagnostics, ds...)
	}
	diag.Sort(res.Diagnostics)
	return res
}

// CheckSite is the part of Check that reads the site's settings alone:
// Result.Site and its diagnostics, no rows.
func CheckSite(cfg *model.SiteConfig, p *Profile) Result {
	res := Result{Profile: p}
	c := &checker{p: p, res: &res}
	c.site(cfg)
	diag.Sort(res.Diagnostics)
	return res
}

// CheckDepartment is the part of Check that reads one department: its
// rows, oldest year first, and its diagnostics, sorted. A build that
// streams departments checks each on its own; Check's result is the
// site's part followed by every department's, sorted.
func CheckDepartment(d *model.Department, p *Profile) ([]Row, []diag.Diagnostic) {
	var res Result
	c := &checker{p: p, res: &res}
	c.department(d)
	diag.Sort(res.Diagnostics)
	return res.Rows, res.Diagnostics
}

type checker struct {
	p   *Profile
	res *Result
}

func (c *checker) add(d diag.Diagnostic) { c.res.Diagnostics = append(c.res.Diagnostics, d) }

// site: the portal meta tags every page must carry.
func (c *checker) site(cfg *model.SiteConfig) {
	if c.p.Site == nil {
		return
	}
	pos := cfg.Portal.Pos
	if pos.IsZero() {
		pos = cfg.Pos
	}
	for _, f := range c.p.Site.Fields {
		if PortalValue(cfg, f.Key) != "" {
			continue
		}
		c.res.Site = append(c.res.Site, Missing{What: f.Label + "（" + f.Meta + "）", Basis: c.p.Site.Basis})
		c.add(diag.New(pos, diag.ProfileSiteMeta, f.Key, f.Label, f.Meta, c.p.Site.Basis))
	}
}

// PortalValue is the value of a portal field of site.yaml as pages carry
// it: site_domain falls back to the host of base_url, site_name to the
// site's title.
func PortalValue(cfg *model.SiteConfig, key string) string {
	p := cfg.Portal
	switch key {
	case "site_name":
		return cmp.Or(p.SiteName, cfg.Title)
	case "site_domain":
		if p.SiteDomain != "" {
			return p.SiteDomain
		}
		if u, err := url.Parse(cfg.BaseURL); err == nil {
			return u.Hostname()
		}
	case "site_id_code":
		return p.SiteIDCode
	case "column_name":
		return p.ColumnName
	case "column_type":
		return p.ColumnType
	case "content_source":
		return p.ContentSource
	}
	return ""
}

func province(d *model.Department) string {
	if len(d.Region) > 0 {
		return d.Region[0]
	}
	return ""
}

// department builds the rows of d, one per year it published anything.
func (c *checker) department(d *model.Department) {
	var years []int
	for _, r := range d.Reports {
		if !slices.Contains(years, r.Year) {
			years = append(years, r.Year)
		}
	}
	slices.Sort(years)
	prov := province(d)
	for _, y := range years {
		row := Row{Dept: d, Year: y}
		var reports []*model.Report
		for _, r := range d.Reports {
			if r.Year == y {
				reports = append(reports, r)
			}
		}
		for _, k := range c.p.requiredKinds(y, prov) {
			rl, _ := c.p.rulesFor(k, y, prov)
			i := slices.IndexFunc(reports, func(r *model.Report) bool { return r.DocKind() == k })
			if i < 0 {
				row.Items = append(row.Items, Item{Kind: k, Required: true, Basis: rl.required.Basis})
				c.add(diag.New(d.Pos, diag.ProfileDocument, d.Name, strconv.Itoa(y), k.DocTitle(), rl.required.Basis))
				continue
			}
			row.Items = append(row.Items, c.report(reports[i], rl, true))
			reports = slices.Delete(reports, i, i+1)
		}
		for _, r := range reports {
			rl, _ := c.p.rulesFor(r.DocKind(), y, prov)
			row.Items = append(row.Items, c.report(r, rl, rl.required != nil))
		}
		slices.SortStableFunc(row.Items, func(a, b Item) int { return a.Kind.Order() - b.Kind.Order() })
		c.res.Rows = append(c.res.Rows, row)
	}
}

// report checks one published document against the rules of its kind.
func (c *checker) report(r *model.Report, rl rules, required bool) Item {
	it := Item{Kind: r.DocKind(), Report: r, Required: required}
	if rl.required != nil {
		it.Basis = rl.required.Basis
	}
	rc := &reportCheck{c: c, r: r, it: &it, label: label(r)}
	rc.timing(rl.deadline)
	if rl.tables != nil {
		rc.tables(rl.tables)
	}
	for _, p := range rl.parts {
		rc.part(p)
	}
	for _, s := range rl.sections {
		rc.section(s)
	}
	if rl.execution != nil {
		rc.execution(rl.execution)
	}
	if rl.targets != nil {
		rc.targets(rl.targets.Basis)
	}
	return it
}

// label names a report in messages: its year and kind.
func label(r *model.Report) string {
	return fmt.Sprintf("%d年度%s", r.Year, r.DocKind().DocTitle())
}

type reportCheck struct {
	c     *checker
	r     *model.Report
	it    *Item
	label string
}

func (rc *reportCheck) truncated() bool { return rc.r.Source != nil && rc.r.Source.Truncated }

// lack records a missing part: an error, or, when the copy of the source
// is known to be incomplete, a note that it cannot be told.
func (rc *reportCheck) lack(pos model.Pos, what, basis string, d diag.Diagnostic) {
	if pos.IsZero() {
		pos = rc.r.Pos
	}
	d.Pos = pos
	if rc.truncated() {
		rc.it.Undecided = append(rc.it.Undecided, Missing{What: what + "（原文不完整）", Basis: basis})
		rc.c.add(diag.New(pos, diag.ProfileUndecided, rc.label, "能找到的原文不完整（source.truncated）",
			"是否公开了"+what, basis,
			"找到完整的原文后转录缺少的部分，并删去 truncated。", "Transcribe the rest once the full source is found."))
		return
	}
	rc.it.Missing = append(rc.it.Missing, Missing{What: what, Basis: basis})
	rc.c.add(d)
}

// timing compares the publication date with the approval date.
func (rc *reportCheck) timing(dl *Deadline) {
	if dl == nil {
		return
	}
	t := &rc.it.Timing
	t.Days, t.Basis, t.Approved = dl.Days, dl.Basis, rc.r.Approved
	if rc.r.Source != nil {
		t.Published = rc.r.Source.Published
	}
	question := fmt.Sprintf("是否在批复后 %d 日内公开", dl.Days)
	undecided := func(pos model.Pos, why, hint string) {
		t.State, t.Reason = Undecided, why
		rc.c.add(diag.New(pos, diag.ProfileUndecided, rc.label, why, question, dl.Basis, hint,
			"Record the date the source states."))
	}
	switch {
	case t.Approved == nil:
		undecided(rc.r.Pos, "未记录批复日期", "原文或批复文件载明批复日期的，写在 approved（如 2024-02-05），并注明出处。")
		return
	case t.Approved.Day == 0:
		undecided(t.Approved.Pos, "批复日期只记到"+map[bool]string{true: "年", false: "月"}[t.Approved.Month == 0], "写出批复的具体日期（如 2024-02-05）。")
		return
	case t.Published == nil:
		undecided(rc.r.Pos, "未记录公开日期", "在 source.published 写上原文的发布日期。")
		return
	case t.Published.Day == 0:
		undecided(t.Published.Pos, "公开日期只记到"+map[bool]string{true: "年", false: "月"}[t.Published.Month == 0], "写出原文发布的具体日期。")
		return
	}
	a := time.Date(t.Approved.Year, time.Month(t.Approved.Month), t.Approved.Day, 0, 0, 0, 0, time.UTC)
	p := time.Date(t.Published.Year, time.Month(t.Published.Month), t.Published.Day, 0, 0, 0, 0, time.UTC)
	due := a.AddDate(0, 0, dl.Days)
	t.Due = &model.Date{Year: due.Year(), Month: int(due.Month()), Day: due.Day()}
	if !p.After(due) {
		t.State = OnTime
		return
	}
	t.State = Late
	t.LateDays = int(p.Sub(due) / (24 * time.Hour))
	rc.c.add(diag.New(t.Published.Pos, diag.ProfileLate, rc.label, t.Approved.ISO(), t.Published.ISO(),
		strconv.Itoa(dl.Days), strconv.Itoa(t.LateDays), dl.Basis))
}

// tables: every table of the set, by name or alias.
func (rc *reportCheck) tables(tr *TableRule) {
	set, ok := tables.Lookup(tr.Set)
	if !ok {
		return
	}
	var missing []string
	for _, spec := range set.Tables {
		if !slices.ContainsFunc(rc.r.Tables, func(t *model.Table) bool { return set.Find(t.Name) == spec }) {
			missing = append(missing, spec.Name)
		}
	}
	if len(missing) == 0 {
		return
	}
	what := "公开表“" + strings.Join(missing, "”、“") + "”"
	count := fmt.Sprintf("%s共 %d 张，本站内容缺 %d 张", set.Name, len(set.Tables), len(missing))
	rc.lack(rc.r.Pos, what, tr.Basis, diag.New(model.Pos{}, diag.ProfileTable, rc.label, strings.Join(missing, "”、“"), count, tr.Basis))
}

// chapter finds a chapter whose title or text names one of aliases.
func (rc *reportCheck) chapter(aliases []string, titleOnly bool) *model.Chapter {
	for _, ch := range rc.r.Chapters {
		for _, a := range aliases {
			if strings.Contains(ch.Title, a) || (!titleOnly && strings.Contains(ch.Text, a)) {
				return ch
			}
		}
	}
	return nil
}

func (rc *reportCheck) part(p *Part) {
	missing := func(pos model.Pos, what string) {
		rc.lack(pos, what, p.Basis, diag.New(model.Pos{}, diag.ProfilePart, rc.label, what, p.Basis, p.Hint))
	}
	acc := rc.r.Accounts
	switch p.Check {
	case "three-public":
		rc.threePublic(p, missing)
	case "operating":
		if (acc == nil || acc.Operating == nil) && rc.chapter(p.Aliases, false) == nil {
			missing(model.Pos{}, p.Name)
		}
	case "procurement":
		if (acc == nil || acc.Procurement == nil) && rc.chapter(p.Aliases, false) == nil {
			missing(model.Pos{}, p.Name)
		}
	case "assets":
		if (acc == nil || acc.Assets == nil) && rc.chapter(p.Aliases, false) == nil {
			missing(model.Pos{}, p.Name)
		}
	case "chapter":
		if rc.chapter(p.Aliases, false) == nil {
			missing(model.Pos{}, p.Name)
		}
	}
}

// threeItems are the items a 三公 statement gives budget and actual for.
var threeItems = []struct {
	name string
	get  func(*model.ThreePublic) *model.BudgetActual
}{
	{"因公出国（境）费", func(t *model.ThreePublic) *model.BudgetActual { return t.Outbound }},
	{"公务用车购置及运行维护费", func(t *model.ThreePublic) *model.BudgetActual {
		if t.Vehicles != nil {
			return t.Vehicles
		}
		if t.VehiclePurchase == nil && t.VehicleOperation == nil {
			return nil
		}
		// Either item stands for the pair: documents give 购置 and 运行
		// separately, and a missing half is a missing figure below.
		return &model.BudgetActual{
			Budget: cmp.Or(amountOf(t.VehiclePurchase, true), amountOf(t.VehicleOperation, true)),
			Actual: cmp.Or(amountOf(t.VehiclePurchase, false), amountOf(t.VehicleOperation, false)),
			Pos:    cmp.Or(posOf(t.VehiclePurchase), posOf(t.VehicleOperation)),
		}
	}},
	{"公务接待费", func(t *model.ThreePublic) *model.BudgetActual { return t.Reception }},
}

func amountOf(b *model.BudgetActual, budget bool) *model.Amount {
	switch {
	case b == nil:
		return nil
	case budget:
		return b.Budget
	}
	return b.Actual
}

func posOf(b *model.BudgetActual) model.Pos {
	if b == nil {
		return model.Pos{}
	}
	return b.Pos
}

func (p *Part) needs(figure string) bool {
	return len(p.Figures) == 0 || slices.Contains(p.Figures, figure)
}

// figuresText names the figures a three-public part needs.
func figuresText(p *Part) string {
	var out []string
	if p.needs("budget") {
		out = append(out, "预算数")
	}
	if p.needs("actual") {
		out = append(out, "实际支出")
	}
	return strings.Join(out, "和")
}

// reasonWords mark a sentence that gives a cause.
var reasonWords = []string{"原因", "由于", "主要是", "主要用于", "导致"}

func hasReason(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// threePublic: budget and actual for each item, and why the figures
// changed.
func (rc *reportCheck) threePublic(p *Part, missing func(model.Pos, string)) {
	tp := rc.r.ThreePublic
	if tp == nil {
		if ch := rc.chapter(p.Aliases, false); ch != nil {
			rc.it.Undecided = append(rc.it.Undecided, Missing{What: "“三公”经费各项的" + figuresText(p) + "（只有文字，未按项转录）", Basis: p.Basis})
			rc.c.add(diag.New(ch.Pos, diag.ProfileUndecided, rc.label, "“三公”经费只有文字，没有按项转录到 three_public",
				"各项是否都有"+figuresText(p), p.Basis,
				"按原文把各项的预算数和实际支出转录到 three_public。", "Transcribe the items into three_public."))
			return
		}
		missing(model.Pos{}, p.Name)
		return
	}
	for _, item := range threeItems {
		ba := item.get(tp)
		if ba == nil {
			missing(tp.Pos, "“三公”经费中"+item.name)
			continue
		}
		needBudget, needActual := p.needs("budget"), p.needs("actual")
		var lacks []string
		if needBudget && ba.Budget == nil {
			lacks = append(lacks, "预算数")
		}
		if needActual && ba.Actual == nil {
			lacks = append(lacks, "实际支出")
		}
		if len(lacks) > 0 {
			missing(ba.Pos, "“三公”经费中"+item.name+"的"+strings.Join(lacks, "和"))
		}
	}
	texts := []string{tp.Note}
	for _, ba := range []*model.BudgetActual{tp.Total, tp.Outbound, tp.VehiclePurchase, tp.VehicleOperation, tp.Vehicles, tp.Reception} {
		if ba != nil {
			texts = append(texts, ba.Reason)
		}
	}
	if ch := rc.chapter(p.Aliases, false); ch != nil {
		texts = append(texts, ch.Text)
	}
	if !hasReason(strings.Join(texts, "\n"), reasonWords) {
		missing(tp.Pos, "“三公”经费增减变化的原因说明")
	}
}

// section: a narrative key with text, or a chapter titled by an alias.
func (rc *reportCheck) section(s *Section) {
	for _, k := range s.Keys {
		if strings.TrimSpace(rc.r.Narrative.Get(k)) != "" {
			return
		}
	}
	if rc.chapter(s.Aliases, true) != nil || rc.heading(s.Aliases) {
		return
	}
	keys := strings.Join(s.Keys, " 或 ")
	rc.lack(rc.r.Pos, "“"+s.Name+"”部分", s.Basis, diag.New(model.Pos{}, diag.ProfileSection, rc.label, s.Name, s.Basis, keys))
}

// heading: a Markdown heading inside the narrative names one of aliases
// (a report that files its 基本情况 under 绩效情况 still has it).
func (rc *reportCheck) heading(aliases []string) bool {
	for _, s := range rc.r.Narrative.Sections() {
		for _, line := range strings.Split(s.Markdown, "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			for _, a := range aliases {
				if strings.Contains(line, a) {
					return true
				}
			}
		}
	}
	return false
}

// execution: a fund whose execution rate, stated or computed from its
// budget and expenditure, is below the threshold needs a reason.
func (rc *reportCheck) execution(e *ExecutionRule) {
	words := e.Reasons
	if len(words) == 0 {
		words = reasonWords
	}
	prose := rc.prose()
	check := func(name string, stated *model.Percent, budget, spent *model.Amount, note string, pos model.Pos) {
		if budget != nil && budget.Value.IsZero() {
			return // nothing was budgeted, so nothing was left unspent
		}
		var rate model.Decimal
		how := ""
		switch {
		case stated != nil:
			rate, how, pos = stated.Value, "原文所述", stated.Pos
		case budget != nil && spent != nil:
			r, ok := model.Ratio(spent.Value, budget.Value, 2)
			if !ok {
				return
			}
			rate, how = r, fmt.Sprintf("按支出 %s ÷ 预算 %s 计算", spent.Value.String(), budget.Value.String())
		default:
			return
		}
		if rate.Cmp(e.below) >= 0 || hasReason(note, words) || explained(prose, words) {
			return
		}
		what := name + "执行率低于 " + e.below.String() + "% 的原因说明"
		rc.it.Missing = append(rc.it.Missing, Missing{What: what, Basis: e.Basis})
		rc.c.add(diag.New(pos, diag.ProfileExecution, rc.label+"·"+name, rate.String(), how, e.below.String(), e.Basis))
	}
	r := rc.r
	for _, f := range append([]*model.Fund{r.Totals}, r.Funds...) {
		if f == nil {
			continue
		}
		name := "部门整体"
		if f != r.Totals || f.Label != "" {
			name = f.FundName()
		}
		check(name, f.ExecutionRate, f.Budget, f.Expenditure, f.Note, f.Pos)
	}
	if r.ProjectEval != nil {
		for _, f := range r.ProjectEval.Funds {
			check(f.Name, f.Rate, f.Budget, f.Actual, "", f.Pos)
		}
	}
}

// prose is the report's own text, paragraph by paragraph: narrative,
// chapters and the goals of a project form. Editor's notes are not the
// department's words and do not count.
func (rc *reportCheck) prose() []string {
	var out []string
	for _, s := range rc.r.Narrative.Sections() {
		out = append(out, strings.Split(s.Markdown, "\n")...)
	}
	for _, ch := range rc.r.Chapters {
		out = append(out, strings.Split(ch.Text, "\n")...)
	}
	if pe := rc.r.ProjectEval; pe != nil {
		for _, g := range pe.Goals {
			out = append(out, g.Actual)
		}
	}
	return out
}

// explained: a paragraph speaks of budget execution and gives a reason.
func explained(paras []string, words []string) bool {
	for _, p := range paras {
		if (strings.Contains(p, "执行") || strings.Contains(p, "支出进度") || strings.Contains(p, "结转")) && hasReason(p, words) {
			return true
		}
	}
	return false
}

// targets: a level-3 indicator whose actual misses its quantitative
// target needs a deviation reason.
func (rc *reportCheck) targets(basis string) {
	var walk func([]*model.Indicator)
	walk = func(is []*model.Indicator) {
		for _, ind := range is {
			if len(ind.Items) > 0 {
				walk(ind.Items)
				continue
			}
			target := ind.Target
			if ind.Adjusted != nil {
				target = ind.Adjusted
			}
			if !missed(ind, target) || strings.TrimSpace(ind.Deviation) != "" {
				continue
			}
			rc.it.Missing = append(rc.it.Missing, Missing{What: "指标“" + ind.Name + "”的偏差原因", Basis: basis})
			rc.c.add(diag.New(ind.Pos, diag.ProfileTarget, ind.Name, ind.Actual.Text, target.Text, basis))
		}
	}
	walk(rc.r.Indicators)
}

// missed compares a quantitative actual with its target in the same unit;
// qualitative ones cannot be compared and count as met.
func missed(ind *model.Indicator, target *model.Measure) bool {
	if target == nil || ind.Actual == nil || target.Value == nil || ind.Actual.Value == nil {
		return false
	}
	if normUnit(target.Unit) != normUnit(ind.Actual.Unit) {
		return false
	}
	t, a := *target.Value, *ind.Actual.Value
	switch target.Op {
	case "≥":
		return a.Cmp(t) < 0
	case ">":
		return a.Cmp(t) <= 0
	case "≤":
		return a.Cmp(t) > 0
	case "<":
		return a.Cmp(t) >= 0
	}
	// A bare or "=" target of a positive indicator reads as "at least".
	if strings.Contains(ind.Nature, "反向") {
		return a.Cmp(t) > 0
	}
	return a.Cmp(t) < 0
}

func normUnit(u string) string {
	return strings.NewReplacer("％", "%", " ", "").Replace(strings.TrimSpace(u))
}
