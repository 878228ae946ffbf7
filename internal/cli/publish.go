package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/publish"
	"disclose/internal/sftpstore"
)

func runPublish(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("publish", stderr)
	bf := addBuildFlags(fs)
	to := fs.String("to", "", "发布目标：dir:目录（本机）、sftp://用户@主机:端口/目录 或 zip:文件名.zip")
	dryRun := fs.Bool("dry-run", false, "只显示将上传什么、内容有什么变化，不改动发布目标")
	keep := fs.Int("keep", publish.DefaultKeep, "保留最近几个版本（现行版本和它替换的上一版本总会保留）")
	force := fs.Bool("force", false, "合规检查有不足时仍然发布，并把被放过的不足记入版本清单")
	rollback := fs.Bool("rollback", false, "回退到上一版本；后面写版本号则回退到该版本")
	list := fs.Bool("list", false, "列出发布目标上的各个版本")
	quiet := fs.Bool("quiet", false, "不显示进度")
	identity := fs.String("identity", "", "sftp：私钥文件，多个用逗号分隔（默认 ~/.ssh/id_ed25519、id_ecdsa、id_rsa 中存在的；有口令的私钥请交给 ssh-agent）")
	knownHosts := fs.String("known-hosts", "", "sftp：known_hosts 文件，多个用逗号分隔（默认 ~/.ssh/known_hosts）；服务器的主机密钥必须在其中")
	if stop, err := parsed(fs, parseInterleaved(fs, args), stdout, stderr); stop {
		return err
	}
	var release string
	switch {
	case *rollback && fs.NArg() == 1:
		release = fs.Arg(0)
	case fs.NArg() > 0:
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return ExitCode(2)
	}
	if *to == "" {
		fmt.Fprintln(stderr, "disclose publish: 请用 --to 指定发布目标，如 --to dir:/srv/www/xxgk、--to sftp://用户@主机:22/srv/www/xxgk 或 --to zip:site-2024.zip")
		return ExitCode(2)
	}
	target, err := publish.ParseTarget(*to)
	if err != nil {
		fmt.Fprintf(stderr, "disclose publish: %v\n", err)
		return ExitCode(2)
	}
	if *keep < 1 {
		fmt.Fprintln(stderr, "disclose publish: --keep 至少为 1")
		return ExitCode(2)
	}
	if *rollback && *list || *rollback && *dryRun {
		fmt.Fprintln(stderr, "disclose publish: --rollback 不能和 --list、--dry-run 一起用")
		return ExitCode(2)
	}
	if target.Kind == "zip" && (*rollback || *list) {
		fmt.Fprintln(stderr, "disclose publish: zip 目标只是一个文件，没有版本可列出或回退")
		return ExitCode(2)
	}
	if target.Kind == "dir" {
		if err := checkDeployDir(target.Path, *bf.out, *bf.content); err != nil {
			fmt.Fprintf(stderr, "disclose publish: %v\n", err)
			return ExitCode(2)
		}
	}
	open := func(create bool) (publish.Store, error) {
		return openTarget(ctx, target, create, sshOptions(*identity, *knownHosts))
	}
	switch {
	case *list:
		return listReleases(open, target, stdout, stderr)
	case *rollback:
		return rollbackRelease(open, target, release, stdout, stderr)
	}

	// The target is opened before the build, so that a target that cannot
	// be reached is said at once, not after a long build; a deploy
	// directory that does not exist yet is made only for a site that
	// built.
	var store publish.Store
	if target.Kind != "zip" {
		store, err = open(false)
		if err != nil && !errors.Is(err, errNoTarget) {
			fmt.Fprintf(stderr, "disclose publish: %v\n", err)
			return ExitCode(1)
		}
		if store != nil {
			defer store.Close()
		}
	}

	o := withNotes(bf.options(), *quiet, stdout, stderr)
	res, err := doBuild(ctx, o, stderr)
	if errors.Is(err, context.Canceled) {
		return Interrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "未发布：网站没有生成成功，%s 上的现行版本保持不变。\n", target)
		return ExitCode(1)
	}
	if errs := contentErrors(res.Diagnostics); len(errs) > 0 {
		// The build refuses content with errors; this holds whatever a
		// future build lets through. --force never overrides it.
		fmt.Fprintf(stderr, "未发布：内容有 %d 处错误。\n", len(errs))
		return ExitCode(1)
	}
	findings := profileFindings(res)
	if len(findings) > 0 {
		if !*force {
			fmt.Fprintf(stderr, "未发布：合规检查发现 %d 处不足：\n", len(findings))
			// A province's site can lack thousands of documents: the
			// first few say what kind of thing is missing, check lists all.
			for i, f := range findings {
				if i == maxFindingsShown {
					fmt.Fprintf(stderr, "  …… 另有 %d 处，disclose check --profile 可看全部\n", len(findings)-i)
					break
				}
				fmt.Fprintf(stderr, "  %s\n", f)
			}
			fmt.Fprintln(stderr, "补齐后再发布；确需先发布的，加 --force（不足会记入版本清单）。")
			return ExitCode(1)
		}
		fmt.Fprintf(stderr, "注意：合规检查有 %d 处不足，因 --force 仍然发布，已记入版本清单。\n", len(findings))
	}

	if target.Kind == "zip" {
		return writeBundle(ctx, target, o.Out, *dryRun, stdout, stderr)
	}
	if store == nil && !*dryRun {
		if store, err = open(true); err != nil {
			fmt.Fprintf(stderr, "disclose publish: %v\n", err)
			return ExitCode(1)
		}
		defer store.Close()
	}
	key, err := contentKey(ctx, o.Content)
	if err != nil {
		fmt.Fprintf(stderr, "disclose publish: %v\n", err)
		return ExitCode(1)
	}
	po := publish.Options{
		Site: o.Out, Version: version(), ContentKey: key, Forced: findings,
		Keep: *keep, DryRun: *dryRun,
		BeforeSwitch: func(r publish.Result) {
			what := "新版本"
			if r.Existing {
				what = "已有版本"
			}
			fmt.Fprintf(stdout, "发布到 %s：%s %s（%s）\n", target, what, r.ID, counts(r))
			_ = r.Changes.WriteText(stdout)
		},
	}
	pr, err := publish.Publish(ctx, store, po)
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(stderr, "已中断：%s 上的现行版本保持不变；已上传的文件留在发布目标上，下次发布同一网站时接着上传。\n", target)
		return Interrupted
	case err != nil && pr.ID != "" && errors.Is(err, publish.ErrPrune):
		fmt.Fprintf(stderr, "已切换到新版本 %s，但删除较早的版本时出错：%v\n", pr.ID, err)
		return ExitCode(1)
	case err != nil:
		fmt.Fprintf(stderr, "发布失败，%s 上的现行版本保持不变：%v\n", target, err)
		return ExitCode(1)
	}
	switch {
	case pr.Unchanged:
		fmt.Fprintf(stdout, "发布到 %s：网站与现行版本 %s 完全相同，没有上传任何文件，也没有新建版本。\n", target, pr.ID)
		return nil
	case *dryRun:
		if pr.Changes != nil {
			_ = pr.Changes.WriteText(stdout)
		}
		if pr.Existing {
			fmt.Fprintf(stdout, "试运行：网站与已有版本 %s 完全相同，发布时将直接切换到它；发布目标未作任何改动。\n", pr.ID)
		} else {
			fmt.Fprintf(stdout, "试运行：将发布新版本 %s（%s）；发布目标未作任何改动。\n", pr.ID, counts(pr))
		}
		return nil
	}
	if pr.Previous == "" {
		fmt.Fprintf(stdout, "已切换：现行版本 %s（首次发布）\n", pr.ID)
	} else {
		fmt.Fprintf(stdout, "已切换：现行版本 %s（上一版本 %s，可用 disclose publish --to %s --rollback 回退）\n", pr.ID, pr.Previous, target)
	}
	if len(pr.Pruned) > 0 {
		fmt.Fprintf(stdout, "已删除较早的版本 %d 个（保留 %d 个）：%s\n", len(pr.Pruned), *keep, strings.Join(pr.Pruned, "、"))
	}
	return nil
}

