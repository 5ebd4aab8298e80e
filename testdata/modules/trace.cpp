// trace.cpp - fixture: the pipeline probe.
//
// Load the same .so several times under different names; each name is a
// separate registration with its own factory, and the name is the LABEL.
//
// Registration: all 12 deterministic notifications RQ_BEGIN_REQUEST ..
// RQ_END_REQUEST as notification AND post-notification, plus RQ_SEND_RESPONSE
// (notification only). If the name contains "-FIRST", "-HIGH", "-MEDIUM",
// "-LOW" or "-LAST" (first match in that order), it calls
// SetPriorityForRequestNotification(bit, PRIORITY_ALIAS_x) once per registered
// notification bit (13 calls); with "+post" in the name too, also
// SetPriorityForPostRequestNotification for each post-notification bit. A failing
// registration call fails RegisterModule.
//
// At every event (Event = the CHttpModule method name without "On":
// BeginRequest, PostBeginRequest, AuthenticateRequest, ..., EndRequest,
// PostEndRequest, SendResponse), in this order:
//  1. appends "<label>:<Event>" to response header X-Trace with
//     SetHeader("X-Trace", v, len, FALSE), so the client sees a comma-joined list;
//  2. if request header "X-Want-Last" is exactly "1": appends
//     "<Event>=<0|1>" (GetIsLastNotification(RQ_NOTIFICATION_CONTINUE) != FALSE)
//     to response header "X-Last-<label>" (fReplace FALSE);
//  3. X-Disable-At: <label>:<Event>=<hexmask>/<hexpostmask>  -> DisableNotifications(mask, postmask)
//     (hex parsed with strtoul base 16, so a 0x prefix is optional);
//  4. X-Handle-At: <label>:<Event> -> SetStatus(200,"OK"), Content-Type text/plain,
//     body "handled by <label>" (WriteEntityChunks), SetRequestHandled(), returns CONTINUE;
//  5. X-Throw-At: <label>:<Event>  -> throws std::runtime_error("trace: thrown at <label>:<Event>");
//  6. X-Finish-At: <label>:<Event> -> SetStatus(299, "Finished"), returns FINISH_REQUEST.
// Otherwise it returns RQ_NOTIFICATION_CONTINUE. Each switch header may hold
// several comma-separated items (as when the header is sent twice); items are
// trimmed of spaces/tabs and compared exactly (case-sensitive) with
// "<label>:<Event>" (for X-Disable-At, with the part before '=').
// The module never writes a body unless told to by X-Handle-At.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <utility>

#include "fixture.h"

namespace {

// Trim drops leading and trailing spaces and tabs.
std::string Trim(const std::string& s) {
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string::npos) return std::string();
    size_t e = s.find_last_not_of(" \t");
    return s.substr(b, e - b + 1);
}

// Match reports whether header holds an item equal to tag. When arg is not
// null the item must be "tag=ARG" and *arg receives ARG.
bool Match(IHttpContext* ctx, PCSTR header, const std::string& tag, std::string* arg) {
    std::string value = fx::Header(ctx, header);
    size_t pos = 0;
    while (pos <= value.size() && !value.empty()) {
        size_t comma = value.find(',', pos);
        if (comma == std::string::npos) comma = value.size();
        std::string item = Trim(value.substr(pos, comma - pos));
        if (arg == nullptr) {
            if (item == tag) return true;
        } else {
            size_t eq = item.find('=');
            if (eq != std::string::npos && item.substr(0, eq) == tag) {
                *arg = item.substr(eq + 1);
                return true;
            }
        }
        pos = comma + 1;
    }
    return false;
}

