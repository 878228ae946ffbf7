package site

import (
	"html"
	"regexp"
	"strings"
	"testing"

	"disclose/internal/model"
)

func TestYearChange(t *testing.T) {
	for _, tc := range []struct {
		name, now, prior string
		diff, rate       string // rate "" when there is none
	}{
		{"increase", "193.42", "118.31", "+75.11", "+63.49%"},
		{"decrease", "20123.4567", "21680.25", "-1,556.7933", "-7.18%"},
		{"small decrease", "580.25", "603.6900", "-23.4400", "-3.88%"},
		{"half-up rounding of the rate", "1.5", "2.0", "-0.5", "-25.00%"},
		{"rate rounds half up", "100.005", "100", "+0.005", "+0.01%"},
		{"no change", "12.40", "12.4", "0.00", "0.00%"},
		{"zero prior year", "12.02", "0", "+12.02", ""},
		{"both zero", "0", "0", "0", ""},
		{"to zero", "0", "10.4", "-10.4", "-100.00%"},
		{"negative prior", "-5", "-10", "+5", "+50.00%"},
		{"thousands", "1234567.5", "1000000", "+234,567.5", "+23.46%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diff, rate, ok := yearChange(model.MustDecimal(tc.now), model.MustDecimal(tc.prior))
			if got := signed(diff); got != tc.diff {
				t.Errorf("change = %s, want %s", got, tc.diff)
			}
			got := ""
			if ok {
				got = signed(rate) + "%"
			}
			if got != tc.rate {
				t.Errorf("rate = %q, want %q", got, tc.rate)
			}
		})
	}
}

func amountOf(t *testing.T, s string) *model.Amount {
	t.Helper()
	v, u, err := model.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return &model.Amount{Value: v, Published: s, Unit: u}
}

// TestComputedChangeUnits: figures published in 元 compare in 元; a 元
// figure against a 万元 one converts exactly to 万元.
func TestComputedChangeUnits(t *testing.T) {
	for _, tc := range []struct {
		now, prior             string
		amount, unit, rate     string
		rateComputed, computed bool
	}{
		{"26085.58元", "45073.00元", "-18,987.42", "元", "-42.13%", true, true},
		{"26085.58元", "4.5073", "-1.898742", "万元", "-42.13%", true, true},
		{"1.2亿元", "11000", "+1,000", "万元", "+9.09%", true, true},
		{"5元", "0元", "+5", "元", "—", false, true},
	} {
		c := computedChange(amountOf(t, tc.now), amountOf(t, tc.prior), "上年")
		if c.Amount != tc.amount || c.Unit != tc.unit || c.Rate != tc.rate || c.RateComputed != tc.rateComputed || c.AmountComputed != tc.computed {
			t.Errorf("%s against %s: got %+v, want %s %s %s", tc.now, tc.prior, *c, tc.amount, tc.unit, tc.rate)
		}
	}
}

