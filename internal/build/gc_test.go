package build

import (
	"runtime/debug"
	"testing"
)

// Overlapping builds halve the collector's headroom once, and the last to
// finish puts it back; each restore counts once however often it is
// called.
func TestHalveGCNests(t *testing.T) {
	before := debug.SetGCPercent(120)
	defer debug.SetGCPercent(before)
	gc := func() int { v := debug.SetGCPercent(-1); debug.SetGCPercent(v); return v }
	a := halveGC()
	b := halveGC()
	if got := gc(); got != 60 {
		t.Fatalf("two builds: GOGC %d, want 60", got)
	}
	a()
	a()
	if got := gc(); got != 60 {
		t.Fatalf("one build left: GOGC %d, want 60", got)
	}
	b()
	if got := gc(); got != 120 {
		t.Fatalf("none left: GOGC %d, want 120", got)
	}
	debug.SetGCPercent(-1)
	c := halveGC()
	if got := gc(); got != -1 {
		t.Errorf("with the collector off: GOGC %d, want it left off", got)
	}
	c()
	if got := gc(); got != -1 {
		t.Errorf("after: GOGC %d, want it left off", got)
	}
}
