package build

import (
	"runtime/debug"
	"sync"
)

// halveGC halves the garbage collector's headroom (GOGC) until the
// returned function restores it; with the collector off it does nothing.
// The setting is the process's: builds that overlap (tests, a preview)
// share one halving, undone when the last of them is done.
func halveGC() (restore func()) {
	halved.Lock()
	defer halved.Unlock()
	if halved.n == 0 {
		halved.prev = debug.SetGCPercent(-1)
		if halved.prev > 0 {
			debug.SetGCPercent(max(halved.prev/2, 1))
		} else {
			debug.SetGCPercent(halved.prev)
		}
	}
	halved.n++
	var once sync.Once
	return func() {
		once.Do(func() {
			halved.Lock()
			defer halved.Unlock()
			if halved.n--; halved.n == 0 {
				debug.SetGCPercent(halved.prev)
			}
		})
	}
}

var halved struct {
	sync.Mutex
	n    int // builds in their site-wide files
	prev int // GOGC before the first of them
}
