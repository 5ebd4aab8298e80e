package host_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// WebSocket opcodes (RFC 6455 §5.2) as the tests write them.
const (
	opCont   = 0x0
	opText   = 0x1
	opBinary = 0x2
	opClose  = 0x8
	opPing   = 0x9
	opPong   = 0xA
)

func webSocketServer(t *testing.T) *hosttest.Server {
	srv := hosttest.Serve(t, hosttest.Module{Name: "WebSocket", Image: hosttest.Build(t, "testdata/modules/websocket.cpp")})
	logOnFailure(t, srv)
	return srv
}

// logOnFailure shows the host log of a failed test: the modules report through it.
func logOnFailure(t *testing.T, srv *hosttest.Server) {
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(srv.Log.String())
		}
	})
}

// eventually waits (as a hang guard) for a line in the host log.
func eventually(t *testing.T, srv *hosttest.Server, text string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(srv.Log.String(), text) }, 20*time.Second, 5*time.Millisecond,
		"log has no %q:\n%s", text, srv.Log.String())
}

// TestWebSocketHandshake: the module's 101 and Flush make the host answer the handshake itself,
// with the headers RFC 6455 §4.2.2 asks for, on the connection it took over.
func TestWebSocketHandshake(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/echo", wsHeaders())
	assert.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
	assert.Equal(t, "101 Switching Protocols", c.resp.Status)
	assert.Equal(t, []string{"websocket"}, c.resp.Header.Values("Upgrade"))
	assert.Equal(t, []string{"Upgrade"}, c.resp.Header.Values("Connection"))
	assert.Equal(t, []string{testAccept}, c.resp.Header.Values("Sec-WebSocket-Accept"))
	c.frame(opClose, true, closePayload(1000, ""))
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, "echo:"))}, c.next())
	eventually(t, srv, "ws end /ws/echo")
	c.eof()
}

// TestWebSocketFramesWithTheHandshake: frames a client sends right behind its handshake, before
// the 101, are not lost when the host takes the connection over from net/http.
func TestWebSocketFramesWithTheHandshake(t *testing.T) {
	srv := webSocketServer(t)
	early := append(clientFrame(opText, true, []byte("early")), clientFrame(opClose, true, closePayload(1000, "now"))...)
	c := dialUpgradeEarly(t, srv.URL, "GET", "/ws/echo", wsHeaders(), early)
	require.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
	assert.Equal(t, wsFrame{true, opText, "early"}, c.next())
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, "echo:now"))}, c.next())
	c.eof()
}

// TestWebSocketSyncEcho: synchronous ReadFragment and WriteFragment on the request's thread.
// Each read returns at most one frame's bytes and the buffer's size, with the message's type
// and whether it ended; pings are answered by the host and never reach the module.
func TestWebSocketSyncEcho(t *testing.T) {
	srv := webSocketServer(t)
	big := strings.Repeat("0123456789", 7000) // 64-bit length
	mid := strings.Repeat("abc", 100)         // 16-bit length
	type sent struct {
		op      byte
		fin     bool
		payload string
	}
	cases := []struct {
		name string
		buf  string
		send []sent
		want []wsFrame
	}{
		{"text", "", []sent{{opText, true, "hello"}}, []wsFrame{{true, opText, "hello"}}},
		{"binary", "", []sent{{opBinary, true, "\x00\x01\xff"}}, []wsFrame{{true, opBinary, "\x00\x01\xff"}}},
		{"empty message", "", []sent{{opText, true, ""}}, []wsFrame{{true, opText, ""}}},
		{"16-bit length", "", []sent{{opBinary, true, mid}}, []wsFrame{{true, opBinary, mid}}},
		{"fragments with a ping between them", "", []sent{{opText, false, "Hel"}, {opPing, true, "p"}, {opCont, false, "lo "}, {opCont, true, "world"}},
			// The module echoes "Hel" before its next read meets the ping.
			[]wsFrame{{false, opText, "Hel"}, {true, opPong, "p"}, {false, opCont, "lo "}, {true, opCont, "world"}}},
		{"a frame larger than the buffer", "4", []sent{{opText, true, "abcdefghij"}},
			[]wsFrame{{false, opText, "abcd"}, {false, opCont, "efgh"}, {true, opCont, "ij"}}},
		{"pong from the client is dropped", "", []sent{{opPong, true, "x"}, {opBinary, true, "after"}}, []wsFrame{{true, opBinary, "after"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dialUpgrade(t, srv.URL, "GET", "/ws/echo?buf="+tc.buf, wsHeaders())
			require.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
			for _, s := range tc.send {
				c.frame(s.op, s.fin, []byte(s.payload))
			}
			for _, want := range tc.want {
				assert.Equal(t, want, c.next())
			}
			c.frame(opClose, true, closePayload(4001, "bye"))
			assert.Equal(t, wsFrame{true, opClose, string(closePayload(4001, "echo:bye"))}, c.next())
			c.eof()
		})
	}
	t.Run("64-bit length", func(t *testing.T) {
		c := dialUpgrade(t, srv.URL, "GET", "/ws/echo?buf=100000", wsHeaders())
		c.frame(opBinary, true, []byte(big))
		var got strings.Builder
		for {
			f := c.next()
			got.WriteString(f.Payload)
			if f.Fin {
				break
			}
		}
		assert.Equal(t, big, got.String())
		c.frame(opClose, true, nil)
		assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, "echo:"))}, c.next())
		eventually(t, srv, "ws echo close status=0x00000000 code=1005") // no code in the client's close
	})
	eventually(t, srv, "ws echo close status=0x00000000 code=4001")
}

