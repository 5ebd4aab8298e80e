// tracectx.cpp - fixture: IHttpTraceContext and GL_TRACE_EVENT (IGlobalTraceEventProvider).
//
// Contract. Load under several names. Each registration subscribes RQ_EXECUTE_REQUEST_HANDLER
// and GL_TRACE_EVENT. A name containing "-sub" also calls, in RegisterModule,
// IHttpServer::GetTraceContext()->SetTraceConfiguration(id, {kProvider, areas 0x2, verbosity 4,
// enabled}). kProvider is 11111111-2222-3333-4444-555555555555.
// OnGlobalTraceEvent appends "<name> <event name> sub=<CheckSubscription(id)> ctx=<cooked path of
// GetCurrentHttpRequestContext, or none>" to a process-wide list, and returns HANDLED when the
// name ends with "-handled".
// Handlers (the first registration in the plan answers; it finishes the request) answer 200
// text/plain. scope=server in the query uses IHttpServer::GetTraceContext() instead of the
// request's.
//   /get?provider=mine|www           body "<hr> enabled=<0/1> areas=<n> verbosity=<n>"
//   /getnull                         body "<hr>" of GetTraceConfiguration with pProviderGuid NULL
//   /set?enabled=0|1&areas=&verbosity=   SetTraceConfiguration(id, kProvider ...): body "<hr>"
//   /setnull                         SetTraceConfiguration with pProviderGuid NULL: body "<hr>"
//   /raise?area=&verbosity=          RaiseTraceEvent of kProvider, event 7 "FixtureEvent", items
//                                    Count (ULONG 42), Name (LPCWSTR "hello"), Flag (BOOL 1),
//                                    Big (ULONGLONG 1<<40), Id (LPCGUID kProvider); body
//                                    "<hr>\n" + the list lines since the last drain, each + "\n"
//   /raisenull                       RaiseTraceEvent(NULL): body "<hr>"
//   /quick?level=                    QuickTrace(L"first", L"second", E_FAIL, level): as /raise
//   /activity                        body "<id>|<same call again>|<server context's or NULL>"
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "fixture.h"

namespace {

const GUID kProvider = {0x11111111, 0x2222, 0x3333, {0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55}};

std::mutex g_lock;
std::vector<std::string> g_lines;

std::string GuidString(LPCGUID g) {
    if (g == nullptr) return "NULL";
    char text[40];
    std::snprintf(text, sizeof text, "%08X-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X", static_cast<unsigned>(g->Data1),
                  g->Data2, g->Data3, g->Data4[0], g->Data4[1], g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5],
                  g->Data4[6], g->Data4[7]);
    return text;
}

std::string Drain() {
    std::lock_guard<std::mutex> guard(g_lock);
    std::string out;
    for (const std::string& l : g_lines) out += l + "\n";
    g_lines.clear();
    return out;
}

class TraceGlobal final : public CGlobalModule {
public:
    TraceGlobal(std::string name, HTTP_MODULE_ID id) : name_(std::move(name)), id_(id) {}
    GLOBAL_NOTIFICATION_STATUS OnGlobalTraceEvent(IGlobalTraceEventProvider* p) override {
        HTTP_TRACE_EVENT* ev = nullptr;
        p->GetTraceEvent(&ev);
        IHttpContext* ctx = nullptr;
        std::string where = SUCCEEDED(p->GetCurrentHttpRequestContext(&ctx)) && ctx ? fx::AbsPath(ctx) : "none";
        std::string line = name_ + " " + (ev ? fx::Utf8(ev->pszEventName) : "?") +
                           " sub=" + (p->CheckSubscription(id_) ? "1" : "0") + " ctx=" + where;
        {
            std::lock_guard<std::mutex> guard(g_lock);
            g_lines.push_back(line);
        }
        bool handled = name_.size() > 8 && name_.compare(name_.size() - 8, 8, "-handled") == 0;
        return handled ? GL_NOTIFICATION_HANDLED : GL_NOTIFICATION_CONTINUE;
    }
    void Terminate() override { delete this; }

private:
    std::string name_;
    HTTP_MODULE_ID id_;
};

