// IHttpTraceContext (the request's and the server's) and GL_TRACE_EVENT's IGlobalTraceEventProvider. Modules subscribe to trace providers with SetTraceConfiguration; a provider
// asks GetTraceConfiguration whether anyone listens. Every raised event becomes a Debug record
// in the host's log and is offered to the global modules subscribed to GL_TRACE_EVENT.
#include <inttypes.h>
#include <random>
#include <string.h>
#include <wchar.h>

#include "callbacks.h"
#include "forward.h"
#include "global_events.h"
#include "headers.h"
#include "host_instance.h"
#include "http_trace_context.h"
#include "request_state.h"
#include "request_trace.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

static bool SameGuid(const GUID &a, const GUID &b) { return memcmp(&a, &b, sizeof(GUID)) == 0; }

static bool IsAllProviders(const GUID &g)
{
    static const GUID zero{};
    return SameGuid(g, zero); // GUID_IIS_ALL_TRACE_PROVIDERS
}

std::string GuidText(const GUID &g)
{
    char text[40];
    snprintf(text, sizeof(text), "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", static_cast<unsigned>(g.Data1), g.Data2,
             g.Data3, g.Data4[0], g.Data4[1], g.Data4[2], g.Data4[3], g.Data4[4], g.Data4[5], g.Data4[6], g.Data4[7]);
    return text;
}

HRESULT HostTraceContext::GetTraceConfiguration(HTTP_TRACE_CONFIGURATION *config)
{
    if (!config || !config->pProviderGuid) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER);
    }
    // What the provider should emit: the union of every module's subscription to it.
    DWORD areas = 0, verbosity = 0;
    BOOL enabled = FALSE;
    std::lock_guard<std::mutex> guard(host->traceLock);
    for (const TraceSubscription &s : host->traceSubscriptions) {
        if (SameGuid(s.provider, *config->pProviderGuid) || IsAllProviders(s.provider)) {
            enabled = TRUE;
            areas |= s.areas;
            verbosity = verbosity > s.verbosity ? verbosity : s.verbosity;
        }
    }
    config->dwAreas = areas;
    config->dwVerbosity = verbosity;
    config->fProviderEnabled = enabled;
    return S_OK;
}

// Subscriptions are server-wide, whichever trace context sets them: they say which events a
// module's OnGlobalTraceEvent wants (CheckSubscription). The module id is compared, never
// dereferenced, so an id given during RegisterModule (before the module is listed) works too.
HRESULT HostTraceContext::SetTraceConfiguration(HTTP_MODULE_ID module, HTTP_TRACE_CONFIGURATION *configs, DWORD count)
{
    if (!module || !configs || count == 0) {
        return E_INVALIDARG;
    }
    for (DWORD i = 0; i < count; i++) {
        if (!configs[i].pProviderGuid) {
            return HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER);
        }
    }
    std::lock_guard<std::mutex> guard(host->traceLock);
    auto &subs = host->traceSubscriptions;
    for (DWORD i = 0; i < count; i++) {
        const HTTP_TRACE_CONFIGURATION &c = configs[i];
        auto it = subs.begin();
        while (it != subs.end() && !(it->module == module && SameGuid(it->provider, *c.pProviderGuid))) {
            ++it;
        }
        if (!c.fProviderEnabled) {
            if (it == subs.end()) {
                return HRESULT_FROM_WIN32(ERROR_NOT_FOUND); // documented: disabling what was never enabled
            }
            subs.erase(it);
            continue;
        }
        if (it == subs.end()) {
            subs.push_back(TraceSubscription{module, *c.pProviderGuid, c.dwAreas, c.dwVerbosity});
        } else {
            it->areas = c.dwAreas;
            it->verbosity = c.dwVerbosity;
        }
    }
    return S_OK;
}

// A request's activity id is made the first time someone asks, so requests that never trace
// pay nothing. Outside a request there is no activity: NULL.
LPCGUID HostTraceContext::GetTraceActivityId()
{
    if (!st) {
        return nullptr;
    }
    if (!haveActivity) {
        thread_local std::mt19937_64 random{std::random_device{}()};
        uint64_t a = random(), b = random();
        memcpy(&activity, &a, 8);
        memcpy(reinterpret_cast<char *>(&activity) + 8, &b, 8);
        activity.Data3 = static_cast<unsigned short>((activity.Data3 & 0x0FFF) | 0x4000); // a version-4 GUID
        activity.Data4[0] = static_cast<unsigned char>((activity.Data4[0] & 0x3F) | 0x80);
        haveActivity = true;
    }
    return &activity;
}