// TestWebSocketProtocolError: a frame that breaks RFC 6455 (here: not masked) fails the read
// with ERROR_INVALID_DATA, and the host tells the client with close 1002.
func TestWebSocketProtocolError(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/echo", wsHeaders())
	_, err := c.conn.Write([]byte{0x81, 0x02, 'h', 'i'})
	require.NoError(t, err)
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1002, ""))}, c.next())
	eventually(t, srv, "ws echo read=0x8007000D")
	eventually(t, srv, "ws end /ws/echo")
}

// TestWebSocketBadArguments: every bad argument gets E_INVALIDARG, and GetCloseStatus before any
// close frame says there is none.
func TestWebSocketBadArguments(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/badargs", wsHeaders())
	const invalid = "0x80070057"
	want := "read-null-buffer=" + invalid + " read-null-size=" + invalid + " read-zero-size=" + invalid +
		" read-null-flags=" + invalid + " read-async-no-callback=" + invalid + " write-null-size=" + invalid +
		" write-null-data=" + invalid + " write-async-no-expected=" + invalid + " close-1005=" + invalid +
		" close-long-reason=" + invalid + " status-null=" + invalid + " status-none-yet=0x80070490"
	assert.Equal(t, wsFrame{true, opText, want}, c.next())
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, "done"))}, c.next())
}

// TestWebSocketConcurrentReads: while an asynchronous read is outstanding, another read fails
// with ERROR_INVALID_STATE, and a write goes through (a WebSocket is full duplex). The read
// completes through the module's callback on a host thread.
func TestWebSocketConcurrentReads(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/concurrent", wsHeaders())
	assert.Equal(t, wsFrame{true, opText, "second=0x8007139F sync=0x8007139F"}, c.next())
	// A synchronous write is done when WriteFragment returns, which may be after the client
	// read its frame: the client answers only then, or the callback's write could meet it.
	eventually(t, srv, "ws concurrent wrote=0x00000000")
	c.frame(opText, true, []byte("go"))
	assert.Equal(t, wsFrame{true, opText, "read=go"}, c.next())
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, ""))}, c.next())
	eventually(t, srv, "ws end /ws/concurrent")
}

// TestWebSocketConcurrentWrites: while an asynchronous write is outstanding (the client is not
// reading), another write fails with ERROR_INVALID_STATE; the first completes through its
// callback once the client reads, with the bytes and flags it wrote.
func TestWebSocketConcurrentWrites(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/bigwrite", wsHeaders())
	eventually(t, srv, "ws bigwrite second=0x8007139F")
	big := c.next()
	assert.Equal(t, wsFrame{true, opBinary, ""}, wsFrame{big.Fin, big.Op, ""})
	assert.True(t, big.Payload == strings.Repeat("w", 8<<20), "8 MiB of w, got %d bytes", len(big.Payload))
	assert.Equal(t, wsFrame{true, opText, "written=8388608 hr=0x00000000 utf8=0 final=1 close=0 second=0x8007139F"}, c.next())
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, ""))}, c.next())
}

// TestWebSocketCancel: CancelOutstandingIO completes the outstanding read with
// ERROR_OPERATION_ABORTED; the connection still works, for writing and for the next read.
func TestWebSocketCancel(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/cancel", wsHeaders())
	assert.Equal(t, wsFrame{true, opText, "cancelled=0x800703E3"}, c.next())
	c.frame(opText, true, []byte("more"))
	assert.Equal(t, wsFrame{true, opText, "then=more hr=0x00000000"}, c.next())
	assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, ""))}, c.next())
}

// TestWebSocketCloseTcpConnection: the socket closes at once, with no close frame; a later write
// fails with ERROR_CONNECTION_ABORTED, and the connection no longer says it is connected.
func TestWebSocketCloseTcpConnection(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/closetcp", wsHeaders())
	assert.Equal(t, wsFrame{true, opText, "bye"}, c.next())
	c.eof()
	eventually(t, srv, "ws write after close=0x800704D4 connected=0")
	eventually(t, srv, "ws end /ws/closetcp")
}

// TestWebSocketClientVanishes: a client that goes without a close frame fails the pending read
// with ERROR_CONNECTION_ABORTED; the request still runs its END notification and ends.
func TestWebSocketClientVanishes(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/vanish", wsHeaders())
	require.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
	c.conn.Close()
	eventually(t, srv, "ws vanish read=0x800704D4")
	eventually(t, srv, "ws end /ws/vanish")
}