// counts says how a release's files reached the target.
func counts(r publish.Result) string {
	if r.Existing {
		return fmt.Sprintf("共 %d 个文件；与已有版本完全相同，未上传", r.Files)
	}
	s := fmt.Sprintf("共 %d 个文件；上传 %d 个，%s；沿用 %d 个", r.Files, r.Sent, publish.HumanBytes(r.SentBytes), r.Reused)
	if r.Resumed > 0 {
		s += fmt.Sprintf("；续传时已在目标上 %d 个", r.Resumed)
	}
	return s
}

func contentErrors(ds []diag.Diagnostic) []diag.Diagnostic {
	var errs []diag.Diagnostic
	for _, d := range ds {
		if d.Severity == diag.Error {
			errs = append(errs, d)
		}
	}
	return errs
}

// maxFindingsShown is how many shortfalls a refused publish lists.
const maxFindingsShown = 30

// profileFindings are the shortfalls against the site's compliance
// profile that stop a publish unless --force, one line each with its place.
func profileFindings(res build.Result) []string {
	out := make([]string, 0, len(res.Shortfalls))
	for _, d := range res.Shortfalls {
		out = append(out, fmt.Sprintf("%s: %s", d.Location(), d.Message(diag.Zh)))
	}
	return out
}

// errNoTarget means a dir: target does not exist yet.
var errNoTarget = errors.New("发布目标不存在")

