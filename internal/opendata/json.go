package opendata

import (
	"bytes"
	"encoding/json"

	"disclose/internal/model"
)

// Schema names the shape of ReportJSON's output. Change it whenever a key
// is renamed or removed or its meaning changes, so that consumers can tell.
const Schema = "disclose.report/1"

// The JSON mirrors the content files' keys, so that a developer who has seen
// the YAML recognises every field. Structs rather than maps keep the key
// order stable; optional fields are left out when the source has none.

type reportDoc struct {
	Schema      string          `json:"schema"`
	Unit        string          `json:"unit"`
	Department  *departmentDoc  `json:"department,omitempty"`
	Year        int             `json:"year"`
	Kind        string          `json:"kind"`
	Key         string          `json:"key"`
	Title       string          `json:"title"`
	Issuer      string          `json:"issuer,omitempty"`
	UnitStated  string          `json:"unit_stated,omitempty"`
	Approved    string          `json:"approved,omitempty"`
	ReportDate  string          `json:"report_date,omitempty"`
	Evaluation  *evaluationDoc  `json:"evaluation,omitempty"`
	Score       *scoreDoc       `json:"score,omitempty"`
	Staff       *staffDoc       `json:"staff,omitempty"`
	Overview    overviewDoc     `json:"overview"`
	Totals      *fundDoc        `json:"totals,omitempty"`
	Funds       []*fundDoc      `json:"funds,omitempty"`
	ThreePublic *threePublicDoc `json:"three_public,omitempty"`
	Projects    []*projectDoc   `json:"projects,omitempty"`
	Accounts    *accountsDoc    `json:"accounts,omitempty"`
	ProjectEval *projectEvalDoc `json:"project_eval,omitempty"`
	Chapters    []chapterDoc    `json:"chapters,omitempty"`
	Profile     string          `json:"profile,omitempty"`
	Tables      []tableDoc      `json:"tables,omitempty"`
	Targets     []targetDoc     `json:"targets,omitempty"`
	Indicators  []*indicatorDoc `json:"indicators,omitempty"`
	Sections    []sectionDoc    `json:"sections,omitempty"`
	Source      *sourceDoc      `json:"source,omitempty"`
	Notes       []string        `json:"notes,omitempty"`
	Errata      []errataEntry   `json:"errata,omitempty"`
}

type departmentDoc struct {
	ID           string       `json:"id"`
	Name         string       `json:"name"`
	ShortName    string       `json:"short_name,omitempty"`
	BudgetCode   string       `json:"budget_code,omitempty"`
	Level        string       `json:"level,omitempty"`
	Region       []string     `json:"region,omitempty"`
	Authority    string       `json:"authority,omitempty"`
	UnitType     string       `json:"unit_type,omitempty"`
	Funding      string       `json:"funding,omitempty"`
	Rank         string       `json:"rank,omitempty"`
	Offices      *orgUnitsDoc `json:"offices,omitempty"`
	Subordinates *orgUnitsDoc `json:"subordinates,omitempty"`
	Duties       string       `json:"duties,omitempty"`
}

type orgUnitsDoc struct {
	Count *int     `json:"count,omitempty"`
	Names []string `json:"names,omitempty"`
}

type evaluationDoc struct {
	Method string `json:"method,omitempty"`
	Text   string `json:"text,omitempty"`
	Body   string `json:"body,omitempty"`
	Issuer string `json:"issuer,omitempty"`
}

type scoreDoc struct {
	Total   json.Number `json:"total,omitempty"`
	Max     json.Number `json:"max,omitempty"`
	Grade   string      `json:"grade,omitempty"`
	Parts   []scorePart `json:"parts,omitempty"`
	Partial bool        `json:"partial,omitempty"`
}

// scorePart's score is left out when the form leaves it blank: an empty
// json.Number would otherwise be written as 0, a score nobody gave.
type scorePart struct {
	Name   string      `json:"name"`
	Weight json.Number `json:"weight,omitempty"`
	Score  json.Number `json:"score,omitempty"`
	Note   string      `json:"note,omitempty"`
}

type staffDoc struct {
	AsOf             string      `json:"as_of,omitempty"`
	Authorized       *int        `json:"authorized,omitempty"`
	AuthorizedByType []staffPart `json:"authorized_by_type,omitempty"`
	InService        *int        `json:"in_service,omitempty"`
	ByType           []staffPart `json:"by_type,omitempty"`
	Retired          *int        `json:"retired,omitempty"`
}

