package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"time"
)

// DefaultSlowNotificationAfter is how long a notification may run before the watchdog logs it
// (SlowNotificationAfter 0). 30 seconds is far beyond what a module's notification takes when
// it works (a slow backend call included), so a record means a module stuck or looping.
const DefaultSlowNotificationAfter = 30 * time.Second

// The watchdog makes a module that loops or blocks in a notification visible. The pipeline
// publishes the module call it runs in one atomic word per request state (WatchedCall in
// module_calls.h), at no cost beyond a clock read and two stores; one goroutine per host reads the
// words on a ticker. A call running SlowNotificationAfter or longer is logged naming the module,
// the notification and the URL, again each time it has run another SlowNotificationAfter; when
// it returns, the pipeline logs once how long it took (iisgoCallReturned).

// StartWatchdog starts the host's watchdog, unless SlowNotificationAfter is negative. Close
// stops it.
func (h *Host) StartWatchdog() {
	limit := h.SlowNotificationAfter
	if limit < 0 || h.watchdog != nil {
		return
	}
	if limit == 0 {
		limit = DefaultSlowNotificationAfter
	}
	h.watchdog = make(chan struct{})
	h.watchdogDone.Add(1)
	go h.watch(limit, h.watchdog)
}

func (h *Host) stopWatchdog() {
	if h.watchdog != nil {
		close(h.watchdog)
		h.watchdogDone.Wait()
		h.watchdog = nil
	}
}

// watchedCall is what the watchdog remembers of a long call: which call, and how many times it
// was logged.
type watchedCall struct {
	call    C.uint64_t
	reports int64
}

// watch scans the host's request states four times per limit, so a call is logged at most a
// quarter of the limit late.
func (h *Host) watch(limit time.Duration, stop <-chan struct{}) {
	defer h.watchdogDone.Done()
	ticker := time.NewTicker(max(limit/4, time.Millisecond))
	defer ticker.Stop()
	long := map[*slot]watchedCall{}
	for {
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
		h.slotsMu.RLock()
		for s := range h.slots {
			var r C.iis_running
			C.iis_request_running(s.state, C.uint64_t(limit.Milliseconds()), &r)
			elapsed := time.Duration(r.elapsed_ms) * time.Millisecond
			if elapsed < limit {
				delete(long, s)
				continue
			}
			w := long[s]
			if w.call != r.call {
				w = watchedCall{call: r.call}
			}
			if n := int64(elapsed / limit); n > w.reports {
				w.reports = n
				h.Logger.Warn("notification still running", "module", C.GoString(r.module),
					"notification", C.GoString(r.notification), "url", s.url(), "running", elapsed)
			}
			long[s] = w
		}
		h.slotsMu.RUnlock()
	}
}

// url is the URL of the slot's request, from any goroutine; "" between requests.
func (s *slot) url() string {
	if r := s.req.Load(); r != nil {
		return requestURL(r)
	}
	return ""
}

// iisgoCallReturned logs how long a call the watchdog reported took, once it returned.
//
//export iisgoCallReturned
func iisgoCallReturned(id C.uintptr_t, module, notification *C.char, elapsedMs C.uint64_t) {
	s := lookupSlot(uintptr(id))
	s.host.Logger.Warn("notification returned after running long", "module", C.GoString(module),
		"notification", C.GoString(notification), "url", s.url(),
		"took", time.Duration(elapsedMs)*time.Millisecond)
}
