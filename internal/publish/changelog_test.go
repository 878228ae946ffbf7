package publish

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The changelog printed by a publish names pages added, changed and
// removed, and for each report whose table changed, the figures with old
// and new values; it is kept beside the release.
func TestChangelog(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	publish(t, s, writeSite(t, site(nil)), c, 0)

	var many strings.Builder
	many.WriteString(csvHeader)
	for i := range 25 {
		many.WriteString(csvRow(fmt.Sprintf("项目支出/项目%02d", i), "支出", "1.00"))
	}
	b := site(map[string]string{
		"index.html":       "<h1>新首页</h1>",
		"new/index.html":   "新",
		"zz-ls/index.html": "",
		"assets/site.js":   "console.log(2)",
		"data/all.csv":     "changed too, but the site-wide table is no report",
		"data/xt-mz/2024.csv": csvHeader +
			csvRow("合计", "年初预算", "2400.00") + // changed
			csvRow("基本支出", "支出", "800.00"), // added; 合计 支出 removed
		"data/xt-mz/2025.csv": many.String(), // a new report
		"data/zz-ls/2023.csv": many.String(),
	})
	var log bytes.Buffer
	res, err := Publish(context.Background(), s, Options{Site: writeSite(t, b), Now: c.now, BeforeSwitch: func(r Result) { r.Changes.WriteText(&log) }, MaxFigures: 3})
	if err != nil {
		t.Fatal(err)
	}
	text := log.String()
	for _, line := range []string{
		"页面：新增 1 个，修改 1 个，删除 1 个",
		"    + new/index.html\n",
		"    ~ index.html\n",
		"    - zz-ls/index.html\n",
		"其他文件（脚本、图片、下载等）：新增、修改或删除 2 个",
		"~ 湘潭市民政局 2024年 部门整体支出绩效自评（data/xt-mz/2024.csv）",
		"        ~ 湘潭市民政局 2024年 收支 合计 年初预算：2373.85 → 2400.00\n",
		"        + 湘潭市民政局 2024年 收支 基本支出 支出：800.00\n",
		"        - 湘潭市民政局 2024年 收支 合计 支出：2200.10\n",
		"+ 新增报告 湘潭市民政局 2024年 部门整体支出绩效自评（data/xt-mz/2025.csv）",
		"+ 新增报告 湘潭市民政局 2024年 部门整体支出绩效自评（data/zz-ls/2023.csv）",
	} {
		if !strings.Contains(text, line) {
			t.Errorf("changelog lacks %q:\n%s", line, text)
		}
	}
	saved, err := s.ReadFile("releases/" + res.ID + ".changelog.txt")
	if err != nil || string(saved) != text {
		t.Errorf("saved changelog differs from the printed one (%v):\n%s", err, saved)
	}

	// More changed figures than the limit: the rest are counted.
	d := site(map[string]string{"data/xt-mz/2024.csv": strings.ReplaceAll(many.String(), "1.00", "2.00")})
	log.Reset()
	if _, err := Publish(context.Background(), s, Options{Site: writeSite(t, d), Now: c.now, BeforeSwitch: func(r Result) { r.Changes.WriteText(&log) }, MaxFigures: 3}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(log.String(), "：1.00 → 2.00"); got != 0 {
		t.Errorf("%d changes 1.00 → 2.00: 2024.csv had other rows before", got)
	}
	if !strings.Contains(log.String(), "… 另有 24 项") || strings.Count(log.String(), "\n        ") != 3+1 {
		t.Errorf("figures not bounded at 3:\n%s", log.String())
	}
}

func TestChangesOfFigures(t *testing.T) {
	m := func(id string, files ...File) *Manifest { return &Manifest{ID: id, Files: files} }
	f := func(p, h string) File { return File{Path: p, SHA256: h} }
	old := m("a", f("data/d/2024.csv", "1"))
	cur := m("b", f("data/d/2024.csv", "2"))
	tables := map[string]string{
		"old": csvHeader + csvRow("合计", "年初预算", "10.00") + csvRow("合计", "年初预算", "11.00"),
		// A value written differently by the source, same amount.
		"new": csvHeader + strings.Replace(csvRow("合计", "年初预算", "10.00"), "10.00,,,", "10.00,100000元,元,", 1) + csvRow("合计", "年初预算", "12.00"),
	}
	c, err := Changes(old, cur,
		func(string) ([]byte, error) { return []byte(tables["old"]), nil },
		func(string) ([]byte, error) { return []byte(tables["new"]), nil }, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Reports) != 1 {
		t.Fatalf("reports: %+v", c.Reports)
	}
	got := c.Reports[0].Figures
	wantFigs := []FigureChange{
		{Op: "~", Label: "湘潭市民政局 2024年 收支 合计 年初预算", Old: "10.00", New: "10.00", Detail: true},
		{Op: "~", Label: "湘潭市民政局 2024年 收支 合计 年初预算", Old: "11.00", New: "12.00"},
	}
	if fmt.Sprint(got) != fmt.Sprint(wantFigs) {
		t.Errorf("figures:\n got %+v\nwant %+v", got, wantFigs)
	}

	tables["new"] = "\"broken"
	c, err = Changes(old, cur,
		func(string) ([]byte, error) { return []byte(tables["old"]), nil },
		func(string) ([]byte, error) { return []byte(tables["new"]), nil }, 0)
	if err != nil || c.Reports[0].Note == "" {
		t.Errorf("a table that does not read: %+v, %v", c.Reports, err)
	}
}

func TestChangelogBounded(t *testing.T) {
	c := &Changelog{From: "a", To: "b"}
	for i := range 40 {
		c.Changed = append(c.Changed, fmt.Sprintf("p%02d.html", i))
		c.Reports = append(c.Reports, ReportChange{Path: fmt.Sprintf("data/d/%02d.csv", i), Op: "~"})
	}
	var b bytes.Buffer
	if err := c.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	if strings.Count(text, ".html") != maxPaths || !strings.Contains(text, "~ … 另有 10 个") {
		t.Errorf("pages not bounded:\n%s", text)
	}
	if strings.Count(text, ".csv") != maxReports || !strings.Contains(text, "… 另有 10 份报告") {
		t.Errorf("reports not bounded:\n%s", text)
	}
}