type staffPart struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// overviewDoc is the department-wide headline the site shows. A figure the
// source does not print but we added up over its fund sources says so.
type overviewDoc struct {
	Budget                *figureDoc  `json:"budget,omitempty"`
	Income                *figureDoc  `json:"income,omitempty"`
	Expenditure           *figureDoc  `json:"expenditure,omitempty"`
	Basic                 *figureDoc  `json:"basic,omitempty"`
	Project               *figureDoc  `json:"project,omitempty"`
	ExecutionRateStated   json.Number `json:"execution_rate_stated,omitempty"`
	ExecutionRateComputed json.Number `json:"execution_rate_computed,omitempty"`
}

// figureDoc says where a headline figure comes from: computed when we added
// it up over the funds, else from names the one fund it was taken from
// (absent when the source states it for the whole department).
type figureDoc struct {
	Value    json.Number `json:"value"`
	Computed bool        `json:"computed"`
	From     string      `json:"from,omitempty"`
}

// amountDoc is one money figure. published and unit appear only when the
// source's literal says more than value does, so the common case stays
// short; erratum appears when value corrects the published text.
type amountDoc struct {
	Value     json.Number `json:"value"`
	Published string      `json:"published,omitempty"`
	Unit      string      `json:"unit,omitempty"`
	Erratum   *erratumDoc `json:"erratum,omitempty"`
}

type erratumDoc struct {
	Published string `json:"published"`
	Corrected string `json:"corrected"`
	Reason    string `json:"reason"`
	Location  string `json:"location,omitempty"`
}

// errataEntry lists a correction in the report-wide list; kind tells a
// corrected figure ("amount") from corrected wording ("text").
type errataEntry struct {
	Kind string `json:"kind"`
	erratumDoc
}

type fundDoc struct {
	Source        string      `json:"source,omitempty"`
	Label         string      `json:"label,omitempty"`
	InitialBudget *amountDoc  `json:"initial_budget,omitempty"`
	Adjustment    *amountDoc  `json:"adjustment,omitempty"`
	Budget        *amountDoc  `json:"budget,omitempty"`
	Income        *amountDoc  `json:"income,omitempty"`
	Expenditure   *amountDoc  `json:"expenditure,omitempty"`
	CarryOver     *amountDoc  `json:"carryover,omitempty"`
	ExecutionRate json.Number `json:"execution_rate,omitempty"`
	Basic         *nodeDoc    `json:"basic,omitempty"`
	Project       *nodeDoc    `json:"project,omitempty"`
	Plan          *planDoc    `json:"budget_plan,omitempty"`
	Note          string      `json:"note,omitempty"`
}

type planDoc struct {
	Total   *amountDoc `json:"total,omitempty"`
	Basic   *nodeDoc   `json:"basic,omitempty"`
	Project *nodeDoc   `json:"project,omitempty"`
}

type nodeDoc struct {
	Name          string      `json:"name,omitempty"`
	Code          string      `json:"code,omitempty"`
	Amount        *amountDoc  `json:"amount,omitempty"`
	Budget        *amountDoc  `json:"budget,omitempty"`
	ExecutionRate json.Number `json:"execution_rate,omitempty"`
	Note          string      `json:"note,omitempty"`
	Prior         *amountDoc  `json:"prior,omitempty"`
	Change        *deltaDoc   `json:"change,omitempty"`
	ChangeRate    *deltaDoc   `json:"change_rate,omitempty"`
	Share         json.Number `json:"share,omitempty"`
	Reason        string      `json:"reason,omitempty"`
	Items         []*nodeDoc  `json:"items,omitempty"`
	OfWhich       []*nodeDoc  `json:"of_which,omitempty"`
	Partial       bool        `json:"partial,omitempty"`
}

// deltaDoc is a change the source states against another year, kept as
// published ("下降42.13%", "减少18,987.42元"): value is signed, in 万元 for
// money and in percentage points when percent is true; unit is the money
// unit the text was written in.
type deltaDoc struct {
	Text    string      `json:"text"`
	Value   json.Number `json:"value"`
	Percent bool        `json:"percent,omitempty"`
	Unit    string      `json:"unit,omitempty"`
}

