//go:build !linux

package content

import "io/fs"

// fileStat: without a change time that users cannot set back, a stat
// cannot vouch for a file's bytes; every file is read.
func fileStat(fs.FileInfo) (FileStat, bool) { return FileStat{}, false }

// openTree reads any tree through its fs.FS.
func openTree(fsys fs.FS) (treeDir, error) { return fsDir{fsys, "."}, nil }
