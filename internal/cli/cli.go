// Package cli implements the disclose command line: it parses flags and
// runs each command as runX(ctx, args, stdout, stderr) error under the one
// context Main makes, which ends on Ctrl-C or SIGTERM. Loading and
// checking go through build (build.Load), never content and check
// directly. main stays a one-liner.
//
// Layer 8 (see internal/arch): it may import every package that ships;
// only cmd/disclose imports it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"disclose/internal/build"
	"disclose/internal/compliance"
	"disclose/internal/diag"
	"disclose/internal/schema"
)

const usage = `disclose — 部门整体支出绩效自评报告公开网站生成工具

用法：
  disclose build  [--content DIR] [--theme NAME] [--out DIR] [--base-url URL] [--quiet] [--fresh]
  disclose serve  [--content DIR] [--theme NAME] [--out DIR] [--bind ADDR] [--port N]
  disclose charts [--content DIR] [--out DIR] [--format svg,png] [--renderer go|chromium] [--scale 2] [--width 800] [--height 500] [--only DEPT[/YEAR]] [--chart NAME] [--font PATH] [--quiet]
  disclose check  [--content DIR] [--format text|json] [--strict] [--lang zh|en] [--profile NAME]
  disclose import FILE… --department DEPT [--content DIR] [--year N] [--kind K] [--id NAME] [--dry-run] [--force]
  disclose publish --to TARGET [--content DIR] [--theme NAME] [--out DIR] [--base-url URL] [--dry-run] [--keep 5] [--force] [--identity FILE] [--known-hosts FILE] [--quiet]
  disclose publish --to TARGET --rollback [RELEASE]
  disclose publish --to TARGET --list
  disclose schema [--out DIR]
  disclose gen    --out DIR [--departments 100] [--years 3] [--seed 1] [--first-year 2021] [--province PINYIN]
  disclose version

命令：
  build   生成静态网站：先检查内容，有错误则不生成、原有网站保持不变
  serve   生成网站并在本机启动预览服务器，保存内容文件后页面自动更新
  charts  把网站上的图表导出为 SVG 矢量图或 PNG 图片，供汇报材料使用
  check   检查内容目录：格式错误、必填项、金额格式，以及合计与分项、执行率、得分等是否相符
  import  从 Word（.docx）、Excel（.xlsx）或文本文件导入报告草稿：每个数字注明原文出处，写入后立即检查
  publish 生成网站、按公开要求检查（有不足时不发布，除非 --force）并发布：每次发布是一个新版本，只上传有变化的文件，全部到齐后一次切换；显示与现行版本相比的变化；可回退、可列出版本，也可打包为 zip 供门户网站上传。TARGET 为 dir:目录、sftp://用户@主机:端口/目录 或 zip:文件名.zip
  schema  写出内容文件的 JSON Schema（供编辑器自动补全和校验）
  gen     生成合成的测试内容（部门、年度报告），用于规模和性能测试

退出码：0 没有错误；1 有错误（--strict 时警告也算）；2 用法错误。
`

// ExitCode is the error Run returns for a failure it has already
// reported on stderr: the process should exit with that status.
type ExitCode int

func (c ExitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

// Interrupted is the exit status of a command stopped by Ctrl-C or
// SIGTERM, as shells report a process ended by SIGINT.
const Interrupted ExitCode = 130

// Code is the process exit status for Run's error: 0 for none, the
// ExitCode's own, 1 for any other error.
func Code(err error) int {
	var c ExitCode
	switch {
	case err == nil:
		return 0
	case errors.As(err, &c):
		return int(c)
	}
	return 1
}

// Main runs the command in args as the program: under one context that
// ends on Ctrl-C or SIGTERM, returning the process exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal the command winds down and cleans up; a
		// second one ends the process at once, as a user pressing Ctrl-C
		// again expects. The next build removes what is left.
		<-ctx.Done()
		stop()
	}()
	return Code(Run(ctx, args, stdout, stderr))
}

