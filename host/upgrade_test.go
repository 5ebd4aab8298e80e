package host_test

import (
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

func upgradeServer(t *testing.T) *hosttest.Server {
	return hosttest.Serve(t, hosttest.Module{Name: "Upgrade", Image: hosttest.Build(t, "testdata/modules/upgrade.cpp")})
}

// rawHeaders ask for an upgrade to a protocol of the test's own.
func rawHeaders() map[string]string {
	return map[string]string{"Upgrade": "iishost-test", "Connection": "Upgrade"}
}

// TestUpgradeRawEcho: after a 101 for any protocol, ReadEntityBody and WriteEntityChunks + Flush
// move raw bytes, synchronously or each through OnAsyncCompletion; the client ending its side
// fails the next read with ERROR_HANDLE_EOF. No HTTP response follows the 101.
func TestUpgradeRawEcho(t *testing.T) {
	srv := upgradeServer(t)
	for _, mode := range []string{"sync", "async"} {
		t.Run(mode, func(t *testing.T) {
			c := dialUpgrade(t, srv.URL, "GET", "/raw/"+mode, rawHeaders())
			assert.Equal(t, "101 Switching Protocols", c.resp.Status)
			assert.Equal(t, []string{"iishost-test"}, c.resp.Header.Values("Upgrade"))
			assert.Equal(t, []string{"Upgrade"}, c.resp.Header.Values("Connection"))
			assert.Equal(t, []string{mode}, c.resp.Header.Values("X-Proto"))
			assert.Empty(t, c.resp.Header.Values("Sec-WebSocket-Accept"))
			for _, word := range []string{"hello\n", "world\n"} {
				_, err := c.conn.Write([]byte(word))
				require.NoError(t, err)
				assert.Equal(t, map[string]string{"hello\n": "HELLO\n", "world\n": "WORLD\n"}[word], c.line())
			}
			require.NoError(t, c.conn.(*net.TCPConn).CloseWrite())
			assert.Equal(t, "end=0x80070026\n", c.line())
			c.eof()
			eventually(t, srv, "raw end /raw/"+mode)
		})
	}
}

// TestUpgradeFullDuplex: an outstanding read refuses a second read with ERROR_INVALID_STATE; it
// refuses a write too unless the module called EnableFullDuplex.
func TestUpgradeFullDuplex(t *testing.T) {
	cases := []struct {
		duplex, tick, write string
	}{
		{"1", "tick\n", "0x00000000"},
		{"0", "", "0x8007139F"},
	}
	for _, tc := range cases {
		t.Run("duplex="+tc.duplex, func(t *testing.T) {
			srv := upgradeServer(t)
			c := dialUpgrade(t, srv.URL, "GET", "/raw/duplex?duplex="+tc.duplex, rawHeaders())
			require.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
			// The client speaks only once the module tried both, so the read is still outstanding.
			eventually(t, srv, "raw duplex second=0x8007139F write="+tc.write)
			if tc.tick != "" {
				assert.Equal(t, tc.tick, c.line())
			}
			_, err := c.conn.Write([]byte("x"))
			require.NoError(t, err)
			assert.Equal(t, "read=x second=0x8007139F write="+tc.write+"\n", c.line())
			c.eof()
		})
	}
}

// TestUpgradeReadAndWriteTogether: in full duplex an asynchronous read and an asynchronous write
// are outstanding at once, and each completion reaches OnAsyncCompletion, also when both finish
// together.
func TestUpgradeReadAndWriteTogether(t *testing.T) {
	srv := upgradeServer(t)
	for range 10 {
		// "abc" goes with the request, so the read can finish as soon as it starts, with the write.
		c := dialUpgradeEarly(t, srv.URL, "GET", "/raw/both", rawHeaders(), []byte("abc"))
		require.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
		assert.Equal(t, "hello\n", c.line())
		assert.Equal(t, "completions=2 read=abc\n", c.line())
		c.eof()
	}
}

// TestUpgradeRawBadArguments: bad arguments on the upgraded stream get E_INVALIDARG; chunk kinds
// other than memory are not implemented there.
func TestUpgradeRawBadArguments(t *testing.T) {
	srv := upgradeServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/raw/badargs", rawHeaders())
	const invalid = "0x80070057"
	assert.Equal(t, "read-null-buffer="+invalid+" read-zero-size="+invalid+" read-async-no-pending="+invalid+
		" write-no-chunks="+invalid+" write-async-no-expected="+invalid+" write-file-chunk=0x80004001"+
		" flush-async-no-expected="+invalid+"\n", c.line())
	c.eof()
}
