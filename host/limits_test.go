package host_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/iishost/iishost/host"
)

// The defaults a zero Limits stands for are HTTP.sys's documented values.
func TestDefaultLimits(t *testing.T) {
	d := host.DefaultLimits()
	assert.Equal(t, 16384, d.MaxRequestBytes)
	assert.Equal(t, 16384, d.MaxFieldLength)
	assert.Equal(t, 260, d.MaxSegmentLength)
	assert.Equal(t, 255, d.MaxSegments)
	assert.Positive(t, d.MaxConnections)
	assert.Positive(t, d.HeaderTimeout)
	assert.Positive(t, d.ConnectionTimeout)
}