// One event item's value as text, read within its declared size only.
static std::string ItemText(const HTTP_TRACE_EVENT_ITEM &item)
{
    const void *p = item.pbData;
    DWORD n = item.cbData;
    if (!p) {
        return "(null)";
    }
    auto fixed = [&](size_t size, auto read) -> std::string { return n >= size ? read() : "(invalid)"; };
    char num[32];
    switch (EnumValue(item.dwDataType)) {
    case HTTP_TRACE_TYPE_BYTE:
        return fixed(1, [&] { return std::to_string(*static_cast<const uint8_t *>(p)); });
    case HTTP_TRACE_TYPE_CHAR:
        return fixed(1, [&] { return std::to_string(*static_cast<const int8_t *>(p)); });
    case HTTP_TRACE_TYPE_USHORT:
        return fixed(2, [&] { uint16_t v; memcpy(&v, p, 2); return std::to_string(v); });
    case HTTP_TRACE_TYPE_SHORT:
        return fixed(2, [&] { int16_t v; memcpy(&v, p, 2); return std::to_string(v); });
    case HTTP_TRACE_TYPE_ULONG:
        return fixed(4, [&] { uint32_t v; memcpy(&v, p, 4); return std::to_string(v); });
    case HTTP_TRACE_TYPE_LONG:
        return fixed(4, [&] { int32_t v; memcpy(&v, p, 4); return std::to_string(v); });
    case HTTP_TRACE_TYPE_BOOL:
        return fixed(4, [&] { int32_t v; memcpy(&v, p, 4); return std::string(v ? "true" : "false"); });
    case HTTP_TRACE_TYPE_ULONGLONG:
        return fixed(8, [&] { uint64_t v; memcpy(&v, p, 8); snprintf(num, sizeof(num), "%" PRIu64, v); return std::string(num); });
    case HTTP_TRACE_TYPE_LONGLONG:
        return fixed(8, [&] { int64_t v; memcpy(&v, p, 8); snprintf(num, sizeof(num), "%" PRId64, v); return std::string(num); });
    case HTTP_TRACE_TYPE_LPCGUID:
        return fixed(sizeof(GUID), [&] { GUID g; memcpy(&g, p, sizeof(g)); return GuidText(g); });
    case HTTP_TRACE_TYPE_LPCSTR:
        return std::string(static_cast<const char *>(p), strnlen(static_cast<const char *>(p), n));
    case HTTP_TRACE_TYPE_LPCWSTR: {
        const WCHAR *w = static_cast<const WCHAR *>(p);
        std::wstring s(w, wcsnlen(w, n / sizeof(WCHAR)));
        return NarrowString(s.c_str());
    }
    }
    return "(unknown type)";
}

// Sends the event to the host's log as one Debug record (fields in pairs).
static void LogTraceEvent(HostInstance *host, RequestState *st, const HTTP_TRACE_EVENT *ev, LPCGUID activity)
{
    std::vector<std::string> f = {"provider", GuidText(*ev->pProviderGuid), "event", NarrowString(ev->pszEventName ? ev->pszEventName : L""),
                                  "event_id", std::to_string(ev->dwEvent), "area", std::to_string(ev->dwArea),
                                  "verbosity", std::to_string(ev->dwVerbosity)};
    if (activity) {
        f.push_back("activity");
        f.push_back(GuidText(*activity));
    }
    for (DWORD i = 0; ev->pEventItems && i < ev->cEventItems && i < 256; i++) {
        const HTTP_TRACE_EVENT_ITEM &item = ev->pEventItems[i];
        f.push_back(item.pszName ? NarrowString(item.pszName) : "item" + std::to_string(i));
        f.push_back(ItemText(item));
    }
    std::vector<char *> ptrs;
    for (std::string &s : f) {
        ptrs.push_back(&s[0]);
    }
    std::string module = st && st->pipeline.currentModule >= 0 ? st->host->modules[st->pipeline.currentModule]->name : "";
    if (st && st->tracing) {
        RecordModuleEvent(st, f.data(), f.size(), ev->dwVerbosity);
    }
    iisgoTraceEvent(host->goId, &module[0], ptrs.data(), static_cast<uint32_t>(ptrs.size()));
}

