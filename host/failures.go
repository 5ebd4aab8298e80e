package host

import (
	"sync"
	"time"

	"github.com/iishost/iishost/internal/cabi"
)

// DefaultRecentFailures is how many failed requests a Server keeps for Status when
// Options.RecentFailures is 0.
const DefaultRecentFailures = 50

// FailedRequest is a request that ended with a status of 400 or more.
type FailedRequest struct {
	Time      time.Time     `json:"time"` // when it arrived
	Site      string        `json:"site"`
	Method    string        `json:"method"`
	URL       string        `json:"url"`
	Status    int           `json:"status"`
	Substatus int           `json:"substatus"`
	TimeTaken time.Duration `json:"timeTakenNs"`
	// TracePath names the failed-request trace written for it; "" if none (yet: traces are
	// written on a goroutine of their own).
	TracePath string `json:"tracePath,omitempty"`

	trace *traceFile // the trace queued for it, if any
}

// failureRing keeps the most recent failures, oldest overwritten first.
type failureRing struct {
	mu    sync.Mutex
	items []FailedRequest // len == cap once full
	next  int
}

func newFailureRing(size int) *failureRing {
	if size == 0 {
		size = DefaultRecentFailures
	}
	return &failureRing{items: make([]FailedRequest, 0, max(size, 0))}
}

func (f *failureRing) add(r FailedRequest) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if cap(f.items) == 0 {
		return
	}
	if len(f.items) < cap(f.items) {
		f.items = append(f.items, r)
		return
	}
	f.items[f.next] = r
	f.next = (f.next + 1) % len(f.items)
}

// recent lists the failures kept, newest first.
func (f *failureRing) recent() []FailedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FailedRequest, 0, len(f.items))
	for i := range f.items {
		r := f.items[(f.next+len(f.items)-1-i)%len(f.items)]
		if r.trace != nil {
			if p := r.trace.path.Load(); p != nil {
				r.TracePath = *p
			}
		}
		out = append(out, r)
	}
	return out
}

// recordFailure is the host's cabi.Host.OnFailure.
func (s *Server) recordFailure(f cabi.Failure) {
	r := FailedRequest{Time: f.Time, Site: s.siteName(f.Site), Method: f.Method, URL: f.URL,
		Status: f.Status, Substatus: f.Substatus, TimeTaken: f.TimeTaken}
	if traced, ok := f.Trace.(*tracedRequest); ok {
		r.trace = traced.file // set by RequestTraced, which ran before, when the trace is kept
	}
	s.failures.add(r)
}

// siteName names a site by its index; "" for none.
func (s *Server) siteName(index int) string {
	if index >= 0 && index < len(s.sites) {
		return s.sites[index].config.Name
	}
	return ""
}
