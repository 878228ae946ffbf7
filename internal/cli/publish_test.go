package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"disclose/internal/gen"
	"disclose/internal/heavytest"
	"disclose/internal/publish"
)

// servedFiles hashes what a web server whose root is deploy/current
// serves, by path within the release.
func servedFiles(t *testing.T, deploy string) map[string][32]byte {
	t.Helper()
	root, err := filepath.EvalSymlinks(filepath.Join(deploy, "current"))
	if err != nil {
		t.Fatal(err)
	}
	return relHashes(t, root)
}

func relHashes(t *testing.T, root string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	for p, h := range siteHashes(t, root) {
		rel, _ := filepath.Rel(root, p)
		out[filepath.ToSlash(rel)] = h
	}
	return out
}

// targetTree hashes everything under a deploy directory, links by their
// text, so that any change to the target shows.
func targetTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			l, err := os.Readlink(p)
			out[p] = "link " + l
			return err
		case d.IsDir():
			out[p] = "dir"
		default:
			b, err := os.ReadFile(p)
			sum := sha256.Sum256(b)
			out[p] = hex.EncodeToString(sum[:])
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var countsRE = regexp.MustCompile(`共 (\d+) 个文件；上传 (\d+) 个，[^；]+；沿用 (\d+) 个(?:；续传时已在目标上 (\d+) 个)?`)

// publishCounts reads total, sent, reused and resumed from a publish's
// first line.
func publishCounts(t *testing.T, out string) (total, sent, reused, resumed int) {
	t.Helper()
	m := countsRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no counts in:\n%s", out)
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	return n(m[1]), n(m[2]), n(m[3]), n(m[4])
}

// publishCLI runs disclose publish --quiet with args. The seed content and
// generated content lack documents the national compliance profile
// requires (a department holds one of the several it must publish), so
// the tests of publishing itself pass --force; TestPublishForce tests the
// refusal.
func publishCLI(t *testing.T, wantCode int, args ...string) (string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := runCLI(append([]string{"publish", "--quiet"}, args...), &stdout, &stderr); code != wantCode {
		t.Fatalf("publish %v: exit %d, want %d\nstdout: %s\nstderr: %s", args, code, wantCode, stdout.String(), stderr.String())
	}
	return stdout.String(), stderr.String()
}

// The whole round on a directory target, with the real build of the seed
// content: publish, change one figure and publish again (only the changed
// files go, the changelog names the report and the figure), list, dry
// run, roll back byte for byte.
func TestPublishToDir(t *testing.T) {
	content := seedContent(t)
	tmp := t.TempDir()
	out, deploy := filepath.Join(tmp, "public"), filepath.Join(tmp, "www")
	to := "dir:" + deploy
	flags := []string{"--content", content, "--out", out, "--to", to, "--force"}

	stdout, _ := publishCLI(t, 0, flags...)
	total, sent, _, _ := publishCounts(t, stdout)
	if sent != total || !strings.Contains(stdout, "（首次发布）") {
		t.Errorf("first publish:\n%s", stdout)
	}
	first := servedFiles(t, deploy)
	built := relHashes(t, out)
	delete(built, ".disclose-site")
	if !maps.Equal(first, built) || len(first) != total {
		t.Fatalf("served %d files, built %d, said %d", len(first), len(built), total)
	}

	yaml := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")
	editFile(t, yaml, "    initial_budget: 2373.85\n", "    initial_budget: 2400.00\n")
	stdout, _ = publishCLI(t, 0, flags...)
	total2, sent, reused, _ := publishCounts(t, stdout)
	if sent == 0 || sent > total2/4 || reused != total2-sent {
		t.Errorf("second publish sent %d and reused %d of %d:\n%s", sent, reused, total2, stdout)
	}
	for _, want := range []string{
		"~ reports/hunan-xiangtan-minzheng/2024.html",
		"~ 湘潭市民政局 2024年 部门整体支出绩效自评（data/hunan-xiangtan-minzheng/2024.csv）",
		"湘潭市民政局 2024年 财政拨款 收支 合计 年初预算：2373.85 → 2400.00",
		"已切换：现行版本 ",
		"--rollback 回退",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("second publish does not say %q:\n%s", want, stdout)
		}
	}
	if i, j := strings.Index(stdout, "2373.85 → 2400.00"), strings.Index(stdout, "已切换"); i > j {
		t.Error("the changelog came after the switch")
	}
	second := servedFiles(t, deploy)

	stdout, _ = publishCLI(t, 0, "--to", to, "--list")
	if n := len(regexp.MustCompile(`(?m)^[* ] \d{8}T\d{6}Z-[0-9a-f]{12} `).FindAllString(stdout, -1)); n != 2 {
		t.Errorf("list shows %d releases:\n%s", n, stdout)
	}
	if !regexp.MustCompile(`(?m)^\* \d{8}T\d{6}Z-[0-9a-f]{12} .* 现行( |$)`).MatchString(stdout) {
		t.Errorf("list has no live mark:\n%s", stdout)
	}

	// A dry run shows the plan and the changelog and leaves the target
	// exactly as it was.
	editFile(t, yaml, "    adjustment: 855.52\n", "    adjustment: 855.53\n")
	before := targetTree(t, deploy)
	stdout, _ = publishCLI(t, 0, append(flags, "--dry-run")...)
	if !strings.Contains(stdout, "试运行") || !strings.Contains(stdout, "调整预算：855.52 → 855.53") {
		t.Errorf("dry run:\n%s", stdout)
	}
	if after := targetTree(t, deploy); !maps.Equal(before, after) {
		t.Error("the dry run changed the target")
	}

	stdout, _ = publishCLI(t, 0, "--to", to, "--rollback")
	if !strings.Contains(stdout, "已回退") {
		t.Errorf("rollback: %s", stdout)
	}
	if got := servedFiles(t, deploy); !maps.Equal(got, first) {
		t.Error("after rollback the served site is not the first release byte for byte")
	}
	// And forward again, by name.
	m := regexp.MustCompile(`可用 --rollback (\S+) 恢复`).FindStringSubmatch(stdout)
	if m == nil {
		t.Fatalf("rollback names no way back: %s", stdout)
	}
	publishCLI(t, 0, "--to", to, "--rollback", m[1])
	if got := servedFiles(t, deploy); !maps.Equal(got, second) {
		t.Error("rolling forward by name did not restore the second release")
	}
}

func editFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Shortfalls of the compliance profile stop a publish; --force publishes
// anyway and records what it overrode in the release's manifest.
func TestPublishForce(t *testing.T) {
	content := seedContent(t)
	tmp := t.TempDir()
	deploy := filepath.Join(tmp, "www")
	flags := []string{"--content", content, "--out", filepath.Join(tmp, "public"), "--to", "dir:" + deploy}

	// Content with an error is never published, --force or not.
	yaml := filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml")
	editFile(t, yaml, "    initial_budget: 2373.85\n", "    initial_budget: 二千\n")
	_, stderr := publishCLI(t, 1, append(flags, "--force")...)
	if !strings.Contains(stderr, "未发布：网站没有生成成功") {
		t.Errorf("content with errors: %s", stderr)
	}
	if _, err := os.Stat(deploy); err == nil {
		t.Error("content with errors reached the target")
	}
	editFile(t, yaml, "    initial_budget: 二千\n", "    initial_budget: 2373.85\n")

	// A dry run to a target that does not exist yet does not create it.
	stdout, _ := publishCLI(t, 0, append(flags, "--dry-run", "--force")...)
	if !strings.Contains(stdout, "试运行：将发布新版本") {
		t.Errorf("dry run to a new target: %s", stdout)
	}
	if _, err := os.Stat(deploy); err == nil {
		t.Error("the dry run created the target")
	}

	// The seed content lacks what the national profile requires (each
	// department holds one document of the several it must publish): a
	// publish without --force stops and says what, with the place.
	_, stderr = publishCLI(t, 1, flags...)
	if !strings.Contains(stderr, "未发布：合规检查发现") || !strings.Contains(stderr, "department.yaml:") || !strings.Contains(stderr, "--force") {
		t.Errorf("refusal: %s", stderr)
	}
	if _, err := os.Lstat(filepath.Join(deploy, "current")); err == nil {
		t.Error("published without --force")
	}
	publishCLI(t, 0, append(flags, "--force")...)
	s, err := publish.Dir(deploy)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rs, err := publish.List(s)
	if err != nil || len(rs) != 1 {
		t.Fatalf("releases: %v, %v", rs, err)
	}
	shown := regexp.MustCompile(`未发布：合规检查发现 (\d+) 处不足`).FindStringSubmatch(stderr)
	if f := rs[0].Manifest.Forced; shown == nil || strconv.Itoa(len(f)) != shown[1] || !strings.Contains(strings.Join(f, "\n"), "department.yaml:") {
		t.Errorf("the refusal named %v shortfalls; the manifest records %d forced: %q", shown, len(f), f)
	}
	stdout, _ = publishCLI(t, 0, "--to", "dir:"+deploy, "--list")
	if !strings.Contains(stdout, "强制发布（放过 "+shown[1]+" 处不足）") {
		t.Errorf("list does not mark the forced release:\n%s", stdout)
	}
}

func TestPublishZip(t *testing.T) {
	content := seedContent(t)
	tmp := t.TempDir()
	bundle := filepath.Join(tmp, "site-2024.zip")
	stdout, _ := publishCLI(t, 0, "--content", content, "--out", filepath.Join(tmp, "public"), "--to", "zip:"+bundle, "--force")
	if !strings.Contains(stdout, "sha256sum -c SHA256SUMS") {
		t.Errorf("output: %s", stdout)
	}
	zr, err := zip.OpenReader(bundle)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	sums := map[string]string{}
	got := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == publish.SumsName {
			sc := bufio.NewScanner(bytes.NewReader(b))
			for sc.Scan() {
				h, p, _ := strings.Cut(sc.Text(), "  ")
				sums[p] = h
			}
			continue
		}
		sum := sha256.Sum256(b)
		got[f.Name] = hex.EncodeToString(sum[:])
	}
	if len(got) < 20 || !maps.Equal(got, sums) {
		t.Errorf("bundle of %d files does not verify against SHA256SUMS (%d lines)", len(got), len(sums))
	}
}

