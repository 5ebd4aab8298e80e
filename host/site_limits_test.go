package host_test

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A site's maxConnections counts the connections that carry its requests: past it a request
// is answered 503 and its connection closed; a closed connection gives its place back.
func TestSiteMaxConnections(t *testing.T) {
	f := newSitesFixture(t, `<limits maxConnections="2"/>`)
	request := "GET / HTTP/1.1\r\nHost: admin.test\r\n\r\n"
	send := func(conn net.Conn, r *bufio.Reader) int {
		_, err := io.WriteString(conn, request)
		require.NoError(t, err)
		resp, err := http.ReadResponse(r, nil)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	var open []net.Conn
	var readers []*bufio.Reader
	for range 2 {
		conn, err := net.Dial("tcp", f.admin)
		require.NoError(t, err)
		t.Cleanup(func() { conn.Close() })
		open, readers = append(open, conn), append(readers, bufio.NewReader(conn))
		require.Equal(t, http.StatusOK, send(conn, readers[len(readers)-1]))
	}
	require.Equal(t, http.StatusOK, send(open[0], readers[0]), "a counted connection keeps its place")

	third, err := net.Dial("tcp", f.admin)
	require.NoError(t, err)
	defer third.Close()
	assert.Equal(t, http.StatusServiceUnavailable, send(third, bufio.NewReader(third)))

	// Shop shares no limit with Admin.
	status, _ := f.get(t, f.shared, "shop.test", "/")
	assert.Equal(t, http.StatusOK, status)

	open[0].Close()
	require.Eventually(t, func() bool {
		conn, err := net.Dial("tcp", f.admin)
		if err != nil {
			return false
		}
		defer conn.Close()
		return send(conn, bufio.NewReader(conn)) == http.StatusOK
	}, 10*time.Second, 20*time.Millisecond, "a closed connection gives its place back")
}

// maxBandwidth paces what a site sends; the body arrives whole.
func TestSiteMaxBandwidthDeliversWhole(t *testing.T) {
	f := newSitesFixture(t, `<limits maxBandwidth="262144"/>`)
	big := bytes.Repeat([]byte("0123456789abcdef"), 32<<10) // 512 KiB: two seconds' budget
	require.NoError(t, os.WriteFile(filepath.Join(f.dirs["admin"], "big.bin"), big, 0o644))
	status, body := f.get(t, f.admin, "admin.test", "/big.bin")
	require.Equal(t, http.StatusOK, status)
	assert.True(t, bytes.Equal(big, []byte(body)), "the paced body arrives whole")
}
