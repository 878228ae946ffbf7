package charts

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/model"
	"disclose/internal/seedset"
)

var update = flag.Bool("update", false, "rewrite golden files")

// load reads a content tree and fails on any error: the charts are only
// ever drawn from checked content.
func load(t *testing.T, fsys fs.FS) *model.Site {
	t.Helper()
	site, ds := content.Load(fsys, "content")
	for _, d := range ds {
		if d.Severity.String() == "error" {
			t.Fatalf("loading content: %s [%v] %v", d.Location(), d.Rule, d.Args)
		}
	}
	return site
}

// shipped is all of content/: the five seeds and every real document added
// since. Tests of properties that every chart must have use it.
func shipped(t *testing.T) *model.Site { return load(t, os.DirFS("../../content")) }

// seeds is content/ restricted to the seed departments, in content order.
// It fails when one of them is missing, so that a test of the seeds cannot
// pass on fewer of them.
func seeds(t *testing.T) *model.Site {
	t.Helper()
	site := shipped(t)
	out := *site
	out.Departments = nil
	for _, d := range site.Departments {
		if slices.Contains(seedset.IDs, d.ID) {
			out.Departments = append(out.Departments, d)
		}
	}
	if len(out.Departments) != len(seedset.IDs) {
		t.Fatalf("content/ holds %d of the %d seed departments", len(out.Departments), len(seedset.IDs))
	}
	return &out
}

// compared is what the site compares side by side in a year: the
// self-evaluation reports of that year, in the order given (see
// internal/site: a 决算's totals or a project form's funds are not like for
// like with a self-evaluation's).
func compared(rs []*model.Report, year int) []*model.Report {
	var out []*model.Report
	for _, r := range rs {
		if r.Year == year && r.DocKind() == model.KindSelfEval {
			out = append(out, r)
		}
	}
	return out
}

// years are the years of the reports, in order.
func years(rs []*model.Report) []int {
	var out []int
	for _, r := range rs {
		if !slices.Contains(out, r.Year) {
			out = append(out, r.Year)
		}
	}
	slices.Sort(out)
	return out
}

func allReports(s *model.Site) []*model.Report {
	var out []*model.Report
	for _, d := range s.Departments {
		out = append(out, d.Reports...)
	}
	return out
}

// golden compares the charts with testdata/<name>, printed as indented JSON
// so that a change to one option reads as a small diff.
func golden(t *testing.T, name string, cs []Chart) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(cs); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the golden file (go test ./internal/charts -update, then review the diff)", name)
	}
}

func ids(cs []Chart) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.ID)
	}
	return strings.Join(s, " ")
}

// The charts of each seed report. The IDs pin down which charts the five
// very different reports get; the golden files pin down the rest.
func TestForReportSeed(t *testing.T) {
	want := map[string]string{
		"hubei-jingmen-minzheng":          "basic-project funds",
		"hunan-shaoyang-daxiang-minzheng": "basic-project projects",
		"hunan-xiangtan-minzheng":         "spending categories basic-project economic three-public projects score",
		"hunan-yueyang-yunxi-minzheng":    "spending categories basic-project economic project-categories funds",
		"hunan-zhuzhou-lusong-minzheng":   "spending categories basic-project economic project-categories funds",
	}
	site := seeds(t)
	if len(site.Departments) != len(want) {
		t.Fatalf("%d departments, want %d", len(site.Departments), len(want))
	}
	for _, d := range site.Departments {
		if _, ok := want[d.ID]; !ok {
			t.Errorf("%s: no expected charts", d.ID)
		}
		if len(d.Reports) != 1 {
			t.Errorf("%s has %d reports, want its one self-evaluation report", d.ID, len(d.Reports))
		}
		for _, r := range d.Reports {
			name := fmt.Sprintf("report-%s-%s.json", d.ID, r.Key())
			t.Run(name, func(t *testing.T) {
				cs := ForReport(r)
				if got := ids(cs); got != want[d.ID] {
					t.Errorf("charts %q, want %q", got, want[d.ID])
				}
				checkCharts(t, cs)
				golden(t, name, cs)
			})
		}
	}
}

