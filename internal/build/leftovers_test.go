package build

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"disclose/internal/output"
)

// Two builds of one output take turns: the second waits (and says so)
// while the first holds the lock (here a writer of package output), and
// then builds. Cancelling a waiting
// build ends it without touching anything.
func TestBuildsOfOneOutputTakeTurns(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	other, err := output.Begin(context.Background(), out, outputOptions(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	waiting := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		_, err := Build(context.Background(), Options{Content: seeds, Out: out, Waiting: func() { close(waiting) }})
		done <- err
	}()
	<-waiting
	select {
	case err := <-done:
		t.Fatalf("the build did not wait: %v", err)
	default:
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the waiting build wrote %s", out)
	}
	other.Abort()
	if err := <-done; err != nil {
		t.Fatal(err)
	}

	other, err = output.Begin(context.Background(), out, outputOptions(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Abort()
	ctx, cancel := context.WithCancel(context.Background())
	_, err = Build(ctx, Options{Content: seeds, Out: out, Waiting: cancel})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled while waiting: %v", err)
	}
}

// A stopped build removes its own temporary site and leaves the old one.
func TestCancelledBuildRemovesItsTemporarySite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	buildInto(t, Options{Out: out})
	before := tree(t, out)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Build(ctx, Options{Content: seeds, Out: out, Fresh: true, Jobs: 1, Progress: func(done, total int) {
		if n++; n == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	for _, pattern := range []string{".public.new-*", ".public.stage-*"} {
		if m, _ := filepath.Glob(filepath.Join(filepath.Dir(out), pattern)); len(m) > 0 {
			t.Errorf("left behind: %v", m)
		}
	}
	if !sameTree(before, tree(t, out)) {
		t.Error("the stopped build changed the site")
	}
}
