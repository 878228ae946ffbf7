//go:build linux

package watch

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// limitChild is set in the copy of the test binary that TestWatchLimit
// runs in a user namespace of its own.
const limitChild = "DISCLOSE_WATCH_LIMIT_CHILD"

// TestWatchLimit reaches the inotify watch limit for real. The limit is
// counted per user namespace, and the owner of a namespace may lower it
// there (/proc/sys/user/max_inotify_watches), so the test runs itself
// again in a new user namespace with a limit of a few watches. Nothing
// outside that namespace is affected and nothing needs restoring.
func TestWatchLimit(t *testing.T) {
	if os.Getenv(limitChild) != "" {
		watchLimitChild(t)
		return
	}
	t.Parallel()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWatchLimit$", "-test.v", "-test.count=1")
	cmd.Env = append(os.Environ(), limitChild+"=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Skipf("cannot start a user namespace here (%v)", err)
	}
	if strings.Contains(string(out), "--- SKIP") {
		t.Skipf("skipped in the user namespace:\n%s", out)
	}
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("in a user namespace: %v\n%s", err, out)
	}
}

func watchLimitChild(t *testing.T) {
	// Never lower the limit of the whole machine: the initial namespace
	// maps every id.
	if m, err := os.ReadFile("/proc/self/uid_map"); err != nil || strings.Contains(string(m), "4294967295") {
		t.Fatalf("%s is set but this is not a new user namespace (uid_map %q, %v)", limitChild, m, err)
	}
	setLimit := func(n int) {
		t.Helper()
		if err := os.WriteFile("/proc/sys/user/max_inotify_watches", []byte(fmt.Sprint(n)), 0); err != nil {
			t.Skip("cannot lower the watch limit in a user namespace:", err)
		}
	}

	// At start: the parent, the root and six folders need eight watches.
	_, root := tree(t, "a/b/c/d/e/f/")
	setLimit(4)
	w, err := New([]string{root}, Options{})
	if err == nil {
		w.Close()
		t.Fatal("New succeeded with 8 folders and a limit of 4 watches")
	}
	var e *Error
	if !errors.As(err, &e) || e.Error() != MsgWatchLimit || !errors.Is(err, syscall.ENOSPC) || !IsWatchLimit(err) {
		t.Fatalf("New: %v (%T), want the watch-limit message wrapping ENOSPC", err, err)
	}

	// Later: the parent and the root fit; folders created afterwards do not.
	// Closing a watcher gives its watches back, but the kernel counts
	// them down a moment later.
	_, root = tree(t)
	var w2 *Watcher
	for deadline := time.Now().Add(waitTimeout); ; {
		if w2, err = New([]string{root}, Options{}); err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("New with 2 of 4 watches: %v", err)
	}
	defer w2.Close()
	mkdir(t, filepath.Join(root, "x/y/z"))
	select {
	case err := <-w2.Errors():
		if err.Error() != MsgWatchLimit || !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("Errors() gave %v, want the watch-limit message", err)
		}
	case <-time.After(waitTimeout):
		t.Fatal("no error on Errors() after passing the watch limit")
	}
	// The folders that did fit are still watched.
	until(t, w2, filepath.Join(root, "x"))
}
