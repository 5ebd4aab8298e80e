// Calls from C++ into Go. Each is an //export function in callbacks.go; the prototypes here
// must match what cgo generates for them.
#pragma once

#include <stdint.h>

#include "bridge.h"

extern "C" {
// Reads up to capacity request-body bytes; returns an IoResult (http_request.h) with *n set.
int32_t iisgoReadBody(uintptr_t slot, void *buffer, uint32_t capacity, uint32_t *n);
// Writes a send view to the client now; returns an IoResult (http_request.h).
int32_t iisgoFlush(uintptr_t slot, iis_send_view *view);
// Cancels the body read or send in progress for the request; returns 0 when there was none.
int32_t iisgoCancelIo(uintptr_t slot);
// Calls a module's completion routine (IHttpContext3::PostCompletion) on a goroutine of its own.
void iisgoPostRoutine(uintptr_t host, void *routine, uint32_t bytes, void *context);
// Wakes the goroutine of a parked request: its completion arrived (from any thread).
void iisgoResume(uintptr_t slot);
// A module call the watchdog reported as running long has returned after elapsedMs.
void iisgoCallReturned(uintptr_t slot, char *module, char *notification, uint64_t elapsedMs);
// Resets the client's connection at once (TCP RST); later sends are dropped.
void iisgoResetConnection(uintptr_t slot);
// Runs the Go fallback handler (static files or 404) for a request no module handled.
void iisgoFallback(uintptr_t slot, iis_request *req);
// Records an event-log entry a module reported (ReportEvent).
void iisgoEventLog(uintptr_t host, char *module, char *source, uint16_t type, uint16_t category, uint32_t eventId,
                   uint16_t numStrings, char **strings, uint32_t dataSize);
// Records an OutputDebugString call.
void iisgoDebugString(uintptr_t host, char *module, char *text);
// Hands a log record to the logger of the Go host numbered host. level: 0 debug .. 3 error.
void iisgoLog(uintptr_t host, int32_t level, char *module, char *message);
// A module asked for its worker process to be recycled (RecycleProcess), or reported it
// unhealthy (ReportUnhealthy, unhealthy set, with its HRESULT).
void iisgoRecycle(uintptr_t host, int32_t unhealthy, char *reason, uint32_t hr);
// Logs a trace event at Debug level; fields are count UTF-8 strings: name, value, name, ...
void iisgoTraceEvent(uintptr_t host, char *module, char **fields, uint32_t count);
}
