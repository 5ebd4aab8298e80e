// Package frontdoor holds a request to HTTP.sys's rules before any module sees it: size limits,
// framing, URL canonicalisation, timeouts and a cap on connections. It speaks net/http and
// knows nothing of modules.
package frontdoor

import "time"

// Limits bound what a client may send. A zero field takes its default (Defaults).
type Limits struct {
	// MaxRequestBytes bounds the request line and headers together (HTTP.sys MaxRequestBytes).
	MaxRequestBytes int
	// MaxFieldLength bounds one header line (HTTP.sys MaxFieldLength).
	MaxFieldLength int
	// MaxURLLength bounds the request target as sent. Longer targets get 414.
	MaxURLLength int
	// MaxHeaders bounds the number of header fields.
	MaxHeaders int
	// MaxVerbLength bounds the method.
	MaxVerbLength int
	// MaxSegmentLength and MaxSegments bound the decoded path's segments (HTTP.sys
	// UrlSegmentMaxLength and UrlSegmentMaxCount).
	MaxSegmentLength int
	MaxSegments      int
	// HeaderTimeout bounds the time from a connection's first byte (or the end of its previous
	// response) to the end of the request's headers.
	HeaderTimeout time.Duration
	// ConnectionTimeout closes a connection idle between requests, and fails a body read or a
	// response write that makes no progress for this long (IIS connectionTimeout).
	ConnectionTimeout time.Duration
	// MaxConnections caps open connections; at the cap the oldest connection that has sent
	// nothing yet, or sits idle, is closed to make room. Default: three quarters of the
	// process's descriptor limit, so that files and modules keep the rest.
	MaxConnections int
}

// Defaults are HTTP.sys's and IIS's out-of-the-box values, except where noted.
var Defaults = Limits{
	MaxRequestBytes:  16384,
	MaxFieldLength:   16384,
	MaxURLLength:     16384,
	MaxHeaders:       1000, // HTTP.sys has no count limit of its own; 16 KiB of headers bounds it near 4,000
	MaxVerbLength:    255,  // our choice: longer than any registered method
	MaxSegmentLength: 260,
	MaxSegments:      255,
	// HTTP.sys waits up to 120 s for headers; well below the connection timeout, so that a
	// client trickling its headers holds a connection for seconds, not minutes.
	HeaderTimeout:     20 * time.Second,
	ConnectionTimeout: 120 * time.Second,
}

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	d := Defaults
	d.MaxConnections = defaultMaxConnections()
	pick := func(v *int, def int) {
		if *v <= 0 {
			*v = def
		}
	}
	pick(&l.MaxRequestBytes, d.MaxRequestBytes)
	pick(&l.MaxFieldLength, d.MaxFieldLength)
	pick(&l.MaxURLLength, d.MaxURLLength)
	pick(&l.MaxHeaders, d.MaxHeaders)
	pick(&l.MaxVerbLength, d.MaxVerbLength)
	pick(&l.MaxSegmentLength, d.MaxSegmentLength)
	pick(&l.MaxSegments, d.MaxSegments)
	pick(&l.MaxConnections, d.MaxConnections)
	if l.HeaderTimeout <= 0 {
		l.HeaderTimeout = d.HeaderTimeout
	}
	if l.ConnectionTimeout <= 0 {
		l.ConnectionTimeout = d.ConnectionTimeout
	}
	return l
}
