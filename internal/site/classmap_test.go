package site

import (
	"strings"
	"testing"

	"disclose/internal/model"
)

// TestClassEntries: a report's spending lines map to the official classes
// by code, name or listed synonym; lines of one class add up (marked
// computed); 人员经费 is added up from 301 and 303 when the report states
// both but not 人员经费; a line that maps to nothing stays listed, unmapped.
func TestClassEntries(t *testing.T) {
	amt := func(s string) *model.Amount {
		return &model.Amount{Value: model.MustDecimal(s), Published: s, Unit: model.UnitWan}
	}
	item := func(name, code, v string) *model.Node { return &model.Node{Name: name, Code: code, Amount: amt(v)} }
	report := func(basic, project []*model.Node) *model.Report {
		f := &model.Fund{Source: "一般公共预算"}
		if basic != nil {
			f.Basic = &model.Node{Name: "基本支出", Items: basic}
		}
		if project != nil {
			f.Project = &model.Node{Name: "项目支出", Items: project}
		}
		return &model.Report{Funds: []*model.Fund{f}}
	}
	tests := []struct {
		name     string
		r        *model.Report
		entries  string // key=amount(*) …
		unmapped string // published names, |-separated
		why      string // part of some entry's reason
	}{
		{
			name:    "names (芦淞区, 湘潭)",
			r:       report([]*model.Node{item("人员经费", "", "205.72"), item("公用经费", "", "32.41")}, nil),
			entries: "econ-301-303=205.72 econ-302=32.41",
			why:     "“公用经费”（基本支出）→ 302 商品和服务支出：公用经费即基本支出中的商品和服务支出",
		},
		{
			name: "codes, and 人员经费 added up (云溪区)",
			r: report([]*model.Node{item("工资福利支出", "301", "444.37"), item("对个人和家庭的补助", "303", "66.49"), item("商品服务支出", "302", "82.54"), item("资本性支出", "310", "10.29")},
				[]*model.Node{item("社会救助支出", "", "2545.21"), item("民政管理事务支出", "", "57.05")}),
			entries:  "econ-301=444.37 econ-303=66.49 econ-302=82.54 econ-310=10.29 func-20802=57.05 econ-301-303=510.86*",
			unmapped: "社会救助支出",
			why:      "本站将301 工资福利支出与303 对个人和家庭的补助相加",
		},
		{
			name:    "301 without 303: no 人员经费",
			r:       report([]*model.Node{item("工资福利支出", "", "10")}, nil),
			entries: "econ-301=10",
		},
		{
			name:    "two lines of one class add up",
			r:       report([]*model.Node{item("公用经费", "", "3"), item("商品和服务支出", "", "4")}, nil),
			entries: "econ-302=7*",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, lines := classEntries(tt.r)
			var got, whys []string
			for _, e := range entries {
				s := e.class().Key() + "=" + e.Amount.String()
				if e.Computed {
					s += "*"
				}
				got = append(got, s)
				whys = append(whys, e.Why)
			}
			if g := strings.Join(got, " "); g != tt.entries {
				t.Errorf("entries %s, want %s", g, tt.entries)
			}
			var unmapped []string
			for _, l := range lines {
				if l.Class.Code == "" {
					unmapped = append(unmapped, l.Name)
				}
			}
			if g := strings.Join(unmapped, "|"); g != tt.unmapped {
				t.Errorf("unmapped %q, want %q", g, tt.unmapped)
			}
			if !strings.Contains(strings.Join(whys, "\n"), tt.why) {
				t.Errorf("reasons %q lack %q", whys, tt.why)
			}
		})
	}
}
