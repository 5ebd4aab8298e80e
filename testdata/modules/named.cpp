// named.cpp - fixture: named request contexts (IHttpContext3::GetNamedContextContainer) and the
// original user.
//
// Contract: RQ_BEGIN_REQUEST stores a context named L"fixture.named" holding the query string;
// a second SetNamedContext with that name reports its HRESULT in X-Named-Again. RQ_END_REQUEST
// reads it back into X-Named and reports GetNamedContext(L"missing") as X-Named-Missing
// (null|set) and GetOriginalUser()->GetUserName() as X-Original-User. Cleanup writes
// "cleanup <value>" to the file named by IISHOST_NAMED_LOG.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fixture.h"

namespace {

class Named final : public IHttpStoredContext {
public:
    explicit Named(const std::string &value) : value(value) {}
    void CleanupStoredContext() override
    {
        if (const char *path = std::getenv("IISHOST_NAMED_LOG")) {
            if (FILE *f = std::fopen(path, "a")) {
                std::fprintf(f, "cleanup %s\n", value.c_str());
                std::fclose(f);
            }
        }
        delete this;
    }
    std::string value;
};

void SetHeader(IHttpContext *ctx, const char *name, const std::string &value)
{
    ctx->GetResponse()->SetHeader(name, value.c_str(), static_cast<USHORT>(value.size()), TRUE);
}

class NamedModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        INamedContextContainer *names = static_cast<IHttpContext3 *>(ctx)->GetNamedContextContainer();
        names->SetNamedContext(new Named(fx::Query(ctx)), L"fixture.named");
        Named other("other");
        SetHeader(ctx, "X-Named-Again", fx::Hex(names->SetNamedContext(&other, L"fixture.named")));
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        INamedContextContainer *names = static_cast<IHttpContext3 *>(ctx)->GetNamedContextContainer();
        auto *named = static_cast<Named *>(names->GetNamedContext(L"fixture.named"));
        SetHeader(ctx, "X-Named", named ? named->value : "missing");
        SetHeader(ctx, "X-Named-Missing", names->GetNamedContext(L"missing") ? "set" : "null");
        SetHeader(ctx, "X-Original-User", "[" + fx::Utf8(static_cast<IHttpContext3 *>(ctx)->GetOriginalUser()->GetUserName()) + "]");
        return RQ_NOTIFICATION_CONTINUE;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<NamedModule>(), RQ_BEGIN_REQUEST | RQ_END_REQUEST, 0);
}
