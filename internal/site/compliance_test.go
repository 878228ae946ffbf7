package site

import (
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/net/html"

	"disclose/internal/compliance"
	"disclose/internal/theme"
)

// metaOf returns the name → content of a page's meta tags.
func metaOf(t *testing.T, name string, b []byte) map[string]string {
	t.Helper()
	meta := map[string]string{}
	walk(parse(t, name, b), func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			if k, ok := attr(n, "name"); ok {
				meta[k], _ = attr(n, "content")
			}
		}
	})
	return meta
}

// TestPortalMetaEveryPage: every page of the real content carries the
// site-wide tags of 国办发〔2017〕47号 (SiteDomain from the base URL when
// site.yaml gives none, Url the page's own address), and a report page
// its article tags, PubDate being the source's publication date.
func TestPortalMetaEveryPage(t *testing.T) {
	_, files := render(t, "https://www.example.gov.cn/xxgk/jx/")
	pages := 0
	for p, b := range files {
		if !strings.HasSuffix(p, ".html") || p == "404.html" {
			continue
		}
		pages++
		meta := metaOf(t, p, b)
		for k, want := range map[string]string{
			"SiteName":   "部门整体支出绩效自评报告公开",
			"SiteDomain": "www.example.gov.cn",
			"ColumnName": "绩效信息公开",
			"Url":        "https://www.example.gov.cn/xxgk/jx/" + p,
		} {
			if meta[k] != want {
				t.Errorf("%s: meta %s = %q, want %q", p, k, meta[k], want)
			}
		}
		if meta["Description"] == "" {
			t.Errorf("%s: no Description", p)
		}
	}
	if pages < 30 {
		t.Fatalf("only %d pages", pages)
	}
	meta := metaOf(t, "lishui", files["reports/zhejiang-lishui-sifaju/2023.html"])
	for k, want := range map[string]string{
		"ArticleTitle":  "丽水市司法局2023年度部门决算",
		"PubDate":       "2024-09-02 00:00", // source.published
		"ContentSource": "各部门公开的绩效自评报告",
		"Keywords":      "丽水市司法局,部门决算,2023",
	} {
		if meta[k] != want {
			t.Errorf("report: meta %s = %q, want %q", k, meta[k], want)
		}
	}
}

// A small site with every portal value, one department that published its
// 部门决算 late and no 部门预算.
var complianceFixture = fstest.MapFS{
	"site.yaml": {Data: []byte(`title: 测试站点
portal:
  site_name: 测试站点
  site_domain: czj.example.gov.cn
  site_id_code: "4300000001"
  column_name: 预决算公开
  column_type: 信息公开
  content_source: 测试局
`)},
	"dept/department.yaml": {Data: []byte("name: 测试局\nlevel: 县级\nregion: [浙江省, 某市, 某区]\n")},
	"dept/2023.yaml": {Data: []byte(`year: 2023
kind: 部门决算
title: 测试局2023年度部门决算
approved: 2024-03-01
source:
  title: 测试局2023年度部门决算
  published: 2024-04-01
`)},
	"trunc/department.yaml": {Data: []byte("name: 残本局\nlevel: 县级\nregion: [浙江省, 某市, 某区]\n")},
	"trunc/2023.yaml": {Data: []byte(`year: 2023
kind: 部门决算
title: 残本局2023年度部门决算
source:
  title: 残本局2023年度部门决算
  truncated: true
`)},
	"other/department.yaml": {Data: []byte("name: 另一局\nlevel: 县级\nregion: [浙江省, 某市, 某区]\n")},
	"other/2022.yaml": {Data: []byte(`year: 2022
kind: 三公经费
title: 另一局2022年“三公”经费
source:
  title: 另一局2022年“三公”经费
`)},
}

