package opendata

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// Spool keeps parts in a file while a site is built, so that memory holds
// one part at a time rather than every department's: the build puts each
// department's part as soon as it is worked out, from many goroutines and
// in any order, and the writers read them back, one section at a time, in
// department order (all.csv and all.xlsx at once, if need be). In memory
// the spool keeps only where each part is, 64 bytes a department. Its
// methods may be called concurrently.
type Spool struct {
	f *os.File

	mu    sync.Mutex
	end   int64        // of the file, written or reserved
	parts []spoolEntry // by part number
	err   error        // the first failed write; the spool is unusable
}

type spoolEntry struct {
	at   int64 // where the part's encoding starts in the file
	head partHead
	off  [numSections + 1]uint32 // as Part.off
	// reserved is set once a Put of the part starts, written once the
	// part is in the file.
	reserved, written bool
}

// NewSpool makes a spool in a new file in dir, which Close removes.
func NewSpool(dir string) (*Spool, error) {
	f, err := os.CreateTemp(dir, ".opendata-parts-*")
	if err != nil {
		return nil, fmt.Errorf("opendata: spool: %w", err)
	}
	return &Spool{f: f}, nil
}

// Put stores p as part i. It may be called from many goroutines at once,
// for the parts in any order; each part is put once.
func (sp *Spool) Put(i int, p *Part) error {
	if i < 0 {
		return fmt.Errorf("opendata: spool: part %d", i)
	}
	if len(p.data) > 1<<32-1 {
		return fmt.Errorf("opendata: spool: part %d is %d bytes, more than a spool holds", i, len(p.data))
	}
	sp.mu.Lock()
	if i < len(sp.parts) && sp.parts[i].reserved {
		sp.mu.Unlock()
		return fmt.Errorf("opendata: spool: part %d put twice", i)
	}
	for len(sp.parts) <= i {
		sp.parts = append(sp.parts, spoolEntry{})
	}
	at := sp.end
	sp.end += int64(len(p.data))
	// Reserved now, so that a second Put of i fails while this one writes.
	sp.parts[i].reserved = true
	sp.mu.Unlock()

	if _, err := sp.f.WriteAt(p.data, at); err != nil {
		err = fmt.Errorf("opendata: spool: part %d: %w", i, err)
		sp.mu.Lock()
		if sp.err == nil {
			sp.err = err
		}
		sp.mu.Unlock()
		return err
	}
	e := spoolEntry{at: at, head: p.head, reserved: true, written: true}
	for s, o := range p.off {
		e.off[s] = uint32(o)
	}
	sp.mu.Lock()
	sp.parts[i] = e
	sp.mu.Unlock()
	return nil
}

// Len is the number of parts: one more than the highest part number put.
func (sp *Spool) Len() int {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return len(sp.parts)
}

// entry is where part i is, once it has been put.
func (sp *Spool) entry(i int) (spoolEntry, error) {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if sp.err != nil {
		return spoolEntry{}, sp.err
	}
	if i < 0 || i >= len(sp.parts) || !sp.parts[i].written {
		return spoolEntry{}, fmt.Errorf("opendata: spool: part %d was never put", i)
	}
	return sp.parts[i], nil
}

// Part reads part i back.
func (sp *Spool) Part(i int) (*Part, error) {
	e, err := sp.entry(i)
	if err != nil {
		return nil, err
	}
	p := &Part{head: e.head, data: make([]byte, e.off[numSections])}
	if _, err := sp.f.ReadAt(p.data, e.at); err != nil {
		return nil, fmt.Errorf("opendata: spool: part %d: %w", i, err)
	}
	for s, o := range e.off {
		p.off[s] = int(o)
	}
	return p, nil
}

func (sp *Spool) head(i int) (partHead, error) {
	e, err := sp.entry(i)
	return e.head, err
}

func (sp *Spool) section(i int, s sectionID, buf []byte) ([]byte, error) {
	e, err := sp.entry(i)
	if err != nil {
		return nil, err
	}
	n := int(e.off[s+1] - e.off[s])
	if cap(buf) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := sp.f.ReadAt(buf, e.at+int64(e.off[s])); err != nil {
		return nil, fmt.Errorf("opendata: spool: part %d: %w", i, err)
	}
	return buf, nil
}

// Size is the length of the spool's file.
func (sp *Spool) Size() int64 {
	sp.mu.Lock()
	defer sp.mu.Unlock()
	return sp.end
}

// Close removes the spool's file.
func (sp *Spool) Close() error {
	return errors.Join(sp.f.Close(), os.Remove(sp.f.Name()))
}
