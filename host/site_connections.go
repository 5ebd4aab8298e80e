package host

import (
	"context"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/iishost/iishost/internal/frontdoor"
)

// connSites is what one connection holds against its sites' limits: the sites it has carried
// a request for (each counted once in the site's conns until the connection ends) and its
// writer's throttle.
type connSites struct {
	mu       sync.Mutex
	sites    []*siteRuntime
	released bool
	throttle *throttledConn // nil when the connection came from a listener not wrapped by Listener
}

type connSitesKey struct{}

func connSitesOf(r *http.Request) *connSites {
	c, _ := r.Context().Value(connSitesKey{}).(*connSites)
	return c
}

// add counts the connection against site's MaxConnections once, and points its throttle at
// the site's bandwidth; false when the site is at its cap.
func (c *connSites) add(site *siteRuntime) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.throttle != nil {
		c.throttle.limit.Store(site.bandwidth)
	}
	for _, s := range c.sites {
		if s == site {
			return true
		}
	}
	if c.released {
		return true // the connection is ending (hijacked): nothing left to count
	}
	if max := int64(site.config.Limits.MaxConnections); max > 0 && site.conns.Add(1) > max {
		site.conns.Add(-1)
		return false
	} else if max == 0 {
		site.conns.Add(1)
	}
	c.sites = append(c.sites, site)
	return true
}

// release gives back the connection's counts; it runs once, when the connection closes or is
// hijacked.
func (c *connSites) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.released {
		return
	}
	c.released = true
	for _, s := range c.sites {
		s.conns.Add(-1)
	}
	c.sites = nil
}

// siteConnections tracks connSites per connection for the ConnContext and ConnState hooks.
type siteConnections struct{ byConn sync.Map } // net.Conn -> *connSites

func (t *siteConnections) connContext(ctx context.Context, c net.Conn) context.Context {
	cs := &connSites{throttle: findThrottle(c)}
	t.byConn.Store(c, cs)
	return context.WithValue(ctx, connSitesKey{}, cs)
}

func (t *siteConnections) connState(c net.Conn, state http.ConnState) {
	if state != http.StateClosed && state != http.StateHijacked {
		return
	}
	if v, ok := t.byConn.LoadAndDelete(c); ok {
		v.(*connSites).release()
	}
}

// findThrottle unwraps c (TLS, the front door) down to the throttledConn Listener made.
func findThrottle(c net.Conn) *throttledConn {
	for c != nil {
		switch t := c.(type) {
		case *throttledConn:
			return t
		case *frontdoor.Conn:
			c = t.Conn
		case interface{ NetConn() net.Conn }:
			c = t.NetConn()
		default:
			return nil
		}
	}
	return nil
}

// bandwidth is one site's send budget (maxBandwidth), shared by its connections: a token
// bucket holding at most one second of bytes.
type bandwidth struct {
	mu     sync.Mutex
	rate   float64 // bytes per second
	tokens float64
	last   time.Time
}

func newBandwidth(bytesPerSecond int64) *bandwidth {
	return &bandwidth{rate: float64(bytesPerSecond), tokens: float64(bytesPerSecond)}
}

// reserve takes n bytes from the budget at now and says how long to wait before sending them.
func (b *bandwidth) reserve(n int, now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.last.IsZero() {
		b.tokens = min(b.rate, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	b.tokens -= float64(n)
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// chunk is how much one write sends before it asks the budget again: a tenth of a second's
// worth, so that a large write does not burst.
func (b *bandwidth) chunk() int { return max(1, int(b.rate/10)) }

// throttledConn paces writes by the bandwidth of the site its current request is for.
type throttledConn struct {
	net.Conn
	limit atomic.Pointer[bandwidth]
}

func (c *throttledConn) Write(p []byte) (int, error) {
	b := c.limit.Load()
	if b == nil {
		return c.Conn.Write(p)
	}
	written := 0
	for written < len(p) {
		n := min(len(p)-written, b.chunk())
		if wait := b.reserve(n, time.Now()); wait > 0 {
			time.Sleep(wait)
		}
		m, err := c.Conn.Write(p[written : written+n])
		written += m
		if err != nil {
			return written, err
		}
	}
	return written, nil
}

// throttledListener wraps each accepted connection in a throttledConn.
type throttledListener struct{ net.Listener }

func (l throttledListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &throttledConn{Conn: c}, nil
}
