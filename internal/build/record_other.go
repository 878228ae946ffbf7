//go:build !linux

package build

import (
	"context"
	"io/fs"
	"os"

	"disclose/internal/output"
)

// outputAsRecorded walks out and says whether it holds exactly the files
// recorded (and the marker), each with its recorded size and time.
func outputAsRecorded(ctx context.Context, out string, files map[string]output.Record) bool {
	dirs := outputDirs(files)
	seen := 0
	err := fs.WalkDir(os.DirFS(out), ".", func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return ctx.Err()
		case e.IsDir():
			if !dirs[p] {
				return fs.ErrExist
			}
			return nil
		case p == marker:
			return nil
		}
		rec, ok := files[p]
		if !ok || !e.Type().IsRegular() {
			return fs.ErrExist
		}
		st, err := e.Info()
		if err != nil || st.Size() != rec.Size || st.ModTime().UnixNano() != rec.MTime {
			return fs.ErrExist
		}
		seen++
		return nil
	})
	return err == nil && seen == len(files)
}

// mapFile reads file whole.
func mapFile(file string) ([]byte, func(), error) {
	b, err := os.ReadFile(file)
	return b, func() {}, err
}
