package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"disclose/internal/seedset"
)

var update = flag.Bool("update", false, "rewrite golden files")

const contentDir = "../../content"

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// seedContent copies content/ into a temporary directory named content,
// leaving out every department but the five seeds (site.yaml, _schema and
// _sources come along), and returns its path. The golden files pin the
// checker's whole output, every note and its wording, for a fixed set of
// reports; the real documents added to content/ since are checked by
// TestCheckContentWarnings instead, so that adding one does not rewrite
// these goldens.
func seedContent(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "content")
	src := os.DirFS(contentDir)
	err := fs.WalkDir(src, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		top, _, _ := strings.Cut(p, "/")
		if _, err := fs.Stat(src, top+"/department.yaml"); err == nil && !slices.Contains(seedset.IDs, top) {
			return fs.SkipDir
		}
		out := filepath.Join(dst, filepath.FromSlash(p))
		if e.IsDir() {
			return os.MkdirAll(out, 0o755)
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range seedset.IDs {
		if _, err := os.Stat(filepath.Join(dst, d, "department.yaml")); err != nil {
			t.Fatalf("seed department %s: %v", d, err)
		}
	}
	return dst
}

// The seed site: checking the five seed reports must exit 0 and print
// exactly the inconsistencies of the source documents (golden files).
func TestCheckSeedContent(t *testing.T) {
	dir := seedContent(t)
	for _, tt := range []struct{ golden, format, lang string }{
		{"check-content.zh.txt", "text", "zh"},
		{"check-content.en.txt", "text", "en"},
		{"check-content.json", "json", "zh"},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runCLI([]string{"check", "--content", dir, "--format", tt.format, "--lang", tt.lang}, &out, &errOut)
			if code != 0 {
				t.Fatalf("exit %d, stderr %s, stdout %s", code, errOut.String(), out.String())
			}
			golden(t, tt.golden, bytes.ReplaceAll(out.Bytes(), []byte(dir), []byte("content")))
		})
	}
}

