package frontdoor

import (
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"time"
)

// Listener caps open connections and wraps each in a Conn. When a connection arrives at the
// cap it makes room by closing the connection that has been idle (or silent since it opened)
// the longest, as nginx reuses keep-alive connections; when every connection is busy, Accept
// holds the new one (one over the cap) until another ends.
type Listener struct {
	net.Listener
	limits *Limits

	mu    sync.Mutex
	conns map[*Conn]struct{}
	freed chan struct{} // signalled when a connection ends
}

// NewListener wraps ln; l must already hold its defaults (Limits.WithDefaults).
func NewListener(ln net.Listener, l *Limits) *Listener {
	return &Listener{Listener: ln, limits: l, conns: map[*Conn]struct{}{}, freed: make(chan struct{}, 1)}
}

// Accept waits for the next connection, then for room under the cap. Room is made only for a
// connection that has arrived: making it ahead would close an idle (or just accepted, still
// silent) connection for a client that may never come.
func (l *Listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	for !l.makeRoom() {
		select {
		case <-l.freed:
		case <-time.After(100 * time.Millisecond): // idle connections may have appeared
		}
	}
	w := NewConn(c, l.limits)
	w.owner = l
	l.mu.Lock()
	l.conns[w] = struct{}{}
	l.mu.Unlock()
	return w, nil
}

// makeRoom reports whether a connection may be accepted, closing the longest-idle one when
// the cap is reached.
func (l *Listener) makeRoom() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.conns) < l.limits.MaxConnections {
		return true
	}
	var oldest *Conn
	for c := range l.conns {
		if c.idle.Load() && (oldest == nil || c.lastActive.Load() < oldest.lastActive.Load()) {
			oldest = c
		}
	}
	if oldest == nil {
		return false
	}
	delete(l.conns, oldest)
	oldest.Conn.Close()
	return true
}

// ConnState is an http.Server ConnState hook that keeps each connection's listener informed:
// chain it from the server's own hook.
func ConnState(c net.Conn, state http.ConnState) {
	w := counted(c)
	if w == nil {
		return
	}
	switch state {
	case http.StateNew, http.StateIdle:
		w.touch(true)
	case http.StateActive:
		w.touch(false)
	case http.StateHijacked, http.StateClosed:
		w.release()
	}
}

// counted finds the Conn a listener counts for c: c itself, or the TCP connection under a TLS
// one (served as HTTP/2, or tapped for HTTP/1).
func counted(c net.Conn) *Conn {
	switch v := c.(type) {
	case *Conn:
		if v.under != nil {
			return v.under
		}
		return v
	case *tls.Conn:
		w, _ := v.NetConn().(*Conn)
		return w
	}
	return nil
}

// release stops counting c against its listener's cap.
func (c *Conn) release() {
	l := c.owner
	if l == nil {
		return
	}
	l.mu.Lock()
	delete(l.conns, c)
	l.mu.Unlock()
	select {
	case l.freed <- struct{}{}:
	default:
	}
}
