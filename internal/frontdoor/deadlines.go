package frontdoor

import (
	"sync"
	"time"
)

// deadline holds one direction's deadline until an I/O call needs it. net/http and the host
// move a keep-alive connection's deadlines four to six times per request (header, idle, body,
// send), and each move of a runtime timer costs more than the hello module's whole pipeline;
// most are overwritten before any read or write waits on them.
//
// A deadline reaches the connection when a read or write starts, or at once when one is
// waiting (so that an earlier deadline still breaks it off). A later deadline is left unset
// while the one in force still gives at least 15/16 of the time asked for: a timeout may end
// up to 1/16 early, never late.
type deadline struct {
	mu      sync.Mutex
	want    time.Time // what was last asked for; zero: none
	applied time.Time // what the connection holds
	waiting int       // I/O calls under way in this direction
}

// earlyShare is the part of a timeout that may be given up to skip moving a deadline later.
const earlyShare = 16

// set records t; it reaches the connection now only if an I/O call is waiting on it.
func (d *deadline) set(t time.Time, apply func(time.Time) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.want = t
	if d.waiting == 0 {
		return nil // the next call applies it; an error then surfaces from that call
	}
	return d.push(apply)
}

// begin applies what was asked for before an I/O call; end must follow the call.
func (d *deadline) begin(apply func(time.Time) error) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.waiting++
	return d.push(apply)
}

func (d *deadline) end() {
	d.mu.Lock()
	d.waiting--
	d.mu.Unlock()
}

// push brings the connection's deadline to want unless the one it holds is close enough.
// Called with mu held.
func (d *deadline) push(apply func(time.Time) error) error {
	if d.want.Equal(d.applied) {
		return nil
	}
	if !d.want.IsZero() && !d.applied.IsZero() && d.applied.Before(d.want) {
		// Then the deadline in force is still ahead: at least 15/16 of left away.
		if left := time.Until(d.want); left > 0 && d.want.Sub(d.applied) <= left/earlyShare {
			return nil
		}
	}
	if err := apply(d.want); err != nil {
		return err
	}
	d.applied = d.want
	return nil
}

// SetReadDeadline takes effect at the next read, or now if a read is waiting (see deadline).
func (c *Conn) SetReadDeadline(t time.Time) error { return c.readBy.set(t, c.Conn.SetReadDeadline) }

// SetWriteDeadline takes effect at the next write, or now if a write is waiting.
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

// Write applies the write deadline asked for, then writes.
func (c *Conn) Write(b []byte) (int, error) {
	if err := c.writeBy.begin(c.Conn.SetWriteDeadline); err != nil {
		c.writeBy.end()
		return 0, err
	}
	defer c.writeBy.end()
	return c.Conn.Write(b)
}