type threePublicDoc struct {
	Total            *budgetActualDoc `json:"total,omitempty"`
	Outbound         *budgetActualDoc `json:"outbound,omitempty"`
	VehiclePurchase  *budgetActualDoc `json:"vehicle_purchase,omitempty"`
	VehicleOperation *budgetActualDoc `json:"vehicle_operation,omitempty"`
	Vehicles         *budgetActualDoc `json:"vehicles,omitempty"`
	Reception        *budgetActualDoc `json:"reception,omitempty"`
	Counts           *threeCountsDoc  `json:"counts,omitempty"`
	Note             string           `json:"note,omitempty"`
}

type budgetActualDoc struct {
	Budget     *amountDoc  `json:"budget,omitempty"`
	Actual     *amountDoc  `json:"actual,omitempty"`
	Rate       json.Number `json:"rate,omitempty"`
	Prior      *amountDoc  `json:"prior,omitempty"`
	Change     *deltaDoc   `json:"change,omitempty"`
	ChangeRate *deltaDoc   `json:"change_rate,omitempty"`
	Share      json.Number `json:"share,omitempty"`
	Reason     string      `json:"reason,omitempty"`
}

type threeCountsDoc struct {
	OutboundGroups    *int       `json:"outbound_groups,omitempty"`
	OutboundPersons   *int       `json:"outbound_persons,omitempty"`
	VehiclesBought    *int       `json:"vehicles_bought,omitempty"`
	VehiclesHeld      *int       `json:"vehicles_held,omitempty"`
	VehiclesByType    []countDoc `json:"vehicles_by_type,omitempty"`
	ReceptionBatches  *int       `json:"reception_batches,omitempty"`
	ReceptionPersons  *int       `json:"reception_persons,omitempty"`
	ForeignReceptions *int       `json:"foreign_receptions,omitempty"`
}

type countDoc struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// accountsDoc is a 部门决算's or 部门预算's figures, each table a node tree.
type accountsDoc struct {
	Income      *nodeDoc        `json:"income,omitempty"`
	Expenditure *nodeDoc        `json:"expenditure,omitempty"`
	Fiscal      *nodeDoc        `json:"fiscal,omitempty"`
	Functional  *nodeDoc        `json:"functional,omitempty"`
	Economic    *nodeDoc        `json:"economic,omitempty"`
	Operating   *nodeDoc        `json:"operating,omitempty"`
	Procurement *procurementDoc `json:"procurement,omitempty"`
	Assets      *assetsDoc      `json:"assets,omitempty"`
	Note        string          `json:"note,omitempty"`
}

type procurementDoc struct {
	Total    *nodeDoc    `json:"total,omitempty"`
	SME      *amountDoc  `json:"sme,omitempty"`
	SMEShare json.Number `json:"sme_share,omitempty"`
	Note     string      `json:"note,omitempty"`
}

type assetsDoc struct {
	Vehicles *int          `json:"vehicles,omitempty"`
	ByType   []countDoc    `json:"by_type,omitempty"`
	Items    []assetRowDoc `json:"items,omitempty"`
	Note     string        `json:"note,omitempty"`
}

type assetRowDoc struct {
	Name   string     `json:"name"`
	Count  *int       `json:"count,omitempty"`
	Amount *amountDoc `json:"amount,omitempty"`
}

// projectEvalDoc is the head of a 项目支出绩效自评表; its indicators and
// score are the report's.
type projectEvalDoc struct {
	Name        string         `json:"name"`
	Authority   string         `json:"authority,omitempty"`
	Implementer string         `json:"implementer,omitempty"`
	Funds       []evalFundDoc  `json:"funds,omitempty"`
	Goals       []evalGoalDoc  `json:"goals,omitempty"`
	Extra       []namedTextDoc `json:"extra,omitempty"`
}

type evalFundDoc struct {
	Name          string      `json:"name"`
	InitialBudget *amountDoc  `json:"initial_budget,omitempty"`
	Budget        *amountDoc  `json:"budget,omitempty"`
	Actual        *amountDoc  `json:"actual,omitempty"`
	Weight        json.Number `json:"weight,omitempty"`
	Rate          json.Number `json:"rate,omitempty"`
	Score         json.Number `json:"score,omitempty"`
}

