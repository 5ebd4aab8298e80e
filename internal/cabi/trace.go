package cabi

/*
#include "bridge.h"
*/
import "C"

import (
	"context"
	"log/slog"
	"unsafe"
)

// iisgoTraceEvent logs a trace event a module raised (IHttpTraceContext::RaiseTraceEvent or
// QuickTrace) as a Debug record "trace event" whose attributes are the event's fields.
//
//export iisgoTraceEvent
func iisgoTraceEvent(hostID C.uintptr_t, module *C.char, fields **C.char, count C.uint32_t) {
	logger := hostLogger(hostID)
	ctx := context.Background()
	if !logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := make([]any, 0, int(count)+2)
	if m := C.GoString(module); m != "" {
		attrs = append(attrs, "module", m)
	}
	for _, f := range unsafe.Slice(fields, int(count)) {
		attrs = append(attrs, C.GoString(f))
	}
	logger.Log(ctx, slog.LevelDebug, "trace event", attrs...)
}
