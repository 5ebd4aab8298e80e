package frontdoor

import (
	"bytes"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// TLSListener serves HTTPS behind the door: the cap and eviction of Listener on the TCP
// connections (whose bytes, TLS records, it does not follow), handshakes off the Accept path
// under HeaderTimeout, and then, per connection, what net/http needs to see:
//   - ALPN chose h2: the *tls.Conn itself, which net/http hands to its HTTP/2 server;
//   - otherwise: a Conn over the *tls.Conn, so that HTTP/1.x over TLS is followed on the wire
//     as over plain TCP. net/http then sets no r.TLS; TLSState finds the state instead.
type TLSListener struct {
	inner    *Listener
	config   *tls.Config
	limits   *Limits
	logger   *slog.Logger
	failures failureLog

	ready chan net.Conn // handshaken connections
	errs  chan error    // Accept errors of the TCP listener
	done  chan struct{}
	once  sync.Once
}

// NewTLSListener starts accepting on ln. l must already hold its defaults. An http.Server
// serving it needs ConfigureHTTP2 for h2 connections.
func NewTLSListener(ln net.Listener, cfg *tls.Config, l *Limits, logger *slog.Logger) *TLSListener {
	if logger == nil {
		logger = slog.Default()
	}
	t := &TLSListener{
		inner: NewListener(ln, l), config: recordServed(cfg), limits: l, logger: logger,
		ready: make(chan net.Conn), errs: make(chan error), done: make(chan struct{}),
	}
	t.failures.logger, t.failures.now = logger, time.Now
	go t.acceptLoop()
	return t
}

// Accept returns the next connection whose handshake completed.
func (t *TLSListener) Accept() (net.Conn, error) {
	select {
	case c := <-t.ready:
		return c, nil
	case err := <-t.errs:
		return nil, err
	case <-t.done:
		return nil, net.ErrClosed
	}
}

// Close stops accepting; handshakes under way end with their deadline.
func (t *TLSListener) Close() error {
	t.once.Do(func() { close(t.done) })
	return t.inner.Close()
}

// Addr is the TCP listener's address.
func (t *TLSListener) Addr() net.Addr { return t.inner.Addr() }

func (t *TLSListener) acceptLoop() {
	backoff := time.Duration(0)
	for {
		c, err := t.inner.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				t.Close()
				return
			}
			// Pass it on (net/http logs it and retries a temporary one), then back off as
			// net/http does, so that a persistent error (out of descriptors) does not spin.
			select {
			case t.errs <- err:
			case <-t.done:
				return
			}
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		w := c.(*Conn)
		w.sealed = true
		go t.handshake(w)
	}
}

// handshake runs one TLS handshake, bounded by HeaderTimeout so that a silent client holds
// nothing but its own goroutine and its place under the cap (where it may be evicted).
func (t *TLSListener) handshake(w *Conn) {
	tc := tls.Server(w, t.config)
	_ = tc.SetDeadline(time.Now().Add(t.limits.HeaderTimeout))
	if err := tc.Handshake(); err != nil {
		t.refuse(w, err)
		return
	}
	_ = tc.SetDeadline(time.Time{})
	var c net.Conn = tc
	if tc.ConnectionState().NegotiatedProtocol != "h2" {
		tap := NewConn(tc, t.limits)
		tap.under = w
		c = tap
	}
	select {
	case t.ready <- c:
	case <-t.done:
		_ = w.Conn.Close()
		w.release()
	}
}

// plainHTTPAnswer tells a client that spoke plain HTTP to the TLS port what went wrong.
const plainHTTPAnswer = "HTTP/1.0 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n" +
	"This port speaks HTTPS: the request was sent as plain HTTP.\n"

// refuse ends a connection whose handshake failed, with one log line.
func (t *TLSListener) refuse(w *Conn, err error) {
	var rec tls.RecordHeaderError
	if errors.As(err, &rec) && rec.Conn != nil && looksLikeHTTP(rec.RecordHeader[:]) {
		_ = rec.Conn.SetWriteDeadline(time.Now().Add(t.limits.HeaderTimeout))
		_, _ = rec.Conn.Write([]byte(plainHTTPAnswer))
	}
	t.failures.log(w.RemoteAddr(), err) // before the close, which the client may be waiting on
	_ = w.Conn.Close()
	w.release()
}

