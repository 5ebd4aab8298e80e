// sites.cpp - fixture: which site, application and folder a request is served by.
//
// Contract: a request whose query is "info" is answered at RQ_EXECUTE_REQUEST_HANDLER with
// 200 text/plain, one "key=value" line each, then FINISH_REQUEST:
//   site=<GetSite()->GetSiteId()> <GetSiteName()>
//   app=<GetApplicationId()>|<GetApplicationPhysicalPath()>|<GetAppConfigPath()>
//   meta=<GetMetadata()->GetMetaPath()>|<GetVrPath()>
//   vars=<INSTANCE_ID>|<INSTANCE_NAME>|<APPL_MD_PATH>|<APPL_PHYSICAL_PATH>|<PATH_TRANSLATED>
//   map=<MapPath of the request's own path, or ERR 0x%08X>
//   https=<HTTPS>|<SERVER_PORT_SECURE>|<SERVER_PROTOCOL>
//   sitehits=<requests this site's module context container has counted, this one included>
//   apphits=<the same for the application's container>
// Any other request: CONTINUE (the static file handler serves it).
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <atomic>
#include <new>

#include "fixture.h"

namespace {

// A counter kept in a module context container: the site's or the application's.
class Hits final : public IHttpStoredContext {
public:
    std::atomic<int> count{0};
    void CleanupStoredContext() override { delete this; }
};

int Count(IHttpModuleContextContainer* container, HTTP_MODULE_ID id) {
    auto* hits = static_cast<Hits*>(container->GetModuleContext(id));
    if (hits == nullptr) {
        auto* fresh = new (std::nothrow) Hits();
        if (fresh == nullptr) return -1;
        if (FAILED(container->SetModuleContext(fresh, id))) {
            delete fresh;  // another request set one first
        }
        hits = static_cast<Hits*>(container->GetModuleContext(id));
    }
    return hits ? ++hits->count : -1;
}

HTTP_MODULE_ID g_id = nullptr;

std::string Var(IHttpContext* ctx, PCSTR name) {
    PCSTR value = nullptr;
    DWORD cch = 0;
    HRESULT hr = ctx->GetServerVariable(name, &value, &cch);
    return FAILED(hr) ? "ERR " + fx::Hex(hr) : std::string(value ? value : "");
}

class SitesModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (fx::Query(ctx) != "info") return RQ_NOTIFICATION_CONTINUE;
        IHttpSite* site = ctx->GetSite();
        IHttpApplication* app = ctx->GetApplication();
        IMetadataInfo* meta = ctx->GetMetadata();
        std::string out = "site=" + std::to_string(site->GetSiteId()) + " " + fx::Utf8(site->GetSiteName()) + "\n";
        out += "app=" + fx::Utf8(app->GetApplicationId()) + "|" + fx::Utf8(app->GetApplicationPhysicalPath()) + "|" +
               fx::Utf8(app->GetAppConfigPath()) + "\n";
        out += "meta=" + fx::Utf8(meta->GetMetaPath()) + "|" + fx::Utf8(meta->GetVrPath()) + "\n";
        out += "vars=" + Var(ctx, "INSTANCE_ID") + "|" + Var(ctx, "INSTANCE_NAME") + "|" + Var(ctx, "APPL_MD_PATH") + "|" +
               Var(ctx, "APPL_PHYSICAL_PATH") + "|" + Var(ctx, "PATH_TRANSLATED") + "\n";
        std::wstring url = fx::Wide(fx::AbsPath(ctx));
        WCHAR physical[4096];
        DWORD cb = sizeof(physical);
        HRESULT hr = ctx->MapPath(url.c_str(), physical, &cb);
        out += "map=" + (FAILED(hr) ? "ERR " + fx::Hex(hr) : fx::Utf8(physical)) + "\n";
        out += "https=" + Var(ctx, "HTTPS") + "|" + Var(ctx, "SERVER_PORT_SECURE") + "|" + Var(ctx, "SERVER_PROTOCOL") + "\n";
        out += "sitehits=" + std::to_string(Count(site->GetModuleContextContainer(), g_id)) + "\n";
        out += "apphits=" + std::to_string(Count(app->GetModuleContextContainer(), g_id)) + "\n";
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    g_id = info->GetId();
    return info->SetRequestNotifications(new fx::Factory<SitesModule>(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
