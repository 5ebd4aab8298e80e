package host_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A body handed over by reference stays the module's until the request ends, as under IIS: a
// request that ends in one call releases its modules before Go writes the response, so the host
// copies such a body first. The fixture overwrites and frees its buffer when it is disposed.
func TestBodyByReferenceOutlivesTheModule(t *testing.T) {
	srv := wireServe(t, "ByReference", "testdata/modules/byreference.cpp")
	for range 20 {
		_, reply := dialAndAsk(t, srv.Listener.Addr().String(), "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		assert.Contains(t, reply, "\r\n\r\nthe module's own buffer")
	}
}
