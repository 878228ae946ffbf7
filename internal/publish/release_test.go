package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const csvHeader = "\uFEFF部门ID,部门,预算编码,行政层级,省,市,县区,年度,文件种类,文件,资金来源,资金名称,口径,类别路径,类别层级,分项性质,末级,科目编码,项目,项目类别,数据项,数值（万元）,原文写法,原文单位,勘误说明\r\n"

func csvRow(path, measure, value string) string {
	return "xt-mz,湘潭市民政局,,市级,湖南省,湘潭市,,2024,部门整体支出绩效自评,2024,部门整体,部门整体,收支," + path + ",1,总数,否,,,," + measure + "," + value + ",,,\r\n"
}

// site is a built site in miniature: pages, a script, a report's table.
func site(extra map[string]string) map[string]string {
	files := map[string]string{
		"index.html":               "<h1>首页</h1>",
		"404.html":                 "not found",
		".disclose-site":           "built by disclose",
		"assets/site.js":           "console.log(1)",
		"xt-mz/index.html":         "<h1>湘潭市民政局</h1>",
		"xt-mz/2024/index.html":    "<h1>2024</h1>",
		"data/all.csv":             csvHeader + csvRow("合计", "年初预算", "2373.85"),
		"data/xt-mz/2024.csv":      csvHeader + csvRow("合计", "年初预算", "2373.85") + csvRow("合计", "支出", "2200.10"),
		"zz-ls/index.html":         "<h1>渌口区民政局</h1>",
		"zz-ls/2023/index.html":    "<h1>2023</h1>",
		"zz-ls/2023/chart-1.svg":   "<svg/>",
		"deep/a/b/c/d/e/page.html": "deep",
	}
	for k, v := range extra {
		if v == "" {
			delete(files, k)
		} else {
			files[k] = v
		}
	}
	return files
}

