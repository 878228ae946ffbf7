package importer

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"testing"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/sourcedoc"
)

// importInto imports the source of hand-transcribed report hand into a
// temporary content tree holding only hand's department.yaml, and loads the
// result with the real loader.
func importInto(t *testing.T, hand *model.Report, doc *sourcedoc.Document) (*model.Report, *Result, []string) {
	t.Helper()
	res, err := Import(doc, Options{Year: hand.Year, Kind: hand.DocKind()})
	if err != nil {
		t.Fatalf("import %s: %v", doc.Name, err)
	}
	dir := t.TempDir()
	dept := hand.Department.ID
	deptYAML, err := os.ReadFile(filepath.Join("../../content", dept, "department.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := res.Files(dept, hand.ID, []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	files[path.Join(dept, "department.yaml")] = deptYAML
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	site, ds := content.Load(os.DirFS(dir), dir)
	var msgs []string
	for _, d := range ds {
		msgs = append(msgs, d.Location()+": "+d.Message(diag.Zh))
	}
	if site == nil || len(site.Departments) != 1 || len(site.Departments[0].Reports) != 1 {
		t.Fatalf("%s: the draft does not load: %v\n%s", doc.Name, msgs, files[path.Join(dept, fmt.Sprint(hand.Key())+".yaml")])
	}
	return site.Departments[0].Reports[0], res, msgs
}

func TestMeasureSeeds(t *testing.T) {
	site, _ := content.Load(os.DirFS("../../content"), "content")
	for _, d := range site.Departments {
		for _, hand := range d.Reports {
			data, err := os.ReadFile(filepath.Join("../../content/_sources", hand.Source.File))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := sourcedoc.Read(hand.Source.File, data)
			if err != nil {
				t.Fatal(err)
			}
			got, _, msgs := importInto(t, hand, doc)
			s := Compare(Figures(hand), Figures(got))
			fmt.Printf("%-40s %-14s hand %3d imported %3d right %3d recall %5.1f%% precision %5.1f%% extra %d\n", d.ID, hand.Key(), s.Hand, s.Imported, s.Right, 100*s.Recall(), 100*s.Precision(), len(s.Extra))
			if os.Getenv("V") != "" {
				for _, w := range s.Wrong {
					fmt.Println("   WRONG ", w)
				}
				for _, w := range s.Missed {
					fmt.Println("   MISSED", w)
				}
				for _, w := range s.Extra {
					fmt.Println("   EXTRA ", w)
				}
				for _, m := range msgs {
					fmt.Println("   DIAG  ", m)
				}
			}
		}
	}
}
