package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"disclose/internal/model"
)

const minimalReport = "year: 2023\ntitle: 报告\nsource:\n  title: 来源文件\n"

const richReport = `# yaml-language-server: $schema=../_schema/report.schema.json
year: 2023
title: 岳阳市云溪区2023年度部门整体支出绩效评价自评报告
report_date: 2024-05-31
evaluation: {method: 部门自评, text: 部门（单位）绩效自评, body: 评价组, issuer: 财政局（制）}
score:
  total: 97.35
  max: 100
  grade: 优
  parts:
    - {name: 预算执行, weight: 30, score: "29.5", note: 扣0.5分}
staff:
  as_of: 2023-12
  authorized: 30
  in_service: 29
  by_type: [{name: 全额拨款人员, count: 25}, {name: 退伍安置, count: 0}]
  retired: 22
totals:
  budget: 1,234.5678万元
  income: 1.2亿元
  expenditure: 55.02元
  note: 合计
funds:
  - source: 一般公共预算
    label: 一般公共预算拨款
    initial_budget: 4000
    adjustment: -12.5
    budget: "3987.5"
    expenditure: 4308.49
    carryover: 0
    execution_rate: "84.69%"
    basic:
      name: 基本支出
      amount: 603.69
      execution_rate: 99.5
      items:
        - {name: 工资福利支出, code: "301", amount: 444.37, budget: 450}
        - name: 老年人福利支出
          amount:
            published: 55.02元
            corrected: 55.02
            reason: 原文写作“55.02元”，判定为单位笔误。
    project:
      name: 项目支出
      amount: 3704.8
      of_which:
        - name: 救助站搬迁改造支出
          amount: 6.87
          items: [{name: 工程, amount: 6.87}]
    budget_plan: {total: 4000, basic: {amount: 600}, project: {amount: 3400}}
  - source: 政府性基金预算
    adjustment: {published: "-5", corrected: -5.5, reason: 笔误}
three_public:
  total: {budget: 10, actual: 8.5}
  reception: {budget: 2, actual: 0}
  note: 无因公出国
projects:
  - name: 城乡低保
    group: 社保民生资金
    budget: 100
    arrived: 100
    paid: 99.5
    description: 完成
    outputs: [保障 100 人]
    items: [{name: 发放, amount: 99.5}]
targets: [{name: 目标1, text: 兜底保障}, {text: 无名称的目标}]
indicators:
  - name: 产出指标
    weight: 50
    items:
      - name: 数量指标
        items:
          - {name: 救助人次, target: "≥90%", actual: 3633人次, weight: 10, score: 10, deviation: 无}
          - {name: 覆盖率, target: 应保尽保, actual: 100}
narrative: {summary: 综述, results_use: 应用情况}
source:
  title: 来源文件
  publisher: 岳阳市云溪区民政局
  file: 000_6c1a5cf0595a4eef.txt
  url: https://example.invalid/a.html
  published: 2024年5月31日
  note: 转录说明
notes: [编者注]
errata: [{published: 民证局, corrected: 民政局, reason: 错字, location: 第二段}]
`

const minimalDepartment = "name: 岳阳市云溪区民政局\nlevel: 县级\nregion: [湖南省, 岳阳市, 云溪区]\n"

const richDepartment = minimalDepartment + `short_name: 云溪区民政局
budget_code: "201001"
authority: 岳阳市云溪区人民政府
unit_type: 行政单位
funding: 全额拨款
rank: 正科级
offices: {count: 7, names: [办公室, 社会事务股]}
subordinates:
  count: 0
duties: |
  1. 贯彻执行……
`

