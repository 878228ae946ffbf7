package sftpstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/publish"
	"disclose/internal/publish/storetest"
	"disclose/internal/sftpstore"
	"disclose/internal/sshdtest"

	"golang.org/x/crypto/ssh"
)

var _ publish.Store = (*sftpstore.Store)(nil)

func target(t *testing.T, srv *sshdtest.Server) sftpstore.Target {
	t.Helper()
	tg, err := sftpstore.ParseTarget("sftp://" + srv.User + "@" + srv.Addr + srv.Root)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func dial(t *testing.T, srv *sshdtest.Server) *sftpstore.Store {
	t.Helper()
	s, err := sftpstore.Dial(context.Background(), target(t, srv), sftpstore.Options{
		KnownHosts: []string{srv.KnownHosts},
		Identities: []string{srv.ClientKey},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// The store against a real OpenSSH server, checked on the server's disk.
func TestConformance(t *testing.T) {
	srv := sshdtest.Start(t)
	s := dial(t, srv)
	storetest.Conformance(t, s, srv.Root)
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// What went over the wire is counted; what the server reused is not.
func TestSent(t *testing.T) {
	srv := sshdtest.Start(t)
	s := dial(t, srv)
	if f, b := s.Sent(); f != 0 || b != 0 {
		t.Fatalf("fresh store sent %d files, %d bytes", f, b)
	}
	big := bytes.Repeat([]byte("支出"), 100_000)
	for _, name := range []string{"r1/a.html", "r1/b.bin"} {
		if err := s.WriteFile(name, bytes.NewReader(big)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Link("r1/a.html", "r1/c.html"); err != nil {
		t.Fatal(err)
	}
	if f, b := s.Sent(); f != 2 || b != 2*int64(len(big)) {
		t.Errorf("Sent() = %d files, %d bytes; want 2, %d", f, b, 2*len(big))
	}
}

// A first publish finds no deploy directory: writing makes it.
func TestFreshDeployDirectory(t *testing.T) {
	srv := sshdtest.Start(t)
	tg := target(t, srv)
	tg.Path += "/portal/公开"
	s, err := sftpstore.Dial(context.Background(), tg, sftpstore.Options{
		KnownHosts: []string{srv.KnownHosts},
		Identities: []string{srv.ClientKey},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.ReadDir("."); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadDir(.) of a missing deploy directory: %v", err)
	}
	if err := s.WriteFile("releases/r1/index.html", strings.NewReader("首页")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(srv.Root, "portal/公开/releases/r1/index.html"))
	if err != nil || string(got) != "首页" {
		t.Errorf("on the server: %q, %v", got, err)
	}
}

// A big tree goes in one RemoveAll, whatever the order replies come in.
func TestRemoveAllMany(t *testing.T) {
	srv := sshdtest.Start(t)
	s := dial(t, srv)
	for d := range 3 {
		for f := range 100 {
			name := fmt.Sprintf("releases/old/%d/%03d.html", d, f)
			if err := s.WriteFile(name, strings.NewReader(name)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.Symlink("old/0", "releases/old/link"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveAll("releases/old"); err != nil {
		t.Fatal(err)
	}
	es, err := os.ReadDir(filepath.Join(srv.Root, "releases"))
	if err != nil || len(es) != 0 {
		t.Errorf("releases after RemoveAll: %v, %v", es, err)
	}
}

// OpenSSH's SFTP takes a symlink's two paths in reverse order; the link
// must come out at name with target as its text, whatever the order on
// the wire.
func TestSymlinkDirection(t *testing.T) {
	srv := sshdtest.Start(t)
	s := dial(t, srv)
	if err := s.MkdirAll("releases/20261204-1"); err != nil {
		t.Fatal(err)
	}
	if err := s.Symlink("releases/20261204-1", "current"); err != nil {
		t.Fatal(err)
	}
	got, err := os.Readlink(filepath.Join(srv.Root, "current"))
	if err != nil {
		t.Fatalf("no link at current: %v", err)
	}
	if got != "releases/20261204-1" {
		t.Errorf("current -> %q", got)
	}
	if _, err := os.Lstat(filepath.Join(srv.Root, "releases/20261204-1/current")); err == nil {
		t.Error("a link was made inside the target instead")
	}
	// A link text leading out of the deploy directory is refused.
	for _, bad := range []string{"/etc", "../elsewhere", "releases/../../x", ""} {
		if err := s.Symlink(bad, "bad"); err == nil {
			t.Errorf("Symlink(%q): no error", bad)
		}
	}
}

func TestHostKey(t *testing.T) {
	srv := sshdtest.Start(t)
	pub, err := os.ReadFile(srv.KnownHosts)
	if err != nil {
		t.Fatal(err)
	}
	_, _, key, _, _, err := ssh.ParseKnownHosts(pub)
	if err != nil {
		t.Fatal(err)
	}
	fp := ssh.FingerprintSHA256(key)
	empty := filepath.Join(t.TempDir(), "known_hosts")
	other := filepath.Join(t.TempDir(), "other_known_hosts")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	// The right key for another port is another host to ssh.
	line := strings.Replace(string(pub), srv.Addr[len("127.0.0.1:"):], "1", 1)
	if err := os.WriteFile(other, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir() // no ~/.ssh/known_hosts at all
	t.Setenv("HOME", home)
	for _, c := range []struct {
		name       string
		knownHosts []string
		changed    bool
		say        string
	}{
		{"wrong key", []string{srv.WrongKnownHosts}, true, "ssh-keygen -R '[127.0.0.1]:"},
		{"wrong key beside the right one's file", []string{srv.WrongKnownHosts, empty}, true, "冒充"},
		{"empty known_hosts", []string{empty}, false, "ssh-keyscan -p "},
		{"known for another port", []string{other}, false, "没有服务器 " + srv.Addr},
		{"no known_hosts file", nil, false, filepath.Join(home, ".ssh", "known_hosts")},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, err := sftpstore.Dial(context.Background(), target(t, srv), sftpstore.Options{
				KnownHosts: c.knownHosts,
				Identities: []string{srv.ClientKey},
			})
			if err == nil {
				s.Close()
				t.Fatal("connected")
			}
			var he *sftpstore.HostKeyError
			if !errors.As(err, &he) {
				t.Fatalf("error %v is no HostKeyError", err)
			}
			if he.Changed != c.changed || he.Fingerprint != fp {
				t.Errorf("Changed %v, fingerprint %s; want %v, %s", he.Changed, he.Fingerprint, c.changed, fp)
			}
			for _, want := range []string{srv.Addr, fp, c.say} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("message lacks %q: %v", want, err)
				}
			}
		})
	}
	// Refused before logging in: the server saw no key offered.
	if strings.Contains(srv.Log(), "Accepted publickey") {
		t.Errorf("a refused host was logged in to:\n%s", srv.Log())
	}
}

func TestAuth(t *testing.T) {
	srv := sshdtest.Start(t)
	otherKey := filepath.Join(t.TempDir(), "other")
	sshdtest.Keygen(t, otherKey)
	// The home has no keys, so only what a case names can authenticate.
	t.Setenv("HOME", t.TempDir())
	right := sshdtest.Agent(t, srv.ClientKey)
	wrong := sshdtest.Agent(t, otherKey)
	for _, c := range []struct {
		name       string
		identities []string
		agent      string
		useAgent   bool
		err        string // "" for a login
	}{
		{"key file", []string{srv.ClientKey}, "", false, ""},
		{"second key file", []string{otherKey, srv.ClientKey}, "", false, ""},
		{"agent", nil, right, true, ""},
		{"agent after a wrong file", []string{otherKey}, right, true, ""},
		{"wrong key file", []string{otherKey}, "", false, "不接受用户"},
		{"wrong key in agent", nil, wrong, true, "不接受用户"},
		{"agent not asked", nil, right, false, "没有可用的 SSH 私钥"},
		{"agent asked, none running", nil, "", true, "没有可用的 SSH 私钥"},
		{"missing key file", []string{filepath.Join(t.TempDir(), "none")}, "", false, "读取私钥"},
		{"stale agent socket, key file", []string{srv.ClientKey}, filepath.Join(t.TempDir(), "gone"), true, ""},
		{"stale agent socket only", nil, filepath.Join(t.TempDir(), "gone"), true, "连接 ssh-agent"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SSH_AUTH_SOCK", c.agent)
			s, err := sftpstore.Dial(context.Background(), target(t, srv), sftpstore.Options{
				KnownHosts: []string{srv.KnownHosts},
				Identities: c.identities,
				UseAgent:   c.useAgent,
			})
			if c.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if err := s.WriteFile("auth.txt", strings.NewReader(c.name)); err != nil {
					t.Fatal(err)
				}
				if got, _ := os.ReadFile(filepath.Join(srv.Root, "auth.txt")); string(got) != c.name {
					t.Errorf("server has %q", got)
				}
				return
			}
			if err == nil {
				s.Close()
				t.Fatal("logged in")
			}
			if !strings.Contains(err.Error(), c.err) {
				t.Errorf("error %q, want it to say %q", err, c.err)
			}
		})
	}
	if strings.Contains(srv.Log(), "Accepted password") || strings.Contains(srv.Log(), "Failed password") {
		t.Error("a password was tried")
	}
}

func TestContext(t *testing.T) {
	srv := sshdtest.Start(t)
	opts := sftpstore.Options{KnownHosts: []string{srv.KnownHosts}, Identities: []string{srv.ClientKey}}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if s, err := sftpstore.Dial(ctx, target(t, srv), opts); !errors.Is(err, context.Canceled) {
		if s != nil {
			s.Close()
		}
		t.Errorf("Dial with a cancelled context: %v", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	s, err := sftpstore.Dial(ctx, target(t, srv), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.WriteFile("before.txt", strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	cancel()
	// The connection is closed by cancel's AfterFunc, on its own
	// goroutine: the first calls may still go out, but not many.
	var err2 error
	for range 1000 {
		if err2 = s.WriteFile("after.txt", strings.NewReader("y")); err2 != nil {
			break
		}
	}
	if err2 == nil {
		t.Error("writes still succeed after the context was cancelled")
	}
}

func TestDialRefusesBadTarget(t *testing.T) {
	_, err := sftpstore.Dial(context.Background(), sftpstore.Target{Host: "127.0.0.1", Port: 22, Path: "relative"}, sftpstore.Options{})
	if err == nil {
		t.Error("a relative path was accepted")
	}
}
