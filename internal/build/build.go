// Package build turns a content directory into the static site on disk:
// load and check, render, and write through internal/output into a fresh
// directory swapped in whole (or, for the preview, changed files moved in).
// A failed build leaves the previous site exactly as it was.
//
// Build streams (stream.go): one department at a time on every core is
// loaded, checked, rendered and written, and only its digest (what the
// site-wide pages show of it) and its share of the downloads are kept, so
// memory follows the digests, not the model. A department whose files did
// not change is taken from the department cache (deptcache.go) without
// being read at all. The preview's Builder keeps the whole model instead,
// to answer a save by re-reading one department.
//
// build is the one orchestrator: the only place that pairs loading
// (internal/content) with checking (internal/check) — Load for the commands
// that only check, Cache and the Builder for the live preview, which keep
// the incremental state (the content cache, each department's check
// diagnostics, the rendered files' hashes) between builds.
//
// Layer 6 (see internal/arch): it may import every layer below it (content,
// check, site and the render parts); only preview, cli and cmd import it.
package build

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"

	"disclose/internal/compliance"
	"disclose/internal/content"
	"disclose/internal/diag"
	"disclose/internal/model"
	"disclose/internal/output"
	"disclose/internal/site"
	"disclose/internal/theme"
)

// Options say what to build and where.
type Options struct {
	Content string // content directory
	Theme   string // user theme directory laid over the default; "" for the default alone
	Out     string // output directory, replaced as a whole
	BaseURL string // absolute site address for sitemap.xml, feed.xml and canonical links; overrides site.yaml
	// Jobs is how many files are rendered at once; 0 means one per core.
	// Any number gives the same bytes (TestParallelBuildMatchesSequential).
	Jobs int
	// Progress, when set, is told of each file written out of all, so that
	// a long build can show how far it is. A build reads each department
	// as it goes, so all is an estimate until the site-wide files are
	// known; it never falls below done, and ends equal to it.
	Progress func(done, total int)
	// Fresh renders every file, whatever the previous build's manifest
	// says could be reused.
	Fresh bool
	// Waiting, when set, is told when the build must wait for another
	// build (or preview) writing the same output to finish.
	Waiting func()
	// PageSize is the most rows a list, comparison or category page
	// shows; 0 means site.PageSize. The browser tests use a few rows, so
	// that a paginated site takes dozens of reports, not hundreds.
	PageSize int
}

// Result describes a build, successful or not.
type Result struct {
	Diagnostics []diag.Diagnostic
	Files       int
	// Reused counts the files taken from the previous site without
	// rendering them, as its manifest allowed.
	Reused int
	// RelativeSitemap is true when no base URL was given, so sitemap.xml
	// and feed.xml hold relative addresses.
	RelativeSitemap bool
	// Shortfalls are what the disclosures lack against the site's
	// compliance profile (the 公开情况 page lists them); they do not stop
	// a build, but publish refuses them without --force.
	Shortfalls []diag.Diagnostic
	// UpToDate: the inputs were those of the last build and its output
	// was intact, so nothing was loaded or written; the diagnostics and
	// shortfalls are the ones that build found.
	UpToDate bool
}

// ErrContent means the content has errors; Result.Diagnostics says which.
var ErrContent = errors.New("content has errors")

// marker marks a directory as a disclose output, so that a build never
// replaces a directory it did not make (such as --out . by mistake).
const marker = ".disclose-site"

const markerText = "built by disclose; the next build replaces this whole directory\n"

// Build runs the whole pipeline. On any error the output directory is left
// untouched. When the inputs are byte for byte those of the last build and
// its output is as it wrote it, nothing is loaded: the result is the last
// one (see record.go).
func Build(ctx context.Context, o Options) (Result, error) {
	known := readHashes(o.Out)
	key, tree, keyErr := inputKey(ctx, o, known)
	if keyErr == nil && !o.Fresh {
		if res, _, ok := upToDate(ctx, o, key); ok {
			writeHashes(o.Out, known, tree.Files)
			return res, nil
		}
	}
	var keys *content.Keys
	if keyErr == nil {
		keys = &tree
	}
	// The content's hashes are not held through the build: at 10,000
	// reports they are 15 MB of a peak of 90. Beside an output that is
	// already ours they are kept at once and read back after; beside any
	// other (the first build) they wait under another name until the
	// build made it ours.
	stashed := ""
	if keyErr == nil {
		if _, err := os.Stat(filepath.Join(o.Out, marker)); err == nil {
			writeHashes(o.Out, known, tree.Files)
			stashed = hashesPath(o.Out)
		} else if pending := pendingHashesPath(o.Out); writeHashesFile(pending, nil, tree.Files) == nil {
			stashed = pending
			defer os.Remove(pending)
		}
		if stashed != "" {
			tree.Files = nil
		}
		known = nil
	}
	res, err := stream(ctx, o, keys)
	if err == nil && keyErr == nil {
		files := tree.Files
		switch stashed {
		case "":
			writeHashes(o.Out, nil, files)
		case hashesPath(o.Out):
			files = readHashes(o.Out)
		default:
			files = readHashesFile(stashed)
			if os.Rename(stashed, hashesPath(o.Out)) != nil {
				writeHashes(o.Out, nil, files)
			}
		}
		// An edit made while the build read the content must not be
		// recorded as built.
		after, now, err := inputKey(ctx, o, files)
		if err == nil && after == key {
			// The record holds the manifest's every file: at 30,000
			// reports, reading and writing it took the heap to 163 MB
			// over the build's garbage, more than the site-wide files.
			debug.FreeOSMemory()
			restore := halveGC()
			saveRecord(o, key, res)
			restore()
		} else {
			os.Remove(recordPath(o.Out))
			// Nor may the department cache keep what it read under the
			// key taken before the edit.
			dropChanged(o.Out, tree, now, err)
		}
	}
	return res, err
}

