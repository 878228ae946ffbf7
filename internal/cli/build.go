package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/metrics"
	"runtime/pprof"
	"strings"
	"time"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/preview"
)

type buildFlags struct {
	content, theme, out, baseURL *string
}

func addBuildFlags(fs *flag.FlagSet) buildFlags {
	return buildFlags{
		content: fs.String("content", "content", "内容目录"),
		theme:   fs.String("theme", "", "主题名称（themes/NAME 覆盖默认主题），或主题目录"),
		out:     fs.String("out", "public", "输出目录（整体替换）"),
		baseURL: fs.String("base-url", "", "网站根地址，用于 sitemap.xml 和 feed.xml（覆盖 site.yaml 的 base_url）"),
	}
}

func (f buildFlags) options() build.Options {
	return build.Options{Content: *f.content, Theme: themeDir(*f.theme), Out: *f.out, BaseURL: *f.baseURL}
}

// themeDir accepts a theme name (looked up in themes/) or a directory.
func themeDir(name string) string {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return name
	}
	return filepath.Join("themes", name)
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("build", stderr)
	bf := addBuildFlags(fs)
	quiet := fs.Bool("quiet", false, "不显示进度")
	fresh := fs.Bool("fresh", false, "全部重新生成，不沿用上次生成的未变文件")
	cpuProfile := fs.String("cpuprofile", "", "把 CPU 剖析写入文件（go tool pprof 可读），用于分析生成速度")
	memProfile := fs.String("memprofile", "", "把生成期间存活内存最多时的内存剖析写入文件（go tool pprof 可读；也含全部分配）")
	if stop, err := parseFlags(fs, args, stdout, stderr); stop {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return ExitCode(2)
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "disclose build: %v\n", err)
			return ExitCode(1)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintf(stderr, "disclose build: %v\n", err)
			return ExitCode(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		stopPeak := watchPeakHeap()
		defer func() {
			peak := stopPeak()
			f, err := os.Create(*memProfile)
			if err == nil {
				_, err = f.Write(peak)
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
			if err != nil {
				fmt.Fprintf(stderr, "disclose build: %v\n", err)
			}
		}()
	}
	start := time.Now()
	o := withNotes(bf.options(), *quiet, stdout, stderr)
	o.Fresh = *fresh
	res, err := doBuild(ctx, o, stderr)
	if errors.Is(err, context.Canceled) {
		return Interrupted
	}
	if err != nil {
		return ExitCode(1)
	}
	if res.UpToDate {
		fmt.Fprintf(stdout, "网站已是最新：%s（%d 个文件；内容、主题和程序与上次生成时相同，未重新生成；用时 %s）\n", *bf.out, res.Files, time.Since(start).Round(time.Millisecond))
		return nil
	}
	reused := ""
	if res.Reused > 0 {
		reused = fmt.Sprintf("，其中 %d 个内容未变，沿用上次生成的结果", res.Reused)
	}
	fmt.Fprintf(stdout, "已生成网站：%s（%d 个文件%s；用时 %s）\n", *bf.out, res.Files, reused, time.Since(start).Round(time.Millisecond))
	return nil
}

// withNotes adds to o what a person at the terminal is told while it
// builds: a progress bar (unless quiet, or not a terminal) and why it
// waits when another build of the same output is under way.
func withNotes(o build.Options, quiet bool, stdout, stderr io.Writer) build.Options {
	if !quiet && isTerminal(stdout) {
		o.Progress = progressBar(stdout, "生成网站", "个文件")
	}
	o.Waiting = waitingNote(stderr, o.Out)
	return o
}

// waitingNote tells the user why nothing happens while another build or
// preview of the same output writes it.
func waitingNote(w io.Writer, out string) func() {
	return func() {
		fmt.Fprintf(w, "另一个 disclose（生成或预览）正在写入 %s，等它写完……\n", out)
	}
}

// doBuild runs one build and reports it on w: the diagnostics that need
// attention, then the outcome.
func doBuild(ctx context.Context, o build.Options, w io.Writer) (build.Result, error) {
	res, err := build.Build(ctx, o)
	var shown []diag.Diagnostic
	for _, d := range res.Diagnostics {
		if d.Severity >= diag.Warning {
			shown = append(shown, d)
		}
	}
	if len(shown) > 0 {
		_ = diag.WriteSome(w, shown, res.Diagnostics, diag.Zh)
	}
	switch {
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		fmt.Fprintf(w, "已中断：未生成网站，%s 保持原样，临时文件已删除。\n", o.Out)
		return res, err
	case errors.Is(err, build.ErrContent):
		errs, _, _ := diag.Count(res.Diagnostics)
		fmt.Fprintf(w, "内容有 %d 处错误，未生成网站；%s 保持原样。改正上面列出的问题后再运行。\n", errs, o.Out)
		return res, err
	case err != nil:
		fmt.Fprintf(w, "生成失败，%s 保持原样：%v\n", o.Out, err)
		return res, err
	}
	if res.RelativeSitemap {
		fmt.Fprintln(w, "提示：未设置网站根地址（--base-url 或 site.yaml 的 base_url），sitemap.xml 和 feed.xml 中为相对地址。")
	}
	return res, nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	bf := addBuildFlags(fs)
	bind := fs.String("bind", "127.0.0.1", "监听地址（默认只允许本机访问）")
	port := fs.Int("port", 1313, "端口")
	if stop, err := parseFlags(fs, args, stdout, stderr); stop {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return ExitCode(2)
	}
	o := bf.options()
	o.Waiting = waitingNote(stderr, o.Out)
	err := preview.Run(ctx, preview.Options{Build: o, Bind: *bind, Port: *port}, stdout, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "disclose serve: %v\n", err)
		return ExitCode(1)
	}
	return nil
}

// watchPeakHeap samples the live heap until the returned stop is called and
// keeps the heap profile of the moment it was largest: peak RSS follows the
// live heap at its peak, and a profile taken at the end shows a build that
// has already let go of it. Sampling every 20 ms misses no peak that lasts a
// collection cycle, which at this heap size is longer.
func watchPeakHeap() (stop func() []byte) {
	done := make(chan struct{})
	result := make(chan []byte, 1)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var best []byte
		var peak uint64
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		take := func() {
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); best == nil || live > peak+peak/50 {
				var buf bytes.Buffer
				if pprof.Lookup("heap").WriteTo(&buf, 0) == nil {
					peak, best = live, buf.Bytes()
				}
			}
		}
		for {
			select {
			case <-done:
				take()
				result <- best
				return
			case <-tick.C:
				take()
			}
		}
	}()
	return func() []byte { close(done); return <-result }
}
