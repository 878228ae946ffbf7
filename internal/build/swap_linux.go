package build

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// swap puts the new site in place of the old in one step: readers of out
// see either the old site or the new, never a mix or nothing.
func swap(tmp, out string) error {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, out, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return removeTree(tmp) // tmp now holds the old site
	case errors.Is(err, unix.ENOENT):
		if _, statErr := os.Stat(out); errors.Is(statErr, fs.ErrNotExist) {
			return os.Rename(tmp, out)
		}
		return err
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		// File systems without RENAME_EXCHANGE get the two-step swap.
		return swapByRename(tmp, out)
	}
	return err
}
