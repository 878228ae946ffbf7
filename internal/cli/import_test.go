package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"disclose/internal/importer"
	"disclose/internal/sourcedoc"
)

// TestImportCommand imports a seed's source into a content directory that
// does not have its department, the way a finance office starts: the draft
// lands with its narrative and sidecar, is checked at once, cites its source
// beside each figure, and is never written over without --force.
func TestImportCommand(t *testing.T) {
	dir := seedContent(t)
	src := filepath.Join(contentDir, "_sources", "000_6c1a5cf0595a4eef.txt")
	run := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		err := Run(context.Background(), args, &out, &errOut)
		return out.String(), errOut.String(), Code(err)
	}

	out, errOut, code := run("import", "--content", dir, "--dry-run", src)
	if code != 0 || !strings.Contains(out, "基本支出共计603.69万元") {
		t.Fatalf("dry run: code %d\n%s\n%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "draft")); !os.IsNotExist(err) {
		t.Fatalf("--dry-run wrote files: %v", err)
	}

	out, errOut, code = run("import", src, "--content", dir, "--department", "yunxi-import")
	if code != 0 {
		t.Fatalf("import: code %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"个金额已放进报告", "检查草稿：", "/_review/yunxi-import/2023.html"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	y, err := os.ReadFile(filepath.Join(dir, "yunxi-import", "2023.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"amount: 603.69 # 原文第 28 行：“（一）基本支出共计603.69万元”",
		"amount: 55.02元 # 原文第 31 行：“老年人福利支出55.02元”",
		"# ── 未能归位的数字",
	} {
		if !strings.Contains(string(y), want) {
			t.Errorf("draft lacks %q", want)
		}
	}
	dept, err := os.ReadFile(filepath.Join(dir, "yunxi-import", "department.yaml"))
	if err != nil || !strings.Contains(string(dept), "岳阳市云溪区民政局") || !strings.Contains(string(dept), `budget_code: "201001" # 原文第 9 行`) {
		t.Errorf("department.yaml: %v\n%s", err, dept)
	}
	if _, err := os.Stat(filepath.Join(dir, "yunxi-import", "2023", "budget.md")); err != nil {
		t.Errorf("narrative not written: %v", err)
	}
	var sc importer.Sidecar
	b, err := os.ReadFile(filepath.Join(dir, "_imports", "yunxi-import", "2023.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sc); err != nil {
		t.Fatal(err)
	}
	if len(sc.Values) < 67 || sc.Report != "yunxi-import/2023.yaml" {
		t.Fatalf("sidecar: report %q, %d values", sc.Report, len(sc.Values))
	}
	lines := strings.Split(string(y), "\n")
	for _, v := range sc.Values {
		if v.Line < 1 || v.Line > len(lines) || !strings.Contains(lines[v.Line-1], v.Value) || !strings.Contains(lines[v.Line-1], v.Where) {
			t.Errorf("sidecar value %s = %s at line %d, but the line reads %q", v.Path, v.Value, v.Line, lines[max(0, min(v.Line-1, len(lines)-1))])
		}
	}

	before, _ := os.ReadFile(filepath.Join(dir, "yunxi-import", "2023.yaml"))
	out, errOut, code = run("import", "--content", dir, "--department", "yunxi-import", src)
	if code != 1 || !strings.Contains(errOut, "已经存在") || !strings.Contains(errOut, "--force") {
		t.Errorf("second import: code %d\n%s\n%s", code, out, errOut)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "yunxi-import", "2023.yaml"))
	if !bytes.Equal(before, after) {
		t.Error("a refused import changed the draft")
	}
	if _, _, code = run("import", "--content", dir, "--department", "yunxi-import", "--force", src); code != 0 {
		t.Errorf("--force: code %d", code)
	}
}

func TestImportRefuses(t *testing.T) {
	dir := t.TempDir()
	doc := filepath.Join(dir, "报告.doc")
	os.WriteFile(doc, []byte("\xd0\xcf\x11\xe0 not really"), 0o644)
	t.Setenv("PATH", dir) // no LibreOffice: the message says how to convert
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import"}, 2, "请给出要导入的文件"},
		{[]string{"import", doc}, 2, "--department"},
		{[]string{"import", "--department", "Bad Name", doc}, 2, "小写英文字母"},
		{[]string{"import", "--department", "x", "--kind", "年报", doc}, 2, "不认识的文件种类"},
		{[]string{"import", "--department", "x", "--content", dir, doc}, 1, "libreoffice --headless --convert-to docx"},
		{[]string{"import", "--department", "x", "--content", dir, filepath.Join(dir, "missing.txt")}, 1, "读取"},
	} {
		var out, errOut bytes.Buffer
		code := Code(Run(context.Background(), tc.args, &out, &errOut))
		if code != tc.code || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("%v: code %d, stderr %q; want %d and %q", tc.args, code, errOut.String(), tc.code, tc.want)
		}
	}
}

