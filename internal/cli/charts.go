package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"disclose/internal/build"
	"disclose/internal/chartimage"
	"disclose/internal/chromium"
	"disclose/internal/diag"
	"disclose/internal/output"
	"disclose/internal/theme"
)

func runCharts(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("charts", stderr)
	dir := fs.String("content", "content", "内容目录")
	out := fs.String("out", "charts", "输出目录")
	themeName := fs.String("theme", "", "主题名称或目录（图表所用的 ECharts 来自主题）")
	width := fs.Int("width", 800, "图片宽度（CSS 像素）")
	height := fs.Int("height", 500, "图片最小高度（CSS 像素）；类别多的图表会更高")
	format := fs.String("format", "svg,png", "输出格式：svg、png，或 svg,png")
	scale := fs.Float64("scale", 2, "PNG 的倍率：2 表示 800 宽的图得到 1600 像素宽的 PNG")
	renderer := fs.String("renderer", "go", "PNG 的绘制方式：go（内置，无需浏览器）或 chromium（用无界面 Chromium 绘制，作对照）")
	only := fs.String("only", "", "只导出某个部门（DEPT）或某个部门某年（DEPT/YEAR）")
	chart := fs.String("chart", "", "只导出某一种图表，如 categories")
	fontPath := fs.String("font", "", "中文字体文件（.ttc/.otf/.ttf）；默认用 fonts-noto-cjk")
	quiet := fs.Bool("quiet", false, "不显示进度")
	if stop, err := parseFlags(fs, args, stdout, stderr); stop {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return ExitCode(2)
	}
	if *width < 200 || *width > 8000 {
		fmt.Fprintln(stderr, "--width 应在 200 到 8000 之间")
		return ExitCode(2)
	}
	if *height < 150 || *height > 8000 {
		fmt.Fprintln(stderr, "--height 应在 150 到 8000 之间")
		return ExitCode(2)
	}
	o := chartimage.Options{Width: *width, Height: *height, Scale: *scale}
	wantPNG := false
	for _, f := range strings.Split(*format, ",") {
		switch strings.TrimSpace(f) {
		case "svg":
			o.SVG = true
		case "png":
			wantPNG = true
		default:
			fmt.Fprintf(stderr, "--format 只能是 svg、png 或 svg,png，不能是 %q\n", f)
			return ExitCode(2)
		}
	}
	if *scale < 1 || *scale > 4 {
		fmt.Fprintln(stderr, "--scale 应在 1 到 4 之间")
		return ExitCode(2)
	}
	if *renderer != "go" && *renderer != "chromium" {
		fmt.Fprintf(stderr, "--renderer 只能是 go 或 chromium，不能是 %q\n", *renderer)
		return ExitCode(2)
	}
	m, ds, err := build.Load(ctx, *dir)
	if errors.Is(err, context.Canceled) {
		return Interrupted
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose charts: %v\n", err)
		return ExitCode(1)
	}
	if diag.HasErrors(ds) {
		var errs []diag.Diagnostic
		for _, d := range ds {
			if d.Severity == diag.Error {
				errs = append(errs, d)
			}
		}
		_ = diag.WriteText(stderr, errs, diag.Zh)
		fmt.Fprintln(stderr, "内容有错误，未导出图表。")
		return ExitCode(1)
	}
	font, err := chartimage.LoadFont(*fontPath)
	if err != nil {
		fmt.Fprintf(stderr, "disclose charts: %v\n", err)
		return ExitCode(1)
	}
	th, err := theme.Open(themeDir(*themeName))
	if err != nil {
		fmt.Fprintf(stderr, "disclose charts: %v\n", err)
		return ExitCode(1)
	}
	r, err := chartimage.New(th, font)
	if err != nil {
		fmt.Fprintf(stderr, "disclose charts: %v\n", err)
		return ExitCode(1)
	}
	groups := chartimage.Groups(m, *only)
	o.Chart = *chart
	switch {
	case wantPNG && *renderer == "chromium":
		c, err := chromium.New()
		if err != nil {
			fmt.Fprintf(stderr, "disclose charts: %v\n", err)
			return ExitCode(1)
		}
		defer c.Close()
		o.PNG = c
	case wantPNG:
		ras, err := font.Rasterizer()
		if err != nil {
			fmt.Fprintf(stderr, "disclose charts: %v\n", err)
			return ExitCode(1)
		}
		o.PNG = ras
	}
	if !*quiet && isTerminal(stdout) {
		o.Progress = progressBar(stdout, "导出图表", "组")
	}
	o.Waiting = func() { fmt.Fprintf(stderr, "另一个 disclose charts 正在写入 %s，等它写完……\n", *out) }
	start := time.Now()
	n, err := r.Export(ctx, groups, *out, o)
	if errors.Is(err, chartimage.ErrNoCharts) {
		fmt.Fprintf(stderr, "%v。\n", err)
		return ExitCode(1)
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		fmt.Fprintf(stderr, "已中断：%s 保持原样，没有写入图表，临时文件已删除。\n", *out)
		return Interrupted
	}
	if errors.Is(err, output.ErrForeign) {
		fmt.Fprintf(stderr, "disclose charts：%s 不是空目录，也不是 disclose charts 导出的目录（没有 %s 标记文件）。为免覆盖已有文件，没有写入任何图表；请换一个输出目录。\n", *out, chartimage.Marker)
		return ExitCode(1)
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose charts: %v\n", err)
		return ExitCode(1)
	}
	fmt.Fprintf(stdout, "已导出 %d 张图表（%s）到 %s，用时 %s；目录见 %s/index.html\n", n, *format, *out, time.Since(start).Round(time.Millisecond), *out)
	return nil
}

// progressBar draws one line, redrawn as work gets done, such as
// "导出图表 [#######.......] 12/23 组"; it redraws only when the bar or the
// percentage moves, since a build reports tens of thousands of files.
func progressBar(w io.Writer, label, unit string) func(done, total int) {
	const width = 30
	last := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		pct := done * 100 / total
		if pct == last && done != total {
			return
		}
		last = pct
		n := done * width / total
		fmt.Fprintf(w, "\r%s [%s%s] %d/%d %s", label, strings.Repeat("#", n), strings.Repeat(".", width-n), done, total, unit)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// isTerminal reports whether w is a terminal, where a progress bar helps;
// in a log file it would be noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