// A report with the figures none of the seed reports has: score parts,
// indicator weights and targets, a budget against expenditure per fund.
func TestForReportExample(t *testing.T) {
	r := load(t, os.DirFS("testdata/example")).Departments[0].Reports[0]
	cs := ForReport(r)
	if got, want := ids(cs), "spending categories basic-project economic project-categories three-public projects score indicators indicator-results"; got != want {
		t.Errorf("charts %q, want %q", got, want)
	}
	checkCharts(t, cs)
	golden(t, "report-example.json", cs)
	for _, c := range cs {
		if c.ID == "indicator-results" {
			// 3633 ≥ 3000 and >90% ≥ 90% and 90% ≥ 90% are met; 98 ≠ 100
			// and 6% > 5% are not; 应保尽保, 不断兜牢 and 95人 against ≥90%
			// cannot be compared.
			want := [][]string{{"产出指标", "2", "1", "1"}, {"效益指标", "0", "1", "1"}, {"满意度指标", "1", "0", "1"}}
			if fmt.Sprint(c.Table.Rows) != fmt.Sprint(want) {
				t.Errorf("indicator results %v, want %v", c.Table.Rows, want)
			}
		}
	}
}

// The comparisons of the seeds' years, pinned by golden files. ForYear is
// fed what the site compares: the self-evaluation reports of the year.
func TestForYearSeed(t *testing.T) {
	rs := allReports(seeds(t))
	for _, tt := range []struct {
		year int
		want string
	}{
		{2022, "compare-totals compare-shares"},
		{2023, "compare-totals"},
		{2024, ""}, // one department: nothing to compare
		{2030, ""},
	} {
		t.Run(strconv.Itoa(tt.year), func(t *testing.T) {
			cs := ForYear(tt.year, compared(rs, tt.year))
			if got := ids(cs); got != tt.want {
				t.Errorf("charts %q, want %q", got, tt.want)
			}
			checkCharts(t, cs)
			if len(cs) > 0 {
				golden(t, fmt.Sprintf("year-%d.json", tt.year), cs)
			}
		})
	}
}

func TestForCategorySeed(t *testing.T) {
	rs := allReports(seeds(t))
	for _, tt := range []struct {
		name, want, golden string
	}{
		{"人员经费", "category-amount category-share", "category-personnel.json"}, // 湘潭市 2024 and 芦淞区 2022
		{"社会救助支出", "", ""}, // only 云溪区
		{"不存在的类别", "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cs := ForCategory(tt.name, rs)
			if got := ids(cs); got != tt.want {
				t.Errorf("charts %q, want %q", got, tt.want)
			}
			checkCharts(t, cs)
			if len(cs) > 0 {
				golden(t, tt.golden, cs)
			}
		})
	}
}

func TestForDepartment(t *testing.T) {
	d := load(t, os.DirFS("testdata/history")).Departments[0]
	cs := ForDepartment(d)
	if got, want := ids(cs), "history-totals history-basic-project history-rate history-three-public history-score"; got != want {
		t.Errorf("charts %q, want %q", got, want)
	}
	checkCharts(t, cs)
	golden(t, "department-history.json", cs)

	// 2022 has no totals: its figures are the sums over its two funds, and
	// the summary and table say so.
	if !strings.Contains(cs[0].Summary, "2022年预算4,550万元*（各资金来源相加）") {
		t.Errorf("summary does not mark the summed figure: %s", cs[0].Summary)
	}

	// Reports in any order come out oldest first.
	rev := *d
	rev.Reports = []*model.Report{d.Reports[2], d.Reports[0], d.Reports[1]}
	if got := ForDepartment(&rev); !bytes.Equal(got[0].Option, cs[0].Option) {
		t.Error("ForDepartment depends on the order of the reports")
	}
	// A department of content/ gets a history only when it has two
	// self-evaluation reports or more; its other documents do not count.
	for _, s := range shipped(t).Departments {
		evals := 0
		for _, r := range s.Reports {
			if r.DocKind() == model.KindSelfEval {
				evals++
			}
		}
		cs := ForDepartment(s)
		switch {
		case evals < 2 && cs != nil:
			t.Errorf("%s has %d self-evaluation reports but got charts %s", s.ID, evals, ids(cs))
		case evals >= 2 && cs == nil:
			t.Errorf("%s has %d self-evaluation reports but got no history", s.ID, evals)
		}
		checkCharts(t, cs)
	}
	if ForDepartment(nil) != nil || ForReport(nil) != nil {
		t.Error("nil input should give no charts")
	}
}

