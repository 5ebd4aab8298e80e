package host

import (
	"sync"
	"time"
)

// glHealthCheck is GL_HEALTH_CHECK's bit.
const glHealthCheck = 0x00000020

// DefaultHealthCheckInterval is how often GL_HEALTH_CHECK is raised when Options leaves it 0.
const DefaultHealthCheckInterval = 30 * time.Second

// NotifyConfigurationChange raises GL_CONFIGURATION_CHANGE with a configuration path (for
// example "MACHINE/WEBROOT/APPHOST/Default Web Site"), which modules read with GetChangePath.
// It reports whether a module answered GL_NOTIFICATION_HANDLED. After Shutdown it does nothing.
func (s *Server) NotifyConfigurationChange(path string) bool {
	return s.raise(func() bool { return s.host.NotifyConfigurationChange(path) })
}

// NotifyFileChange raises GL_FILE_CHANGE with a file name, which modules read with
// GetFileName. It reports whether a module handled it. After Shutdown it does nothing.
func (s *Server) NotifyFileChange(path string) bool {
	return s.raise(func() bool { return s.host.NotifyFileChange(path) })
}

// HealthCheck raises GL_HEALTH_CHECK now, as the host's timer does; it reports whether a
// module handled it. After Shutdown it does nothing.
func (s *Server) HealthCheck() bool {
	return s.raise(func() bool { return s.host.GlobalNotify(glHealthCheck) })
}

// raise runs a global notification unless the server has shut down. Holding mu keeps Shutdown
// from terminating the modules under it.
func (s *Server) raise(fn func() bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	return fn()
}

// healthTimer raises GL_HEALTH_CHECK periodically until stopped.
type healthTimer struct {
	stop chan struct{}
	done sync.WaitGroup
}

// startHealthChecks starts the timer when some module subscribed to GL_HEALTH_CHECK and the
// interval is not negative; 0 means DefaultHealthCheckInterval.
func (s *Server) startHealthChecks(interval time.Duration) {
	if interval < 0 {
		return
	}
	if interval == 0 {
		interval = DefaultHealthCheckInterval
	}
	subscribed := false
	for _, m := range s.modules {
		subscribed = subscribed || m.Registration.GlobalMask&glHealthCheck != 0
	}
	if !subscribed {
		return
	}
	h := &healthTimer{stop: make(chan struct{})}
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-t.C:
				s.HealthCheck()
			}
		}
	}()
	s.health = h
}

// stopHealthChecks stops the timer and waits for a check in progress.
func (s *Server) stopHealthChecks() {
	if s.health != nil {
		close(s.health.stop)
		s.health.done.Wait()
	}
}

// Responsive says whether the server still gets requests through: false when it has requests
// in flight and every one of them has been inside one module call for within or longer (a
// module stuck on every request, as an IIS worker whose threads are all stuck fails its ping).
// Requests a module parked (pending) are not stuck.
func (s *Server) Responsive(within time.Duration) bool {
	inFlight := s.host.Counters().CurrentRequests
	return inFlight == 0 || int64(s.host.StuckCalls(within)) < inFlight
}