type evalGoalDoc struct {
	Expected string `json:"expected,omitempty"`
	Actual   string `json:"actual,omitempty"`
}

type namedTextDoc struct {
	Name string `json:"name"`
	Text string `json:"text,omitempty"`
}

type chapterDoc struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

type projectDoc struct {
	Name        string     `json:"name"`
	Group       string     `json:"group,omitempty"`
	Budget      *amountDoc `json:"budget,omitempty"`
	Arrived     *amountDoc `json:"arrived,omitempty"`
	Paid        *amountDoc `json:"paid,omitempty"`
	Description string     `json:"description,omitempty"`
	Outputs     []string   `json:"outputs,omitempty"`
	Items       []*nodeDoc `json:"items,omitempty"`
}

type targetDoc struct {
	Name string `json:"name,omitempty"`
	Text string `json:"text"`
}

type indicatorDoc struct {
	Name      string          `json:"name"`
	Level     int             `json:"level"`
	Weight    json.Number     `json:"weight,omitempty"`
	Score     json.Number     `json:"score,omitempty"`
	Target    *measureDoc     `json:"target,omitempty"`
	Actual    *measureDoc     `json:"actual,omitempty"`
	Deviation string          `json:"deviation,omitempty"`
	Nature    string          `json:"nature,omitempty"`
	Unit      string          `json:"unit,omitempty"`
	Adjusted  *measureDoc     `json:"adjusted,omitempty"`
	Factor    json.Number     `json:"factor,omitempty"`
	Core      bool            `json:"core,omitempty"`
	Items     []*indicatorDoc `json:"items,omitempty"`
}

// measureDoc keeps the published text and, when it has one, the number
// with its comparator and unit, so that "≥90%" can be compared with "92%".
type measureDoc struct {
	Text  string      `json:"text"`
	Op    string      `json:"op,omitempty"`
	Value json.Number `json:"value,omitempty"`
	Unit  string      `json:"unit,omitempty"`
}

type sectionDoc struct {
	Key      string `json:"key"`
	Title    string `json:"title"`
	Markdown string `json:"markdown"`
}

type sourceDoc struct {
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	File      string `json:"file,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"`
	Note      string `json:"note,omitempty"`
}

