package schema

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// compile compiles the generated schemas of every kind (what -update would
// write), plus any fragment locations asked for, e.g. ID(KindReport)+"#/$defs/Amount".
func compile(t *testing.T, extra ...string) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	for _, kind := range Kinds {
		b, err := Generate(kind)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(ID(kind), doc); err != nil {
			t.Fatal(err)
		}
	}
	out := map[string]*jsonschema.Schema{}
	for _, loc := range append(slices.Clone(Kinds), extra...) {
		url := loc
		if !strings.Contains(loc, "#") {
			url = ID(loc)
		}
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("compile %s: %v", url, err)
		}
		out[loc] = s
	}
	return out
}

// validateYAML validates a YAML document against sch. The error lists each
// failing value with its line, then the validator's full explanation.
func validateYAML(sch *jsonschema.Schema, data []byte) error {
	v, lines, err := yamlToJSON(data)
	if err != nil {
		return err
	}
	err = sch.Validate(v)
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	var b strings.Builder
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		ptr := ""
		for _, tok := range e.InstanceLocation {
			ptr += "/" + pointerEscape(tok)
		}
		at := ptr
		if ak, ok := e.ErrorKind.(*kind.AdditionalProperties); ok && len(ak.Properties) > 0 {
			at += "/" + pointerEscape(ak.Properties[0]) // the line of the unknown key
		}
		line := 0
		for p := at; ; p = p[:strings.LastIndex(p, "/")] {
			if l, ok := lines[p]; ok {
				line = l
				break
			}
			if p == "" {
				break
			}
		}
		msg := "line " + strconv.Itoa(line) + ": " + e.Error()
		if !seen[msg] {
			seen[msg] = true
			b.WriteString("\n  " + msg)
		}
	}
	walk(ve)
	return errors.New(strings.TrimPrefix(b.String(), "\n") + "\nfull report:\n" + ve.Error())
}

type contentFile struct{ kind, path string }

var yearFile = regexp.MustCompile(`^[0-9]{4}\.yaml$`)

// contentFiles lists the content files by kind, and how many department
// directories content/ has. A missing content/ is no error.
func contentFiles(root string) (files []contentFile, deptDirs int, err error) {
	if _, err := os.Stat(filepath.Join(root, "site.yaml")); err == nil {
		files = append(files, contentFile{KindSite, filepath.Join(root, "site.yaml")})
	}
	entries, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, err
	}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		deptDirs++
		dir := filepath.Join(root, e.Name())
		if _, err := os.Stat(filepath.Join(dir, "department.yaml")); err == nil {
			files = append(files, contentFile{KindDepartment, filepath.Join(dir, "department.yaml")})
		}
		sub, err := os.ReadDir(dir)
		if err != nil {
			return nil, 0, err
		}
		for _, f := range sub {
			if !f.IsDir() && yearFile.MatchString(f.Name()) {
				files = append(files, contentFile{KindReport, filepath.Join(dir, f.Name())})
			}
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, deptDirs, nil
}

// checkContent validates every content file under root against its schema,
// as an editor with the YAML language server would, and returns the
// problems keyed by file ("" for the tree as a whole). Once root has a
// department directory, each kind of file must be present, so the check
// cannot pass for want of files.
func checkContent(t *testing.T, root string, schemas map[string]*jsonschema.Schema) (problems map[string][]string, checked int) {
	t.Helper()
	files, deptDirs, err := contentFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	problems = map[string][]string{}
	count := map[string]int{}
	for _, f := range files {
		count[f.kind]++
	}
	if deptDirs > 0 {
		for _, kind := range Kinds {
			if count[kind] == 0 {
				problems[""] = append(problems[""], fmt.Sprintf(
					"%d department directories but no %s file (%s)", deptDirs, kind, contentPattern[kind]))
			}
		}
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f.path)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		if err := validateYAML(schemas[f.kind], data); err != nil {
			problems[rel] = append(problems[rel], fmt.Sprintf("does not match %s:\n%v", FileName(f.kind), err))
		}
		// Editors find the schema through the modeline on the first line.
		want := "$schema=../_schema/" + FileName(f.kind)
		if f.kind == KindSite {
			want = "$schema=_schema/" + FileName(f.kind)
		}
		first, _, _ := bytes.Cut(data, []byte("\n"))
		line := strings.TrimSpace(string(first))
		switch {
		case strings.HasPrefix(line, "# yaml-language-server:"):
			if !strings.HasSuffix(line, want) {
				problems[rel] = append(problems[rel], fmt.Sprintf("first line %q, want # yaml-language-server: %s", line, want))
			}
		case f.kind != KindSite:
			problems[rel] = append(problems[rel], "first line must be # yaml-language-server: "+want)
		}
	}
	return problems, len(files)
}

