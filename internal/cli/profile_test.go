package cli

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestBuildProfiles: --cpuprofile and --memprofile write profiles that go
// tool pprof reads (gzip-compressed protocol buffers).
func TestBuildProfiles(t *testing.T) {
	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	var out, errOut bytes.Buffer
	args := []string{"build", "--quiet", "--content", seedContent(t), "--out", filepath.Join(dir, "public"), "--cpuprofile", cpu, "--memprofile", mem}
	if code := runCLI(args, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	for _, p := range []string{cpu, mem} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		b, err := io.ReadAll(zr)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", filepath.Base(p))
		}
		// The heap profile names the build's own functions among the
		// holders of memory.
		if p == mem && !bytes.Contains(b, []byte("disclose/internal/")) {
			t.Errorf("%s names none of the build's functions", filepath.Base(p))
		}
	}
}
