package opendata

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/model"
)

// genYears loads what disclose gen makes for departments departments over
// years years, so that a part holds several reports.
func genYears(tb testing.TB, departments, years int) *model.Site {
	tb.Helper()
	return genLoaded(tb, gen.Options{Departments: departments, Years: years, Seed: 7})
}

// contentSite loads the whole content tree of the repository, every kind
// of document, with the departments that load.
func contentSite(tb testing.TB) *model.Site {
	tb.Helper()
	site, _ := content.Load(os.DirFS("../../content"), "content")
	if site == nil || len(site.Departments) < 10 {
		tb.Fatalf("content/ loads %v", site)
	}
	return site
}

// partSites are the sites whose downloads the parts must write byte for
// byte as the oracle does. rows, when set, is where a sheet goes on in
// another.
func partSites() []struct {
	name string
	site func(t *testing.T) *model.Site
	rows int
} {
	return []struct {
		name string
		site func(t *testing.T) *model.Site
		rows int
	}{
		{"seeds", func(t *testing.T) *model.Site { return seedSite(t) }, 0},
		{"content", func(t *testing.T) *model.Site { return contentSite(t) }, 0},
		{"content-continued", func(t *testing.T) *model.Site { return contentSite(t) }, 97},
		{"kinds", func(t *testing.T) *model.Site {
			return &model.Site{Config: model.SiteConfig{Title: "某县"}, Departments: []*model.Department{kindsDepartment(t)}}
		}, 0},
		{"hostile", func(*testing.T) *model.Site { return hostileSite(hostileBstr) }, 0},
		{"formula", func(*testing.T) *model.Site { return formulaSite("=1+2") }, 0},
		{"empty", func(*testing.T) *model.Site { return &model.Site{} }, 0},
		{"no-reports", func(*testing.T) *model.Site {
			return &model.Site{Departments: []*model.Department{{ID: "a"}, {ID: "b", Name: "乙"}}}
		}, 0},
		{"generated", func(t *testing.T) *model.Site { return genYears(t, 100, 3) }, 0},
		// Every sheet of 300 generated reports but the notes goes on in
		// others, some of them more than once.
		{"generated-continued", func(t *testing.T) *model.Site { return genYears(t, 100, 3) }, 250},
	}
}

// writeAll is one way of writing a site's all.csv and all.xlsx.
type writeAll struct {
	name string
	csv  func(t *testing.T, w io.Writer, s *model.Site) error
	xlsx func(t *testing.T, w io.Writer, s *model.Site) error
}

func partWriters() []writeAll {
	return []writeAll{
		{"site",
			func(_ *testing.T, w io.Writer, s *model.Site) error { return WriteAllCSV(w, s) },
			func(_ *testing.T, w io.Writer, s *model.Site) error { return WriteAllXLSX(w, s) }},
		// Parts encoded, decoded and held in memory.
		{"parts",
			func(t *testing.T, w io.Writer, s *model.Site) error { return WriteAllCSVParts(w, decodedParts(t, s)) },
			func(t *testing.T, w io.Writer, s *model.Site) error {
				return WriteAllXLSXParts(w, s.Config.Title, decodedParts(t, s))
			}},
		// Parts put in a spool from several goroutines in random order.
		{"spool",
			func(t *testing.T, w io.Writer, s *model.Site) error { return WriteAllCSVParts(w, spoolOf(t, s)) },
			func(t *testing.T, w io.Writer, s *model.Site) error {
				return WriteAllXLSXParts(w, s.Config.Title, spoolOf(t, s))
			}},
		// A source of the caller's own, which the writers read through
		// Part.
		{"source",
			func(t *testing.T, w io.Writer, s *model.Site) error {
				return WriteAllCSVParts(w, ownSource{spoolOf(t, s)})
			},
			func(t *testing.T, w io.Writer, s *model.Site) error {
				return WriteAllXLSXParts(w, s.Config.Title, ownSource{spoolOf(t, s)})
			}},
	}
}

// ownSource hides the spool's own way of reading a section.
type ownSource struct{ sp *Spool }

func (o ownSource) Len() int                  { return o.sp.Len() }
func (o ownSource) Part(i int) (*Part, error) { return o.sp.Part(i) }

