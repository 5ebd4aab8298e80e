package host

import (
	"time"

	"github.com/iishost/iishost/internal/frontdoor"
)

// Limits bound requests and connections before any module runs, as HTTP.sys does. A zero field
// takes its default (DefaultLimits).
type Limits struct {
	// MaxRequestBytes bounds the request line and headers together (HTTP.sys MaxRequestBytes).
	MaxRequestBytes int
	// MaxFieldLength bounds one header line (HTTP.sys MaxFieldLength).
	MaxFieldLength int
	// MaxURLLength bounds the request target as sent; longer targets get 414.
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
	// process's descriptor limit.
	MaxConnections int
}

// DefaultLimits are the limits a zero Limits stands for: HTTP.sys's and IIS's out-of-the-box
// values, with the connection cap taken from this process's descriptor limit.
func DefaultLimits() Limits { return Limits(frontdoor.Limits{}.WithDefaults()) }

func (l Limits) withDefaults() frontdoor.Limits { return frontdoor.Limits(l).WithDefaults() }
