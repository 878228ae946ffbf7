package site

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"reflect"
	"testing"

	"disclose/internal/diag"
	"disclose/internal/gen"
	"disclose/internal/model"
	"disclose/internal/theme"
)

// TestDigestRoundTrip: a digest read back from JSON (as the build's
// department cache keeps it) renders the site-wide files byte for byte as
// the digest it was written from, on a site paginated every way, and its
// Aggregate is the same.
func TestDigestRoundTrip(t *testing.T) {
	l := genTree(t, gen.Options{Departments: 12, Years: 2, Seed: 9})
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	none := func(io.Writer) error { return nil } // the downloads are not made from digests
	var shortfalls []diag.Diagnostic             // of the last render
	render := func(digests []*Digest, cold *ColdStore) map[string][]byte {
		t.Helper()
		s, err := NewShell(&l.m.Config, Years(l.m), th, Options{PageSize: 3, Cold: cold, Downloads: func() (csv, xlsx func(io.Writer) error) { return none, none }})
		if err != nil {
			t.Fatal(err)
		}
		files, err := s.SiteFiles(digests)
		if err != nil {
			t.Fatal(err)
		}
		shortfalls = s.Shortfalls()
		out := map[string][]byte{}
		for _, f := range files {
			var b bytes.Buffer
			if err := f.Write(&b); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			out[f.Path] = b.Bytes()
		}
		return out
	}
	s, err := New(l.m, l.ds, th, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var digests, decoded []*Digest
	for _, d := range l.m.Departments {
		g := s.Digest(d, s.checks.of(d.ID))
		digests = append(digests, g)
		b, err := json.Marshal(g)
		if err != nil {
			t.Fatal(err)
		}
		var back Digest
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back.Aggregate() != g.Aggregate() {
			t.Errorf("%s: the aggregate changed in the round trip", d.ID)
		}
		decoded = append(decoded, &back)
	}
	want := render(digests, nil)
	wantShortfalls := shortfalls
	if len(wantShortfalls) == 0 {
		t.Fatal("the site lacks nothing against its profile: too small to say much")
	}
	got := render(decoded, nil)
	if len(want) < 40 {
		t.Fatalf("%d site-wide files: the site is too small to say much", len(want))
	}
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			t.Errorf("%s differs after the round trip", p)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files after the round trip, %d before", len(got), len(want))
	}

	// Offloaded: the search texts, lines and 公开情况 rows read back from
	// the store give the same files.
	store, err := NewColdStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	for _, g := range decoded {
		if err := g.Offload(store); err != nil {
			t.Fatal(err)
		}
		if g.Compliance != nil || g.Findings != nil || g.Reports[0].SearchText != "" {
			t.Fatal("Offload left the parts in memory")
		}
	}
	// same says where got (and the last render's shortfalls) differ
	// from the digests' own.
	same := func(how string, got map[string][]byte) {
		t.Helper()
		for p, b := range want {
			if !bytes.Equal(got[p], b) {
				t.Errorf("%s differs when the digests %s", p, how)
			}
		}
		if !reflect.DeepEqual(shortfalls, wantShortfalls) {
			t.Errorf("when the digests %s, the shortfalls are %d, want %d", how, len(shortfalls), len(wantShortfalls))
		}
	}
	same("are offloaded", render(decoded, store))

	// Parked whole as a streamed build parks them (Site.DigestJSON) and
	// read back: the same files and shortfalls.
	var parked []Parked
	for _, d := range l.m.Departments {
		b := s.DigestJSON(d, s.checks.of(d.ID))
		if string(b) != s.Digest(d, s.checks.of(d.ID)).Aggregate() {
			t.Errorf("%s: DigestJSON is not the digest's Aggregate", d.ID)
		}
		p, err := store.Park(b)
		if err != nil {
			t.Fatal(err)
		}
		parked = append(parked, p)
	}
	var unparked []*Digest
	for _, p := range parked {
		g, err := store.Unpark(p)
		if err != nil {
			t.Fatal(err)
		}
		unparked = append(unparked, g)
	}
	same("were parked", render(unparked, store))
}

// streamedSite lays out a streamed build's site-wide files over store
// from the digests digestOf gives, offloaded into store when offload is
// set.
func streamedSite(t *testing.T, l loaded, th fs.FS, store *ColdStore, digestOf func(*model.Department) *Digest, offload bool) (*Site, []File) {
	t.Helper()
	none := func(io.Writer) error { return nil }
	s, err := NewShell(&l.m.Config, Years(l.m), th, Options{Cold: store, Downloads: func() (csv, xlsx func(io.Writer) error) { return none, none }})
	if err != nil {
		t.Fatal(err)
	}
	var digests []*Digest
	for _, d := range l.m.Departments {
		g := digestOf(d)
		if offload {
			if err := g.Offload(store); err != nil {
				t.Fatal(err)
			}
		}
		digests = append(digests, g)
	}
	files, err := s.SiteFiles(digests)
	if err != nil {
		t.Fatal(err)
	}
	return s, files
}

// TestColdStoreFailure: a page whose digests' parts cannot be read back
// fails; it is never written with blanks.
func TestColdStoreFailure(t *testing.T) {
	l := genTree(t, gen.Options{Departments: 4, Years: 1, Seed: 2})
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	store, err := NewColdStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	full, err := New(l.m, nil, th, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, files := streamedSite(t, l, th, store, func(d *model.Department) *Digest { return full.Digest(d, nil) }, true)
	store.Close() // reads now fail
	failed := map[string]bool{}
	for _, f := range files {
		if err := f.Write(io.Discard); err != nil {
			failed[f.Path] = true
		}
	}
	for _, p := range []string{"compliance.html", "compare/categories.html", searchYearPath(Years(l.m)[0])} {
		if !failed[p] {
			t.Errorf("%s was written though its digests' parts could not be read", p)
		}
	}
}

// TestShortfallsAfterRelease: a build reads the shortfalls once the
// digests are released; they are those read before.
func TestShortfallsAfterRelease(t *testing.T) {
	l := genTree(t, gen.Options{Departments: 6, Years: 2, Seed: 4})
	th, err := theme.Open("")
	if err != nil {
		t.Fatal(err)
	}
	full, err := New(l.m, l.ds, th, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, offload := range []bool{false, true} {
		store, err := NewColdStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		s, _ := streamedSite(t, l, th, store, func(d *model.Department) *Digest { return full.Digest(d, full.checks.of(d.ID)) }, offload)
		want := s.Shortfalls()
		if len(want) == 0 {
			t.Fatal("the site lacks nothing against its profile: too small to say much")
		}
		s.Release()
		if got := s.Shortfalls(); !reflect.DeepEqual(got, want) {
			t.Errorf("offloaded %v: %d shortfalls after Release, %d before", offload, len(got), len(want))
		}
		store.Close()
	}
}
