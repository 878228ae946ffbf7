package compliance_test

import (
	"flag"
	"fmt"
	"golang.org/x/tools/txtar"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/compliance"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
)

var update = flag.Bool("update", false, "rewrite the want sections of testdata/rules and testdata/content.golden")

// Each fixture in testdata/rules is a cut-down content tree in txtar form
// (content/… and, optionally, profiles/… beside it), a "profile" section
// naming the profile to check against (national when absent), and a
// "want" section: exactly the compliance diagnostics it must produce.
func TestRules(t *testing.T) {
	files, err := filepath.Glob("testdata/rules/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	covered := map[diag.Rule]bool{}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			ar := txtar.Parse(raw)
			root := t.TempDir()
			profile := "national"
			for _, f := range ar.Files {
				switch f.Name {
				case "want":
				case "profile":
					profile = strings.TrimSpace(string(f.Data))
				default:
					p := filepath.Join(root, filepath.FromSlash(f.Name))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			res := checkDir(t, filepath.Join(root, "content"), profile)
			for _, d := range res.Diagnostics {
				covered[d.Rule] = true
			}
			text := render(res.Diagnostics)
			if *update {
				setSection(ar, "want", []byte(text))
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, _ := section(ar, "want")
			if string(want) != text {
				t.Errorf("diagnostics differ\n--- got\n%s--- want\n%s", text, want)
			}
		})
	}
	if *update {
		return
	}
	for _, r := range diag.Rules() {
		if r.Profile() && !covered[r] {
			t.Errorf("rule %s has no fixture in testdata/rules", r)
		}
	}
}

// checkDir loads the content directory (which must load without errors:
// a fixture tests the profile, not the loader) and checks it.
func checkDir(t *testing.T, dir, profile string) compliance.Result {
	t.Helper()
	m, ds := content.Load(os.DirFS(dir), "content")
	if diag.HasErrors(ds) {
		t.Fatalf("the content does not load:\n%s", render(ds))
	}
	ps, err := compliance.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ps.Lookup(profile)
	if err != nil {
		t.Fatal(err)
	}
	return compliance.Check(m, p)
}

func render(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.Location() + ": " + d.Severity.String() + " [" + string(d.Rule) + "]: " + d.Message(diag.Zh) + "\n")
		if h := d.Hint(diag.Zh); h != "" {
			b.WriteString("    提示：" + h + "\n")
		}
	}
	return b.String()
}

