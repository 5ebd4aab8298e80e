package host

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRequestHostName(t *testing.T) {
	for host, want := range map[string]string{"shop.test": "shop.test", "shop.test:8080": "shop.test",
		"[::1]:80": "::1", "[::1]": "::1", "::1": "::1", "": "", "[broken": "[broken", "10.0.0.1:443": "10.0.0.1"} {
		assert.Equal(t, want, requestHostName(host), host)
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { requestHostName("shop.test") }))
}
