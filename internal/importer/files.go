package importer

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
)

// Sidecar is the machine-readable provenance of an imported report, kept
// beside the content (content/_imports/<dept>/<key>.json) so that the
// preview can show each figure next to its source.
type Sidecar struct {
	Report    string          `json:"report"` // the report file, relative to the content directory
	Source    string          `json:"source"` // the source file's base name (names, when several)
	SourceSum string          `json:"source_sha256"`
	Sources   []SourceFile    `json:"sources"` // every file, when the report draws on several
	Values    []SidecarValue  `json:"values"`
	Unplaced  []SidecarPlaced `json:"unplaced"`
}

// SidecarValue is one imported value and where it came from.
type SidecarValue struct {
	Path  string `json:"path"`
	Line  int    `json:"line"`
	Value string `json:"value"`
	Where string `json:"where"`
	Quote string `json:"quote"`
}

// SidecarPlaced is a figure the importer saw but did not place.
type SidecarPlaced struct {
	Where string `json:"where"`
	Quote string `json:"quote"`
	Why   string `json:"why"`
}

// SidecarPath is where the sidecar of a report lives, relative to the
// content directory. The loader skips "_" folders, so it is never content.
func SidecarPath(dept, key string) string { return path.Join("_imports", dept, key+".json") }

// Files lays out the draft as the files of a report in department dept:
// the YAML, its narrative sections, and the sidecar; paths relative to the
// content directory.
func (res *Result) Files(dept, id string, source []byte) (map[string][]byte, error) {
	key := fmt.Sprint(res.Year)
	if id != "" {
		key += "-" + id
	}
	if len(res.Sources) == 0 {
		res.SetSource(res.Source, source)
	}
	res.SourceSum = res.Sources[0].SHA256
	var from []string
	for _, s := range res.Sources {
		from = append(from, fmt.Sprintf("“%s”（SHA-256 %s…）", s.Name, s.SHA256[:12]))
	}
	header := fmt.Sprintf("由 disclose import 从%s生成的草稿。\n每个数字旁的注释给出它在原文中的位置；请逐项核对后删去本行。\n未能归位的数字列在文件末尾。", strings.Join(from, "、"))
	y, leaves, err := res.Draft.YAML(header)
	if err != nil {
		return nil, err
	}
	var tail strings.Builder
	if len(res.Draft.Unplaced) > 0 {
		tail.WriteString("\n# ── 未能归位的数字（原文有，导入时没有放进报告；如需要请手工填写）──\n")
		for _, u := range res.Draft.Unplaced {
			fmt.Fprintf(&tail, "# %s：“%s”（%s）\n", u.Prov.Where(), u.Prov.Quote, u.Why)
		}
	}
	reportFile := path.Join(dept, key+".yaml")
	files := map[string][]byte{reportFile: append(y, tail.String()...)}
	var keys []string
	for k := range res.Sections {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.TrimSpace(res.Sections[k]) == "" {
			continue
		}
		files[path.Join(dept, key, k+".md")] = []byte(res.Sections[k])
	}
	sc := Sidecar{Report: reportFile, Source: res.Source, SourceSum: res.SourceSum, Sources: res.Sources, Values: []SidecarValue{}, Unplaced: []SidecarPlaced{}}
	for _, l := range leaves {
		sc.Values = append(sc.Values, SidecarValue{Path: l.Path, Line: l.Line, Value: l.Text, Where: l.Prov.Where(), Quote: l.Prov.Quote})
	}
	for _, u := range res.Draft.Unplaced {
		sc.Unplaced = append(sc.Unplaced, SidecarPlaced{Where: u.Prov.Where(), Quote: u.Prov.Quote, Why: u.Why})
	}
	js, err := json.MarshalIndent(sc, "", "  ")
	if err != nil {
		return nil, err
	}
	files[SidecarPath(dept, key)] = append(js, '\n')
	return files, nil
}

func sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// Department drafts a department.yaml for a department the content does not
// have yet: only its name is known from the document; the required fields
// it cannot know are left for the user, and the checker asks for them.
func (res *Result) Department() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "# 由 disclose import 生成：请补全行政层级（level）和所在地区（region）。\nname: %s\n", yamlString(res.DeptName))
	if res.BudgetCode != "" {
		fmt.Fprintf(&b, "budget_code: %s # %s\n", yamlString(res.BudgetCode), res.codeAt)
	}
	b.WriteString("# level: 县级        # 省级、市级、县级\n# region: [某某省, 某某市, 某某县]\n")
	return []byte(b.String())
}

func yamlString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
