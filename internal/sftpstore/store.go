package sftpstore

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/sync/errgroup"
)

// Store is the deploy directory on the server. Names are slash-separated
// and relative to Target.Path; a name that would lead out of it is refused.
// Its methods may be called from several goroutines at once: SFTP
// multiplexes requests over the one connection.
type Store struct {
	target     Target
	addr       string
	ssh        *ssh.Client
	sftp       *sftp.Client
	stop       func() bool
	closeAgent func()

	files atomic.Int64
	bytes atomic.Int64

	closeOnce sync.Once
	closeErr  error
}

// TempMarker is in the name of a file being written: name + TempMarker +
// random hex. Only an interrupted upload leaves one behind.
const TempMarker = ".tmp-"

// Target is where the store writes.
func (s *Store) Target() Target { return s.target }

// Sent counts the files written and their bytes, which is what went over
// the wire (files reused by Link cost nothing). Only files written whole
// and renamed into place count.
func (s *Store) Sent() (files int, bytes int64) {
	return int(s.files.Load()), s.bytes.Load()
}

// errOutside refuses names that leave the deploy directory: the release
// logic never needs one, so one is a bug, and on a server it could
// overwrite anything the login may write.
var errOutside = errors.New("名称超出发布目录")

// abs turns a store name into the server path, confined to the root.
func (s *Store) abs(name string) (string, error) {
	if strings.HasPrefix(name, "/") || strings.ContainsRune(name, 0) || strings.Contains(name, `\`) {
		return "", fmt.Errorf("%q: %w", name, errOutside)
	}
	c := path.Clean(name)
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", fmt.Errorf("%q: %w", name, errOutside)
	}
	return path.Join(s.target.Path, c), nil
}

func (s *Store) fail(op, name string, err error) error {
	return fmt.Errorf("sftp %s: %s %s: %w", s.addr, op, name, err)
}

// Stat describes name without following a final symbolic link.
func (s *Store) Stat(name string) (fs.FileInfo, error) {
	p, err := s.abs(name)
	if err != nil {
		return nil, s.fail("stat", name, err)
	}
	fi, err := s.sftp.Lstat(p)
	if err != nil {
		return nil, s.fail("stat", name, err)
	}
	return fi, nil
}

func (s *Store) ReadFile(name string) ([]byte, error) {
	p, err := s.abs(name)
	if err != nil {
		return nil, s.fail("read", name, err)
	}
	f, err := s.sftp.Open(p)
	if err != nil {
		return nil, s.fail("read", name, err)
	}
	defer f.Close()
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, s.fail("read", name, err)
	}
	return b.Bytes(), nil
}

// WriteFile writes r to a temporary name beside name and renames it over
// name (posix-rename@openssh.com, atomic on the server's file system), so
// that name is absent, old or whole, never partly written. A missing
// parent directory is made.
func (s *Store) WriteFile(name string, r io.Reader) error {
	p, err := s.abs(name)
	if err != nil {
		return s.fail("write", name, err)
	}
	if path.Clean(name) == "." {
		return s.fail("write", name, errors.New("不能写入发布目录本身"))
	}
	var rnd [8]byte
	if _, err := rand.Read(rnd[:]); err != nil {
		return s.fail("write", name, err)
	}
	tmp := p + TempMarker + hex.EncodeToString(rnd[:])
	const flags = os.O_WRONLY | os.O_CREATE | os.O_EXCL
	f, err := s.sftp.OpenFile(tmp, flags)
	if errors.Is(err, fs.ErrNotExist) {
		if err := s.sftp.MkdirAll(path.Dir(p)); err != nil {
			return s.fail("write", name, err)
		}
		f, err = s.sftp.OpenFile(tmp, flags)
	}
	if err != nil {
		return s.fail("write", name, err)
	}
	// ReadFrom sends many packets before waiting for replies when it knows
	// r's size (bytes.Reader, os.File …): the round trip is paid once, not
	// once per 32 KiB.
	n, err := f.ReadFrom(r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = s.sftp.PosixRename(tmp, p)
	}
	if err != nil {
		s.sftp.Remove(tmp)
		return s.fail("write", name, err)
	}
	s.files.Add(1)
	s.bytes.Add(n)
	return nil
}

func (s *Store) MkdirAll(name string) error {
	p, err := s.abs(name)
	if err != nil {
		return s.fail("mkdir", name, err)
	}
	if err := s.sftp.MkdirAll(p); err != nil {
		return s.fail("mkdir", name, err)
	}
	return nil
}

// ReadDir lists name's entries, sorted by name. Entries describe links
// themselves, not what they point to.
func (s *Store) ReadDir(name string) ([]fs.FileInfo, error) {
	p, err := s.abs(name)
	if err != nil {
		return nil, s.fail("readdir", name, err)
	}
	list, err := s.sftp.ReadDir(p)
	if err != nil {
		return nil, s.fail("readdir", name, err)
	}
	slices.SortFunc(list, func(a, b fs.FileInfo) int { return strings.Compare(a.Name(), b.Name()) })
	return list, nil
}

// Link makes newname a hard link to oldname (hardlink@openssh.com): the
// server reuses the file, nothing is sent.
func (s *Store) Link(oldname, newname string) error {
	op, err := s.abs(oldname)
	if err != nil {
		return s.fail("link", oldname, err)
	}
	np, err := s.abs(newname)
	if err != nil {
		return s.fail("link", newname, err)
	}
	if err := s.sftp.Link(op, np); err != nil {
		return s.fail("link", oldname+" → "+newname, err)
	}
	return nil
}

// Symlink makes name a symbolic link whose text is target. The target must
// be relative and stay inside the deploy directory (seen from name's
// directory): files written through the link would otherwise land outside
// it, and a link that moves with the directory survives the directory
// being moved or mounted elsewhere.
//
// OpenSSH's sftp-server takes SSH_FXP_SYMLINK's paths in the reverse of
// the draft's order; pkg/sftp's Client.Symlink(target, link) sends them in
// OpenSSH's order, which the tests check against a real sshd.
func (s *Store) Symlink(target, name string) error {
	p, err := s.abs(name)
	if err != nil {
		return s.fail("symlink", name, err)
	}
	if _, err := s.abs(path.Join(path.Dir(path.Clean(name)), target)); err != nil || path.IsAbs(target) || target == "" {
		return s.fail("symlink", name, fmt.Errorf("链接内容 %q: %w", target, errOutside))
	}
	if err := s.sftp.Symlink(target, p); err != nil {
		return s.fail("symlink", name, err)
	}
	return nil
}

func (s *Store) Readlink(name string) (string, error) {
	p, err := s.abs(name)
	if err != nil {
		return "", s.fail("readlink", name, err)
	}
	t, err := s.sftp.ReadLink(p)
	if err != nil {
		return "", s.fail("readlink", name, err)
	}
	return t, nil
}

// Rename moves oldname to newname, atomically replacing newname, a file or
// a symbolic link such as current (posix-rename@openssh.com is rename(2)
// on the server; plain SFTP rename refuses an existing newname).
func (s *Store) Rename(oldname, newname string) error {
	op, err := s.abs(oldname)
	if err != nil {
		return s.fail("rename", oldname, err)
	}
	np, err := s.abs(newname)
	if err != nil {
		return s.fail("rename", newname, err)
	}
	if err := s.sftp.PosixRename(op, np); err != nil {
		return s.fail("rename", oldname+" → "+newname, err)
	}
	return nil
}

// RemoveAll removes name and everything under it, never following a
// symbolic link. A missing name is no error, as with os.RemoveAll.
func (s *Store) RemoveAll(name string) error {
	p, err := s.abs(name)
	if err != nil {
		return s.fail("remove", name, err)
	}
	if path.Clean(name) == "." {
		return s.fail("remove", name, errors.New("不能删除发布目录本身"))
	}
	if err := s.removeAll(p); err != nil {
		return s.fail("remove", name, err)
	}
	return nil
}

func (s *Store) removeAll(p string) error {
	fi, err := s.sftp.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.remove(p, fi.IsDir())
}

// removeInFlight bounds the removals sent before their replies come back:
// pruning an old release removes thousands of files, and one at a time
// each costs a round trip to the server.
const removeInFlight = 32

// remove removes p, a directory's contents first. ReadDir's entries say
// what each is (not following links), so nothing is asked twice.
func (s *Store) remove(p string, dir bool) error {
	if !dir {
		return ignoreMissing(s.sftp.Remove(p))
	}
	list, err := s.sftp.ReadDir(p)
	if err != nil {
		return ignoreMissing(err)
	}
	var g errgroup.Group
	g.SetLimit(removeInFlight)
	for _, e := range list {
		q := path.Join(p, e.Name())
		if e.IsDir() {
			if err := s.remove(q, true); err != nil {
				_ = g.Wait()
				return err
			}
			continue
		}
		g.Go(func() error { return ignoreMissing(s.sftp.Remove(q)) })
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ignoreMissing(s.sftp.RemoveDirectory(p))
}

func ignoreMissing(err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Close ends the SFTP session and the SSH connection.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.stop()
		// The session's own close fails when the connection is gone
		// (ctx done); the connection's says whether anything was lost.
		s.sftp.Close()
		err := s.ssh.Close()
		s.closeAgent()
		if err != nil && !errors.Is(err, net.ErrClosed) {
			s.closeErr = fmt.Errorf("sftp %s: close: %w", s.addr, err)
		}
	})
	return s.closeErr
}
