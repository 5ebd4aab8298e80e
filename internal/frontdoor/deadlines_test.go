package frontdoor

import (
	"errors"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// settingsSeen records the deadlines that reach the connection under a Conn.
type settingsSeen struct {
	net.Conn
	mu            sync.Mutex
	reads, writes []time.Time
}

func (s *settingsSeen) SetReadDeadline(t time.Time) error {
	s.mu.Lock()
	s.reads = append(s.reads, t)
	s.mu.Unlock()
	return s.Conn.SetReadDeadline(t)
}

func (s *settingsSeen) SetWriteDeadline(t time.Time) error {
	s.mu.Lock()
	s.writes = append(s.writes, t)
	s.mu.Unlock()
	return s.Conn.SetWriteDeadline(t)
}

func (s *settingsSeen) seen() (reads, writes []time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Time(nil), s.reads...), append([]time.Time(nil), s.writes...)
}

// tcpPair is a connected loopback pair: the server side wrapped in a Conn over settingsSeen.
func tcpPair(t *testing.T) (*Conn, *settingsSeen, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	server, err := ln.Accept()
	require.NoError(t, err)
	t.Cleanup(func() { client.Close(); server.Close() })
	seen := &settingsSeen{Conn: server}
	l := Limits{}.WithDefaults()
	return NewConn(seen, &l), seen, client
}

func TestDeadlinesLaterOrClearedWait(t *testing.T) {
	c, seen, client := tcpPair(t)
	at := time.Now().Add(time.Minute)
	require.NoError(t, c.SetReadDeadline(at))
	reads, _ := seen.seen()
	require.Len(t, reads, 1, "the first deadline is sooner than none: passed on at once")

	// Cleared, set again, moved later: the one held ends nothing early, so it stays, and a
	// read that completes passes nothing on either.
	require.NoError(t, c.SetReadDeadline(time.Time{}))
	require.NoError(t, c.SetReadDeadline(at))
	require.NoError(t, c.SetReadDeadline(at.Add(time.Minute)))
	_, err := client.Write([]byte("x"))
	require.NoError(t, err)
	_, err = c.Read(make([]byte, 1))
	require.NoError(t, err)
	reads, _ = seen.seen()
	require.Len(t, reads, 1)

	// Once the one held has passed, any new deadline is passed on at once.
	passed := time.Now().Add(20 * time.Millisecond)
	require.NoError(t, c.SetReadDeadline(passed))
	time.Sleep(50 * time.Millisecond)
	later := time.Now().Add(time.Minute)
	require.NoError(t, c.SetReadDeadline(later))
	reads, _ = seen.seen()
	require.Len(t, reads, 3)
	require.True(t, reads[1].Equal(passed))
	require.True(t, reads[2].Equal(later))
}

func TestDeadlinesPassedOnWhenSooner(t *testing.T) {
	c, seen, client := tcpPair(t)
	first := time.Now().Add(time.Minute)
	require.NoError(t, c.SetWriteDeadline(first))
	_, err := c.Write([]byte("a"))
	require.NoError(t, err)

	// Later, or none: the deadline held stays, as it ends nothing before the one asked for.
	require.NoError(t, c.SetWriteDeadline(first.Add(time.Minute)))
	_, err = c.Write([]byte("b"))
	require.NoError(t, err)
	require.NoError(t, c.SetWriteDeadline(time.Time{}))
	_, err = c.Write([]byte("c"))
	require.NoError(t, err)
	_, writes := seen.seen()
	require.Len(t, writes, 1)

	// Sooner always goes through.
	sooner := time.Now().Add(30 * time.Second)
	require.NoError(t, c.SetWriteDeadline(sooner))
	_, err = c.Write([]byte("d"))
	require.NoError(t, err)
	_, writes = seen.seen()
	require.Len(t, writes, 2)
	require.True(t, writes[1].Equal(sooner))

	got := make([]byte, 4)
	_, err = readFull(client, got)
	require.NoError(t, err)
	require.Equal(t, "abcd", string(got))
}

func TestDeadlineStillFires(t *testing.T) {
	c, _, _ := tcpPair(t)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err := c.Read(make([]byte, 1)) // the client sends nothing
	require.True(t, errors.Is(err, os.ErrDeadlineExceeded), "got %v", err)
}

func TestDeadlineMovedLaterWhileWaiting(t *testing.T) {
	for _, later := range []time.Duration{10 * time.Second, 0} {
		c, _, client := tcpPair(t)
		require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
		done := make(chan error, 1)
		go func() {
			_, err := c.Read(make([]byte, 1))
			done <- err
		}()
		time.Sleep(10 * time.Millisecond)
		at := time.Time{}
		if later > 0 {
			at = time.Now().Add(later)
		}
		require.NoError(t, c.SetReadDeadline(at))
		time.Sleep(200 * time.Millisecond) // past the first deadline
		_, err := client.Write([]byte("x"))
		require.NoError(t, err)
		require.NoError(t, <-done, "the read must wait for the deadline asked for last (%v)", later)
	}
}

func TestDeadlineBreaksAWaitingRead(t *testing.T) {
	c, _, _ := tcpPair(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1)) // the client sends nothing
		done <- err
	}()
	// Until the read has started, the deadline would wait for it; either way it must end it.
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, c.SetReadDeadline(time.Unix(1, 0)))
	select {
	case err := <-done:
		require.True(t, errors.Is(err, os.ErrDeadlineExceeded), "got %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("a deadline in the past did not end the waiting read")
	}
}

func TestDeadlineClearedBeforeItFires(t *testing.T) {
	c, _, client := tcpPair(t)
	require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err := client.Write([]byte("x"))
	require.NoError(t, err)
	_, err = c.Read(make([]byte, 1)) // applies the 50 ms deadline
	require.NoError(t, err)
	require.NoError(t, c.SetReadDeadline(time.Time{}))
	go func() {
		time.Sleep(200 * time.Millisecond) // past the old deadline
		_, _ = client.Write([]byte("y"))
	}()
	_, err = c.Read(make([]byte, 1))
	require.NoError(t, err, "a cleared deadline must not end a later read")
}

func readFull(c net.Conn, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := c.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