// ReportJSON is the whole report as structured JSON: its document kind and
// key, every figure, the category trees, 三公, projects, the accounts of a
// 决算 or 预算, the head of a project's self-evaluation, targets,
// indicators, the narrative and chapters in Markdown, the source, notes and
// errata. Money is in 万元 (the "unit" key; "unit_stated" is the unit the
// document says it uses) and every number is the exact decimal the source
// printed; stated changes keep their published text beside the value.
func ReportJSON(r *model.Report) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Indicator values such as ">90%" would otherwise be written as \u003e,
	// which a developer reading the file should not have to decode.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(reportDocOf(r)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func reportDocOf(r *model.Report) *reportDoc {
	doc := &reportDoc{
		Schema:     Schema,
		Unit:       string(model.UnitWan),
		Department: departmentOf(r.Department),
		Year:       r.Year,
		Kind:       string(r.DocKind()),
		Key:        r.Key(),
		Title:      r.Title,
		Issuer:     r.Issuer,
		UnitStated: r.Unit,
		Approved:   dateOf(r.Approved),
		ReportDate: dateOf(r.ReportDate),
		Overview:   overviewOf(r),
		Totals:     fundOf(r.Totals),
		Notes:      r.Notes,
	}
	if e := r.Evaluation; e != nil {
		doc.Evaluation = &evaluationDoc{Method: string(e.Method), Text: e.Text, Body: e.Body, Issuer: e.Issuer}
	}
	if s := r.Score; s != nil {
		sd := &scoreDoc{Total: numberOf(s.Total), Max: numberOf(s.Max), Grade: s.Grade, Partial: s.Partial}
		for _, p := range s.Parts {
			sd.Parts = append(sd.Parts, scorePart{Name: p.Name, Weight: numberOf(p.Weight), Score: numberOf(p.Score), Note: p.Note})
		}
		doc.Score = sd
	}
	if s := r.Staff; s != nil {
		sd := &staffDoc{AsOf: dateOf(s.AsOf), Authorized: s.Authorized, InService: s.InService, Retired: s.Retired}
		for _, p := range s.ByType {
			sd.ByType = append(sd.ByType, staffPart{Name: p.Name, Count: p.Count})
		}
		for _, p := range s.AuthorizedByType {
			sd.AuthorizedByType = append(sd.AuthorizedByType, staffPart{Name: p.Name, Count: p.Count})
		}
		doc.Staff = sd
	}
	for _, f := range r.Funds {
		doc.Funds = append(doc.Funds, fundOf(f))
	}
	if t := r.ThreePublic; t != nil {
		doc.ThreePublic = &threePublicDoc{
			Total:            budgetActualOf(t.Total),
			Outbound:         budgetActualOf(t.Outbound),
			VehiclePurchase:  budgetActualOf(t.VehiclePurchase),
			VehicleOperation: budgetActualOf(t.VehicleOperation),
			Vehicles:         budgetActualOf(t.Vehicles),
			Reception:        budgetActualOf(t.Reception),
			Counts:           threeCountsOf(t.Counts),
			Note:             t.Note,
		}
	}
	for _, p := range r.Projects {
		doc.Projects = append(doc.Projects, &projectDoc{
			Name: p.Name, Group: p.Group,
			Budget: amountOf(p.Budget), Arrived: amountOf(p.Arrived), Paid: amountOf(p.Paid),
			Description: p.Description, Outputs: p.Outputs, Items: nodesOf(p.Items),
		})
	}
	doc.Accounts = accountsOf(r.Accounts)
	doc.ProjectEval = projectEvalOf(r.ProjectEval)
	doc.Profile = r.Profile
	for _, t := range r.Tables {
		td := tableDoc{Number: t.Number, Name: t.Name, Unit: string(t.Unit), Columns: t.Columns, Partial: t.Partial, Note: t.Note}
		if td.Unit == "" {
			td.Unit = string(model.UnitWan)
		}
		for _, row := range t.Rows {
			td.Rows = append(td.Rows, tableRowDoc{Code: row.Code, Name: row.Name, Cells: row.Cells})
		}
		doc.Tables = append(doc.Tables, td)
	}
	for _, c := range r.Chapters {
		doc.Chapters = append(doc.Chapters, chapterDoc{Title: c.Title, Text: c.Text})
	}
	for _, t := range r.Targets {
		doc.Targets = append(doc.Targets, targetDoc{Name: t.Name, Text: t.Text})
	}
	doc.Indicators = indicatorsOf(r.Indicators, 1)
	for _, s := range r.Narrative.Sections() {
		doc.Sections = append(doc.Sections, sectionDoc{Key: s.Key, Title: s.Title, Markdown: s.Markdown})
	}
	if s := r.Source; s != nil {
		doc.Source = &sourceDoc{Title: s.Title, Publisher: s.Publisher, File: s.File, URL: s.URL, Published: dateOf(s.Published), Note: s.Note}
	}
	figures := map[*model.Erratum]bool{}
	for _, a := range r.Amounts() {
		if a.Erratum != nil {
			figures[a.Erratum] = true
		}
	}
	for _, e := range r.AllErrata() {
		kind := "text"
		if figures[e] {
			kind = "amount"
		}
		doc.Errata = append(doc.Errata, errataEntry{Kind: kind, erratumDoc: *erratumOf(e)})
	}
	return doc
}

func departmentOf(d *model.Department) *departmentDoc {
	if d == nil {
		return nil
	}
	return &departmentDoc{
		ID: d.ID, Name: d.Name, ShortName: d.ShortName, BudgetCode: d.BudgetCode,
		Level: string(d.Level), Region: d.Region, Authority: d.Authority,
		UnitType: string(d.UnitType), Funding: string(d.Funding), Rank: d.Rank,
		Offices: orgUnitsOf(d.Offices), Subordinates: orgUnitsOf(d.Subordinates),
		Duties: d.Duties,
	}
}

func orgUnitsOf(o *model.OrgUnits) *orgUnitsDoc {
	if o == nil {
		return nil
	}
	return &orgUnitsDoc{Count: o.Count, Names: o.Names}
}

