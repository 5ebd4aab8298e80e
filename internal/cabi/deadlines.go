package cabi

import (
	"net/http"
	"time"
)

type readDeadliner interface{ SetReadDeadline(time.Time) error }
type writeDeadliner interface{ SetWriteDeadline(time.Time) error }

// unwrapTo finds what implements T behind w as http.ResponseController does (w itself, else
// what Unwrap reveals), or false. The controller builds an error each time a writer lacks the
// method, two allocations per send for a writer without deadlines; this builds none.
func unwrapTo[T any](w http.ResponseWriter) (T, bool) {
	for {
		if t, ok := w.(T); ok {
			return t, true
		}
		u, ok := w.(interface{ Unwrap() http.ResponseWriter })
		if !ok {
			var none T
			return none, false
		}
		w = u.Unwrap()
	}
}

// setDeadline sets w's connection read or write deadline when w can; a writer that cannot
// (an in-process caller's) has no connection to hold to one.
func setDeadline(w http.ResponseWriter, read bool, at time.Time) {
	if read {
		if d, ok := unwrapTo[readDeadliner](w); ok {
			_ = d.SetReadDeadline(at)
		}
	} else if d, ok := unwrapTo[writeDeadliner](w); ok {
		_ = d.SetWriteDeadline(at)
	}
}
