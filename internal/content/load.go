// Package content reads a content tree (site.yaml, one directory per
// department with department.yaml, <year>.yaml and Markdown sections) into
// the model, with the position of every value and a diagnostic for every
// problem of shape: syntax, unknown or missing fields, malformed figures.
//
// It owns loading, and nothing else: Load reads a whole tree; Cache reads it
// again after edits, re-reading only the departments that changed. It never
// checks figures (internal/check does) and keeps no state but Cache's.
//
// Layer 2 (see internal/arch): it imports model and diag only.
package content

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/sync/errgroup"
	"gopkg.in/yaml.v3"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// MaxFileSize bounds what one content file may hold. A year's report with
// all its narrative is well under 1 MiB; anything larger is a mistake (a
// pasted PDF, a binary) and would only slow every build down.
const MaxFileSize = 4 << 20

// Year bounds: disclosures of this kind start in the 2000s; the upper bound
// catches typos such as 20223 without depending on today's date, so that a
// check gives the same answer whenever it runs.
const (
	MinYear = 2000
	MaxYear = 2100
)

var (
	deptIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// A department-year's main document is <year>.yaml; its other
	// documents (a 决算, project forms) are <year>-<name>.yaml, each with
	// an optional section folder of the same name.
	yearFile = regexp.MustCompile(`^([0-9]{4})(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?\.ya?ml$`)
	yearDir  = regexp.MustCompile(`^([0-9]{4})(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?$`)
)

// Load reads the content tree rooted at fsys. display is prefixed to file
// names in positions (e.g. "content"), so that diagnostics name files as the
// user knows them. Departments are read in parallel; the result and the
// diagnostics are sorted, so they do not depend on scheduling.
//
// Load is LoadSite, ReadRoot, LoadDepartment for each directory and
// ValidateDepartments, in that order; Cache, which keeps departments
// between loads for the live preview, composes the same steps, so that
// both give the same answer.
func Load(fsys fs.FS, display string) (*model.Site, []diag.Diagnostic) {
	site := &model.Site{}
	cfg, ds := LoadSite(fsys, display)
	site.Config = cfg
	dirs, rootDiags, ok := ReadRoot(fsys, display)
	ds = append(ds, rootDiags...)
	if !ok {
		diag.Sort(ds)
		return site, ds
	}

	depts := make([]*model.Department, len(dirs))
	deptDiags := make([][]diag.Diagnostic, len(dirs))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, dir := range dirs {
		g.Go(func() error {
			depts[i], deptDiags[i] = LoadDepartment(fsys, display, dir)
			return nil
		})
	}
	_ = g.Wait() // LoadDepartment reports problems as diagnostics, never as errors
	for i, d := range depts {
		ds = append(ds, deptDiags[i]...)
		if d != nil {
			site.Departments = append(site.Departments, d)
		}
	}
	ds = append(ds, ValidateDepartments(site.Departments)...)
	diag.Sort(ds)
	return site, ds
}

// LoadSite reads site.yaml (or site.yml) at the root of fsys, with the
// diagnostics of that file only. Without one, the configuration holds a
// default title and a diagnostic says the file is missing.
func LoadSite(fsys fs.FS, display string) (model.SiteConfig, []diag.Diagnostic) {
	l := &loader{fsys: fsys, display: display}
	cfg := l.loadSite()
	return cfg, l.diags
}

// ReadRoot lists the top level of the content tree: the directories that
// may be departments, in name order (the order of Site.Departments), and a
// diagnostic for every stray file. ok is false when the root itself cannot
// be read; ds then says why and there are no departments.
func ReadRoot(fsys fs.FS, display string) (dirs []string, ds []diag.Diagnostic, ok bool) {
	l := &loader{fsys: fsys, display: display}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		l.add(diag.New(model.Pos{File: l.name(".")}, diag.FileRead, err.Error()))
		return nil, l.diags, false
	}
	for _, e := range entries {
		name := e.Name()
		switch {
		case skipName(name):
		case name == "site.yaml" || name == "site.yml":
			// loadSite reads it, and refuses a link there.
		case l.isSymlink(e, name):
		case e.IsDir():
			dirs = append(dirs, name)
		case misnamedSite(name):
			l.misnamed(name, "site.yaml", "网站设置文件名必须是 site.yaml（小写、半角、没有空格）。")
		default:
			l.add(diag.New(model.Pos{File: l.name(name)}, diag.StrayFile, name))
		}
	}
	return dirs, l.diags, true
}

