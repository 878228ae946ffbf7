package build

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path"
	"reflect"
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
//
// It is read by every build, so it is kept in a compact binary form (a
// JSON record of 10,000 reports' 30,000 findings took a tenth of a second
// to decode), and holds the manifest's file records too, so that the
// manifest need not be parsed: its hash still pairs the two.
const (
	recordSuffix = ".disclose-record"
	recordMagic  = "disclose-record 2\n"
)

func recordPath(out string) string { return output.Beside(out, recordSuffix) }

type record struct {
	Key             [32]byte
	Manifest        [32]byte // sha256 of the manifest file the build wrote
	RelativeSitemap bool
	Files           map[string]output.Record // the manifest's
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
	// The program's own hash (36 MB read) is taken while the content's
	// tree is walked.
	programDone := make(chan []byte, 1)
	go func() { programDone <- programHash() }()
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
	program := <-programDone
	if program == nil {
		return key, content.Keys{}, fmt.Errorf("the program cannot read itself")
	}
	h := sha256.New()
	// The content directory's name is in every diagnostic's position.
	fmt.Fprintf(h, "%s%x\n%x\n%x\n%q\n%q\npage size %d\n%x\n", recordMagic, program, theme, profiles,
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
// than the rest of a build with nothing changed. One line a file, so that
// a damaged line costs only reading its file again.
const hashesSuffix = ".disclose-hashes"

func hashesPath(out string) string { return output.Beside(out, hashesSuffix) }

// readHashes gives the hashes kept beside out; anything unreadable is
// simply not known, and read again.
func readHashes(out string) content.FileHashes { return readHashesFile(hashesPath(out)) }

func readHashesFile(file string) content.FileHashes {
	// Mapped rather than read: 12 MB at 10,000 reports, where only the
	// paths need copies.
	b, release, err := mapFile(file)
	if err != nil {
		return nil
	}
	defer release()
	known := make(content.FileHashes, bytes.Count(b, []byte{'\n'}))
	for len(b) > 0 {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		// By hand rather than with fmt.Sscanf or strings.Fields, which
		// took a third of a build with nothing changed at 72,000 files.
		if p, fh, ok := parseHashLine(line); ok {
			known[p] = fh
		}
	}
	return known
}

// readString reads a file into a string, without the copy that
// string(os.ReadFile(file)) makes: megabytes here, each page of which costs
// a fault.
func readString(file string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var sb strings.Builder
	if st, err := f.Stat(); err == nil {
		sb.Grow(int(st.Size()))
	}
	// Hidden from io.Copy, the file's WriteTo would read it 32 KB at a
	// time: a system call each.
	_, err = io.CopyBuffer(&sb, struct{ io.Reader }{f}, make([]byte, 256<<10))
	return sb.String(), err
}

// parseHashLine reads "sum size mtime ctime ino\tpath".
func parseHashLine(line []byte) (string, content.FileHash, bool) {
	var fh content.FileHash
	fields, p, ok := bytes.Cut(line, []byte{'\t'})
	if !ok || len(fields) < 2*len(fh.Sum)+1 || fields[2*len(fh.Sum)] != ' ' {
		return "", fh, false
	}
	if _, err := hex.Decode(fh.Sum[:], fields[:2*len(fh.Sum)]); err != nil {
		return "", fh, false
	}
	rest := fields[2*len(fh.Sum)+1:]
	var n [4]uint64
	for i := range n {
		j := 0
		for ; j < len(rest) && rest[j] >= '0' && rest[j] <= '9'; j++ {
			if n[i] > (math.MaxUint64-9)/10 {
				return "", fh, false
			}
			n[i] = n[i]*10 + uint64(rest[j]-'0')
		}
		if j == 0 {
			return "", fh, false
		}
		rest = rest[j:]
		if i < len(n)-1 {
			if len(rest) == 0 || rest[0] != ' ' {
				return "", fh, false
			}
			rest = rest[1:]
		}
	}
	if len(rest) != 0 || n[0] > math.MaxInt64 || n[1] > math.MaxInt64 || n[2] > math.MaxInt64 {
		return "", fh, false
	}
	fh.Stat = content.FileStat{Size: int64(n[0]), MTime: int64(n[1]), CTime: int64(n[2]), Ino: n[3]}
	return string(p), fh, true
}

// writeHashes keeps files beside out, unless they are what is kept.
// TreeKeys gives back the very map it was given when nothing changed,
// which spares comparing every entry.
func writeHashes(out string, known, files content.FileHashes) {
	writeHashesFile(hashesPath(out), known, files)
}

// pendingHashesPath is where a first build keeps the content's hashes until
// the output is its own.
func pendingHashesPath(out string) string { return hashesPath(out) + ".pending" }

func writeHashesFile(file string, known, files content.FileHashes) error {
	if files == nil || reflect.ValueOf(files).Pointer() == reflect.ValueOf(known).Pointer() || maps.Equal(known, files) {
		return nil
	}
	tmp := file + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	// Line by line through a buffer: the whole file is 35 MB at 30,000
	// reports, at the moment the hashes themselves are all held.
	w := bufio.NewWriterSize(f, 64<<10)
	var b []byte
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if !output.Recordable(p) {
			continue
		}
		fh := files[p]
		b = hex.AppendEncode(b[:0], fh.Sum[:])
		for _, n := range []int64{fh.Stat.Size, fh.Stat.MTime, fh.Stat.CTime} {
			b = strconv.AppendInt(append(b, ' '), n, 10)
		}
		b = strconv.AppendUint(append(b, ' '), fh.Stat.Ino, 10)
		b = append(append(append(b, '\t'), p...), '\n')
		w.Write(b)
	}
	err = w.Flush()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, file)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// saveRecord records a successful build whose inputs had key before and
// after it ran. Without a manifest there is nothing to pair it with, and
// any old record goes.
func saveRecord(o Options, key [32]byte, res Result) {
	file := recordPath(o.Out)
	mb, err := os.ReadFile(output.ManifestPath(o.Out))
	if err != nil {
		os.Remove(file)
		return
	}
	m, err := parseManifest(mb)
	if err != nil || len(m.files) != res.Files {
		os.Remove(file)
		return
	}
	b := marshalRecord(record{
		Key: key, Manifest: sha256.Sum256(mb), RelativeSitemap: res.RelativeSitemap,
		Files: m.files, Diagnostics: res.Diagnostics, Shortfalls: res.Shortfalls,
	})
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
	b, err := readString(recordPath(o.Out))
	if err != nil {
		return Result{}, nil, false
	}
	r, ok := unmarshalRecord(b, key)
	if !ok {
		return Result{}, nil, false
	}
	unlock, err := output.Lock(ctx, o.Out, outputOptions(o))
	if err != nil {
		return Result{}, nil, false
	}
	defer unlock()
	mb, err := os.ReadFile(output.ManifestPath(o.Out))
	if err != nil || sha256.Sum256(mb) != r.Manifest || !outputAsRecorded(ctx, o.Out, r.Files) {
		return Result{}, nil, false
	}
	return Result{
		Diagnostics: r.Diagnostics, Files: len(r.Files), Reused: len(r.Files),
		RelativeSitemap: r.RelativeSitemap, Shortfalls: r.Shortfalls, UpToDate: true,
	}, r.Files, true
}

// outputDirs are the directories that hold files, which an output as
// recorded has and no others.
func outputDirs(files map[string]output.Record) map[string]bool {
	dirs := map[string]bool{}
	for p := range files {
		for d := path.Dir(p); d != "." && !dirs[d]; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	return dirs
}

// The record's encoding: recordMagic, then fields as written by
// marshalRecord, then the SHA-256 of all before it, so that a damaged
// record is no record. Diagnostics are mostly the same strings (a file's
// path, a rule, a section's name) many times over: each string is written
// once, in a table, and referred to by its index.
func marshalRecord(r record) []byte {
	var e encoder
	e.b = make([]byte, 0, 80*len(r.Files)+1024)
	e.b = append(e.b, recordMagic...)
	e.b = append(e.b, r.Key[:]...)
	e.b = append(e.b, r.Manifest[:]...)
	e.bool(r.RelativeSitemap)
	e.uint(uint64(len(r.Files)))
	for _, p := range slices.Sorted(maps.Keys(r.Files)) {
		f := r.Files[p]
		e.str(p)
		e.b = append(e.b, f.Hash[:]...)
		e.int(f.Size)
		e.int(f.MTime)
	}
	// The findings after their table of strings.
	var fe encoder
	fe.strings = map[string]uint64{}
	fe.diagnostics(r.Diagnostics)
	fe.diagnostics(r.Shortfalls)
	e.uint(uint64(len(fe.table)))
	for _, s := range fe.table {
		e.str(s)
	}
	e.b = append(e.b, fe.b...)
	sum := sha256.Sum256(e.b)
	return append(e.b, sum[:]...)
}

// unmarshalRecord decodes b when it is a whole record of key.
func unmarshalRecord(b string, key [32]byte) (record, bool) {
	var r record
	n := len(recordMagic) + 2*len(key)
	if len(b) < n+sha256.Size || b[:len(recordMagic)] != recordMagic ||
		b[len(recordMagic):len(recordMagic)+len(key)] != string(key[:]) {
		return r, false
	}
	body := b[:len(b)-sha256.Size]
	if sumString(body) != b[len(body):] {
		return r, false
	}
	d := decoder{s: body[n:]}
	r.Key = key
	copy(r.Manifest[:], body[len(recordMagic)+len(key):])
	r.RelativeSitemap = d.bool()
	count := d.count()
	r.Files = make(map[string]output.Record, count)
	for range count {
		p := d.str()
		f := output.Record{Hash: d.sum()}
		f.Size, f.MTime = d.int(), d.int()
		r.Files[p] = f
	}
	d.table = make([]string, d.count())
	for i := range d.table {
		d.table[i] = d.str()
	}
	r.Diagnostics = d.diagnostics()
	r.Shortfalls = d.diagnostics()
	if d.bad || d.s != "" || len(r.Files) != count {
		return record{}, false
	}
	return r, true
}

// sumString is the SHA-256 of s, as a string, hashed through a small
// buffer rather than a copy of s whole.
func sumString(s string) string {
	h := sha256.New()
	var buf [64 << 10]byte
	for len(s) > 0 {
		n := copy(buf[:], s)
		h.Write(buf[:n])
		s = s[n:]
	}
	return string(h.Sum(nil))
}

type encoder struct {
	b       []byte
	strings map[string]uint64 // index in table
	table   []string
}

func (e *encoder) uint(n uint64) { e.b = binary.AppendUvarint(e.b, n) }
func (e *encoder) int(n int64)   { e.b = binary.AppendVarint(e.b, n) }

func (e *encoder) bool(v bool) {
	if v {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.b = append(e.b, s...)
}

// ref writes s as its index in the table of strings.
func (e *encoder) ref(s string) {
	i, ok := e.strings[s]
	if !ok {
		i = uint64(len(e.table))
		e.strings[s] = i
		e.table = append(e.table, s)
	}
	e.uint(i)
}

// diagnostics writes ds; a nil slice and an empty one stay apart, as
// they do through JSON.
func (e *encoder) diagnostics(ds []diag.Diagnostic) {
	if ds == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(ds)) + 1)
	for _, d := range ds {
		e.ref(d.Pos.File)
		e.int(int64(d.Pos.Line))
		e.int(int64(d.Pos.Col))
		e.int(int64(d.Severity))
		e.ref(string(d.Rule))
		if d.Args == nil {
			e.uint(0)
		} else {
			e.uint(uint64(len(d.Args)) + 1)
		}
		for _, a := range d.Args {
			e.ref(a)
		}
		e.ref(d.Stated)
		e.ref(d.Computed)
	}
}

// decoder reads what encoder wrote; bad is set at the first thing out of
// place, and everything after it reads as zero.
type decoder struct {
	s     string
	table []string
	bad   bool
}

func (d *decoder) uint() uint64 {
	var n uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		n |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			d.s = d.s[i+1:]
			return n
		}
	}
	d.bad, d.s = true, ""
	return 0
}

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) bool() bool { return d.uint() != 0 }

