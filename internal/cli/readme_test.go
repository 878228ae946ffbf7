package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/model"
)

// The README's complete example must be valid content: every block that
// follows a "`content/<path>`:" line is loaded as that file and must give
// no error or warning (the recorded errata appear as notes).
func TestReadmeExample(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)`content/([^`]+)`:\\n\\n```yaml\\n(.*?)```")
	fsys := fstest.MapFS{}
	for _, m := range re.FindAllStringSubmatch(string(b), -1) {
		fsys[m[1]] = &fstest.MapFile{Data: []byte(m[2])}
	}
	for _, want := range []string{"site.yaml", "example-minzheng/department.yaml", "example-minzheng/2023.yaml",
		"example-minzheng/2023-juesuan.yaml", "example-minzheng/2023-sangong.yaml", "example-minzheng/2023-xm-dibao.yaml",
		"example-minzheng/2024-yusuan.yaml", "example-minzheng/2023-other.yaml"} {
		if _, ok := fsys[want]; !ok {
			t.Fatalf("README example lacks %s (found %d files)", want, len(fsys))
		}
	}
	site, ds := build.LoadFS(fsys, "content")
	notes := 0
	for _, d := range ds {
		if d.Severity == diag.Note {
			notes++
			continue
		}
		t.Errorf("%s: %s [%s]: %s", d.Location(), d.Severity, d.Rule, d.Message(diag.Zh))
	}
	if notes != 2 {
		t.Errorf("want the 2 errata as notes, got %d", notes)
	}
	// One example of each kind, each with its structured part.
	kinds := map[model.DocKind]*model.Report{}
	for _, r := range site.Departments[0].Reports {
		kinds[r.DocKind()] = r
	}
	for _, k := range model.DocKind("").Values() {
		if kinds[model.DocKind(k)] == nil {
			t.Errorf("README has no example of kind %s", k)
		}
	}
	if r := kinds[model.KindFinalAccounts]; r == nil || r.Accounts == nil || r.Accounts.Functional == nil || r.Key() != "2023-juesuan" || len(r.Tables) != 1 || len(r.Tables[0].Rows) != 6 {
		t.Error("部门决算 example: no accounts")
	}
	if r := kinds[model.KindThreePublic]; r == nil || r.ThreePublic.Total.Actual.Published != "155,000.00元" || r.ThreePublic.Total.Actual.Unit != model.UnitYuan {
		t.Error("三公 example: the 元 figure was not kept as published")
	}
	if r := kinds[model.KindProjectEval]; r == nil || r.ProjectEval == nil || len(r.ProjectEval.Funds) != 1 {
		t.Error("项目支出绩效自评 example: no project form")
	}
	r := kinds[model.KindSelfEval]
	if got := r.Funds[0].Project.Items[0].Items[1].Amount.Value.String(); got != "55.02" {
		t.Errorf("corrected amount = %s", got)
	}
	if !strings.Contains(r.Narrative.Summary, "97.35") {
		t.Error("inline narrative not loaded")
	}
}
