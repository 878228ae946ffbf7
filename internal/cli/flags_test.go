package cli

import (
	"bytes"
	"context"
	"runtime/debug"
	"strings"
	"testing"
)

// TestCommandHelpAndFlagErrors: every command answers --help on stdout with
// exit 0, in the top-level help's Chinese and --flags, and says a wrong
// flag in Chinese with the valid ones, exit 2.
func TestCommandHelpAndFlagErrors(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		code      int
		out, err  []string
		notInBoth []string
	}{
		{[]string{"build", "--help"}, 0, []string{"用法：\n  disclose build [--content DIR]", "--fresh", "--content DIR", "（默认 content）", "选项："}, nil, []string{"Usage of", "  -content"}},
		{[]string{"build", "-h"}, 0, []string{"disclose build", "--quiet"}, nil, nil},
		{[]string{"help", "serve"}, 0, []string{"disclose serve", "--port", "预览"}, nil, nil},
		{[]string{"import", "--help"}, 0, []string{"disclose import FILE…", "--dry-run"}, nil, nil},
		{[]string{"check", "--help"}, 0, []string{"--strict", "检查内容目录"}, nil, nil},
		{[]string{"build", "--nope"}, 2, nil, []string{"disclose build: 没有 --nope 这个选项；可用的选项见下", "选项：", "--content"}, []string{"flag provided"}},
		{[]string{"build", "--conten", "x"}, 2, nil, []string{"没有 --conten 这个选项；是不是想写 --content？"}, nil},
		{[]string{"serve", "--port", "abc"}, 2, nil, []string{"选项 --port 的值“abc”不对"}, []string{"invalid value"}},
		{[]string{"check", "--format"}, 2, nil, []string{"选项 --format 后面要写一个值"}, []string{"needs an argument"}},
		{[]string{"import", "a.txt", "--bogus"}, 2, nil, []string{"disclose import: 没有 --bogus 这个选项"}, nil},
	} {
		var out, errOut bytes.Buffer
		code := Code(Run(context.Background(), tc.args, &out, &errOut))
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d\nstdout: %s\nstderr: %s", tc.args, code, tc.code, out.String(), errOut.String())
		}
		for _, w := range tc.out {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%v: stdout lacks %q:\n%s", tc.args, w, out.String())
			}
		}
		for _, w := range tc.err {
			if !strings.Contains(errOut.String(), w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, errOut.String())
			}
		}
		for _, w := range tc.notInBoth {
			if strings.Contains(out.String()+errOut.String(), w) {
				t.Errorf("%v: output has %q", tc.args, w)
			}
		}
	}
}

func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		info *debug.BuildInfo
		want string
	}{
		{&debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, "v1.2.0"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "f23c4ba0123456789abcdef"}, {Key: "vcs.time", Value: "2026-12-04T10:00:00Z"}, {Key: "vcs.modified", Value: "true"},
		}}, "dev-f23c4ba01234-dirty (2026-12-04T10:00:00Z)"},
		{&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
	} {
		if got := versionFrom(tc.info); got != tc.want {
			t.Errorf("versionFrom = %q, want %q", got, tc.want)
		}
	}
}