func overviewOf(r *model.Report) overviewDoc {
	o := r.Overview()
	funds := fundsByAmount(r)
	fig := func(f *model.Figure) *figureDoc {
		if f == nil {
			return nil
		}
		doc := &figureDoc{Value: json.Number(f.Value.String()), Computed: f.Computed}
		if fund := funds[f.From]; fund != nil {
			doc.From = fund.FundName()
		}
		return doc
	}
	doc := overviewDoc{
		Budget: fig(o.Budget), Income: fig(o.Income), Expenditure: fig(o.Expenditure),
		Basic: fig(o.Basic), Project: fig(o.Project),
		ExecutionRateStated: percentOf(o.StatedRate),
	}
	if rate, ok := o.ExecutionRate(); ok {
		doc.ExecutionRateComputed = json.Number(rate.String())
	}
	return doc
}

func fundOf(f *model.Fund) *fundDoc {
	if f == nil {
		return nil
	}
	doc := &fundDoc{
		Source: string(f.Source), Label: f.Label,
		InitialBudget: amountOf(f.InitialBudget), Adjustment: amountOf(f.Adjustment),
		Budget: amountOf(f.Budget), Income: amountOf(f.Income),
		Expenditure: amountOf(f.Expenditure), CarryOver: amountOf(f.CarryOver),
		ExecutionRate: percentOf(f.ExecutionRate),
		Basic:         nodeOf(f.Basic), Project: nodeOf(f.Project),
		Note: f.Note,
	}
	if p := f.Plan; p != nil {
		doc.Plan = &planDoc{Total: amountOf(p.Total), Basic: nodeOf(p.Basic), Project: nodeOf(p.Project)}
	}
	return doc
}

func nodeOf(n *model.Node) *nodeDoc {
	if n == nil {
		return nil
	}
	return &nodeDoc{
		Name: n.Name, Code: n.Code,
		Amount: amountOf(n.Amount), Budget: amountOf(n.Budget),
		ExecutionRate: percentOf(n.ExecutionRate), Note: n.Note,
		Prior: amountOf(n.Prior), Change: deltaOf(n.Change), ChangeRate: deltaOf(n.ChangeRate),
		Share: percentOf(n.Share), Reason: n.Reason,
		Items: nodesOf(n.Items), OfWhich: nodesOf(n.OfWhich),
		Partial: n.Partial,
	}
}

func nodesOf(ns []*model.Node) []*nodeDoc {
	var out []*nodeDoc
	for _, n := range ns {
		out = append(out, nodeOf(n))
	}
	return out
}

func budgetActualOf(b *model.BudgetActual) *budgetActualDoc {
	if b == nil {
		return nil
	}
	return &budgetActualDoc{
		Budget: amountOf(b.Budget), Actual: amountOf(b.Actual), Rate: percentOf(b.Rate),
		Prior: amountOf(b.Prior), Change: deltaOf(b.Change), ChangeRate: deltaOf(b.ChangeRate),
		Share: percentOf(b.Share), Reason: b.Reason,
	}
}

func threeCountsOf(c *model.ThreeCounts) *threeCountsDoc {
	if c == nil {
		return nil
	}
	return &threeCountsDoc{
		OutboundGroups: c.OutboundGroups, OutboundPersons: c.OutboundPersons,
		VehiclesBought: c.VehiclesBought, VehiclesHeld: c.VehiclesHeld,
		VehiclesByType:   countsOf(c.VehiclesByType),
		ReceptionBatches: c.ReceptionBatches, ReceptionPersons: c.ReceptionPersons,
		ForeignReceptions: c.ForeignReceptions,
	}
}

func countsOf(cs []*model.Count) []countDoc {
	var out []countDoc
	for _, c := range cs {
		out = append(out, countDoc{Name: c.Name, Count: c.Count})
	}
	return out
}

func accountsOf(a *model.Accounts) *accountsDoc {
	if a == nil {
		return nil
	}
	doc := &accountsDoc{
		Income: nodeOf(a.Income), Expenditure: nodeOf(a.Expenditure),
		Fiscal: nodeOf(a.Fiscal), Functional: nodeOf(a.Functional),
		Economic: nodeOf(a.Economic), Operating: nodeOf(a.Operating),
		Note: a.Note,
	}
	if p := a.Procurement; p != nil {
		doc.Procurement = &procurementDoc{Total: nodeOf(p.Total), SME: amountOf(p.SME), SMEShare: percentOf(p.SMEShare), Note: p.Note}
	}
	if s := a.Assets; s != nil {
		ad := &assetsDoc{Vehicles: s.Vehicles, ByType: countsOf(s.ByType), Note: s.Note}
		for _, it := range s.Items {
			ad.Items = append(ad.Items, assetRowDoc{Name: it.Name, Count: it.Count, Amount: amountOf(it.Amount)})
		}
		doc.Assets = ad
	}
	return doc
}

