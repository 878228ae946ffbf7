package build

import (
	"maps"
	"testing"

	"disclose/internal/output"
)

// The records read back are those added, by path, the last added winning;
// adding after reading back goes on where the spool was.
func TestRecordSpoolRoundTrip(t *testing.T) {
	s, err := newRecordSpool(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	batches := []map[string]output.Record{
		{
			"index.html":               {Hash: [32]byte{1}, Size: 12, MTime: 1700000000123456789},
			"reports/甲部门/2024-绩效.html": {Hash: [32]byte{31: 7}, Size: 1 << 40, MTime: -1},
		},
		{},
		{
			"index.html":  {Hash: [32]byte{2}, Size: 0, MTime: 0},
			"data/a.json": {Hash: [32]byte{3, 4}, Size: 99, MTime: 5},
		},
	}
	want := map[string]output.Record{}
	for _, b := range batches {
		s.add(b)
		maps.Copy(want, b)
	}
	got, err := s.records()
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, want) {
		t.Fatalf("read back %v, want %v", got, want)
	}
	more := map[string]output.Record{"sitemap.xml": {Hash: [32]byte{9}, Size: 3, MTime: 4}}
	s.add(more)
	maps.Copy(want, more)
	if got, err = s.records(); err != nil || !maps.Equal(got, want) {
		t.Fatalf("after more were added: %v, %v; want %v", got, err, want)
	}
}