// LoadDepartment reads the department in directory dir (a name at the root
// of fsys) with its reports, and returns the diagnostics of its files in
// the order they were found (not sorted). It reads nothing outside dir, so
// a department whose files did not change loads the same again; what it
// cannot see, such as another department with the same name, is left to
// ValidateDepartments. The department is nil when it cannot be used at
// all (bad directory name, no or broken department.yaml); ds says why.
func LoadDepartment(fsys fs.FS, display, dir string) (dept *model.Department, ds []diag.Diagnostic) {
	l := &loader{fsys: fsys, display: display}
	dept = l.loadDepartment(dir)
	return dept, l.diags
}

// ValidateDepartments runs the checks that look across departments: the
// same department under two directories, by name or by budget code. depts
// must be in directory order, as in Site.Departments: the first of a pair
// is kept and the later one reported. It only reads the departments and is
// cheap, so callers that reload some departments run it over all of them
// every time.
func ValidateDepartments(depts []*model.Department) []diag.Diagnostic {
	l := &loader{}
	l.checkDuplicates(depts)
	return l.diags
}

// Ignored reports whether the loader never reads the file or directory at
// p (slash-separated, relative to the content root) nor anything under it,
// because p or one of its parents has a name skipName leaves out: editor
// backups and swap files, hidden files, _schema. A change there cannot
// change what Load returns.
func Ignored(p string) bool {
	if p == "." {
		return false // the root itself: "." is not a hidden name here
	}
	for name := range strings.SplitSeq(p, "/") {
		if skipName(name) {
			return true
		}
	}
	return false
}

// skipName is true for names the loader never reads: hidden files, editor
// leftovers and directories starting with "_" (such as _schema).
func skipName(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") ||
		strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || name == "4913"
}

type loader struct {
	fsys    fs.FS
	display string
	mu      sync.Mutex
	diags   []diag.Diagnostic
	listed  map[string]fs.DirEntry // files by path, as their directory listed them
}

// list reads directory dir and remembers its entries for readFile.
func (l *loader) list(dir string) ([]fs.DirEntry, error) {
	entries, err := fs.ReadDir(l.fsys, dir)
	l.mu.Lock()
	if l.listed == nil {
		l.listed = map[string]fs.DirEntry{}
	}
	for _, e := range entries {
		l.listed[path.Join(dir, e.Name())] = e
	}
	l.mu.Unlock()
	return entries, err
}

func (l *loader) name(p string) string {
	if l.display == "" {
		return p
	}
	return path.Join(l.display, p)
}

func (l *loader) add(ds ...diag.Diagnostic) {
	l.mu.Lock()
	l.diags = append(l.diags, ds...)
	l.mu.Unlock()
}

// readFile reads p, refusing empty and oversized files.
func (l *loader) readFile(p string) ([]byte, bool) {
	pos := model.Pos{File: l.name(p)}
	l.mu.Lock()
	e := l.listed[p]
	l.mu.Unlock()
	var fi fs.FileInfo
	var err error
	if e != nil {
		// The listing has it already: in a content.Dir no second walk
		// down the path is needed (os.Root walks it one name at a time).
		fi, err = e.Info()
	} else {
		fi, err = fs.Lstat(l.fsys, p)
	}
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		l.symlink(p)
		return nil, false
	}
	if err == nil && fi.Size() > MaxFileSize {
		l.add(diag.New(pos, diag.FileTooLarge, strconv.FormatInt(fi.Size(), 10), strconv.Itoa(MaxFileSize)))
		return nil, false
	}
	b, err := fs.ReadFile(l.fsys, p)
	if errors.Is(err, ErrOutside) {
		// A link put in place after the listing: refused all the same.
		l.add(diag.New(pos, diag.Symlink, l.name(p), "内容目录以外"))
		return nil, false
	}
	if err != nil {
		l.add(diag.New(pos, diag.FileRead, err.Error()))
		return nil, false
	}
	if len(b) > MaxFileSize {
		l.add(diag.New(pos, diag.FileTooLarge, strconv.Itoa(len(b)), strconv.Itoa(MaxFileSize)))
		return nil, false
	}
	if enc := badEncoding(b); enc != "" {
		l.add(diag.New(pos, diag.FileEncoding, enc))
		return nil, false
	}
	return b, true
}

