package host

import (
	"context"
	"net"
	"net/http"

	"github.com/iishost/iishost/cabi"
)

// ConfigureHTTPServer wires an http.Server that serves s so that modules see connection scope:
// IHttpConnection::GetModuleContextContainer is one container per TCP connection, and its
// connection stored contexts hear NotifyDisconnect when the connection closes. It sets hs.Handler
// when nil and chains any ConnContext and ConnState hooks already set. Serve does this itself;
// call it when serving s through an http.Server of your own (httptest.NewUnstartedServer, say).
// Without it modules get no connection container (NULL).
func (s *Server) ConfigureHTTPServer(hs *http.Server) {
	if hs.Handler == nil {
		hs.Handler = s
	}
	prevContext, prevState := hs.ConnContext, hs.ConnState
	hs.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if prevContext != nil {
			ctx = prevContext(ctx, c)
		}
		return cabi.ConnContext(ctx, c)
	}
	hs.ConnState = func(c net.Conn, state http.ConnState) {
		if prevState != nil {
			prevState(c, state)
		}
		s.host.ConnState(c, state)
	}
}
