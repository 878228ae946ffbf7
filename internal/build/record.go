package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"

	"disclose/internal/compliance"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/output"
)

// The build record lets a build with nothing changed end before anything is
// decoded. The manifest alone cannot: its keys cover what the loader read
// and what the checker found, so they are known only after loading and
// checking everything (9 to 11 s at 10,000 reports). The record keys the
// inputs by their bytes instead (content.TreeKeys, the program, the user
// theme, the compliance profiles, the options that shape pages) and keeps
// what the build reported: its diagnostics and shortfalls, which a command
// must show again as if it had checked. It pairs with one manifest (by its
// hash), whose file records say whether the output is still as written.
//
// It lives beside the manifest (public/ has .public.disclose-record).
const (
	recordSuffix  = ".disclose-record"
	recordVersion = 1
)

func recordPath(out string) string { return output.Beside(out, recordSuffix) }

type record struct {
	Version         int
	Key             string
	Manifest        string // sha256 of the manifest file the build wrote
	Files           int
	RelativeSitemap bool
	Diagnostics     []diag.Diagnostic
	Shortfalls      []diag.Diagnostic
}

// inputKey identifies everything a build's output follows from, or fails
// when that cannot be known (the program cannot read itself, a file cannot
// be read: the build then takes the long way, which reports the problem).
// Content files whose stat is as in known are not read again; it returns
// the content's keys, whose Files are the hashes to know next time.
func inputKey(ctx context.Context, o Options, known content.FileHashes) ([32]byte, content.Keys, error) {
	var key [32]byte
	program := programHash()
	if program == nil {
		return key, content.Keys{}, fmt.Errorf("the program cannot read itself")
	}
	theme, err := themeHash(o.Theme)
	if err != nil {
		return key, content.Keys{}, err
	}
	profiles, err := themeHash(compliance.Dir(o.Content))
	if err != nil && !os.IsNotExist(err) {
		return key, content.Keys{}, err
	}
	dir, err := content.OpenDir(o.Content)
	if err != nil {
		return key, content.Keys{}, err
	}
	defer dir.Close()
	tree, err := content.TreeKeys(ctx, dir, known)
	if err != nil {
		return key, content.Keys{}, err
	}
	h := sha256.New()
	// The content directory's name is in every diagnostic's position.
	fmt.Fprintf(h, "record %d\n%x\n%x\n%x\n%q\n%q\npage size %d\n%x\n", recordVersion, program, theme, profiles,
		contentRootName(o), o.BaseURL, o.PageSize, tree.Site)
	for _, d := range slices.Sorted(maps.Keys(tree.Depts)) {
		fmt.Fprintf(h, "%s %x\n", d, tree.Depts[d])
	}
	h.Sum(key[:0])
	return key, tree, nil
}

// The content's file hashes are kept beside the record
// (.public.disclose-hashes), each with the stat it was taken under, so
// that a build reads only the files whose stat changed: at 10,000 reports
// the content is 385 MB in 72,000 files, and reading it all takes longer
// than the rest of a build with nothing changed.
const hashesSuffix = ".disclose-hashes"

func hashesPath(out string) string { return output.Beside(out, hashesSuffix) }

// readHashes gives the hashes kept beside out; anything unreadable is
// simply not known, and read again.
func readHashes(out string) content.FileHashes {
	b, err := os.ReadFile(hashesPath(out))
	if err != nil {
		return nil
	}
	known := content.FileHashes{}
	for line := range strings.SplitSeq(string(b), "\n") {
		fields, p, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		var fh content.FileHash
		// By hand rather than fmt.Sscanf, which took a third of a build
		// with nothing changed at 72,000 files.
		f := strings.Fields(fields)
		if len(f) != 5 || !decodeHash(f[0], &fh.Sum) {
			continue
		}
		var err [4]error
		fh.Stat.Size, err[0] = strconv.ParseInt(f[1], 10, 64)
		fh.Stat.MTime, err[1] = strconv.ParseInt(f[2], 10, 64)
		fh.Stat.CTime, err[2] = strconv.ParseInt(f[3], 10, 64)
		fh.Stat.Ino, err[3] = strconv.ParseUint(f[4], 10, 64)
		if err != [4]error{} {
			continue
		}
		known[p] = fh
	}
	return known
}