// TestSnippets checks that the schemas accept good documents and refuse the
// mistakes an editor should see underlined.
func TestSnippets(t *testing.T) {
	schemas := compile(t)
	for _, c := range []struct {
		name string
		kind string
		doc  string
		ok   bool
	}{
		// Good documents.
		{"minimal report", KindReport, minimalReport, true},
		{"rich report", KindReport, richReport, true},
		{"minimal department", KindDepartment, minimalDepartment, true},
		{"rich department", KindDepartment, richDepartment, true},
		{"minimal site", KindSite, "title: 公开\n", true},
		{"site with portal", KindSite, "title: 公开\nportal: {site_name: 网站, site_id_code: '4306000001'}\nfooter: 页脚\n", true},
		{"date year only", KindReport, minimalReport + "report_date: 2024\n", true},
		{"date year quoted", KindReport, minimalReport + "report_date: '2024'\n", true},
		{"date year-month", KindReport, minimalReport + "report_date: 2024-05\n", true},
		{"date Chinese", KindReport, minimalReport + "report_date: 2024年5月31日\n", true},
		{"date Chinese month", KindReport, minimalReport + "report_date: 2024年05月\n", true},
		{"amount plain integer", KindReport, minimalReport + "totals: {budget: 253}\n", true},
		{"amount with space before unit", KindReport, minimalReport + "totals: {budget: 12 万元}\n", true},
		{"percent full-width sign", KindReport, minimalReport + "totals: {execution_rate: 100％}\n", true},
		{"number as string", KindReport, minimalReport + "score: {total: '97.35'}\n", true},
		{"measure number", KindReport, minimalReport + "indicators: [{name: a, target: 100}]\n", true},

		// Bad documents.
		{"unknown key titel", KindReport, minimalReport + "titel: 报告\n", false},
		{"missing required year", KindReport, "title: 报告\nsource: {title: 来源}\n", false},
		{"missing required source", KindReport, "year: 2023\ntitle: 报告\n", false},
		{"missing nested required source.title", KindReport, "year: 2023\ntitle: 报告\nsource: {file: a.txt}\n", false},
		{"year as text", KindReport, "year: 二〇二三\ntitle: 报告\nsource: {title: 来源}\n", false},
		{"year with decimals", KindReport, "year: 2023.5\ntitle: 报告\nsource: {title: 来源}\n", false},
		{"amount 12.3.4", KindReport, minimalReport + "totals: {budget: 12.3.4}\n", false},
		{"amount bad grouping", KindReport, minimalReport + "totals: {budget: '1,23.4'}\n", false},
		{"amount unknown unit", KindReport, minimalReport + "totals: {budget: 5美元}\n", false},
		{"amount negative", KindReport, minimalReport + "totals: {budget: -5}\n", false},
		{"amount negative text", KindReport, minimalReport + "totals: {expenditure: -5万元}\n", false},
		{"amount as list", KindReport, minimalReport + "totals: {budget: [1, 2]}\n", false},
		{"adjustment bad unit", KindReport, minimalReport + "funds: [{source: 一般公共预算, adjustment: -5美元}]\n", false},
		{"erratum without reason", KindReport, minimalReport + "totals: {budget: {published: 55.02元, corrected: 55.02}}\n", false},
		{"erratum extra key", KindReport, minimalReport + "totals: {budget: {published: 55.02元, corrected: 55.02, reason: x, location: y}}\n", false},
		{"erratum published not money", KindReport, minimalReport + "totals: {budget: {published: 五十五元, corrected: 55, reason: x}}\n", false},
		{"erratum corrected negative", KindReport, minimalReport + "totals: {budget: {published: 5, corrected: -5, reason: x}}\n", false},
		{"enum fund source", KindReport, minimalReport + "funds: [{source: 自筹资金}]\n", false},
		{"enum evaluation method", KindReport, minimalReport + "evaluation: {method: 自评}\n", false},
		{"enum level", KindDepartment, "name: 局\nlevel: 镇级\nregion: [湖南省]\n", false},
		{"list given as text: region", KindDepartment, "name: 局\nlevel: 县级\nregion: 湖南省\n", false},
		{"list given as mapping: funds", KindReport, minimalReport + "funds: {source: 一般公共预算}\n", false},
		{"list given as text: notes", KindReport, minimalReport + "notes: 一条编者注\n", false},
		{"list of numbers for strings", KindReport, minimalReport + "projects: [{name: a, outputs: [{x: 1}]}]\n", false},
		{"object given as number: score", KindReport, minimalReport + "score: 97.35\n", false},
		{"percent text", KindReport, minimalReport + "totals: {execution_rate: 约八成}\n", false},
		{"percent negative", KindReport, minimalReport + "totals: {execution_rate: -5}\n", false},
		{"number text", KindReport, minimalReport + "score: {total: 九十}\n", false},
		{"date slashes", KindReport, minimalReport + "report_date: 2024/05/31\n", false},
		{"date month 13", KindReport, minimalReport + "report_date: 2024-13\n", false},
		{"date short year", KindReport, minimalReport + "report_date: 999\n", false},
		{"measure list", KindReport, minimalReport + "indicators: [{name: a, target: [1, 2]}]\n", false},
		{"node unknown key (recursive)", KindReport, minimalReport +
			"funds: [{source: 一般公共预算, basic: {items: [{name: a, items: [{name: b, amout: 1}]}]}}]\n", false},
		{"indicator unknown key at level 3", KindReport, minimalReport +
			"indicators: [{name: a, items: [{name: b, items: [{name: c, targte: 1}]}]}]\n", false},
		{"indicator missing name at level 2", KindReport, minimalReport + "indicators: [{name: a, items: [{weight: 1}]}]\n", false},
		{"staff count negative", KindReport, minimalReport + "staff: {by_type: [{name: a, count: -1}]}\n", false},
		{"staff count as text", KindReport, minimalReport + "staff: {in_service: '29'}\n", false},
		{"amount in 元 beyond 0.0001", KindReport, minimalReport + "totals: {budget: 55.02345元}\n", false},
		{"amount with 9 decimals", KindReport, minimalReport + "totals: {budget: '0.123456789'}\n", false},
		{"staff count fraction", KindReport, minimalReport + "staff: {in_service: 2.5}\n", false},
		{"text erratum without reason", KindReport, minimalReport + "errata: [{published: a, corrected: b}]\n", false},
		{"narrative unknown section", KindReport, minimalReport + "narrative: {summery: 综述}\n", false},
		{"model-only field", KindReport, minimalReport + "files: [a.md]\n", false},
		{"department unknown key id", KindDepartment, minimalDepartment + "id: yunxi\n", false},
		{"department missing region", KindDepartment, "name: 局\nlevel: 县级\n", false},
		{"budget code not quoted", KindDepartment, minimalDepartment + "budget_code: 201001\n", false},
		{"org unit count negative", KindDepartment, minimalDepartment + "offices: {count: -1}\n", false},
		{"site missing title", KindSite, "subtitle: 副标题\n", false},
		{"site portal unknown key", KindSite, "title: 公开\nportal: {sitename: 网站}\n", false},
		{"empty document", KindReport, "", false},
	} {
		t.Run(c.kind+"/"+c.name, func(t *testing.T) {
			err := validateYAML(schemas[c.kind], []byte(c.doc))
			if c.ok && err != nil {
				t.Errorf("want valid:\n%s\ngot: %v", c.doc, err)
			}
			if !c.ok && err == nil {
				t.Errorf("want invalid, but the schema accepts:\n%s", c.doc)
			}
		})
	}
}

