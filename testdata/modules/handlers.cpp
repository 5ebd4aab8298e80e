// handlers.cpp - fixture: handler mapping (IScriptMapInfo, IMapHandlerProvider,
// IHttpContext3::MapHandler, IHttpServer::SatisfiesPrecondition).
//
// Contract. Load under several names; each registration subscribes RQ_BEGIN_REQUEST,
// RQ_MAP_REQUEST_HANDLER and RQ_EXECUTE_REQUEST_HANDLER.
// BEGIN (only the registration whose name is the query's "by", default "h-a"):
//   /maphandler?url=U&verb=V[&nowild=1]  IHttpContext3::MapHandler(0, NULL, U, V, &map, nowild):
//        answers 200 text/plain "<hr> <GetName() or (null)>" and finishes.
//   /precond?p=P   IHttpServer::SatisfiesPrecondition(P, &unknown): answers "<0/1> unknown=<0/1>"
//        and finishes.
//   otherwise sets response header X-Early-Map to "null" or "set" (GetScriptMap() before mapping).
// MAP_REQUEST_HANDLER (only the "by" registration):
//   setname=S   IMapHandlerProvider::SetScriptName(S); setmap=1   SetScriptMap(a fixture map named
//   "FixtureMap" whose GetModules() is "h-c", path "*.fix", verbs "GET").
// EXECUTE (every registration the host calls): appends to the body the line
//   "<name>: <map>|scriptname=<GetScriptName()>\n" where <map> is "null" for no GetScriptMap(), else
//   "<GetName>|<GetPath>|<GetAllowedVerbs>|<GetModules>|<GetScriptProcessor>|<GetManagedType>|
//   <GetAllowPathInfoForScriptMappings>|<GetRequiredAccess>|<GetResourceType>|<GetIsStarScriptMap>|
//   <GetResponseBufferLimit>", and sets status 200 text/plain; returns CONTINUE.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

class FixtureMap final : public IScriptMapInfo {
public:
    PCWSTR GetPath() const override { return L"*.fix"; }
    PCSTR GetAllowedVerbs() const override { return "GET"; }
    PCWSTR GetModules(DWORD* n) const override { return Len(L"h-c", n); }
    PCWSTR GetScriptProcessor(DWORD* n) const override { return Len(L"", n); }
    PCWSTR GetManagedType(DWORD* n) const override { return Len(L"", n); }
    BOOL GetAllowPathInfoForScriptMappings() const override { return FALSE; }
    DWORD GetRequiredAccess() const override { return 3; }
    DWORD GetResourceType() const override { return 3; }
    BOOL GetIsStarScriptMap() const override { return FALSE; }
    DWORD GetResponseBufferLimit() const override { return 0; }
    PCWSTR GetName() const override { return L"FixtureMap"; }

private:
    static PCWSTR Len(PCWSTR s, DWORD* n) {
        if (n) *n = static_cast<DWORD>(wcslen(s));
        return s;
    }
};

FixtureMap g_map;

std::string Describe(IScriptMapInfo* m) {
    if (m == nullptr) return "null";
    DWORD n1 = 0, n2 = 0, n3 = 0;
    PCWSTR mods = m->GetModules(&n1), proc = m->GetScriptProcessor(&n2), type = m->GetManagedType(&n3);
    return fx::Utf8(m->GetName()) + "|" + fx::Utf8(m->GetPath()) + "|" + m->GetAllowedVerbs() + "|" + fx::Utf8(mods, n1) +
           "|" + fx::Utf8(proc, n2) + "|" + fx::Utf8(type, n3) + "|" + std::to_string(m->GetAllowPathInfoForScriptMappings()) +
           "|" + std::to_string(m->GetRequiredAccess()) + "|" + std::to_string(m->GetResourceType()) + "|" +
           std::to_string(m->GetIsStarScriptMap()) + "|" + std::to_string(m->GetResponseBufferLimit());
}

class HandlerModule final : public CHttpModule {
public:
    HandlerModule(std::string name, IHttpServer* server) : name_(std::move(name)), server_(server) {}

    bool Mine(IHttpContext* ctx) {
        std::string by = fx::QueryParam(fx::Query(ctx), "by");
        return name_ == (by.empty() ? "h-a" : by);
    }

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        if (!Mine(ctx)) return RQ_NOTIFICATION_CONTINUE;
        std::string path = fx::AbsPath(ctx), q = fx::Query(ctx);
        if (path == "/maphandler") {
            IHttpContext3* c3 = nullptr;
            HttpGetExtendedInterface(server_, ctx, &c3);
            std::wstring url = fx::Wide(fx::QueryParam(q, "url"));
            std::string verb = fx::QueryParam(q, "verb");
            IScriptMapInfo* map = nullptr;
            HRESULT hr = c3->MapHandler(0, nullptr, url.c_str(), verb.c_str(), &map, fx::QueryParam(q, "nowild") == "1");
            fx::Reply(ctx, fx::Hex(hr) + " " + (map ? fx::Utf8(map->GetName()) : "(null)"));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/precond") {
            std::wstring p = fx::Wide(fx::QueryParam(q, "p"));
            BOOL unknown = 2;
            BOOL ok = server_->SatisfiesPrecondition(p.c_str(), &unknown);
            fx::Reply(ctx, std::to_string(ok) + " unknown=" + std::to_string(unknown));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        bool set = ctx->GetScriptMap() != nullptr;
        ctx->GetResponse()->SetHeader("X-Early-Map", set ? "set" : "null", set ? 3 : 4, TRUE);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnMapRequestHandler(IHttpContext* ctx, IMapHandlerProvider* p) override {
        if (!Mine(ctx)) return RQ_NOTIFICATION_CONTINUE;
        std::string q = fx::Query(ctx);
        std::wstring name = fx::Wide(fx::QueryParam(q, "setname"));
        if (!name.empty()) {
            HRESULT hr = p->SetScriptName(name.c_str(), static_cast<DWORD>(name.size()));
            if (FAILED(hr)) p->SetErrorStatus(hr);
        }
        if (fx::QueryParam(q, "setmap") == "1") p->SetScriptMap(&g_map);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        DWORD n = 0;
        PCWSTR script = ctx->GetScriptName(&n);
        std::string line = name_ + ": " + Describe(ctx->GetScriptMap()) + "|scriptname=" + fx::Utf8(script, n) + "\n";
        fx::Reply(ctx, line);
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    std::string name_;
    IHttpServer* server_;
};

class HandlerFactory final : public IHttpModuleFactory {
public:
    HandlerFactory(std::string name, IHttpServer* server) : name_(std::move(name)), server_(server) {}
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new HandlerModule(name_, server_);
        return S_OK;
    }
    void Terminate() override { delete this; }

private:
    std::string name_;
    IHttpServer* server_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    auto* f = new HandlerFactory(fx::Utf8(info->GetName()), server);
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_MAP_REQUEST_HANDLER | RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
