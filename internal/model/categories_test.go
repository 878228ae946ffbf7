package model

import (
	"fmt"
	"strings"
	"testing"
)

// catAmount and catNode keep the hand-built reports below short.
func catAmount(s string) *Amount { return &Amount{Value: MustDecimal(s), Published: s, Unit: UnitWan} }

func catNode(name, amount string, items ...*Node) *Node {
	n := &Node{Name: name, Items: items}
	if amount != "" {
		n.Amount = catAmount(amount)
	}
	return n
}

// showCategories prints categories as "kind name amount [computed]" lines, so that a
// failing case shows the whole result at its published precision.
func showCategories(cs []Category) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s %s", c.Kind, c.Name, c.Amount)
		if c.Computed {
			b.WriteString(" computed")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

func TestCategories(t *testing.T) {
	tests := []struct {
		name   string
		report *Report
		want   string
	}{
		{
			name:   "no spending",
			report: &Report{Totals: &Fund{Budget: catAmount("10")}},
			want:   "",
		},
		{
			name: "one fund: figures as printed",
			report: &Report{Funds: []*Fund{{
				Source: FundFiscal,
				Basic:  catNode("基本支出", "1723.59", catNode("人员经费", "1581.75"), catNode("公用经费", "141.84")),
				// a project without a breakdown gives no categories
				Project: catNode("项目支出", "1505.78"),
			}}},
			want: "basic 人员经费 1581.75\nbasic 公用经费 141.84\n",
		},
		{
			name: "funds merged by name, in order of first appearance",
			report: &Report{Funds: []*Fund{
				{
					Source:  FundGeneral,
					Basic:   catNode("基本支出", "603.69", catNode("工资福利支出", "444.37"), catNode("商品服务支出", "159.32")),
					Project: catNode("项目支出", "2558", catNode("社会福利支出", "12.79"), catNode("社会救助支出", "2545.21")),
				},
				{
					Source:  FundGovernment,
					Project: catNode("项目支出", "254.65", catNode("福利彩票公益金", "254.65")),
				},
				{
					Source:  FundOther,
					Basic:   catNode("基本支出", "36.28", catNode("工资福利支出", "36.28")),
					Project: catNode("项目支出", "30.3", catNode("社会救助支出", "26.97"), catNode("社会福利支出", "3.33")),
				},
			}},
			want: "basic 工资福利支出 480.65 computed\nbasic 商品服务支出 159.32\n" +
				"project 社会福利支出 16.12 computed\nproject 社会救助支出 2572.18 computed\nproject 福利彩票公益金 254.65\n",
		},
		{
			name: "totals with a breakdown win over the funds, kind by kind",
			report: &Report{
				Totals: &Fund{Project: catNode("项目支出", "4076.11", catNode("城乡最低生活保障项目支出", "2189.22"), catNode("其他", "1886.89"))},
				Funds: []*Fund{
					{Source: FundGeneral, Basic: catNode("基本支出", "238.13", catNode("人员经费", "205.72"), catNode("公用经费", "32.41")),
						Project: catNode("项目支出", "609.55", catNode("不应出现", "609.55"))},
					{Source: FundGovernment, Project: catNode("项目支出", "40.39")},
				},
			},
			want: "basic 人员经费 205.72\nbasic 公用经费 32.41\nproject 城乡最低生活保障项目支出 2189.22\nproject 其他 1886.89\n",
		},
		{
			name: "totals without a breakdown: the funds' items",
			report: &Report{
				Totals: &Fund{Basic: catNode("基本支出", "100")},
				Funds: []*Fund{
					{Source: FundGeneral, Basic: catNode("基本支出", "60", catNode("人员经费", "60"))},
					{Source: FundOther, Basic: catNode("基本支出", "40", catNode("人员经费", "40"))},
				},
			},
			want: "basic 人员经费 100 computed\n",
		},
		{
			name:   "the same name twice in one breakdown is summed too",
			report: &Report{Totals: &Fund{Basic: catNode("基本支出", "3", catNode("公用经费", "1"), catNode("公用经费", "2"))}},
			want:   "basic 公用经费 3 computed\n",
		},
		{
			name: "items without an amount, nil items and nil nodes are skipped",
			report: &Report{Funds: []*Fund{
				{Source: FundGeneral, Basic: catNode("基本支出", "5", catNode("人员经费", ""), nil, catNode("公用经费", "5"))},
				{Source: FundOther},
			}},
			want: "basic 公用经费 5\n",
		},
		{
			name: "precision: the sum keeps the finer of the published precisions",
			report: &Report{Funds: []*Fund{
				{Source: FundGeneral, Project: catNode("项目支出", "1", catNode("城乡低保", "1"))},
				{Source: FundOther, Project: catNode("项目支出", "0.0001", catNode("城乡低保", "0.0001"))},
			}},
			want: "project 城乡低保 1.0001 computed\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := showCategories(tt.report.Categories()); got != tt.want {
				t.Errorf("Categories() =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestKindSources(t *testing.T) {
	general := &Fund{Source: FundGeneral, Basic: catNode("基本支出", "1")}
	other := &Fund{Source: FundOther, Project: catNode("项目支出", "2")}
	tests := []struct {
		name   string
		report *Report
		kind   string
		want   []*Fund
	}{
		{"funds", &Report{Funds: []*Fund{general, other}}, KindBasic, []*Fund{general}},
		{"unknown kind", &Report{Funds: []*Fund{general, other}}, "other", nil},
		{"totals without breakdown and no fund node", &Report{Totals: &Fund{Project: catNode("项目支出", "3")}, Funds: []*Fund{general}}, KindProject, nil},
	}
	tests[2].want = []*Fund{tests[2].report.Totals}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.report.KindSources(tt.kind)
			if len(got) != len(tt.want) {
				t.Fatalf("KindSources(%s) = %v, want %v", tt.kind, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("KindSources(%s)[%d] = %p, want %p", tt.kind, i, got[i], tt.want[i])
				}
			}
		})
	}
	if KindTitle(KindBasic) != "基本支出" || KindTitle(KindProject) != "项目支出" {
		t.Error("KindTitle")
	}
}

func TestSharedCategories(t *testing.T) {
	// Categories are given directly, by report, so that the grouping is
	// tested apart from how a report's categories are read.
	cats := map[*Report][]Category{}
	rep := func(name string, cs ...Category) *Report {
		r := &Report{Year: 2024, Department: &Department{Name: name}}
		cats[r] = cs
		return r
	}
	basic := func(name string) Category { return Category{Kind: KindBasic, Name: name} }
	project := func(name string) Category { return Category{Kind: KindProject, Name: name} }
	a := rep("甲", basic("人员经费"), basic("公用经费"), project("社会救助"), project("社会救助"))
	b := rep("乙", project("社会救助"), basic("人员经费"), project("养老服务"))
	c := rep("丙", project("养老服务"), basic("公用经费"), project("社会救助"), basic("人员经费"))
	d := rep("丁", project("人员经费"))

	got := SharedCategories([]*Report{a, b, c, d}, func(r *Report) []Category { return cats[r] })
	var lines []string
	for _, g := range got {
		var names []string
		for _, r := range g.Reports {
			names = append(names, r.Department.Name)
		}
		lines = append(lines, fmt.Sprintf("%s %s: %s", g.Kind, g.Name, strings.Join(names, "")))
	}
	// Basic first; then by how many reports share it, ties in order of
	// first appearance; a category listed twice in one report counts
	// once; 人员经费 as project spending (one report) is not shared.
	want := []string{
		"basic 人员经费: 甲乙丙",
		"basic 公用经费: 甲丙",
		"project 社会救助: 甲乙丙",
		"project 养老服务: 乙丙",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if got := SharedCategories(nil, func(*Report) []Category { return nil }); len(got) != 0 {
		t.Errorf("no reports: %v", got)
	}
}