// Every chart the package can produce, for the property tests below.
func everyChart(t *testing.T) map[string][]Chart {
	site := shipped(t)
	rs := allReports(site)
	out := map[string][]Chart{}
	for _, d := range site.Departments {
		for _, r := range d.Reports {
			out[fmt.Sprintf("report %s %s", d.ID, r.Key())] = ForReport(r)
		}
	}
	out["report example"] = ForReport(load(t, os.DirFS("testdata/example")).Departments[0].Reports[0])
	out["department history"] = ForDepartment(load(t, os.DirFS("testdata/history")).Departments[0])
	for _, y := range years(rs) {
		out[fmt.Sprintf("year %d", y)] = ForYear(y, compared(rs, y))
	}
	out["category 人员经费"] = ForCategory("人员经费", rs)
	return out
}

// subsequence reports whether sub is seq with some elements left out.
func subsequence(sub, seq []string) bool {
	i := 0
	for _, s := range seq {
		if i < len(sub) && sub[i] == s {
			i++
		}
	}
	return i == len(sub)
}

// Every report of content/, whatever its kind, gets charts that satisfy
// checkCharts, and the charts of its kind: a “三公” statement its
// three-public chart, a 决算 or 预算 with accounts its accounts charts,
// and no other kind any accounts chart.
func TestForReportContent(t *testing.T) {
	site := shipped(t)
	kinds := map[model.DocKind]int{}
	for _, d := range site.Departments {
		for _, r := range d.Reports {
			kinds[r.DocKind()]++
			t.Run(d.ID+"/"+r.Key(), func(t *testing.T) {
				cs := ForReport(r)
				checkCharts(t, cs)
				got := ids(cs)
				accounts := strings.Contains(got, "accounts-")
				switch k := r.DocKind(); {
				case k == model.KindThreePublic && r.ThreePublic != nil:
					if !slices.Contains(strings.Fields(got), "three-public") {
						t.Errorf("%s: charts %q, want three-public", k, got)
					}
				case k == model.KindFinalAccounts || k == model.KindBudget:
					if r.Accounts != nil && (r.Accounts.Income != nil || r.Accounts.Expenditure != nil) && !accounts {
						t.Errorf("%s: charts %q, want accounts charts", k, got)
					}
				}
				if accounts && r.DocKind() != model.KindFinalAccounts && r.DocKind() != model.KindBudget {
					t.Errorf("%s: charts %q: accounts charts on a report that is no 决算 or 预算", r.DocKind(), got)
				}
			})
		}
	}
	// content/ holds documents of the new kinds; without them this test
	// would check only the seeds again.
	for _, k := range []model.DocKind{model.KindSelfEval, model.KindThreePublic, model.KindFinalAccounts, model.KindProjectEval} {
		if kinds[k] == 0 {
			t.Errorf("content/ has no report of kind %s", k)
		}
	}
}

// ForYear over what the site compares, for every year of content/: the
// rows of each chart are self-evaluation reports of the year, in the order
// given (a chart leaves out a report that states none of its figures), and
// no document of another kind has one.
func TestForYearContent(t *testing.T) {
	rs := allReports(shipped(t))
	drawn := 0
	for _, y := range years(rs) {
		in := compared(rs, y)
		cs := ForYear(y, in)
		checkCharts(t, cs)
		if len(in) < 2 {
			if cs != nil {
				t.Errorf("%d: %d reports compared, but charts %s", y, len(in), ids(cs))
			}
			continue
		}
		if len(cs) == 0 {
			t.Errorf("%d: %d self-evaluation reports, but no charts", y, len(in))
			continue
		}
		drawn++
		var want []string
		for _, r := range in {
			want = append(want, deptName(r))
		}
		for _, c := range cs {
			var got []string
			for _, row := range c.Table.Rows {
				got = append(got, row[0])
			}
			if !subsequence(got, want) {
				t.Errorf("%d %s: rows %v, want some of the self-evaluation reports %v in that order", y, c.ID, got, want)
			}
		}
	}
	if drawn == 0 {
		t.Error("no year of content/ has a comparison")
	}
}