// parse reads p as one YAML document and decodes it into out (a pointer to
// a model struct). It reports false when nothing usable was read.
func (l *loader) parse(p string, out any) bool {
	b, ok := l.readFile(p)
	if !ok {
		return false
	}
	dec := &decoder{file: l.name(p)}
	defer func() { l.add(dec.diags...) }()
	root, ok := parseYAML(b, dec)
	if !ok {
		return false
	}
	return dec.decodeStruct(root, reflect.ValueOf(out).Elem(), path.Base(p))
}

var utf8BOM = []byte("\ufeff")

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parserError tells yaml.v3's parser errors from its scanner errors by
// their wording (see yaml.v3 parserc.go).
func parserError(msg string) bool {
	for _, p := range []string{
		"did not find expected node content", "did not find expected key",
		"did not find expected '-' indicator", "did not find expected ',' or ']'",
		"did not find expected ',' or '}'", "did not find expected <document start>",
	} {
		if strings.HasPrefix(msg, p) {
			return true
		}
	}
	return false
}

// readerError tells yaml.v3's reader errors (bad bytes, found before any
// token) by their wording (see yaml.v3 readerc.go); they carry an offset,
// not a line.
func readerError(msg string) bool {
	for _, p := range []string{"UTF-8", "UTF-16", "Unicode", "control characters", "input error"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// parseYAML parses exactly one YAML document and returns its root node.
func parseYAML(b []byte, dec *decoder) (*yaml.Node, bool) {
	if len(bytes.TrimSpace(b)) == 0 {
		dec.diags = append(dec.diags, diag.New(model.Pos{File: dec.file}, diag.FileEmpty))
		return nil, false
	}
	var doc yaml.Node
	yd := yaml.NewDecoder(bytes.NewReader(b))
	if err := yd.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			// Only comments, or only "---": nothing to read, as in an
			// empty file.
			dec.diags = append(dec.diags, diag.New(model.Pos{File: dec.file}, diag.FileEmpty))
			return nil, false
		}
		pos := model.Pos{File: dec.file}
		msg := err.Error()
		if !readerError(msg) {
			// yaml.v3 leaves the line out of its scanner's and parser's
			// errors on the first line (it counts lines from 0 there).
			pos.Line, pos.Col = 1, 1
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			pos.Line, _ = strconv.Atoi(m[1])
			pos.Col = 1
			msg = m[2]
			if parserError(msg) {
				// yaml.v3 numbers its parser's errors from 0 (the
				// line where the unclosed bracket or block began),
				// unlike its scanner's; readers count from 1.
				pos.Line++
			}
		}
		msg = explainYAML(msg)
		dec.diags = append(dec.diags, diag.New(pos, diag.YAMLSyntax, msg))
		return nil, false
	}
	var extra yaml.Node
	if err := yd.Decode(&extra); err == nil {
		dec.report(&extra, diag.YAMLSyntax, "一个文件只能有一个文档（删除 --- 分隔的第二部分）")
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		dec.diags = append(dec.diags, diag.New(model.Pos{File: dec.file}, diag.FileEmpty))
		return nil, false
	}
	root := doc.Content[0]
	if isNull(root) {
		dec.diags = append(dec.diags, diag.New(model.Pos{File: dec.file}, diag.FileEmpty))
		return nil, false
	}
	return root, true
}

// badEncoding names the encoding of b when it is not UTF-8. Content is
// UTF-8 only, so that positions and text mean the same to every tool; the
// YAML library would accept UTF-16 and count lines differently.
func badEncoding(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "UTF-16"
	case !utf8.Valid(b):
		return "可能是 GBK/ANSI"
	}
	return ""
}

func (l *loader) loadSite() model.SiteConfig {
	var cfg model.SiteConfig
	for _, name := range []string{"site.yaml", "site.yml"} {
		if _, err := fs.Lstat(l.fsys, name); err == nil {
			l.parse(name, &cfg)
			return cfg
		}
	}
	l.add(diag.New(model.Pos{File: l.name("site.yaml")}, diag.NoSiteFile))
	cfg.Title = "部门整体支出绩效自评报告"
	return cfg
}

