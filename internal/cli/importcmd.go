package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"disclose/internal/build"
	"disclose/internal/diag"
	"disclose/internal/importer"
	"disclose/internal/model"
	"disclose/internal/sourcedoc"
)

// kindIDs names the file of a document kind that is not a year's main
// document: 2023-juesuan.yaml.
var kindIDs = map[model.DocKind]string{
	model.KindFinalAccounts: "juesuan",
	model.KindBudget:        "yusuan",
	model.KindThreePublic:   "sangong",
	model.KindProjectEval:   "xm",
}

func runImport(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("import", stderr)
	dir := fs.String("content", "content", "内容目录")
	dept := fs.String("department", "", "部门目录名（英文或拼音，如 hunan-yueyang-yunxi-minzheng）；目录不存在时新建")
	year := fs.Int("year", 0, "报告年度（默认从标题读取）")
	kind := fs.String("kind", "", "文件种类（默认从标题判断）："+strings.Join(model.DocKind("").Values(), "、"))
	id := fs.String("id", "", "文件名后缀：写成 <年度>-<后缀>.yaml（默认按种类：决算 juesuan、预算 yusuan、三公 sangong、项目自评 xm）")
	dry := fs.Bool("dry-run", false, "只显示草稿，不写文件")
	force := fs.Bool("force", false, "覆盖已有的文件")
	if stop, err := parsed(fs, parseInterleaved(fs, args), stdout, stderr); stop {
		return err
	}
	files := fs.Args()
	if len(files) == 0 {
		fmt.Fprintln(stderr, "disclose import: 请给出要导入的文件，如 disclose import --department xxx 报告.docx")
		return ExitCode(2)
	}
	if *dept == "" && !*dry {
		fmt.Fprintln(stderr, "disclose import: 请用 --department 指定部门目录名（如 hunan-yueyang-yunxi-minzheng）；只想看草稿可加 --dry-run")
		return ExitCode(2)
	}
	if *dept != "" && (!validSlug(*dept)) {
		fmt.Fprintf(stderr, "disclose import: 部门目录名 %q 只能用小写英文字母、数字和连字符\n", *dept)
		return ExitCode(2)
	}
	k := model.DocKind(*kind)
	if k != "" && !slices.Contains(k.Values(), *kind) {
		fmt.Fprintf(stderr, "disclose import: 不认识的文件种类 %q，可选：%s\n", *kind, strings.Join(k.Values(), "、"))
		return ExitCode(2)
	}
	// Files that make one report (the Word report and the workbook of its
	// tables) are read into one draft; others each into their own.
	type group struct {
		key string
		res *importer.Result
		id  string
	}
	var groups []*group
	failed := false
	for _, f := range files {
		if ctx.Err() != nil {
			return Interrupted
		}
		opt := importer.Options{Year: *year, Kind: k}
		if n := len(groups); n > 0 {
			// A file that states no year (a workbook of tables) belongs
			// to the report before it on the command line.
			opt.ElseYear, opt.ElseKind = groups[n-1].res.Year, groups[n-1].res.Kind
		}
		res, err := readSource(ctx, f, opt)
		if err != nil {
			fmt.Fprintf(stderr, "disclose import: %v\n", err)
			failed = true
			continue
		}
		rid := *id
		if rid == "" && res.Kind != "" && res.Kind != model.KindSelfEval {
			rid = kindIDs[res.Kind]
		}
		key := fmt.Sprint(res.Year)
		if rid != "" {
			key += "-" + rid
		}
		var into *group
		for _, g := range groups {
			if g.key == key {
				into = g
			}
		}
		if into == nil {
			groups = append(groups, &group{key: key, res: res, id: rid})
			continue
		}
		into.res.Merge(res)
	}
	for _, g := range groups {
		if err := writeDraft(ctx, g.res, *dir, *dept, g.id, *dry, *force, stdout); err != nil {
			fmt.Fprintf(stderr, "disclose import: %v\n", err)
			failed = true
		}
	}
	if failed {
		return ExitCode(1)
	}
	return nil
}

// parseInterleaved parses flags given before or after the file names, as
// users type them either way.
func parseInterleaved(fs interface {
	Parse([]string) error
	Args() []string
}, args []string) error {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		a := fs.Args()
		if len(a) == 0 {
			break
		}
		rest = append(rest, a[0])
		args = a[1:]
	}
	return fs.Parse(append([]string{"--"}, rest...))
}

func validSlug(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return s != "" && s[0] != '-'
}

// readSource reads one file and imports a draft from it.
func readSource(ctx context.Context, file string, opt importer.Options) (*importer.Result, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("读取 %s: %w", file, err)
	}
	doc, err := sourcedoc.Read(file, data)
	if errors.Is(err, sourcedoc.ErrFormat) {
		var converted string
		var docx []byte
		if converted, docx, err = convertWithOffice(ctx, file, err); err == nil {
			doc, err = sourcedoc.Read(converted, docx)
		}
	}
	if err != nil {
		return nil, err
	}
	res, err := importer.Import(doc, opt)
	if err != nil {
		return nil, err
	}
	// The draft names the file the user has, not LibreOffice's copy; the
	// places it cites are the copy's paragraphs, which follow the original's.
	res.SetSource(filepath.Base(file), data)
	return res, nil
}

