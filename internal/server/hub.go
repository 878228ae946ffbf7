package server

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Event is one message to the preview's pages.
type Event struct {
	Name string // "reload", "errors" or "ok"
	Data any    // JSON-encoded for the page
}

// Hub fans preview events out to every open page over Server-Sent Events
// and remembers the current error state for pages that connect later.
type Hub struct {
	mu      sync.Mutex
	clients map[chan []byte]struct{}
	errors  []byte // the last "errors" message while the content is broken
	done    chan struct{}
	closed  bool
}

// NewHub returns a hub with no pages connected.
func NewHub() *Hub {
	return &Hub{clients: map[chan []byte]struct{}{}, done: make(chan struct{})}
}

// Publish sends e to every connected page. A page too slow to take it
// misses it rather than holding up the others.
func (h *Hub) Publish(e Event) error {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return err
	}
	msg := []byte(fmt.Sprintf("event: %s\ndata: %s\n\n", e.Name, data))
	h.mu.Lock()
	defer h.mu.Unlock()
	switch e.Name {
	case "errors":
		h.errors = msg
	case "ok":
		h.errors = nil
	}
	for c := range h.clients {
		select {
		case c <- msg:
		default:
		}
	}
	return nil
}

// Clients is the number of connected pages.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Close ends every event stream, so that a server shutdown does not wait
// on pages that keep their connection open.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.closed {
		h.closed = true
		close(h.done)
	}
}

// heartbeat keeps idle connections from being cut by proxies and lets the
// server notice pages that went away.
const heartbeat = 15 * time.Second

func (h *Hub) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		// A HEAD has no body to stream. Held open, it would keep the
		// connection's next request waiting and, once that request has
		// arrived, never notice the client going away.
		w.WriteHeader(http.StatusOK)
		return
	}
	c := make(chan []byte, 16)
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	h.clients[c] = struct{}{}
	pending := h.errors
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.clients, c)
		h.mu.Unlock()
	}()

	w.WriteHeader(http.StatusOK)
	// retry: how soon a page reconnects after the server restarts.
	fmt.Fprint(w, "retry: 1000\n\n")
	if pending != nil {
		_, _ = w.Write(pending)
	}
	flusher.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case msg := <-c:
			if _, err := w.Write(msg); err != nil {
				return
			}
			flusher.Flush()
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			flusher.Flush()
		case <-r.Context().Done():
			return
		case <-h.done:
			return
		}
	}
}
