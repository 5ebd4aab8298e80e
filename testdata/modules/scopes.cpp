// scopes.cpp - fixture: module contexts beyond the request (site, application, a container
// dispensed by the server) and the context's path and identity methods.
//
// Contract (the log file is the env var IISHOST_SCOPES_LOG, one line per event):
//   /scopes  -> body "site=<n> app=<n> dispensed=<n> again=<hr>": each scope holds one counter
//              context, created on first use and incremented on every /scopes request; again is
//              the HRESULT of a second SetModuleContext on the site container (already set).
//   /paths/x.txt -> body lines: script=<GetScriptName>/<cch>, physical=<GetPhysicalPath>/<cch>,
//              translated=<GetScriptTranslated>, mapneed=<bytes MapPath asks for with no buffer>,
//              mapped=<MapPath("/img/a.png")>, relative=<MapPath("b.txt")>, flags=<GetExecuteFlags>,
//              parent=<null|set>, root=<self|other>, site=<GetSiteName>/<GetSiteId>,
//              apppath=<GetApplicationPhysicalPath>, appid=<GetApplicationId>,
//              pool=<GetAppPoolName>, cmdline=<IsCommandLineLaunch>
//   Scope ends are logged as "cleanup <scope> <count>"; Terminate logs "terminate".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fixture.h"

namespace {

HTTP_MODULE_ID g_id = nullptr;
IHttpServer *g_server = nullptr;
IDispensedHttpModuleContextContainer *g_dispensed = nullptr;

void LogLine(const std::string &line)
{
    const char *path = std::getenv("IISHOST_SCOPES_LOG");
    if (!path) {
        return;
    }
    if (FILE *f = std::fopen(path, "a")) {
        std::fprintf(f, "%s\n", line.c_str());
        std::fclose(f);
    }
}

class Counter final : public IHttpStoredContext {
public:
    explicit Counter(const char *scope) : scope_(scope) {}
    void CleanupStoredContext() override
    {
        LogLine(std::string("cleanup ") + scope_ + " " + std::to_string(count.load()));
        delete this;
    }
    std::atomic<int> count{0};

private:
    const char *scope_;
};

int Bump(IHttpModuleContextContainer *c, const char *scope)
{
    auto *counter = static_cast<Counter *>(c->GetModuleContext(g_id));
    if (!counter) {
        counter = new Counter(scope);
        if (FAILED(c->SetModuleContext(counter, g_id))) {
            delete counter; // another request set it first
            counter = static_cast<Counter *>(c->GetModuleContext(g_id));
        }
    }
    return ++counter->count;
}

class ScopesModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string path = fx::AbsPath(ctx);
        std::string out;
        if (path == "/scopes") {
            int site = Bump(ctx->GetSite()->GetModuleContextContainer(), "site");
            int app = Bump(ctx->GetApplication()->GetModuleContextContainer(), "app");
            int dispensed = Bump(g_dispensed, "dispensed");
            Counter extra("extra");
            HRESULT again = ctx->GetSite()->GetModuleContextContainer()->SetModuleContext(&extra, g_id);
            out = "site=" + std::to_string(site) + " app=" + std::to_string(app) + " dispensed=" + std::to_string(dispensed) +
                  " again=" + fx::Hex(again);
        } else if (path.rfind("/paths/", 0) == 0) {
            DWORD cch = 0;
            PCWSTR script = ctx->GetScriptName(&cch);
            out += "script=" + fx::Utf8(script) + "/" + std::to_string(cch) + "\n";
            PCWSTR physical = ctx->GetPhysicalPath(&cch);
            out += "physical=" + fx::Utf8(physical) + "/" + std::to_string(cch) + "\n";
            out += "translated=" + fx::Utf8(ctx->GetScriptTranslated()) + "\n";
            DWORD need = 0;
            HRESULT hr = ctx->MapPath(L"/img/a.png", nullptr, &need);
            out += "mapneed=" + std::to_string(need) + " " + fx::Hex(hr) + "\n";
            std::wstring buffer(need / sizeof(WCHAR), L'\0');
            hr = ctx->MapPath(L"/img/a.png", &buffer[0], &need);
            out += "mapped=" + fx::Utf8(buffer.c_str()) + " " + fx::Hex(hr) + "\n";
            WCHAR relative[512];
            DWORD size = sizeof(relative);
            hr = ctx->MapPath(L"b.txt", relative, &size);
            out += "relative=" + fx::Utf8(relative) + " " + fx::Hex(hr) + "\n";
            out += "flags=" + std::to_string(ctx->GetExecuteFlags()) + "\n";
            out += std::string("parent=") + (ctx->GetParentContext() ? "set" : "null") + "\n";
            out += std::string("root=") + (ctx->GetRootContext() == ctx ? "self" : "other") + "\n";
            out += "site=" + fx::Utf8(ctx->GetSite()->GetSiteName()) + "/" + std::to_string(ctx->GetSite()->GetSiteId()) + "\n";
            out += "apppath=" + fx::Utf8(ctx->GetApplication()->GetApplicationPhysicalPath()) + "\n";
            out += "appid=" + fx::Utf8(ctx->GetApplication()->GetApplicationId()) + "\n";
            out += "pool=" + fx::Utf8(g_server->GetAppPoolName()) + "\n";
            out += "cmdline=" + std::to_string(g_server->IsCommandLineLaunch()) + "\n";
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        fx::Write(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class Factory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new ScopesModule();
        return S_OK;
    }
    void Terminate() override
    {
        g_dispensed->ReleaseContainer();
        LogLine("terminate");
        delete this;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *server)
{
    g_id = info->GetId();
    g_server = server;
    g_dispensed = server->DispenseContainer();
    if (!g_dispensed) {
        return E_OUTOFMEMORY;
    }
    return info->SetRequestNotifications(new Factory(), RQ_BEGIN_REQUEST, 0);
}
