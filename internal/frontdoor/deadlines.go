package frontdoor

import (
	"errors"
	"os"
	"sync"
	"time"
)

// deadline holds one direction's deadline until an I/O call needs it. net/http and the host
// move a keep-alive connection's deadlines four to six times per request (header, idle, body,
// send), and each move of a runtime timer costs more than the hello module's whole pipeline.
//
// Only a deadline that would end I/O sooner than the one the connection holds is passed on:
// before a read or write starts, or at once when one is waiting. A deadline moved later or
// cleared is passed on only if the one held fires first, and the call it ended is then
// resumed, so a timeout still comes exactly when last asked for.
type deadline struct {
	mu      sync.Mutex
	want    time.Time // what was last asked for; zero: none
	applied time.Time // what the connection holds
	waiting int       // I/O calls under way in this direction
}

// set records t; a waiting call gets it at once when it is sooner than the one held.
func (d *deadline) set(t time.Time, apply func(time.Time) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.want = t
	if d.waiting == 0 || !d.sooner() {
		return nil
	}
	return d.push(apply)
}

// sooner says whether want ends I/O before applied does. Called with mu held.
func (d *deadline) sooner() bool {
	return !d.want.IsZero() && (d.applied.IsZero() || d.want.Before(d.applied))
}

// begin passes on what was asked for before an I/O call: a sooner deadline, or any change when
// the one held has already passed. end must follow the call.
func (d *deadline) begin(apply func(time.Time) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.waiting++
	if d.want.Equal(d.applied) {
		return nil
	}
	if d.sooner() || !d.applied.IsZero() && !d.applied.After(time.Now()) {
		return d.push(apply)
	}
	return nil
}

// end closes what begin opened. It reports whether err is a timeout of a deadline since moved
// later or cleared; that deadline is then in force, and the call should go on.
func (d *deadline) end(err error, apply func(time.Time) error) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.waiting--
	if err == nil || d.want.Equal(d.applied) || d.sooner() || !errors.Is(err, os.ErrDeadlineExceeded) {
		return false
	}
	return d.push(apply) == nil
}

// push passes want on to the connection. Called with mu held.
func (d *deadline) push(apply func(time.Time) error) error {
	if err := apply(d.want); err != nil {
		return err
	}
	d.applied = d.want
	return nil
}

// SetReadDeadline takes effect as deadline describes.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.readBy.set(t, c.Conn.SetReadDeadline) }

// SetWriteDeadline takes effect as deadline describes.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	return c.writeBy.set(t, c.Conn.SetWriteDeadline)
}

// SetDeadline sets both directions' deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	rerr := c.SetReadDeadline(t)
	if werr := c.SetWriteDeadline(t); rerr == nil {
		rerr = werr
	}
	return rerr
}

// readUnder reads from the connection under the read deadline asked for.
func (c *Conn) readUnder(b []byte) (int, error) {
	for {
		if err := c.readBy.begin(c.Conn.SetReadDeadline); err != nil {
			c.readBy.end(nil, nil)
			return 0, err
		}
		n, err := c.Conn.Read(b)
		if !c.readBy.end(err, c.Conn.SetReadDeadline) {
			return n, err
		}
		if n > 0 {
			return n, nil
		}
	}
}

// Write writes under the write deadline asked for.
func (c *Conn) Write(b []byte) (int, error) {
	written := 0
	for {
		if err := c.writeBy.begin(c.Conn.SetWriteDeadline); err != nil {
			c.writeBy.end(nil, nil)
			return written, err
		}
		n, err := c.Conn.Write(b[written:])
		written += n
		if !c.writeBy.end(err, c.Conn.SetWriteDeadline) {
			return written, err
		}
	}
}
