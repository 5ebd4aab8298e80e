package host

import "time"

// SetAccessLogClock stamps the server's access log entries with now's times, so that tests
// roll files over without waiting. Call it before serving.
func SetAccessLogClock(s *Server, now func() time.Time) {
	for _, site := range s.sites {
		if a := site.access; a != nil {
			a.mu.Lock()
			a.now = now
			a.mu.Unlock()
		}
	}
}