class TraceModule final : public CHttpModule {
public:
    explicit TraceModule(const std::string& label) : label_(label) {}

#define TRACE_EVENT(Name, Provider)                                                        \
    REQUEST_NOTIFICATION_STATUS On##Name(IHttpContext* ctx, Provider* p) override {        \
        return Hit(ctx, p, #Name);                                                         \
    }
    TRACE_EVENT(BeginRequest, IHttpEventProvider)
    TRACE_EVENT(PostBeginRequest, IHttpEventProvider)
    TRACE_EVENT(AuthenticateRequest, IAuthenticationProvider)
    TRACE_EVENT(PostAuthenticateRequest, IHttpEventProvider)
    TRACE_EVENT(AuthorizeRequest, IHttpEventProvider)
    TRACE_EVENT(PostAuthorizeRequest, IHttpEventProvider)
    TRACE_EVENT(ResolveRequestCache, IHttpEventProvider)
    TRACE_EVENT(PostResolveRequestCache, IHttpEventProvider)
    TRACE_EVENT(MapRequestHandler, IMapHandlerProvider)
    TRACE_EVENT(PostMapRequestHandler, IHttpEventProvider)
    TRACE_EVENT(AcquireRequestState, IHttpEventProvider)
    TRACE_EVENT(PostAcquireRequestState, IHttpEventProvider)
    TRACE_EVENT(PreExecuteRequestHandler, IHttpEventProvider)
    TRACE_EVENT(PostPreExecuteRequestHandler, IHttpEventProvider)
    TRACE_EVENT(ExecuteRequestHandler, IHttpEventProvider)
    TRACE_EVENT(PostExecuteRequestHandler, IHttpEventProvider)
    TRACE_EVENT(ReleaseRequestState, IHttpEventProvider)
    TRACE_EVENT(PostReleaseRequestState, IHttpEventProvider)
    TRACE_EVENT(UpdateRequestCache, IHttpEventProvider)
    TRACE_EVENT(PostUpdateRequestCache, IHttpEventProvider)
    TRACE_EVENT(LogRequest, IHttpEventProvider)
    TRACE_EVENT(PostLogRequest, IHttpEventProvider)
    TRACE_EVENT(EndRequest, IHttpEventProvider)
    TRACE_EVENT(PostEndRequest, IHttpEventProvider)
    TRACE_EVENT(SendResponse, ISendResponseProvider)
#undef TRACE_EVENT

private:
    REQUEST_NOTIFICATION_STATUS Hit(IHttpContext* ctx, IHttpEventProvider*, const char* event) {
        IHttpResponse* resp = ctx->GetResponse();
        const std::string tag = label_ + ":" + event;
        resp->SetHeader("X-Trace", tag.c_str(), static_cast<USHORT>(tag.size()), FALSE);

        if (fx::Header(ctx, "X-Want-Last") == "1") {
            std::string name = "X-Last-" + label_;
            std::string v = std::string(event) + (ctx->GetIsLastNotification(RQ_NOTIFICATION_CONTINUE) ? "=1" : "=0");
            resp->SetHeader(name.c_str(), v.c_str(), static_cast<USHORT>(v.size()), FALSE);
        }

        std::string masks;
        if (Match(ctx, "X-Disable-At", tag, &masks)) {
            size_t slash = masks.find('/');
            DWORD mask = static_cast<DWORD>(std::strtoul(masks.substr(0, slash).c_str(), nullptr, 16));
            DWORD post = slash == std::string::npos
                             ? 0
                             : static_cast<DWORD>(std::strtoul(masks.substr(slash + 1).c_str(), nullptr, 16));
            ctx->DisableNotifications(mask, post);
        }
        if (Match(ctx, "X-Handle-At", tag, nullptr)) {
            fx::Reply(ctx, "handled by " + label_);
            ctx->SetRequestHandled();
        }
        if (Match(ctx, "X-Throw-At", tag, nullptr)) {
            throw std::runtime_error("trace: thrown at " + tag);
        }
        if (Match(ctx, "X-Finish-At", tag, nullptr)) {
            resp->SetStatus(299, "Finished");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    const std::string& label_;  // owned by the factory, which outlives every module
};

class TraceFactory final : public IHttpModuleFactory {
public:
    explicit TraceFactory(std::string label) : label_(std::move(label)) {}
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) TraceModule(label_);
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }

private:
    const std::string label_;
};

// Priority maps a "-TOKEN" in the module name to its PRIORITY_ALIAS, or null.
PCWSTR Priority(const std::string& name) {
    static const struct { const char* token; PCWSTR alias; } table[] = {
        {"-FIRST", PRIORITY_ALIAS_FIRST}, {"-HIGH", PRIORITY_ALIAS_HIGH}, {"-MEDIUM", PRIORITY_ALIAS_MEDIUM},
        {"-LOW", PRIORITY_ALIAS_LOW},     {"-LAST", PRIORITY_ALIAS_LAST},
    };
    for (const auto& row : table) {
        if (name.find(row.token) != std::string::npos) return row.alias;
    }
    return nullptr;
}

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    std::string label = fx::Utf8(info->GetName());
    const DWORD notifications = RQ_BEGIN_REQUEST | RQ_AUTHENTICATE_REQUEST | RQ_AUTHORIZE_REQUEST |
                                RQ_RESOLVE_REQUEST_CACHE | RQ_MAP_REQUEST_HANDLER | RQ_ACQUIRE_REQUEST_STATE |
                                RQ_PRE_EXECUTE_REQUEST_HANDLER | RQ_EXECUTE_REQUEST_HANDLER |
                                RQ_RELEASE_REQUEST_STATE | RQ_UPDATE_REQUEST_CACHE | RQ_LOG_REQUEST |
                                RQ_END_REQUEST;

    TraceFactory* f = new (std::nothrow) TraceFactory(label);
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, notifications | RQ_SEND_RESPONSE, notifications);
    if (FAILED(hr)) {
        delete f;
        return hr;
    }
    PCWSTR priority = Priority(label);
    if (priority == nullptr) return S_OK;
    // "+post" in the name: the post-notifications get the priority too (IHttpModuleRegistrationInfo2).
    bool post = label.find("+post") != std::string::npos;
    auto* info2 = static_cast<IHttpModuleRegistrationInfo2*>(info);
    for (DWORD bit = 1; bit != 0; bit <<= 1) {
        if (((notifications | RQ_SEND_RESPONSE) & bit) == 0) continue;
        hr = info->SetPriorityForRequestNotification(bit, priority);
        if (FAILED(hr)) return hr;  // the host owns f now and will Terminate it
        if (post && (notifications & bit) && FAILED(hr = info2->SetPriorityForPostRequestNotification(bit, priority))) {
            return hr;
        }
    }
    return S_OK;
}
