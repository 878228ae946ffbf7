package build

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"disclose/internal/check"
	"disclose/internal/compliance"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/opendata"
	"disclose/internal/output"
	"disclose/internal/site"
)

// stream builds the whole site one department at a time, on every core:
// each department is loaded, checked, its own files rendered and written,
// its digest (what the site-wide pages show of it) and its share of the
// downloads put on disk, and then its model is dropped. The site-wide
// files are rendered from the digests, read back at the end. Memory so
// grows with the digests (about 2 KB a report, while the site-wide files
// are written), not with the model.
//
// tree is the content's keys (content.TreeKeys) when known: with them the
// build leaves a manifest, and links from the previous site the files of
// every department whose key its manifest shows unchanged, instead of
// rendering them.
func stream(ctx context.Context, o Options, tree *content.Keys) (Result, error) {
	var res Result
	if err := checkReplaceable(o.Out); err != nil {
		return res, err
	}
	themeFS, opts, err := siteOptions(o, nil)
	if err != nil {
		return res, err
	}
	dir, err := content.OpenDir(o.Content)
	if err != nil {
		return res, err
	}
	defer dir.Close()
	display := contentRootName(o)

	cfg, loadDiags := content.LoadSite(dir, display)
	configDiags := check.Config(&cfg)
	diag.Sort(configDiags)
	dirs, rootDiags, ok := content.ReadRoot(dir, display)
	loadDiags = append(loadDiags, rootDiags...)
	if !ok {
		diag.Sort(loadDiags)
		res.Diagnostics = diag.Merge(loadDiags, configDiags)
		return res, ErrContent
	}
	years, reports, err := content.Years(dir, dirs)
	if err != nil {
		return res, err
	}

	t, err := output.Begin(ctx, o.Out, outputOptions(o))
	if err != nil {
		return res, err
	}
	defer t.Abort()
	// The departments' shares of the downloads wait on disk beside the
	// output, on its file system (a /tmp in memory would hold them in
	// RAM after all), under the output's lock, which Begin took.
	spoolDir := output.Beside(o.Out, spoolSuffix)
	os.RemoveAll(spoolDir)
	if err := os.MkdirAll(spoolDir, 0o755); err != nil {
		return res, err
	}
	defer os.RemoveAll(spoolDir)
	spool, err := opendata.NewSpool(spoolDir)
	if err != nil {
		return res, err
	}
	defer spool.Close()
	// So do the parts of the digests that few pages read.
	cold, err := site.NewColdStore(spoolDir)
	if err != nil {
		return res, err
	}
	defer cold.Close()
	records, err := newRecordSpool(spoolDir)
	if err != nil {
		return res, err
	}
	defer records.close()

	opts.Cold = cold
	opts.Downloads = func() (csv, xlsx func(io.Writer) error) {
		return func(w io.Writer) error { return opendata.WriteAllCSVParts(w, spool) },
			func(w io.Writer) error { return opendata.WriteAllXLSXParts(w, cfg.Title, spool) }
	}
	s, err := site.NewShell(&cfg, years, themeFS, opts)
	if err != nil {
		return res, err
	}

	var cur *manifest
	var prev *manifest
	if tree != nil {
		cur = &manifest{key: streamKey(o, tree, years, s.Shell()), depts: make(map[string]deptKeys, len(dirs))}
		if t.Prev() != "" && !o.Fresh {
			if prev = readManifest(output.ManifestPath(o.Out)); prev != nil && prev.key != cur.key {
				prev = nil
			}
		}
	}

	jobs := o.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	var (
		mu     sync.Mutex
		hashes = 0
		reused int
		done   int
		failed atomic.Bool // an error was found: nothing of this build will be written
	)
	// Progress counts files against an estimate (each report's page and
	// data, each department's page) until the site-wide files are known;
	// the total then grows by those.
	estimate := 3*reports + len(dirs)
	progress := func(int, int) {
		if o.Progress == nil {
			return
		}
		mu.Lock()
		done++
		estimate = max(estimate, done)
		o.Progress(done, estimate)
		mu.Unlock()
	}
	// A department's files are written by the goroutine that rendered
	// it: the departments run on every core.
	deptPlan := writePlan(o)
	deptPlan.Jobs, deptPlan.Progress, deptPlan.Record = 1, progress, true
	// keep notes what a department wrote, for the manifest.
	keep := func(id string, k deptKeys, w output.Written) {
		mu.Lock()
		defer mu.Unlock()
		if cur != nil {
			cur.depts[id] = k
		}
		records.add(w.Records)
		hashes += len(w.Hashes)
		reused += w.Reused
	}
	// The cache needs the keys, and a previous site to link from.
	var cache *deptCache
	if cur != nil {
		if cache, err = openDeptCache(o.Out); err != nil {
			cache = nil
		}
	}
	type deptResult struct {
		load, check []diag.Diagnostic
		parked      *site.Parked      // the digest, in the cold store
		stub        *model.Department // what ValidateDepartments reads
	}
	results := make([]deptResult, len(dirs))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, name := range dirs {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			if cache != nil && prev != nil {
				input := tree.Depts[name]
				if e, part, ok := cache.get(name, cur.key, input); ok {
					if recs, ok := e.linkable(prev); ok && stillThere(t.Prev(), recs) {
						plan := deptPlan
						plan.Reuse = recs
						w, err := t.WriteAll(gctx, e.linkedFiles(), plan)
						if err != nil {
							return fmt.Errorf("department %s from the cache: %w", name, err)
						}
						if err := spool.Put(i, part); err != nil {
							return err
						}
						r := &results[i]
						r.load, r.check = e.Load, e.Check
						r.stub = &model.Department{ID: name, Name: e.Name, BudgetCode: e.BudgetCode, Pos: e.Pos}
						keep(name, deptKeys{input: input, aggregate: aggregateKey(e.Digest)}, w)
						p, err := cold.Park(e.Digest)
						if err != nil {
							return err
						}
						r.parked = &p
						return nil
					}
				}
			}
			if loadedHook != nil {
				loadedHook(name)
			}
			d, lds := content.LoadDepartment(dir, display, name)
			diag.Sort(lds)
			r := &results[i]
			r.load = lds
			if diag.HasErrors(lds) {
				failed.Store(true)
			}
			if d == nil {
				if failed.Load() {
					return nil
				}
				// Nothing to show, but the downloads read a part for
				// every directory.
				return spool.Put(i, opendata.PartOf(&model.Department{ID: name}))
			}
			r.stub = &model.Department{ID: d.ID, Name: d.Name, BudgetCode: d.BudgetCode, Pos: d.Pos}
			r.check = check.Department(d)
			diag.Sort(r.check)
			if diag.HasErrors(r.check) {
				failed.Store(true)
			}
			if failed.Load() {
				return nil // the build fails: the rest is read for its diagnostics only
			}
			own := diag.Merge(lds, r.check)
			files := s.DepartmentFiles(d, own)
			digest := s.DigestJSON(d, own)
			part := opendata.PartOf(d)
			if err := spool.Put(i, part); err != nil {
				return err
			}
			plan := deptPlan
			var input [32]byte
			if cur != nil {
				input = tree.Depts[d.ID]
				// Edited since it was keyed: what was read is not what the
				// key stands for. No key is kept for it, so that the next
				// build reads it again, and nothing is taken from the
				// previous site on the strength of the old key.
				if now, err := content.DeptKey(dir, name, tree.Files); err != nil || now != input {
					input = [32]byte{}
				}
				if p, ok := prev.deptKeys(d.ID); ok && input != ([32]byte{}) && p.input == input {
					plan.Reuse = prev.filesOf(files)
				}
			}
			w, err := t.WriteAll(gctx, outputFiles(files), plan)
			s.Done(d)
			if err != nil {
				return err
			}
			if cur != nil {
				keep(d.ID, deptKeys{input: input, aggregate: aggregateKey(digest)}, w)
			} else {
				keep(d.ID, deptKeys{}, w)
			}
			if cache != nil && input != ([32]byte{}) {
				cache.put(d.ID, cur.key, input, d, lds, r.check, digest, part, w.Hashes)
			}
			p, err := cold.Park(digest)
			if err != nil {
				return err
			}
			r.parked = &p
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return res, err
	}

	var stubs []*model.Department
	var parked []site.Parked
	lists := [][]diag.Diagnostic{nil, configDiags}
	for _, r := range results {
		if r.parked != nil {
			parked = append(parked, *r.parked)
		}
		loadDiags = append(loadDiags, r.load...)
		if r.stub != nil {
			stubs = append(stubs, r.stub)
			lists = append(lists, r.check)
		}
	}
	loadDiags = append(loadDiags, content.ValidateDepartments(stubs)...)
	diag.Sort(loadDiags)
	lists[0] = loadDiags
	res.Diagnostics = diag.Merge(lists...)
	if diag.HasErrors(res.Diagnostics) {
		return res, ErrContent
	}
	// The site-wide files are where a build's memory peaks: every digest
	// comes back and is held while they are indexed and rendered, and
	// their pages allocate fast. The departments' garbage is given back
	// first (the runtime returns freed memory only slowly), and the
	// collector's headroom is halved from here to the end (the downloads
	// too hold a workbook's shared strings): at 10,000 reports the live
	// heap rose from 57 to 81 MB while the site-wide files were written,
	// and the default headroom over it took the process to 196-236 MB;
	// halved, 169 MB, for no measurable CPU (71.2 CPU-s against 72.2).
	// With the digests parked until here, the build peaks at 100 MB.
	debug.FreeOSMemory()
	defer halveGC()()
	digests, err := unpark(ctx, cold, parked, jobs)
	if err != nil {
		return res, err
	}
	if got := site.DigestYears(digests); !slices.Equal(got, years) {
		return res, fmt.Errorf("build: the reports' years %v are not those their file names give, %v", got, years)
	}

	// And the digests' decoding garbage.
	debug.FreeOSMemory()

	files, err := s.SiteFiles(digests)
	if err != nil {
		return res, err
	}
	res.RelativeSitemap = !s.HasBaseURL()
	var reuse map[string]output.Record
	if prev != nil {
		reuse = reusable(prev, cur, files)
	}
	// The pages first; then the downloads, which read the spool alone, so
	// that the digests are let go before they are written.
	var pages, downloads []site.File
	for _, f := range files {
		if f.Slow {
			downloads = append(downloads, f)
		} else {
			pages = append(pages, f)
		}
	}
	files, digests, results = nil, nil, nil
	total := done + len(pages) + len(downloads)
	batches := [][]site.File{pages, downloads}
	pages, downloads = nil, nil
	for i := range batches {
		batch := batches[i]
		batches[i] = nil
		if i == 1 {
			s.Release()
			// The downloads read the spool alone, and their large
			// buffers cannot reuse the pages' small spans: they start
			// from what they hold, not from the pages' peak.
			debug.FreeOSMemory()
		}
		plan := writePlan(o)
		plan.Record, plan.Reuse = true, reuse
		plan.Progress = func(n, _ int) {
			if o.Progress != nil {
				o.Progress(done+n, max(estimate, total))
			}
		}
		w, err := t.WriteAll(ctx, outputFiles(batch), plan)
		if err != nil {
			return res, err
		}
		// Stopped (Ctrl-C) after the last file: the old site stays.
		if err := ctx.Err(); err != nil {
			return res, err
		}
		records.add(w.Records)
		done += len(batch)
		hashes += len(w.Hashes)
		reused += w.Reused
	}
	// The shortfalls are read back from the cold store once everything
	// is written: at 30,000 reports they are 18 MB, which neither the
	// pages' peak nor the downloads' need carry. One lost there must not
	// pass for none.
	res.Shortfalls = s.Shortfalls()
	if err := cold.Err(); err != nil {
		return res, err
	}
	var m []byte
	if cur != nil {
		if cur.files, err = records.records(); err != nil {
			return res, err
		}
		m = cur.marshal()
	}
	if err := t.Commit(m); err != nil {
		return res, err
	}
	if cache != nil {
		cache.prune(dirs)
	}
	res.Files = hashes
	res.Reused = reused
	return res, nil
}