// The same input gives byte-identical options: no random IDs, no map order.
func TestDeterministic(t *testing.T) {
	a, b := everyChart(t), everyChart(t)
	for k, cs := range a {
		for i, c := range cs {
			d := b[k][i]
			if !bytes.Equal(c.Option, d.Option) || !bytes.Equal(c.WithTitle(), d.WithTitle()) {
				t.Errorf("%s %s: two runs differ", k, c.ID)
			}
		}
	}
}

// checkCharts asserts what every chart must satisfy.
func checkCharts(t *testing.T, cs []Chart) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range cs {
		if seen[c.ID] {
			t.Errorf("duplicate chart ID %s", c.ID)
		}
		seen[c.ID] = true
		if c.ID == "" || c.Title == "" || c.Summary == "" || c.Height <= 0 {
			t.Errorf("%s: empty ID, Title, Summary or Height: %+v", c.ID, c)
		}
		if !strings.HasSuffix(c.Summary, "。") || strings.Count(c.Summary, "。") != 1 {
			t.Errorf("%s: summary is not one sentence: %s", c.ID, c.Summary)
		}
		checkTable(t, c)
		opt := checkOption(t, c.ID, c.Option)
		if _, ok := opt["title"]; ok {
			t.Errorf("%s: option has a title; the page shows it as the caption", c.ID)
		}
		aria, _ := opt["aria"].(map[string]any)
		label, _ := aria["label"].(map[string]any)
		if aria["enabled"] != true || label["description"] != c.Summary {
			t.Errorf("%s: aria %v, want enabled with the summary as description", c.ID, aria)
		}
		if opt["animation"] != false {
			t.Errorf("%s: animation %v, want false", c.ID, opt["animation"])
		}
		titled := checkOption(t, c.ID+" titled", c.WithTitle())
		checkImage(t, c, titled)
		checkNumbers(t, c, opt)
	}
}

func checkTable(t *testing.T, c Chart) {
	t.Helper()
	tb := c.Table
	if tb.Caption == "" || len(tb.Head) == 0 || len(tb.Rows) == 0 || len(tb.Numeric) != len(tb.Head) {
		t.Errorf("%s: incomplete table %+v", c.ID, tb)
		return
	}
	for _, r := range tb.Rows {
		if len(r) != len(tb.Head) {
			t.Errorf("%s: row %v does not match head %v", c.ID, r, tb.Head)
		}
		for i, cell := range r {
			if tb.Numeric[i] && cell != dash {
				if _, err := model.ParseDecimal(strings.TrimSuffix(cell, "%")); err != nil {
					t.Errorf("%s: numeric cell %q: %v", c.ID, cell, err)
				}
			}
		}
	}
}

// checkOption parses an option and checks what holds for every option:
// valid JSON, no JavaScript, text of at least 14px.
func checkOption(t *testing.T, id string, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	if err := decode(raw, &m); err != nil {
		t.Fatalf("%s: option is not JSON: %v", id, err)
	}
	if bytes.Contains(raw, []byte("function")) || bytes.Contains(raw, []byte("=>")) {
		t.Errorf("%s: option contains JavaScript", id)
	}
	walk(m, func(key string, v any) {
		if key == "fontSize" {
			n, ok := v.(json.Number)
			if d, err := model.ParseDecimal(n.String()); !ok || err != nil || d.Cmp(model.MustDecimal("14")) < 0 {
				t.Errorf("%s: fontSize %v below 14", id, v)
			}
		}
	})
	return m
}

func walk(v any, f func(key string, v any)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			f(k, x)
			walk(x, f)
		}
	case []any:
		for _, x := range v {
			walk(x, f)
		}
	}
}

