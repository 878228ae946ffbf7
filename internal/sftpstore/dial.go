package sftpstore

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/pkg/sftp"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"
)

// Options say how to trust the server and how to prove who we are. There
// is deliberately no password: keys or an agent only.
type Options struct {
	// KnownHosts are the known_hosts files the server's host key must be
	// in; nil means ~/.ssh/known_hosts.
	KnownHosts []string
	// Identities are private key files; nil means those of ~/.ssh/id_ed25519,
	// id_ecdsa and id_rsa that exist. A key with a passphrase cannot be
	// asked for here: it is skipped, and belongs in ssh-agent.
	Identities []string
	// UseAgent offers the keys of the ssh-agent at $SSH_AUTH_SOCK, if set.
	UseAgent bool
}

// handshakeLimit bounds the SSH handshake when ctx has no deadline, so that
// a server that accepts the connection and then says nothing cannot hang a
// publish.
const handshakeLimit = 30 * time.Second

// The SFTP extensions a release needs: OpenSSH has both since 5.x.
const (
	extPosixRename = "posix-rename@openssh.com"
	extHardlink    = "hardlink@openssh.com"
)

// HostKeyError is a server whose host key is not the one known_hosts has
// for it (Changed), or has none at all.
type HostKeyError struct {
	Addr        string // host:port as dialled
	KeyType     string // the key the server showed
	Fingerprint string // its SHA256:… fingerprint, as ssh-keygen -l shows it
	Changed     bool
	KnownHosts  []string
}

func (e *HostKeyError) Error() string {
	host, port, _ := net.SplitHostPort(e.Addr)
	known, file := "~/.ssh/known_hosts", "~/.ssh/known_hosts"
	if len(e.KnownHosts) > 0 {
		known, file = strings.Join(e.KnownHosts, "、"), e.KnownHosts[0]
	}
	if e.Changed {
		return fmt.Sprintf("服务器 %s 出示的主机密钥（%s %s）与 %s 中记录的不同，已拒绝连接。"+
			"可能是服务器重装换了密钥，也可能有人冒充服务器：请先向服务器管理员核对这个指纹；"+
			"确认无误后，用 ssh-keygen -R '%s' -f %s 删去旧记录，再用 ssh-keyscan -p %s %s >> %s 记下新密钥",
			e.Addr, e.KeyType, e.Fingerprint, known, knownhosts.Normalize(e.Addr), file, port, host, file)
	}
	return fmt.Sprintf("%s 中没有服务器 %s 的主机密钥，已拒绝连接（服务器出示的是 %s %s）。"+
		"请向服务器管理员核对这个指纹，确认后用 ssh-keyscan -p %s %s >> %s 记下它，再发布",
		known, e.Addr, e.KeyType, e.Fingerprint, port, host, file)
}

