//go:build unix

package opendata

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used, user and system: a fairer
// measure than wall time on a busy machine, and it counts the garbage
// collector's work on other threads.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