// looksLikeHTTP reports whether a would-be TLS record header is the start of an HTTP method.
func looksLikeHTTP(b []byte) bool {
	for _, m := range []string{"GET ", "HEAD ", "POST ", "PUT ", "DELET", "OPTIO", "PATCH", "CONNE", "TRACE"} {
		if bytes.HasPrefix(b, []byte(m)[:min(len(m), len(b))]) {
			return true
		}
	}
	return false
}

// failureLog writes one line per failed handshake, at most failureBurst a second; past that
// it counts them and says how many went unlogged on the next line it writes.
type failureLog struct {
	logger     *slog.Logger
	now        func() time.Time // time.Now; a test's clock
	mu         sync.Mutex
	window     time.Time
	inWindow   int
	suppressed int
}

const failureBurst = 10

func (f *failureLog) log(remote net.Addr, err error) {
	f.mu.Lock()
	now := f.now()
	if now.Sub(f.window) >= time.Second {
		f.window, f.inWindow = now, 0
	}
	f.inWindow++
	if f.inWindow > failureBurst {
		f.suppressed++
		f.mu.Unlock()
		return
	}
	skipped := f.suppressed
	f.suppressed = 0
	f.mu.Unlock()
	args := []any{"remote", remote.String(), "error", err}
	if skipped > 0 {
		args = append(args, "unlogged_before", skipped)
	}
	f.logger.Warn("TLS handshake failed; connection closed", args...)
}

// TLSState is the TLS state of the connection r came on, nil over plain HTTP: r.TLS for
// HTTP/2 (and any *tls.Conn net/http served itself), the tapped connection's for HTTP/1.x.
func TLSState(r *http.Request) *tls.ConnectionState {
	if r.TLS != nil {
		return r.TLS
	}
	if c, ok := r.Context().Value(connKey{}).(*Conn); ok {
		if tc, ok := c.Conn.(*tls.Conn); ok {
			cs := tc.ConnectionState()
			return &cs
		}
	}
	return nil
}

// ConfigureHTTP2 readies hs to serve h2 connections from a TLSListener: net/http serves HTTP/2
// itself on a *tls.Conn whose ALPN chose h2, once the server knows it is a TLS server. Its
// header list limit is hs.MaxHeaderBytes (set it first); Admit checks each h2 request's head
// against the door's limits as it does for a request it did not see on the wire.
func ConfigureHTTP2(hs *http.Server, cfg *tls.Config) {
	hs.TLSConfig = cfg
	if hs.Protocols == nil {
		hs.Protocols = new(http.Protocols)
		hs.Protocols.SetHTTP1(true)
		hs.Protocols.SetHTTP2(true)
	}
	if hs.HTTP2 == nil {
		// net/http's defaults, spelled out: 250 streams a connection, 16 KiB frames read.
		hs.HTTP2 = &http.HTTP2Config{MaxConcurrentStreams: 250, MaxReadFrameSize: 1 << 14}
	}
}

// recordServed makes each handshake remember on its Conn the certificate it presented, which
// tls.ConnectionState does not tell, for ServerCertificate.
func recordServed(cfg *tls.Config) *tls.Config {
	cfg = cfg.Clone()
	if get := cfg.GetCertificate; get != nil {
		cfg.GetCertificate = func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			cert, err := get(hello)
			if w, ok := hello.Conn.(*Conn); ok && err == nil {
				w.served.Store(cert)
			}
			return cert, err
		}
	}
	if per := cfg.GetConfigForClient; per != nil {
		cfg.GetConfigForClient = func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
			c, err := per(hello)
			if c == nil || err != nil {
				return c, err
			}
			c = c.Clone()
			c.GetConfigForClient = nil
			return recordServed(c), nil
		}
	}
	return cfg
}

// ServerCertificate is the certificate the TLS handshake of r's connection presented, nil
// over plain HTTP or when the connection did not come from a TLSListener.
func ServerCertificate(r *http.Request) *tls.Certificate {
	w, ok := r.Context().Value(tcpKey{}).(*Conn)
	if !ok {
		if tap, tapped := r.Context().Value(connKey{}).(*Conn); tapped && tap.under != nil {
			w, ok = tap.under, true
		}
	}
	if !ok {
		return nil
	}
	return w.served.Load()
}
