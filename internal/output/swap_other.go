//go:build !linux

package output

func swap(tmp, out string) (string, error) { return swapByRename(tmp, out) }