var contentPattern = map[string]string{
	KindSite:       "site.yaml",
	KindDepartment: "<id>/department.yaml",
	KindReport:     "<id>/<year>.yaml",
}

// TestContentValidates checks the real content/ tree. Files may not exist
// yet; once they do, every one must validate.
func TestContentValidates(t *testing.T) {
	root := filepath.Join(moduleRoot, "content")
	problems, n := checkContent(t, root, compile(t))
	t.Logf("%d content files checked", n)
	files := keys(anyMap(problems))
	for _, f := range files {
		for _, p := range problems[f] {
			t.Errorf("content/%s: %s", f, p)
		}
	}
}

func anyMap(m map[string][]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// TestContentCheckNotVacuous runs the same check on made-up trees.
func TestContentCheckNotVacuous(t *testing.T) {
	schemas := compile(t)
	write := func(root, name, text string) {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const dm = "# yaml-language-server: $schema=../_schema/department.schema.json\n"
	const rm = "# yaml-language-server: $schema=../_schema/report.schema.json\n"

	// No content/ at all, or an empty one: nothing to check, no problem.
	if p, n := checkContent(t, filepath.Join(t.TempDir(), "missing"), schemas); len(p) != 0 || n != 0 {
		t.Errorf("missing content/: %v, %d files", p, n)
	}
	empty := t.TempDir()
	write(empty, "_schema/report.schema.json", "{}")
	if p, n := checkContent(t, empty, schemas); len(p) != 0 || n != 0 {
		t.Errorf("content/ without departments: %v, %d files", p, n)
	}

	// A department directory with no files of some kinds is a problem.
	bare := t.TempDir()
	write(bare, "yunxi/duties.md", "职能")
	write(bare, "yunxi/2023/summary.md", "综述")
	if p, _ := checkContent(t, bare, schemas); len(p[""]) != 3 {
		t.Errorf("department dir without files: want 3 missing kinds, got %v", p[""])
	}

	// A good tree passes; then each mistake is found in its file.
	good := t.TempDir()
	write(good, "site.yaml", "title: 公开\n")
	write(good, "yunxi/department.yaml", dm+minimalDepartment)
	write(good, "yunxi/2023.yaml", rm+minimalReport)
	write(good, "yunxi/notes.yaml", "not: a content file\n")
	if p, n := checkContent(t, good, schemas); len(p) != 0 || n != 3 {
		t.Fatalf("good tree: %v, %d files", p, n)
	}
	write(good, "yunxi/2024.yaml", rm+minimalReport+"titel: x\n")
	write(good, "yunxi/department.yaml", minimalDepartment)
	write(good, "lusong/department.yaml", dm+"name: 局\nlevel: 乡级\nregion: [湖南省]\n")
	p, n := checkContent(t, good, schemas)
	if n != 5 {
		t.Errorf("checked %d files, want 5", n)
	}
	for _, want := range []struct{ file, text string }{
		{"yunxi/2024.yaml", "line 6: at '': additional properties 'titel' not allowed"},
		{"yunxi/department.yaml", "first line must be"},
		{"lusong/department.yaml", "line 3: at '/level'"},
	} {
		if !strings.Contains(strings.Join(p[want.file], "\n"), want.text) {
			t.Errorf("%s: want a problem mentioning %q, got %q", want.file, want.text, p[want.file])
		}
	}
	if len(p) != 3 {
		t.Errorf("problems in %d files, want 3: %v", len(p), p)
	}
}
