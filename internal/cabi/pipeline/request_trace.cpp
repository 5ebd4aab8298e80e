// Failed-request tracing's record (request_trace.h). Records are packed as the Go side reads
// them (request_trace.go): kind (1 byte), microseconds since the request began (8, little
// endian), field count (2), then each field's length (4) and bytes.
#include <stdio.h>
#include <string.h>
#include <vector>

#include "bridge.h"
#include "callbacks.h"
#include "forward.h"
#include "module_calls.h"
#include "pipeline.h"
#include "request_state.h"
#include "request_trace.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

static const size_t kRecordHeader = 1 + 8 + 2;

RequestTrace::RequestTrace(size_t capBytes) : cap_(capBytes)
{
    data.reserve(capBytes < 4096 ? capBytes : 4096); // a plain request's records, in one allocation
    clock_gettime(CLOCK_MONOTONIC, &start_);
}

bool RequestTrace::Room(size_t bytes)
{
    if (truncated || data.size() + bytes > cap_) {
        truncated = true;
        return false;
    }
    return true;
}

void RequestTrace::Header(TraceKind kind, size_t count)
{
    timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t us = (now.tv_sec - start_.tv_sec) * 1000000 + (now.tv_nsec - start_.tv_nsec) / 1000;
    uint64_t at = us > 0 ? static_cast<uint64_t>(us) : 0;
    uint16_t n = static_cast<uint16_t>(count);
    char head[kRecordHeader];
    head[0] = kind;
    memcpy(head + 1, &at, 8); // the hosts iishost runs on are little endian
    memcpy(head + 9, &n, 2);
    data.append(head, sizeof(head));
}

static void AppendField(std::string &data, std::string_view f)
{
    uint32_t len = static_cast<uint32_t>(f.size());
    data.append(reinterpret_cast<const char *>(&len), 4);
    data.append(f.data(), f.size());
}

void RequestTrace::Add(TraceKind kind, std::initializer_list<std::string_view> fields)
{
    size_t bytes = kRecordHeader;
    for (std::string_view f : fields) {
        bytes += 4 + f.size();
    }
    std::lock_guard<std::mutex> guard(lock_);
    if (!Room(bytes)) {
        return;
    }
    Header(kind, fields.size());
    for (std::string_view f : fields) {
        AppendField(data, f);
    }
}

void RequestTrace::AddFields(TraceKind kind, const std::string *fields, size_t count)
{
    count = count > 0xFFFF ? 0xFFFF : count;
    size_t bytes = kRecordHeader;
    for (size_t i = 0; i < count; i++) {
        bytes += 4 + fields[i].size();
    }
    std::lock_guard<std::mutex> guard(lock_);
    if (!Room(bytes)) {
        return;
    }
    Header(kind, count);
    for (size_t i = 0; i < count; i++) {
        AppendField(data, fields[i]);
    }
}

void RequestTrace::NoteVerbosity(unsigned verbosity)
{
    std::lock_guard<std::mutex> guard(lock_);
    if (verbosity != 0 && (worstVerbosity == 0 || verbosity < worstVerbosity)) {
        worstVerbosity = verbosity;
    }
}

static std::string_view ModuleName(const RequestState *st, int module)
{
    return module >= 0 && static_cast<size_t>(module) < st->host->modules.size() ? std::string_view(st->host->modules[module]->name)
                                                                                : std::string_view("(host)");
}

static std::string_view CallName(DWORD notification, bool post, bool global)
{
    if (global && notification == GL_TRACE_EVENT) {
        return "GlobalTraceEvent";
    }
    return CallNotificationName(notification ? __builtin_ctz(notification) : 0, post, global);
}

// Safely runs a recording step: running out of memory cuts the trace short rather than throw
// into the module that made the call.
template <class Fn> static void Safely(RequestState *st, Fn fn)
{
    try {
        fn();
    } catch (...) {
        st->tracing->Cut();
    }
}

void RecordCall(RequestState *st, int module, DWORD notification, bool post, bool global)
{
    Safely(st, [&] {
        st->tracing->Add(kTraceCall, {ModuleName(st, module), CallName(notification, post, global)});
    });
}

