package host

import (
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/frontdoor"
)

// The budget holds one second of bytes; past it each send waits for the bytes it takes.
func TestBandwidthReserve(t *testing.T) {
	b := newBandwidth(1000)
	start := time.Unix(1000, 0)
	assert.Equal(t, time.Duration(0), b.reserve(1000, start), "a full second's budget is there at once")
	assert.Equal(t, 500*time.Millisecond, b.reserve(500, start), "then half a second for 500 bytes")
	assert.Equal(t, 1500*time.Millisecond, b.reserve(1000, start), "and the debt adds up")
	// Two seconds later the debt is paid and half a second's worth is back.
	assert.Equal(t, time.Duration(0), b.reserve(500, start.Add(2*time.Second)))
	assert.Equal(t, 100, b.chunk(), "writes go out a tenth of a second at a time")
	// Idle time never banks more than a second.
	assert.Equal(t, 1000*time.Millisecond, b.reserve(2000, start.Add(time.Hour)))
}

// Connections are wrapped for pacing only when some site caps its bandwidth: the wrapper is a
// layer on every read, write and deadline, and without a cap it has nothing to do.
func TestListenerPacesOnlyWhenASiteCapsBandwidth(t *testing.T) {
	for _, capped := range []bool{false, true} {
		s := &Server{sites: []*siteRuntime{{config: &Site{}}, {config: &Site{}}}, limits: frontdoor.Limits{}.WithDefaults()}
		if capped {
			s.sites[1].bandwidth = newBandwidth(1000)
		}
		tcp, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		defer tcp.Close()
		client, err := net.Dial("tcp", tcp.Addr().String())
		require.NoError(t, err)
		defer client.Close()
		c, err := s.Listener(tcp).Accept()
		require.NoError(t, err)
		defer c.Close()
		cs := &connSites{throttle: findThrottle(c)}
		assert.Equal(t, capped, cs.throttle != nil, "capped: %v", capped)
		if capped {
			require.True(t, cs.add(s.sites[1]))
			assert.Same(t, s.sites[1].bandwidth, cs.throttle.limit.Load(), "a request for the capped site is paced by its budget")
		}
	}
}
