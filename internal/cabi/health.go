package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"math"
	"time"
)

// StuckCalls counts the requests whose pipeline has been inside one module call for d or
// longer. It reads each request's call as the watchdog does, without stopping it.
func (h *Host) StuckCalls(d time.Duration) int {
	n := 0
	h.slotsMu.RLock()
	defer h.slotsMu.RUnlock()
	for s := range h.slots {
		var r C.iis_running
		C.iis_request_running(s.state, C.uint64_t(math.MaxUint64), &r) // never reported: not the watchdog's
		if r.elapsed_ms > 0 && time.Duration(r.elapsed_ms)*time.Millisecond >= d {
			n++
		}
	}
	return n
}