// openTarget opens a dir: or sftp: target. Without create, a deploy
// directory that does not exist is errNoTarget rather than made; a
// portal server's deploy directory is made by the first file sent. The
// SFTP connection lives as long as ctx, the whole command's.
func openTarget(ctx context.Context, t publish.Target, create bool, o sftpstore.Options) (publish.Store, error) {
	switch t.Kind {
	case "dir":
		if !create {
			if _, err := os.Stat(t.Path); errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%s: %w", t.Path, errNoTarget)
			}
		}
		return publish.Dir(t.Path)
	case "sftp":
		st, err := sftpstore.ParseTarget(t.String())
		if err != nil {
			return nil, err
		}
		return sftpstore.Dial(ctx, st, o)
	}
	return nil, fmt.Errorf("%s 不是可以发布版本的目标", t)
}

// sshOptions are the --identity and --known-hosts lists; the ssh-agent at
// $SSH_AUTH_SOCK is always offered, as ssh does.
func sshOptions(identity, knownHosts string) sftpstore.Options {
	list := func(s string) []string {
		var out []string
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f != "" {
				out = append(out, f)
			}
		}
		return out
	}
	return sftpstore.Options{Identities: list(identity), KnownHosts: list(knownHosts), UseAgent: true}
}

// checkDeployDir refuses a deploy directory that is, holds or lies inside
// the build output or the content: the next build or publish would
// destroy one with the other.
func checkDeployDir(deploy, out, content string) error {
	d, err := filepath.Abs(deploy)
	if err != nil {
		return err
	}
	for _, other := range []struct{ dir, what string }{{out, "--out 输出目录"}, {content, "--content 内容目录"}} {
		o, err := filepath.Abs(other.dir)
		if err != nil {
			return err
		}
		if within(d, o) || within(o, d) {
			return fmt.Errorf("发布目录 %s 不能和%s %s 重叠", deploy, other.what, other.dir)
		}
	}
	return nil
}

