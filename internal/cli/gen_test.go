package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGenCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "gen")
	foreign := t.TempDir()
	if err := os.WriteFile(filepath.Join(foreign, "site.yaml"), []byte("title: 真实内容\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"no --out", []string{"gen"}, 2, "", "--out"},
		{"no departments", []string{"gen", "--out", out, "--departments", "0"}, 2, "", "--departments"},
		{"too many years", []string{"gen", "--out", out, "--years", "51"}, 2, "", "--years"},
		{"year out of range", []string{"gen", "--out", out, "--first-year", "2099", "--years", "3"}, 2, "", "2099–2101"},
		{"unknown flag", []string{"gen", "--out", out, "--depts", "3"}, 2, "", "depts"},
		{"extra argument", []string{"gen", "--out", out, "more"}, 2, "", "多余的参数"},
		{"foreign directory", []string{"gen", "--out", foreign, "--departments", "2", "--years", "1"}, 1, "", "不是 disclose gen 生成的目录"},
		{"fresh directory", []string{"gen", "--out", out, "--departments", "3", "--years", "2", "--seed", "5"}, 0, "已生成 3 个部门、6 份报告，共 ", ""},
		{"its own output again", []string{"gen", "--out", out, "--departments", "4", "--years", "1", "--first-year", "2030"}, 0, "已生成 4 个部门、4 份报告", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := runCLI(tt.args, &stdout, &stderr)
			if code != tt.code || !strings.Contains(stdout.String(), tt.stdout) || !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, tt.code, stdout.String(), tt.stdout, stderr.String(), tt.stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(foreign); len(entries) != 1 {
		t.Errorf("the refused directory now holds %d entries", len(entries))
	}
	if b, _ := os.ReadFile(filepath.Join(foreign, "site.yaml")); string(b) != "title: 真实内容\n" {
		t.Error("the refused directory's site.yaml changed")
	}
	// The second run replaced the first: 4 departments of 2030 only.
	var stdout, stderr bytes.Buffer
	if code := runCLI([]string{"check", "--content", out, "--format", "json"}, &stdout, &stderr); code != 0 {
		t.Fatalf("check of generated content: exit %d: %s", code, stderr.String())
	}
	var res struct{ Errors, Warnings int }
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil || res.Errors != 0 || res.Warnings == 0 {
		t.Errorf("check of generated content: %+v, %v; want no errors and the planted warnings", res, err)
	}
	reports, _ := filepath.Glob(filepath.Join(out, "*", "20[0-9][0-9].yaml"))
	if len(reports) != 4 || !strings.HasSuffix(reports[0], "2030.yaml") {
		t.Errorf("after the rewrite: %v", reports)
	}
}
