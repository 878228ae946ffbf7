package build

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"disclose/internal/output"
)

// recordSpool keeps the records of the files a build wrote, for its
// manifest, on disk until the manifest is made. Held in a map through the
// build they were 18 MB of the live heap at 30,000 reports (100,000
// paths), doubled by the collector's headroom, at the moment every digest
// is held too; read back at the end, they cost that memory only when the
// rest is gone.
type recordSpool struct {
	mu  sync.Mutex
	f   *os.File
	w   *bufio.Writer
	n   int
	err error
}

// newRecordSpool makes a spool in a new file in dir; close removes it.
func newRecordSpool(dir string) (*recordSpool, error) {
	f, err := os.CreateTemp(dir, ".records-*")
	if err != nil {
		return nil, fmt.Errorf("build: records: %w", err)
	}
	return &recordSpool{f: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

func (s *recordSpool) close() {
	s.f.Close()
	os.Remove(s.f.Name())
}

// add appends recs. A failure is kept and given by records.
func (s *recordSpool) add(recs map[string]output.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b [binary.MaxVarintLen64]byte
	for p, r := range recs {
		if s.err != nil {
			return
		}
		s.w.Write(binary.AppendUvarint(b[:0], uint64(len(p))))
		s.w.WriteString(p)
		s.w.Write(r.Hash[:])
		s.w.Write(binary.AppendVarint(b[:0], r.Size))
		_, s.err = s.w.Write(binary.AppendVarint(b[:0], r.MTime))
		s.n++
	}
}

// records reads back every record added; a path added twice has the
// record added last.
func (s *recordSpool) records() (map[string]output.Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return nil, fmt.Errorf("build: records: %w", s.err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("build: records: %w", err)
	}
	r := bufio.NewReaderSize(s.f, 64<<10)
	out := make(map[string]output.Record, s.n)
	for range s.n {
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return nil, fmt.Errorf("build: records: %w", err)
		}
		p := make([]byte, n)
		var rec output.Record
		if _, err := io.ReadFull(r, p); err != nil {
			return nil, fmt.Errorf("build: records: %w", err)
		}
		if _, err := io.ReadFull(r, rec.Hash[:]); err != nil {
			return nil, fmt.Errorf("build: records: %w", err)
		}
		if rec.Size, err = binary.ReadVarint(r); err != nil {
			return nil, fmt.Errorf("build: records: %w", err)
		}
		if rec.MTime, err = binary.ReadVarint(r); err != nil {
			return nil, fmt.Errorf("build: records: %w", err)
		}
		out[string(p)] = rec
	}
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("build: records: the spool holds more than was added")
	}
	// Reading moved the offset: appends after this would land mid-file.
	if _, err := s.f.Seek(0, io.SeekEnd); err != nil {
		return nil, fmt.Errorf("build: records: %w", err)
	}
	return out, nil
}
