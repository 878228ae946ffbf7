package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"disclose/internal/build"
	"disclose/internal/model"
)

// cleanJS defines clean(el): an element's text without the site's marks
// (the * of a computed figure), as a reader reads the figure itself.
const cleanJS = `const clean = el => { if (!el) return ''; const c = el.cloneNode(true); c.querySelectorAll('sup').forEach(s => s.remove()); return c.textContent.replace(/\s+/g, ' ').trim(); };`

// cardsJS lists the key-figure cards: label, value, and the change shown.
const cardsJS = `(() => { ` + cleanJS + `
	return [...document.querySelectorAll('.key-figures .card')].map(c => ({
		label: clean(c.querySelector('.card-label')),
		value: clean(c.querySelector('.card-value .num')),
		amount: clean(c.querySelector('.card-change .chg-amount')).replace(/万元$/, ''),
		rate: clean(c.querySelector('.card-change .chg-rate')),
		computed: !!c.querySelector('.card-change .computed'),
	}));
})()`

// changeTablesJS lists the rows of the tables under selector: for each row its
// name and its cells by column heading, and whether its change is the
// site's own.
const changeTablesJS = `(() => { ` + cleanJS + `
	const out = [];
	for (const t of document.querySelectorAll(%q)) {
		const head = [...t.querySelectorAll('thead th')].map(clean);
		for (const tr of t.querySelectorAll('tbody tr')) {
			const cells = {};
			[...tr.querySelectorAll('td')].forEach((td, i) => { cells[head[i + 1]] = clean(td); });
			out.push({table: clean(t.querySelector('caption')), name: clean(tr.querySelector('th')), cells,
				computed: !!tr.querySelector('.chg-amount .computed')});
		}
	}
	return out;
})()`

type cardView struct {
	Label, Value, Amount, Rate string
	Computed                   bool
}

type rowView struct {
	Table, Name string
	Cells       map[string]string
	Computed    bool
}

// wantChange checks a shown change against the one the test computes from
// the two published figures: now − prior exactly, and that change ÷ prior
// as a percentage rounded half-up to two places ("—" when prior is zero).
func wantChange(t *testing.T, what, now, prior, amount, rate string) {
	t.Helper()
	n, err1 := model.ParseDecimal(now)
	p, err2 := model.ParseDecimal(prior)
	if err1 != nil || err2 != nil {
		t.Errorf("%s: figures %q and %q are not numbers", what, now, prior)
		return
	}
	diff := n.Sub(p)
	got, err := model.ParseDecimal(amount)
	if err != nil || got.Cmp(diff) != 0 {
		t.Errorf("%s: 增减额 shown %q, want %s (%s − %s)", what, amount, diff, now, prior)
	}
	if p.IsZero() {
		if rate != "—" {
			t.Errorf("%s: 增减率 shown %q against a prior year of zero, want —", what, rate)
		}
		return
	}
	want, _ := model.Ratio(diff, p.Abs(), 2)
	r, err := model.ParsePercent(rate)
	if err != nil || r.Cmp(want) != 0 {
		t.Errorf("%s: 增减率 shown %q, want %s%%", what, rate, want.Format(2))
	}
}

