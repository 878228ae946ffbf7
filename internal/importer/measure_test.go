package importer

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/seedset"
	"disclose/internal/sourcedoc"
)

// importInto imports the source of hand-transcribed report hand into a
// temporary content tree holding only hand's department.yaml, and loads the
// result with the real loader.
func importInto(t *testing.T, hand *model.Report, doc *sourcedoc.Document) (*model.Report, *Result, []string) {
	return importIntoFrom(t, "../../content", hand, doc)
}

func importIntoFrom(t *testing.T, root string, hand *model.Report, doc *sourcedoc.Document) (*model.Report, *Result, []string) {
	t.Helper()
	res, err := Import(doc, Options{Year: hand.Year, Kind: hand.DocKind()})
	if err != nil {
		t.Fatalf("import %s: %v", doc.Name, err)
	}
	dir := t.TempDir()
	dept := hand.Department.ID
	deptYAML, err := os.ReadFile(filepath.Join(root, dept, "department.yaml"))
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

// floors are the recall each source must keep, set from the measurement
// (docs/importing.md has the table); precision must be 100% everywhere. The
// five seeds are held to at least 90%, the floor. A source not
// listed here is held to 0: its figures sit in layouts the importer does not
// read yet, and its measurement is printed all the same.
var floors = map[string]float64{
	"hunan-yueyang-yunxi-minzheng/2023":    0.95,
	"hunan-shaoyang-daxiang-minzheng/2023": 0.95,
	"hunan-xiangtan-minzheng/2024":         0.95,
	"hunan-zhuzhou-lusong-minzheng/2022":   0.90,
	"hubei-jingmen-minzheng/2022":          0.95,
	// Other kinds.
	"sichuan-suining-daying-sifa/2023-xm-anke":      0.95,
	"sichuan-meishan-qingshen-fagai/2023-xm-gongzi": 0.95,
	"hunan-hengyang-hengshan-guantang/2023":         0.95,
	"anhui-huainan-shouxian-wenbao/2023":            0.80,
	"guangxi-liuzhou-luzhai-caizheng/2019":          0.80,
	"yunnan-kunming-xundian-tangzi/2023":            0.95,
	"guangdong-caizhengting/2023":                   0.50,
	"sichuan-chengdu-jintang-guancang/2015":         0.50,
}

// TestImportMatchesHandTranscription imports the source of every report in
// content/ (as text, and as a .docx made of the same paragraphs and tables)
// and compares the figures with the hand transcription.
func TestImportMatchesHandTranscription(t *testing.T) {
	site, _ := content.Load(os.DirFS("../../content"), "content")
	if site == nil || len(site.Departments) < 5 {
		t.Fatal("content/ does not load")
	}
	var table strings.Builder
	fmt.Fprintf(&table, "%-58s %-5s %5s %5s %5s %7s %9s %5s  %s\n", "report", "as", "hand", "imp", "right", "recall", "precision", "extra", "indicator values right/hand (wrong)")
	for _, d := range site.Departments {
		for _, hand := range d.Reports {
			name := d.ID + "/" + hand.Key()
			data, err := os.ReadFile(filepath.Join("../../content/_sources", hand.Source.File))
			if err != nil {
				t.Fatal(err)
			}
			text, err := sourcedoc.Read(hand.Source.File, data)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := sourcedoc.WriteDocx(&buf, text); err != nil {
				t.Fatal(err)
			}
			docxName := strings.TrimSuffix(hand.Source.File, ".txt") + ".docx"
			docx, err := sourcedoc.ReadDocx(docxName, buf.Bytes())
			if err != nil {
				t.Fatalf("%s: %v", docxName, err)
			}
			for _, src := range []struct {
				as  string
				doc *sourcedoc.Document
			}{{"txt", text}, {"docx", docx}} {
				got, _, _ := importInto(t, hand, src.doc)
				s := Compare(Figures(hand), Figures(got))
				ind := Compare(IndicatorFigures(hand), IndicatorFigures(got))
				fmt.Fprintf(&table, "%-58s %-5s %5d %5d %5d %6.1f%% %8.1f%% %5d  %d/%d (%d)\n", name, src.as, s.Hand, s.Imported, s.Right, 100*s.Recall(), 100*s.Precision(), len(s.Extra), ind.Right, ind.Hand, len(ind.Wrong))
				if os.Getenv("V") != "" {
					for _, w := range ind.Missed {
						fmt.Fprintf(&table, "    (evaluation) %s\n", w)
					}
				}
				if len(ind.Wrong) > 0 {
					t.Errorf("%s (%s): indicator values placed wrong:\n  %s", name, src.as, strings.Join(ind.Wrong, "\n  "))
				}
				if os.Getenv("V") != "" {
					for _, w := range append(append(s.Missed, s.Extra...), s.Wrong...) {
						fmt.Fprintf(&table, "    %s\n", w)
					}
				}
				if len(s.Wrong) > 0 {
					t.Errorf("%s (%s): %d figures placed wrong:\n  %s", name, src.as, len(s.Wrong), strings.Join(s.Wrong, "\n  "))
				}
				if s.Recall() < floors[name] {
					t.Errorf("%s (%s): recall %.1f%% is below its floor %.0f%%; missed:\n  %s", name, src.as, 100*s.Recall(), 100*floors[name], strings.Join(s.Missed, "\n  "))
				}
			}
		}
	}
	t.Log("\n" + table.String())
}

// TestFloorsCoverTheSeeds keeps the floor: every seed is held to
// at least 90%.
func TestFloorsCoverTheSeeds(t *testing.T) {
	for _, id := range seedset.IDs {
		found := false
		for name, f := range floors {
			if strings.HasPrefix(name, id+"/") {
				found = true
				if f < 0.90 {
					t.Errorf("%s: floor %.0f%% is below 90%%", name, 100*f)
				}
			}
		}
		if !found {
			t.Errorf("seed %s has no recall floor", id)
		}
	}
}

// FuzzImport feeds arbitrary text to the importer: whatever it reads, it
// never panics, and its draft always reads back as YAML.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"000_6c1a5cf0595a4eef.txt", "002_9e2d80230763505a.txt", "04_sc_daying_sifaju_jixiao_2023.txt", "11_gd_caizhengting_sangong_2023.txt"} {
		b, err := os.ReadFile(filepath.Join("../../content/_sources", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("2023年度报告\n（一）基本支出共计1,2万元。其中（（（a1元、"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := sourcedoc.ReadText("f.txt", data, "txt")
		if err != nil {
			return
		}
		res, err := Import(doc, Options{Year: 2023})
		if err != nil {
			return
		}
		if _, err := res.Files("d", "", data); err != nil {
			t.Fatalf("draft does not write: %v", err)
		}
	})
}

// BenchmarkImportSeed times reading and importing the largest seed source,
// the "well under a second" the issue asks for.
func BenchmarkImportSeed(b *testing.B) {
	data, err := os.ReadFile("../../content/_sources/000_6c1a5cf0595a4eef.txt")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		doc, err := sourcedoc.Read("000.txt", data)
		if err != nil {
			b.Fatal(err)
		}
		res, err := Import(doc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.Files("d", "", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportDocx is BenchmarkImportSeed from the .docx of the same
// text: the Word reader's share.
func BenchmarkImportDocx(b *testing.B) {
	data, err := os.ReadFile("../../content/_sources/000_6c1a5cf0595a4eef.txt")
	if err != nil {
		b.Fatal(err)
	}
	text, err := sourcedoc.Read("000.txt", data)
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := sourcedoc.WriteDocx(&buf, text); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		doc, err := sourcedoc.Read("000.docx", buf.Bytes())
		if err != nil {
			b.Fatal(err)
		}
		res, err := Import(doc, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := res.Files("d", "", buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}

// TestImportHeldOut measures the importer on real documents transcribed by
// hand after it was written, by someone who did not see its code or its
// output (testdata/heldout): what it would do on a department's next file.
// Nothing placed may be wrong; the recall is reported.
func TestImportHeldOut(t *testing.T) {
	root := "testdata/heldout"
	site, ds := content.Load(os.DirFS(root), root)
	if site == nil || len(site.Departments) < 3 {
		t.Fatalf("held-out set does not load: %v", ds)
	}
	var table strings.Builder
	for _, d := range site.Departments {
		for _, hand := range d.Reports {
			data, err := os.ReadFile(filepath.Join(root, "_sources", hand.Source.File))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := sourcedoc.Read(hand.Source.File, data)
			if err != nil {
				t.Fatal(err)
			}
			got, _, _ := importIntoFrom(t, root, hand, doc)
			s := Compare(Figures(hand), Figures(got))
			fmt.Fprintf(&table, "%-50s hand %3d imported %3d right %3d recall %5.1f%% precision %5.1f%% extra %d\n",
				d.ID+"/"+hand.Key(), s.Hand, s.Imported, s.Right, 100*s.Recall(), 100*s.Precision(), len(s.Extra))
			if os.Getenv("V") != "" {
				for _, w := range append(append(s.Missed, s.Extra...), s.Wrong...) {
					fmt.Fprintf(&table, "    %s\n", w)
				}
			}
			if len(s.Wrong) > 0 {
				t.Errorf("%s/%s: placed wrong:\n  %s", d.ID, hand.Key(), strings.Join(s.Wrong, "\n  "))
			}
		}
	}
	t.Log("\n" + table.String())
}
