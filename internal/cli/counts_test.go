package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"testing"
)

// TestBuildAndCheckCountAlike: build lists only what needs attention, but
// its closing count is check's, so the two never disagree about the same
// content ("14 条说明" against "0 条说明").
func TestBuildAndCheckCountAlike(t *testing.T) {
	dir := seedContent(t)
	count := regexp.MustCompile(`共 \d+ 个错误，\d+ 个警告，\d+ 条说明`)
	var check, out, build, errOut bytes.Buffer
	Run(context.Background(), []string{"check", "--content", dir}, &check, &errOut)
	// build reports on stderr, keeping stdout for what it made.
	if err := Run(context.Background(), []string{"build", "--content", dir, "--out", filepath.Join(t.TempDir(), "public")}, &out, &build); err != nil {
		t.Fatalf("build: %v\n%s", err, build.String())
	}
	c, b := count.FindString(check.String()), count.FindString(build.String())
	if c == "" || c != b {
		t.Fatalf("check says %q, build says %q\nbuild:\n%s", c, b, build.String())
	}
	if !regexp.MustCompile(`条未在此列出，disclose check 可看全部`).MatchString(build.String()) {
		t.Errorf("build does not say where the unlisted notes are:\n%s", build.String())
	}
}
