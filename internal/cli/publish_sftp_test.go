package cli

import (
	"io"
	"maps"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/gen"
	"disclose/internal/heavytest"
	"disclose/internal/sftpstore"
	"disclose/internal/sshdtest"
)

// sftpFlags are the flags that publish to srv as its authorised user,
// trusting the host key in knownHosts.
func sftpFlags(srv *sshdtest.Server, knownHosts string) []string {
	return []string{
		"--force", // see publishCLI
		"--to", "sftp://" + srv.User + "@" + srv.Addr + srv.Root,
		"--identity", srv.ClientKey,
		"--known-hosts", knownHosts,
	}
}

// changedFiles counts the files of next that prev does not hold with the
// same bytes: what a publish of next over prev must send, and no more.
func changedFiles(prev, next map[string][32]byte) int {
	n := 0
	for p, h := range next {
		if old, ok := prev[p]; !ok || old != h {
			n++
		}
	}
	return n
}

// The whole round against a real OpenSSH server on 127.0.0.1: a first
// publish sends everything; after one figure changes, the second sends
// exactly the files whose SHA-256 differs and links the rest on the
// server; a rollback restores the first release byte for byte; a server
// whose host key is not the one known_hosts holds is refused before
// anything is sent.
func TestPublishOverSFTP(t *testing.T) {
	srv := sshdtest.Start(t)
	t.Setenv("SSH_AUTH_SOCK", "") // only the test's key, not a developer's agent
	content := seedContent(t)
	tmp := t.TempDir()
	out := filepath.Join(tmp, "public")
	flags := append([]string{"--content", content, "--out", out}, sftpFlags(srv, srv.KnownHosts)...)

	stdout, _ := publishCLI(t, 0, flags...)
	total, sent, _, _ := publishCounts(t, stdout)
	first := servedFiles(t, srv.Root)
	built := relHashes(t, out)
	delete(built, ".disclose-site")
	if sent != total || len(first) != total || !maps.Equal(first, built) {
		t.Fatalf("first publish sent %d of %d; the server serves %d files, the build has %d:\n%s", sent, total, len(first), len(built), stdout)
	}

	editFile(t, filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml"), "    initial_budget: 2373.85\n", "    initial_budget: 2400.00\n")
	stdout, _ = publishCLI(t, 0, flags...)
	total2, sent, reused, _ := publishCounts(t, stdout)
	built2 := relHashes(t, out)
	delete(built2, ".disclose-site")
	want := changedFiles(first, built2)
	if want == 0 || sent != want || reused != total2-want {
		t.Errorf("second publish sent %d and reused %d of %d files; %d differ from the live release:\n%s", sent, reused, total2, want, stdout)
	}
	if !strings.Contains(stdout, "年初预算：2373.85 → 2400.00") {
		t.Errorf("the changelog does not name the changed figure:\n%s", stdout)
	}
	if got := servedFiles(t, srv.Root); !maps.Equal(got, built2) {
		t.Error("after the second publish the server does not serve the site built")
	}

	stdout, _ = publishCLI(t, 0, append(sftpFlags(srv, srv.KnownHosts), "--list")...)
	if strings.Count(stdout, "现行") != 1 {
		t.Errorf("list over sftp:\n%s", stdout)
	}
	stdout, _ = publishCLI(t, 0, append(sftpFlags(srv, srv.KnownHosts), "--rollback")...)
	if !strings.Contains(stdout, "已回退") {
		t.Errorf("rollback over sftp: %s", stdout)
	}
	if got := servedFiles(t, srv.Root); !maps.Equal(got, first) {
		t.Error("after a rollback over sftp the server does not serve the first release byte for byte")
	}

	// A wrong host key: refused, with the fingerprint to check, and the
	// target left exactly as it was.
	before := targetTree(t, srv.Root)
	editFile(t, filepath.Join(content, "hunan-xiangtan-minzheng", "2024.yaml"), "    initial_budget: 2400.00\n", "    initial_budget: 2400.01\n")
	_, stderr := publishCLI(t, 1, append([]string{"--content", content, "--out", out}, sftpFlags(srv, srv.WrongKnownHosts)...)...)
	if !strings.Contains(stderr, "SHA256:") {
		t.Errorf("a wrong host key is refused without its fingerprint: %s", stderr)
	}
	if after := targetTree(t, srv.Root); !maps.Equal(before, after) {
		t.Error("a publish refused for its host key changed the target")
	}
}

// A publish over SFTP killed outright (kill -9) in the middle of its
// upload leaves the server's live site the old, complete release; the
// next publish of the same site takes up what had arrived.
func TestHeavyPublishOverSFTPKilledResumes(t *testing.T) {
	heavytest.Mark(t) // as TestHeavyPublishKilledResumes
	srv := sshdtest.Start(t)
	t.Setenv("SSH_AUTH_SOCK", "")
	tmp := t.TempDir()
	contentA, contentB := filepath.Join(tmp, "a"), filepath.Join(tmp, "b")
	for dir, seed := range map[string]int64{contentA: 3, contentB: 4} {
		if _, err := gen.Write(dir, gen.Options{Departments: 40, Years: 2, Seed: seed}); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(tmp, "public")
	publishCLI(t, 0, append([]string{"--content", contentA, "--out", out}, sftpFlags(srv, srv.KnownHosts)...)...)
	old := servedFiles(t, srv.Root)
	if code := runCLI([]string{"build", "--quiet", "--content", contentB, "--out", out}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("build B: exit %d", code)
	}

	killMidUpload(t, srv.Root, append([]string{"publish", "--quiet", "--content", contentB, "--out", out}, sftpFlags(srv, srv.KnownHosts)...)...)
	if got := servedFiles(t, srv.Root); !maps.Equal(got, old) {
		t.Fatal("after kill -9 the server's live site is not the old release")
	}
	// What had arrived when the client died: a file at its own name is
	// whole (its bytes those of the site built); a half-written one can
	// only be under a temporary name, which the next publish removes.
	built := relHashes(t, out)
	partials, _ := filepath.Glob(filepath.Join(srv.Root, "releases", ".partial-*"))
	whole := 0
	for _, dir := range partials {
		for rel, h := range relHashes(t, dir) {
			if strings.Contains(path.Base(rel), sftpstore.TempMarker) {
				continue
			}
			whole++
			if built[rel] != h {
				t.Errorf("%s arrived at its own name but is not the file built", rel)
			}
		}
	}
	if whole == 0 {
		t.Error("no file arrived whole before the kill")
	}

	stdout, _ := publishCLI(t, 0, append([]string{"--content", contentB, "--out", out}, sftpFlags(srv, srv.KnownHosts)...)...)
	total, sent, reused, resumed := publishCounts(t, stdout)
	if resumed == 0 || sent+reused+resumed != total {
		t.Errorf("after kill: %d files, sent %d, reused %d, resumed %d\n%s", total, sent, reused, resumed, stdout)
	}
	delete(built, ".disclose-site")
	if got := servedFiles(t, srv.Root); !maps.Equal(got, built) {
		t.Error("the resumed release on the server is not the site built")
	}
}
