package frontdoor

import (
	"io"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// At the cap, the connection idle the longest is closed to make room, whatever order the
// connections were accepted in; a busy one is never closed.
func TestListenerEvictsLongestIdle(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer tcp.Close()
	l := Limits{MaxConnections: 3}.WithDefaults()
	ln := NewListener(tcp, &l)
	accept := func() (client net.Conn, served *Conn) {
		client, err := net.Dial("tcp", tcp.Addr().String())
		require.NoError(t, err)
		t.Cleanup(func() { client.Close() })
		c, err := ln.Accept()
		require.NoError(t, err)
		return client, c.(*Conn)
	}
	_, busy := accept()
	firstClient, first := accept()
	secondClient, second := accept()
	ConnState(busy, http.StateActive)
	// The first accepted ends its request last: the second has been idle longer.
	for _, c := range []*Conn{second, first} {
		ConnState(c, http.StateActive)
		ConnState(c, http.StateIdle)
	}

	_, _ = accept()
	_, err = second.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed, "the longest idle connection was closed")
	_, err = secondClient.Read(make([]byte, 1))
	assert.ErrorIs(t, err, io.EOF)
	_, err = first.Write([]byte("x"))
	require.NoError(t, err, "the connection idle for less time stays open")
	got := make([]byte, 1)
	_, err = io.ReadFull(firstClient, got)
	require.NoError(t, err)
	assert.Equal(t, "x", string(got))

	// Only the busy connection and the newest (silent since accepted, so idle) remain besides
	// first: the next arrival closes first, idle longer than the silent one.
	_, _ = accept()
	_, err = first.Read(make([]byte, 1))
	assert.ErrorIs(t, err, net.ErrClosed)
	_, err = busy.Write([]byte("x"))
	assert.NoError(t, err, "a busy connection is never closed to make room")
}