// checkNumbers: every value in the series data is a decimal literal (no
// exponent, no float noise) that the table prints exactly, so the picture,
// the labels and the table show the same published figures.
func checkNumbers(t *testing.T, c Chart, opt map[string]any) {
	t.Helper()
	cells := map[string]bool{}
	for _, r := range c.Table.Rows {
		for _, cell := range r {
			// The table groups digits by thousands for reading.
			cells[strings.ReplaceAll(strings.TrimSuffix(cell, "%"), ",", "")] = true
		}
	}
	series, _ := opt["series"].([]any)
	for _, s := range series {
		data, _ := s.(map[string]any)["data"].([]any)
		walk(data, func(key string, v any) {
			if key != "value" {
				return
			}
			if v == "-" {
				return
			}
			n, ok := v.(json.Number)
			if !ok {
				t.Errorf("%s: value %v is not a number", c.ID, v)
				return
			}
			if _, err := model.ParseDecimal(n.String()); err != nil {
				t.Errorf("%s: value %s is not a plain decimal: %v", c.ID, n, err)
			}
			if !cells[n.String()] {
				t.Errorf("%s: value %s is not in the table", c.ID, n)
			}
		})
	}
}

// The treemap holds every node of the spending tree with its published
// amount, and nothing else but the groupings by fund.
func TestTreemapHoldsEveryNode(t *testing.T) {
	site := shipped(t)
	for _, d := range site.Departments {
		for _, r := range d.Reports {
			var tm *Chart
			for _, c := range ForReport(r) {
				if c.ID == "categories" {
					tm = &c
				}
			}
			if tm == nil {
				continue
			}
			t.Run(d.ID, func(t *testing.T) {
				var opt struct {
					Series []struct {
						Data []*treeItem
					}
				}
				if err := decode(tm.Option, &opt); err != nil {
					t.Fatal(err)
				}
				drawn := map[string]int{} // "name=value" → count
				var count func([]*treeItem)
				count = func(its []*treeItem) {
					for _, it := range its {
						drawn[it.Name+"="+it.Value.String()]++
						count(it.Children)
					}
				}
				count(opt.Series[0].Data)
				take := func(key string) bool {
					if drawn[key] == 0 {
						return false
					}
					drawn[key]--
					return true
				}
				var check func(n *model.Node)
				check = func(n *model.Node) {
					for _, it := range n.Items {
						if it.Amount != nil && !take(it.Name+"="+it.Amount.Value.String()) {
							t.Errorf("node %s=%s missing from the treemap", it.Name, it.Amount.Value)
						}
						check(it)
					}
				}
				for _, k := range kinds {
					for _, f := range r.KindSources(k) {
						n := f.KindNode(k)
						// A kind node is named by its kind (and fund) or,
						// under a kind, by its fund.
						found := n.Amount == nil
						for _, name := range []string{model.KindTitle(k), model.KindTitle(k) + "（" + f.FundName() + "）", f.FundName()} {
							found = found || take(name+"="+n.Amount.Value.String())
						}
						if !found {
							t.Errorf("%s of %s missing from the treemap", model.KindTitle(k), f.FundName())
						}
						check(n)
					}
				}
				for key, n := range drawn {
					// Only the groupings we made may remain.
					name, _, _ := strings.Cut(key, "=")
					if n > 0 && !isFund(r, name) && name != "基本支出" && name != "项目支出" {
						t.Errorf("treemap node %s is not in the report", key)
					}
				}
			})
		}
	}
}

func isFund(r *model.Report, name string) bool {
	for _, f := range r.Funds {
		if f.FundName() == name {
			return true
		}
	}
	return false
}

// Colours that carry text or data pass WCAG AA against white (and white
// text on them, for the treemap).
func TestContrast(t *testing.T) {
	colors := append([]string{textColor, mutedColor, headerColor, colorBudget, colorIncome, colorSpent, colorOther}, palette...)
	for _, c := range colors {
		if r := contrast(c, onColor); r < 4.5 {
			t.Errorf("%s on white: contrast %.2f, want ≥ 4.5", c, r)
		}
	}
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	v, err := strconv.ParseUint(strings.TrimPrefix(hex, "#"), 16, 32)
	if err != nil {
		panic(err)
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff)
}

