package host_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/hosttest"
)

// rawReply is one response read off a raw connection, body included.
type rawReply struct {
	status int
	header http.Header
	body   string
}

// rawExchange writes request bytes exactly as given (no client library to tidy them up), then
// reads every response the server sends until it closes the connection or goes quiet for a
// second. closed reports whether the server closed the connection.
func rawExchange(t *testing.T, srv *hosttest.Server, request string) (replies []rawReply, closed bool) {
	t.Helper()
	conn := rawDial(t, srv)
	_, err := io.WriteString(conn, request)
	require.NoError(t, err)
	return rawReadAll(t, conn)
}

func rawDial(t *testing.T, srv *hosttest.Server) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", srv.Listener.Addr().String())
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

// rawReadAll reads responses off conn as rawExchange does.
func rawReadAll(t *testing.T, conn net.Conn) (replies []rawReply, closed bool) {
	t.Helper()
	br := bufio.NewReader(conn)
	for {
		require.NoError(t, conn.SetReadDeadline(time.Now().Add(time.Second)))
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return replies, rawClosed(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		replies = append(replies, rawReply{status: resp.StatusCode, header: resp.Header, body: string(body)})
		if err != nil {
			return replies, rawClosed(err)
		}
	}
}

// rawReadOne reads one response off conn, waiting up to ten seconds for it.
func rawReadOne(t *testing.T, conn net.Conn) rawReply {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return rawReply{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

// rawClosed tells a closed connection from one that merely went quiet.
func rawClosed(err error) bool {
	return !errors.Is(err, os.ErrDeadlineExceeded)
}

// rawAwaitClose reads from conn until the server closes it or bound passes; it reports
// whether the server closed it.
func rawAwaitClose(conn net.Conn, bound time.Duration) bool {
	_ = conn.SetReadDeadline(time.Now().Add(bound))
	_, err := io.Copy(io.Discard, conn)
	return !errors.Is(err, os.ErrDeadlineExceeded)
}