// TestStatedChangeKept: what the report states is shown as stated; only
// the parts it leaves out are computed.
func TestStatedChangeKept(t *testing.T) {
	delta := func(s string) *model.Delta {
		d, err := model.ParseDelta(s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	now := amountOf(t, "1.5")
	// A stated change that contradicts the prior year stays: the checker
	// reports the contradiction.
	c := statedChange(now, amountOf(t, "2.0"), delta("减少0.7万元"), nil)
	if c.Amount != "减少0.7万元" || c.AmountComputed || c.Rate != "-25.00%" || !c.RateComputed {
		t.Errorf("stated change with prior: %+v", *c)
	}
	c = statedChange(now, nil, delta("减少0.5万元"), nil)
	if c.Amount != "减少0.5万元" || c.Rate != "-25.00%" || !c.RateComputed {
		t.Errorf("rate from this year less the stated change: %+v", *c)
	}
	c = statedChange(now, nil, delta("减少0.5万元"), delta("下降20%"))
	if c.Computed() || c.Rate != "下降20%" {
		t.Errorf("both stated: %+v", *c)
	}
}

func TestGroupedDisplay(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"21680.25", "21,680.25"},
		{"1234567.5", "1,234,567.5"},
		{"603.6900", "603.6900"},
		{"-1234.5", "-1,234.5"},
		{"12000", "12,000"},
		{"999", "999"},
		{"0.0001", "0.0001"},
		{"26,085.58", "26,085.58"},
		{"", ""},
		{"—", "—"},
	} {
		if got := grouped(tc.in); got != tc.want {
			t.Errorf("grouped(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// A figure published in 元 keeps its digits and unit.
	f := amountFig(amountOfT("26085.58元"))
	if f.Text != "26,085.58" || f.Unit != "元" {
		t.Errorf("元 figure shown as %q %q", f.Text, f.Unit)
	}
	if f := amountFig(amountOfT("21680.25")); f.Text != "21,680.25" {
		t.Errorf("万元 figure shown as %q", f.Text)
	}
}

func amountOfT(s string) *model.Amount {
	v, u, err := model.ParseMoney(s)
	if err != nil {
		panic(err)
	}
	return &model.Amount{Value: v, Published: s, Unit: u}
}

var cellText = regexp.MustCompile(`<[^>]+>`)

// rowCells is the text of each cell of the first table row whose header
// cell is name, in the part of page after marker.
func rowCells(t *testing.T, page, marker, name string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(page, marker)
	if !ok {
		t.Fatalf("no %q on the page", marker)
	}
	re := regexp.MustCompile(`<tr[^>]*>\s*<th scope="row">(?:<span class="indent">)?` + regexp.QuoteMeta(name) + `(?s:.*?)</tr>`)
	row := re.FindString(rest)
	if row == "" {
		t.Fatalf("no row %q after %q", name, marker)
	}
	var out []string
	for _, c := range regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`).FindAllStringSubmatch(row, -1) {
		out = append(out, strings.TrimSpace(html.UnescapeString(cellText.ReplaceAllString(c[1], ""))))
	}
	return out
}

// TestReportPageShowsChange: a report whose department has the previous
// year's report shows the change beside its key figures and in its fund,
// category and 三公 tables, computed and marked; the report's own stated
// change stays as stated.
func TestReportPageShowsChange(t *testing.T) {
	m, files := renderDir(t, "testdata/change", "")
	r := m.Departments[0].Reports[1]
	page := string(files[reportPath(r)])
	cards := regexp.MustCompile(`(?s)<li class="card">.*?</li>`).FindAllString(page, -1)
	wantCards := map[string]string{
		"全年预算": "比上年增减 +394.71万元*，增减率 +3.40%*",
		"支出合计": "比上年增减 -1,556.7933万元*，增减率 -7.18%*",
		"项目支出": "比上年增减 -283.7567万元*，增减率 -5.25%*",
	}
	for _, c := range cards {
		text := strings.Join(strings.Fields(html.UnescapeString(cellText.ReplaceAllString(c, " "))), "")
		for label, want := range wantCards {
			if strings.HasPrefix(text, label) {
				if !strings.Contains(text, strings.ReplaceAll(want, " ", "")) {
					t.Errorf("card %s: %q, want %q", label, text, want)
				}
				delete(wantCards, label)
			}
		}
	}
	for label := range wantCards {
		t.Errorf("no card %s", label)
	}
	for _, tc := range []struct {
		marker, row string
		want        []string
	}{
		{`id="funds"`, "一般公共预算", []string{"—", "18,000.00", "—", "-2,000.00*", "-10.00%*"}},
		{`id="funds"`, "部门合计", []string{"12,000", "20,123.4567", "167.70%（计算）", "-1,556.7933*", "-7.18%*"}},
		{`id="breakdown"`, "其中：公用经费", []string{"", "580.25", "603.6900", "-23.4400*", "-3.88%*", ""}},
		{`id="three-public"`, "因公出国（境）费", []string{"3", "1.5", "—", "减少0.5万元", "-25.00%*"}},
		{`id="three-public"`, "公务用车购置费", []string{"0", "0", "0", "0*", "—"}},
		{`id="three-public"`, "合计", []string{"15", "9.32", "12.4", "-3.08*", "-24.84%*"}},
	} {
		got := rowCells(t, page, tc.marker, tc.row)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s row %s: %q, want %q", tc.marker, tc.row, got, tc.want)
		}
	}
	if !strings.Contains(page, "取自本部门上年同类报告") {
		t.Error("the page does not say where the prior-year figures come from")
	}
}

// TestDepartmentPageShowsChange: the department page compares each report
// with the previous one of its kind, and refuses to compare figures of
// different scope.
func TestDepartmentPageShowsChange(t *testing.T) {
	m, files := renderDir(t, "testdata/change", "")
	page := string(files[departmentPath(m.Departments[0])])
	for _, tc := range []struct {
		row  string
		want []string
	}{
		{"支出合计", []string{"20,123.4567", "21,680.25", "-1,556.7933*", "-7.18%*"}},
		{"“三公”经费支出", []string{"9.32", "12.4", "-3.08*", "-24.84%*"}},
	} {
		if got := rowCells(t, page, `id="h-changes"`, tc.row); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("row %s: %q, want %q", tc.row, got, tc.want)
		}
	}
	// 2022 of the history fixture has only fund figures, its neighbours
	// the department's totals.
	m, files = renderDir(t, "testdata/history", "")
	page = string(files[departmentPath(m.Departments[0])])
	got := rowCells(t, page, `id="h-changes"`, "支出合计")
	if len(got) != 3 || !strings.HasPrefix(got[2], notComparable) {
		t.Errorf("totals against a sum of funds: %q, want %q", got, notComparable)
	}
	// The report page says it too, beside the card.
	r := m.Departments[0].Reports[2]
	if !strings.Contains(string(files[reportPath(r)]), notComparable) {
		t.Errorf("%s does not say its figures are not comparable with 2022's", reportPath(r))
	}
}
