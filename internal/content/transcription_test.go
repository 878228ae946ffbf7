package content_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"disclose/internal/content"
	"disclose/internal/model"
)

var (
	htmlTag  = regexp.MustCompile(`<[^>]+>|\[bookmark:[^\]]*\]`)
	layout   = regexp.MustCompile("[\\s#*>|`-]")
	sentence = regexp.MustCompile(`[^。；]+[。；]?`)
)

// normalize drops layout (white space, Markdown and HTML markup) so that
// text can be compared however it was wrapped or marked up.
func normalize(s string) string {
	return layout.ReplaceAllString(htmlTag.ReplaceAllString(s, ""), "")
}

// Every sentence of every source document in content/_sources must appear
// word for word in its department's content files, except the lines listed
// in testdata/untranscribed.txt: headings the site prints itself and
// cover-page fields held as structured data (budget code, report date…).
// This is what "a reader of the site learns everything the source says"
// means in a test.
func TestTranscriptionIsComplete(t *testing.T) {
	root := "../../content"
	site, _ := content.Load(os.DirFS(root), "content")
	allowed := map[string]bool{}
	// One list per source family: untranscribed.txt for the five seeds,
	// untranscribed-<department>.txt for each report added later.
	lists, err := filepath.Glob("testdata/untranscribed*.txt")
	if err != nil || len(lists) == 0 {
		t.Fatalf("no untranscribed lists: %v", err)
	}
	for _, list := range lists {
		raw, err := os.ReadFile(list)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "//") {
				allowed[line] = true
			}
		}
	}
	checked := 0
	for _, d := range site.Departments {
		var corpus strings.Builder
		err := filepath.WalkDir(filepath.Join(root, d.ID), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			corpus.Write(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		text := normalize(corpus.String())
		for _, r := range d.Reports {
			if r.Source == nil || r.Source.File == "" {
				t.Errorf("%s %d names no source file", d.ID, r.Year)
				continue
			}
			src, err := os.ReadFile(filepath.Join(root, "_sources", r.Source.File))
			if err != nil {
				t.Errorf("%s %d: %v", d.ID, r.Year, err)
				continue
			}
			checked++
			// Every money figure must be one the source prints: no figure
			// is invented, rounded or "fixed" in transcription.
			flat := strings.NewReplacer(",", "", " ", "", "\u00a0", "").Replace(string(src))
			// Table rows flattened to "90 89.974 89.974" keep the spaces
			// between cells, which flat would run together.
			cellText := strings.NewReplacer(",", "", "\u00a0", " ", "\t", " ").Replace(string(src))
			for _, a := range r.Amounts() {
				lit := strings.NewReplacer(",", "", " ", "").Replace(a.Published)
				lit = strings.TrimSuffix(lit, "万元")
				// As a whole number in the text: "10" must not match inside "110".
				re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(lit) + `($|[^0-9]|\.[^0-9])`)
				if !re.MatchString(flat) && !re.MatchString(cellText) && !(lit == "0" && strings.Contains(flat, "为零")) {
					t.Errorf("%s: amount %q does not appear in %s", a.Pos.File+":"+strconv.Itoa(a.Pos.Line), a.Published, r.Source.File)
				}
			}
			// Stated changes and percentages are figures too: each must be
			// printed by the source, as written.
			for _, lit := range statedFigures(r) {
				l := strings.NewReplacer(",", "", " ", "", "％", "%").Replace(lit.text)
				l = strings.TrimPrefix(strings.TrimPrefix(l, "了"), "+")
				re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(l) + `($|[^0-9]|\.[^0-9])`)
				plain := strings.NewReplacer("％", "%").Replace(flat)
				if !re.MatchString(plain) && !strings.Contains(plain, l) {
					t.Errorf("%s: %q does not appear in %s", lit.where, lit.text, r.Source.File)
				}
			}
			// Table cells (tabs) and HTML paragraphs are separate texts.
			cells := strings.NewReplacer("\t", "\n", "<p>", "\n", "</p>", "\n").Replace(string(src))
			for _, line := range strings.Split(cells, "\n") {
				for _, s := range sentence.FindAllString(normalize(line), -1) {
					if len([]rune(s)) < 2 || strings.Contains(text, s) || allowed[s] {
						continue
					}
					t.Errorf("%s %d: source text missing from content: %s", d.ID, r.Year, s)
				}
			}
		}
	}
	// Every source kept in content/_sources is the source of a report.
	srcs, err := os.ReadDir(filepath.Join(root, "_sources"))
	if err != nil {
		t.Fatal(err)
	}
	if checked < len(srcs) || len(srcs) < 5 {
		t.Errorf("checked %d reports against %d source documents", checked, len(srcs))
	}
}

// statedFigures lists the stated changes (as their number with its unit or
// %, without the direction word, which documents phrase freely), the
// percentages and the table cells of a report.
func statedFigures(r *model.Report) []statedFigure {
	var out []statedFigure
	for _, f := range r.StatedFigures() {
		text := f.Text
		if f.Kind == model.StatedChange {
			if text = deltaNumber(text); text == "" {
				continue
			}
		}
		out = append(out, statedFigure{text, f.Pos.File + ":" + strconv.Itoa(f.Pos.Line)})
	}
	return out
}

type statedFigure struct{ text, where string }

// deltaNumber is a stated change without its direction word: "减少63.96万元"
// gives "63.96万元"; "" for 持平.
func deltaNumber(s string) string {
	i := strings.IndexFunc(s, func(c rune) bool { return c >= '0' && c <= '9' })
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(s[i:])
}