// TestContent checks the shipped content against each shipped profile and
// keeps the findings in testdata/content-<profile>.golden, so that a
// reviewer sees every shortfall of the real reports. They are real
// findings (or gaps of the transcription, which the messages say), never
// hidden by changing the content.
func TestContent(t *testing.T) {
	dir := filepath.Join("..", "..", "content")
	for _, profile := range []string{"national", "hunan"} {
		t.Run(profile, func(t *testing.T) {
			res := checkDir(t, dir, profile)
			var b strings.Builder
			b.WriteString(strings.ReplaceAll(render(res.Diagnostics), "../../content/", "content/"))
			b.WriteString("\n# 公开情况\n")
			for _, row := range res.Rows {
				fmt.Fprintf(&b, "%s %d:", row.Dept.ID, row.Year)
				for _, it := range row.Items {
					fmt.Fprintf(&b, " %s=%s", it.Kind, itemState(it))
				}
				b.WriteString("\n")
			}
			fmt.Fprintf(&b, "%d 个部门，%d 项缺失\n", len(deptIDs(res)), res.MissingCount())
			golden := filepath.Join("testdata", "content-"+profile+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if string(want) != b.String() {
				t.Errorf("findings on content/ differ from %s (go test -update rewrites it):\n%s", golden, b.String())
			}
			// Every department of the content has its rows, and every
			// diagnostic names a file under content/.
			m, _ := content.Load(os.DirFS(dir), "content")
			if got, want := len(deptIDs(res)), len(m.Departments); got != want {
				t.Errorf("%d departments in the rows, want %d", got, want)
			}
			for _, d := range res.Diagnostics {
				if !strings.HasPrefix(d.Pos.File, "content/") {
					t.Errorf("diagnostic without a content file: %+v", d)
				}
			}
		})
	}
}

func itemState(it compliance.Item) string {
	if !it.Present() {
		return "未公开"
	}
	s := "已公开"
	switch it.Timing.State {
	case compliance.OnTime:
		s += "/按时"
	case compliance.Late:
		s += fmt.Sprintf("/逾期%d天", it.Timing.LateDays)
	case compliance.Undecided:
		s += "/无法判断"
	}
	if n := len(it.Missing); n > 0 {
		s += fmt.Sprintf("/缺%d项", n)
	}
	if n := len(it.Undecided); n > 0 {
		s += fmt.Sprintf("/%d项无法判断", n)
	}
	return s
}

func deptIDs(res compliance.Result) map[string]bool {
	out := map[string]bool{}
	for _, r := range res.Rows {
		out[r.Dept.ID] = true
	}
	return out
}

// TestLoad: the shipped profiles load, hunan extends national, a user's
// file beside the content directory replaces the embedded one of the same
// name, and an unknown name lists the ones there are.
func TestLoad(t *testing.T) {
	ps, err := compliance.Load("")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ps.Names(), ","); got != "hunan,national" {
		t.Errorf("profiles %s", got)
	}
	nat, _ := ps.Lookup("")
	hn, _ := ps.Lookup("hunan")
	if nat.ID != "national" || len(hn.Documents) != len(nat.Documents)+1 || hn.Site == nil {
		t.Errorf("hunan does not extend national: %d documents, national %d", len(hn.Documents), len(nat.Documents))
	}
	for _, p := range []*compliance.Profile{nat, hn} {
		for _, d := range p.Documents {
			for _, b := range bases(d) {
				if strings.TrimSpace(b) == "" {
					t.Errorf("%s %s: a rule without its basis", p.ID, d.Kind)
				}
			}
		}
	}
	if _, err := ps.Lookup("guangdong"); err == nil || !strings.Contains(err.Error(), "hunan、national") {
		t.Errorf("unknown profile: %v", err)
	}

	root := t.TempDir()
	contentDir := filepath.Join(root, "content")
	if err := os.MkdirAll(filepath.Join(root, "profiles"), 0o755); err != nil {
		t.Fatal(err)
	}
	own := "id: national\nname: 本市要求\ndocuments:\n  - kind: 部门决算\n    required: {basis: 本市文件第一条}\n"
	if err := os.WriteFile(filepath.Join(root, "profiles", "national.yaml"), []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	ps, err = compliance.Load(contentDir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ps.Lookup("national")
	if p.Name != "本市要求" || len(p.Documents) != 1 {
		t.Errorf("the user's national.yaml did not replace the embedded one: %+v", p)
	}
	// hunan now extends the user's national.
	if hn, _ := ps.Lookup("hunan"); len(hn.Documents) != 2 {
		t.Errorf("hunan has %d documents over the user's national, want 2", len(hn.Documents))
	}

	for _, bad := range []struct{ yaml, want string }{
		{"id: x\ndocuments:\n  - kind: 决算\n", "文件种类"},
		{"id: x\ndocuments:\n  - kind: 部门决算\n    tables: {set: nope}\n", "表格式"},
		{"id: x\nbase: nope\n", "base"},
		{"id: x\nunknown: 1\n", "unknown"},
		{"id: x\ndocuments:\n  - kind: 部门决算\n    parts: [{name: a, check: nope}]\n", "check"},
		{"id: x\ndocuments:\n  - kind: 部门整体支出绩效自评\n    execution: {below: 九十}\n", "阈值"},
	} {
		if err := os.WriteFile(filepath.Join(root, "profiles", "x.yaml"), []byte(bad.yaml), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := compliance.Load(contentDir); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: error %v, want one about %s", bad.yaml, err, bad.want)
		}
	}
}

func bases(d *compliance.Document) []string {
	var out []string
	if d.Required != nil {
		out = append(out, d.Required.Basis)
	}
	if d.Deadline != nil {
		out = append(out, d.Deadline.Basis)
	}
	if d.Tables != nil {
		out = append(out, d.Tables.Basis)
	}
	for _, p := range d.Parts {
		out = append(out, p.Basis)
	}
	for _, s := range d.Sections {
		out = append(out, s.Basis)
	}
	if d.Execution != nil {
		out = append(out, d.Execution.Basis)
	}
	if d.Targets != nil {
		out = append(out, d.Targets.Basis)
	}
	return out
}

// TestPortalValue: site_domain falls back to base_url's host.
func TestPortalValue(t *testing.T) {
	cfg := &model.SiteConfig{Title: "站", BaseURL: "https://czj.example.gov.cn/xxgk/"}
	if got := compliance.PortalValue(cfg, "site_domain"); got != "czj.example.gov.cn" {
		t.Errorf("site_domain %q", got)
	}
	if got := compliance.PortalValue(cfg, "site_name"); got != "站" {
		t.Errorf("site_name %q", got)
	}
	cfg.Portal.SiteDomain = "www.example.gov.cn"
	if got := compliance.PortalValue(cfg, "site_domain"); got != "www.example.gov.cn" {
		t.Errorf("site_domain %q", got)
	}
}

// section is the archive's file of that name.
func section(ar *txtar.Archive, name string) ([]byte, bool) {
	for _, f := range ar.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// setSection replaces the archive's file of that name, or puts it first.
func setSection(ar *txtar.Archive, name string, data []byte) {
	for i := range ar.Files {
		if ar.Files[i].Name == name {
			ar.Files[i].Data = data
			return
		}
	}
	ar.Files = append([]txtar.File{{Name: name, Data: data}}, ar.Files...)
}

// TestBlocking: what publish refuses is the shortfalls against the
// profile site.yaml names, never the notes of what cannot be decided.
func TestBlocking(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		profile string // site.yaml profile:
		want    []diag.Rule
	}{
		{"profile-undecided", "", nil},
		{"profile-late", "", []diag.Rule{diag.ProfileLate}},
		{"hunan-national", "", nil},
		{"hunan-national", "hunan", []diag.Rule{diag.ProfileTable}},
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", "rules", tc.fixture+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		root := t.TempDir()
		for _, f := range txtar.Parse(raw).Files {
			if !strings.HasPrefix(f.Name, "content/") {
				continue
			}
			data := f.Data
			if f.Name == "content/site.yaml" && tc.profile != "" {
				data = append(append([]byte{}, data...), []byte("profile: "+tc.profile+"\n")...)
			}
			p := filepath.Join(root, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		dir := filepath.Join(root, "content")
		m, _ := content.Load(os.DirFS(dir), "content")
		ds, err := compliance.Blocking(m, dir)
		if err != nil {
			t.Fatal(err)
		}
		var got []diag.Rule
		for _, d := range ds {
			got = append(got, d.Rule)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s (profile %q): blocking %v, want %v", tc.fixture, tc.profile, got, tc.want)
		}
	}
	m := &model.Site{Config: model.SiteConfig{Profile: "guangdong"}}
	if _, err := compliance.Blocking(m, ""); err == nil || !strings.Contains(err.Error(), "可用的有") {
		t.Errorf("unknown profile: %v", err)
	}
}