// TestChangeOverTime: the key figures, the tables and the department page
// show 增减额 and 增减率, with the values the test computes itself from the
// figures the pages publish; and table amounts carry thousands separators
// with the published digits.
func TestChangeOverTime(t *testing.T) {
	t.Parallel()
	exe := needChromium(t)
	_, root := site(t)
	browser := startBrowser(t, exe)

	t.Run("stated prior year", func(t *testing.T) {
		t.Parallel()
		// 衡山县官塘镇 states the prior year's 公用经费 and 项目支出 but
		// not their change.
		tb := newTab(t, browser)
		tb.viewport(1280, 900, false)
		tb.navigate(root.String() + "reports/hunan-hengyang-hengshan-guantang/2023.html")
		rows := eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "#breakdown table"))
		priors := map[string]string{}
		n := 0
		for _, r := range rows {
			if r.Cells["上年数"] == "" || r.Cells["上年数"] == "—" {
				continue
			}
			priors[r.Name] = r.Cells["上年数"]
			if !r.Computed {
				t.Errorf("row %s has a prior year but no computed change: %v", r.Name, r.Cells)
				continue
			}
			wantChange(t, r.Name, r.Cells["金额"], r.Cells["上年数"], r.Cells["增减"], r.Cells["增减率"])
			n++
		}
		if n < 5 {
			t.Errorf("%d rows of the breakdown show a change, want 5", n)
		}
		cards := eval[[]cardView](tb, cardsJS)
		found := false
		for _, c := range cards {
			if c.Label == "项目支出" {
				found = true
				if !c.Computed {
					t.Errorf("card 项目支出 shows no computed change: %+v", c)
				}
				wantChange(t, "card 项目支出", c.Value, priors["项目支出"], c.Amount, c.Rate)
			}
		}
		if !found {
			t.Errorf("no card 项目支出 among %+v", cards)
		}
		// The 三公 table: prior year zero, so no rate.
		three := eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "#three-public table"))
		if len(three) == 0 {
			t.Fatal("no 三公 table")
		}
		for _, r := range three {
			wantChange(t, "三公 "+r.Name, r.Cells["实际支出"], r.Cells["上年数"], r.Cells["增减"], r.Cells["增减率"])
		}
		tb.finish("hengshan")
	})

	t.Run("stated change kept", func(t *testing.T) {
		t.Parallel()
		// 广东省财政厅 states its own changes: they stay as worded.
		tb := newTab(t, browser)
		tb.navigate(root.String() + "reports/guangdong-caizhengting/2023.html")
		for _, r := range eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "#three-public table")) {
			if r.Name == "公务接待费" && (r.Cells["增减"] != "增加20.63万元" || r.Cells["增减率"] != "增长1,055.4%") {
				t.Errorf("公务接待费 shows %v, want the stated 增加20.63万元 and 增长1,055.4%%", r.Cells)
			}
		}
		tb.finish("guangdong")
	})

	t.Run("thousands separators", func(t *testing.T) {
		t.Parallel()
		yaml, err := os.ReadFile(filepath.Join(repoRoot, "content/hubei-jingmen-minzheng/2022.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		published := regexp.MustCompile(`(?m)^  expenditure: (\S+)$`).FindSubmatch(yaml)
		if published == nil {
			t.Fatal("no totals expenditure in 荆门 2022.yaml")
		}
		tb := newTab(t, browser)
		tb.navigate(root.String() + "reports/hubei-jingmen-minzheng/2022.html")
		var shown string
		for _, r := range eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "#funds table")) {
			if r.Name == "部门合计" {
				shown = r.Cells["支出"]
			}
		}
		if !regexp.MustCompile(`^\d{1,3}(,\d{3})+(\.\d+)?$`).MatchString(shown) {
			t.Errorf("部门合计 支出 shown %q, want thousands separators", shown)
		}
		if strings.ReplaceAll(shown, ",", "") != string(published[1]) {
			t.Errorf("部门合计 支出 shown %q, published %q: the digits differ", shown, published[1])
		}
		// Chart summaries read the same way; the charts' data keep plain
		// numbers.
		summaries := eval[string](tb, `[...document.querySelectorAll('.chart-summary')].map(p => p.textContent).join('\n')`)
		if !strings.Contains(summaries, "16,273.16万元") {
			t.Errorf("no chart summary shows 基本支出 as 16,273.16万元: %s", summaries)
		}
		tb.finish("jingmen")
	})

	t.Run("previous report", func(t *testing.T) {
		t.Parallel()
		froot := serveStrict(t, twoYearSite(t), subPath)
		tb := newTab(t, browser)
		tb.viewport(1280, 900, false)
		const dept = "hubei-jingmen-minzheng"
		tb.navigate(froot.String() + "reports/" + dept + "/2021.html")
		before := map[string]string{}
		for _, c := range eval[[]cardView](tb, cardsJS) {
			before[c.Label] = c.Value
		}
		beforeFunds := map[string]string{}
		for _, r := range eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "#funds table")) {
			beforeFunds[r.Name] = r.Cells["支出"]
		}
		tb.navigate(froot.String() + "reports/" + dept + "/2022.html")
		n := 0
		for _, c := range eval[[]cardView](tb, cardsJS) {
			if before[c.Label] == "" || c.Label == "预算执行率" || c.Label == "自评得分" {
				continue
			}
			if !c.Computed {
				t.Errorf("card %s shows no computed change: %+v", c.Label, c)
				continue
			}
			wantChange(t, "card "+c.Label, c.Value, before[c.Label], c.Amount, c.Rate)
			n++
		}
		if n < 4 {
			t.Errorf("%d cards show a change against 2021, want 4", n)
		}
		funds := 0
		for _, r := range eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "#funds table")) {
			if p := beforeFunds[r.Name]; p != "" && p != "—" {
				wantChange(t, "funds "+r.Name, r.Cells["支出"], p, r.Cells["支出比上年增减"], r.Cells["增减率"])
				funds++
			}
		}
		if funds == 0 {
			t.Error("the funds table shows no change against 2021")
		}
		tb.navigate(froot.String() + "departments/" + dept + ".html")
		rows := eval[[]rowView](tb, fmt.Sprintf(changeTablesJS, "table.change-table"))
		if len(rows) < 4 {
			t.Fatalf("the department page compares %d figures, want 4: %+v", len(rows), rows)
		}
		for _, r := range rows {
			wantChange(t, "department "+r.Name, r.Cells["2022年度"], r.Cells["2021年度"], r.Cells["增减额"], r.Cells["增减率"])
		}
		tb.finish("two years")
		// The new tables pass the checks every page passes: axe, the
		// 360 px width, the preferences.
		axe, err := os.ReadFile(needFile(t, "axe-core (npm)", "node_modules/axe-core/axe.min.js"))
		if err != nil {
			t.Fatal(err)
		}
		tabs := newTabPool(browser)
		for _, p := range []string{"reports/" + dept + "/2022.html", "departments/" + dept + ".html"} {
			problems, _ := checkPage(t, tabs, froot.String()+p, string(axe), chartWait, pageChecks{contrast: true})
			for _, pr := range problems {
				t.Error(pr)
			}
		}
	})
}