func (l *loader) loadDepartment(dir string) *model.Department {
	if !deptIDPattern.MatchString(dir) {
		l.add(diag.New(model.Pos{File: l.name(dir)}, diag.BadDirName, dir))
		return nil
	}
	entries, err := l.list(dir)
	if err != nil {
		l.add(diag.New(model.Pos{File: l.name(dir)}, diag.FileRead, err.Error()))
		return nil
	}
	dept := &model.Department{ID: dir}
	var deptFile string
	docFiles := map[docKey][]string{}
	sectionDirs := map[docKey]string{}
	hasDuties := false
	for _, e := range entries {
		name := e.Name()
		p := path.Join(dir, name)
		switch {
		case skipName(name):
		case l.isSymlink(e, p):
		case e.IsDir() && yearDir.MatchString(name):
			sectionDirs[keyOf(yearDir.FindStringSubmatch(name))] = p
		case !e.IsDir() && (name == "department.yaml" || name == "department.yml"):
			if deptFile != "" {
				l.add(diag.New(model.Pos{File: l.name(p)}, diag.DuplicateDept, dir, l.name(deptFile)))
				continue
			}
			deptFile = p
		case !e.IsDir() && name == "duties.md":
			hasDuties = true
		case !e.IsDir() && yearFile.MatchString(name):
			k := keyOf(yearFile.FindStringSubmatch(name))
			docFiles[k] = append(docFiles[k], p)
		default:
			if e.IsDir() {
				if meant, ok := misnamedYearDir(name); ok {
					l.misnamed(p, meant, ruleYearDir)
					continue
				}
			} else if meant, ok := misnamedInDepartment(name); ok {
				l.misnamed(p, meant, ruleReport)
				continue
			}
			l.add(diag.New(model.Pos{File: l.name(p)}, diag.StrayFile, name))
		}
	}
	if deptFile == "" {
		l.add(diag.New(model.Pos{File: l.name(dir)}, diag.NoDeptFile))
		return nil
	}
	if !l.parse(deptFile, dept) {
		return nil
	}
	if hasDuties {
		p := path.Join(dir, "duties.md")
		if dept.Duties != "" {
			l.add(diag.New(dept.Pos, diag.SectionConflict, "duties", l.name(p)))
		} else if b, ok := l.readFile(p); ok {
			dept.Duties = string(bytes.TrimPrefix(b, utf8BOM))
			dept.DutiesFile = l.name(p)
		}
	}

	keys := make([]docKey, 0, len(docFiles))
	for k := range docFiles {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b docKey) int {
		if a.year != b.year {
			return a.year - b.year
		}
		return strings.Compare(a.id, b.id)
	})
	for _, k := range keys {
		files := docFiles[k]
		if len(files) > 1 {
			names := make([]string, len(files))
			for i, f := range files {
				names[i] = l.name(f)
			}
			l.add(diag.New(model.Pos{File: names[1]}, diag.DuplicateReport, k.String(), strings.Join(names, "、")))
			continue
		}
		if r := l.loadReport(dept, files[0], k, sectionDirs[k]); r != nil {
			dept.Reports = append(dept.Reports, r)
		}
	}
	// Within a year, documents follow the kind order portals use (决算,
	// 预算, 三公, 整体自评, 项目自评), then their file names.
	slices.SortStableFunc(dept.Reports, func(a, b *model.Report) int {
		if a.Year != b.Year {
			return a.Year - b.Year
		}
		if oa, ob := a.DocKind().Order(), b.DocKind().Order(); oa != ob {
			return oa - ob
		}
		return strings.Compare(a.ID, b.ID)
	})
	for k, p := range sectionDirs {
		if _, ok := docFiles[k]; !ok {
			l.add(diag.New(model.Pos{File: l.name(p)}, diag.StrayFile, p+"/（没有对应的 "+k.String()+".yaml）"))
		}
	}
	if len(docFiles) == 0 {
		l.add(diag.New(dept.Pos, diag.NoReports))
	}
	return dept
}

