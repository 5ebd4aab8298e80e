package host

import (
	"sync"
	"time"

	"github.com/iishost/iishost/cabi"
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
	// TracePath names the failed-request trace written for it (SetFailureTrace); "" if none.
	TracePath string `json:"tracePath,omitempty"`
}

// failureRing keeps the most recent failures, oldest overwritten first.
type failureRing struct {
	mu    sync.Mutex
	items []FailedRequest // len == cap once full
	next  int
	trace func(FailedRequest) string
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
	if f.trace != nil {
		r.TracePath = f.trace(r)
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
		out = append(out, f.items[(f.next+len(f.items)-1-i)%len(f.items)])
	}
	return out
}

// SetFailureTrace sets the function that names the failed-request trace of each failure as it
// is recorded (its FailedRequest.TracePath); nil: none. It runs on the request's goroutine
// once the response is out, under the ring's lock, so it should only look the path up.
func (s *Server) SetFailureTrace(trace func(FailedRequest) string) {
	s.failures.mu.Lock()
	s.failures.trace = trace
	s.failures.mu.Unlock()
}

// recordFailure is the host's cabi.Host.OnFailure.
func (s *Server) recordFailure(f cabi.Failure) {
	s.failures.add(FailedRequest{Time: f.Time, Site: s.siteName(f.Site), Method: f.Method, URL: f.URL,
		Status: f.Status, Substatus: f.Substatus, TimeTaken: f.TimeTaken})
}

// siteName names a site by its index; "" for none.
func (s *Server) siteName(index int) string {
	if index >= 0 && index < len(s.sites) {
		return s.sites[index].config.Name
	}
	return ""
}
