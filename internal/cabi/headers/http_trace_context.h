// IHttpTraceContext and the provider of GL_TRACE_EVENT (http_trace_context.cpp).
#pragma once

#include "forward.h"
#include "providers.h"

namespace iishost {

// One module's subscription to a trace provider (IHttpTraceContext::SetTraceConfiguration).
struct TraceSubscription {
    HTTP_MODULE_ID module;
    GUID provider;
    DWORD areas, verbosity;
};

// A trace context: the server's (st null) or a request's (http_trace_context.cpp).
class HostTraceContext : public IHttpTraceContextStub {
public:
    HostInstance *host = nullptr;
    RequestState *st = nullptr;
    GUID activity{};
    bool haveActivity = false;
    HRESULT GetTraceConfiguration(HTTP_TRACE_CONFIGURATION *config) override;
    HRESULT SetTraceConfiguration(HTTP_MODULE_ID module, HTTP_TRACE_CONFIGURATION *configs, DWORD count) override;
    HRESULT RaiseTraceEvent(HTTP_TRACE_EVENT *event) override;
    LPCGUID GetTraceActivityId() override;
    HRESULT QuickTrace(PCWSTR data1, PCWSTR data2, HRESULT lastError, UCHAR level) override;
};

// The provider OnGlobalTraceEvent receives: the event, and whose subscription it matches.
class TraceEventProvider : public Provider<IGlobalTraceEventProviderStub> {
public:
    HostInstance *host = nullptr;
    RequestState *request = nullptr; // null for an event from the server's trace context
    HTTP_TRACE_EVENT *event = nullptr;
    HRESULT GetTraceEvent(HTTP_TRACE_EVENT **out) override;
    BOOL CheckSubscription(HTTP_MODULE_ID module) override;
    HRESULT GetCurrentHttpRequestContext(IHttpContext **out) override;
};

} // namespace iishost
