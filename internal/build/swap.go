package build

import (
	"errors"
	"io/fs"
	"os"
)

// swapByRename moves the old site aside, moves the new one in, then
// removes the old; if the second rename fails the old site is put back.
func swapByRename(tmp, out string) error {
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return os.Rename(tmp, out)
		}
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out)
		return err
	}
	return removeTree(old)
}