// twoYearSite builds a site of 荆门市民政局 with a second, earlier year: a
// test fixture derived from its real 2022 report (other headline figures,
// the same breakdown of them), never part of content/.
func twoYearSite(t *testing.T) string {
	t.Helper()
	tmp := t.TempDir()
	content := filepath.Join(tmp, "content")
	src := filepath.Join(repoRoot, "content")
	copyFile := func(rel string, edit func(string) string) {
		b, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if edit != nil {
			s = edit(s)
		}
		dst := filepath.Join(content, rel)
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(dst, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const dept = "hubei-jingmen-minzheng"
	copyFile("site.yaml", nil)
	copyFile(dept+"/department.yaml", nil)
	copyFile(dept+"/2022.yaml", nil)
	entries, err := os.ReadDir(filepath.Join(src, dept, "2022"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		copyFile(dept+"/2022/"+e.Name(), nil)
	}
	// 2021: the year and new headline figures whose parts still add up
	// (basic + project = expenditure).
	replace := func(s string, pairs ...string) string {
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("2022.yaml has no %q to derive 2021 from", pairs[i])
			}
			s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
		}
		return s
	}
	b, err := os.ReadFile(filepath.Join(src, dept, "2022.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	y2021 := replace(string(b),
		"year: 2022", "year: 2021",
		"2022年度", "2021年度",
		"  budget: 11605.29\n", "  budget: 10980.5\n",
		"  expenditure: 21680.25\n", "  expenditure: 20011.3000\n",
		"    amount: 16273.16\n", "    amount: 15011.30\n",
		"    amount: 5407.09\n", "    amount: 5000\n",
	)
	if err := os.WriteFile(filepath.Join(content, dept, "2021.yaml"), []byte(y2021), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), patient(2*time.Minute))
	defer cancel()
	out := filepath.Join(tmp, "public")
	if _, err := build.Build(ctx, build.Options{Content: content, Out: out}); err != nil {
		t.Fatalf("building the two-year site: %v", err)
	}
	return out
}