// within reports whether p is dir or inside it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func listReleases(open func(create bool) (publish.Store, error), t publish.Target, stdout, stderr io.Writer) error {
	s, err := open(false)
	if errors.Is(err, errNoTarget) {
		fmt.Fprintf(stdout, "%s 上还没有发布过版本。\n", t)
		return nil
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose publish: %v\n", err)
		return ExitCode(1)
	}
	defer s.Close()
	rs, err := publish.List(s)
	if err != nil {
		fmt.Fprintf(stderr, "disclose publish: %v\n", err)
		return ExitCode(1)
	}
	if len(rs) == 0 {
		fmt.Fprintf(stdout, "%s 上还没有发布过版本。\n", t)
		return nil
	}
	fmt.Fprintf(stdout, "%s 上的版本（共 %d 个，最新的在最后）：\n", t, len(rs))
	// Padded by hand: the headings' characters are two columns wide.
	fmt.Fprintf(stdout, "  版本%s  时间%s  文件数  %s大小\n", strings.Repeat(" ", 25), strings.Repeat(" ", 15), strings.Repeat(" ", 5))
	for _, r := range rs {
		mark := " "
		if r.Live {
			mark = "*"
		}
		when := r.Created().Local().Format("2006-01-02 15:04:05")
		if r.Manifest == nil {
			fmt.Fprintf(stdout, "%s %-29s  %-19s  清单无法读取：%v\n", mark, r.ID, when, r.Err)
			continue
		}
		var size int64
		for _, f := range r.Manifest.Files {
			size += f.Size
		}
		note := ""
		if r.Live {
			note += "  现行"
		}
		if len(r.Manifest.Forced) > 0 {
			note += fmt.Sprintf("  强制发布（放过 %d 处不足）", len(r.Manifest.Forced))
		}
		fmt.Fprintf(stdout, "%s %-29s  %-19s  %6d  %9s%s\n", mark, r.ID, when, len(r.Manifest.Files), publish.HumanBytes(size), note)
	}
	return nil
}

func rollbackRelease(open func(create bool) (publish.Store, error), t publish.Target, id string, stdout, stderr io.Writer) error {
	s, err := open(false)
	if errors.Is(err, errNoTarget) {
		fmt.Fprintf(stderr, "disclose publish: %s 上还没有发布过版本，无法回退\n", t)
		return ExitCode(1)
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose publish: %v\n", err)
		return ExitCode(1)
	}
	defer s.Close()
	if id != "" && !publish.ValidID(id) {
		fmt.Fprintf(stderr, "disclose publish: %q 不是版本号；版本号可用 --list 查看，形如 20261204T153000Z-0123456789ab\n", id)
		return ExitCode(2)
	}
	from, now, err := publish.Rollback(s, id)
	if err != nil {
		fmt.Fprintf(stderr, "回退失败，现行版本保持不变：%v\n", err)
		return ExitCode(1)
	}
	if from == now {
		fmt.Fprintf(stdout, "%s 已经是现行版本，未作改动。\n", now)
		return nil
	}
	fmt.Fprintf(stdout, "已回退：现行版本 %s（原现行版本 %s 仍保留，可用 --rollback %s 恢复）\n", now, from, from)
	return nil
}

func writeBundle(ctx context.Context, t publish.Target, site string, dryRun bool, stdout, stderr io.Writer) error {
	if dryRun {
		files, err := publish.ScanSite(ctx, site)
		if err != nil {
			fmt.Fprintf(stderr, "disclose publish: %v\n", err)
			return ExitCode(1)
		}
		fmt.Fprintf(stdout, "试运行：将写出 %s（%d 个文件和 %s），未写任何文件。\n", t.Path, len(files), publish.SumsName)
		return nil
	}
	res, err := publish.WriteZip(ctx, site, t.Path)
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintf(stderr, "已中断：未写出 %s。\n", t.Path)
		return Interrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose publish: %v\n", err)
		return ExitCode(1)
	}
	fmt.Fprintf(stdout, "已写出 %s（%d 个文件，%s；内含 %s，解压后可用 sha256sum -c %s 核对）\nSHA-256：%s\n",
		t.Path, res.Files, publish.HumanBytes(res.Bytes), publish.SumsName, publish.SumsName, res.SHA256)
	return nil
}

// contentKey is the hash of the content directory a site was built from:
// every file's path, size and SHA-256, in path order, as a release's own
// files are hashed. Two releases with the same key were built from the
// same content.
func contentKey(ctx context.Context, dir string) (string, error) {
	files, err := publish.ScanSite(ctx, dir)
	if err != nil {
		return "", fmt.Errorf("content key of %s: %w", dir, err)
	}
	return publish.FilesHash(files), nil
}
