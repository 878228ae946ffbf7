package econclass

import (
	"strings"
	"testing"
)

func TestMap(t *testing.T) {
	tests := []struct {
		name, code string
		key        string // "" when unmapped
		why        string // part of the reason
	}{
		{"工资福利支出", "", "econ-301", "名称与部门预算支出经济分类一致"},
		{"工资福利支出", "301", "econ-301", "原文科目编码 301"},
		{"商品服务支出", "302", "econ-302", "原文名称“商品服务支出”"},
		{"差旅费", "", "econ-30211", "名称与部门预算支出经济分类一致"},
		{"公务用车运行维护费", "", "econ-30231", "一致"},
		{" 对个人和家庭的补助 ", "", "econ-303", "一致"},
		{"人员经费", "", "econ-301-303", "工资福利支出（301）与对个人和家庭的补助（303）"},
		{"公用经费", "", "econ-302", "商品和服务支出"},
		{"工资福利", "", "econ-301", "简写"},
		{"行政运行", "", "func-2080201", "名称与支出功能分类一致"},
		{"行政运行", "2080201", "func-2080201", "原文科目编码 2080201"},
		{"流浪乞讨人员救助支出", "", "func-2082002", "一致"},
		{"民政管理事务支出", "", "func-20802", "民政管理事务"},
		// A code the tables do not know falls back to the name.
		{"办公费", "39999", "econ-30201", "一致"},
		// Not in the tables, not a listed synonym: unmapped, whatever it
		// looks like.
		{"社会救助支出", "", "", ""},
		{"工资", "", "", ""},
		{"办公费用", "", "", ""},
		{"高龄补贴项目支出", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.code, func(t *testing.T) {
			m, ok := Map(tt.name, tt.code)
			if ok != (tt.key != "") {
				t.Fatalf("Map(%q, %q) = %+v, %v; want mapped %v", tt.name, tt.code, m, ok, tt.key != "")
			}
			if !ok {
				return
			}
			if got := m.Class.Key(); got != tt.key {
				t.Errorf("key %s, want %s", got, tt.key)
			}
			if !strings.Contains(m.Why, tt.why) {
				t.Errorf("why %q lacks %q", m.Why, tt.why)
			}
		})
	}
}

func TestGroups(t *testing.T) {
	gs := Groups()
	if len(gs) != 1 || gs[0].Key() != "econ-301-303" || gs[0].Name != "人员经费" || gs[0].Label() != "人员经费（301+303）" {
		t.Fatalf("groups %+v", gs)
	}
	for _, p := range gs[0].Parts {
		if _, ok := Lookup(Econ, p); !ok {
			t.Errorf("part %s is not a class", p)
		}
	}
}

// TestParse: the table format refuses what would map a name silently
// wrong.
func TestParse(t *testing.T) {
	for _, tt := range []struct{ name, src, err string }{
		{"ok", "class\tecon\t301\t工资福利支出\nsynonym\tecon\t301\t工资福利\t简写\n", ""},
		{"short line", "class\tecon\t301\n", "4 tab-separated"},
		{"scheme", "class\tfoo\t301\tx\n", "unknown scheme"},
		{"duplicate code", "class\tecon\t301\ta\nclass\tecon\t301\tb\n", "twice"},
		{"group of unknown part", "class\tecon\t301\ta\ngroup\tecon\t301+303\tb\tdef\n", "not a listed class"},
		{"synonym of unknown code", "synonym\tecon\t301\tx\twhy\n", "unlisted code"},
		{"synonym shadowing an official name", "class\tecon\t301\ta\nclass\tecon\t302\tb\nsynonym\tecon\t301\tb\twhy\n", "already the official name"},
		{"synonym without reason", "class\tecon\t301\ta\nsynonym\tecon\t301\tx\n", "needs its reason"},
		{"record", "klass\tecon\t301\ta\n", "unknown record"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(tt.src)
			if (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parse: %v, want error containing %q", err, tt.err)
			}
		})
	}
}

// TestOfficialNames: the embedded tables' class names are unique per
// scheme, so that a name maps to one code.
func TestOfficialNames(t *testing.T) {
	for s, names := range tbl.byName {
		n := 0
		for _, c := range tbl.byCode[s] {
			if c.Parts == nil {
				n++
			}
		}
		if len(names) != n {
			t.Errorf("%s: %d codes but %d distinct names", s, n, len(names))
		}
	}
}
