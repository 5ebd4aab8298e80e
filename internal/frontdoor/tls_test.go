package frontdoor

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/iishost/iishost/internal/testcerts"
)

type lockedLog struct {
	mu sync.Mutex
	sb strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sb.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sb.String()
}

type tlsDoor struct {
	addr string
	ca   *testcerts.CA
	log  *lockedLog
	ln   *TLSListener
}

// serveTLSDoor serves, through a TLSListener and Admit, a handler that reports what the door
// knows of the request's TLS.
func serveTLSDoor(t *testing.T, limits Limits) *tlsDoor {
	ca := testcerts.NewCA(t, "Door CA")
	cert := ca.Server(t, 2, "localhost").TLS(t)
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"},
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return &cert, nil },
	}
	lim := limits.WithDefaults()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	log := &lockedLog{}
	hs := &http.Server{
		ConnContext: ConnContext, ConnState: ConnState, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(slog.NewTextHandler(io.Discard, nil), slog.LevelWarn),
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			admitted, ok := Admit(w, r, &lim)
			if !ok {
				return
			}
			defer admitted.Done()
			state := TLSState(r)
			served := ServerCertificate(r)
			_, _ = fmt.Fprintf(w, "proto=%d tls=%t rtls=%t served=%t", r.ProtoMajor, state != nil, r.TLS != nil, served != nil && served == &cert)
		}),
	}
	ConfigureHTTP2(hs, cfg)
	tl := NewTLSListener(ln, cfg, &lim, slog.New(slog.NewTextHandler(log, nil)))
	go func() { _ = hs.Serve(tl) }()
	t.Cleanup(func() { _ = hs.Close() })
	return &tlsDoor{addr: ln.Addr().String(), ca: ca, log: log, ln: tl}
}

func (d *tlsDoor) get(t *testing.T, h2 bool) string {
	cfg := &tls.Config{RootCAs: d.ca.Pool, ServerName: "localhost"}
	if !h2 {
		cfg.NextProtos = []string{"http/1.1"}
	}
	tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: h2}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Get("https://" + d.addr + "/x")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return string(body)
}

// TestTLSListenerHTTP1Tapped: HTTP/1.1 over TLS reaches the handler through the wire tap (no
// r.TLS, which net/http sets only on a *tls.Conn), yet TLSState and the served certificate are
// found; HTTP/2 comes on the *tls.Conn itself.
func TestTLSListenerProtocols(t *testing.T) {
	d := serveTLSDoor(t, Limits{})
	assert.Equal(t, "proto=1 tls=true rtls=false served=true", d.get(t, false))
	assert.Equal(t, "proto=2 tls=true rtls=true served=true", d.get(t, true))
}

// rawTLS sends raw bytes over a TLS connection and returns all the server answered.
func rawTLS(t *testing.T, d *tlsDoor, req string) string {
	c, err := tls.Dial("tcp", d.addr, &tls.Config{RootCAs: d.ca.Pool, ServerName: "localhost", NextProtos: []string{"http/1.1"}})
	require.NoError(t, err)
	defer c.Close()
	require.NoError(t, c.SetDeadline(time.Now().Add(30*time.Second)))
	_, err = io.WriteString(c, req)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	return resp.Status + "\n" + string(body)
}

