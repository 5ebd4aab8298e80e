package cabi

/*
#include "bridge.h"
*/
import "C"

import "sync/atomic"

// PerfCounterCount is how many numbered counters modules have per scope
// (IHttpPerfCounterInfo's counter index runs from 0 to PerfCounterCount-1).
const PerfCounterCount = C.IIS_PERF_COUNTER_COUNT

// Counters is a snapshot of a host's performance counters.
type Counters struct {
	// Requests counts requests served since the host started; CurrentRequests those in flight.
	Requests, CurrentRequests int64
	// BytesSent counts response body bytes written to clients; BytesReceived request body bytes
	// modules read from clients.
	BytesSent, BytesReceived int64
	// Server and Sites are the counters modules keep through IHttpServer::GetPerfCounterInfo and
	// IHttpSite::GetPerfCounterInfo, by counter index; Sites in the order the sites were added.
	Server [PerfCounterCount]int64
	Sites  [][PerfCounterCount]int64
	// AbandonedRequests counts requests held now after their client left and their module never
	// completed; AbandonedBytes is the memory they hold (request states and request memory, as
	// measured when each was abandoned). See DefaultMaxAbandonedBytes.
	AbandonedRequests, AbandonedBytes int64
}

// hostCounters are the counters the Go side keeps per request. They are sharded by slot, each
// shard on its own cache line, so that requests on different cores do not contend for one line;
// a request counts into its slot's shard from start to end.
type hostCounters struct {
	shards [counterShards]counterShard
}

const counterShards = 8

type counterShard struct {
	requests, current, bytesSent, bytesReceived atomic.Int64
	_                                           [32]byte // pad to 64 bytes
}

func (c *hostCounters) shard(s *slot) *counterShard { return &c.shards[s.id%counterShards] }

// Counters reads the host's counters now. Each value is read atomically; the snapshot as a
// whole is not, since requests keep running. After Close it returns the last values.
func (h *Host) Counters() Counters {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.final != nil {
		return *h.final
	}
	return h.snapshot()
}

// snapshot reads the counters; the caller holds mu and the C++ host is alive.
func (h *Host) snapshot() Counters {
	var c Counters
	for i := range h.counters.shards {
		sh := &h.counters.shards[i]
		c.Requests += sh.requests.Load()
		c.CurrentRequests += sh.current.Load()
		c.BytesSent += sh.bytesSent.Load()
		c.BytesReceived += sh.bytesReceived.Load()
	}
	c.AbandonedRequests = h.abandonedRequests.Load()
	c.AbandonedBytes = h.abandonedBytes.Load()
	var values [PerfCounterCount]C.int64_t
	C.iis_perf_counters(h.c, 0, &values[0])
	for i, v := range values {
		c.Server[i] = int64(v)
	}
	for site := 1; site <= h.sites; site++ {
		C.iis_perf_counters(h.c, C.int(site), &values[0])
		var out [PerfCounterCount]int64
		for i, v := range values {
			out[i] = int64(v)
		}
		c.Sites = append(c.Sites, out)
	}
	return c
}
