package host

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
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
