package output

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts the new output in place of the old in one step: readers of
// out see either the old output or the new, never a mix or nothing. It
// returns where the old output now is, for the caller to remove ("" when
// there was none).
func swap(tmp, out string) (old string, err error) {
	err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return tmp, nil // tmp now holds the old output
	case errors.Is(err, unix.ENOENT):
		if _, statErr := os.Stat(out); errors.Is(statErr, fs.ErrNotExist) {
			return "", os.Rename(tmp, out)
		}
		return "", err
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		// File systems without RENAME_EXCHANGE get the two-step swap.
		return swapByRename(tmp, out)
	}
	return "", err
}