func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// tree hashes every entry under dir, following nothing: files by their
// bytes, links by their text, so that any change on the target shows.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			out[rel] = "link " + l
			return err
		case d.IsDir():
			out[rel] = "dir"
		default:
			b, err := os.ReadFile(p)
			out[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// served is what a web server with its root at deploy/current serves.
func served(t *testing.T, deploy string) map[string]string {
	t.Helper()
	real, err := filepath.EvalSymlinks(filepath.Join(deploy, "current"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range tree(t, real) {
		if v != "dir" {
			out[filepath.ToSlash(k)] = v
		}
	}
	return out
}

func want(files map[string]string) map[string]string {
	out := map[string]string{}
	for p, body := range files {
		if p != ".disclose-site" {
			out[p] = fmt.Sprintf("%x", sha256.Sum256([]byte(body)))
		}
	}
	return out
}

func sameTree(t *testing.T, got, want map[string]string) {
	t.Helper()
	if !maps.Equal(got, want) {
		for _, k := range slices.Sorted(maps.Keys(want)) {
			if got[k] != want[k] {
				t.Errorf("%s: got %q, want %q", k, got[k], want[k])
			}
		}
		for _, k := range slices.Sorted(maps.Keys(got)) {
			if _, ok := want[k]; !ok {
				t.Errorf("%s: not wanted", k)
			}
		}
	}
}

// clock gives each publish its own second, as real publishes have.
type clock struct{ t time.Time }

func (c *clock) now() time.Time {
	c.t = c.t.Add(time.Minute)
	return c.t
}

func newClock() *clock { return &clock{t: time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)} }

func openDir(t *testing.T, dir string) Store {
	t.Helper()
	s, err := Dir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func publish(t *testing.T, s Store, siteDir string, c *clock, keep int) Result {
	t.Helper()
	res, err := Publish(context.Background(), s, Options{Site: siteDir, Version: "test", ContentKey: "k", Now: c.now, Keep: keep})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// A second publish sends only the files that changed; the others are
// linked on the target from the live release. Publishing the same site
// again sends nothing and makes no release.
func TestPublishSendsOnlyChanges(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	a := site(nil)
	first := publish(t, s, writeSite(t, a), c, 0)
	if first.Files != 11 || first.Sent != 11 || first.Reused != 0 || first.Previous != "" {
		t.Fatalf("first publish: %+v", first)
	}
	sameTree(t, served(t, deploy), want(a))

	b := site(map[string]string{
		"index.html":       "<h1>首页（新）</h1>",         // changed
		"assets/site.js":   "console.log(2)",         // changed
		"new/index.html":   "<h1>新页面</h1>",           // added
		"zz-ls/index.html": "",                       // removed
		"404.html":         "not found",              // same
		"deep/x.html":      strings.Repeat("x", 100), // added
	})
	second := publish(t, s, writeSite(t, b), c, 0)
	if second.Sent != 4 || second.Reused != 8 || second.Resumed != 0 || second.Files != 12 {
		t.Errorf("second publish: sent %d, reused %d, resumed %d of %d; want 4, 8, 0 of 12", second.Sent, second.Reused, second.Resumed, second.Files)
	}
	if want := int64(len("<h1>首页（新）</h1>") + len("console.log(2)") + len("<h1>新页面</h1>") + 100); second.SentBytes != want {
		t.Errorf("sent %d bytes, want %d", second.SentBytes, want)
	}
	if second.Previous != first.ID {
		t.Errorf("previous = %s, want %s", second.Previous, first.ID)
	}
	sameTree(t, served(t, deploy), want(b))
	// Reused files are the live release's own inodes, not copies.
	old, _ := os.Stat(filepath.Join(deploy, "releases", first.ID, "404.html"))
	cur, _ := os.Stat(filepath.Join(deploy, "releases", second.ID, "404.html"))
	if !os.SameFile(old, cur) {
		t.Error("404.html was not linked from the live release")
	}

	again := publish(t, s, writeSite(t, b), c, 0)
	if !again.Unchanged || again.Sent != 0 || again.ID != second.ID {
		t.Errorf("same site again: %+v", again)
	}
	rs, err := List(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || !rs[1].Live || rs[1].ID != second.ID {
		t.Errorf("releases: %+v", rs)
	}
	m := rs[1].Manifest
	if m.Version != "test" || m.ContentKey != "k" || m.Previous != first.ID || len(m.Files) != 12 {
		t.Errorf("manifest: %+v", m)
	}
	// The manifest and changelog sit beside the release, not in it.
	for _, name := range []string{second.ID + ".manifest.json", second.ID + ".changelog.txt"} {
		if _, err := os.Stat(filepath.Join(deploy, "releases", name)); err != nil {
			t.Error(err)
		}
	}
}

// failing is a target that stops taking files after a number of writes, as
// a connection dropped in the middle of an upload does.
type failing struct {
	Store
	left int
}

var errDropped = errors.New("connection dropped")

func (f *failing) WriteFile(name string, r io.Reader) error {
	if f.left == 0 {
		return errDropped
	}
	f.left--
	return f.Store.WriteFile(name, r)
}

func (f *failing) Link(oldname, newname string) error {
	if f.left == 0 {
		return errDropped
	}
	f.left--
	return f.Store.Link(oldname, newname)
}

// An upload cut off in the middle leaves the live release as it was, whole;
// the next publish of the same site sends only what had not arrived.
func TestInterruptedPublishResumes(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	a := site(nil)
	publish(t, s, writeSite(t, a), c, 0)
	before := tree(t, deploy)

	b := map[string]string{}
	for p, body := range a {
		b[p] = body + " v2" // every file changes, so every file is sent
	}
	siteB := writeSite(t, b)
	const k = 4
	_, err := Publish(context.Background(), &failing{Store: s, left: k}, Options{Site: siteB, Now: c.now})
	if !errors.Is(err, errDropped) {
		t.Fatalf("interrupted publish: %v", err)
	}
	sameTree(t, served(t, deploy), want(a))
	for p, h := range before {
		if got := tree(t, deploy)[p]; got != h {
			t.Errorf("%s changed on the target: %s", p, got)
		}
	}
	// A temporary file of a write cut off is removed, not published.
	partials, _ := filepath.Glob(filepath.Join(deploy, "releases", ".partial-*"))
	if len(partials) != 1 {
		t.Fatalf("partial uploads: %v", partials)
	}
	if err := os.WriteFile(filepath.Join(partials[0], "assets", ".site.js.tmp-0123"), []byte("half"), 0o644); err != nil {
		t.Fatal(err)
	}

	res := publish(t, s, siteB, c, 0)
	if res.Resumed != k || res.Sent != 11-k || res.Reused != 0 {
		t.Errorf("resumed publish: resumed %d, sent %d, reused %d; want %d, %d, 0", res.Resumed, res.Sent, res.Reused, k, 11-k)
	}
	sameTree(t, served(t, deploy), want(b))
	if partials, _ := filepath.Glob(filepath.Join(deploy, "releases", ".partial-*")); len(partials) != 0 {
		t.Errorf("left: %v", partials)
	}
}

// noLink is a server without hard links (no hardlink@openssh.com).
type noLink struct {
	Store
	tried int
}

func (n *noLink) Link(oldname, newname string) error {
	n.tried++
	return fmt.Errorf("link %s: %w", newname, errors.ErrUnsupported)
}

func TestPublishWithoutLinksSends(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := &noLink{Store: openDir(t, deploy)}
	c := newClock()
	publish(t, s, writeSite(t, site(nil)), c, 0)
	b := site(map[string]string{"index.html": "changed"})
	res := publish(t, s, writeSite(t, b), c, 0)
	if res.Sent != 11 || res.Reused != 0 || s.tried != 1 {
		t.Errorf("sent %d, reused %d, links tried %d; want 11, 0, 1", res.Sent, res.Reused, s.tried)
	}
	sameTree(t, served(t, deploy), want(b))
}

// Rollback puts back the release before the live one, or a named one,
// byte for byte; publishing a site equal to an older release makes that
// release live again instead of uploading it.
func TestRollback(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	a := site(nil)
	b := site(map[string]string{"index.html": "B", "b.html": "only in B"})
	cc := site(map[string]string{"index.html": "C", "404.html": ""})
	ra := publish(t, s, writeSite(t, a), c, 0)
	rb := publish(t, s, writeSite(t, b), c, 0)
	rc := publish(t, s, writeSite(t, cc), c, 0)

	from, to, err := Rollback(s, "")
	if err != nil || from != rc.ID || to != rb.ID {
		t.Fatalf("rollback: %s → %s, %v; want %s → %s", from, to, err, rc.ID, rb.ID)
	}
	sameTree(t, served(t, deploy), want(b))
	if _, to, err = Rollback(s, ""); err != nil || to != ra.ID {
		t.Fatalf("second rollback: %s, %v", to, err)
	}
	sameTree(t, served(t, deploy), want(a))
	if _, _, err := Rollback(s, ""); err == nil {
		t.Error("rolled back past the oldest release")
	}
	if _, to, err = Rollback(s, rc.ID); err != nil || to != rc.ID {
		t.Fatalf("rollback to %s: %s, %v", rc.ID, to, err)
	}
	sameTree(t, served(t, deploy), want(cc))
	for _, bad := range []string{"20991231T000000Z-000000000000", "../../etc"} {
		if _, _, err := Rollback(s, bad); err == nil {
			t.Errorf("rolled back to %q", bad)
		}
	}

	res := publish(t, s, writeSite(t, a), c, 0)
	if !res.Existing || res.ID != ra.ID || res.Sent != 0 {
		t.Errorf("publishing A again: %+v", res)
	}
	sameTree(t, served(t, deploy), want(a))
}

// --keep prunes the oldest releases but never the live one or the one it
// replaced, even when a rollback made that one old.
func TestKeep(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	var ids []string
	for i := range 4 {
		res := publish(t, s, writeSite(t, site(map[string]string{"index.html": fmt.Sprint(i)})), c, 10)
		ids = append(ids, res.ID)
	}
	if _, _, err := Rollback(s, ids[0]); err != nil {
		t.Fatal(err)
	}
	res := publish(t, s, writeSite(t, site(map[string]string{"index.html": "new"})), c, 1)
	if res.Previous != ids[0] {
		t.Fatalf("previous = %s, want %s", res.Previous, ids[0])
	}
	rs, err := List(s)
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, r := range rs {
		left = append(left, r.ID)
	}
	if wantLeft := []string{ids[0], res.ID}; !slices.Equal(left, wantLeft) {
		t.Errorf("left %v, want %v", left, wantLeft)
	}
	if !slices.Equal(res.Pruned, ids[1:]) {
		t.Errorf("pruned %v, want %v", res.Pruned, ids[1:])
	}
	entries, _ := os.ReadDir(filepath.Join(deploy, "releases"))
	if len(entries) != 6 { // two releases, each with manifest and changelog
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("releases/ holds %v", names)
	}
	// The release the live one replaced is still whole: rollback works.
	if _, to, err := Rollback(s, ""); err != nil || to != ids[0] {
		t.Errorf("rollback after prune: %s, %v", to, err)
	}
}

// A dry run reports the plan and the changelog and changes nothing on the
// target, nor creates a target that does not exist.
func TestDryRunChangesNothing(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	publish(t, s, writeSite(t, site(nil)), c, 0)
	before := tree(t, deploy)
	b := site(map[string]string{"index.html": "changed", "data/xt-mz/2024.csv": csvHeader + csvRow("合计", "年初预算", "2400.00") + csvRow("合计", "支出", "2200.10")})
	res, err := Publish(context.Background(), s, Options{Site: writeSite(t, b), Now: c.now, DryRun: true, Keep: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 2 || res.Reused != 9 {
		t.Errorf("dry run plan: sent %d, reused %d; want 2, 9", res.Sent, res.Reused)
	}
	if len(res.Changes.Reports) != 1 || len(res.Changes.Reports[0].Figures) != 1 {
		t.Errorf("dry run changelog: %+v", res.Changes)
	}
	sameTree(t, tree(t, deploy), before)

	res, err = Publish(context.Background(), nil, Options{Site: writeSite(t, b), Now: c.now, DryRun: true})
	if err != nil || res.Sent != 11 {
		t.Errorf("dry run to a new target: %+v, %v", res, err)
	}
}

// A site rebuilt while it is being published is refused, not published
// half old, half new.
func TestSiteChangedDuringPublish(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	siteDir := writeSite(t, site(nil))
	s := &rewriting{Store: openDir(t, deploy), file: filepath.Join(siteDir, "zz-ls", "index.html")}
	_, err := Publish(context.Background(), s, Options{Site: siteDir, Now: newClock().now})
	if err == nil || !strings.Contains(err.Error(), "changed while") {
		t.Fatalf("publish of a site changing under it: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(deploy, "current")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("something went live: %v", err)
	}
	partials, _ := filepath.Glob(filepath.Join(deploy, "releases", ".partial-*", "zz-ls", "index.html"))
	if len(partials) != 0 {
		t.Errorf("the changed file reached its final name: %v", partials)
	}
}

// rewriting changes a file of the site once the upload has started.
type rewriting struct {
	Store
	file string
	done bool
}

func (r *rewriting) WriteFile(name string, body io.Reader) error {
	if !r.done {
		r.done = true
		if err := os.WriteFile(r.file, []byte("rebuilt"), 0o644); err != nil {
			return err
		}
	}
	return r.Store.WriteFile(name, body)
}

func TestLiveMustBeOurLink(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	if err := os.MkdirAll(filepath.Join(deploy, "current"), 0o755); err != nil {
		t.Fatal(err)
	}
	s := openDir(t, deploy)
	if _, err := Publish(context.Background(), s, Options{Site: writeSite(t, site(nil))}); err == nil {
		t.Error("published over a current that is a plain directory")
	}
	if err := os.Remove(filepath.Join(deploy, "current")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc", filepath.Join(deploy, "current")); err != nil {
		t.Fatal(err)
	}
	if _, err := LiveID(s); err == nil {
		t.Error("accepted current -> /etc")
	}
}

func TestDirStaysInside(t *testing.T) {
	base := t.TempDir()
	if err := os.WriteFile(filepath.Join(base, "secret"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := openDir(t, filepath.Join(base, "www"))
	if err := s.Symlink("../secret", "current"); err != nil {
		t.Fatal(err)
	}
	for name, err := range map[string]error{
		"../secret":   func() error { _, err := s.ReadFile("../secret"); return err }(),
		"via link":    func() error { _, err := s.ReadFile("current"); return err }(),
		"write out":   s.WriteFile("../out", bytes.NewReader(nil)),
		"link out":    s.Link("../secret", "mine"),
		"remove out":  s.RemoveAll("../secret"),
		"rename out":  s.Rename("current", "../moved"),
		"mkdir out":   s.MkdirAll("../dir"),
		"readdir out": func() error { _, err := s.ReadDir(".."); return err }(),
	} {
		if err == nil {
			t.Errorf("%s: allowed", name)
		}
	}
	if _, err := os.Stat(filepath.Join(base, "secret")); err != nil {
		t.Errorf("secret: %v", err)
	}
}

// A live release whose manifest was lost is still replaced: every file is
// sent and the changelog says why it lists nothing.
func TestLiveManifestLost(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	first := publish(t, s, writeSite(t, site(nil)), c, 0)
	if err := os.WriteFile(filepath.Join(deploy, "releases", first.ID+".manifest.json"), []byte("{broken"), 0o644); err != nil {
		t.Fatal(err)
	}
	b := site(map[string]string{"index.html": "B"})
	res := publish(t, s, writeSite(t, b), c, 0)
	if res.Sent != 11 || res.Reused != 0 || res.Previous != first.ID || !strings.Contains(res.Changes.Lost, first.ID) {
		t.Errorf("publish over a live release without manifest: %+v, %+v", res, res.Changes)
	}
	sameTree(t, served(t, deploy), want(b))
	rs, err := List(s)
	if err != nil || len(rs) != 2 || rs[0].Manifest != nil && rs[1].Manifest != nil {
		t.Errorf("list: %+v, %v", rs, err)
	}
}

// stopping is a publish stopped by Ctrl-C after a number of files.
type stopping struct {
	Store
	left   int
	cancel context.CancelFunc
}

func (s *stopping) WriteFile(name string, r io.Reader) error {
	if s.left--; s.left == 0 {
		s.cancel()
	}
	return s.Store.WriteFile(name, r)
}

func TestStoppedPublish(t *testing.T) {
	deploy := filepath.Join(t.TempDir(), "www")
	s := openDir(t, deploy)
	c := newClock()
	a := site(nil)
	publish(t, s, writeSite(t, a), c, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b := site(map[string]string{"index.html": "B", "404.html": "B", "assets/site.js": "B"})
	siteB := writeSite(t, b)
	_, err := Publish(ctx, &stopping{Store: s, left: 2, cancel: cancel}, Options{Site: siteB, Now: c.now})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped publish: %v", err)
	}
	sameTree(t, served(t, deploy), want(a))
	res := publish(t, s, siteB, c, 0)
	if res.Resumed != 2 || res.Sent != 1 || res.Reused != 8 {
		t.Errorf("after the stop: resumed %d, sent %d, reused %d; want 2, 1, 8", res.Resumed, res.Sent, res.Reused)
	}
	sameTree(t, served(t, deploy), want(b))
}
