// Package heavytest marks the tests of end-to-end work at scale that make
// test runs without the race detector. It is imported by tests only, and
// imports nothing of ours.
//
// It is a package for tests only (see internal/arch).
package heavytest

import (
	"strings"
	"testing"
)

// Prefix begins the name of every heavy test: make test runs them in a
// go test of their own, without -race, chosen by -run '^TestHeavy'.
const Prefix = "TestHeavy"

// Mark marks a test of end-to-end work at scale in which the race
// detector has nothing to find (the work runs on one goroutine, or its
// concurrency is tested by a lighter test) and only multiplies the time,
// tenfold or more: such a test is skipped under -race, and runs in make
// test's other go test, without -race. Its name must then begin with
// Prefix, which Mark checks: a heavy test named otherwise would be
// skipped under -race and never chosen by the other run.
func Mark(t *testing.T) {
	t.Helper()
	if !strings.HasPrefix(t.Name(), Prefix) {
		t.Fatalf("%s is heavy, so its name must begin with %s: make test runs heavy tests without -race by -run '^%s'", t.Name(), Prefix, Prefix)
	}
	if RaceEnabled {
		t.Skipf("heavy, so not under -race: make test runs it without (go test -run '^%s')", Prefix)
	}
}
