package diag

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"disclose/internal/model"
)

// Every rule has wording in both languages, a hint, and uses only the
// argument slots the others use: a template that references %[5]s when the
// callers pass four arguments would print an empty hole.
func TestCatalogComplete(t *testing.T) {
	slot := regexp.MustCompile(`%\[(\d)\]s`)
	for _, r := range Rules() {
		tpl := catalog[r]
		if tpl.zh == "" || tpl.en == "" || tpl.hintZh == "" || tpl.hintEn == "" {
			t.Errorf("%s: missing wording %+v", r, tpl)
		}
		if !regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`).MatchString(string(r)) {
			t.Errorf("rule id %q is not kebab-case", r)
		}
		maxZh, maxEn := 0, 0
		for _, m := range slot.FindAllStringSubmatch(tpl.zh+tpl.hintZh, -1) {
			maxZh = max(maxZh, int(m[1][0]-'0'))
		}
		for _, m := range slot.FindAllStringSubmatch(tpl.en+tpl.hintEn, -1) {
			maxEn = max(maxEn, int(m[1][0]-'0'))
		}
		if maxZh > 8 || maxEn > 8 {
			t.Errorf("%s uses more than 8 arguments", r)
		}
	}
}

func TestRender(t *testing.T) {
	d := New(model.Pos{File: "content/a/2023.yaml", Line: 12, Col: 5}, SumMismatch, "一般公共预算 › 项目支出", "232.36", "212.36", "20.00", "", "")
	if d.Severity != Warning {
		t.Fatalf("severity %v", d.Severity)
	}
	want := "一般公共预算 › 项目支出：各分项之和 212.36 万元与合计 232.36 万元不符，相差 20.00 万元"
	if got := d.Message(Zh); got != want {
		t.Errorf("zh message\n got %s\nwant %s", got, want)
	}
	if got := d.Message(En); !strings.Contains(got, "add up to 212.36 万元, not the stated total 232.36") {
		t.Errorf("en message %s", got)
	}
	if strings.Contains(d.Hint(Zh), "%!") || strings.Contains(d.Message(En), "%!") {
		t.Error("fmt noise in output")
	}
	if d.Location() != "content/a/2023.yaml:12:5" {
		t.Errorf("location %s", d.Location())
	}
	if (Diagnostic{Pos: model.Pos{File: "x"}}).Location() != "x" || (Diagnostic{}).Location() != "-" {
		t.Error("location without line")
	}
}

func TestWriters(t *testing.T) {
	ds := []Diagnostic{
		New(model.Pos{File: "b.yaml", Line: 2, Col: 1}, UnknownKey, "titel", "，是不是想写“title”？", "title, year"),
		New(model.Pos{File: "a.yaml", Line: 9, Col: 3}, SumMismatch, "x", "2", "1", "1", "", ""),
		New(model.Pos{File: "a.yaml", Line: 1, Col: 1}, ErratumApplied, "55.02元", "55.02", "单位笔误"),
	}
	Sort(ds)
	if ds[0].Pos.Line != 1 || ds[2].Pos.File != "b.yaml" {
		t.Fatalf("sort order: %+v", ds)
	}
	var text bytes.Buffer
	if err := WriteText(&text, ds, Zh); err != nil {
		t.Fatal(err)
	}
	wantText := `a.yaml:1:1: note [erratum]: 已记录勘误：原文“55.02元”更正为“55.02”
  提示：理由：单位笔误
a.yaml:9:3: warning [sum-mismatch]: x：各分项之和 1 万元与合计 2 万元不符，相差 1 万元
  提示：核对原文：合计或某个分项可能有误。若原文就是如此，保留原数，网站会向读者提示；若确属笔误，按勘误格式写明 published、corrected 和 reason。
b.yaml:2:1: error [unknown-key]: 无法识别的字段“titel”，是不是想写“title”？
  提示：可用字段：title, year
共 1 个错误，1 个警告，1 条说明
`
	if text.String() != wantText {
		t.Errorf("text output\n%s\nwant\n%s", text.String(), wantText)
	}
	var js bytes.Buffer
	if err := WriteJSON(&js, ds, En); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Diagnostics []map[string]any
		Errors      int
		Warnings    int
		Notes       int
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Errors != 1 || out.Warnings != 1 || out.Notes != 1 || len(out.Diagnostics) != 3 {
		t.Errorf("json counts %+v", out)
	}
	if out.Diagnostics[2]["rule"] != "unknown-key" || out.Diagnostics[2]["line"] != float64(2) {
		t.Errorf("json diagnostic %+v", out.Diagnostics[2])
	}
	if !HasErrors(ds) || HasErrors(ds[:2]) {
		t.Error("HasErrors")
	}
	// No diagnostics still prints valid JSON with an empty list.
	js.Reset()
	if err := WriteJSON(&js, nil, Zh); err != nil || !strings.Contains(js.String(), `"diagnostics": []`) {
		t.Errorf("empty json: %s %v", js.String(), err)
	}
}