// TestCheckContentWarnings: the checker's warnings on the real content are
// exactly these, each a true inconsistency of the source document (the
// report's notes say so too), independent of wording.
func TestCheckContentWarnings(t *testing.T) {
	var out bytes.Buffer
	if code := runCLI([]string{"check", "--content", contentDir, "--format", "json"}, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	var res struct {
		Diagnostics []struct {
			File, Rule, Severity, Stated, Computed, Message string
		}
		Errors, Warnings int
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 {
		t.Fatalf("content has %d errors", res.Errors)
	}
	type warning struct {
		file, rule, stated, computed string
		message                      string // a part of the message, where stated and computed are not given
	}
	want := []warning{
		// 棠溪镇 委托业务项目: 年度资金总额 0 0 0, yet its 本年财政拨款 is
		// 90, 89.974 and 89.974.
		{"anhui-chizhou-guichi-tangxi/2022-xm-weituo.yaml", "part-exceeds-whole", "90万元", "0万元", ""},
		{"anhui-chizhou-guichi-tangxi/2022-xm-weituo.yaml", "part-exceeds-whole", "89.974万元", "0万元", "全年预算数"},
		{"anhui-chizhou-guichi-tangxi/2022-xm-weituo.yaml", "part-exceeds-whole", "89.974万元", "0万元", "全年执行数"},
		// 寿县文物保护中心: “完成预算的43%” of 1.71 ÷ 3 万元 (43% is the fall
		// from the year before).
		{"anhui-huainan-shouxian-wenbao/2023.yaml", "rate-mismatch", "43%", "57.00%", ""},
		// … and the shares of 公务接待费 (0.53) and 公务用车 (1.18) in 1.71
		// are swapped.
		{"anhui-huainan-shouxian-wenbao/2023.yaml", "share-mismatch", "69%", "31%", "公务接待费"},
		{"anhui-huainan-shouxian-wenbao/2023.yaml", "share-mismatch", "31%", "69%", "公务用车购置及运行维护费"},
		// 荆门's stated 100% execution rate is 186.81% by its own figures.
		{"hubei-jingmen-minzheng/2022.yaml", "rate-mismatch", "100%", "186.81%", ""},
		// 贯塘乡: 基本支出 900.47 + 项目支出 1025.20 is not the 2030.12 spent.
		{"hunan-hengyang-hengshan-guantang/2023.yaml", "fund-split", "2030.12", "1925.67", ""},
		// 云溪: the lottery fund's uses add up to 20万元 less than the fund.
		{"hunan-yueyang-yunxi-minzheng/2023.yaml", "sum-mismatch", "232.36", "212.36", ""},
		// 芦淞: the department's project spending, 4076.11万元, is more than
		// all it states it spent from the four budgets (847.68 + 40.39).
		{"hunan-zhuzhou-lusong-minzheng/2022.yaml", "part-exceeds-whole", "4076.11万元", "888.07万元", ""},
		// 青神 工资项目: the published form was never filled in.
		{"sichuan-meishan-qingshen-fagai/2023-xm-gongzi.yaml", "form-unfilled", "", "", "没有任何得分"},
		{"sichuan-meishan-qingshen-fagai/2023-xm-gongzi.yaml", "form-unfilled", "", "", "实际完成值全部空白"},
		// 塘子街道: 公务用车 4.02万元, whose 购置 and 运行维护 are each 0万元;
		// 公务接待费 7.94 of 11.96 is said to be 39.7% (its completion rate).
		{"yunnan-kunming-xundian-tangzi/2023.yaml", "sum-mismatch", "4.02", "0.00", ""},
		{"yunnan-kunming-xundian-tangzi/2023.yaml", "share-mismatch", "39.7%", "66.4%", "公务接待费"},
	}
	found := make([]bool, len(want))
	for _, d := range res.Diagnostics {
		if d.Severity != "warning" {
			continue
		}
		i := slices.IndexFunc(want, func(w warning) bool {
			return d.File == filepath.ToSlash(filepath.Join(contentDir, w.file)) && d.Rule == w.rule &&
				d.Stated == w.stated && d.Computed == w.computed && strings.Contains(d.Message, w.message)
		})
		switch {
		case i < 0:
			t.Errorf("unexpected warning %+v", d)
		case found[i]:
			t.Errorf("warning given twice: %+v", d)
		default:
			found[i] = true
		}
	}
	for i, w := range want {
		if !found[i] {
			t.Errorf("missing warning %s in %s: stated %q computed %q", w.rule, w.file, w.stated, w.computed)
		}
	}
	if res.Warnings != len(want) {
		t.Errorf("%d warnings in all, want %d", res.Warnings, len(want))
	}
}

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		t.Helper()
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("site.yaml", "title: t\n")
	write("d/department.yaml", "name: 甲\nlevel: 县级\nregion: [湖南省]\n")
	write("d/2023.yaml", "year: 2023\ntitle: t\nsource: {title: s}\nfunds:\n  - source: 一般公共预算\n    expenditure: 10\n    basic: {amount: 3}\n    project: {amount: 5}\n")
	tests := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"check", "--content", dir}, 0, "warning [fund-split]"},
		{[]string{"check", "--content", dir, "--strict"}, 1, "共 0 个错误，1 个警告"},
		{[]string{"check", "--content", dir, "--lang", "en"}, 0, "0 error(s), 1 warning(s)"},
		{[]string{"check", "--content", filepath.Join(dir, "nope")}, 1, ""},
		{[]string{"check", "--content", dir, "--format", "xml"}, 2, ""},
		{[]string{"check", "--content", dir, "--lang", "fr"}, 2, ""},
		{[]string{"check", "extra"}, 2, ""},
		{[]string{"frobnicate"}, 2, ""},
		{nil, 2, ""},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := runCLI(tt.args, &out, &errOut)
		if code != tt.code || !strings.Contains(out.String(), tt.out) {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q", tt.args, code, tt.code, out.String(), errOut.String())
		}
	}
	// --profile adds the profile's shortfalls, which are errors: the
	// department-year lacks its 部门预算 and 部门决算.
	for _, tt := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{[]string{"check", "--content", dir, "--profile", "national"}, 1, "d/department.yaml:1:1: error [profile-document-missing]: 甲 2023 年度没有公开部门决算", ""},
		{[]string{"check", "--content", dir, "--profile", "hunan", "--format", "json"}, 1, `"rule": "profile-site-meta"`, ""},
		{[]string{"check", "--content", dir, "--profile", "guangdong"}, 2, "", "没有名为“guangdong”的公开要求；可用的有：hunan、national"},
	} {
		var out, errOut bytes.Buffer
		code := runCLI(tt.args, &out, &errOut)
		if code != tt.code || !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errOut.String(), tt.stderr) {
			t.Errorf("%v: exit %d (want %d), stdout %q, stderr %q", tt.args, code, tt.code, out.String(), errOut.String())
		}
	}
	var plain bytes.Buffer
	if runCLI([]string{"check", "--content", dir}, &plain, &plain); strings.Contains(plain.String(), "profile-") {
		t.Errorf("check without --profile reports profile rules: %s", plain.String())
	}
	write("d/2023.yaml", "year: 2023\ntitle: t\nsource: {title: s}\nscore: {total: 九十}\n")
	var out bytes.Buffer
	if code := runCLI([]string{"check", "--content", dir}, &out, &out); code != 1 || !strings.Contains(out.String(), "2023.yaml:4:16: error [number-syntax]") {
		t.Errorf("error exit: %d %s", code, out.String())
	}
}

// TestProgressBar: the bar is redrawn in place, only when it moves, and
// ends its line when the work is done.
func TestProgressBar(t *testing.T) {
	var b strings.Builder
	p := progressBar(&b, "生成网站", "个文件")
	for i := 1; i <= 1000; i++ {
		p(i, 1000)
	}
	out := b.String()
	if n := strings.Count(out, "\r"); n != 101 {
		t.Errorf("redrawn %d times for 1000 steps, want once per percent, 0 to 100", n)
	}
	if !strings.HasSuffix(out, "\r生成网站 ["+strings.Repeat("#", 30)+"] 1000/1000 个文件\n") {
		t.Errorf("last line %q", out[strings.LastIndex(out, "\r"):])
	}
}

// runCLI runs a command as the program does and returns its exit status.
func runCLI(args []string, stdout, stderr io.Writer) int {
	return Code(Run(context.Background(), args, stdout, stderr))
}
