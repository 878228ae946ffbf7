package output

import (
	"errors"
	"io/fs"
	"os"
)

// swapByRename moves the old output aside and the new one in, and returns
// where the old one went; if the second rename fails the old output is put
// back.
func swapByRename(tmp, out string) (string, error) {
	old := tmp + ".old"
	if err := os.Rename(out, old); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", os.Rename(tmp, out)
		}
		return "", err
	}
	if err := os.Rename(tmp, out); err != nil {
		_ = os.Rename(old, out)
		return "", err
	}
	return old, nil
}
