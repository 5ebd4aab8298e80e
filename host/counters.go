package host

import "github.com/iishost/iishost/internal/cabi"

// Counters is a snapshot of the host's performance counters: requests and bytes the host
// counts, and the numbered counters modules keep through IHttpPerfCounterInfo.
type Counters = cabi.Counters

// Counters reads the host's performance counters now.
func (s *Server) Counters() Counters { return s.host.Counters() }
