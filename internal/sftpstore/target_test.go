package sftpstore_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"disclose/internal/sftpstore"
)

func TestParseTarget(t *testing.T) {
	const password = "不要在命令行中写密码，请使用密钥或 ssh-agent"
	for _, c := range []struct {
		in   string
		want sftpstore.Target
		err  string
	}{
		{"sftp://www@portal.example.gov.cn/srv/disclose", sftpstore.Target{User: "www", Host: "portal.example.gov.cn", Port: 22, Path: "/srv/disclose"}, ""},
		{"sftp://www@10.0.0.5:2222/var/www/公开/", sftpstore.Target{User: "www", Host: "10.0.0.5", Port: 2222, Path: "/var/www/公开"}, ""},
		{"SFTP://www@[::1]:22//srv//x", sftpstore.Target{User: "www", Host: "::1", Port: 22, Path: "/srv/x"}, ""},
		{"sftp://host/srv/x", sftpstore.Target{Host: "host", Port: 22, Path: "/srv/x"}, ""},
		{"sftp://w%40x@host/a%20b", sftpstore.Target{User: "w@x", Host: "host", Port: 22, Path: "/a b"}, ""},
		{"sftp://www:secret@host/srv", sftpstore.Target{}, password},
		{"sftp://www:@host/srv", sftpstore.Target{}, password},
		{"sftp://www:p@ss@host/srv", sftpstore.Target{}, password},
		{"sftp://www:p%2Fss@host:22/srv", sftpstore.Target{}, password},
		{"ssh://www@host/srv", sftpstore.Target{}, "sftp://"},
		{"www@host:/srv", sftpstore.Target{}, "有误"},
		{"/srv/www", sftpstore.Target{}, "sftp://"},
		{"sftp://www@host", sftpstore.Target{}, "绝对路径"},
		{"sftp://www@host/", sftpstore.Target{}, "根目录"},
		{"sftp://www@host//", sftpstore.Target{}, "根目录"},
		{"sftp://www@host/srv/../etc", sftpstore.Target{}, ".."},
		{"sftp://www@host/srv/%2e%2e/etc", sftpstore.Target{}, ".."},
		{"sftp://www@host/./srv", sftpstore.Target{}, ".."},
		{"sftp://www@host:0/srv", sftpstore.Target{}, "端口"},
		{"sftp://www@host:65536/srv", sftpstore.Target{}, "端口"},
		{"sftp://www@host:/srv", sftpstore.Target{}, "端口"},
		{"sftp://www@:22/srv", sftpstore.Target{}, "服务器名"},
		{"sftp://@host/srv", sftpstore.Target{}, "用户名"},
		{"sftp://www@-oProxyCommand=x/srv", sftpstore.Target{}, "服务器名"},
		{"sftp://::1/srv", sftpstore.Target{}, "服务器名"},
		{"sftp://www@[10.0.0.1]/srv", sftpstore.Target{}, "有误"},
		{"sftp://www@[fe80::1%25eth0]:22/srv", sftpstore.Target{User: "www", Host: "fe80::1%eth0", Port: 22, Path: "/srv"}, ""},
		{"sftp://www@门户.政府.cn/srv", sftpstore.Target{User: "www", Host: "门户.政府.cn", Port: 22, Path: "/srv"}, ""},
		{"sftp://www@host/srv?x=1", sftpstore.Target{}, "?"},
		{"sftp://www@host/srv#x", sftpstore.Target{}, "#"},
		{"sftp:www@host/srv", sftpstore.Target{}, "//"},
		{"", sftpstore.Target{}, "sftp://"},
	} {
		got, err := sftpstore.ParseTarget(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseTarget(%q) = %+v, %v; want an error saying %q", c.in, got, err, c.err)
			}
			if err != nil && (strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "p@ss")) {
				t.Errorf("ParseTarget(%q): the error repeats the password: %v", c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("ParseTarget(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
	}
}

// ParseTarget reads what a user typed: whatever it is, no panic, and what
// it accepts is a well-formed target that reads back the same.
func FuzzParseTarget(f *testing.F) {
	for _, s := range []string{
		"sftp://www@portal.example.gov.cn/srv/disclose",
		"sftp://www@10.0.0.5:2222/var/www/公开/",
		"sftp://www@[::1]:22//srv//x",
		"sftp://www:secret@host/srv",
		"sftp://w%40x@host/a%20b",
		"sftp://host/srv/../etc",
		"sftp://[fe80::1%25eth0]:22/x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tg, err := sftpstore.ParseTarget(s)
		if err != nil {
			if !utf8.ValidString(err.Error()) && utf8.ValidString(s) {
				t.Errorf("invalid UTF-8 in the message: %q", err)
			}
			return
		}
		if tg.Host == "" || tg.Port < 1 || tg.Port > 65535 {
			t.Errorf("%q: host %q port %d", s, tg.Host, tg.Port)
		}
		if !strings.HasPrefix(tg.Path, "/") || tg.Path == "/" || strings.Contains(tg.Path, "//") || strings.HasSuffix(tg.Path, "/") {
			t.Errorf("%q: path %q", s, tg.Path)
		}
		for _, el := range strings.Split(tg.Path, "/") {
			if el == ".." || el == "." {
				t.Errorf("%q: path %q has %q", s, tg.Path, el)
			}
		}
		back, err := sftpstore.ParseTarget(tg.String())
		if err != nil || back != tg {
			t.Errorf("%q read as %+v, written as %q, read back as %+v, %v", s, tg, tg.String(), back, err)
		}
	})
}