// contentRootName is the content directory as diagnostics name it.
func contentRootName(o Options) string { return filepath.ToSlash(filepath.Clean(o.Content)) }

// render loads, checks and prepares the site; nothing is written.
func render(o Options, m *model.Site, ds []diag.Diagnostic, memo *site.Memo) (*site.Site, []site.File, error) {
	themeFS, opts, err := siteOptions(o, memo)
	if err != nil {
		return nil, nil, err
	}
	s, err := site.New(m, ds, themeFS, opts)
	if err != nil {
		return nil, nil, err
	}
	files, err := s.Files()
	if err != nil {
		return nil, nil, err
	}
	return s, files, nil
}

// siteOptions are the theme and settings every rendering of o's site
// shares.
func siteOptions(o Options, memo *site.Memo) (fs.FS, site.Options, error) {
	themeFS, err := theme.Open(o.Theme)
	if err != nil {
		return nil, site.Options{}, err
	}
	// The user's disclosure-compliance profiles live beside the content
	// directory; the 公开情况 page uses the one site.yaml names.
	profiles, err := compliance.Load(o.Content)
	if err != nil {
		return nil, site.Options{}, err
	}
	return themeFS, site.Options{BaseURL: o.BaseURL, Memo: memo, Profiles: profiles, PageSize: o.PageSize}, nil
}

// writeFresh writes the whole site into a new directory beside o.Out and
// swaps it in. With cur, the new site carries a manifest, and the files
// the previous site's manifest shows unchanged are linked from it rather
// than rendered.
func writeFresh(ctx context.Context, o Options, files []site.File, cur *manifest) (output.Written, error) {
	t, err := output.Begin(ctx, o.Out, outputOptions(o))
	if err != nil {
		return output.Written{}, err
	}
	defer t.Abort()
	plan := writePlan(o)
	if cur != nil {
		plan.Record = true
		if t.Prev() != "" && !o.Fresh {
			plan.Reuse = reusable(readManifest(output.ManifestPath(o.Out)), cur, files)
		}
	}
	w, err := t.WriteAll(ctx, outputFiles(files), plan)
	if err != nil {
		return output.Written{}, err
	}
	// Stopped (Ctrl-C) after the last file: the old site stays.
	if err := ctx.Err(); err != nil {
		return output.Written{}, err
	}
	var m []byte
	if cur != nil {
		cur.files = w.Records
		m = cur.marshal()
	}
	if err := t.Commit(m); err != nil {
		return output.Written{}, err
	}
	return w, nil
}

// outputOptions say that o.Out is a site.
func outputOptions(o Options) output.Options {
	return output.Options{Marker: marker, MarkerText: []byte(markerText), Waiting: o.Waiting}
}

// writePlan is what every write of the site's files shares.
func writePlan(o Options) output.Plan {
	return output.Plan{Jobs: o.Jobs, Progress: o.Progress, Reused: func(path string) {
		if reusedHook != nil {
			reusedHook(path)
		}
	}}
}

func outputFiles(files []site.File) []output.File {
	out := make([]output.File, len(files))
	for i, f := range files {
		out[i] = output.File{Path: f.Path, Write: f.Write}
	}
	return out
}

// CheckOutput refuses an output directory that holds files but was not
// made by disclose: building would replace them, serving would publish them.
func CheckOutput(out string) error { return checkReplaceable(out) }

// checkReplaceable refuses to replace a directory that holds files but was
// not made by disclose.
func checkReplaceable(out string) error { return output.Check(out, marker) }

// reusedHook, when set by a test, is told of every file taken from the
// manifest unrendered: a file rendered to the same bytes is linked too, so
// the file system alone cannot tell the two apart.
var reusedHook func(path string)