// TestWebSocketCallbackThrows: an exception escaping a completion callback is logged and goes no
// further; the server keeps serving.
func TestWebSocketCallbackThrows(t *testing.T) {
	srv := webSocketServer(t)
	c := dialUpgrade(t, srv.URL, "GET", "/ws/throw", wsHeaders())
	c.frame(opText, true, []byte("x"))
	eventually(t, srv, "exception escaped a WebSocket completion callback: callback failed")
	eventually(t, srv, "ws end /ws/throw")
	resp, err := http.Get(srv.URL + "/ws/nocontext")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// TestWebSocketNoContextBeforeUpgrade: the named context exists only once the 101 went out.
func TestWebSocketNoContextBeforeUpgrade(t *testing.T) {
	srv := webSocketServer(t)
	for name, headers := range map[string]map[string]string{"plain request": nil, "handshake request": wsHeaders()} {
		t.Run(name, func(t *testing.T) {
			c := dialUpgrade(t, srv.URL, "GET", "/ws/nocontext", headers)
			assert.Equal(t, http.StatusOK, c.resp.StatusCode)
			body, err := io.ReadAll(c.resp.Body)
			require.NoError(t, err)
			assert.Equal(t, "context=null", string(body))
		})
	}
	// The request state a WebSocket session leaves is reused next (the idle stack is last in,
	// first out) and keeps its WebSocket context for a later upgrade; unnamed until then.
	t.Run("after a WebSocket session", func(t *testing.T) {
		ws := dialUpgrade(t, srv.URL, "GET", "/ws/echo", wsHeaders())
		require.Equal(t, http.StatusSwitchingProtocols, ws.resp.StatusCode)
		ws.frame(opClose, true, closePayload(1000, ""))
		assert.Equal(t, wsFrame{true, opClose, string(closePayload(1000, "echo:"))}, ws.next())
		ws.eof()
		eventually(t, srv, "ws end /ws/echo")
		c := dialUpgrade(t, srv.URL, "GET", "/ws/nocontext", nil)
		assert.Equal(t, http.StatusOK, c.resp.StatusCode)
		body, err := io.ReadAll(c.resp.Body)
		require.NoError(t, err)
		assert.Equal(t, "context=null", string(body))
	})
}

// TestUpgradeRefused: Flush of a 101 fails with ERROR_NOT_SUPPORTED when the request does not ask
// for the upgrade; the module then answers as it likes, and the log says what was missing.
func TestUpgradeRefused(t *testing.T) {
	srv := webSocketServer(t)
	without := func(name string) map[string]string {
		h := wsHeaders()
		delete(h, name)
		return h
	}
	with := func(name, value string) map[string]string {
		h := wsHeaders()
		h[name] = value
		return h
	}
	cases := []struct {
		name, method string
		headers      map[string]string
		log          string
	}{
		{"no Upgrade header", "GET", without("Upgrade"), "the request has no Upgrade header"},
		{"Connection without Upgrade", "GET", with("Connection", "keep-alive"), "the request's Connection header does not list Upgrade"},
		{"no key", "GET", without("Sec-WebSocket-Key"), "the request has no valid Sec-WebSocket-Key"},
		{"short key", "GET", with("Sec-WebSocket-Key", "c2hvcnQ="), "the request has no valid Sec-WebSocket-Key"},
		{"version 8", "GET", with("Sec-WebSocket-Version", "8"), "the request's Sec-WebSocket-Version is not 13"},
		{"POST", "POST", with("Content-Length", "0"), "a WebSocket upgrade needs a GET request"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := dialUpgrade(t, srv.URL, tc.method, "/ws/refuse", tc.headers)
			assert.Equal(t, http.StatusBadRequest, c.resp.StatusCode)
			body, err := io.ReadAll(c.resp.Body)
			require.NoError(t, err)
			assert.Equal(t, "flush=0x80070032", string(body))
			eventually(t, srv, `msg="upgrade refused: `+tc.log+`" module=WebSocket`)
		})
	}
}

// TestShutdownClosesWebSockets: Shutdown closes upgraded connections, so a module waiting on a
// read finishes its request, and Shutdown returns instead of waiting for the client.
func TestShutdownClosesWebSockets(t *testing.T) {
	srv, log, err := hosttest.Start(t, hosttest.Options{}, hosttest.Module{Name: "WebSocket", Image: hosttest.Build(t, "testdata/modules/websocket.cpp")})
	require.NoError(t, err)
	ts := httptest.NewServer(srv)
	c := dialUpgrade(t, ts.URL, "GET", "/ws/vanish", wsHeaders())
	require.Equal(t, http.StatusSwitchingProtocols, c.resp.StatusCode)
	ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second) // hang guard
	defer cancel()
	require.NoError(t, srv.Shutdown(ctx))
	assert.Contains(t, log.String(), "ws vanish read=0x800704D4")
	assert.Contains(t, log.String(), "ws end /ws/vanish")
}