func TestPublishUsage(t *testing.T) {
	tmp := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{}, 2, "请用 --to 指定发布目标"},
		{[]string{"--to", "ftp://x"}, 2, "不认识发布目标"},
		{[]string{"--to", "dir:" + filepath.Join(tmp, "public"), "--out", filepath.Join(tmp, "public")}, 2, "不能和--out 输出目录"},
		{[]string{"--to", "dir:" + tmp, "--out", filepath.Join(tmp, "public")}, 2, "不能和--out 输出目录"},
		{[]string{"--to", "sftp://deploy:secret@portal:22/srv/www", "--list"}, 2, "不要写密码"},
		{[]string{"--to", "zip:a.zip", "--rollback"}, 2, "没有版本"},
		{[]string{"--to", "dir:" + filepath.Join(tmp, "none"), "--rollback"}, 1, "还没有发布过版本"},
		{[]string{"--to", "dir:" + filepath.Join(tmp, "none"), "--keep", "0"}, 2, "--keep 至少为 1"},
		{[]string{"--to", "dir:" + filepath.Join(tmp, "none"), "extra"}, 2, "多余的参数"},
	} {
		var stdout, stderr bytes.Buffer
		code := runCLI(append([]string{"publish"}, c.args...), &stdout, &stderr)
		if code != c.code || !strings.Contains(stderr.String(), c.says) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, stderr.String(), c.code, c.says)
		}
	}
	if _, err := os.Stat(filepath.Join(tmp, "none")); err == nil {
		t.Error("a rollback on a missing target created it")
	}
}

// A publish killed outright (kill -9) in the middle of its upload leaves
// the live site the old, complete release; the next publish of the same
// site takes up what had arrived.
func TestHeavyPublishKilledResumes(t *testing.T) {
	// The publish that matters here runs in a process killed with SIGKILL,
	// whose race reports would never be seen: heavy, run without -race.
	heavytest.Mark(t)
	tmp := t.TempDir()
	contentA, contentB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	for dir, seed := range map[string]int64{contentA: 3, contentB: 4} {
		if _, err := gen.Write(dir, gen.Options{Departments: 40, Years: 2, Seed: seed}); err != nil {
			t.Fatal(err)
		}
	}
	out, deploy := filepath.Join(tmp, "public"), filepath.Join(tmp, "www")
	to := "dir:" + deploy
	publishCLI(t, 0, "--content", contentA, "--out", out, "--to", to, "--force")
	old := servedFiles(t, deploy)
	if code := runCLI([]string{"build", "--quiet", "--content", contentB, "--out", out}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("build B: exit %d", code)
	}

	arrived := killMidUpload(t, deploy, "publish", "--quiet", "--force", "--content", contentB, "--out", out, "--to", to)
	if got := servedFiles(t, deploy); !maps.Equal(got, old) {
		t.Fatal("after kill -9 the live site is not the old release")
	}

	stdout, _ := publishCLI(t, 0, "--content", contentB, "--out", out, "--to", to, "--force")
	total, sent, reused, resumed := publishCounts(t, stdout)
	if resumed == 0 || sent+reused+resumed != total || sent >= total-reused {
		t.Errorf("after kill: %d files, sent %d, reused %d, resumed %d (%d had arrived)\n%s", total, sent, reused, resumed, arrived, stdout)
	}
	built := relHashes(t, out)
	delete(built, ".disclose-site")
	if got := servedFiles(t, deploy); !maps.Equal(got, built) {
		t.Error("the resumed release is not the site built")
	}
}

// killMidUpload runs the program with args, a publish to deploy (a
// directory on this machine, or a server's), and kills it (SIGKILL) once
// 20 files of the new release have arrived: the number that had arrived.
func killMidUpload(t *testing.T, deploy string, args ...string) int {
	t.Helper()
	cmd := program(t, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Polled by count, not by time: the bound only stops a hung test.
	for i := 0; ; i++ {
		if n := partialFiles(deploy); n >= 20 {
			break
		}
		if i == 300000 {
			cmd.Process.Kill()
			t.Fatalf("no upload appeared: %s", stderr.String())
		}
		time.Sleep(time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	arrived := partialFiles(deploy)
	if arrived == 0 {
		t.Fatal("the publish finished before it was killed")
	}
	return arrived
}

// partialFiles counts the files of uploads under way on deploy.
func partialFiles(deploy string) int {
	dirs, _ := filepath.Glob(filepath.Join(deploy, "releases", ".partial-*"))
	n := 0
	for _, d := range dirs {
		filepath.WalkDir(d, func(_ string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() {
				n++
			}
			return nil
		})
	}
	return n
}
