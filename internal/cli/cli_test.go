package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
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

// The default site: checking the five seed reports must exit 0 and print
// exactly the inconsistencies of the source documents (golden files).
func TestCheckSeedContent(t *testing.T) {
	for _, tt := range []struct{ golden, format, lang string }{
		{"check-content.zh.txt", "text", "zh"},
		{"check-content.en.txt", "text", "en"},
		{"check-content.json", "json", "zh"},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := runCLI([]string{"check", "--content", contentDir, "--format", tt.format, "--lang", tt.lang}, &out, &errOut)
			if code != 0 {
				t.Fatalf("exit %d, stderr %s, stdout %s", code, errOut.String(), out.String())
			}
			golden(t, tt.golden, bytes.ReplaceAll(out.Bytes(), []byte(contentDir), []byte("content")))
		})
	}
}

func TestCheckSeedWarnings(t *testing.T) {
	var out bytes.Buffer
	if code := runCLI([]string{"check", "--content", contentDir, "--format", "json"}, &out, &out); code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	var res struct {
		Diagnostics []struct {
			File, Rule, Severity, Stated, Computed string
		}
		Errors, Warnings int
	}
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 {
		t.Fatalf("seed content has %d errors", res.Errors)
	}
	// The two real inconsistencies of the source documents, independent of
	// wording: the lottery fund's uses add up to 20万元 less than the fund,
	// and 荆门's stated 100% execution rate is 186.81% by its own figures.
	want := map[string][2]string{
		"sum-mismatch":  {"232.36", "212.36"},
		"rate-mismatch": {"100%", "186.81%"},
	}
	found := 0
	for _, d := range res.Diagnostics {
		if d.Severity != "warning" {
			continue
		}
		w, ok := want[d.Rule]
		if !ok {
			t.Errorf("unexpected warning %+v", d)
			continue
		}
		if d.Stated != w[0] || d.Computed != w[1] {
			t.Errorf("%s: stated %s computed %s, want %v", d.Rule, d.Stated, d.Computed, w)
		}
		found++
	}
	if found != len(want) || res.Warnings != len(want) {
		t.Errorf("found %d of %d expected warnings (%d in all)", found, len(want), res.Warnings)
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