// count reads a number of things to come, each at least a byte long.
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.s)) {
		d.bad, d.s = true, ""
		return 0
	}
	return int(n)
}

// listCount reads a count written as one more than a list's length, 0
// standing for a nil list.
func (d *decoder) listCount() (int, bool) {
	n := d.uint()
	if n == 0 {
		return 0, true
	}
	if n-1 > uint64(len(d.s)) {
		d.bad, d.s = true, ""
		return 0, true
	}
	return int(n - 1), false
}

func (d *decoder) str() string {
	n := d.count()
	s := d.s[:n]
	d.s = d.s[n:]
	return s
}

func (d *decoder) sum() [32]byte {
	if len(d.s) < 32 {
		d.bad, d.s = true, ""
		return [32]byte{}
	}
	var h [32]byte
	copy(h[:], d.s)
	d.s = d.s[32:]
	return h
}

func (d *decoder) ref() string {
	i := d.uint()
	if i >= uint64(len(d.table)) {
		d.bad, d.s = true, ""
		return ""
	}
	return d.table[i]
}

func (d *decoder) diagnostics() []diag.Diagnostic {
	n, isNil := d.listCount()
	if isNil {
		return nil
	}
	ds := make([]diag.Diagnostic, n)
	for i := range ds {
		x := &ds[i]
		x.Pos.File = d.ref()
		x.Pos.Line = int(d.int())
		x.Pos.Col = int(d.int())
		x.Severity = diag.Severity(d.int())
		x.Rule = diag.Rule(d.ref())
		if args, isNil := d.listCount(); !isNil {
			x.Args = make([]string, args)
			for j := range x.Args {
				x.Args[j] = d.ref()
			}
		}
		x.Stated = d.ref()
		x.Computed = d.ref()
	}
	return ds
}
