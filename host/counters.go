package host

import "github.com/iishost/iishost/internal/cabi"

// PerfCounterCount is how many numbered counters modules keep per scope through
// IHttpPerfCounterInfo (indexes 0 to PerfCounterCount-1).
const PerfCounterCount = cabi.PerfCounterCount

// Counters is a snapshot of the host's performance counters: requests and bytes the host
// counts, and the numbered counters modules keep through IHttpPerfCounterInfo.
type Counters struct {
	// Requests counts requests served since the host started; CurrentRequests those in flight.
	Requests, CurrentRequests int64
	// BytesSent counts response body bytes written to clients; BytesReceived request body bytes
	// modules read from clients.
	BytesSent, BytesReceived int64
	// Server and Sites are the modules' counters from IHttpServer::GetPerfCounterInfo and
	// IHttpSite::GetPerfCounterInfo, by counter index; Sites in configuration order.
	Server [PerfCounterCount]int64
	Sites  [][PerfCounterCount]int64
	// AbandonedRequests counts requests held after their client left and their module never
	// completed; AbandonedBytes is the memory they hold (Options.MaxAbandonedBytes).
	AbandonedRequests, AbandonedBytes int64
}

// Counters reads the host's performance counters now.
func (s *Server) Counters() Counters { return Counters(s.host.Counters()) }
