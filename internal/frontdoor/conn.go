package frontdoor

import (
	"bytes"
	"crypto/tls"
	"errors"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// Conn watches the bytes net/http reads from a client and follows the HTTP/1.x framing of
// each request on its own, so that the door can see what net/http hides (a Content-Length
// beside Transfer-Encoding, Transfer-Encoding on HTTP/1.0, the true size of the head) and can
// refuse an oversized head before net/http buffers it. It never changes the bytes.
type Conn struct {
	net.Conn
	limits   *Limits
	owner    *Listener                       // nil for a Conn made by NewConn alone
	under    *Conn                           // for a tap over TLS: the TCP connection its listener counts
	sealed   bool                            // the bytes are TLS records: pass them through unread
	served   atomic.Pointer[tls.Certificate] // the certificate its TLS handshake presented
	inFlight atomic.Int32                    // requests on this connection between Admit and their end
	readBy   deadline
	writeBy  deadline

	mu       sync.Mutex
	heads    []*Head // seen on the wire, not yet claimed by a request
	state    wireState
	head     []byte // the head being read
	line     []byte // the chunk-size or trailer line being read
	left     int64  // body or chunk bytes still to skip
	oversize *Head  // a head refused for its size, not yet answered

	lastActive atomic.Int64 // unix nanoseconds of the last state change, for eviction order
	idle       atomic.Bool  // no request under way: may be closed to make room
}

type wireState int

const (
	wireHead wireState = iota
	wireBody
	wireChunkSize
	wireChunkData
	wireChunkEnd
	wireTrailer
	wireOpaque // stop following: an upgrade, CONNECT, or framing already refused
)

// maxHeadsQueued bounds heads read ahead of net/http (pipelining); past it the door stops
// following and the connection closes after its current request.
const maxHeadsQueued = 256

// maxChunkLine bounds a chunk-size or trailer line, as net/http's chunked reader does.
const maxChunkLine = 4096

// errRefused is what net/http sees when the door has answered a head itself: a read error it
// closes the connection on without writing a response of its own.
var errRefused = errors.New("frontdoor: request refused")

// NewConn wraps c. Listener does this for every accepted connection.
func NewConn(c net.Conn, l *Limits) *Conn {
	w := &Conn{Conn: c, limits: l}
	w.touch(true)
	return w
}

func (c *Conn) touch(idle bool) {
	c.lastActive.Store(time.Now().UnixNano())
	c.idle.Store(idle)
}

// Read passes bytes through and follows them.
func (c *Conn) Read(b []byte) (int, error) {
	n, err := c.readUnder(b)
	if n <= 0 || c.sealed {
		return n, err
	}
	c.mu.Lock()
	c.follow(b[:n])
	refused := c.oversize
	if refused != nil && c.inFlight.Load() == 0 {
		// net/http has not got this head: answer it here, before it is buffered whole.
		c.oversize = nil
		c.mu.Unlock()
		_ = c.SetWriteDeadline(time.Now().Add(c.limits.HeaderTimeout))
		_, _ = c.Write(refused.Refuse.response())
		return 0, &net.OpError{Op: "read", Net: "tcp", Err: errRefused}
	}
	c.mu.Unlock()
	return n, err
}

// follow advances the framing state over b. Called with mu held.
func (c *Conn) follow(b []byte) {
	for len(b) > 0 {
		switch c.state {
		case wireOpaque:
			return
		case wireHead:
			b = c.followHead(b)
		case wireBody, wireChunkData:
			n := int64(len(b))
			if n > c.left {
				n = c.left
			}
			c.left -= n
			b = b[n:]
			if c.left == 0 {
				if c.state == wireBody {
					c.state = wireHead
				} else {
					c.state = wireChunkEnd
				}
			}
		case wireChunkSize, wireChunkEnd, wireTrailer:
			b = c.followLine(b)
		}
	}
}

// followHead collects head bytes until the empty line that ends them.
func (c *Conn) followHead(b []byte) []byte {
	if len(c.head) == 0 {
		// RFC 9112 §2.2: empty lines before a request line are ignored.
		for len(b) > 0 && (b[0] == '\r' || b[0] == '\n') {
			b = b[1:]
		}
		if len(b) == 0 {
			return nil
		}
	}
	start := len(c.head)
	c.head = append(c.head, b...)
	from := start - 3
	if from < 0 {
		from = 0
	}
	end := headEnd(c.head, from)
	if end < 0 {
		if len(c.head) > c.limits.MaxRequestBytes {
			c.refuseOversize()
		}
		return nil
	}
	if end > c.limits.MaxRequestBytes+4 { // the limit counts the head without its final empty line
		c.refuseOversize()
		return nil
	}
	consumed := end - start
	head, kind, length := parseHead(c.head[:end], c.limits)
	c.head = c.head[:0]
	if len(c.heads) >= maxHeadsQueued {
		head.Refuse, head.Opaque = errLostTrack, true
	}
	c.heads = append(c.heads, head)
	switch {
	case head.Opaque:
		c.state = wireOpaque
	case kind == bodyLength && length > 0:
		c.state, c.left = wireBody, length
	case kind == bodyChunked:
		c.state = wireChunkSize
	}
	return b[consumed:]
}

// refuseOversize gives up on a head past MaxRequestBytes: when its request line is past the
// URL limit (or not even ended) the URL is too long (414), otherwise the headers are (400).
func (c *Conn) refuseOversize() {
	r := errHeadTooLong
	if line := bytes.IndexByte(c.head, '\n'); line < 0 || line > c.limits.MaxURLLength {
		r = errURLTooLong
	}
	c.oversize = &Head{Refuse: r, Opaque: true}
	c.heads = append(c.heads, c.oversize)
	c.head = nil
	c.state = wireOpaque
}

// headEnd finds the end of a head (just past its empty line) searching from from, or -1.
func headEnd(b []byte, from int) int {
	for i := from; i < len(b); i++ {
		if b[i] != '\n' {
			continue
		}
		if i+1 < len(b) && b[i+1] == '\n' {
			return i + 2
		}
		if i+2 < len(b) && b[i+1] == '\r' && b[i+2] == '\n' {
			return i + 3
		}
	}
	return -1
}

// followLine reads one chunk-size, chunk-end or trailer line.
func (c *Conn) followLine(b []byte) []byte {
	if c.state == wireChunkEnd {
		return c.followChunkEnd(b)
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		c.line = append(c.line, b...)
		if len(c.line) > maxChunkLine {
			c.badBody()
		}
		return nil
	}
	c.line = append(c.line, b[:i]...)
	line := bytes.TrimSuffix(c.line, []byte{'\r'})
	c.line = c.line[:0]
	switch c.state {
	case wireChunkSize:
		size, ok := parseChunkSize(line)
		switch {
		case !ok:
			c.badBody()
		case size == 0:
			c.state = wireTrailer
		default:
			c.state, c.left = wireChunkData, size
		}
	case wireTrailer:
		if len(line) == 0 {
			c.state = wireHead
		}
	}
	return b[i+1:]
}

// followChunkEnd expects the CRLF after a chunk's data, and knows at the first other byte that
// the framing is broken.
func (c *Conn) followChunkEnd(b []byte) []byte {
	for len(b) > 0 {
		switch {
		case b[0] == '\n':
			c.line = c.line[:0]
			c.state = wireChunkSize
			return b[1:]
		case b[0] == '\r' && len(c.line) == 0:
			c.line = append(c.line, '\r')
			b = b[1:]
		default:
			c.badBody()
			return nil
		}
	}
	return nil
}

// badBody marks the request whose body this is: its framing is broken, so nothing after it on
// this connection can be trusted.
func (c *Conn) badBody() {
	if n := len(c.heads); n > 0 && c.heads[n-1].Refuse == nil {
		c.heads[n-1].Refuse = errBadBody
	}
	c.state = wireOpaque
}

// parseChunkSize reads a chunk-size line: hex digits, then optional extensions after ';'.
func parseChunkSize(line []byte) (int64, bool) {
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 16 {
		return 0, false
	}
	var n int64
	for _, c := range line {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		n = n<<4 | int64(d)
	}
	return n, n >= 0
}

// claim takes the head net/http has just parsed as a request with this method and target.
// net/http answers "OPTIONS *" without a handler, so such heads are passed over.
func (c *Conn) claim(method, target string) *Head {
	c.mu.Lock()
	defer c.mu.Unlock()
	for len(c.heads) > 0 {
		h := c.heads[0]
		c.heads = c.heads[1:]
		if h == c.oversize {
			c.oversize = nil // answered through net/http after all
		}
		if h.Method == "OPTIONS" && h.Target == "*" && !(method == "OPTIONS" && target == "*") {
			continue
		}
		if h.Method != method || h.Target != target {
			if h.Refuse != nil {
				return h
			}
			// The door and net/http disagree on where this request starts: refuse it.
			return &Head{Refuse: errLostTrack, Opaque: true}
		}
		return h
	}
	// net/http parsed a request the door never saw whole: refuse rather than guess.
	return &Head{Refuse: errLostTrack, Opaque: true}
}
