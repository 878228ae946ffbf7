package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"disclose/internal/content"
	"disclose/internal/gen"
)

func runGen(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", stderr)
	depts := fs.Int("departments", 100, "部门个数")
	years := fs.Int("years", 3, "每个部门的报告年度数")
	seed := fs.Int64("seed", 1, "随机种子：参数和种子相同，生成的文件逐字节相同")
	first := fs.Int("first-year", gen.DefaultFirstYear, "第一个报告年度")
	out := fs.String("out", "", "输出目录（必填）：不存在、为空，或是以前 disclose gen 生成的目录")
	province := fs.String("province", "", "只生成一个省的部门（拼音，如 gansu）：一个省的门户网站")
	if stop, err := parseFlags(fs, args, stdout, stderr); stop {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		return ExitCode(2)
	}
	// The same limits as gen.Options.Check, worded for the person typing.
	switch {
	case *out == "":
		fmt.Fprintln(stderr, "请用 --out 指定输出目录，如 --out /tmp/gen-content")
		return ExitCode(2)
	case *province != "" && !slices.Contains(gen.Provinces(), *province):
		fmt.Fprintf(stderr, "--province %q 不是可生成的省份；可用：%s\n", *province, strings.Join(gen.Provinces(), "、"))
		return ExitCode(2)
	case *depts < 1 || *depts > gen.MaxDepartments:
		fmt.Fprintf(stderr, "--departments 应在 1 到 %d 之间\n", gen.MaxDepartments)
		return ExitCode(2)
	case *years < 1 || *years > gen.MaxYears:
		fmt.Fprintf(stderr, "--years 应在 1 到 %d 之间\n", gen.MaxYears)
		return ExitCode(2)
	case *first < content.MinYear || *first+*years-1 > content.MaxYear:
		fmt.Fprintf(stderr, "报告年度 %d–%d 超出范围：应在 %d–%d 之内\n", *first, *first+*years-1, content.MinYear, content.MaxYear)
		return ExitCode(2)
	}
	o := gen.Options{Departments: *depts, Years: *years, Seed: *seed, FirstYear: *first, Province: *province}
	if err := o.Check(); err != nil {
		fmt.Fprintf(stderr, "disclose gen: %v\n", err)
		return ExitCode(2)
	}
	start := time.Now()
	st, err := gen.Write(*out, o)
	if errors.Is(err, gen.ErrForeignDir) {
		fmt.Fprintf(stderr, "disclose gen：%s 不是空目录，也不是 disclose gen 生成的目录（没有 %s 标记文件）。为免覆盖已有内容，没有写入任何文件；请换一个输出目录。\n", *out, gen.Marker)
		return ExitCode(1)
	}
	if err != nil {
		fmt.Fprintf(stderr, "disclose gen：生成失败：%v\n", err)
		return ExitCode(1)
	}
	fmt.Fprintf(stdout, "已生成 %d 个部门、%d 份报告，共 %d 个文件（%.1f MB），写入 %s（用时 %s）\n",
		st.Departments, st.Reports, st.Files, float64(st.Bytes)/(1<<20), *out, time.Since(start).Round(time.Millisecond))
	return nil
}
