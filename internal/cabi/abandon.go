package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"io"
	"net/http"
)

// DefaultMaxAbandonedBytes is the memory abandoned requests may hold before new requests are
// refused (MaxAbandonedBytes 0): 64 MiB, some thousands of request states. That is far more than
// a host with well-behaved modules ever keeps, and little enough that a module which never
// completes cannot grow the process until the kernel kills it.
const DefaultMaxAbandonedBytes = 64 << 20

// Abandoned requests.
//
// A request whose client left while its module never completed is abandoned after AbandonAfter
// (doors_request.go). Its state cannot be freed or reused: the module may still complete it from a
// thread of its own, and that would touch freed memory. So:
//
//  1. The state is kept, and counted (Counters.AbandonedRequests, AbandonedBytes).
//  2. A late completion reclaims it: the rest of the pipeline runs (log, end; nothing reaches
//     the gone client), the modules are released, and the state serves again.
//  3. While abandoned states hold MaxAbandonedBytes or more, new requests are answered 503,
//     since memory that cannot be freed safely is the one thing the host cannot bound any
//     other way. Serving resumes once late completions bring them under the cap.

func (h *Host) maxAbandonedBytes() int64 {
	if h.MaxAbandonedBytes > 0 {
		return h.MaxAbandonedBytes
	}
	return DefaultMaxAbandonedBytes
}

// abandon gives up on the slot's parked request: it is counted, logged (naming the module and
// notification, and the cap when this request reaches it) and left to a late completion.
func (s *slot) abandon() {
	h := s.host
	s.held = int64(C.iis_request_footprint(s.state))
	h.abandonedRequests.Add(1)
	held := h.abandonedBytes.Add(s.held)
	C.iis_request_abandon(s.state, C.uint64_t(held), C.uint64_t(h.maxAbandonedBytes()))
	s.readBroken.Store(true) // a module's later body reads fail at once: the client is gone
	s.parkAbandoned()
}

// parkAbandoned leaves an abandoned request to its module's completion. iisgoResume signals
// first and then looks at the flag; this sets the flag and then looks for the signal; so
// whichever comes second starts the reclaim, and no completion is lost between them.
func (s *slot) parkAbandoned() {
	s.abandoned.Store(true)
	select {
	case <-s.resume:
		s.reclaimIfAbandoned()
	default:
	}
}

// reclaimIfAbandoned starts the reclaim of an abandoned request whose completion arrived; only
// one caller wins. Once the host drains, the state is left to the process exit as before: the
// modules may be terminated under a reclaim.
func (s *slot) reclaimIfAbandoned() {
	if !s.abandoned.Load() || !s.abandoned.CompareAndSwap(true, false) {
		return
	}
	h := s.host
	h.mu.Lock()
	if h.draining {
		h.mu.Unlock()
		return
	}
	h.reclaims.Add(1)
	h.mu.Unlock()
	go func() {
		defer h.reclaims.Done()
		s.reclaim()
	}()
}

// reclaim runs the rest of an abandoned request's pipeline after its late completion, then
// frees its modules and memory and makes its state available again.
func (s *slot) reclaim() {
	select {
	case <-s.resume: // the signal that started the reclaim, if still there
	default:
	}
	view := C.iis_request_resume(s.state)
	for view != nil && view.pending != 0 && view.io_kind != 0 {
		view = C.iis_request_io_done(s.state, 0, ioFailed) // no I/O reaches a gone client
	}
	if view != nil && view.pending != 0 {
		s.parkAbandoned() // pending again: its next completion goes on from there
		return
	}
	C.iis_request_reclaimed(s.state)
	h := s.host
	h.abandonedRequests.Add(-1)
	held := h.abandonedBytes.Add(-s.held)
	h.Logger.Info("an abandoned request completed late; its state is reclaimed", "url", requestURL(s.r),
		"abandoned_bytes", held)
	if held < h.maxAbandonedBytes() && h.refusing.CompareAndSwap(true, false) {
		h.Logger.Info("abandoned requests are under the cap again: serving", "abandoned_bytes", held,
			"cap", h.maxAbandonedBytes())
	}
	s.held = 0
	s.finish(false)
}

// refuseOverAbandonCap answers 503 while abandoned requests hold the cap or more (see above),
// logging when refusing starts.
func (h *Host) refuseOverAbandonCap(w http.ResponseWriter) bool {
	held, limit := h.abandonedBytes.Load(), h.maxAbandonedBytes()
	if held < limit {
		return false
	}
	if h.refusing.CompareAndSwap(false, true) {
		h.Logger.Error("abandoned requests hold their cap: new requests are answered 503 until late completions free some",
			"abandoned_requests", h.abandonedRequests.Load(), "abandoned_bytes", held, "cap", limit)
	}
	w.Header().Set("Content-Type", "text/plain")
	w.WriteHeader(http.StatusServiceUnavailable)
	io.WriteString(w, "503 Service Unavailable\n")
	return true
}
