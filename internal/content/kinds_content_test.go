package content_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"disclose/internal/model"
)

// newKinds are the document kinds added beside the self-evaluation report
// whose real documents content/ holds.
var newKinds = []model.DocKind{model.KindThreePublic, model.KindFinalAccounts, model.KindProjectEval, model.KindBudget}

// Every real document of the new kinds in content/ says where it was
// published (source.url, a web address) and which archived text it was
// transcribed from (source.file, present in content/_sources).
func TestNewKindsNameTheirSource(t *testing.T) {
	site := loadShipped(t)
	count := map[model.DocKind]int{}
	for _, d := range site.Departments {
		for _, r := range d.Reports {
			k := r.DocKind()
			if k != model.KindThreePublic && k != model.KindFinalAccounts && k != model.KindProjectEval && k != model.KindBudget {
				continue
			}
			count[k]++
			name := d.ID + " " + r.Key() + " (" + string(k) + ")"
			if r.Source == nil {
				t.Errorf("%s: no source", name)
				continue
			}
			if u, err := url.Parse(r.Source.URL); r.Source.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				t.Errorf("%s: source.url %q is not a web address", name, r.Source.URL)
			}
			if r.Source.File == "" {
				t.Errorf("%s: no source.file", name)
				continue
			}
			if filepath.Base(r.Source.File) != r.Source.File {
				t.Errorf("%s: source.file %q is not a file name in content/_sources", name, r.Source.File)
				continue
			}
			fi, err := os.Stat(filepath.Join("../../content/_sources", r.Source.File))
			if err != nil {
				t.Errorf("%s: %v", name, err)
			} else if !fi.Mode().IsRegular() || fi.Size() == 0 {
				t.Errorf("%s: source file %s is empty or not a file", name, r.Source.File)
			}
		}
	}
	for _, k := range newKinds {
		if count[k] == 0 {
			t.Errorf("content/ holds no %s document: the test checks nothing of it", k)
		}
	}
}

