package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"net/http"
	"sync/atomic"
	"time"
)

// What the host keeps for metrics and the status page: per site, how many requests ended with
// each status and how long they took; the requests in flight and where each is now; and the
// time each module spends in each notification (call_timing.cpp). Recording a request costs
// a clock read at each end and three atomic adds; nothing is labelled by URL, so a flood of
// distinct URLs grows nothing.

// LatencyBuckets are the upper bounds, in seconds, of the request latency histogram.
var LatencyBuckets = [...]float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// maxStatus bounds the statuses counted one by one; a module's code outside 100 to 599 counts
// at 0, as does a request whose client left before it had a response.
const maxStatus = 600

// SiteStats is a snapshot of one site's request outcomes.
type SiteStats struct {
	// Statuses counts requests by the status they ended with, indexed by the code (see
	// maxStatus for 0).
	Statuses [maxStatus]int64
	// Latency counts requests by LatencyBuckets bound, each in the first bucket holding it (not
	// cumulative); the last entry counts those beyond every bound. LatencySum is their total.
	Latency    [len(LatencyBuckets) + 1]int64
	LatencySum time.Duration
}

type siteStats struct {
	statuses [maxStatus]atomic.Int64
	latency  [len(LatencyBuckets) + 1]atomic.Int64
	nanos    atomic.Int64
}

func (st *siteStats) record(status int, took time.Duration) {
	if status < 100 || status >= maxStatus {
		status = 0
	}
	st.statuses[status].Add(1)
	seconds := took.Seconds()
	i := 0
	for i < len(LatencyBuckets) && seconds > LatencyBuckets[i] {
		i++
	}
	st.latency[i].Add(1)
	st.nanos.Add(int64(took))
}

// Failure is a request that ended with a status of 400 or more (Host.OnFailure).
type Failure struct {
	Time              time.Time // when it arrived
	Site              int
	Method, URL       string
	Status, Substatus int
	TimeTaken         time.Duration
	Trace             TraceSink // the request's Route.Trace, nil when it was not traced
}

// statsFor is the site's outcome counters; a site index out of range (a Route of no added
// site) counts with the first.
func (h *Host) statsFor(site int) *siteStats {
	if site < 0 || site >= len(h.siteStats) {
		site = 0
	}
	return h.siteStats[site]
}

// recordOutcome counts a finished request; a failure also goes to OnFailure.
func (h *Host) recordOutcome(r *http.Request, route *Route, status, substatus int, start time.Time, took time.Duration) {
	site := route.Site
	h.statsFor(site).record(status, took)
	if status >= 400 && h.OnFailure != nil {
		h.OnFailure(Failure{Time: start, Site: site, Method: r.Method, URL: requestURL(r), Status: status,
			Substatus: substatus, TimeTaken: took, Trace: route.Trace})
	}
}

// SiteStats reads the outcome counters of each site, in AddSite order (one entry when no site
// was added).
func (h *Host) SiteStats() []SiteStats {
	out := make([]SiteStats, len(h.siteStats))
	for i, st := range h.siteStats {
		for code := range st.statuses {
			out[i].Statuses[code] = st.statuses[code].Load()
		}
		for b := range st.latency {
			out[i].Latency[b] = st.latency[b].Load()
		}
		out[i].LatencySum = time.Duration(st.nanos.Load())
	}
	return out
}

// InFlight is a request being served, and where it is: the module call running now, or the
// one that returned pending while the request waits for its completion (Parked).
type InFlight struct {
	Site                 int
	Method, URL          string
	Started              time.Time
	Module, Notification string        // "" between module calls
	InCall               time.Duration // how long the call has run (or the request has been parked)
	Parked               bool
}

// InFlight lists at most limit requests in flight, and how many there are, parked ones
// included.
func (h *Host) InFlight(limit int) (list []InFlight, total, parkedTotal int) {
	h.slotsMu.RLock()
	defer h.slotsMu.RUnlock()
	for s := range h.slots {
		r := s.req.Load()
		if r == nil {
			continue
		}
		total++
		var call C.iis_running
		var parked C.int32_t
		C.iis_request_position(s.state, &call, &parked)
		if parked != 0 {
			parkedTotal++
		}
		if len(list) >= limit {
			continue
		}
		list = append(list, InFlight{Site: int(s.site.Load()), Method: r.Method, URL: requestURL(r),
			Started: time.Unix(0, s.started.Load()), Module: C.GoString(call.module),
			Notification: C.GoString(call.notification), InCall: time.Duration(call.elapsed_ms) * time.Millisecond,
			Parked: parked != 0})
	}
	return list, total, parkedTotal
}

// CallTime is the time one module spent in one notification's calls (each call's time
// includes notifications raised inside it, such as RQ_SEND_RESPONSE from a Flush).
type CallTime struct {
	Notification string
	Calls        uint64
	Time         time.Duration
}

// CallTimes reads the notifications module (its load index) was called for, and for how long.
func (h *Host) CallTimes(module int) []CallTime {
	var calls, nanos [C.IIS_TIMING_SLOTS]C.uint64_t
	C.iis_module_timing(h.c, C.int(module), &calls[0], &nanos[0])
	var out []CallTime
	for slot, n := range calls {
		if n > 0 {
			out = append(out, CallTime{Notification: C.GoString(C.iis_timing_slot_name(C.int(slot))),
				Calls: uint64(n), Time: time.Duration(nanos[slot])})
		}
	}
	return out
}