// docKey names a report file within its department: year 2023 and id ""
// for 2023.yaml, id "juesuan" for 2023-juesuan.yaml.
type docKey struct {
	year int
	id   string
}

func keyOf(m []string) docKey {
	y, _ := strconv.Atoi(m[1])
	return docKey{y, m[2]}
}

func (k docKey) String() string {
	if k.id == "" {
		return strconv.Itoa(k.year)
	}
	return strconv.Itoa(k.year) + "-" + k.id
}

func (l *loader) loadReport(dept *model.Department, file string, k docKey, sectionDir string) *model.Report {
	year := k.year
	r := &model.Report{Department: dept, ID: k.id}
	if !l.parse(file, r) {
		return nil
	}
	r.Files = []string{l.name(file)}
	if r.Year != 0 && r.Year != year {
		l.add(diag.New(r.Pos, diag.YearMismatch, strconv.Itoa(year), strconv.Itoa(r.Year)))
	}
	if year < MinYear || year > MaxYear {
		l.add(diag.New(r.Pos, diag.YearRange, strconv.Itoa(year), strconv.Itoa(MinYear), strconv.Itoa(MaxYear)))
	}
	if r.Year == 0 {
		r.Year = year
	}
	if sectionDir != "" {
		l.loadSections(r, sectionDir)
	}
	l.add(validateReport(r)...)
	return r
}

func (l *loader) loadSections(r *model.Report, dir string) {
	entries, err := l.list(dir)
	if err != nil {
		l.add(diag.New(model.Pos{File: l.name(dir)}, diag.FileRead, err.Error()))
		return
	}
	for _, e := range entries {
		name := e.Name()
		p := path.Join(dir, name)
		if skipName(name) || l.isSymlink(e, p) {
			continue
		}
		key, isMD := strings.CutSuffix(name, ".md")
		if e.IsDir() || !isMD || !validSection(key) {
			if meant, ok := misnamedSection(name); ok && !e.IsDir() {
				l.misnamed(p, meant, ruleSection())
				continue
			}
			l.add(diag.New(model.Pos{File: l.name(p)}, diag.StrayFile, name+sectionHint()))
			continue
		}
		if r.Narrative.Get(key) != "" {
			l.add(diag.New(r.Narrative.Pos, diag.SectionConflict, key, l.name(p)))
			continue
		}
		b, ok := l.readFile(p)
		if !ok {
			continue
		}
		// Notepad and WPS start UTF-8 files with a byte-order mark; left
		// in, it would hide the first heading's "#" from Markdown.
		b = bytes.TrimPrefix(b, utf8BOM)
		if len(bytes.TrimSpace(b)) == 0 {
			l.add(diag.New(model.Pos{File: l.name(p)}, diag.FileEmpty))
			continue
		}
		r.Narrative.Set(key, string(b))
		r.Sections = append(r.Sections, model.SectionFile{Key: key, File: l.name(p)})
		r.Files = append(r.Files, l.name(p))
	}
}

func validSection(key string) bool {
	for _, s := range model.SectionTitles {
		if s.Key == key {
			return true
		}
	}
	return false
}

func sectionHint() string {
	keys := make([]string, len(model.SectionTitles))
	for i, s := range model.SectionTitles {
		keys[i] = s.Key + ".md"
	}
	return "（章节文件名只能是 " + strings.Join(keys, "、") + "）"
}

// checkDuplicates reports departments that are the same department under two
// directories: the same name, or the same budget code.
func (l *loader) checkDuplicates(depts []*model.Department) {
	// Sized up front: the live preview runs this over every department
	// after each save, and growing the maps was most of its cost.
	byName := make(map[string]*model.Department, len(depts))
	byCode := make(map[string]*model.Department, len(depts))
	for _, d := range depts {
		if prev, ok := byName[d.Name]; ok && d.Name != "" {
			l.add(diag.New(d.Pos, diag.DuplicateDept, d.Name, prev.Pos.File))
		} else {
			byName[d.Name] = d
		}
		if d.BudgetCode == "" {
			continue
		}
		if prev, ok := byCode[d.BudgetCode]; ok {
			l.add(diag.New(d.Pos, diag.DuplicateDept, d.Name+"（预算编码 "+d.BudgetCode+"）", prev.Pos.File))
		} else {
			byCode[d.BudgetCode] = d
		}
	}
}

