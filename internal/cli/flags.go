package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"runtime/debug"
	"strings"
)

// Every command's flags are parsed here, so that each speaks the same
// language as the top-level help: Chinese, with --double-dash flags, and
// help that exits 0 on stdout.

func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// Parse's own English messages are replaced by parseFlags'.
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses args for fs. stop says the command must return err at
// once: nil after printing help for -h/--help, ExitCode(2) after a usage
// error, said in Chinese with the command's flags.
func parseFlags(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (stop bool, err error) {
	return parsed(fs, fs.Parse(args), stdout, stderr)
}

func parsed(fs *flag.FlagSet, err error, stdout, stderr io.Writer) (stop bool, _ error) {
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, flag.ErrHelp):
		commandHelp(stdout, fs)
		return true, nil
	}
	fmt.Fprintf(stderr, "disclose %s: %s\n\n", fs.Name(), flagError(fs, err))
	commandHelp(stderr, fs)
	return true, ExitCode(2)
}

var (
	undefinedRE = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	needsArgRE  = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
	badValueRE  = regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for flag -+([^:]+): (.*)$`)
	badSyntaxRE = regexp.MustCompile(`^bad flag syntax: (.*)$`)
)

// flagError says a flag package error in Chinese.
func flagError(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if m := undefinedRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("没有 --%s 这个选项%s", m[1], suggestFlag(fs, m[1]))
	}
	if m := needsArgRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("选项 --%s 后面要写一个值，如 --%s %s", m[1], m[1], valueName(fs.Lookup(m[1])))
	}
	if m := badValueRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("选项 --%s 的值“%s”不对（%s）", m[2], m[1], m[3])
	}
	if m := badSyntaxRE.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("选项的写法不对：%s（应写成 --名称 值）", m[1])
	}
	return msg
}

// suggestFlag names the flag the user probably meant, by a shared prefix.
func suggestFlag(fs *flag.FlagSet, typed string) string {
	best := ""
	fs.VisitAll(func(f *flag.Flag) {
		if best == "" && (strings.HasPrefix(f.Name, typed) || strings.HasPrefix(typed, f.Name) || len(typed) > 2 && strings.Contains(f.Name, typed)) {
			best = f.Name
		}
	})
	if best == "" {
		return "；可用的选项见下"
	}
	return fmt.Sprintf("；是不是想写 --%s？", best)
}

func valueName(f *flag.Flag) string {
	if f == nil {
		return "值"
	}
	name, _ := flag.UnquoteUsage(f)
	if name == "" {
		return "值"
	}
	return name
}

// commandHelp prints a command's synopsis, what it does, and each flag with
// its meaning and default.
func commandHelp(w io.Writer, fs *flag.FlagSet) {
	name := fs.Name()
	synopsis, summary := commandLines(name)
	fmt.Fprintf(w, "用法：\n  %s\n\n", synopsis)
	if summary != "" {
		fmt.Fprintf(w, "%s\n\n", summary)
	}
	var lines []string
	fs.VisitAll(func(f *flag.Flag) {
		value, usage := flag.UnquoteUsage(f)
		head := "--" + f.Name
		if value != "" {
			head += " " + value
		}
		line := fmt.Sprintf("  %-22s %s", head, usage)
		if d := f.DefValue; d != "" && d != "false" && d != "0" {
			line += fmt.Sprintf("（默认 %s）", d)
		}
		lines = append(lines, line)
	})
	if len(lines) > 0 {
		fmt.Fprintf(w, "选项：\n%s\n", strings.Join(lines, "\n"))
	}
}

// commandLines finds a command's synopsis and summary in the top-level
// help, the one place they are written.
func commandLines(name string) (synopsis, summary string) {
	var forms []string
	for _, l := range strings.Split(usage, "\n") {
		t := strings.TrimSpace(l)
		if rest, ok := strings.CutPrefix(t, "disclose "+name+" "); ok || t == "disclose "+name {
			// A command with several forms (publish, --rollback, --list)
			// has a line for each.
			forms = append(forms, strings.TrimSpace("disclose "+name+" "+strings.TrimSpace(rest)))
			synopsis = strings.Join(forms, "\n  ")
		}
		if rest, ok := strings.CutPrefix(t, name+" "); ok && summary == "" && synopsis != "" {
			summary = strings.TrimSpace(rest)
		}
	}
	if synopsis == "" {
		synopsis = "disclose " + name
	}
	return strings.TrimSpace(synopsis), summary
}

// version is the program's version: the one the Makefile stamps, or else
// what the Go toolchain recorded (a module version, or the commit it was
// built from, marked when the tree had changes).
func version() string {
	if Version != "dev" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version
	}
	return versionFrom(info)
}

func versionFrom(info *debug.BuildInfo) string {
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Version
	}
	v := "dev-" + rev[:min(12, len(rev))]
	if dirty {
		v += "-dirty"
	}
	if when != "" {
		v += " (" + when + ")"
	}
	return v
}