class TraceModule final : public CHttpModule {
public:
    TraceModule(HTTP_MODULE_ID id, IHttpServer* server) : id_(id), server_(server) {}
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx), q = fx::Query(ctx);
        IHttpTraceContext* tc = fx::QueryParam(q, "scope") == "server" ? server_->GetTraceContext() : ctx->GetTraceContext();
        std::string body;
        if (path == "/get") {
            HTTP_TRACE_CONFIGURATION c = {};
            c.pProviderGuid = fx::QueryParam(q, "provider") == "www" ? &GUID_IIS_WWW_SERVER_TRACE_PROVIDER : &kProvider;
            HRESULT hr = tc->GetTraceConfiguration(&c);
            body = fx::Hex(hr) + " enabled=" + std::to_string(c.fProviderEnabled ? 1 : 0) + " areas=" +
                   std::to_string(c.dwAreas) + " verbosity=" + std::to_string(c.dwVerbosity);
        } else if (path == "/getnull") {
            HTTP_TRACE_CONFIGURATION c = {};
            body = fx::Hex(tc->GetTraceConfiguration(&c));
        } else if (path == "/set" || path == "/setnull") {
            HTTP_TRACE_CONFIGURATION c = {};
            c.pProviderGuid = path == "/set" ? &kProvider : nullptr;
            c.dwAreas = std::strtoul(fx::QueryParam(q, "areas").c_str(), nullptr, 10);
            c.dwVerbosity = std::strtoul(fx::QueryParam(q, "verbosity").c_str(), nullptr, 10);
            c.fProviderEnabled = fx::QueryParam(q, "enabled") == "1";
            body = fx::Hex(tc->SetTraceConfiguration(id_, &c, 1));
        } else if (path == "/raise") {
            ULONG count = 42;
            BOOL flag = TRUE;
            ULONGLONG big = 1ULL << 40;
            const WCHAR* name = L"hello";
            HTTP_TRACE_EVENT_ITEM items[5] = {};
            items[0] = {L"Count", HTTP_TRACE_TYPE_ULONG, reinterpret_cast<PBYTE>(&count), sizeof count, nullptr};
            items[1] = {L"Name", HTTP_TRACE_TYPE_LPCWSTR, reinterpret_cast<PBYTE>(const_cast<WCHAR*>(name)),
                        static_cast<DWORD>(6 * sizeof(WCHAR)), nullptr};
            items[2] = {L"Flag", HTTP_TRACE_TYPE_BOOL, reinterpret_cast<PBYTE>(&flag), sizeof flag, nullptr};
            items[3] = {L"Big", HTTP_TRACE_TYPE_ULONGLONG, reinterpret_cast<PBYTE>(&big), sizeof big, nullptr};
            items[4] = {L"Id", HTTP_TRACE_TYPE_LPCGUID, reinterpret_cast<PBYTE>(const_cast<GUID*>(&kProvider)), sizeof(GUID), nullptr};
            HTTP_TRACE_EVENT ev = {};
            ev.pProviderGuid = &kProvider;
            ev.dwArea = std::strtoul(fx::QueryParam(q, "area").c_str(), nullptr, 10);
            ev.dwEvent = 7;
            ev.pszEventName = L"FixtureEvent";
            ev.dwVerbosity = std::strtoul(fx::QueryParam(q, "verbosity").c_str(), nullptr, 10);
            ev.cEventItems = 5;
            ev.pEventItems = items;
            body = fx::Hex(tc->RaiseTraceEvent(&ev)) + "\n";
            body += Drain();
        } else if (path == "/raisenull") {
            body = fx::Hex(tc->RaiseTraceEvent(nullptr));
        } else if (path == "/quick") {
            UCHAR level = static_cast<UCHAR>(std::strtoul(fx::QueryParam(q, "level").c_str(), nullptr, 10));
            body = fx::Hex(tc->QuickTrace(L"first", L"second", E_FAIL, level)) + "\n";
            body += Drain();
        } else if (path == "/activity") {
            body = GuidString(tc->GetTraceActivityId()) + "|" + GuidString(ctx->GetTraceContext()->GetTraceActivityId()) + "|" +
                   GuidString(server_->GetTraceContext()->GetTraceActivityId());
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        fx::Reply(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    HTTP_MODULE_ID id_;
    IHttpServer* server_;
};


}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    std::string name = fx::Utf8(info->GetName());
    if (name.find("-sub") != std::string::npos) {
        HTTP_TRACE_CONFIGURATION c = {&kProvider, 0x2, 4, TRUE};
        HRESULT hr = server->GetTraceContext()->SetTraceConfiguration(info->GetId(), &c);
        if (FAILED(hr)) return hr;
    }
    auto* f = new fx::FactoryOf<TraceModule, HTTP_MODULE_ID, IHttpServer*>(info->GetId(), server);
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) {
        delete f;
        return hr;
    }
    return info->SetGlobalNotifications(new TraceGlobal(name, info->GetId()), GL_TRACE_EVENT);
}
