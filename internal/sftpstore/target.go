// Package sftpstore owns the SSH/SFTP connection to a portal server: the
// publish target sftp://user@host[:port]/path, the check of the server's
// host key against known_hosts, authentication by key files or ssh-agent
// (never a password), and the file operations a release needs on the
// server, each confined to the target's directory. Files are written under
// a temporary name and renamed, so a file seen at its final name is whole.
//
// It imports nothing of ours: the release logic (internal/publish) takes it
// as a publish.Store, which *Store satisfies by its method set alone.
//
// Layer 0 (see internal/arch).
package sftpstore

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// Target is where a release goes: a directory on an SSH server.
type Target struct {
	// User is the login name; empty means the local user's, as ssh does.
	User string
	Host string
	Port int
	// Path is the deploy directory on the server: absolute and clean.
	Path string
}

// errPassword is refused outright: a password on the command line ends up
// in the shell's history and in the process list for everyone to read.
var errPassword = errors.New("不要在命令行中写密码，请使用密钥或 ssh-agent")

// ParseTarget reads sftp://user@host[:port]/path. The port defaults to 22;
// the path is absolute on the server.
func ParseTarget(s string) (Target, error) {
	bad := func(why string) (Target, error) {
		shown := fmt.Sprintf(" %q ", s)
		if strings.Contains(s, "@") {
			// What precedes the @ may be a password in a shape we did not
			// recognise: not echoed.
			shown = ""
		}
		return Target{}, fmt.Errorf("发布目标%s有误：%s（应写成 sftp://用户名@服务器[:端口]/绝对路径）", shown, why)
	}
	// Before parsing, so that no message of ours quotes the password back,
	// even for a URL that url.Parse refuses.
	if hasPassword(s) {
		return Target{}, errPassword
	}
	u, err := url.Parse(s)
	if err != nil {
		return bad("不是合法的地址")
	}
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			return Target{}, errPassword
		}
	}
	if !strings.EqualFold(u.Scheme, "sftp") {
		return bad("必须以 sftp:// 开头")
	}
	if u.Opaque != "" {
		return bad("缺少 // ")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return bad("不能带 ? 或 #")
	}
	t := Target{Host: u.Hostname(), Port: 22}
	if u.User != nil {
		t.User = u.User.Username()
		if t.User == "" {
			return bad("@ 前缺少用户名")
		}
	}
	if t.Host == "" {
		return bad("缺少服务器名")
	}
	if !validHost(t.Host, strings.HasPrefix(u.Host, "[")) {
		return bad("服务器名不合法")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("端口应为 1 到 65535 的数字")
		}
		t.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("冒号后缺少端口")
	}
	p := u.Path
	if !strings.HasPrefix(p, "/") {
		return bad("缺少服务器上的绝对路径")
	}
	if strings.ContainsRune(p, 0) {
		return bad("路径中有空字符")
	}
	for _, el := range strings.Split(p, "/") {
		if el == ".." || el == "." {
			return bad("路径中不能有 . 或 ..，请写出完整的目录")
		}
	}
	// Repeated and trailing slashes name the same directory.
	p = "/" + strings.Join(strings.FieldsFunc(p, func(r rune) bool { return r == '/' }), "/")
	if p == "/" {
		return bad("不能发布到服务器的根目录 /，请写出网站的发布目录")
	}
	t.Path = p
	return t, nil
}

// validHost accepts an IP address (IPv6 only in brackets) or a DNS name.
func validHost(h string, bracketed bool) bool {
	if a, err := netip.ParseAddr(h); err == nil {
		return a.Is6() == bracketed
	}
	if bracketed || strings.HasPrefix(h, "-") || strings.HasPrefix(h, ".") {
		return false
	}
	for _, r := range h {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// hasPassword reports whether s's authority has user:password@.
func hasPassword(s string) bool {
	i := strings.Index(s, "://")
	if i < 0 {
		return false
	}
	s = s[i+3:]
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	at := strings.LastIndex(s, "@")
	return at >= 0 && strings.Contains(s[:at], ":")
}

// Addr is the host and port to dial, as known_hosts names them.
func (t Target) Addr() string {
	return net.JoinHostPort(t.Host, strconv.Itoa(t.Port))
}

// String gives the target back as an sftp URL (never with a password).
func (t Target) String() string {
	u := url.URL{Scheme: "sftp", Host: t.Addr(), Path: t.Path}
	if t.User != "" {
		u.User = url.User(t.User)
	}
	return u.String()
}