// TestTLSListenerSmuggling: Content-Length beside Transfer-Encoding over TLS is refused by the
// tap as over plain TCP (net/http alone would accept it, dropping Content-Length).
func TestTLSListenerSmuggling(t *testing.T) {
	d := serveTLSDoor(t, Limits{})
	out := rawTLS(t, d, "POST /x HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
	assert.Contains(t, out, "400 Bad Request")
	assert.Contains(t, out, errFraming.Reason)
	// A well-framed request on a fresh connection still passes.
	assert.Contains(t, rawTLS(t, d, "GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n"), "proto=1 tls=true")
}

// awaitClosed reads from c until the server closes it; a read deadline far past the
// server's timeout tells a hang apart from a close.
func awaitClosed(t *testing.T, c net.Conn) []byte {
	require.NoError(t, c.SetReadDeadline(time.Now().Add(30*time.Second)))
	got, err := io.ReadAll(c)
	if err != nil {
		require.False(t, errors.Is(err, os.ErrDeadlineExceeded), "the server never closed the connection")
	}
	return got
}

// TestTLSListenerHostileClients: a client that never handshakes is closed after HeaderTimeout
// without holding up others; plain HTTP to the TLS port gets a plain 400; a garbage
// ClientHello is closed; each failure is one log line and the listener goes on serving.
func TestTLSListenerHostileClients(t *testing.T) {
	d := serveTLSDoor(t, Limits{HeaderTimeout: 300 * time.Millisecond})
	silent, err := net.Dial("tcp", d.addr)
	require.NoError(t, err)
	defer silent.Close()
	assert.Contains(t, d.get(t, false), "tls=true", "a silent client blocks no one")

	plain, err := net.Dial("tcp", d.addr)
	require.NoError(t, err)
	defer plain.Close()
	_, err = io.WriteString(plain, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	assert.Contains(t, string(awaitClosed(t, plain)), "400 Bad Request")

	garbage, err := net.Dial("tcp", d.addr)
	require.NoError(t, err)
	defer garbage.Close()
	_, err = garbage.Write([]byte("\x16\x03\x01\x00\x10not a client hello, at all"))
	require.NoError(t, err)
	awaitClosed(t, garbage)

	awaitClosed(t, silent)
	assert.Contains(t, d.get(t, true), "proto=2")
	log := d.log.String()
	assert.Equal(t, 3, strings.Count(log, "TLS handshake failed"), log)
}

// TestTLSListenerCap: at the connection cap, connections still handshaking silently are
// evicted to make room, and served connections are counted through the TLS layer (their
// ConnState reaches the TCP connection the listener counts).
func TestTLSListenerCap(t *testing.T) {
	d := serveTLSDoor(t, Limits{MaxConnections: 2})
	var silent []net.Conn
	for range 2 {
		c, err := net.Dial("tcp", d.addr)
		require.NoError(t, err)
		defer c.Close()
		silent = append(silent, c)
	}
	// Both places are taken; the next client gets one by evicting a silent connection.
	assert.Contains(t, d.get(t, false), "tls=true")
	assert.Contains(t, d.get(t, true), "proto=2")
	closed := 0
	for _, c := range silent {
		_ = c.SetReadDeadline(time.Now().Add(time.Second))
		if _, err := c.Read(make([]byte, 1)); err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			closed++
		}
	}
	assert.Positive(t, closed, "a silent connection was evicted")
	d.ln.inner.mu.Lock()
	defer d.ln.inner.mu.Unlock()
	assert.LessOrEqual(t, len(d.ln.inner.conns), 2)
}

// TestTLSListenerHTTP2Limits: HTTP/2 requests, which the wire tap never sees, are held to the
// same header limits by Admit.
func TestTLSListenerHTTP2Limits(t *testing.T) {
	d := serveTLSDoor(t, Limits{MaxFieldLength: 256})
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: d.ca.Pool, ServerName: "localhost"}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	for _, size := range []int{100, 300} {
		req, err := http.NewRequest(http.MethodGet, "https://"+d.addr+"/x", nil)
		require.NoError(t, err)
		req.Header.Set("X-Long", strings.Repeat("v", size))
		resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Do(req)
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, 2, resp.ProtoMajor)
		if size < 256 {
			assert.Equal(t, http.StatusOK, resp.StatusCode, string(body))
		} else {
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Contains(t, string(body), errFieldTooLong.Reason)
		}
	}
}

// TestTLSFailureLogBounded: a flood of failed handshakes writes at most failureBurst lines a
// second; the next line written says how many went unlogged.
func TestTLSFailureLogBounded(t *testing.T) {
	log := &lockedLog{}
	clock := time.Unix(1000, 0)
	f := failureLog{logger: slog.New(slog.NewTextHandler(log, nil)), now: func() time.Time { return clock }}
	remote := &net.TCPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1}
	for range 3 * failureBurst {
		f.log(remote, errors.New("bad hello"))
	}
	assert.Equal(t, failureBurst, strings.Count(log.String(), "TLS handshake failed"))
	clock = clock.Add(time.Second)
	f.log(remote, errors.New("bad hello"))
	assert.Equal(t, failureBurst+1, strings.Count(log.String(), "TLS handshake failed"))
	assert.Contains(t, log.String(), "unlogged_before="+fmt.Sprint(2*failureBurst))
}
