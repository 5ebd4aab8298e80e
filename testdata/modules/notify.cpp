// notify.cpp - fixture: the notifications outside the stage order: RQ_MAP_PATH and
// RQ_CUSTOM_NOTIFICATION, plus GL_CUSTOM_NOTIFICATION through IHttpServer.
//
// Contract (each loaded instance registers the same way; the label is the module name):
//   OnMapPath: appends "<label>:<url>" to response header X-MapPath; for URLs under /remap/ it
//     replaces the physical path with "/srv/remapped/<rest>" (the last instance to run wins).
//   OnCustomRequestNotification: if the provider's QueryNotificationType() is "fixture.custom",
//     appends "<label>" to response header X-Custom-Seen.
//   OnGlobalCustomNotification: counts calls in the provider and returns GL_NOTIFICATION_HANDLED
//     when the instance's name ends with "-handled".
//   RQ_BEGIN_REQUEST, only for the instance named "notify" (others CONTINUE):
//     /map/<x> or /remap/<x> -> body "physical=<GetPhysicalPath()>" and FINISH.
//     /custom -> NotifyCustomNotification on the context, then on the server; body
//                "expected=<fCompletionExpected> global=<status> globalcalls=<n>" and FINISH.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

IHttpServer *g_server = nullptr;

class FixtureNotification final : public ICustomNotificationProvider {
public:
    void SetErrorStatus(HRESULT) override {}
    PCWSTR QueryNotificationType() override { return L"fixture.custom"; }
    int globalCalls = 0;
};

class NotifyModule final : public CHttpModule {
public:
    explicit NotifyModule(const std::string &label) : label_(label) {}

    REQUEST_NOTIFICATION_STATUS OnMapPath(IHttpContext *ctx, IMapPathProvider *provider) override
    {
        std::string url = fx::Utf8(provider->GetUrl());
        std::string item = label_ + ":" + url;
        ctx->GetResponse()->SetHeader("X-MapPath", item.c_str(), static_cast<USHORT>(item.size()), FALSE);
        if (url.rfind("/remap/", 0) == 0) {
            std::wstring remapped = L"/srv/remapped/" + fx::Wide(url.substr(7));
            provider->SetPhysicalPath(remapped.c_str(), static_cast<DWORD>(remapped.size()));
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnCustomRequestNotification(IHttpContext *ctx, ICustomNotificationProvider *provider) override
    {
        if (std::wstring(provider->QueryNotificationType()) == L"fixture.custom") {
            ctx->GetResponse()->SetHeader("X-Custom-Seen", label_.c_str(), static_cast<USHORT>(label_.size()), FALSE);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (label_ != "notify") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        std::string path = fx::AbsPath(ctx);
        if (path.rfind("/map/", 0) == 0 || path.rfind("/remap/", 0) == 0) {
            fx::Write(ctx, "physical=" + fx::Utf8(ctx->GetPhysicalPath()));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/custom") {
            FixtureNotification notification;
            BOOL expected = TRUE;
            HRESULT hr = ctx->NotifyCustomNotification(&notification, &expected);
            GLOBAL_NOTIFICATION_STATUS global = g_server->NotifyCustomNotification(&notification);
            fx::Write(ctx, "hr=" + fx::Hex(hr) + " expected=" + std::to_string(expected) + " global=" + std::to_string(global) +
                               " globalcalls=" + std::to_string(notification.globalCalls));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    std::string label_;
};

class GlobalNotify final : public CGlobalModule {
public:
    explicit GlobalNotify(bool handled) : handled_(handled) {}
    GLOBAL_NOTIFICATION_STATUS OnGlobalCustomNotification(ICustomNotificationProvider *provider) override
    {
        static_cast<FixtureNotification *>(provider)->globalCalls++;
        return handled_ ? GL_NOTIFICATION_HANDLED : GL_NOTIFICATION_CONTINUE;
    }
    void Terminate() override { delete this; }

private:
    bool handled_;
};

class Factory final : public IHttpModuleFactory {
public:
    explicit Factory(const std::string &label) : label_(label) {}
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new NotifyModule(label_);
        return S_OK;
    }
    void Terminate() override { delete this; }

private:
    std::string label_;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *server)
{
    g_server = server;
    std::string label = fx::Utf8(info->GetName());
    bool handled = label.size() > 8 && label.compare(label.size() - 8, 8, "-handled") == 0;
    HRESULT hr = info->SetRequestNotifications(new Factory(label), RQ_BEGIN_REQUEST | RQ_MAP_PATH | RQ_CUSTOM_NOTIFICATION, 0);
    if (FAILED(hr)) {
        return hr;
    }
    return info->SetGlobalNotifications(new GlobalNotify(handled), GL_CUSTOM_NOTIFICATION);
}
