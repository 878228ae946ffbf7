// Package sshdtest runs a real OpenSSH server (Debian's openssh-server) on
// 127.0.0.1 for the tests of publishing over SFTP: its own host key, one
// authorised client key, no password login, stopped when the test ends. It
// also runs a real ssh-agent holding a key. It is imported by tests only,
// and imports nothing of ours.
//
// Without sshd or the OpenSSH client tools the tests skip, unless
// DISCLOSE_E2E=require is set, as `make test` does (after installing
// openssh-server); then a missing tool fails the run.
//
// It is a package for tests only (see internal/arch).
package sshdtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Sshd is where Debian installs the server.
const Sshd = "/usr/sbin/sshd"

// Server is a running sshd.
type Server struct {
	Addr string // 127.0.0.1:port
	Host string // 127.0.0.1
	Port int
	// User is the login: the user running the tests, the only one a
	// server started by that user can log in.
	User string
	// ClientKey is the private key file authorised for User.
	ClientKey string
	// KnownHosts holds the server's Ed25519 host key for
	// [127.0.0.1]:port (it has an ECDSA key too); WrongKnownHosts holds
	// another Ed25519 key for the same name.
	KnownHosts      string
	WrongKnownHosts string
	// Root is an empty directory, the tests' deploy directory.
	Root string
	// LogPath is sshd's log (LogLevel VERBOSE), shown when a test fails.
	LogPath string

	dir string
}

