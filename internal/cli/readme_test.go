package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"disclose/internal/check"
	"disclose/internal/diag"
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
	for _, want := range []string{"site.yaml", "example-minzheng/department.yaml", "example-minzheng/2023.yaml"} {
		if _, ok := fsys[want]; !ok {
			t.Fatalf("README example lacks %s (found %d files)", want, len(fsys))
		}
	}
	site, ds := check.Content(fsys, "content")
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
	r := site.Departments[0].Reports[0]
	if got := r.Funds[0].Project.Items[0].Items[1].Amount.Value.String(); got != "55.02" {
		t.Errorf("corrected amount = %s", got)
	}
	if !strings.Contains(r.Narrative.Summary, "97.35") {
		t.Error("inline narrative not loaded")
	}
}