// TestImportConvertsWithLibreOffice imports an old binary .doc through
// LibreOffice where it is installed: the seed's text made into a .docx,
// saved by LibreOffice as .doc, and imported back.
func TestImportConvertsWithLibreOffice(t *testing.T) {
	office, err := exec.LookPath("libreoffice")
	if err != nil {
		if office, err = exec.LookPath("soffice"); err != nil {
			t.Skip("LibreOffice is not installed")
		}
	}
	if testing.Short() {
		t.Skip("starts LibreOffice")
	}
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(contentDir, "_sources", "000_6c1a5cf0595a4eef.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sourcedoc.ReadText("yunxi.txt", data, "txt")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sourcedoc.WriteDocx(&buf, doc); err != nil {
		t.Fatal(err)
	}
	docx := filepath.Join(dir, "yunxi.docx")
	if err := os.WriteFile(docx, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	// A net for a LibreOffice that hangs, not a speed test.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, office, "--headless", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(dir, "profile")),
		"--convert-to", "doc", "--outdir", filepath.Join(dir, "old"), docx)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make a .doc: %v\n%s", err, out)
	}
	var out, errOut bytes.Buffer
	err = Run(ctx, []string{"import", "--dry-run", filepath.Join(dir, "old", "yunxi.doc")}, &out, &errOut)
	if err != nil || !strings.Contains(out.String(), "amount: 603.69 # 原文第") || !strings.Contains(out.String(), "55.02元") {
		t.Fatalf("import of a .doc: %v\n%s\n%s", err, out.String(), errOut.String())
	}
}

// TestImportSeveralFilesOneReport imports a 决算's 情况说明 and the workbook
// of its 三公 table in one command: one draft, each value naming its file.
func TestImportSeveralFilesOneReport(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(contentDir, "_sources", "03_zj_lishui_sifaju_juesuan_2023.txt")
	f := excelize.NewFile()
	for cell, v := range map[string]string{"A1": "项目", "B1": "预算数", "C1": "决算数", "A2": "合计", "B2": "5.00", "C2": "4.00"} {
		f.SetCellStr("Sheet1", cell, v)
	}
	book := filepath.Join(dir, "三公表.xlsx")
	if err := f.SaveAs(book); err != nil {
		t.Fatal(err)
	}
	content := filepath.Join(dir, "content")
	var out, errOut bytes.Buffer
	err := Run(context.Background(), []string{"import", "--content", content, "--department", "lishui", text, book}, &out, &errOut)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, out.String(), errOut.String())
	}
	entries, _ := os.ReadDir(filepath.Join(content, "lishui"))
	var yamls []string
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".yaml") && e.Name() != "department.yaml" {
			yamls = append(yamls, e.Name())
		}
	}
	if len(yamls) != 1 || yamls[0] != "2023-juesuan.yaml" {
		t.Fatalf("drafts %v, want one 2023-juesuan.yaml\n%s", yamls, out.String())
	}
	y, _ := os.ReadFile(filepath.Join(content, "lishui", "2023-juesuan.yaml"))
	for _, want := range []string{
		"amount: 4295.94 # 原文（03_zj_lishui_sifaju_juesuan_2023.txt）第 3 行",
		"budget: 5.00 # 原文（三公表.xlsx）表“Sheet1”!B2",
		"“03_zj_lishui_sifaju_juesuan_2023.txt”（SHA-256",
	} {
		if !strings.Contains(string(y), want) {
			t.Errorf("draft lacks %q:\n%s", want, y)
		}
	}
}
