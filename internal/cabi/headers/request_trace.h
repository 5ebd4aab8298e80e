// Failed-request tracing's record of one request (request_trace.cpp): what the pipeline did,
// event by event, for the host to judge and write out when the request ends. A request is
// traced only when the host asked for it at its start; every hook is one pointer test otherwise.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <time.h>

#include "forward.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

// The kinds of record, as the Go side reads them (internal/cabi/request_trace.go).
enum TraceKind : char {
    kTraceCall = 'C',    // module, notification
    kTraceReturn = 'R',  // module, notification, returned status (or "exception")
    kTraceStatus = 'S',  // module, status, substatus, HRESULT, reason
    kTraceHeader = 'H',  // module, "request"/"response", operation, name, value
    kTraceEvent = 'T',   // module, then name/value pairs of the event
    kTraceError = 'E',   // module, text
    kTraceCompletion = 'A', // module, notification, what completed the pending notification
};

class RequestTrace {
public:
    explicit RequestTrace(size_t capBytes);
    // Appends one record stamped with the microseconds since the request began; past the cap
    // the record is dropped and the trace says it was cut.
    void Add(TraceKind kind, std::initializer_list<std::string_view> fields);
    void AddFields(TraceKind kind, const std::string *fields, size_t count);
    // Notes an event's verbosity (1 critical error ... 5 verbose) for the failure definitions.
    void NoteVerbosity(unsigned verbosity);
    // Marks the trace cut short (a record could not be made).
    void Cut()
    {
        std::lock_guard<std::mutex> guard(lock_);
        truncated = true;
    }

    std::string data;
    bool truncated = false;
    unsigned worstVerbosity = 0; // lowest non-zero verbosity seen: 1 is the worst

private:
    // Modules may call from threads of their own while the request is pending.
    std::mutex lock_;
    bool Room(size_t bytes);
    void Header(TraceKind kind, size_t count);
    size_t cap_;
    timespec start_;
};

// What the hooks record (request_trace.cpp); call them through the Trace* wrappers below.
void RecordCall(RequestState *st, int module, DWORD notification, bool post, bool global);
void RecordReturn(RequestState *st, int module, DWORD notification, bool post, bool global, bool ok, int status);
void RecordStatus(RequestState *st, USHORT status, USHORT subStatus, HRESULT hr, const char *reason);
void RecordHeader(RequestState *st, bool response, const char *op, const char *name, size_t nameLen, const char *value,
                  size_t valueLen);
void RecordHeaderId(RequestState *st, bool response, const char *op, int id, const char *value, size_t valueLen);
void RecordError(RequestState *st, int module, const std::string &text);
void RecordCompletion(RequestState *st, const Completion &c);
void RecordModuleEvent(RequestState *st, const std::string *fields, size_t count, unsigned verbosity);

// The hooks: one pointer test unless the request is traced. A header given by HTTP_HEADER_ID
// must be in range; value may be null (a delete).
inline void TraceCall(RequestState *st, int module, DWORD notification, bool post, bool global)
{
    if (st->tracing) {
        RecordCall(st, module, notification, post, global);
    }
}
inline void TraceStatus(RequestState *st, USHORT status, USHORT subStatus, HRESULT hr, const char *reason)
{
    if (st->tracing) {
        RecordStatus(st, status, subStatus, hr, reason);
    }
}
inline void TraceHeader(RequestState *st, bool response, const char *op, const char *name, size_t nameLen,
                        const char *value, size_t valueLen)
{
    if (st->tracing) {
        RecordHeader(st, response, op, name, nameLen, value, valueLen);
    }
}
inline void TraceHeaderId(RequestState *st, bool response, const char *op, int id, const char *value, size_t valueLen)
{
    if (st->tracing) {
        RecordHeaderId(st, response, op, id, value, valueLen);
    }
}
inline void TraceCompletion(RequestState *st, const Completion &c)
{
    if (st->tracing) {
        RecordCompletion(st, c);
    }
}
inline void TraceError(RequestState *st, int module, const std::string &text)
{
    if (st->tracing) {
        RecordError(st, module, text);
    }
}

} // namespace iishost