func init() {
	// A model type the decoder cannot handle would panic on first use; make
	// that happen at start-up instead, where a developer sees it at once.
	for _, t := range []reflect.Type{reflect.TypeFor[model.SiteConfig](), reflect.TypeFor[model.Department](), reflect.TypeFor[model.Report]()} {
		if err := walkTypes(t, map[reflect.Type]bool{}); err != nil {
			panic(fmt.Sprintf("content: %v", err))
		}
	}
}

func walkTypes(t reflect.Type, seen map[reflect.Type]bool) error {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if seen[t] || t.Kind() != reflect.Struct || t == amountType || t == percentType || t == numberType || t == dateType || t == measureType || t == deltaType {
		return nil
	}
	seen[t] = true
	for _, f := range infoOf(t).fields {
		ft := t.Field(f.index).Type
		base := ft
		for base.Kind() == reflect.Pointer || base.Kind() == reflect.Slice {
			base = base.Elem()
		}
		switch base.Kind() {
		case reflect.String, reflect.Int, reflect.Bool, reflect.Struct:
		default:
			return fmt.Errorf("field %s.%s has type %s the decoder does not handle", t.Name(), f.key, ft)
		}
		if err := walkTypes(ft, seen); err != nil {
			return err
		}
	}
	return nil
}

// yamlMessages puts the YAML library's commonest complaints into words a
// finance officer can act on; the original text follows in brackets for
// whoever helps them.
var yamlMessages = []struct{ prefix, zh string }{
	{"found character that cannot start any token", "有无法识别的字符，常见原因是用了 Tab 缩进或全角符号开头"},
	{"found a tab character", "用了 Tab 缩进，请改用空格"},
	{"mapping values are not allowed in this context", "这里不能出现“字段: 值”，常见原因是冒号后缺空格、缩进不对或值里有冒号（请给值加引号）"},
	{"did not find expected key", "缩进不对，找不到下一个字段"},
	{"did not find expected '-' indicator", "列表缩进不对，找不到“- ”开头的项"},
	{"did not find expected ',' or '}'", "花括号 { } 没有配对，或项之间缺逗号"},
	{"did not find expected ',' or ']'", "方括号 [ ] 没有配对，或项之间缺逗号"},
	{"found unexpected end of stream", "文件意外结束，常见原因是引号没有配对"},
	{"could not find expected ':'", "缺少冒号，或上一行的引号没有配对"},
	{"found undefined tag handle", "有无法识别的“!”标记，给值加上引号"},
	{"control characters are not allowed", "文件含有控制字符，可能不是文本文件"},
	{"invalid leading UTF-8 octet", "文件不是 UTF-8 编码（请另存为 UTF-8）"},
	{"invalid trailing UTF-8 octet", "文件不是 UTF-8 编码（请另存为 UTF-8）"},
	{"incomplete UTF-8 octet sequence", "文件不是 UTF-8 编码（请另存为 UTF-8）"},
	{"cannot unmarshal", "内容结构不对"},
	{"exceeded max depth", "嵌套的层数太多，无法读取。报告的字段只嵌套十来层；常见原因是方括号 [ 或花括号 { 没有配对"},
}

func explainYAML(msg string) string {
	for _, m := range yamlMessages {
		if strings.Contains(msg, m.prefix) {
			return m.zh + "（" + msg + "）"
		}
	}
	return msg
}

// Years lists the years the report files in dirs (directories at the root
// of fsys) are named for, newest first, from their names alone, and how
// many report files there are. For content that loads without errors
// these are the years of its reports (a report's year must be its
// file's), so a build can lay out what every page links to before it
// reads any report.
func Years(fsys fs.FS, dirs []string) (years []int, reports int, err error) {
	for _, dir := range dirs {
		if skipName(dir) {
			continue
		}
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			return nil, 0, fmt.Errorf("list %s: %w", dir, err)
		}
		for _, e := range entries {
			if m := yearFile.FindStringSubmatch(e.Name()); m != nil && !e.IsDir() && !skipName(e.Name()) {
				years = append(years, keyOf(m).year)
				reports++
			}
		}
	}
	slices.Sort(years)
	years = slices.Compact(years)
	slices.Reverse(years)
	return years, reports, nil
}
