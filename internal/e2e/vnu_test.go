package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHTMLValid runs the W3C Nu HTML Checker (vnu) over every generated HTML
// page and stylesheet in one JVM: there must be no errors. A known-invalid
// page goes along in the same run to prove the report is read.
func TestHTMLValid(t *testing.T) {
	t.Parallel() // one JVM beside the browser tests' tabs
	dir, _ := site(t)
	var all []string
	for _, ext := range []string{".html", ".css"} {
		all = append(all, files(t, dir, ext)...)
	}
	checkValid(t, dir, all)
}

// checkValid runs vnu over the given files of the site in dir.
func checkValid(t *testing.T, dir string, names []string) {
	t.Helper()
	java, err := exec.LookPath("java")
	need(t, "Java", err)
	jar := needFile(t, "vnu-jar (npm)", "node_modules/vnu-jar/build/dist/vnu.jar")

	invalid, err := filepath.Abs("testdata/invalid.html")
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"-jar", jar, "--errors-only", "--format", "json", "--also-check-css", invalid}
	for _, f := range names {
		args = append(args, filepath.Join(dir, filepath.FromSlash(f)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), patient(2*time.Minute))
	defer cancel()
	cmd := exec.CommandContext(ctx, java, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits 1 when it finds errors: the JSON says which
	if ctx.Err() != nil {
		t.Fatalf("vnu did not finish in time: %v", ctx.Err())
	}

	// vnu writes its JSON report to stderr.
	var out struct {
		Messages []struct {
			Type        string `json:"type"`
			URL         string `json:"url"`
			LastLine    int    `json:"lastLine"`
			FirstColumn int    `json:"firstColumn"`
			Message     string `json:"message"`
			Extract     string `json:"extract"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(stderr.Bytes(), &out); err != nil {
		t.Fatalf("vnu: %v (%v)\nstdout: %s\nstderr: %s", runErr, err, stdout.String(), stderr.String())
	}
	// The same mistake in a template repeats on every page: group the
	// report by message, with a few places and one extract each.
	var order []string
	places := map[string][]string{}
	invalidSeen := false
	for _, m := range out.Messages {
		if m.Type != "error" && m.Type != "non-document-error" {
			continue
		}
		if strings.HasSuffix(m.URL, "testdata/invalid.html") {
			invalidSeen = true
			continue
		}
		file := m.URL
		if i := strings.Index(file, dir); i >= 0 {
			file = strings.TrimPrefix(file[i+len(dir):], "/")
		}
		place := fmt.Sprintf("%s:%d:%d", file, m.LastLine, m.FirstColumn)
		if ex := strings.TrimSpace(m.Extract); ex != "" {
			place += "  " + strings.ReplaceAll(ex, "\n", "⏎")
		}
		if _, ok := places[m.Message]; !ok {
			order = append(order, m.Message)
		}
		places[m.Message] = append(places[m.Message], place)
	}
	var problems []string
	for _, msg := range order {
		ps := places[msg]
		const most = 5
		more := ""
		if len(ps) > most {
			more = fmt.Sprintf("\n      … and %d more", len(ps)-most)
			ps = ps[:most]
		}
		problems = append(problems, fmt.Sprintf("%s (%d×)\n      %s%s", msg, len(places[msg]), strings.Join(ps, "\n      "), more))
	}
	if !invalidSeen {
		t.Fatalf("vnu reported no error in testdata/invalid.html: its report was not read (%v)\n%s", runErr, stderr.String())
	}
	report(t, problems)
}
