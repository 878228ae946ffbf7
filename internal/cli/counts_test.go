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
// content ("14 条说明" against "0 条说明"), also when a build with nothing
// changed answers from the last build's record.
func TestBuildAndCheckCountAlike(t *testing.T) {
	dir := seedContent(t)
	count := regexp.MustCompile(`共 \d+ 个错误，\d+ 个警告，\d+ 条说明`)
	var check, errOut bytes.Buffer
	Run(context.Background(), []string{"check", "--content", dir}, &check, &errOut)
	public := filepath.Join(t.TempDir(), "public")
	// The second build finds nothing changed and loads nothing: it must
	// still report what the first found, and say the site is up to date.
	for i, done := range []*regexp.Regexp{regexp.MustCompile(`^已生成网站：`), regexp.MustCompile(`^网站已是最新：`)} {
		var out, build bytes.Buffer
		// build reports on stderr, keeping stdout for what it made.
		if err := Run(context.Background(), []string{"build", "--content", dir, "--out", public}, &out, &build); err != nil {
			t.Fatalf("build %d: %v\n%s", i+1, err, build.String())
		}
		if !done.MatchString(out.String()) {
			t.Errorf("build %d says %q, want %s", i+1, out.String(), done)
		}
		c, b := count.FindString(check.String()), count.FindString(build.String())
		if c == "" || c != b {
			t.Fatalf("check says %q, build %d says %q\nbuild:\n%s", c, i+1, b, build.String())
		}
		if !regexp.MustCompile(`条未在此列出，disclose check 可看全部`).MatchString(build.String()) {
			t.Errorf("build %d does not say where the unlisted notes are:\n%s", i+1, build.String())
		}
	}
}
