package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"disclose/internal/gen"
)

// The test binary doubles as the program, so that a test can send it real
// signals: with DISCLOSE_TEST_MAIN set it runs Main on its arguments.
func TestMain(m *testing.M) {
	if os.Getenv("DISCLOSE_TEST_MAIN") == "1" {
		os.Exit(Main(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func program(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "DISCLOSE_TEST_MAIN=1")
	return cmd
}

// leftovers lists what builds of out left beside it.
func leftovers(t *testing.T, out string) []string {
	t.Helper()
	var found []string
	for _, pattern := range []string{".public.new-*", ".public.stage-*"} {
		m, err := filepath.Glob(filepath.Join(filepath.Dir(out), pattern))
		if err != nil {
			t.Fatal(err)
		}
		found = append(found, m...)
	}
	return found
}

func siteHashes(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		out[p] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// startBuild starts a build that renders everything and returns once its
// temporary site exists, so that a signal lands in the middle of writing.
func startBuild(t *testing.T, content, out string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	cmd := program(t, "build", "--quiet", "--fresh", "--content", content, "--out", out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Polled by count, not by time: the deadline only stops a hung test.
	for i := 0; ; i++ {
		if dirs := leftovers(t, out); len(dirs) > 0 {
			if entries, _ := os.ReadDir(dirs[0]); len(entries) > 3 {
				return cmd, &stderr
			}
		}
		if i == 300000 {
			cmd.Process.Kill()
			t.Fatalf("no temporary site appeared: %s", stderr.String())
		}
		time.Sleep(time.Millisecond)
	}
}

// Ctrl-C or SIGTERM during a build stops it, removes its temporary site
// and leaves the last good site; a build killed outright (kill -9) leaves
// its temporary site, which the next build removes.
func TestBuildStopsCleanlyOnSignal(t *testing.T) {
	content := filepath.Join(t.TempDir(), "content")
	if _, err := gen.Write(content, gen.Options{Departments: 150, Years: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if code := runCLI([]string{"build", "--quiet", "--content", content, "--out", out}, &bytes.Buffer{}, &bytes.Buffer{}); code != 0 {
		t.Fatalf("first build: exit %d", code)
	}
	before := siteHashes(t, out)

	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			cmd, stderr := startBuild(t, content, out)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != int(Interrupted) {
				// A build that finished before the signal took effect
				// would exit 0; the start-up wait makes that all but
				// impossible, and it would be a real failure to stop.
				t.Fatalf("exit: %v, want status %d; stderr: %s", err, Interrupted, stderr)
			}
			if !strings.Contains(stderr.String(), "已中断") {
				t.Errorf("stderr does not say it stopped: %s", stderr)
			}
			if l := leftovers(t, out); len(l) > 0 {
				t.Errorf("left behind: %v", l)
			}
			after := siteHashes(t, out)
			if len(after) != len(before) {
				t.Fatalf("site has %d files, had %d", len(after), len(before))
			}
			for p, h := range before {
				if after[p] != h {
					t.Fatalf("%s changed", p)
				}
			}
		})
	}

	t.Run("kill -9, then build again", func(t *testing.T) {
		cmd, _ := startBuild(t, content, out)
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if len(leftovers(t, out)) == 0 {
			t.Fatal("a killed build left nothing: the test did not kill it mid-build")
		}
		// Something that only looks like a leftover, without disclose's
		// marker, is not disclose's to remove.
		foreign := filepath.Join(filepath.Dir(out), ".public.new-mine")
		if err := os.MkdirAll(foreign, 0o755); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		if code := runCLI([]string{"build", "--quiet", "--content", content, "--out", out}, &bytes.Buffer{}, &stderr); code != 0 {
			t.Fatalf("build after kill: exit %d: %s", code, stderr.String())
		}
		if l := leftovers(t, out); len(l) != 1 || l[0] != foreign {
			t.Errorf("after the next build: %v, want only %s", l, foreign)
		}
		manifests, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.new-*.disclose-manifest"))
		if len(manifests) > 0 {
			t.Errorf("manifests left: %v", manifests)
		}
	})
}

// A command that only loads and checks stops with Interrupted, not an
// error of its own, when the context ends (Ctrl-C before or during the
// load).
func TestLoadingCommandsStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"check", "--content", dir},
		{"charts", "--content", dir, "--out", filepath.Join(t.TempDir(), "charts")},
	} {
		var out, errOut bytes.Buffer
		if code := Code(Run(ctx, args, &out, &errOut)); code != int(Interrupted) {
			t.Errorf("%v: exit %d, want %d\nstderr: %s", args, code, Interrupted, errOut.String())
		}
	}
}
