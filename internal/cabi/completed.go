package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"net/http"
	"time"
	"unsafe"
)

// Completed is a request that has ended, as an access log records it (Host.OnComplete). It
// belongs to the request's slot: valid only during the call.
type Completed struct {
	Request *http.Request
	Site    int // the index AddSite gave
	// Status and Substatus are the response's; Win32Status is the code of a Win32 error the
	// modules reported, or ErrorNetnameDeleted when the client went away before the response
	// was written whole, as HTTP.sys logs it.
	Status, Substatus int
	Win32Status       uint32
	// UserName is the authenticated user's; "" for the anonymous user. It points into the
	// request's memory.
	UserName string
	// BytesSent counts the body bytes written; BytesReceived the body bytes modules read.
	BytesSent, BytesReceived int64
	TimeTaken                time.Duration
}

// ErrorNetnameDeleted is the Win32 status HTTP.sys logs for a client that disconnected.
const ErrorNetnameDeleted = 64

// complete hands the ended request to OnComplete, with the status and substatus the client
// was sent (0 when no response was: then the modules' last) and the time it took. clientGone
// says its response was not written whole.
func (s *slot) complete(clientGone bool, route Route, status, substatus int, took time.Duration) {
	// The slot's, written &s.outcome in the call so that cgo checks that field alone: a local
	// would escape to the heap.
	C.iis_request_outcome_get(s.state, &s.outcome)
	out := &s.outcome
	if status == 0 {
		status, substatus = int(out.status), int(out.substatus)
	}
	c := &s.done
	*c = Completed{Request: s.r, Site: route.Site, Status: status, Substatus: substatus,
		Win32Status: uint32(out.win32_status), BytesSent: s.bytesSent.Load(), BytesReceived: s.bytesReceived.Load(),
		TimeTaken: took}
	if clientGone {
		c.Win32Status = ErrorNetnameDeleted
	}
	if out.user.len > 0 {
		c.UserName = unsafe.String((*byte)(unsafe.Pointer(out.user.data)), int(out.user.len))
	}
	s.host.OnComplete(c)
	*c = Completed{}
}
