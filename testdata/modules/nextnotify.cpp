// nextnotify.cpp - fixture: IHttpContext::GetNextNotification merging a module's notifications.
//
// Each instance records the notifications it gets in response header X-Calls-<name>, in order:
// "begin", "post-begin", "auth", "post-auth", "exec". With query merge=<name>, that instance's
// OnBeginRequest asks GetNextNotification for up to two more notifications and handles them in
// place, recording "next:<notification hex>:<post>" and checking the module and provider it
// gets; a refusal is recorded as "refused". Then the pipeline goes on. The instance named by
// query answer=<name> writes "ok" in RQ_EXECUTE_REQUEST_HANDLER and finishes.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

class NextModule final : public CHttpModule {
public:
    explicit NextModule(const std::string &name) : name_(name) {}

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        Record(ctx, "begin");
        if (fx::QueryParam(fx::Query(ctx), "merge") != name_) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        for (int i = 0; i < 2; i++) {
            DWORD notification = 0;
            BOOL post = FALSE;
            CHttpModule *module = nullptr;
            IHttpEventProvider *provider = nullptr;
            if (!ctx->GetNextNotification(RQ_NOTIFICATION_CONTINUE, &notification, &post, &module, &provider)) {
                Record(ctx, "refused");
                break;
            }
            char text[32];
            std::snprintf(text, sizeof text, "next:0x%lX:%d", static_cast<unsigned long>(notification), post ? 1 : 0);
            Record(ctx, std::string(text) + (module == this && provider ? "" : ":wrong"));
        }
        return RQ_NOTIFICATION_CONTINUE;
    }
    REQUEST_NOTIFICATION_STATUS OnPostBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        return Record(ctx, "post-begin");
    }
    REQUEST_NOTIFICATION_STATUS OnAuthenticateRequest(IHttpContext *ctx, IAuthenticationProvider *) override
    {
        return Record(ctx, "auth");
    }
    REQUEST_NOTIFICATION_STATUS OnPostAuthenticateRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        return Record(ctx, "post-auth");
    }
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        Record(ctx, "exec");
        if (fx::QueryParam(fx::Query(ctx), "answer") != name_) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        fx::Write(ctx, "ok");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    REQUEST_NOTIFICATION_STATUS Record(IHttpContext *ctx, const std::string &what)
    {
        calls_ += (calls_.empty() ? "" : ",") + what;
        std::string header = "X-Calls-" + name_;
        ctx->GetResponse()->SetHeader(header.c_str(), calls_.c_str(), static_cast<USHORT>(calls_.size()), TRUE);
        return RQ_NOTIFICATION_CONTINUE;
    }

    std::string name_, calls_;
};

class Factory final : public IHttpModuleFactory {
public:
    explicit Factory(const std::string &name) : name_(name) {}
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new NextModule(name_);
        return S_OK;
    }
    void Terminate() override { delete this; }

private:
    std::string name_;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    const DWORD all = RQ_BEGIN_REQUEST | RQ_AUTHENTICATE_REQUEST | RQ_EXECUTE_REQUEST_HANDLER;
    return info->SetRequestNotifications(new Factory(fx::Utf8(info->GetName())), all, RQ_BEGIN_REQUEST | RQ_AUTHENTICATE_REQUEST);
}
