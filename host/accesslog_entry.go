package host

import (
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/iishost/iishost/internal/cabi"
)

// fieldsLine is the #Fields directive naming fields' columns.
func fieldsLine(fields LogFields) string {
	var b strings.Builder
	b.WriteString("#Fields:")
	for i, f := range logFieldNames {
		if fields&(1<<i) != 0 {
			b.WriteByte(' ')
			b.WriteString(f.column)
		}
	}
	return b.String()
}

// appendEntry appends one W3C line for c, stamped at (UTC), with the fields in IIS's order.
func (a *accessLog) appendEntry(b []byte, at time.Time, c *cabi.Completed) []byte {
	r := c.Request
	at = at.UTC()
	lineStart := len(b)
	for i := range logFieldNames {
		f := LogFields(1) << i
		if a.cfg.Fields&f == 0 {
			continue
		}
		if len(b) > lineStart {
			b = append(b, ' ')
		}
		switch f {
		case LogDate:
			b = at.AppendFormat(b, "2006-01-02")
		case LogTime:
			b = at.AppendFormat(b, "15:04:05")
		case LogSiteName:
			b = append(b, a.serviceName...)
		case LogComputerName:
			b = appendW3C(b, a.computerName)
		case LogServerIP, LogServerPort:
			b = appendLocal(b, r, f == LogServerPort)
		case LogMethod:
			b = appendW3C(b, r.Method)
		case LogURIStem:
			b = appendW3C(b, r.URL.Path)
		case LogURIQuery:
			b = appendW3C(b, r.URL.RawQuery)
		case LogUserName:
			b = appendW3C(b, c.UserName)
		case LogClientIP:
			b = appendClientIP(b, r.RemoteAddr)
		case LogProtocolVersion:
			b = appendW3C(b, r.Proto)
		case LogUserAgent:
			b = appendW3C(b, firstHeader(r.Header, "User-Agent"))
		case LogCookie:
			b = appendW3C(b, firstHeader(r.Header, "Cookie"))
		case LogReferer:
			b = appendW3C(b, firstHeader(r.Header, "Referer"))
		case LogHost:
			b = appendW3C(b, r.Host)
		case LogHTTPStatus:
			b = strconv.AppendInt(b, int64(c.Status), 10)
		case LogHTTPSubStatus:
			b = strconv.AppendInt(b, int64(c.Substatus), 10)
		case LogWin32Status:
			b = strconv.AppendUint(b, uint64(c.Win32Status), 10)
		case LogBytesSent:
			b = strconv.AppendInt(b, c.BytesSent, 10)
		case LogBytesRecv:
			b = strconv.AppendInt(b, requestBytes(r)+c.BytesReceived, 10)
		case LogTimeTaken:
			b = strconv.AppendInt(b, c.TimeTaken.Milliseconds(), 10)
		}
	}
	if len(b) > lineStart && b[lineStart] == '#' {
		b[lineStart] = '+' // a client's text never starts a directive line
	}
	return append(b, '\r', '\n')
}

// appendW3C appends s as one W3C field: "-" when empty; spaces, control characters (line
// breaks included), Unicode line separators and bytes that are not UTF-8 become '+', so that
// a client's text stays one field of one line.
func appendW3C(b []byte, s string) []byte {
	if s == "" {
		return append(b, '-')
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f {
				c = '+'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1, r >= 0x80 && r <= 0x9f, r == '\u2028', r == '\u2029':
			b = append(b, '+')
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

func firstHeader(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// appendLocal appends the address the request came in on, or its port.
func appendLocal(b []byte, r *http.Request, port bool) []byte {
	la, ok := r.Context().Value(http.LocalAddrContextKey).(*net.TCPAddr)
	if !ok {
		return append(b, '-')
	}
	ap := la.AddrPort()
	if port {
		return strconv.AppendUint(b, uint64(ap.Port()), 10)
	}
	return ap.Addr().Unmap().AppendTo(b)
}

func appendClientIP(b []byte, remote string) []byte {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		return appendW3C(b, remote)
	}
	return ap.Addr().Unmap().AppendTo(b)
}

// requestBytes is the size of the request line and header as the client sent them, nearly:
// net/http keeps no raw copy, so it is rebuilt from what it parsed.
func requestBytes(r *http.Request) int64 {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2 + 2
	if r.Host != "" {
		n += len("Host: ") + len(r.Host) + 2
	}
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + 2 + len(v) + 2
		}
	}
	return int64(n)
}