// TestCompliancePage: the 公开情况 page has a row for each disclosure of
// each department-year the check gives, in words (已公开/未公开), with the
// publication against its deadline and what is missing with its basis;
// the region's summary; and the portal tags from site.yaml.
func TestCompliancePage(t *testing.T) {
	m, ds := loadChecked(complianceFixture, "content")
	files, _ := renderSome(t, loaded{m, ds}, Options{}, nil)
	b := files["compliance.html"]
	if b == nil {
		t.Fatal("no compliance.html")
	}
	meta := metaOf(t, "compliance.html", b)
	for k, want := range map[string]string{"SiteIDCode": "4300000001", "SiteDomain": "czj.example.gov.cn", "ColumnType": "信息公开"} {
		if meta[k] != want {
			t.Errorf("meta %s = %q, want %q", k, meta[k], want)
		}
	}
	doc := parse(t, "compliance.html", b)
	var rows [][]string
	var caption string
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode || n.Data != "table" {
			return
		}
		if id, _ := attr(n, "id"); id != "compliance" {
			return
		}
		walk(n, func(c *html.Node) {
			if c.Type == html.ElementNode && c.Data == "caption" {
				caption = text(c)
			}
			if c.Type == html.ElementNode && c.Data == "tr" && c.Parent.Data == "tbody" {
				var cells []string
				for td := c.FirstChild; td != nil; td = td.NextSibling {
					if td.Type == html.ElementNode {
						cells = append(cells, strings.TrimSpace(text(td)))
					}
				}
				rows = append(rows, cells)
			}
		})
	})
	if caption == "" {
		t.Error("the table has no caption")
	}
	ps, _ := compliance.Load("")
	p, _ := ps.Lookup("")
	res := compliance.Check(m, p)
	want := 0
	for _, r := range res.Rows {
		want += len(r.Items)
	}
	if len(rows) != want || want == 0 {
		t.Fatalf("%d rows, want %d: %q", len(rows), want, rows)
	}
	find := func(dept, year, kind string) []string {
		for _, r := range rows {
			if r[0] == dept && r[1] == year && strings.HasPrefix(r[2], kind) {
				return r
			}
		}
		t.Errorf("no row %s %s %s in %q", dept, year, kind, rows)
		return make([]string, 6)
	}
	late := find("测试局", "2023", "部门决算")
	if late[3] != "✓ 已公开" || !strings.Contains(late[4], "2024-04-01 发布，逾期 11 天") || !strings.Contains(late[4], "2024-03-21") {
		t.Errorf("late row %q", late)
	}
	if !strings.Contains(late[5], "“三公”经费") || !strings.Contains(late[5], "依据：") {
		t.Errorf("late row's missing parts %q", late[5])
	}
	budget := find("测试局", "2023", "部门预算")
	if budget[3] != "✗ 未公开" || budget[4] != "—" || !strings.Contains(budget[5], "整份文件未公开（依据：《预算法》第十四条第二款") {
		t.Errorf("missing budget row %q", budget)
	}
	three := find("另一局", "2022", "“三公”经费情况说明")
	if !strings.Contains(three[2], "（非必须）") || three[4] != "未记录发布日期" {
		t.Errorf("三公 row %q", three)
	}
	trunc := find("残本局", "2023", "部门决算")
	if !strings.Contains(trunc[4], "未记录批复日期，无法判断是否按时") || !strings.Contains(trunc[5], "无法判断：") || !strings.Contains(trunc[5], "机关运行经费说明（原文不完整）") {
		t.Errorf("truncated row %q", trunc)
	}
	summary := text(doc)
	if !strings.Contains(summary, "全地区：3 个部门，") || !strings.Contains(summary, "项缺失") {
		t.Errorf("no summary line in %s", summary)
	}
	if strings.Contains(summary, "网站元数据缺项") {
		t.Error("site.yaml has every portal value, yet the page lists some as missing")
	}
	// Every page links the 公开情况 page.
	if !strings.Contains(string(files["index.html"]), `href="compliance.html"`) || !strings.Contains(string(files["glossary.html"]), `href="compliance.html"`) {
		t.Error("compliance.html is not linked from the footer")
	}

	// More department-years than a page holds: the main page sums up
	// each year and links its pages.
	files, _ = renderSome(t, loaded{m, ds}, Options{PageSize: 1}, nil)
	for _, p := range []string{"compliance/2023.html", "compliance/2022.html"} {
		if files[p] == nil {
			t.Errorf("no %s", p)
		}
		if !strings.Contains(string(files["compliance.html"]), `href="`+p+`"`) {
			t.Errorf("compliance.html does not link %s", p)
		}
	}
	if !strings.Contains(text(parse(t, "2023", files["compliance/2023.html"])), "逾期 11 天") {
		t.Error("the 2023 page lacks the late row")
	}
}

// TestComplianceUnknownProfile: a site.yaml naming a profile there is not
// fails the build with the names there are.
func TestComplianceUnknownProfile(t *testing.T) {
	fsys := fstest.MapFS{}
	for k, v := range complianceFixture {
		fsys[k] = v
	}
	fsys["site.yaml"] = &fstest.MapFile{Data: []byte("title: 测试站点\nprofile: guangdong\n")}
	m, ds := loadChecked(fsys, "content")
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New(m, ds, th, Options{}); err == nil || !strings.Contains(err.Error(), "hunan、national") {
		t.Errorf("error %v", err)
	}
}