// need skips the test when tool is missing, or fails it under
// DISCLOSE_E2E=require.
func need(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s not found (apt-get install openssh-server openssh-client; make test installs it): %v", tool, err)
	if os.Getenv("DISCLOSE_E2E") == "require" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// Keygen makes an Ed25519 key pair at path (private) and path.pub.
func Keygen(t testing.TB, path string) {
	t.Helper()
	keygen(t, "ed25519", path)
}

func keygen(t testing.TB, typ, path string) {
	t.Helper()
	kg := need(t, "ssh-keygen")
	out, err := exec.Command(kg, "-q", "-t", typ, "-N", "", "-C", "disclose-test", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen %s: %v\n%s", path, err, out)
	}
}

// Start runs sshd until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	sshd := need(t, Sshd)
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := &Server{
		Host:            "127.0.0.1",
		User:            u.Username,
		ClientKey:       filepath.Join(dir, "client_key"),
		KnownHosts:      filepath.Join(dir, "known_hosts"),
		WrongKnownHosts: filepath.Join(dir, "wrong_known_hosts"),
		Root:            t.TempDir(),
		LogPath:         filepath.Join(dir, "sshd.log"),
		dir:             dir,
	}
	hostKey := filepath.Join(dir, "host_key")
	wrongKey := filepath.Join(dir, "wrong_host_key")
	Keygen(t, hostKey)
	// Like a Debian server, it has an ECDSA key too, which SSH clients
	// that do not look at known_hosts first prefer, while known_hosts
	// records the Ed25519 key only, as OpenSSH's ssh does.
	keygen(t, "ecdsa", hostKey+"_ecdsa")
	Keygen(t, wrongKey)
	Keygen(t, s.ClientKey)
	copyFile(t, s.ClientKey+".pub", filepath.Join(dir, "authorized_keys"))

	if os.Geteuid() == 0 {
		// sshd started by root separates privileges into an empty
		// directory it insists on, which Debian's service creates at boot.
		if err := os.MkdirAll("/run/sshd", 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// The port is found free, then handed to sshd: another process may
	// take it in between, so a failed start is retried on a new port.
	const tries = 5
	for i := range tries {
		port := freePort(t)
		stop, ok := s.run(t, sshd, hostKey, port)
		if ok {
			s.Port = port
			s.Addr = net.JoinHostPort(s.Host, strconv.Itoa(port))
			t.Cleanup(func() {
				stop()
				if t.Failed() {
					log, _ := os.ReadFile(s.LogPath)
					t.Logf("sshd log (%s):\n%s", s.LogPath, log)
				}
			})
			break
		}
		if i == tries-1 {
			log, _ := os.ReadFile(s.LogPath)
			t.Fatalf("sshd did not start after %d tries; last log:\n%s", tries, log)
		}
	}
	writeKnownHosts(t, s.KnownHosts, s.Port, hostKey+".pub")
	writeKnownHosts(t, s.WrongKnownHosts, s.Port, wrongKey+".pub")
	return s
}

// run starts sshd on port and waits until it accepts a connection and
// greets with its SSH banner, or exits.
func (s *Server) run(t testing.TB, sshd, hostKey string, port int) (stop func(), ok bool) {
	t.Helper()
	sftpServer := "internal-sftp"
	cfg := filepath.Join(s.dir, "sshd_config")
	conf := strings.Join([]string{
		"ListenAddress 127.0.0.1",
		"Port " + strconv.Itoa(port),
		"HostKey " + hostKey + "_ecdsa",
		"HostKey " + hostKey,
		"AuthorizedKeysFile " + filepath.Join(s.dir, "authorized_keys"),
		"AuthenticationMethods publickey",
		"PubkeyAuthentication yes",
		"PasswordAuthentication no",
		"KbdInteractiveAuthentication no",
		"PermitRootLogin prohibit-password",
		"UsePAM no",
		"StrictModes no",
		"PidFile " + filepath.Join(s.dir, "sshd.pid"),
		"Subsystem sftp " + sftpServer,
		"LogLevel VERBOSE",
		"X11Forwarding no",
		"AllowAgentForwarding no",
		"AllowTcpForwarding no",
		"PrintMotd no",
		"",
	}, "\n")
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	// sshd checks the configuration itself before serving; a broken one
	// is a test bug, not a port taken.
	if out, err := exec.Command(sshd, "-t", "-f", cfg).CombinedOutput(); err != nil {
		t.Fatalf("sshd -t -f %s: %v\n%s", cfg, err, out)
	}
	logf, err := os.Create(s.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(sshd, "-D", "-e", "-f", cfg)
	cmd.Stdout = logf
	cmd.Stderr = logf
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sshd: %v", err)
	}
	exited := make(chan struct{})
	go func() {
		cmd.Wait()
		close(exited)
	}()
	stop = func() {
		cmd.Process.Kill()
		<-exited
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	// Bounded by a count of tries, each short: sshd listens within a
	// few milliseconds of starting on an idle machine.
	for range 400 {
		select {
		case <-exited:
			return nil, false
		default:
		}
		if banner(addr) {
			return stop, true
		}
		time.Sleep(25 * time.Millisecond)
	}
	stop()
	return nil, false
}

// banner reports whether an SSH server answers at addr.
func banner(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "SSH-2.0-")
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func copyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeKnownHosts records pub (a .pub file: "type base64 comment") for
// [127.0.0.1]:port, as ssh-keyscan -p port 127.0.0.1 would.
func writeKnownHosts(t testing.TB, file string, port int, pub string) {
	t.Helper()
	b, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		t.Fatalf("%s: not a public key: %q", pub, b)
	}
	line := fmt.Sprintf("[127.0.0.1]:%d %s %s\n", port, f[0], f[1])
	if err := os.WriteFile(file, []byte(line), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Agent runs a real ssh-agent holding keys until the test ends and returns
// its socket, for SSH_AUTH_SOCK.
func Agent(t testing.TB, keys ...string) string {
	t.Helper()
	bin := need(t, "ssh-agent")
	add := need(t, "ssh-add")
	// A socket path must fit in 108 bytes; t.TempDir's may not.
	dir, err := os.MkdirTemp("", "agent")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	sock := filepath.Join(dir, "s")
	var out bytes.Buffer
	cmd := exec.Command(bin, "-D", "-a", sock)
	cmd.Stdout = &out
	cmd.Stderr = &out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start ssh-agent: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	ready := false
	for range 400 {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			ready = true
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if !ready {
		t.Fatalf("ssh-agent did not open %s", sock)
	}
	for _, k := range keys {
		c := exec.Command(add, k)
		c.Env = append(os.Environ(), "SSH_AUTH_SOCK="+sock)
		if b, err := c.CombinedOutput(); err != nil {
			t.Fatalf("ssh-add %s: %v\n%s", k, err, b)
		}
	}
	return sock
}

// Log is sshd's log so far.
func (s *Server) Log() string {
	b, err := os.ReadFile(s.LogPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err.Error()
	}
	return string(b)
}