// TestExamplesValid validates every "examples" value in the schemas against
// the schema it illustrates, so an ex tag cannot contradict its field.
func TestExamplesValid(t *testing.T) {
	type example struct {
		loc  string
		vals []any
	}
	var all []example
	for _, kind := range Kinds {
		var walk func(v any, ptr string)
		walk = func(v any, ptr string) {
			switch v := v.(type) {
			case map[string]any:
				if ex, ok := v["examples"].([]any); ok {
					all = append(all, example{ID(kind) + "#" + ptr, ex})
				}
				for k, x := range v {
					if k != "examples" && k != "enum" {
						walk(x, ptr+"/"+pointerEscape(k))
					}
				}
			case []any:
				for i, x := range v {
					walk(x, fmt.Sprintf("%s/%d", ptr, i))
				}
			}
		}
		b, _ := Generate(kind)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var doc any
		if err := dec.Decode(&doc); err != nil {
			t.Fatal(err)
		}
		walk(doc, "")
	}
	if len(all) < 10 {
		t.Fatalf("found only %d examples", len(all))
	}
	sort.Slice(all, func(i, j int) bool { return all[i].loc < all[j].loc })
	var locs []string
	for _, e := range all {
		locs = append(locs, e.loc)
	}
	schemas := compile(t, locs...)
	for _, e := range all {
		for _, v := range e.vals {
			if err := schemas[e.loc].Validate(v); err != nil {
				t.Errorf("%s: example %v is invalid: %v", e.loc, v, err)
			}
		}
	}
}

