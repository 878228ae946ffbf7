package tables

import (
	"testing"

	"disclose/internal/model"
)

// Every shipped profile loads, its base is resolved, and each table has a
// name; the equations were parsed at load.
func TestProfilesLoad(t *testing.T) {
	ps, err := Profiles()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"national-juesuan": 9, "national-yusuan": 9, "hunan-yusuan-2024": 24, "zhejiang-yusuan-2023": 11}
	for _, p := range ps {
		n, ok := want[p.ID]
		if !ok {
			t.Errorf("unexpected profile %s", p.ID)
			continue
		}
		delete(want, p.ID)
		if len(p.Tables) != n {
			t.Errorf("%s: %d tables, want %d", p.ID, len(p.Tables), n)
		}
		for _, s := range p.Tables {
			if s.Name == "" {
				t.Errorf("%s: a table without a name", p.ID)
			}
			for _, c := range s.Columns {
				if c == "" {
					t.Errorf("%s %s: an empty column", p.ID, s.Name)
				}
			}
		}
	}
	for id := range want {
		t.Errorf("profile %s missing", id)
	}
}

func TestFind(t *testing.T) {
	for _, c := range []struct{ profile, name, want string }{
		{"national-juesuan", "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出决算表"},
		{"national-juesuan", "2023年度一般公共预算财政拨款支出决算表（公开05表）", "一般公共预算财政拨款支出决算表"},
		{"national-juesuan", " 收入决算表 ", "收入决算表"},
		{"national-juesuan", "部门支出明细表", ""},
		{"national-yusuan", "2023年区级部门收支预算总表", "部门收支预算总表"},
		{"zhejiang-yusuan-2023", "2023年区级部门项目支出预算表", "项目支出预算表"},
		{"zhejiang-yusuan-2023", "2023年区级部门一般公共预算“三公”经费支出表", "一般公共预算“三公”经费支出表"},
		{"hunan-yusuan-2024", "一般公共预算基本支出表--公用经费（商品和服务支出）（按政府预算经济分类）", "一般公共预算基本支出表--公用经费(商品和服务支出)(按政府预算经济分类)"},
	} {
		p, ok := Lookup(c.profile)
		if !ok {
			t.Fatalf("no profile %s", c.profile)
		}
		got := ""
		if s := p.Find(c.name); s != nil {
			got = s.Name
		}
		if got != c.want {
			t.Errorf("%s: Find(%q) = %q, want %q", c.profile, c.name, got, c.want)
		}
	}
}

func TestDefault(t *testing.T) {
	for k, want := range map[model.DocKind]string{
		model.KindFinalAccounts: "national-juesuan", model.KindBudget: "national-yusuan",
		model.KindSelfEval: "", model.KindThreePublic: "", model.KindProjectEval: "",
	} {
		if got := Default(k); got != want {
			t.Errorf("Default(%s) = %q, want %q", k, got, want)
		}
	}
}

func TestParseEquation(t *testing.T) {
	eq, err := parseEquation("年末结转和结余 = 年初结转和结余 + 本年收入 - 本年支出小计")
	if err != nil {
		t.Fatal(err)
	}
	if eq.left != "年末结转和结余" || len(eq.terms) != 3 || eq.terms[2].name != "本年支出小计" || !eq.terms[2].neg || eq.terms[1].neg {
		t.Errorf("parsed %+v", eq)
	}
	for _, bad := range []string{"合计", "合计 = 基本支出", "= a + b"} {
		if _, err := parseEquation(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}