func TestJudge(t *testing.T) {
	tests := []struct {
		target, actual string
		want           verdict
	}{
		{"≥3000人次", "3633人次", met},
		{"≥90%", "90%", met},
		{"≥90%", "89.99%", unmet},
		{">90%", "90%", unmet},
		{"≤5%", "6%", unmet},
		{"<5%", "4.9%", met},
		{"=100人", "100人", met},
		{"=100人", "98人", unmet},
		{"≥90%", "90％", met},           // full-width percent sign
		{"≥90%", ">90%", met},          // a bound that clears the target
		{">90%", ">90%", met},          // strictly above 90 is above 90
		{">90%", "≥90%", incomparable}, // could be exactly 90
		{"≥95%", ">90%", incomparable}, // could be 91
		{"≤5%", "<5%", met},
		{"≤5%", ">1%", incomparable},
		{"100%", "100%", incomparable}, // no comparator: not ours to judge
		{"≥90%", "95人", incomparable},  // other unit
		{"应保尽保", "应保尽保", incomparable},
		{"≥90%", "", incomparable},
	}
	for _, tt := range tests {
		target, actual := model.ParseMeasure(tt.target), model.ParseMeasure(tt.actual)
		if got := judge(&target, &actual); got != tt.want {
			t.Errorf("judge(%s, %s) = %d, want %d", tt.target, tt.actual, got, tt.want)
		}
	}
	if judge(nil, nil) != incomparable {
		t.Error("judge(nil, nil)")
	}
}

// Overview leaves out a fund's figure that does not speak for the whole
// department.
func TestOverviewOfSeeds(t *testing.T) {
	got := map[string]string{}
	for _, d := range seeds(t).Departments {
		o := d.Reports[0].Overview()
		show := func(f *model.Figure) string {
			if f == nil {
				return "-"
			}
			return f.Value.String()
		}
		got[d.ID] = show(o.Budget) + " " + show(o.Expenditure)
	}
	want := map[string]string{
		"hubei-jingmen-minzheng":          "11605.29 21680.25",
		"hunan-shaoyang-daxiang-minzheng": "4702.42 -",
		"hunan-xiangtan-minzheng":         "- 3229.37", // 非财政拨款 has only a carry-over
		"hunan-yueyang-yunxi-minzheng":    "- 4722.25", // only 国有资本经营预算 states a budget
		"hunan-zhuzhou-lusong-minzheng":   "- 888.07",  // only 政府性基金预算 states one (0)
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: budget, expenditure = %s, want %s", k, got[k], w)
		}
	}
}

// WithTitle on a Chart built elsewhere still adds the title.
func TestWithTitleFallback(t *testing.T) {
	c := Chart{Title: "标题", Option: json.RawMessage(`{"series":[{"data":[{"value":1.50}]}]}`)}
	got := string(c.WithTitle())
	if !strings.Contains(got, `"text":"标题"`) || !strings.Contains(got, `"value":1.50`) {
		t.Errorf("WithTitle = %s", got)
	}
	bad := Chart{Option: json.RawMessage(`not json`)}
	if string(bad.WithTitle()) != "not json" {
		t.Error("WithTitle should return an unreadable option unchanged")
	}
}

// TestLongComparisonSummary: with many departments the summary names the
// first few and says how many there are, instead of reading out all of
// them; the table still lists every one.
func TestLongComparisonSummary(t *testing.T) {
	// A seed self-evaluation report with a budget and an expenditure:
	// only such reports are compared, and they give compare-totals.
	var base *model.Report
	for _, d := range seeds(t).Departments {
		if d.ID == "hubei-jingmen-minzheng" {
			base = d.Reports[0]
		}
	}
	if base == nil || base.DocKind() != model.KindSelfEval {
		t.Fatal("hubei-jingmen-minzheng has no self-evaluation report")
	}
	var rs []*model.Report
	for i := range 25 {
		r := *base
		d := *base.Department
		d.Name, d.ShortName = fmt.Sprintf("第%d局", i+1), ""
		r.Department = &d
		rs = append(rs, &r)
	}
	cs := ForYear(base.Year, rs)
	if len(cs) == 0 {
		t.Fatal("no charts")
	}
	c := cs[0]
	if !strings.Contains(c.Summary, "共25个部门") || !strings.Contains(c.Summary, "第10局") || strings.Contains(c.Summary, "第11局") || !strings.HasSuffix(c.Summary, "各项数值见数据表。") {
		t.Errorf("summary %q", c.Summary)
	}
	if len(c.Table.Rows) != 25 {
		t.Errorf("table has %d rows, want 25", len(c.Table.Rows))
	}
}

