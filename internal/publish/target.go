package publish

import (
	"fmt"
	"net"
	"net/url"
	"path"
	"strconv"
	"strings"
)

// Target is where --to says to publish.
type Target struct {
	Kind string // "dir", "sftp" or "zip"
	// Path is the deploy directory (dir: on this machine, sftp: on the
	// server) or the bundle file (zip).
	Path string
	User string // sftp only
	Host string // sftp only
	Port int    // sftp only; 22 unless given
	raw  string
}

func (t Target) String() string { return t.raw }

// ParseTarget reads a --to value: dir:PATH, sftp://USER@HOST[:PORT]/PATH
// or zip:FILE.zip. Its errors are said to the user as they are.
func ParseTarget(s string) (Target, error) {
	t := Target{raw: s}
	switch {
	case strings.HasPrefix(s, "dir:"):
		t.Kind, t.Path = "dir", strings.TrimPrefix(s, "dir:")
		if t.Path == "" {
			return t, fmt.Errorf("发布目标 %q 缺少目录，应写成 dir:/srv/www/xxgk", s)
		}
	case strings.HasPrefix(s, "zip:"):
		t.Kind, t.Path = "zip", strings.TrimPrefix(s, "zip:")
		if !strings.HasSuffix(strings.ToLower(t.Path), ".zip") || len(t.Path) <= len(".zip") {
			return t, fmt.Errorf("发布目标 %q 应写成 zip:文件名.zip，如 zip:site-2024.zip", s)
		}
	case strings.HasPrefix(s, "sftp://"):
		u, err := url.Parse(s)
		if err != nil {
			return t, fmt.Errorf("发布目标 %q 写法不对（%v），应写成 sftp://用户@主机:端口/目录", s, err)
		}
		t.Kind = "sftp"
		if u.User == nil || u.User.Username() == "" {
			return t, fmt.Errorf("发布目标 %q 缺少用户名，应写成 sftp://用户@主机:端口/目录", s)
		}
		if _, set := u.User.Password(); set {
			return t, fmt.Errorf("发布目标 %q 里不要写密码：请用 SSH 密钥登录", s)
		}
		t.User = u.User.Username()
		t.Host = u.Hostname()
		if t.Host == "" {
			return t, fmt.Errorf("发布目标 %q 缺少主机名", s)
		}
		t.Port = 22
		if p := u.Port(); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return t, fmt.Errorf("发布目标 %q 的端口 %q 不对", s, p)
			}
			t.Port = n
		}
		if u.RawQuery != "" || u.Fragment != "" {
			return t, fmt.Errorf("发布目标 %q 不能带 ? 或 # 部分", s)
		}
		t.Path = u.Path
		if t.Path == "" || t.Path == "/" {
			return t, fmt.Errorf("发布目标 %q 缺少服务器上的目录，如 sftp://%s@%s/srv/www/xxgk", s, t.User, net.JoinHostPort(t.Host, strconv.Itoa(t.Port)))
		}
		t.Path = path.Clean(t.Path)
	default:
		return t, fmt.Errorf("不认识发布目标 %q：应写成 dir:目录、sftp://用户@主机:端口/目录 或 zip:文件名.zip", s)
	}
	return t, nil
}
