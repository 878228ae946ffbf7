package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
)

// Error is a problem with watching, worded for the finance staff who edit
// the content: Error() says what happened and what to do, in plain Chinese.
// Err keeps the cause for errors.Is and for logs.
type Error struct {
	Path string // the file or folder concerned; empty when it is about the whole system
	Err  error
	msg  string
}

func (e *Error) Error() string { return e.msg }
func (e *Error) Unwrap() error { return e.Err }

// MsgWatchLimit is the text of the error for a full inotify watch table.
const MsgWatchLimit = "监视的文件夹太多，超过了系统上限（fs.inotify.max_user_watches）。" +
	"请运行：sudo sysctl fs.inotify.max_user_watches=524288 ，" +
	"并把这一行写入 /etc/sysctl.conf 以便重启后仍然有效。"

// msgInstanceLimit: inotify_init1 fails with EMFILE both when the user has
// too many inotify instances and when the process is out of descriptors;
// the first is far more likely (the default is 128, and every editor and
// file manager uses some), so it leads.
const msgInstanceLimit = "无法开始监视文件改动：同时监视文件的程序太多，超过了系统上限（fs.inotify.max_user_instances）。" +
	"请先关掉不用的 disclose serve、编辑器或文件管理器窗口再试；如果仍然不行，" +
	"请运行：sudo sysctl fs.inotify.max_user_instances=1024 ，" +
	"并把这一行写入 /etc/sysctl.conf 以便重启后仍然有效。"

// IsWatchLimit reports whether err means the system's limit on inotify
// watches (fs.inotify.max_user_watches) was reached. inotify_add_watch
// reports it as ENOSPC ("no space left on device"), which would mislead
// anyone who read it literally.
func IsWatchLimit(err error) bool {
	return errors.Is(err, syscall.ENOSPC)
}

// userError words err, met while watching path, for the people editing the
// site.
func userError(path string, err error) *Error {
	e := &Error{Path: path, Err: err}
	switch {
	case IsWatchLimit(err):
		e.msg = MsgWatchLimit
	case path == "":
		e.msg = fmt.Sprintf("监视文件改动时出错（系统提示：%v），有些修改可能不会自动更新到预览。", err)
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		e.msg = fmt.Sprintf("没有权限读取文件夹“%s”，这个文件夹里的修改不会自动更新到预览。请检查它的权限。", path)
	default:
		e.msg = fmt.Sprintf("无法监视“%s”里的修改（系统提示：%v），这里的修改不会自动更新到预览。", path, err)
	}
	return e
}

// startError words a failure to create the inotify instance itself.
func startError(err error) *Error {
	if errors.Is(err, syscall.EMFILE) {
		return &Error{Err: err, msg: msgInstanceLimit}
	}
	return &Error{Err: err, msg: fmt.Sprintf("无法开始监视文件改动（系统提示：%v）。预览不会自动更新。", err)}
}

// missingError is returned by New for a root whose parent folder does not
// exist either, so there is nowhere to wait for it to appear.
func missingError(root, parent string) *Error {
	return &Error{
		Path: root,
		Err:  fmt.Errorf("watch %s: parent %s: %w", root, parent, fs.ErrNotExist),
		msg:  fmt.Sprintf("找不到“%s”，也找不到它所在的文件夹“%s”。请检查路径是否写对。", root, parent),
	}
}
