package frontdoor

import (
	"errors"
	"net"
	"os"
	"sync"
	"time"
)

// deadline holds one direction's deadline for the connection. net/http and the host move a
// keep-alive connection's deadlines four to six times per request (header, body, idle, send),
// and each move of a runtime timer costs more than the hello module's whole pipeline.
//
// A deadline that ends I/O sooner than the one the connection holds is passed on at once. One
// moved later, or cleared, is passed on only if the one held fires first: the call it ended
// is then resumed, so a timeout still comes exactly when last asked for. Nothing is passed on
// from inside a read or write but in that rare case: deep calls there would grow the stack of
// every connection's goroutines, which a parked request keeps.
type deadline struct {
	mu      sync.Mutex
	want    time.Time // what was last asked for; zero: none
	applied time.Time // what the connection holds
}

// set records t, and passes it on when it is sooner than the one held, or when that one has
// passed already (a call would otherwise fail at once, and have to be resumed).
func (d *deadline) set(t time.Time, c net.Conn, read bool) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.want = t
	if d.want.Equal(d.applied) {
		return nil
	}
	if d.sooner() || !d.want.IsZero() && !d.applied.After(time.Now()) {
		return d.push(c, read)
	}
	return nil
}

// sooner says whether want ends I/O before applied does. Called with mu held.
func (d *deadline) sooner() bool {
	return !d.want.IsZero() && (d.applied.IsZero() || d.want.Before(d.applied))
}

// resumes says whether err, which ended a call, is a timeout of a deadline since moved later or
// cleared; that deadline is then in force, and the call should go on.
func (d *deadline) resumes(err error, c net.Conn, read bool) bool {
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.want.Equal(d.applied) || d.sooner() {
		return false
	}
	return d.push(c, read) == nil
}

// push passes want on to the connection. Called with mu held.
func (d *deadline) push(c net.Conn, read bool) error {
	var err error
	if read {
		err = c.SetReadDeadline(d.want)
	} else {
		err = c.SetWriteDeadline(d.want)
	}
	if err == nil {
		d.applied = d.want
	}
	return err
}

// SetReadDeadline takes effect as deadline describes.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.readBy.set(t, c.Conn, true) }

// SetWriteDeadline takes effect as deadline describes.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.writeBy.set(t, c.Conn, false) }

// SetDeadline sets both directions' deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	rerr := c.SetReadDeadline(t)
	if werr := c.SetWriteDeadline(t); rerr == nil {
		rerr = werr
	}
	return rerr
}

// readUnder reads from the connection, resumed when a deadline since moved ended the read.
func (c *Conn) readUnder(b []byte) (int, error) {
	for {
		n, err := c.Conn.Read(b)
		if err == nil || !c.readBy.resumes(err, c.Conn, true) {
			return n, err
		}
		if n > 0 {
			return n, nil
		}
	}
}

// Write writes, resumed when a deadline since moved ended the write.
func (c *Conn) Write(b []byte) (int, error) {
	written := 0
	for {
		n, err := c.Conn.Write(b[written:])
		written += n
		if err == nil || !c.writeBy.resumes(err, c.Conn, false) {
			return written, err
		}
	}
}
