package opendata

import (
	"bytes"
	"errors"
	"testing"
)

// stoppingWriter is told to stop after asked questions.
type stoppingWriter struct {
	bytes.Buffer
	asked, after int
}

var errStopped = errors.New("stopped")

func (w *stoppingWriter) Err() error {
	w.asked++
	if w.asked > w.after {
		return errStopped
	}
	return nil
}

// A writer that says it should stop (Err) stops the workbook between
// departments, before it is done, with its reason.
func TestAllXLSXStopsWhenTold(t *testing.T) {
	s := genSite(t, 20)
	var whole stoppingWriter
	whole.after = 1 << 30
	if err := WriteAllXLSX(&whole, s); err != nil {
		t.Fatal(err)
	}
	if whole.asked < len(s.Departments) {
		t.Fatalf("asked %d times for %d departments", whole.asked, len(s.Departments))
	}
	w := stoppingWriter{after: 5}
	if err := WriteAllXLSX(&w, s); !errors.Is(err, errStopped) {
		t.Fatalf("err = %v, want %v", err, errStopped)
	}
	if w.asked != 6 || w.Len() >= whole.Len() {
		t.Errorf("asked %d times, wrote %d of %d bytes", w.asked, w.Len(), whole.Len())
	}
}
