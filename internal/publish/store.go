// Package publish owns releases of a built site on a publish target: the
// release manifest (every file's path, size and SHA-256, the program
// version, the content's key), the changelog against the live release, the
// plan of what to send and what to reuse, the atomic switch of the live
// path, rollback, the list of releases and their pruning, and the zip
// bundle for portals whose CMS takes an upload.
//
// Where the files go is a Store: a directory on this machine (Dir) or, from
// internal/sftpstore, a portal server over SFTP. The release logic is
// written once over the Store, so every target keeps releases the same way.
//
// The layout of a target, the same on every Store:
//
//	<root>/releases/<id>/                each release's files, served as they are
//	<root>/releases/<id>.manifest.json   its manifest, beside it, not served
//	<root>/releases/<id>.changelog.txt   what changed against the release it replaced
//	<root>/releases/.partial-<hash>/     a release being uploaded (resumable)
//	<root>/current -> releases/<id>      the live release: the web server's document root
//
// A release id is <UTC time 20261204T153000Z>-<first 12 hex digits of
// FilesHash>. A release directory is always complete: its files go into
// its .partial- directory first (unchanged ones hard-linked from the live
// release, the others sent), its manifest is written, and only then is the
// directory renamed. The live switch is a new symbolic link renamed over
// current, so readers see one whole release, then the other.
//
// Every call on a Store may be a round trip to a server, so the logic
// reads manifests rather than trees: what the live release holds comes
// from its manifest, and the only tree walked is a .partial- directory
// being resumed.
//
// It imports nothing of ours: the compliance findings it records are the
// messages the cli gives it. It never builds or checks a site itself (the
// cli wires build, check and publish together).
//
// Layer 0 (see internal/arch).
package publish

import (
	"io"
	"io/fs"
)

// Store is the file system of a publish target. Names are slash-separated
// and relative to the target's root (the deploy directory that holds
// releases/ and the live link current). Errors for a missing name satisfy
// errors.Is(err, fs.ErrNotExist).
type Store interface {
	// Stat describes name without following a final symbolic link.
	Stat(name string) (fs.FileInfo, error)
	ReadFile(name string) ([]byte, error)
	// WriteFile writes r's bytes to name so that name is never seen half
	// written: into a temporary name beside it, then renamed. A file found
	// at its final name is therefore whole, which is what lets an
	// interrupted upload resume.
	WriteFile(name string, r io.Reader) error
	MkdirAll(name string) error
	// ReadDir lists name's entries, sorted by name.
	ReadDir(name string) ([]fs.FileInfo, error)
	// Link makes newname a hard link to oldname: an unchanged file of the
	// live release is reused on the server instead of sent again.
	Link(oldname, newname string) error
	// Symlink makes name a symbolic link whose text is target.
	Symlink(target, name string) error
	Readlink(name string) (string, error)
	// Rename moves oldname to newname, atomically replacing newname if it
	// exists (POSIX rename; posix-rename@openssh.com over SFTP). The live
	// switch is a rename of a fresh symbolic link over current.
	Rename(oldname, newname string) error
	RemoveAll(name string) error
	Close() error
}