HRESULT TraceEventProvider::GetTraceEvent(HTTP_TRACE_EVENT **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = event;
    return S_OK;
}

// TRUE when the module subscribed to the event's provider (or all providers), to one of its
// areas (areas 0: all) and at a verbosity that includes the event's (verbosity 0: all).
BOOL TraceEventProvider::CheckSubscription(HTTP_MODULE_ID module)
{
    std::lock_guard<std::mutex> guard(host->traceLock);
    for (const TraceSubscription &s : host->traceSubscriptions) {
        if (s.module == module && (SameGuid(s.provider, *event->pProviderGuid) || IsAllProviders(s.provider)) &&
            (s.areas == 0 || (s.areas & event->dwArea)) && (s.verbosity == 0 || event->dwVerbosity <= s.verbosity)) {
            return TRUE;
        }
    }
    return FALSE;
}

HRESULT TraceEventProvider::GetCurrentHttpRequestContext(IHttpContext **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = request ? &request->context : nullptr;
    return request ? S_OK : HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
}

HRESULT HostTraceContext::RaiseTraceEvent(HTTP_TRACE_EVENT *ev)
{
    if (!ev || !ev->pProviderGuid) {
        return E_INVALIDARG;
    }
    LogTraceEvent(host, st, ev, ev->pActivityGuid ? ev->pActivityGuid : GetTraceActivityId());
    // A trace module that traces from OnGlobalTraceEvent would recurse forever; its events are
    // logged but not raised again.
    thread_local bool raising = false;
    if (raising) {
        return S_OK;
    }
    raising = true;
    TraceEventProvider provider;
    provider.host = host;
    provider.request = st;
    provider.event = ev;
    RaiseGlobal(host, GL_TRACE_EVENT, [&](CGlobalModule *m) { return m->OnGlobalTraceEvent(&provider); }, st);
    raising = false;
    return S_OK;
}

// QuickTrace raises an event of the WWW server provider named "QuickTrace" whose items are the
// two messages and the error code, at the given level (1-7, as ETW and httptrace.h define them).
HRESULT HostTraceContext::QuickTrace(PCWSTR data1, PCWSTR data2, HRESULT lastError, UCHAR level)
{
    if (level < 1 || level > HTTP_TRACE_LEVEL_END) {
        return E_INVALIDARG;
    }
    PCWSTR d1 = data1 ? data1 : L"", d2 = data2 ? data2 : L"";
    ULONG code = static_cast<ULONG>(lastError);
    HTTP_TRACE_EVENT_ITEM items[3] = {};
    items[0].pszName = L"Data1";
    items[0].dwDataType = HTTP_TRACE_TYPE_LPCWSTR;
    items[0].pbData = reinterpret_cast<PBYTE>(const_cast<WCHAR *>(d1));
    items[0].cbData = static_cast<DWORD>((wcslen(d1) + 1) * sizeof(WCHAR));
    items[1].pszName = L"Data2";
    items[1].dwDataType = HTTP_TRACE_TYPE_LPCWSTR;
    items[1].pbData = reinterpret_cast<PBYTE>(const_cast<WCHAR *>(d2));
    items[1].cbData = static_cast<DWORD>((wcslen(d2) + 1) * sizeof(WCHAR));
    items[2].pszName = L"ErrorCode";
    items[2].dwDataType = HTTP_TRACE_TYPE_ULONG;
    items[2].pbData = reinterpret_cast<PBYTE>(&code);
    items[2].cbData = sizeof(code);
    HTTP_TRACE_EVENT ev{};
    ev.pProviderGuid = &GUID_IIS_WWW_SERVER_TRACE_PROVIDER;
    ev.pszEventName = L"QuickTrace";
    ev.dwVerbosity = level;
    ev.cEventItems = 3;
    ev.pEventItems = items;
    return RaiseTraceEvent(&ev);
}

} // namespace iishost