// Every tooltip a chart can show is text of ours. Where an item has no
// formatter, ECharts writes its default tooltip: HTML with style
// attributes, which the pages' Content-Security-Policy (style-src 'self')
// refuses, and the value as ECharts formats it. A treemap needs a series
// formatter whatever its items have, for the root ECharts adds itself.
func TestTooltipsAreText(t *testing.T) {
	for k, cs := range everyChart(t) {
		for _, c := range cs {
			var opt struct {
				Tooltip *struct {
					Formatter string
				}
				Series []struct {
					Type    string
					Name    string
					Tooltip *struct{ Formatter string }
					Data    []json.RawMessage
				}
			}
			if err := decode(c.Option, &opt); err != nil {
				t.Fatalf("%s %s: %v", k, c.ID, err)
			}
			if opt.Tooltip == nil {
				continue // no tooltips at all
			}
			// A line break is the only markup ours need, and has no style.
			text := func(where, f string) {
				if strings.ContainsAny(strings.ReplaceAll(f, "<br/>", ""), "<>") {
					t.Errorf("%s %s: %s tooltip %q has markup other than <br/>", k, c.ID, where, f)
				}
			}
			if opt.Tooltip.Formatter != "" {
				text("global", opt.Tooltip.Formatter)
				continue
			}
			for _, s := range opt.Series {
				if s.Tooltip != nil && s.Tooltip.Formatter != "" {
					text("series "+s.Name, s.Tooltip.Formatter)
				} else if s.Type == "treemap" {
					t.Errorf("%s %s: treemap %s has no series tooltip formatter: its root would get ECharts' HTML one", k, c.ID, s.Name)
				}
				var items func(raw []json.RawMessage)
				items = func(raw []json.RawMessage) {
					for _, r := range raw {
						var it struct {
							Name     string
							Value    any
							Tooltip  *struct{ Formatter string }
							Children []json.RawMessage
						}
						// A bare value is an item without options.
						_ = decode(r, &it)
						switch {
						case it.Value == "-":
							// Not drawn, so never hovered.
						case it.Tooltip != nil && it.Tooltip.Formatter != "":
							text("item "+it.Name, it.Tooltip.Formatter)
						case s.Tooltip == nil || s.Tooltip.Formatter == "":
							t.Errorf("%s %s: series %s item %s has no tooltip formatter: ECharts would write its HTML one", k, c.ID, s.Name, r)
						}
						items(it.Children)
					}
				}
				items(s.Data)
			}
		}
	}
}

// checkImage checks what an image of a chart says without its page: the
// title, the department(s) and year(s), the source and unit, and no
// breadcrumb to click.
func checkImage(t *testing.T, c Chart, titled map[string]any) {
	t.Helper()
	titles, _ := titled["title"].([]any)
	if len(titles) != 2 {
		t.Errorf("%s: WithTitle has titles %v, want the title and the source line", c.ID, titled["title"])
		return
	}
	title, _ := titles[0].(map[string]any)
	source, _ := titles[1].(map[string]any)
	if title["text"] != c.Title || title["subtext"] != c.Subtitle || c.Subtitle == "" {
		t.Errorf("%s: WithTitle title %v, want %q with subtitle %q", c.ID, title, c.Title, c.Subtitle)
	}
	text, _ := source["text"].(string)
	if !strings.HasPrefix(c.Source, "数据来源：") || strings.ReplaceAll(text, "\n", "") != strings.Replace(c.Source, "，单位：", "单位：", 1) {
		t.Errorf("%s: source line %q, want %q starting 数据来源：", c.ID, text, c.Source)
	}
	if c.unit != "" && !strings.HasSuffix(c.Source, "单位："+c.unit) {
		t.Errorf("%s: source line %q does not give the unit %s", c.ID, c.Source, c.unit)
	}
	for _, s := range titled["series"].([]any) {
		s := s.(map[string]any)
		if b, ok := s["breadcrumb"].(map[string]any); s["type"] == "treemap" && (!ok || b["show"] != false) {
			t.Errorf("%s: the image's treemap has a breadcrumb %v", c.ID, s["breadcrumb"])
		}
	}
	if _, ok := titled["toolbox"]; ok {
		t.Errorf("%s: the image has a toolbox", c.ID)
	}
}
