package content

import (
	"io/fs"
	"path"
	"regexp"
	"strings"
	"unicode"

	"disclose/internal/diag"
	"disclose/internal/model"
)

// A file whose name is close to one the loader reads is an error, not a
// stray file to skip: "2023 .yaml" or "2023.YAML" beside a department's
// other files means the writer meant a report, and skipping it would take
// the published report off the site with nothing but a warning. Names
// that are plainly something else (a .docx kept beside the YAML) stay
// warnings.

// normalName folds what a person cannot see or does not mean in a file
// name: surrounding spaces (ASCII and full-width), spaces before the
// extension, letter case, and full-width digits, letters and dots as an
// input method types them.
func normalName(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r = r - '０' + '0'
		case r == '．' || r == '。':
			r = '.'
		case r == '\u3000' || r == '\u00a0':
			r = ' '
		}
		b.WriteRune(unicode.ToLower(r))
	}
	s := strings.TrimSpace(b.String())
	// "2023 .yaml", "2023. yaml": spaces around the dot.
	for strings.Contains(s, " .") {
		s = strings.ReplaceAll(s, " .", ".")
	}
	for strings.Contains(s, ". ") {
		s = strings.ReplaceAll(s, ". ", ".")
	}
	return s
}

var yearInName = regexp.MustCompile(`(?:^|[^0-9])((?:20|21)[0-9]{2})(?:[^0-9]|$)`)

// misnamedInDepartment says whether name, a file in a department
// directory that is none of the names read there, was most likely meant as
// one, and if so what to write instead ("" when unsure which).
func misnamedInDepartment(name string) (meant string, ok bool) {
	n := normalName(name)
	switch {
	case n == "department.yaml" || n == "department.yml":
		return "department.yaml", true
	case n == "duties.md":
		return "duties.md", true
	case yearFile.MatchString(n):
		return n[:4] + ".yaml", true
	}
	if !strings.Contains(n, ".yaml") && !strings.Contains(n, ".yml") {
		return "", false
	}
	// Any other YAML: a report named "2023年.yaml", "2023-自评.yaml" or
	// "2023.yaml.txt" (an editor that hides extensions added one).
	if m := yearInName.FindStringSubmatch(n); m != nil {
		return m[1] + ".yaml", true
	}
	if s := suggest(strings.TrimSuffix(strings.TrimSuffix(n, ".yml"), ".yaml"), []string{"department"}); s != "" {
		return "department.yaml", true
	}
	return "", true
}

// misnamedYearDir is true for a directory meant as a report's sections
// ("2023 ", "２０２３"): its sections would silently be left out.
func misnamedYearDir(name string) (string, bool) {
	n := strings.TrimSuffix(normalName(name), "年")
	if yearDir.MatchString(n) && n != name {
		return n, true
	}
	return "", false
}

func ruleSection() string {
	return strings.TrimSuffix(strings.TrimPrefix(sectionHint(), "（"), "）") + "（小写、半角、没有空格）。"
}

// misnamedSection says whether name, in a report's section directory, was
// meant as one of the section files.
func misnamedSection(name string) (string, bool) {
	n := normalName(name)
	key := n
	for _, ext := range []string{".md", ".markdown", ".txt"} {
		if k, ok := strings.CutSuffix(n, ext); ok {
			key = k
			break
		}
	}
	if key == n && strings.Contains(n, ".") {
		return "", false // another kind of file: a picture, a document
	}
	if validSection(key) {
		return key + ".md", true
	}
	keys := make([]string, len(model.SectionTitles))
	for i, s := range model.SectionTitles {
		keys[i] = s.Key
	}
	if s := suggest(key, keys); s != "" {
		return s + ".md", true
	}
	return "", false
}

// misnamedSite is true for a file at the root that was meant as site.yaml.
func misnamedSite(name string) bool {
	n := normalName(name)
	return n != name && (n == "site.yaml" || n == "site.yml")
}

func (l *loader) misnamed(p, meant, rule string) {
	zh, en := "", ""
	if meant != "" {
		zh = "是不是想写“" + meant + "”？请改成这个名字。"
		en = "Did you mean " + meant + "? Rename it."
	}
	zh += rule + "如果这个文件不需要发布，请把它移出内容目录，或删除它。"
	en += " If the file is not meant to be published, move it out of the content directory or delete it."
	l.add(diag.New(model.Pos{File: l.name(p)}, diag.MisnamedFile, path.Base(p), zh, strings.TrimSpace(en)))
}

const (
	ruleReport  = "文件名必须与规定的完全一致（小写、半角、没有空格）：报告是四位年份加 .yaml（如 2023.yaml），部门信息是 department.yaml，部门职能是 duties.md。"
	ruleYearDir = "存放文字章节的文件夹名只能是四位年份（半角数字、没有空格），如 2023。"
)

// isSymlink reports a symbolic link met in a listing, with its target,
// and says whether it was one. Links are refused inside the content
// directory whether or not they leave it: a link that stays inside today
// can be retargeted tomorrow, and a copy is what a reader of the
// directory expects anyway.
func (l *loader) isSymlink(e fs.DirEntry, p string) bool {
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	l.symlink(p)
	return true
}

func (l *loader) symlink(p string) {
	target, err := fs.ReadLink(l.fsys, p)
	if err != nil {
		target = "无法读取的位置"
	}
	l.add(diag.New(model.Pos{File: l.name(p)}, diag.Symlink, l.name(p), target))
}