func projectEvalOf(p *model.ProjectEval) *projectEvalDoc {
	if p == nil {
		return nil
	}
	doc := &projectEvalDoc{Name: p.Name, Authority: p.Authority, Implementer: p.Implementer}
	for _, f := range p.Funds {
		doc.Funds = append(doc.Funds, evalFundDoc{
			Name:          f.Name,
			InitialBudget: amountOf(f.InitialBudget), Budget: amountOf(f.Budget), Actual: amountOf(f.Actual),
			Weight: numberOf(f.Weight), Rate: percentOf(f.Rate), Score: numberOf(f.Score),
		})
	}
	for _, g := range p.Goals {
		doc.Goals = append(doc.Goals, evalGoalDoc{Expected: g.Expected, Actual: g.Actual})
	}
	for _, x := range p.Extra {
		doc.Extra = append(doc.Extra, namedTextDoc{Name: x.Name, Text: x.Text})
	}
	return doc
}

func indicatorsOf(is []*model.Indicator, level int) []*indicatorDoc {
	var out []*indicatorDoc
	for _, in := range is {
		out = append(out, &indicatorDoc{
			Name: in.Name, Level: level,
			Weight: numberOf(in.Weight), Score: numberOf(in.Score),
			Target: measureOf(in.Target), Actual: measureOf(in.Actual),
			Deviation: in.Deviation,
			Nature:    in.Nature, Unit: in.Unit,
			Adjusted: measureOf(in.Adjusted), Factor: numberOf(in.Factor),
			Core:  in.Core,
			Items: indicatorsOf(in.Items, level+1),
		})
	}
	return out
}

func measureOf(m *model.Measure) *measureDoc {
	if m == nil {
		return nil
	}
	doc := &measureDoc{Text: m.Text, Op: m.Op, Unit: m.Unit}
	if m.Value != nil {
		doc.Value = json.Number(m.Value.String())
	}
	return doc
}

func amountOf(a *model.Amount) *amountDoc {
	if a == nil {
		return nil
	}
	return &amountDoc{
		Value:     json.Number(a.Value.String()),
		Published: publishedText(a),
		Unit:      publishedUnit(a),
		Erratum:   erratumOf(a.Erratum),
	}
}

// deltaOf keeps a stated change as published; its value is signed.
func deltaOf(d *model.Delta) *deltaDoc {
	if d == nil {
		return nil
	}
	return &deltaDoc{Text: d.Text, Value: json.Number(d.Value.String()), Percent: d.Percent, Unit: string(d.Unit)}
}

func erratumOf(e *model.Erratum) *erratumDoc {
	if e == nil {
		return nil
	}
	return &erratumDoc{Published: e.Published, Corrected: e.Corrected, Reason: e.Reason, Location: e.Location}
}

func numberOf(n *model.Number) json.Number {
	if n == nil {
		return ""
	}
	return json.Number(n.Value.String())
}

func percentOf(p *model.Percent) json.Number {
	if p == nil {
		return ""
	}
	return json.Number(p.Value.String())
}

func dateOf(d *model.Date) string {
	if d == nil {
		return ""
	}
	return d.ISO()
}

// tableDoc is a standard table of a 决算 or 预算, its cells exactly as
// printed ("" for a blank cell), in unit.
type tableDoc struct {
	Number  string        `json:"number,omitempty"`
	Name    string        `json:"name"`
	Unit    string        `json:"unit"`
	Columns []string      `json:"columns"`
	Rows    []tableRowDoc `json:"rows,omitempty"`
	Partial bool          `json:"partial,omitempty"`
	Note    string        `json:"note,omitempty"`
}

type tableRowDoc struct {
	Code  string   `json:"code,omitempty"`
	Name  string   `json:"name"`
	Cells []string `json:"cells"`
}