// writeHashes keeps files beside out, unless they are what is kept.
func writeHashes(out string, known, files content.FileHashes) {
	if files == nil || maps.Equal(known, files) {
		return
	}
	var b strings.Builder
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if !output.Recordable(p) {
			continue
		}
		fh := files[p]
		fmt.Fprintf(&b, "%x %d %d %d %d\t%s\n", fh.Sum, fh.Stat.Size, fh.Stat.MTime, fh.Stat.CTime, fh.Stat.Ino, p)
	}
	file := hashesPath(out)
	tmp := file + ".tmp"
	if os.WriteFile(tmp, []byte(b.String()), 0o644) != nil || os.Rename(tmp, file) != nil {
		os.Remove(tmp)
	}
}

// saveRecord records a successful build whose inputs had key before and
// after it ran. Without a manifest there is nothing to pair it with, and
// any old record goes.
func saveRecord(o Options, key [32]byte, res Result) {
	file := recordPath(o.Out)
	m, err := os.ReadFile(output.ManifestPath(o.Out))
	if err != nil {
		os.Remove(file)
		return
	}
	sum := sha256.Sum256(m)
	b, err := json.Marshal(record{
		Version: recordVersion, Key: hex.EncodeToString(key[:]), Manifest: hex.EncodeToString(sum[:]),
		Files: res.Files, RelativeSitemap: res.RelativeSitemap, Diagnostics: res.Diagnostics, Shortfalls: res.Shortfalls,
	})
	if err != nil {
		os.Remove(file)
		return
	}
	tmp := file + ".tmp"
	if os.WriteFile(tmp, b, 0o644) != nil || os.Rename(tmp, file) != nil {
		os.Remove(tmp)
		os.Remove(file)
	}
}

// upToDate gives the previous build's result when its record has key and
// the output is still exactly what it wrote: every file its manifest lists
// has its recorded size and modification time, and nothing else is there.
// It also gives the manifest's record of every file.
func upToDate(ctx context.Context, o Options, key [32]byte) (Result, map[string]output.Record, bool) {
	b, err := os.ReadFile(recordPath(o.Out))
	if err != nil {
		return Result{}, nil, false
	}
	var r record
	if json.Unmarshal(b, &r) != nil || r.Version != recordVersion || r.Key != hex.EncodeToString(key[:]) {
		return Result{}, nil, false
	}
	unlock, err := output.Lock(ctx, o.Out, outputOptions(o))
	if err != nil {
		return Result{}, nil, false
	}
	defer unlock()
	mb, err := os.ReadFile(output.ManifestPath(o.Out))
	if err != nil {
		return Result{}, nil, false
	}
	if sum := sha256.Sum256(mb); r.Manifest != hex.EncodeToString(sum[:]) {
		return Result{}, nil, false
	}
	m, err := parseManifest(mb)
	if err != nil || len(m.files) != r.Files || !outputAsRecorded(o.Out, m.files) {
		return Result{}, nil, false
	}
	return Result{
		Diagnostics: r.Diagnostics, Files: r.Files, Reused: r.Files,
		RelativeSitemap: r.RelativeSitemap, Shortfalls: r.Shortfalls, UpToDate: true,
	}, m.files, true
}

// outputAsRecorded walks out and says whether it holds exactly the files
// recorded (and the marker), each with its recorded size and time.
func outputAsRecorded(out string, files map[string]output.Record) bool {
	dirs := map[string]bool{}
	for p := range files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	seen := 0
	root := os.DirFS(out)
	err := fs.WalkDir(root, ".", func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == ".":
			return nil
		case e.IsDir():
			if !dirs[p] {
				return fs.ErrExist
			}
			return nil
		case p == marker:
			return nil
		}
		rec, ok := files[p]
		if !ok || !e.Type().IsRegular() {
			return fs.ErrExist
		}
		st, err := e.Info()
		if err != nil || st.Size() != rec.Size || st.ModTime().UnixNano() != rec.MTime {
			return fs.ErrExist
		}
		seen++
		return nil
	})
	return err == nil && seen == len(files)
}
