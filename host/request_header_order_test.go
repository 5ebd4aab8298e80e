package host_test

import (
	"io"
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Modules see the request's headers in the order and case the client sent them, as under
// HTTP.sys: net/http's map loses both (and its order changes from one request to the next).
func TestRequestHeadersKeepWireOrderAndCase(t *testing.T) {
	srv := wireServe(t, "ServerVars", "testdata/modules/servervars.cpp")
	const sent = "x-lower-case: 1\r\nZeta: 2\r\nAlpha:3\r\nMIXED-Upper: \t4 \r\n"
	const seen = "x-lower-case: 1\r\nZeta: 2\r\nAlpha: 3\r\nMIXED-Upper: 4\r\n"
	for range 3 {
		_, reply := dialAndAsk(t, srv.Listener.Addr().String(),
			"GET /vars?ALL_RAW HTTP/1.1\r\nHost: example.test\r\n"+sent+"Connection: close\r\n\r\n")
		assert.Contains(t, reply, seen)
		assert.Contains(t, reply, "Host: example.test\r\n")
	}
}

// A request with no Host line (HTTP/1.0) shows none.
func TestRequestHeadersWithoutHostLine(t *testing.T) {
	srv := wireServe(t, "ServerVars", "testdata/modules/servervars.cpp")
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET /vars?ALL_RAW HTTP/1.0\r\nX-One: a\r\n\r\n")
	require.NoError(t, err)
	reply, err := io.ReadAll(conn)
	require.NoError(t, err)
	assert.Contains(t, string(reply), "ALL_RAW=X-One: a\r\n|")
	assert.NotContains(t, string(reply), "Host:")
}
