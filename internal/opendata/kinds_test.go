package opendata

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/seedset"
)

// Helpers that build figures as a content file states them.

func pubAmount(t *testing.T, s string) *model.Amount {
	t.Helper()
	v, u, err := model.ParseMoney(s)
	if err != nil {
		t.Fatalf("ParseMoney(%q): %v", s, err)
	}
	return &model.Amount{Value: v, Published: s, Unit: u}
}

func pubDelta(t *testing.T, s string) *model.Delta {
	t.Helper()
	d, err := model.ParseDelta(s)
	if err != nil {
		t.Fatalf("ParseDelta(%q): %v", s, err)
	}
	return &d
}

func pubPercent(s string) *model.Percent { return &model.Percent{Value: model.MustDecimal(s)} }

func pubNumber(s string) *model.Number { return &model.Number{Value: model.MustDecimal(s)} }

func intPtr(n int) *int { return &n }

// kindsDepartment holds one report of each kind that is not a
// self-evaluation, the way the loader gives them.
func kindsDepartment(t *testing.T) *model.Department {
	t.Helper()
	a := func(s string) *model.Amount { return pubAmount(t, s) }
	d := &model.Department{ID: "kinds", Name: "某某县司法局", Level: "县级", Region: []string{"四川省", "遂宁市", "大英县"}}

	final := &model.Report{
		Department: d, Year: 2023, ID: "juesuan", Kind: model.KindFinalAccounts,
		Title: "某某县司法局2023年度部门决算", Issuer: "某某县司法局", Unit: "万元",
		Approved: &model.Date{Year: 2024, Month: 8, Day: 20},
		Accounts: &model.Accounts{
			Income: &model.Node{Name: "本年收入合计", Amount: a("1,234.56"), Prior: a("1100.1"),
				Change: pubDelta(t, "增加134.46万元"), ChangeRate: pubDelta(t, "增长12.22%"),
				Reason: "人员增加",
				Items: []*model.Node{
					{Name: "财政拨款收入", Amount: a("1200.00"), Share: pubPercent("97.20")},
					{Name: "其他收入", Amount: a("34.56"), Share: pubPercent("2.80")},
				}},
			Functional: &model.Node{Amount: a("800.5"), Prior: a("900"), Change: pubDelta(t, "减少99.5万元"),
				Items: []*model.Node{{Name: "社会保障和就业支出", Code: "208", Amount: a("300.5"), Share: pubPercent("37.54"),
					Items: []*model.Node{{Name: "行政事业单位养老支出", Code: "20805", Amount: a("300.5"),
						Items: []*model.Node{{Name: "机关事业单位基本养老保险缴费支出", Code: "2080505", Amount: a("300.5"), Budget: a("310"), Prior: a("280.25")}}}}},
					{Name: "公共安全支出", Code: "204", Amount: a("500"), Partial: true},
				}},
			Economic: &model.Node{Amount: a("600"), Items: []*model.Node{{Name: "工资福利支出", Code: "301", Amount: a("600")}}},
			Procurement: &model.Procurement{
				Total: &model.Node{Amount: a("88.8"), Items: []*model.Node{{Name: "货物", Amount: a("88.8")}}},
				SME:   a("79.2"), SMEShare: pubPercent("89.19"),
			},
			Assets: &model.Assets{Vehicles: intPtr(3), ByType: []*model.Count{{Name: "执法执勤用车", Count: 3}},
				Items: []*model.AssetRow{{Name: "单位价值100万元以上大型设备", Count: intPtr(1), Amount: a("120")}}},
		},
		Chapters: []*model.Chapter{{Title: "部门主要职责", Text: "负责全县司法行政工作。"}},
	}

	three := &model.Report{
		Department: d, Year: 2023, ID: "sangong", Kind: model.KindThreePublic,
		Title: "某某县司法局2023年度“三公”经费决算情况说明", Unit: "元",
		ThreePublic: &model.ThreePublic{
			Total:           &model.BudgetActual{Budget: a("100,000.00元"), Actual: a("62,500.00元"), Rate: pubPercent("62.5")},
			VehiclePurchase: &model.BudgetActual{Actual: a("0")},
			Vehicles:        &model.BudgetActual{Actual: a("36,414.42元")},
			Reception: &model.BudgetActual{Actual: a("26,085.58元"), Prior: a("45,073.00元"),
				Change: pubDelta(t, "减少18,987.42元"), ChangeRate: pubDelta(t, "下降42.13%"),
				Share: pubPercent("41.74"), Reason: "厉行节约"},
			Counts: &model.ThreeCounts{ReceptionBatches: intPtr(12), ReceptionPersons: intPtr(96), VehiclesHeld: intPtr(3),
				VehiclesByType: []*model.Count{{Name: "执法执勤用车", Count: 3}}},
		},
	}

	eval := &model.Report{
		Department: d, Year: 2023, ID: "xm-gongzi", Kind: model.KindProjectEval,
		Title: "项目支出绩效自评表（工资保障）",
		Score: &model.Score{Total: pubNumber("95"), Partial: true, Parts: []*model.ScorePart{
			{Name: "预算执行", Weight: pubNumber("10"), Score: pubNumber("10")},
			{Name: "产出指标", Weight: pubNumber("50")},
		}},
		ProjectEval: &model.ProjectEval{
			Name: "在职人员工资保障", Authority: "某某县司法局", Implementer: "某某县司法局",
			Funds: []*model.EvalFund{
				{Name: "年度资金总额", InitialBudget: a("500"), Budget: a("520.3"), Actual: a("518.7561"),
					Weight: pubNumber("10"), Rate: pubPercent("99.70"), Score: pubNumber("9.97")},
				{Name: "当年财政拨款", InitialBudget: a("500"), Budget: a("500"), Actual: a("498.7561")},
				{Name: "上年结转资金", Budget: a("20.3"), Actual: a("20")},
			},
			Goals: []*model.EvalGoal{{Expected: "按时足额发放工资", Actual: "已按时足额发放"}},
			Extra: []*model.NamedText{{Name: "项目负责人", Text: "张三"}},
		},
		Indicators: []*model.Indicator{{Name: "产出指标", Items: []*model.Indicator{{Name: "数量指标", Items: []*model.Indicator{{
			Name: "保障人数", Weight: pubNumber("20"), Nature: "正向指标", Unit: "人",
			Target:   &model.Measure{Text: "≥45人", Op: "≥", Value: &pubNumber("45").Value, Unit: "人"},
			Adjusted: &model.Measure{Text: "≥46人", Op: "≥", Value: &pubNumber("46").Value, Unit: "人"},
			Actual:   &model.Measure{Text: "47人", Value: &pubNumber("47").Value, Unit: "人"},
			Factor:   pubNumber("1"), Core: true,
		}}}}}},
	}
	d.Reports = []*model.Report{final, three, eval}
	return d
}

