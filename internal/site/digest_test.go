package site

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	"disclose/internal/gen"
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
	render := func(digests []*Digest) map[string][]byte {
		t.Helper()
		s, err := NewShell(&l.m.Config, Years(l.m), th, Options{PageSize: 3, Downloads: func() (csv, xlsx func(io.Writer) error) { return none, none }})
		if err != nil {
			t.Fatal(err)
		}
		files, err := s.SiteFiles(digests)
		if err != nil {
			t.Fatal(err)
		}
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
	want, got := render(digests), render(decoded)
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
}