// Figures of the real documents of the new kinds load as published: the
// literal the document prints, its unit, and a stated change with its sign.
func TestNewKindsFigures(t *testing.T) {
	site := loadShipped(t)
	find := func(dept, key string) *model.Report {
		for _, d := range site.Departments {
			if d.ID != dept {
				continue
			}
			for _, r := range d.Reports {
				if r.Key() == key {
					return r
				}
			}
		}
		return nil
	}
	published := func(a *model.Amount) string {
		if a == nil {
			return "<nil>"
		}
		return a.Published + "|" + a.Value.String() + string(a.Unit)
	}
	delta := func(d *model.Delta) string {
		if d == nil {
			return "<nil>"
		}
		return d.Text + "|" + d.Value.String() + "|" + strconv.FormatBool(d.Percent)
	}
	percent := func(p *model.Percent) string {
		if p == nil {
			return "<nil>"
		}
		return p.Value.String()
	}
	fund := func(r *model.Report, name string) *model.EvalFund {
		if r.ProjectEval == nil {
			return nil
		}
		for _, f := range r.ProjectEval.Funds {
			if f.Name == name {
				return f
			}
		}
		return nil
	}
	// child is the item of n named name, or nil.
	child := func(n *model.Node, name string) *model.Node {
		if n == nil {
			return nil
		}
		for _, it := range n.Items {
			if it.Name == name {
				return it
			}
		}
		return nil
	}
	amount := func(n *model.Node) *model.Amount {
		if n == nil {
			return nil
		}
		return n.Amount
	}
	tests := []struct {
		dept, key string
		kind      model.DocKind
		what      string
		get       func(r *model.Report) string
		want      string
	}{
		// 鹿寨县 2019 “三公” statement: actual and the stated change only.
		{"guangxi-liuzhou-luzhai-caizheng", "2019", model.KindThreePublic, "total actual",
			func(r *model.Report) string { return published(r.ThreePublic.Total.Actual) }, "1165.08|1165.08万元"},
		{"guangxi-liuzhou-luzhai-caizheng", "2019", model.KindThreePublic, "total change",
			func(r *model.Report) string { return delta(r.ThreePublic.Total.Change) }, "减少63.96万元|-63.96|false"},
		{"guangxi-liuzhou-luzhai-caizheng", "2019", model.KindThreePublic, "total change_rate",
			func(r *model.Report) string { return delta(r.ThreePublic.Total.ChangeRate) }, "下降5.2%|-5.2|true"},
		{"guangxi-liuzhou-luzhai-caizheng", "2019", model.KindThreePublic, "vehicle operation change",
			func(r *model.Report) string { return delta(r.ThreePublic.VehicleOperation.Change) }, "增加53.81万元|53.81|false"},
		{"guangxi-liuzhou-luzhai-caizheng", "2019", model.KindThreePublic, "no budget stated",
			func(r *model.Report) string { return published(r.ThreePublic.Total.Budget) }, "<nil>"},
		{"guangxi-liuzhou-luzhai-caizheng", "2019", model.KindThreePublic, "vehicles held",
			func(r *model.Report) string { return strconv.Itoa(*r.ThreePublic.Counts.VehiclesHeld) }, "345"},
		// 广东省财政厅 2023: budget, actual, completion rate, change.
		{"guangdong-caizhengting", "2023", model.KindThreePublic, "total budget",
			func(r *model.Report) string { return published(r.ThreePublic.Total.Budget) }, "84.82|84.82万元"},
		{"guangdong-caizhengting", "2023", model.KindThreePublic, "total rate",
			func(r *model.Report) string { return percent(r.ThreePublic.Total.Rate) }, "73.2"},
		{"guangdong-caizhengting", "2023", model.KindThreePublic, "total change_rate",
			func(r *model.Report) string { return delta(r.ThreePublic.Total.ChangeRate) }, "增长168.7%|168.7|true"},
		// 寿县文物保护中心 2023: vehicles only as one combined figure.
		{"anhui-huainan-shouxian-wenbao", "2023", model.KindThreePublic, "vehicles combined actual",
			func(r *model.Report) string { return published(r.ThreePublic.Vehicles.Actual) }, "1.18|1.18万元"},
		{"anhui-huainan-shouxian-wenbao", "2023", model.KindThreePublic, "source truncated",
			func(r *model.Report) string { return strconv.FormatBool(r.Source.Truncated) }, "true"},
		// 金堂县官仓街道 2015: no total, a 持平 change.
		{"sichuan-chengdu-jintang-guancang", "2015", model.KindThreePublic, "reception change_rate",
			func(r *model.Report) string { return delta(r.ThreePublic.Reception.ChangeRate) }, "下降5.5%|-5.5|true"},
		{"sichuan-chengdu-jintang-guancang", "2015", model.KindThreePublic, "outbound change",
			func(r *model.Report) string { return delta(r.ThreePublic.Outbound.Change) }, "持平|0|false"},
		// 丽水市司法局 2023 部门决算.
		{"zhejiang-lishui-sifaju", "2023", model.KindFinalAccounts, "income total",
			func(r *model.Report) string { return published(r.Accounts.Income.Amount) }, "4295.94|4295.94万元"},
		{"zhejiang-lishui-sifaju", "2023", model.KindFinalAccounts, "income change",
			func(r *model.Report) string { return delta(r.Accounts.Income.Change) }, "减少423.94万元|-423.94|false"},
		{"zhejiang-lishui-sifaju", "2023", model.KindFinalAccounts, "财政拨款收入",
			func(r *model.Report) string {
				return published(amount(child(child(r.Accounts.Income, "本年收入合计"), "财政拨款收入")))
			}, "3760.06|3760.06万元"},
		{"zhejiang-lishui-sifaju", "2023", model.KindFinalAccounts, "基本支出 share",
			func(r *model.Report) string {
				n := child(child(r.Accounts.Expenditure, "本年支出合计"), "基本支出")
				if n == nil {
					return "<nil>"
				}
				return published(n.Amount) + " " + percent(n.Share)
			}, "3076.21|3076.21万元 71.61"},
		// 南漳县招商服务中心 2019 部门决算, its income table cut off.
		{"hubei-xiangyang-nanzhang-zhaoshang", "2019", model.KindFinalAccounts, "income partial",
			func(r *model.Report) string { return strconv.FormatBool(r.Accounts.Income.Partial) }, "true"},
		{"hubei-xiangyang-nanzhang-zhaoshang", "2019", model.KindFinalAccounts, "一般公共预算财政拨款收入",
			func(r *model.Report) string {
				return published(amount(child(r.Accounts.Income, "一般公共预算财政拨款收入")))
			}, "440.55|440.55万元"},
		// 青神县发改局 2023 工资性支出 项目支出绩效自评表.
		{"sichuan-meishan-qingshen-fagai", "2023-xm-gongzi", model.KindProjectEval, "总额 budget",
			func(r *model.Report) string {
				f := fund(r, "总额")
				if f == nil {
					return "<nil>"
				}
				return published(f.Budget)
			}, "251.89|251.89万元"},
		{"sichuan-meishan-qingshen-fagai", "2023-xm-gongzi", model.KindProjectEval, "总额 initial budget and rate",
			func(r *model.Report) string {
				f := fund(r, "总额")
				if f == nil {
					return "<nil>"
				}
				return published(f.InitialBudget) + " " + percent(f.Rate)
			}, "238.93|238.93万元 100.00"},
		{"sichuan-meishan-qingshen-fagai", "2023-xm-gongzi", model.KindProjectEval, "project name",
			func(r *model.Report) string { return r.ProjectEval.Name }, "51000021R000000019951-工资性支出"},
		// 大英县司法局 2023 安可替代 项目支出绩效自评表.
		{"sichuan-suining-daying-sifa", "2023-xm-anke", model.KindProjectEval, "总额 actual and score",
			func(r *model.Report) string {
				f := fund(r, "总额")
				if f == nil || f.Score == nil {
					return "<nil>"
				}
				return published(f.Actual) + " " + f.Score.Value.String()
			}, "3.36|3.36万元 10"},
	}
	for _, tt := range tests {
		t.Run(tt.dept+"/"+tt.key+"/"+tt.what, func(t *testing.T) {
			r := find(tt.dept, tt.key)
			if r == nil {
				t.Fatalf("%s %s missing", tt.dept, tt.key)
			}
			if r.DocKind() != tt.kind {
				t.Errorf("kind %s, want %s", r.DocKind(), tt.kind)
			}
			if got := tt.get(r); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}
