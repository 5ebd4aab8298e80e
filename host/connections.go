package host

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/iishost/iishost/internal/cabi"
	"github.com/iishost/iishost/internal/frontdoor"
)

// ConfigureHTTPServer wires an http.Server that serves s:
//   - connection scope: IHttpConnection::GetModuleContextContainer is one container per TCP
//     connection, and its connection stored contexts hear NotifyDisconnect when it closes
//     (without this modules get no connection container: NULL);
//   - the front door: the header and idle timeouts, a header size net/http enforces only past
//     the door's own limit, and the hooks that let the door follow each connection's framing
//     and cap connections. Serve the server on s.Listener(ln) for those two.
//
// It sets hs.Handler when nil and chains any ConnContext and ConnState hooks already set.
// Serve does all of this itself; call it when serving s through an http.Server of your own
// (httptest.NewUnstartedServer, say).
func (s *Server) ConfigureHTTPServer(hs *http.Server) {
	if hs.Handler == nil {
		hs.Handler = s
	}
	if hs.ReadHeaderTimeout == 0 {
		hs.ReadHeaderTimeout = s.limits.HeaderTimeout
	}
	if hs.IdleTimeout == 0 {
		hs.IdleTimeout = s.limits.ConnectionTimeout
	}
	if hs.MaxHeaderBytes == 0 {
		// The door refuses heads past MaxRequestBytes with HTTP.sys's 400; net/http's own limit
		// (answered 431) must not come first.
		hs.MaxHeaderBytes = 2*s.limits.MaxRequestBytes + 64<<10
	}
	prevContext, prevState := hs.ConnContext, hs.ConnState
	hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevContext != nil {
			ctx = prevContext(ctx, c)
		}
		return s.siteConns.connContext(cabi.ConnContext(frontdoor.ConnContext(ctx, c), c), c)
	}
	hs.ConnState = func(c net.Conn, state http.ConnState) {
		if prevState != nil {
			prevState(c, state)
		}
		frontdoor.ConnState(c, state)
		s.host.ConnState(c, state)
		s.siteConns.connState(c, state)
		s.fresh.connState(c, state)
	}
}

// freshConns tracks the connections in http.StateNew: accepted, no request read yet.
type freshConns struct {
	conns sync.Map // net.Conn -> struct{}
	n     atomic.Int64
}

func (f *freshConns) connState(c net.Conn, state http.ConnState) {
	if state == http.StateNew {
		f.conns.Store(c, struct{}{})
		f.n.Add(1)
		return
	}
	if _, ok := f.conns.LoadAndDelete(c); ok {
		f.n.Add(-1)
	}
}

func (f *freshConns) count() int64 { return f.n.Load() }

// Listener wraps ln with the front door: each connection's framing is followed on the wire
// (so that smuggling shapes net/http would accept are refused), oversized heads are refused
// before they are buffered, open connections are capped (Limits.MaxConnections), and writes
// are paced by the bandwidth of the site each request is for (<limits maxBandwidth>).
func (s *Server) Listener(ln net.Listener) net.Listener {
	return frontdoor.NewListener(throttledListener{ln}, &s.limits)
}

// serveEndpoint serves one endpoint of the configuration's bindings on ln.
func (s *Server) serveEndpoint(ln net.Listener, ep *endpoint) error { return s.serve(ln, ep) }

// prepareTLS loads every https endpoint's certificates, so that a missing or broken file stops
// New rather than the first handshake.
func (s *Server) prepareTLS() error {
	for _, ep := range s.routes.endpoints {
		if !ep.secure {
			continue
		}
		cfg, err := s.tlsConfig(ep.tlsEndpoint(), func(hello *tls.ClientHelloInfo) *siteRuntime {
			var local net.IP
			if a, ok := hello.Conn.LocalAddr().(*net.TCPAddr); ok {
				local = a.IP
			}
			return s.routes.siteForName(hello.ServerName, local, ep)
		})
		if err != nil {
			sb := ep.bindings[0]
			return &configError{source: s.config.Source, at: sb.at, err: fmt.Errorf("https on %s: %w", ep.address, err)}
		}
		ep.tls = cfg
	}
	return nil
}

// tlsEndpoint is the endpoint's bindings' certificates, one per host name.
func (ep *endpoint) tlsEndpoint() TLSEndpoint {
	var out TLSEndpoint
	for _, sb := range ep.bindings {
		out.Certificates = append(out.Certificates, TLSCertificate{HostName: sb.Host, CertFile: sb.CertificateFile, KeyFile: sb.CertificateKeyFile})
	}
	return out
}
