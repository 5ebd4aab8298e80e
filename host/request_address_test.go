package host_test

import (
	"io"
	"net"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// TestRequestRemoteAddressIPv6 checks an IPv6 client's address as modules see it, in the raw
// request and from GetRemoteAddress, against a connection the test dials itself: the host
// parses net/http's "[ip]:port" on first use.
func TestRequestRemoteAddressIPv6(t *testing.T) {
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skip("no IPv6 loopback here:", err)
	}
	srv, _, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "RawReq", Image: hosttest.Build(t, "testdata/modules/rawreq.cpp")})
	require.NoError(t, err)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })

	conn, reply := dialAndAsk(t, ln.Addr().String(), "GET /raw?x=1 HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n")
	client := conn.LocalAddr().String()
	require.True(t, strings.HasPrefix(client, "[::1]:"), client)
	assert.Contains(t, reply, "\nremote="+client+"\n")
	assert.Contains(t, reply, "\nremote2="+client+"\n")
	assert.Contains(t, reply, "\nlocal="+conn.RemoteAddr().String()+"\n")
	assert.Contains(t, reply, "\nfullurl=http://example.test/raw?x=1\n")
	assert.Contains(t, reply, "\nabspath=/raw\n")
	assert.Contains(t, reply, "\nquery=?x=1\n")
}

// dialAndAsk sends request on a connection of its own to addr and reads the reply until the
// server closes, which must be a 200; the connection tells which ports the two ends had.
func dialAndAsk(t *testing.T, addr, request string) (net.Conn, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = io.WriteString(conn, request)
	require.NoError(t, err)
	out, err := io.ReadAll(conn)
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(string(out), "HTTP/1.1 200 "), string(out))
	return conn, string(out)
}
