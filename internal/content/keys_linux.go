//go:build linux

package content

import (
	"io/fs"
	"syscall"
)

// fileStat reads what says a file is unchanged; ok is false when the file
// system gives too little to tell.
func fileStat(info fs.FileInfo) (FileStat, bool) {
	sys, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return FileStat{}, false
	}
	return FileStat{
		Size:  info.Size(),
		MTime: info.ModTime().UnixNano(),
		CTime: int64(sys.Ctim.Sec)*1e9 + int64(sys.Ctim.Nsec),
		Ino:   uint64(sys.Ino),
	}, true
}
