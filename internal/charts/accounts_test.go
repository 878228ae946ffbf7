package charts

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/content"
	"disclose/internal/model"
)

// kindsSite is a department with a 2022 and a 2023 三公 statement (in 元),
// a 2023 决算 and a 2023 预算.
func kindsSite(t *testing.T) *model.Department {
	t.Helper()
	fsys := fstest.MapFS{
		"site.yaml":           {Data: []byte("title: 测试\n")},
		"d/department.yaml":   {Data: []byte("name: 测试局\nlevel: 县级\nregion: [湖南省, 某市, 某区]\n")},
		"d/2022-sangong.yaml": {Data: []byte("year: 2022\nkind: 三公经费\ntitle: 三公2022\nsource: {title: s}\nthree_public:\n  total:\n    actual: 180,000.00元\n")},
		"d/2023-sangong.yaml": {Data: []byte("year: 2023\nkind: 三公经费\ntitle: 三公2023\nsource: {title: s}\nthree_public:\n  total:\n    actual: 155,000.00元\n    prior: 180,000.00元\n")},
		"d/2023-juesuan.yaml": {Data: []byte("year: 2023\nkind: 部门决算\ntitle: 决算\nsource: {title: s}\naccounts:\n  functional:\n    amount: 120\n    items:\n      - {code: \"208\", name: 社会保障和就业支出, amount: 100}\n      - {code: \"221\", name: 住房保障支出, amount: 20}\nthree_public:\n  total:\n    actual: 15.5\n")},
		"d/2023-yusuan.yaml":  {Data: []byte("year: 2023\nkind: 部门预算\ntitle: 预算\nsource: {title: s}\naccounts:\n  functional:\n    amount: 110\n    items:\n      - {code: \"208\", name: 社会保障和就业支出, amount: 95}\n      - {code: \"221\", name: 住房保障支出, amount: 15}\n")},
	}
	m, ds := content.Load(fsys, "content")
	for _, d := range ds {
		if d.Severity.String() == "error" {
			t.Fatalf("%v", d)
		}
	}
	return m.Departments[0]
}

func chartByID(cs []Chart, id string) *Chart {
	for i := range cs {
		if cs[i].ID == id {
			return &cs[i]
		}
	}
	return nil
}

func TestThreePublicYears(t *testing.T) {
	d := kindsSite(t)
	var sangong, juesuan *model.Report
	for _, r := range d.Reports {
		switch r.Key() {
		case "2023-sangong":
			sangong = r
		case "2023-juesuan":
			juesuan = r
		}
	}
	cs := ForReport(sangong)
	checkCharts(t, cs)
	c := chartByID(cs, "three-public-years")
	if c == nil {
		t.Fatal("no 三公 history on the 2023 statement")
	}
	// Both statements are in 元: the chart is in 元, with the figures as
	// printed, 2022 from the 2022 statement (not the quoted prior year).
	want := [][]string{{"2022年", "180,000.00", "“三公”经费情况说明"}, {"2023年", "155,000.00", "“三公”经费情况说明"}}
	if len(c.Table.Rows) != 2 || !slices.Equal(c.Table.Rows[0], want[0]) || !slices.Equal(c.Table.Rows[1], want[1]) || c.Table.Head[1] != "实际支出（元）" {
		t.Errorf("table %v %v", c.Table.Head, c.Table.Rows)
	}
	// The 决算's own 三公 (in 万元) beside the 2022 statement (in 元):
	// compared in 万元, and the summary says so.
	cs = ForReport(juesuan)
	c = chartByID(cs, "three-public-years")
	if c == nil {
		t.Fatal("no 三公 history on the 决算")
	}
	if c.Table.Rows[1][1] != "15.5" || c.Table.Rows[0][1] != "18.000000" || !strings.Contains(c.Summary, "换算为万元") {
		t.Errorf("决算 history: %v, %q", c.Table.Rows, c.Summary)
	}
}

func TestBudgetVsFinal(t *testing.T) {
	d := kindsSite(t)
	for _, r := range d.Reports {
		c := chartByID(ForReport(r), "budget-vs-final")
		if r.Key() != "2023-juesuan" {
			if c != nil {
				t.Errorf("%s has a budget-vs-final chart", r.Key())
			}
			continue
		}
		if c == nil {
			t.Fatal("no budget-vs-final chart on the 决算")
		}
		want := [][]string{{"208 社会保障和就业支出", "95", "100"}, {"221 住房保障支出", "15", "20"}}
		if len(c.Table.Rows) != 2 || !slices.Equal(c.Table.Rows[0], want[0]) || !slices.Equal(c.Table.Rows[1], want[1]) {
			t.Errorf("rows %v", c.Table.Rows)
		}
	}
}
