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
	// TraceCompletion: module, notification, what completed it (PostCompletion's bytes and
	// HRESULT, or IndicateCompletion's status); a PostCompletion is followed by the reentry's
	// TraceCall and TraceReturn.
	TraceCompletion TraceKind = 'A'
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
	// Truncated says entries were dropped at the cap (Route.TraceCap).
	Truncated bool
	// WorstVerbosity is the most severe verbosity of the events raised (1 critical error,
	// 2 error, 3 warning, 4 information, 5 verbose); 0 when none was.
	WorstVerbosity int

	view C.iis_trace_view // the records in the request's memory, during RequestTraced only
	kept []byte
}

// Keep copies the records out of the request's memory, so that Entries can read them after
// RequestTraced returns; call it from RequestTraced. A request that is not kept costs no copy.
func (t *RequestTrace) Keep() {
	if t.view.len > 0 && t.kept == nil {
		t.kept = C.GoBytes(unsafe.Pointer(t.view.data), C.int(t.view.len))
	}
}

// Entries reads the records Keep copied, in the order they happened.
func (t *RequestTrace) Entries() []TraceEntry { return parseTraceEntries(t.kept) }

// TraceSink takes a traced request's record once its response is sent, on the request's
// goroutine: it should judge it quickly, Keep what it wants and hand the work on.
type TraceSink interface {
	RequestTraced(*RequestTrace)
}

func (s *slot) startTrace(capBytes uint32) { C.iis_request_trace_start(s.state, C.uint32_t(capBytes)) }

// endTrace hands the request's record to sink, before the request's memory goes.
func (s *slot) endTrace(sink TraceSink) {
	t := &RequestTrace{}
	if C.iis_request_trace(s.state, &t.view) == 0 {
		return
	}
	v := &t.view
	t.Status, t.SubStatus, t.HResult = int(v.status), int(v.substatus), uint32(v.hresult)
	t.Truncated, t.WorstVerbosity = v.truncated != 0, int(v.worst_verbosity)
	sink.RequestTraced(t)
	t.view = C.iis_trace_view{}
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
