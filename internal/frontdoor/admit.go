package frontdoor

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
)

type connKey struct{}

// ConnContext is an http.Server ConnContext hook: it lets Admit find the request's Conn, and
// ServerCertificate the TCP connection under an HTTP/2 one.
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	switch v := c.(type) {
	case *Conn:
		return context.WithValue(ctx, connKey{}, v)
	case *tls.Conn:
		if w, ok := v.NetConn().(*Conn); ok {
			return context.WithValue(ctx, tcpKey{}, w)
		}
	}
	return ctx
}

type tcpKey struct{}

// cookedURLLimit is the longest full URL (scheme, host, path and query) whose cooked form fits
// HTTP_COOKED_URL's USHORT byte counts with 4-byte WCHARs.
const cookedURLLimit = 0xFFFF/4 - len("https://")

// Admit holds r to the limits before any module runs. When it refuses, it has answered and
// returns false. Otherwise r.URL.Path is the canonical path and the caller calls the
// admission's Done when the request ends.
func Admit(w http.ResponseWriter, r *http.Request, l *Limits) (Admission, bool) {
	conn, _ := r.Context().Value(connKey{}).(*Conn)
	var head *Head
	var admitted Admission
	if conn != nil && r.ProtoMajor == 1 {
		conn.inFlight.Add(1)
		admitted.conn = conn
		head = conn.claim(r.Method, r.RequestURI)
		admitted.Fields = head.Fields
	}
	refusal := check(r, head, l)
	if refusal == nil {
		var clean string
		clean, refusal = CanonicalPath(r.URL.Path, l)
		r.URL.Path = clean
	}
	if refusal != nil {
		refusal.Write(w)
		admitted.Done()
		return Admission{}, false
	}
	if head != nil && head.Opaque {
		// An upgrade the modules may take over; if none does, the door cannot follow what
		// comes next on this connection, so it ends with this response.
		w.Header().Set("Connection", "close")
	}
	return admitted, true
}

// Admission is a request Admit let through: a value, not a closure, so admitting a request
// allocates nothing.
type Admission struct {
	conn *Conn // the connection counting the request in flight; nil when none does
	// Fields are the request's header lines as sent (Head.Fields); empty when the door did not
	// follow the head (HTTP/2, or a request made in process).
	Fields string
}

// Done ends the request's admission: its connection no longer counts it in flight.
func (a Admission) Done() {
	if a.conn != nil {
		a.conn.inFlight.Add(-1)
	}
}

// check applies the limits that net/http's request shows, whether or not the door saw the
// head on the wire (an http.Server without Listener, or HTTP/2).
func check(r *http.Request, head *Head, l *Limits) *Refusal {
	if head != nil && head.Refuse != nil {
		return head.Refuse
	}
	if len(r.Method) > l.MaxVerbLength {
		return errBadVerb
	}
	if len(r.RequestURI) > l.MaxURLLength || len(r.Host)+len(r.RequestURI) > cookedURLLimit {
		return errURLTooLong
	}
	if head != nil {
		return nil // the wire already showed the sizes exactly
	}
	size := len(r.Method) + len(r.RequestURI) + len(r.Proto) + 4 + len("Host: \r\n") + len(r.Host)
	count := 0
	for name, values := range r.Header {
		for _, v := range values {
			count++
			n := len(name) + len(v) + 4
			if n > l.MaxFieldLength {
				return errFieldTooLong
			}
			size += n
		}
	}
	switch {
	case count > l.MaxHeaders:
		return errTooManyHeaders
	case size > l.MaxRequestBytes:
		return errHeadTooLong
	}
	return nil
}