// TestLiteralsAgreeWithParsers checks, over many spellings, that whatever
// string the schema accepts for a literal type the model's parser accepts
// too, so a file that looks right in the editor loads. (The schema is
// stricter in places, e.g. it wants 2024-05-31 rather than 2024-5-31.)
func TestLiteralsAgreeWithParsers(t *testing.T) {
	defs := []string{"Amount", "SignedAmount", "Percent", "Number", "Date"}
	var locs []string
	for _, d := range defs {
		locs = append(locs, ID(KindReport)+"#/$defs/"+d)
	}
	schemas := compile(t, locs...)
	accepts := func(def, s string) bool { return schemas[ID(KindReport)+"#/$defs/"+def].Validate(s) == nil }

	var numbers []string
	for _, sign := range []string{"", "+", "-"} {
		for _, whole := range []string{"", "0", "12", "007", "1,234", "12,34", "1234567", "1,234,567", ",123", "1a"} {
			for _, frac := range []string{"", ".5", ".", ".1234", ".12345678", "..5", ".5.5"} {
				numbers = append(numbers, sign+whole+frac)
			}
		}
	}
	seen := map[string]int{}
	for _, n := range numbers {
		for _, unit := range []string{"", "万元", " 万元", "元", "亿元", "美元", "%", "％", " %"} {
			s := n + unit
			if accepts("Amount", s) {
				seen["Amount"]++
				d, _, err := model.ParseMoney(s)
				if err != nil || d.IsNegative() {
					t.Errorf("Amount accepts %q, ParseMoney: %v %v", s, d, err)
				}
			}
			if accepts("SignedAmount", s) {
				seen["SignedAmount"]++
				if _, _, err := model.ParseMoney(s); err != nil {
					t.Errorf("SignedAmount accepts %q, ParseMoney: %v", s, err)
				}
			}
			if accepts("Percent", s) {
				seen["Percent"]++
				if _, err := model.ParsePercent(s); err != nil {
					t.Errorf("Percent accepts %q, ParsePercent: %v", s, err)
				}
			}
			if accepts("Number", s) {
				seen["Number"]++
				if _, err := model.ParseDecimal(s); err != nil {
					t.Errorf("Number accepts %q, ParseDecimal: %v", s, err)
				}
			}
		}
	}
	for _, s := range []string{
		"2024", "2024-05", "2024-05-31", "2024-02-30", "2024-5-31", "2024-00", "2024-12-32", "0999",
		"2024年", "2024年5月", "2024年05月", "2024年5月31日", "2024年13月", "2024年5月31", "2024年5月0日",
		"24-05-31", "2024/05/31", "2024-05-31T00:00:00Z", "", "二〇二四年",
	} {
		if accepts("Date", s) {
			seen["Date"]++
			// The pattern cannot know month lengths (2024-02-30); the loader
			// reports those. Everything else it accepts must parse.
			if _, err := model.ParseDate(s); err != nil && s != "2024-02-30" {
				t.Errorf("Date accepts %q, ParseDate: %v", s, err)
			}
		}
	}
	for _, d := range defs {
		if seen[d] < 5 {
			t.Errorf("%s accepted only %d spellings: the test is vacuous", d, seen[d])
		}
	}
	t.Logf("accepted spellings: %v", seen)
}
