// Package themes holds the default theme, embedded so that one binary
// builds a complete site anywhere. A user theme in themes/NAME overrides it
// file by file.
package themes

import (
	"embed"
	"io/fs"
)

//go:embed all:default
var embedded embed.FS

// Default returns the default theme's files: templates/ and assets/.
func Default() fs.FS {
	sub, err := fs.Sub(embedded, "default")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}
