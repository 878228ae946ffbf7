package watch

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"testing"
)

func TestUserError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string // a part of the message
	}{
		{"watch limit", syscall.ENOSPC, "fs.inotify.max_user_watches"},
		{"watch limit, wrapped", fmt.Errorf("add %s: %w", "/x", syscall.ENOSPC), "sudo sysctl fs.inotify.max_user_watches=524288"},
		{"no permission", syscall.EACCES, "没有权限读取文件夹“/x”"},
		{"anything else", syscall.EIO, "无法监视“/x”"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := userError("/x", tt.err)
			if !strings.Contains(e.Error(), tt.want) {
				t.Errorf("message %q does not contain %q", e.Error(), tt.want)
			}
			if !errors.Is(e, tt.err) {
				t.Errorf("%v does not wrap %v", e, tt.err)
			}
		})
	}
	if got := userError("", syscall.EIO).Error(); strings.Contains(got, "“”") {
		t.Errorf("message without a path shows an empty one: %q", got)
	}
	if got := userError("", syscall.ENOSPC).Error(); got != MsgWatchLimit {
		t.Errorf("watch limit message = %q", got)
	}
	if got := startError(syscall.EMFILE).Error(); !strings.Contains(got, "fs.inotify.max_user_instances") {
		t.Errorf("instance limit message = %q", got)
	}
}