// Dial connects to t's server, checks its host key, logs in with a key and
// opens SFTP. The connection is closed when ctx is done, so cancelling a
// publish stops it mid-file; Close closes it too. Pass the context of the
// whole publish, then, not one made to bound the dial: its cancel would
// close the store. The dial and handshake are bounded by ctx's deadline,
// or by handshakeLimit without one.
func Dial(ctx context.Context, t Target, o Options) (*Store, error) {
	if t.Path == "" || !strings.HasPrefix(t.Path, "/") {
		return nil, fmt.Errorf("sftp %s: 服务器上的发布目录应为绝对路径：%q", t.Addr(), t.Path)
	}
	login := t.User
	if login == "" {
		u, err := user.Current()
		if err != nil {
			return nil, fmt.Errorf("sftp %s: 未写用户名，也无法得知本机用户名：%w", t.Addr(), err)
		}
		login = u.Username
	}
	home, _ := os.UserHomeDir()
	hostKeys, knownFiles, err := hostKeyCallback(o.KnownHosts, home)
	if err != nil {
		return nil, fmt.Errorf("sftp %s: %w", t.Addr(), err)
	}
	auth, closeAgent, err := authMethod(o, home)
	if err != nil {
		return nil, fmt.Errorf("sftp %s: %w", t.Addr(), err)
	}
	keep := false
	defer func() {
		if !keep {
			closeAgent()
		}
	}()

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", t.Addr())
	if err != nil {
		return nil, fmt.Errorf("sftp %s: 无法连接服务器：%w", t.Addr(), err)
	}
	// Until Close, a done ctx closes the connection: every call then fails
	// at once instead of finishing the upload.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	fail := func(err error) (*Store, error) {
		stop()
		conn.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("sftp %s: %w", t.Addr(), ctx.Err())
		}
		return nil, fmt.Errorf("sftp %s: %w", t.Addr(), err)
	}
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(handshakeLimit)
	}
	if err := conn.SetDeadline(deadline); err != nil {
		return fail(err)
	}

	addr := t.Addr()
	var shown *HostKeyError
	cfg := &ssh.ClientConfig{
		User: login,
		Auth: []ssh.AuthMethod{auth.AuthMethod},
		HostKeyCallback: func(hostname string, remote net.Addr, key ssh.PublicKey) error {
			err := hostKeys(hostname, remote, key)
			var ke *knownhosts.KeyError
			if errors.As(err, &ke) {
				shown = &HostKeyError{Addr: addr, KeyType: key.Type(), Fingerprint: ssh.FingerprintSHA256(key), Changed: len(ke.Want) > 0, KnownHosts: knownFiles}
				return shown
			}
			return err
		},
		HostKeyAlgorithms: knownAlgorithms(hostKeys, addr, conn.RemoteAddr()),
	}
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		if shown != nil {
			return fail(shown)
		}
		if strings.Contains(err.Error(), "unable to authenticate") {
			return fail(fmt.Errorf("服务器不接受用户 %s 的密钥（%s）：请把公钥加入服务器上 %s 的 ~/.ssh/authorized_keys，或用 ssh-add 把私钥交给 ssh-agent", login, auth.what, login))
		}
		return fail(fmt.Errorf("SSH 握手失败：%w", err))
	}
	client := ssh.NewClient(c, chans, reqs)
	sc, err := sftp.NewClient(client,
		sftp.UseConcurrentWrites(true),
		sftp.UseConcurrentReads(true),
	)
	if err != nil {
		client.Close()
		return fail(fmt.Errorf("服务器没有开放 SFTP（sshd_config 中的 Subsystem sftp）：%w", err))
	}
	for _, ext := range []string{extPosixRename, extHardlink} {
		if _, ok := sc.HasExtension(ext); !ok {
			sc.Close()
			client.Close()
			return fail(fmt.Errorf("服务器的 SFTP 不支持 %s：发布需要 OpenSSH 的 SFTP（原子替换和硬链接）", ext))
		}
	}
	if err := conn.SetDeadline(time.Time{}); err != nil {
		sc.Close()
		client.Close()
		return fail(err)
	}
	keep = true
	return &Store{target: t, addr: addr, ssh: client, sftp: sc, stop: stop, closeAgent: closeAgent}, nil
}

// hostKeyCallback checks keys against the known_hosts files. Missing
// default files are no error: every host is then unknown, and says so.
func hostKeyCallback(files []string, home string) (ssh.HostKeyCallback, []string, error) {
	explicit := files != nil
	if !explicit {
		if home == "" {
			return nil, nil, errors.New("找不到主目录，无法读取 ~/.ssh/known_hosts：请用选项指定 known_hosts 文件")
		}
		files = []string{filepath.Join(home, ".ssh", "known_hosts")}
	}
	var present []string
	for _, f := range files {
		_, err := os.Stat(f)
		if err == nil {
			present = append(present, f)
			continue
		}
		if explicit || !errors.Is(err, fs.ErrNotExist) {
			return nil, nil, fmt.Errorf("known_hosts 文件 %s：%w", f, err)
		}
	}
	if len(present) == 0 {
		return func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }, files, nil
	}
	cb, err := knownhosts.New(present...)
	if err != nil {
		return nil, nil, fmt.Errorf("读取 known_hosts：%w", err)
	}
	return cb, files, nil
}