// A report of each kind carries its kind, key and figures exactly as
// published into JSON, the CSV and the workbook, and the long table still
// has every amount once.
func TestDocumentKinds(t *testing.T) {
	d := kindsDepartment(t)
	type csvWant struct {
		scope, path, measure   string // the row
		value, published, unit string
		code                   string
	}
	tests := []struct {
		name   string
		report *model.Report
		json   []string // lines of the indented JSON, trimmed
		csv    []csvWant
	}{
		{
			name:   "部门决算",
			report: d.Reports[0],
			json: []string{
				`"kind": "部门决算",`, `"key": "2023-juesuan",`,
				`"issuer": "某某县司法局",`, `"unit_stated": "万元",`, `"approved": "2024-08-20",`,
				`"text": "增加134.46万元",`, `"text": "增长12.22%",`, `"percent": true,`, `"unit": "万元"`,
				`"value": 12.22`, `"value": 134.46,`, `"value": -99.5,`,
				`"reason": "人员增加",`, `"share": 97.20,`, `"partial": true`,
				`"code": "2080505",`, `"sme_share": 89.19,`, `"vehicles": 3,`,
				`"title": "部门主要职责",`, `"text": "负责全县司法行政工作。"`,
			},
			csv: []csvWant{
				{"收入", "本年收入合计", "决算数", "1234.56", "1,234.56", "", ""},
				{"收入", "本年收入合计", "上年数", "1100.1", "", "", ""},
				{"收入", "本年收入合计/财政拨款收入", "决算数", "1200.00", "", "", ""},
				{"功能分类", "一般公共预算财政拨款支出", "上年数", "900", "", "", ""},
				{"功能分类", "一般公共预算财政拨款支出/社会保障和就业支出/行政事业单位养老支出/机关事业单位基本养老保险缴费支出", "预算", "310", "", "", "2080505"},
				{"功能分类", "一般公共预算财政拨款支出/社会保障和就业支出/行政事业单位养老支出/机关事业单位基本养老保险缴费支出", "上年数", "280.25", "", "", "2080505"},
				{"经济分类", "一般公共预算财政拨款基本支出/工资福利支出", "决算数", "600", "", "", "301"},
				{"政府采购", "政府采购支出总额", "授予中小企业合同金额", "79.2", "", "", ""},
				{"国有资产", "国有资产/单位价值100万元以上大型设备", "金额", "120", "", "", ""},
			},
		},
		{
			name:   "三公经费",
			report: d.Reports[1],
			json: []string{
				`"kind": "三公经费",`, `"key": "2023-sangong",`, `"unit_stated": "元",`,
				`"published": "26,085.58元",`, `"published": "45,073.00元",`, `"unit": "元"`,
				`"value": 2.608558,`, `"text": "减少18,987.42元",`, `"value": -1.898742,`,
				`"text": "下降42.13%",`, `"value": -42.13,`, `"share": 41.74,`, `"rate": 62.5,`,
				`"reason": "厉行节约"`, `"reception_batches": 12,`, `"vehicles_held": 3,`,
				`"vehicles": {`, `"published": "36,414.42元",`,
			},
			csv: []csvWant{
				{"三公经费", "三公经费/公务接待费", "支出", "2.608558", "26,085.58元", "元", ""},
				{"三公经费", "三公经费/公务接待费", "上年数", "4.507300", "45,073.00元", "元", ""},
				{"三公经费", "三公经费", "预算", "10.000000", "100,000.00元", "元", ""},
				{"三公经费", "三公经费/公务用车购置及运行维护费", "支出", "3.641442", "36,414.42元", "元", ""},
				{"三公经费", "三公经费/公务用车购置及运行维护费/公务用车购置费", "支出", "0", "", "", ""},
			},
		},
		{
			name:   "项目支出绩效自评",
			report: d.Reports[2],
			json: []string{
				`"kind": "项目支出绩效自评",`, `"key": "2023-xm-gongzi",`,
				`"name": "在职人员工资保障",`, `"implementer": "某某县司法局",`,
				`"name": "年度资金总额",`, `"initial_budget": {`, `"value": 518.7561`, `"rate": 99.70,`, `"score": 9.97`,
				`"expected": "按时足额发放工资",`, `"name": "项目负责人",`,
				`"nature": "正向指标",`, `"unit": "人",`, `"text": "≥46人",`, `"factor": 1,`, `"core": true`,
				`"partial": true`,
			},
			csv: []csvWant{
				{"项目资金", "年度资金总额", "年初预算", "500", "", "", ""},
				{"项目资金", "年度资金总额", "全年预算", "520.3", "", "", ""},
				{"项目资金", "年度资金总额", "全年执行", "518.7561", "", "", ""},
				{"项目资金", "年度资金总额/上年结转资金", "全年执行", "20", "", "", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.report
			checkEveryAmountOnce(t, r)
			checkJSONRoundTrip(t, r)

			j, err := ReportJSON(r)
			if err != nil {
				t.Fatal(err)
			}
			// Lines are compared without the comma that depends on what
			// follows them.
			lines := map[string]bool{}
			for _, l := range strings.Split(string(j), "\n") {
				lines[strings.TrimSuffix(strings.TrimSpace(l), ",")] = true
			}
			for _, want := range tt.json {
				if !lines[strings.TrimSuffix(want, ",")] {
					t.Errorf("JSON has no line %s", want)
				}
			}

			b, err := ReportCSV(r)
			if err != nil {
				t.Fatal(err)
			}
			recs := readCSV(t, b)
			col := columnIndex
			for _, rec := range recs[1:] {
				if rec[col("文件种类")] != string(r.DocKind()) || rec[col("文件")] != r.Key() {
					t.Errorf("row %v: 文件种类 %q 文件 %q, want %q %q", rec, rec[col("文件种类")], rec[col("文件")], r.DocKind(), r.Key())
				}
			}
			for _, w := range tt.csv {
				var found []string
				for _, rec := range recs[1:] {
					if rec[col("口径")] == w.scope && rec[col("类别路径")] == w.path && rec[col("数据项")] == w.measure {
						found = rec
					}
				}
				if found == nil {
					t.Errorf("no CSV row %s|%s|%s", w.scope, w.path, w.measure)
					continue
				}
				got := csvWant{w.scope, w.path, w.measure, found[col("数值（万元）")], found[col("原文写法")], found[col("原文单位")], found[col("科目编码")]}
				if got != w {
					t.Errorf("CSV row\n got %+v\nwant %+v", got, w)
				}
			}
		})
	}
}

// Each kind's sheet is in the workbook, with what the source says beside
// the figures, and the summary tells the documents apart.
func TestXLSXDocumentKinds(t *testing.T) {
	d := kindsDepartment(t)
	site := &model.Site{Departments: []*model.Department{d}}
	b, err := AllXLSX(site)
	if err != nil {
		t.Fatal(err)
	}
	checkParts(t, b)
	f := openWorkbook(t, b)
	if got, want := f.GetSheetList(), []string{"汇总", "明细", "绩效指标", "项目", "决算收支", "三公经费", "项目自评", "说明"}; !equal(got, want) {
		t.Fatalf("sheets = %v, want %v", got, want)
	}
	rows, err := f.GetRows("明细")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range d.Reports {
		n += len(r.Amounts())
	}
	if len(rows) != n+1 {
		t.Errorf("明细 has %d rows, want header + %d", len(rows), n)
	}
	for _, tt := range []struct {
		sheet, key, column, want string
	}{
		{"汇总", "2023-juesuan", "文件种类", "部门决算"},
		{"汇总", "2023-sangong", "文件种类", "三公经费"},
		{"汇总", "2023-xm-gongzi", "文件种类", "项目支出绩效自评"},
		{"决算收支", "本年收入合计", "增减额·原文", "增加134.46万元"},
		{"决算收支", "本年收入合计", "增减率·原文", "增长12.22%"},
		{"决算收支", "本年收入合计", "原因", "人员增加"},
		{"决算收支", "本年收入合计", "文件", "2023-juesuan"},
		{"决算收支", "本年收入合计/财政拨款收入", "占比·原文（%）", "97.20"},
		{"决算收支", "一般公共预算财政拨款支出/社会保障和就业支出/行政事业单位养老支出", "科目编码", "20805"},
		{"决算收支", "政府采购支出总额/授予中小企业合同金额", "占比·原文（%）", "89.19"},
		{"三公经费", "公务接待费", "支出（万元）", "2.608558"},
		{"三公经费", "公务接待费", "增减额·原文", "减少18,987.42元"},
		{"三公经费", "公务接待费", "增减率·原文", "下降42.13%"},
		{"三公经费", "公务接待费", "团组或批次", "12"},
		{"三公经费", "公务用车运行维护费", "车辆按用途", "执法执勤用车3辆"},
		{"项目自评", "当年财政拨款", "全年执行（万元）", "498.7561"},
		{"项目自评", "年度资金总额", "执行率·原文（%）", "99.70"},
		{"绩效指标", "保障人数", "调整后指标值", "≥46人"},
		{"绩效指标", "保障人数", "核心指标", "是"},
		{"绩效指标", "保障人数", "文件", "2023-xm-gongzi"},
	} {
		ref := findCell(t, f, tt.sheet, tt.key, tt.column)
		if ref == "" {
			t.Errorf("%s: no row %s", tt.sheet, tt.key)
			continue
		}
		got, err := f.GetCellValue(tt.sheet, ref, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if got != tt.want {
			t.Errorf("%s!%s (%s, %s) = %q, want %q", tt.sheet, ref, tt.key, tt.column, got, tt.want)
		}
	}
}

// A part of a score or an indicator the form leaves blank is left out of
// the JSON, not written as 0.
func TestJSONBlankScore(t *testing.T) {
	r := kindsDepartment(t).Reports[2]
	b, err := ReportJSON(r)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Score struct {
			Parts []map[string]json.RawMessage
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Score.Parts) != 2 {
		t.Fatalf("parts = %v", doc.Score.Parts)
	}
	if _, ok := doc.Score.Parts[1]["score"]; ok {
		t.Errorf("blank part score written: %s", doc.Score.Parts[1]["score"])
	}
	if bytes.Contains(b, []byte(`"score": 0`)) {
		t.Error("a blank score is written as 0")
	}
}

// Every report of the content tree, whatever its kind, keeps the long
// table's and the JSON's properties. Departments whose files do not load
// (content being written) are skipped: the checker reports those.
func TestContentReports(t *testing.T) {
	fsys := os.DirFS("../../content")
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		dept, ds := content.LoadDepartment(fsys, "content", e.Name())
		broken := dept == nil
		for _, x := range ds {
			broken = broken || x.Severity == diag.Error
		}
		if broken {
			t.Logf("%s: skipped, does not load", e.Name())
			continue
		}
		for _, r := range dept.Reports {
			n++
			t.Run(dept.ID+"/"+r.Key(), func(t *testing.T) {
				checkEveryAmountOnce(t, r)
				checkJSONRoundTrip(t, r)
			})
		}
	}
	if n < len(seedset.IDs) {
		t.Errorf("only %d reports load", n)
	}
}