func decodedParts(t *testing.T, s *model.Site) Parts {
	t.Helper()
	var ps Parts
	for _, d := range s.Departments {
		b, err := PartOf(d).MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		p := new(Part)
		if err := p.UnmarshalBinary(b); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	return ps
}

func spoolOf(t *testing.T, s *model.Site) *Spool {
	t.Helper()
	sp, err := NewSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := sp.Close(); err != nil {
			t.Error(err)
		}
	})
	order := rand.Perm(len(s.Departments))
	var wg sync.WaitGroup
	errs := make([]error, len(order))
	for g := range 4 {
		wg.Go(func() {
			for k := g; k < len(order); k += 4 {
				i := order[k]
				errs[i] = sp.Put(i, PartOf(s.Departments[i]))
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return sp
}

// TestPartsMatchOracle proves that all.csv and all.xlsx written from parts,
// however they are kept, are byte for byte what the writers on the whole
// model wrote before parts (oracle_test.go).
func TestPartsMatchOracle(t *testing.T) {
	for _, tt := range partSites() {
		t.Run(tt.name, func(t *testing.T) {
			if tt.rows > 0 {
				defer func(n int) { sheetRows = n }(sheetRows)
				sheetRows = tt.rows
			}
			site := tt.site(t)
			var wantCSV, wantXLSX bytes.Buffer
			if err := oracleWriteAllCSV(&wantCSV, site); err != nil {
				t.Fatal(err)
			}
			if err := oracleWriteAllXLSX(&wantXLSX, site); err != nil {
				t.Fatal(err)
			}
			if _, entries := zipEntries(t, wantXLSX.Bytes()); tt.rows > 0 && !bytes.Contains(entries["xl/workbook.xml"], []byte("（续3）")) {
				t.Fatal("no sheet goes on in a third one; the test wants that")
			}
			for _, w := range partWriters() {
				t.Run(w.name, func(t *testing.T) {
					var csv, xlsx bytes.Buffer
					if err := w.csv(t, &csv, site); err != nil {
						t.Fatal(err)
					}
					if err := w.xlsx(t, &xlsx, site); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(csv.Bytes(), wantCSV.Bytes()) {
						t.Errorf("all.csv differs: %d bytes, oracle %d", csv.Len(), wantCSV.Len())
					}
					if !bytes.Equal(xlsx.Bytes(), wantXLSX.Bytes()) {
						t.Errorf("all.xlsx differs: %d bytes, oracle %d", xlsx.Len(), wantXLSX.Len())
						if testing.Verbose() {
							t.Logf("got:\n%s\noracle:\n%s", dumpXLSX(t, xlsx.Bytes()), dumpXLSX(t, wantXLSX.Bytes()))
						}
					}
				})
			}
		})
	}
}

// A part decoded from its encoding encodes to the same bytes, and its
// sheets decode to the cells they were made of.
func TestPartRoundTrip(t *testing.T) {
	for _, site := range []*model.Site{seedSite(t), contentSite(t), hostileSite(hostileBstr), genYears(t, 20, 3)} {
		for _, d := range site.Departments {
			p := PartOf(d)
			b, err := p.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var q Part
			if err := q.UnmarshalBinary(b); err != nil {
				t.Fatalf("%s: %v", d.ID, err)
			}
			again, _ := q.AppendBinary([]byte("x"))
			if !bytes.Equal(again[1:], b) || q.head != p.head || q.off != p.off || q.Size() != len(b) {
				t.Fatalf("%s: the part decoded differs", d.ID)
			}
			var enc encoder
			for s := range numSections {
				want := sectionCells(t, d, s)
				var got [][]cell
				var dec sheetDecoder
				if err := dec.rows(q.section(s), s, func(c []cell) { got = append(got, append([]cell(nil), c...)) }, nil); err != nil {
					t.Fatalf("%s %s: %v", d.ID, s, err)
				}
				if len(got) != len(want) {
					t.Fatalf("%s %s: %d rows decoded, %d made", d.ID, s, len(got), len(want))
				}
				for i := range want {
					if !sameCells(got[i], want[i]) {
						t.Fatalf("%s %s row %d:\ngot  %v\nwant %v", d.ID, s, i, got[i], want[i])
					}
				}
				if e := enc.appendSection(nil, d, s); !bytes.Equal(e, q.section(s)) {
					t.Fatalf("%s %s: an encoder used before encodes differently", d.ID, s)
				}
			}
		}
	}
}

// sectionCells are the rows of sheet section s of d as the sheet's row
// functions make them, before any encoding.
func sectionCells(t *testing.T, d *model.Department, s sectionID) [][]cell {
	t.Helper()
	var out [][]cell
	emit := func(c []cell) { out = append(out, append([]cell(nil), c...)) }
	var buf []cell
	var dc detailCells
	for _, r := range d.Reports {
		switch s {
		case secSummary:
			emit(summaryRow(nil, r))
		case secDetail:
			eachRow(r, func(w row) { emit(dc.fill(w)) })
		case secIndicators:
			buf = indicatorRows(buf, r, emit)
		case secProjects:
			buf = projectRows(buf, r, emit)
		case secFinal, secBudget:
			if r.Accounts != nil && accountsSection(r) == s {
				buf = accountsRows(buf, r, emit)
			}
		case secThree:
			buf = threeRows(buf, r, emit)
		case secEval:
			buf = evalRows(buf, r, emit)
		default:
			t.Fatalf("section %s", s)
		}
	}
	return out
}

// sameCells compares cells as the workbook writes them: an empty text is
// an empty cell.
func sameCells(a, b []cell) bool {
	if len(a) != len(b) {
		return false
	}
	norm := func(c cell) cell {
		if c.kind == cellText && c.text == "" {
			c.kind = cellEmpty
		}
		return c
	}
	for i := range a {
		if norm(a[i]) != norm(b[i]) {
			return false
		}
	}
	return true
}

func TestPartUnmarshalRefuses(t *testing.T) {
	good, _ := PartOf(kindsDepartment(t)).MarshalBinary()
	tests := map[string][]byte{
		"empty":         nil,
		"other version": append([]byte{partVersion + 1}, good[1:]...),
		"truncated":     good[:len(good)-1],
		"longer":        append(append([]byte(nil), good...), 0),
		"header only":   good[:3],
		"bad kinds":     {partVersion, 0, 0xff},
	}
	// A string index beyond the strings seen: the summary's first cell
	// claims to be a string seen before.
	p := PartOf(kindsDepartment(t))
	bad := append([]byte(nil), good...)
	sum := p.off[secSummary]
	if bad[sum+1] != byte(cellText) {
		t.Fatalf("the summary starts with tag %#x", bad[sum+1])
	}
	bad[sum+1] |= tagSeen
	tests["unseen string"] = bad
	for name, b := range tests {
		var q Part
		if err := q.UnmarshalBinary(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
}

func TestSpool(t *testing.T) {
	dir := t.TempDir()
	sp, err := NewSpool(dir)
	if err != nil {
		t.Fatal(err)
	}
	site := seedSite(t)
	for i, d := range site.Departments {
		if i == 1 {
			continue
		}
		if err := sp.Put(i, PartOf(d)); err != nil {
			t.Fatal(err)
		}
	}
	if err := sp.Put(0, PartOf(site.Departments[0])); err == nil {
		t.Error("a part put twice")
	}
	if err := sp.Put(-1, PartOf(site.Departments[0])); err == nil {
		t.Error("part -1 put")
	}
	if sp.Len() != len(site.Departments) {
		t.Errorf("Len = %d, want %d", sp.Len(), len(site.Departments))
	}
	if _, err := sp.Part(1); err == nil {
		t.Error("part 1 read before it was put")
	}
	if err := WriteAllCSVParts(io.Discard, sp); err == nil {
		t.Error("all.csv written without part 1")
	}
	if err := WriteAllXLSXParts(io.Discard, "", sp); err == nil {
		t.Error("all.xlsx written without part 1")
	}
	if err := sp.Put(1, PartOf(site.Departments[1])); err != nil {
		t.Fatal(err)
	}
	var size int64
	for i, d := range site.Departments {
		p, err := sp.Part(i)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := PartOf(d).MarshalBinary()
		got, _ := p.MarshalBinary()
		if !bytes.Equal(got, want) || p.head != PartOf(d).head || p.off != PartOf(d).off {
			t.Errorf("part %d read back differs", i)
		}
		size += int64(len(want))
	}
	if sp.Size() != size {
		t.Errorf("Size = %d, want %d", sp.Size(), size)
	}
	// The workbook's sheets wait in a file beside the spool's, which
	// goes once the workbook is written.
	if err := WriteAllXLSXParts(io.Discard, "", sp); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 {
		t.Fatalf("files in the spool's directory: %v", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Size() != size {
		t.Errorf("the spool's file: %v, %v", fi, err)
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Errorf("Close left %v", files)
	}
}

// all.csv and all.xlsx can be written from one spool at once.
func TestSpoolWritersAtOnce(t *testing.T) {
	site := contentSite(t)
	sp := spoolOf(t, site)
	var wantCSV, wantXLSX, csv, xlsx bytes.Buffer
	if err := WriteAllCSV(&wantCSV, site); err != nil {
		t.Fatal(err)
	}
	if err := WriteAllXLSX(&wantXLSX, site); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var errCSV, errXLSX error
	wg.Go(func() { errCSV = WriteAllCSVParts(&csv, sp) })
	wg.Go(func() { errXLSX = WriteAllXLSXParts(&xlsx, site.Config.Title, sp) })
	wg.Wait()
	if err := errors.Join(errCSV, errXLSX); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(csv.Bytes(), wantCSV.Bytes()) || !bytes.Equal(xlsx.Bytes(), wantXLSX.Bytes()) {
		t.Error("the files written at once differ")
	}
}

// A source's error reaches the caller with the part it came from.
func TestPartSourceError(t *testing.T) {
	boom := errors.New("boom")
	src := failingSource{parts: decodedParts(t, seedSite(t)), fail: 3, err: boom}
	for name, err := range map[string]error{
		"csv":  WriteAllCSVParts(io.Discard, src),
		"xlsx": WriteAllXLSXParts(io.Discard, "", src),
	} {
		if !errors.Is(err, boom) || !bytes.Contains([]byte(err.Error()), []byte("part 3")) {
			t.Errorf("%s: %v", name, err)
		}
	}
	src.err = nil
	if err := WriteAllXLSXParts(io.Discard, "", src); err == nil {
		t.Error("a nil part written")
	}
}

type failingSource struct {
	parts Parts
	fail  int
	err   error
}

func (f failingSource) Len() int { return len(f.parts) }

func (f failingSource) Part(i int) (*Part, error) {
	if i == f.fail {
		return nil, f.err
	}
	return f.parts[i], nil
}

// FuzzPartUnmarshal: whatever the bytes, decoding a part does not panic;
// a part it accepts encodes to the same bytes, its rows fit their sheets
// (the workbook's writer relies on that), and all.csv can be written.
// Writing a workbook costs too much for a fuzzer: TestPartMutations does.
func FuzzPartUnmarshal(f *testing.F) {
	for _, b := range seedParts(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Part
		if err := p.UnmarshalBinary(b); err != nil {
			return
		}
		if again, _ := p.MarshalBinary(); !bytes.Equal(again, b) {
			t.Fatal("a part encodes to other bytes than it was decoded from")
		}
		var dec sheetDecoder
		for s := range numSections {
			err := dec.rows(p.section(s), s, func(c []cell) {
				if len(c) > len(sections[s].cols) {
					t.Fatalf("%s: a row of %d cells", s, len(c))
				}
			}, nil)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
		if err := WriteAllCSVParts(io.Discard, Parts{&p, &p}); err != nil {
			t.Fatal(err)
		}
	})
}

// seedParts are the encoded parts of the seeds and of the departments
// whose texts a writer must escape or guard.
func seedParts(tb testing.TB) [][]byte {
	var out [][]byte
	for _, d := range seedSite(tb).Departments {
		b, _ := PartOf(d).MarshalBinary()
		out = append(out, b)
	}
	for _, s := range []*model.Site{hostileSite(hostileBstr), formulaSite("-x")} {
		b, _ := PartOf(s.Departments[0]).MarshalBinary()
		out = append(out, b)
	}
	return out
}

// A part changed at random is refused, or it writes both files: it never
// makes a writer panic or fail.
func TestPartMutations(t *testing.T) {
	seeds := seedParts(t)
	rng := rand.New(rand.NewPCG(1, 2))
	accepted := 0
	for range 300 {
		b := bytes.Clone(seeds[rng.IntN(len(seeds))])
		for range 1 + rng.IntN(4) {
			b[rng.IntN(len(b))] = byte(rng.Uint32())
		}
		var p Part
		if p.UnmarshalBinary(b) != nil {
			continue
		}
		accepted++
		if err := WriteAllCSVParts(io.Discard, Parts{&p, &p}); err != nil {
			t.Fatal(err)
		}
		if err := WriteAllXLSXParts(io.Discard, "t", Parts{&p, &p}); err != nil {
			t.Fatal(err)
		}
	}
	if accepted < 20 {
		t.Errorf("only %d of the changed parts decode; the test wants more", accepted)
	}
	t.Logf("%d changed parts decode", accepted)
}

// The downloads of 1,000 generated reports (all.csv and all.xlsx) four
// ways: by the writers before parts (the oracle); from the model through
// parts; as a streaming build makes them, each department's part put in a
// spool (from one goroutine here) and both files written from it; and the
// writing alone, from a spool filled beforehand, which is what is left to
// do once every department is loaded. spool-bytes is the size of the
// spool's file.
func BenchmarkDownloads(b *testing.B) {
	site := genSite(b, 1000)
	full, err := NewSpool(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer full.Close()
	for i, d := range site.Departments {
		if err := full.Put(i, PartOf(d)); err != nil {
			b.Fatal(err)
		}
	}
	for _, bb := range []struct {
		name string
		run  func(b *testing.B) int64
	}{
		{"oracle", func(b *testing.B) int64 {
			var w countingWriter
			if err := oracleWriteAllCSV(&w, site); err != nil {
				b.Fatal(err)
			}
			if err := oracleWriteAllXLSX(&w, site); err != nil {
				b.Fatal(err)
			}
			return 0
		}},
		{"site", func(b *testing.B) int64 {
			var w countingWriter
			if err := WriteAllCSV(&w, site); err != nil {
				b.Fatal(err)
			}
			if err := WriteAllXLSX(&w, site); err != nil {
				b.Fatal(err)
			}
			return 0
		}},
		{"spool", func(b *testing.B) int64 {
			sp, err := NewSpool(b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer sp.Close()
			for i, d := range site.Departments {
				if err := sp.Put(i, PartOf(d)); err != nil {
					b.Fatal(err)
				}
			}
			var w countingWriter
			if err := WriteAllCSVParts(&w, sp); err != nil {
				b.Fatal(err)
			}
			if err := WriteAllXLSXParts(&w, site.Config.Title, sp); err != nil {
				b.Fatal(err)
			}
			return sp.Size()
		}},
		{"write", func(b *testing.B) int64 {
			var w countingWriter
			if err := WriteAllCSVParts(&w, full); err != nil {
				b.Fatal(err)
			}
			if err := WriteAllXLSXParts(&w, site.Config.Title, full); err != nil {
				b.Fatal(err)
			}
			return full.Size()
		}},
	} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			var spool int64
			start := cpuTime()
			for b.Loop() {
				spool = bb.run(b)
			}
			if cpu := cpuTime() - start; cpu > 0 {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
			}
			if spool > 0 {
				b.ReportMetric(float64(spool), "spool-bytes")
			}
		})
	}
}

// BenchmarkPartOf works out the parts of 1,000 generated reports: what a
// streaming build adds for each department it loads.
func BenchmarkPartOf(b *testing.B) {
	site := genSite(b, 1000)
	b.ReportAllocs()
	var size int
	for b.Loop() {
		size = 0
		for _, d := range site.Departments {
			size += PartOf(d).Size()
		}
	}
	b.ReportMetric(float64(size), "part-bytes")
}

// BenchmarkSpoolWrite writes all.csv and all.xlsx of 10,000 generated
// reports from a spool, as a streaming build does once every department
// is loaded: each department was loaded, its part put in the spool and
// its model dropped before the benchmark starts. peak-heap-bytes is the
// most the heap grew while writing (sampled), spool-bytes the spool's
// size.
func BenchmarkSpoolWrite(b *testing.B) {
	const departments = 10000
	files, err := gen.Files(gen.Options{Departments: departments, Years: 1, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	fsys := fstest.MapFS{}
	dirs := map[string]bool{}
	for p, data := range files {
		fsys[p] = &fstest.MapFile{Data: data}
		if dir, _, ok := strings.Cut(p, "/"); ok && !strings.HasPrefix(dir, "_") {
			dirs[dir] = true
		}
	}
	files = nil
	cfg, _ := content.LoadSite(fsys, "gen")
	sp, err := NewSpool(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer sp.Close()
	for i, dir := range slices.Sorted(maps.Keys(dirs)) {
		d, ds := content.LoadDepartment(fsys, "gen", dir)
		for _, x := range ds {
			if x.Severity == diag.Error {
				b.Fatalf("%s: %s", x.Location(), x.Message(diag.En))
			}
		}
		if err := sp.Put(i, PartOf(d)); err != nil {
			b.Fatal(err)
		}
	}
	if sp.Len() != departments {
		b.Fatalf("%d parts", sp.Len())
	}
	fsys = nil
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	peak := base
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
			}
		}
	}()
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for b.Loop() {
		var w countingWriter
		if err := WriteAllCSVParts(&w, sp); err != nil {
			b.Fatal(err)
		}
		if err := WriteAllXLSXParts(&w, cfg.Title, sp); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - start
	close(stop)
	<-sampled
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
	b.ReportMetric(float64(sp.Size()), "spool-bytes")
	b.ReportMetric(float64(peak-base), "peak-heap-bytes")
}
