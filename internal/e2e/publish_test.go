package e2e

import (
	"context"
	"path/filepath"
	"testing"

	"disclose/internal/publish"
)

// TestPublishedUnderSubPath publishes the site as disclose publish does to
// a deploy directory, serves its live release (current) under the
// portal's sub-path, and runs the checks every site passes on what is
// served: the crawl over HTTP, the links on disk and the W3C validator.
// The release is a tree of links and copies made by the publisher, not
// the build's own output, so this is where a file lost or left behind in
// publishing would show.
func TestPublishedUnderSubPath(t *testing.T) {
	t.Parallel()
	dir, _ := site(t)
	deploy := t.TempDir()
	s, err := publish.Dir(deploy)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := publish.Publish(context.Background(), s, publish.Options{Site: dir, Version: "e2e", ContentKey: "e2e"})
	if err != nil {
		t.Fatal(err)
	}
	live, err := filepath.EvalSymlinks(filepath.Join(deploy, "current"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(files(t, live, "")); n != res.Files || n < 50 {
		t.Fatalf("the live release holds %d files, the publish said %d", n, res.Files)
	}
	c := newCrawler(serveStrict(t, live, subPath), live, baseURL)
	c.run()
	report(t, c.problems)
	report(t, checkDisk(live, baseURL))
	var all []string
	for _, ext := range []string{".html", ".css"} {
		all = append(all, files(t, live, ext)...)
	}
	checkValid(t, live, all)
}
