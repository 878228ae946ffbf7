package site

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"disclose/internal/diag"
)

// ColdStore keeps on disk the parts of digests that only one kind of
// site-wide file reads: a report's text in the search index, its spending
// lines (the categories page) and a department's 公开情况 rows and
// findings (read once, for the build's list of shortfalls). A build of
// a province holds every digest until the site-wide files are written;
// these parts are half of a digest, and each is read once or a few times,
// so they wait in a file and are read back when their page is rendered.
// The rest of a digest (the lists' rows, the charts' figures, the
// classification) is read by many pages and stays in memory.
type ColdStore struct {
	f   *os.File
	mu  sync.Mutex
	end int64
	err error // the first failure: every page rendered after it fails
}

// coldRef is where a record is in the store.
type coldRef struct {
	at int64
	n  int
}

// NewColdStore makes a store in a new file in dir; Close removes it.
func NewColdStore(dir string) (*ColdStore, error) {
	f, err := os.CreateTemp(dir, ".digests-*")
	if err != nil {
		return nil, fmt.Errorf("site: cold store: %w", err)
	}
	return &ColdStore{f: f}, nil
}

// Close removes the store's file.
func (c *ColdStore) Close() error {
	err := c.f.Close()
	if rmErr := os.Remove(c.f.Name()); err == nil {
		err = rmErr
	}
	return err
}

// Err is the first failure to write or read the store.
func (c *ColdStore) Err() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *ColdStore) fail(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = fmt.Errorf("site: cold store: %w", err)
	}
}

func (c *ColdStore) put(b []byte) (coldRef, error) {
	c.mu.Lock()
	at := c.end
	c.end += int64(len(b))
	c.mu.Unlock()
	if _, err := c.f.WriteAt(b, at); err != nil {
		c.fail(err)
		return coldRef{}, err
	}
	return coldRef{at, len(b)}, nil
}

func (c *ColdStore) putJSON(v any) (coldRef, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return coldRef{}, err
	}
	return c.put(b)
}

// get reads a record back; on failure the store remembers the error (see
// Err) and get gives nil.
func (c *ColdStore) get(r coldRef) []byte {
	b := make([]byte, r.n)
	if _, err := c.f.ReadAt(b, r.at); err != nil {
		c.fail(err)
		return nil
	}
	return b
}

func (c *ColdStore) getJSON(r coldRef, v any) {
	if b := c.get(r); b != nil {
		if err := json.Unmarshal(b, v); err != nil {
			c.fail(err)
		}
	}
}

// cold is where a digest's offloaded parts are.
type cold struct {
	store                *ColdStore
	compliance, findings coldRef
	years                []int // of the compliance rows, in order
}

// reportCold is where a report's offloaded parts are.
type reportCold struct {
	search, lines coldRef
}

// Offload moves the digest's search texts, spending lines, 公开情况
// rows and findings into c. Call it once the digest's Aggregate (and
// anything else that needs the whole digest) has been taken.
func (g *Digest) Offload(c *ColdStore) error {
	ref, err := c.putJSON(g.Compliance)
	if err != nil {
		return err
	}
	findings, err := c.putJSON(g.Findings)
	if err != nil {
		return err
	}
	cd := &cold{store: c, compliance: ref, findings: findings}
	for _, row := range g.Compliance {
		cd.years = append(cd.years, row.Year)
	}
	for _, r := range g.Reports {
		search, err := c.put([]byte(r.SearchText))
		if err != nil {
			return err
		}
		lines, err := c.putJSON(r.Lines)
		if err != nil {
			return err
		}
		r.cold = &reportCold{search: search, lines: lines}
		r.SearchText, r.Lines = "", nil
	}
	g.Compliance, g.Findings, g.cold = nil, nil, cd
	return nil
}

// findings are the diagnostics of the department's 公开情况.
func (g *Digest) findings() []diag.Diagnostic {
	if g.cold == nil {
		return g.Findings
	}
	var out []diag.Diagnostic
	g.cold.store.getJSON(g.cold.findings, &out)
	return out
}

// searchText is the report's text in the search index.
func (rd *ReportDigest) searchText() string {
	if rd.cold == nil {
		return rd.SearchText
	}
	return string(rd.dept.cold.store.get(rd.cold.search))
}

// lines are the report's spending lines with their classes.
func (rd *ReportDigest) lines() []mappedLine {
	if rd.cold == nil {
		return rd.Lines
	}
	var out []mappedLine
	rd.dept.cold.store.getJSON(rd.cold.lines, &out)
	return out
}

// complianceYears are the years of the department's 公开情况 rows.
func (g *Digest) complianceYears() []int {
	if g.cold != nil {
		return g.cold.years
	}
	years := make([]int, len(g.Compliance))
	for i, row := range g.Compliance {
		years[i] = row.Year
	}
	return years
}

// complianceRows are the department's 公开情况 rows.
func (g *Digest) complianceRows() []ComplianceRow {
	if g.cold == nil {
		return g.Compliance
	}
	var out []ComplianceRow
	g.cold.store.getJSON(g.cold.compliance, &out)
	return out
}

// Parked is a digest waiting whole in a cold store (ColdStore.Park).
type Parked struct{ ref coldRef }

// Park keeps a digest, given as its Aggregate (Site.DigestJSON), in the
// store until Unpark. A build streams its departments and renders the
// site-wide files from all their digests at the end: held in memory, the
// digests grew the heap as the departments went by, and the collector's
// headroom grew with it (at 30,000 reports the build's peak was there).
// Parked, they are read back when the site-wide files need them, with
// the departments' garbage gone.
func (c *ColdStore) Park(aggregate []byte) (Parked, error) {
	ref, err := c.put(aggregate)
	return Parked{ref}, err
}

// Unpark reads a parked digest back, interned (Digest.Intern), with its
// parts that few pages read moved into c again (Digest.Offload).
func (c *ColdStore) Unpark(p Parked) (*Digest, error) {
	b := c.get(p.ref)
	if b == nil {
		return nil, c.Err()
	}
	g := new(Digest)
	if err := json.Unmarshal(b, g); err != nil {
		return nil, fmt.Errorf("site: cold store: a parked digest: %w", err)
	}
	g.link()
	g.Intern()
	if err := g.Offload(c); err != nil {
		return nil, err
	}
	return g, nil
}