static std::string_view StatusName(bool global, int status)
{
    if (global) {
        switch (status) {
        case GL_NOTIFICATION_CONTINUE: return "GL_NOTIFICATION_CONTINUE";
        case GL_NOTIFICATION_HANDLED: return "GL_NOTIFICATION_HANDLED";
        }
        return "(not a GLOBAL_NOTIFICATION_STATUS)";
    }
    switch (status) {
    case RQ_NOTIFICATION_CONTINUE: return "RQ_NOTIFICATION_CONTINUE";
    case RQ_NOTIFICATION_PENDING: return "RQ_NOTIFICATION_PENDING";
    case RQ_NOTIFICATION_FINISH_REQUEST: return "RQ_NOTIFICATION_FINISH_REQUEST";
    }
    return "(not a REQUEST_NOTIFICATION_STATUS)";
}

void RecordReturn(RequestState *st, int module, DWORD notification, bool post, bool global, bool ok, int status)
{
    Safely(st, [&] {
        st->tracing->Add(kTraceReturn, {ModuleName(st, module), CallName(notification, post, global),
                                        ok ? StatusName(global, status) : std::string_view("exception")});
    });
}

static std::string Hex(uint32_t v)
{
    char text[16];
    snprintf(text, sizeof(text), "0x%08X", v);
    return text;
}

void RecordStatus(RequestState *st, USHORT status, USHORT subStatus, HRESULT hr, const char *reason)
{
    Safely(st, [&] {
        st->tracing->Add(kTraceStatus, {ModuleName(st, st->pipeline.currentModule), std::to_string(status), std::to_string(subStatus),
                                        Hex(static_cast<uint32_t>(hr)), reason ? std::string_view(reason) : std::string_view()});
    });
}

void RecordHeader(RequestState *st, bool response, const char *op, const char *name, size_t nameLen, const char *value,
                  size_t valueLen)
{
    Safely(st, [&] {
        st->tracing->Add(kTraceHeader, {ModuleName(st, st->pipeline.currentModule), response ? "response" : "request", op,
                                        std::string_view(name ? name : "", name ? nameLen : 0),
                                        std::string_view(value ? value : "", value ? valueLen : 0)});
    });
}

void RecordHeaderId(RequestState *st, bool response, const char *op, int id, const char *value, size_t valueLen)
{
    const iis_bytes &name = (response ? kResponseHeaderNames : kRequestHeaderNames)[id];
    RecordHeader(st, response, op, name.data, name.len, value, valueLen);
}

void RecordError(RequestState *st, int module, const std::string &text)
{
    Safely(st, [&] {
        st->tracing->NoteVerbosity(2); // an error: the request cannot go on as the module meant
        st->tracing->Add(kTraceError, {ModuleName(st, module), text});
    });
}

void RecordCompletion(RequestState *st, const Completion &c)
{
    Safely(st, [&] {
        std::string what = c.reenter ? "PostCompletion: " + std::to_string(c.bytes) + " bytes, " + Hex(static_cast<uint32_t>(c.hr))
                                     : "IndicateCompletion: " + std::string(StatusName(false, c.status));
        st->tracing->Add(kTraceCompletion, {ModuleName(st, st->pipeline.currentModule),
                                            CallName(st->pipeline.currentNotification, st->pipeline.currentIsPost, false), what});
    });
}

void RecordModuleEvent(RequestState *st, const std::string *fields, size_t count, unsigned verbosity)
{
    Safely(st, [&] {
        std::vector<std::string> all; // the module first, then the event's name/value pairs
        all.reserve(count + 1);
        all.emplace_back(ModuleName(st, st->pipeline.currentModule));
        all.insert(all.end(), fields, fields + count);
        st->tracing->NoteVerbosity(verbosity);
        st->tracing->AddFields(kTraceEvent, all.data(), all.size());
    });
}

} // namespace iishost

using namespace iishost;

extern "C" {

void iis_request_trace_start(iis_request *req, uint32_t capBytes)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    ReclaimHeldMemory(st); // before the trace is set up, or the rewind would drop it
    delete st->tracing;
    st->tracing = nullptr;
    try {
        st->tracing = new RequestTrace(capBytes);
    } catch (...) {
        Log(st->host, 2, "", "failed-request trace not started: out of memory"); // the request runs untraced
    }
}

int iis_request_trace(iis_request *req, iis_trace_view *out)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    memset(out, 0, sizeof(*out));
    if (!st->tracing) {
        return 0;
    }
    out->data = st->tracing->data.data();
    out->len = st->tracing->data.size();
    out->truncated = st->tracing->truncated;
    out->worst_verbosity = static_cast<uint8_t>(st->tracing->worstVerbosity);
    out->status = st->out.status;
    out->substatus = st->out.subStatus;
    out->hresult = static_cast<uint32_t>(st->out.errorToReport);
    return 1;
}

} // extern "C"