// writeDraft writes a draft into the content directory (or shows it, for a
// dry run) and checks it.
func writeDraft(ctx context.Context, res *importer.Result, dir, dept, id string, dry, force bool, stdout io.Writer) error {
	if dept == "" {
		dept = "draft"
	}
	out, err := res.Files(dept, id, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", res.Source, err)
	}
	key := fmt.Sprint(res.Year)
	if id != "" {
		key += "-" + id
	}
	reportFile := path.Join(dept, key+".yaml")
	fmt.Fprintf(stdout, "%s → %s/%s：%s年度%s，%d 个金额已放进报告，%d 个数字未能归位\n",
		res.Source, filepath.ToSlash(dir), reportFile, fmt.Sprint(res.Year), kindName(res.Kind), res.Figures, len(res.Draft.Unplaced))
	for _, u := range res.Draft.Unplaced {
		fmt.Fprintf(stdout, "  未归位 %s：“%s”（%s）\n", u.Prov.Where(), u.Prov.Quote, u.Why)
	}
	if dry {
		_, err := stdout.Write(out[reportFile])
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("创建内容目录 %s: %w", dir, err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return fmt.Errorf("打开内容目录 %s: %w", dir, err)
	}
	defer root.Close()
	if _, err := root.Stat(path.Join(dept, "department.yaml")); errors.Is(err, os.ErrNotExist) {
		out[path.Join(dept, "department.yaml")] = res.Department()
	}
	var names []string
	for name := range out {
		names = append(names, name)
	}
	sort.Strings(names)
	if !force {
		for _, name := range names {
			if _, err := root.Stat(name); err == nil {
				return fmt.Errorf("%s 已经存在，没有改动任何文件；要覆盖请加 --force，或用 --id 另起文件名", path.Join(filepath.ToSlash(dir), name))
			}
		}
	}
	for _, name := range names {
		if err := writeInRoot(root, name, out[name]); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "  已写 %s\n", path.Join(filepath.ToSlash(dir), name))
	}
	// The draft is checked at once, like a hand transcription: its
	// warnings point at the source's own inconsistencies.
	_, ds, err := build.Load(ctx, dir)
	if err != nil {
		return err
	}
	var mine []diag.Diagnostic
	prefix := path.Join(filepath.ToSlash(filepath.Clean(dir)), dept) + "/"
	for _, d := range ds {
		if strings.HasPrefix(filepath.ToSlash(d.Pos.File), prefix) {
			mine = append(mine, d)
		}
	}
	errs, warns, _ := diag.Count(mine)
	fmt.Fprintf(stdout, "检查草稿：%d 个错误，%d 个警告\n", errs, warns)
	if err := diag.WriteText(stdout, mine, diag.Zh); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "请逐项核对：%s 里每个数字旁的注释给出原文出处；disclose serve 后打开 /_review/%s/%s.html 可逐项对照原文。\n", path.Join(filepath.ToSlash(dir), reportFile), dept, key)
	return nil
}

func kindName(k model.DocKind) string {
	if k == "" {
		return string(model.KindSelfEval)
	}
	return string(k)
}

// writeInRoot writes a file inside the content directory through a
// temporary name, so that an interrupted import leaves either the old file
// or the new one.
func writeInRoot(root *os.Root, name string, data []byte) error {
	if err := root.MkdirAll(path.Dir(name), 0o755); err != nil {
		return fmt.Errorf("create %s: %w", path.Dir(name), err)
	}
	tmp := name + ".import-tmp"
	if err := root.WriteFile(tmp, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := root.Rename(tmp, name); err != nil {
		root.Remove(tmp)
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// convertWithOffice turns a .doc, .xls or .wps file into .docx or .xlsx
// with LibreOffice when it is installed; otherwise the reader's message
// says how to do it by hand.
func convertWithOffice(ctx context.Context, file string, readErr error) (string, []byte, error) {
	ext := strings.ToLower(filepath.Ext(file))
	target := map[string]string{".doc": "docx", ".wps": "docx", ".rtf": "docx", ".odt": "docx", ".xls": "xlsx", ".et": "xlsx", ".ods": "xlsx"}[ext]
	if target == "" {
		return "", nil, readErr
	}
	office, err := exec.LookPath("libreoffice")
	if err != nil {
		if office, err = exec.LookPath("soffice"); err != nil {
			return "", nil, readErr
		}
	}
	tmp, err := os.MkdirTemp("", "disclose-convert-")
	if err != nil {
		return "", nil, err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.CommandContext(ctx, office, "--headless", "-env:UserInstallation=file://"+filepath.ToSlash(filepath.Join(tmp, "profile")), "--convert-to", target, "--outdir", tmp, file)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", nil, fmt.Errorf("%s: 用 LibreOffice 转换失败：%v %s", filepath.Base(file), err, strings.TrimSpace(string(msg)))
	}
	name := strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)) + "." + target
	data, err := os.ReadFile(filepath.Join(tmp, name))
	if err != nil {
		return "", nil, fmt.Errorf("%s: LibreOffice 没有写出 %s", filepath.Base(file), name)
	}
	return name, data, nil
}
