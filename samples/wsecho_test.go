package samples_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// wsecho serves the echo sample alone and dials /echo with gorilla's client. A small write
// buffer makes the client send long messages in several frames.
func wsecho(t *testing.T) (*hosttest.Server, func(*testing.T) *websocket.Conn) {
	t.Helper()
	srv := hosttest.Serve(t, hosttest.Module{Name: "WsEcho", Image: hosttest.Build(t, "samples/wsecho/wsecho.cpp")})
	t.Cleanup(func() {
		if t.Failed() {
			t.Log(srv.Log.String())
		}
	})
	dial := func(t *testing.T) *websocket.Conn {
		t.Helper()
		dialer := websocket.Dialer{WriteBufferSize: 8, HandshakeTimeout: 30 * time.Second}
		conn, resp, err := dialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/echo", nil)
		require.NoError(t, err)
		require.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(30*time.Second))) // hang guard
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	return srv, dial
}

// logEventually waits (as a hang guard) until the host log holds text.
func logEventually(t *testing.T, srv *hosttest.Server, text string) {
	t.Helper()
	require.Eventually(t, func() bool { return strings.Contains(srv.Log.String(), text) }, 20*time.Second, 5*time.Millisecond,
		"log has no %q", text)
}

func TestWsEcho(t *testing.T) {
	srv, dial := wsecho(t)

	t.Run("messages of each kind come back as they went", func(t *testing.T) {
		conn := dial(t)
		long := strings.Repeat("fragmented ", 50) // sent in 8-byte frames
		for _, m := range []struct {
			kind int
			data string
		}{
			{websocket.TextMessage, "hello"},
			{websocket.BinaryMessage, "\x00\x01\x02\xff"},
			{websocket.TextMessage, long},
			{websocket.TextMessage, "héllo ✓"},
		} {
			require.NoError(t, conn.WriteMessage(m.kind, []byte(m.data)))
			kind, data, err := conn.ReadMessage()
			require.NoError(t, err)
			assert.Equal(t, m.kind, kind)
			assert.Equal(t, m.data, string(data))
		}
	})

	t.Run("a ping is answered by the host", func(t *testing.T) {
		conn := dial(t)
		pongs := make(chan string, 1)
		conn.SetPongHandler(func(data string) error {
			pongs <- data
			return nil
		})
		require.NoError(t, conn.WriteControl(websocket.PingMessage, []byte("are you there"), time.Now().Add(10*time.Second)))
		require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("after the ping")))
		_, data, err := conn.ReadMessage() // pong handlers run while reading
		require.NoError(t, err)
		assert.Equal(t, "after the ping", string(data))
		require.Len(t, pongs, 1)
		assert.Equal(t, "are you there", <-pongs)
	})

	t.Run("many messages in a row", func(t *testing.T) {
		conn := dial(t)
		const n = 500
		go func() {
			for i := range n {
				if conn.WriteMessage(websocket.TextMessage, []byte(fmt.Sprintf("message %d", i))) != nil {
					return
				}
			}
		}()
		for i := range n {
			_, data, err := conn.ReadMessage()
			require.NoError(t, err)
			require.Equal(t, fmt.Sprintf("message %d", i), string(data))
		}
	})

	t.Run("many connections at once", func(t *testing.T) {
		const conns, msgs = 40, 50
		errs := make(chan error, conns)
		for c := range conns {
			conn := dial(t)
			go func() {
				for i := range msgs {
					want := fmt.Sprintf("conn %d message %d", c, i)
					if err := conn.WriteMessage(websocket.TextMessage, []byte(want)); err != nil {
						errs <- err
						return
					}
					if _, got, err := conn.ReadMessage(); err != nil || string(got) != want {
						errs <- fmt.Errorf("%s: got %q, %v", want, got, err)
						return
					}
				}
				errs <- conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(1000, ""), time.Now().Add(10*time.Second))
			}()
		}
		for range conns {
			assert.NoError(t, <-errs)
		}
	})

	t.Run("a large binary message", func(t *testing.T) {
		conn := dial(t)
		big := bytes.Repeat([]byte{0, 1, 2, 3, 254, 255}, 20000) // larger than the module's buffer
		w, err := conn.NextWriter(websocket.BinaryMessage)
		require.NoError(t, err)
		_, err = w.Write(big)
		require.NoError(t, err)
		require.NoError(t, w.Close())
		kind, data, err := conn.ReadMessage()
		require.NoError(t, err)
		assert.Equal(t, websocket.BinaryMessage, kind)
		assert.Equal(t, big, data)
	})

	t.Run("close with a code and reason is answered in kind", func(t *testing.T) {
		conn := dial(t)
		require.NoError(t, conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(4321, "see you"), time.Now().Add(10*time.Second)))
		_, _, err := conn.ReadMessage()
		var closed *websocket.CloseError
		require.ErrorAs(t, err, &closed)
		assert.Equal(t, &websocket.CloseError{Code: 4321, Text: "see you"}, closed)
		logEventually(t, srv, `msg="wsecho: connection ended: closed by the client, close sent: 0x00000000"`)
	})

	t.Run("a client that vanishes ends the request", func(t *testing.T) {
		before := strings.Count(srv.Log.String(), "wsecho: request ended")
		conn := dial(t)
		require.NoError(t, conn.WriteMessage(websocket.TextMessage, []byte("one")))
		_, _, err := conn.ReadMessage()
		require.NoError(t, err)
		require.NoError(t, conn.NetConn().Close()) // no close frame
		logEventually(t, srv, `msg="wsecho: connection ended: read failed 0x800704D4"`)
		require.Eventually(t, func() bool { return strings.Count(srv.Log.String(), "wsecho: request ended") > before },
			20*time.Second, 5*time.Millisecond)
	})

	t.Run("a plain request is refused", func(t *testing.T) {
		check{"no handshake", request{path: "/echo"}, 400, map[string]string{"Content-Type": textPlain}, "WebSocket handshake expected\n"}.run(t, srv.URL)
	})

	t.Run("other paths are left alone", func(t *testing.T) {
		check{"other path", request{path: "/elsewhere"}, 404, nil, notFound}.run(t, srv.URL)
	})
}