// spoolSuffix names the directory beside the output where a build keeps
// the departments' shares of the downloads until it writes them.
const spoolSuffix = ".disclose-spool"

// streamKey is the manifest's key of a streamed build: everything a page
// can show besides its own department (the program, theme, profiles,
// options, the files outside the departments, the shell with its years).
func streamKey(o Options, tree *content.Keys, years []int, shell string) [32]byte {
	h := sha256.New()
	fmt.Fprintf(h, "stream\n%x\n%x\n%q\n%q\npage size %d\n%v\n%s\n", programHash(), tree.Site, contentRootName(o), o.BaseURL, o.PageSize, years, shell)
	if th, err := themeHash(o.Theme); err == nil {
		fmt.Fprintf(h, "%x\n", th)
	}
	if ph, err := themeHash(compliance.Dir(o.Content)); err == nil {
		fmt.Fprintf(h, "%x\n", ph)
	}
	var key [32]byte
	h.Sum(key[:0])
	return key
}

// deptKeys gives the keys m recorded for department id; a nil manifest
// has none.
func (m *manifest) deptKeys(id string) (deptKeys, bool) {
	if m == nil {
		return deptKeys{}, false
	}
	k, ok := m.depts[id]
	return k, ok
}

// filesOf picks the records of files that m holds.
func (m *manifest) filesOf(files []site.File) map[string]output.Record {
	out := make(map[string]output.Record, len(files))
	for _, f := range files {
		if rec, ok := m.files[f.Path]; ok {
			out[f.Path] = rec
		}
	}
	return out
}

// loadedHook, when set by a test, is told of every department the build
// reads rather than takes from the cache.
var loadedHook func(dept string)

// unpark reads back the digests parked, in their order, on jobs
// goroutines.
func unpark(ctx context.Context, cold *site.ColdStore, parked []site.Parked, jobs int) ([]*site.Digest, error) {
	out := make([]*site.Digest, len(parked))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(jobs)
	for i, p := range parked {
		g.Go(func() error {
			if err := gctx.Err(); err != nil {
				return err
			}
			d, err := cold.Unpark(p)
			out[i] = d
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