// knownAlgorithms asks the server only for host key types known_hosts has
// for it. Without this the client takes the server's first offer, say
// ECDSA, and a known_hosts that records only the server's Ed25519 key
// reports a changed key that is not. It asks the callback with a key that
// cannot match: the error lists the keys that would.
func knownAlgorithms(cb ssh.HostKeyCallback, addr string, remote net.Addr) []string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil
	}
	probe, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	if !errors.As(cb(addr, remote, probe), &ke) {
		return nil
	}
	var algs []string
	seen := map[string]bool{}
	for _, k := range ke.Want {
		typ := k.Key.Type()
		for _, a := range algorithmsOf(typ) {
			if !seen[a] {
				seen[a] = true
				algs = append(algs, a)
			}
		}
	}
	if len(algs) == 0 {
		// Unknown host: OpenSSH's order, so that the refusal shows the
		// fingerprint ssh itself would show for this server.
		return openSSHOrder
	}
	return algs
}

var openSSHOrder = []string{
	ssh.KeyAlgoED25519,
	ssh.KeyAlgoECDSA256, ssh.KeyAlgoECDSA384, ssh.KeyAlgoECDSA521,
	ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256,
}

func algorithmsOf(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

// auth is the one public-key method: key files first, then the agent's.
type auth struct {
	ssh.AuthMethod
	what string // which keys were offered, for the refusal message
}

func authMethod(o Options, home string) (auth, func(), error) {
	var signers []ssh.Signer
	var offered, locked []string
	files := o.Identities
	explicit := files != nil
	if !explicit && home != "" {
		for _, n := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
			files = append(files, filepath.Join(home, ".ssh", n))
		}
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			if !explicit && errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return auth{}, nil, fmt.Errorf("读取私钥 %s：%w", f, err)
		}
		s, err := ssh.ParsePrivateKey(b)
		var pm *ssh.PassphraseMissingError
		if errors.As(err, &pm) {
			locked = append(locked, f)
			continue
		}
		if err != nil {
			return auth{}, nil, fmt.Errorf("私钥 %s 无法读取：%w", f, err)
		}
		signers = append(signers, s)
		offered = append(offered, f)
	}
	closeAgent := func() {}
	var agentSigners func() ([]ssh.Signer, error)
	if sock := os.Getenv("SSH_AUTH_SOCK"); o.UseAgent && sock != "" {
		c, err := net.Dial("unix", sock)
		switch {
		case err == nil:
			closeAgent = func() { c.Close() }
			agentSigners = agent.NewClient(c).Signers
			offered = append(offered, "ssh-agent 中的密钥")
		case len(signers) == 0:
			// A stale SSH_AUTH_SOCK from an old login is common; with
			// key files at hand it is no reason to stop.
			return auth{}, nil, fmt.Errorf("连接 ssh-agent（SSH_AUTH_SOCK=%s）：%w", sock, err)
		}
	}
	if len(signers) == 0 && agentSigners == nil {
		closeAgent()
		msg := "没有可用的 SSH 私钥：请指定私钥文件，或启动 ssh-agent 并用 ssh-add 加入私钥（发布不使用密码）"
		if len(locked) > 0 {
			msg = "私钥 " + strings.Join(locked, "、") + " 有口令，这里不能输入：请用 ssh-add 把它交给 ssh-agent 后再发布"
		}
		return auth{}, nil, errors.New(msg)
	}
	if len(locked) > 0 {
		offered = append(offered, "有口令而跳过的 "+strings.Join(locked, "、"))
	}
	m := ssh.PublicKeysCallback(func() ([]ssh.Signer, error) {
		all := signers
		if agentSigners != nil {
			more, err := agentSigners()
			if err != nil {
				return nil, fmt.Errorf("ssh-agent：%w", err)
			}
			all = append(all[:len(all):len(all)], more...)
		}
		return all, nil
	})
	return auth{AuthMethod: m, what: "试过 " + strings.Join(offered, "、")}, closeAgent, nil
}