// Run executes the command in args (without the program name). ctx ends
// on Ctrl-C or SIGTERM: every command then stops, removes what it had
// half written and returns Interrupted.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitCode(2)
	}
	switch args[0] {
	case "build":
		return runBuild(ctx, args[1:], stdout, stderr)
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "charts":
		return runCharts(ctx, args[1:], stdout, stderr)
	case "check":
		return runCheck(ctx, args[1:], stdout, stderr)
	case "publish":
		return runPublish(ctx, args[1:], stdout, stderr)
	case "schema":
		return runSchema(ctx, args[1:], stdout, stderr)
	case "import":
		return runImport(ctx, args[1:], stdout, stderr)
	case "gen":
		return runGen(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "disclose", version())
		return nil
	case "help", "-h", "--help":
		if len(args) > 1 && args[1] != "help" && !strings.HasPrefix(args[1], "-") {
			// "disclose help build" is "disclose build --help".
			return Run(ctx, []string{args[1], "--help"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "未知命令 %q\n\n%s", args[0], usage)
	return ExitCode(2)
}

// Version is stamped at build time (make build: -ldflags -X); an unstamped
// build reports what the Go toolchain recorded instead.
var Version = "dev"

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("check", stderr)
	dir := fs.String("content", "content", "内容目录")
	format := fs.String("format", "text", "输出格式：text 或 json")
	strict := fs.Bool("strict", false, "有警告也以 1 退出")
	lang := fs.String("lang", "zh", "语言：zh 或 en")
	profile := fs.String("profile", "", "同时按公开要求检查，如 national、hunan（内置），或内容目录旁 profiles/ 中自定义的名称")
	if stop, err := parseFlags(fs, args, stdout, stderr); stop {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return ExitCode(2)
	}
	l := diag.Lang(*lang)
	if l != diag.Zh && l != diag.En {
		fmt.Fprintf(stderr, "--lang 只能是 zh 或 en\n")
		return ExitCode(2)
	}
	var prof *compliance.Profile
	if *profile != "" {
		ps, err := compliance.Load(*dir)
		if err != nil {
			fmt.Fprintf(stderr, "disclose check: %v\n", err)
			return ExitCode(2)
		}
		if prof, err = ps.Lookup(*profile); err != nil {
			fmt.Fprintf(stderr, "disclose check: --profile：%v\n", err)
			return ExitCode(2)
		}
	}
	site, ds, err := build.Load(ctx, *dir)
	if errors.Is(err, context.Canceled) {
		return Interrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose check: %v\n", err)
		return ExitCode(1)
	}
	if prof != nil {
		ds = append(ds, compliance.Check(site, prof).Diagnostics...)
		diag.Sort(ds)
	}
	switch *format {
	case "text":
		err = diag.WriteText(stdout, ds, l)
	case "json":
		err = diag.WriteJSON(stdout, ds, l)
	default:
		fmt.Fprintf(stderr, "--format 只能是 text 或 json\n")
		return ExitCode(2)
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose check: %v\n", err)
		return ExitCode(1)
	}
	errs, warns, _ := diag.Count(ds)
	if errs > 0 || (*strict && warns > 0) {
		return ExitCode(1)
	}
	return nil
}

func runSchema(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("schema", stderr)
	out := fs.String("out", filepath.Join("content", "_schema"), "输出目录")
	if stop, err := parseFlags(fs, args, stdout, stderr); stop {
		return err
	}
	if err := writeSchemas(*out); err != nil {
		fmt.Fprintf(stderr, "disclose schema: %v\n", err)
		return ExitCode(1)
	}
	fmt.Fprintf(stdout, "已写出 JSON Schema 到 %s\n", *out)
	return nil
}

func writeSchemas(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	files := schema.All()
	if len(files) == 0 {
		return errors.New("no schemas generated")
	}
	for name, b := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
	}
	return nil
}
