package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"encoding/binary"
	"time"
	"unsafe"
)

// TraceKind says what a TraceEntry records; its Fields are listed with each kind.
type TraceKind byte

const (
	TraceCall   TraceKind = 'C' // module, notification: a module's notification is called
	TraceReturn TraceKind = 'R' // module, notification, what it returned ("exception" if one escaped)
	TraceStatus TraceKind = 'S' // module, status, substatus, HRESULT, reason: SetStatus
	TraceHeader TraceKind = 'H' // module, "request" or "response", "set"/"append"/"delete", name, value
	TraceEvent  TraceKind = 'T' // module, then the event's name/value pairs (RaiseTraceEvent, QuickTrace)
	TraceError  TraceKind = 'E' // module, text: an exception or SetErrorStatus
)

// TraceEntry is one thing the pipeline did for a traced request; At is the time since the
// request began.
type TraceEntry struct {
	At     time.Duration
	Kind   TraceKind
	Fields []string
}

// RequestTrace is what was recorded for a traced request, and how it ended.
type RequestTrace struct {
	Status, SubStatus int
	HResult           uint32 // the error SetStatus or SetErrorStatus gave
	Entries           []TraceEntry
	// Truncated says entries were dropped at the cap (Route.TraceCap).
	Truncated bool
	// WorstVerbosity is the most severe verbosity of the events raised (1 critical error,
	// 2 error, 3 warning, 4 information, 5 verbose); 0 when none was.
	WorstVerbosity int
}

// TraceSink takes a traced request's record once its response is sent, on the request's
// goroutine: it should hand the work on.
type TraceSink interface {
	RequestTraced(*RequestTrace)
}

func (s *slot) startTrace(capBytes uint32) { C.iis_request_trace_start(s.state, C.uint32_t(capBytes)) }

// readTrace copies the request's record out of C++ memory; nil when it was not traced.
func (s *slot) readTrace() *RequestTrace {
	var v C.iis_trace_view
	if C.iis_request_trace(s.state, &v) == 0 {
		return nil
	}
	t := &RequestTrace{Status: int(v.status), SubStatus: int(v.substatus), HResult: uint32(v.hresult),
		Truncated: v.truncated != 0, WorstVerbosity: int(v.worst_verbosity)}
	if v.len > 0 {
		t.Entries = parseTraceEntries(C.GoBytes(unsafe.Pointer(v.data), C.int(v.len)))
	}
	return t
}

// parseTraceEntries reads records packed by request_trace.cpp; a record that does not fit
// what is left ends the list.
func parseTraceEntries(b []byte) []TraceEntry {
	var out []TraceEntry
	for len(b) >= 11 {
		e := TraceEntry{Kind: TraceKind(b[0]), At: time.Duration(binary.LittleEndian.Uint64(b[1:9])) * time.Microsecond}
		n := int(binary.LittleEndian.Uint16(b[9:11]))
		b = b[11:]
		for i := 0; i < n; i++ {
			if len(b) < 4 {
				return out
			}
			l := binary.LittleEndian.Uint32(b)
			if uint64(l) > uint64(len(b)-4) {
				return out
			}
			e.Fields = append(e.Fields, string(b[4:4+l]))
			b = b[4+l:]
		}
		out = append(out, e)
	}
	return out
}
