// providers.cpp - fixture: the provider and server methods no other fixture calls.
//
// Contract:
//   RQ_AUTHENTICATE_REQUEST: with request header X-User: <name>, sets a user of that name
//     (IAuthenticationProvider::SetUser); the user is reference counted and its count is
//     reported by /prov/refs after the request ended.
//   /prov/user    -> "user=<GetUser()->GetUserName()> logon=<LOGON_USER> type=<AUTH_TYPE>"
//   /prov/error   -> SetErrorDescription(L"broken <b>", 0, TRUE); writes "desc=<GetErrorDescription>
//                    len=<length>"; DisableKernelCache(1) then "kernel=<GetKernelCacheEnabled>",
//                    then " flush=<FlushKernelCache(L"/prov/error")> flushnull=<FlushKernelCache(NULL)>"
//   /prov/config  -> "app-config=<IHttpApplication::GetAppConfigPath>"
//   /prov/health  -> ReportUnhealthy(L"disk full", E_FAIL), RecycleProcess(L"leak"); writes "ok"
//   /prov/close   -> writes "partial", Flush, then CloseConnection
//   /prov/refs    -> "refs=<open references of the last user set>"
//   RQ_SEND_RESPONSE for /prov/send: records GetHeadersBeingSent and GetFlags of each send in
//     X-Send on the first (headers being sent), and with ?disconnect sets
//     HTTP_SEND_RESPONSE_FLAG_DISCONNECT on it with SetFlags: the connection closes after the
//     response.
//   /prov/send    -> writes "a", Flush, writes "b"; the final send reports its flags in the log.
//   GL_STOP_LISTENING: logs DrainRequestsGracefully through ReportUnhealthy's text.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <atomic>
#include <mutex>
#include <string>
#include <vector>

#include "fixture.h"

namespace {

IHttpServer *g_server;

class NamedUser final : public IHttpUser {
public:
    explicit NamedUser(const std::wstring &name) : name_(name) {}
    PCWSTR GetRemoteUserName() override { return name_.c_str(); }
    PCWSTR GetUserName() override { return name_.c_str(); }
    PCWSTR GetAuthenticationType() override { return L"Fixture"; }
    PCWSTR GetPassword() override { return L""; }
    HANDLE GetImpersonationToken() override { return nullptr; }
    HANDLE GetPrimaryToken() override { return nullptr; }
    void ReferenceUser() override { refs++; }
    void DereferenceUser() override { refs--; }
    BOOL SupportsIsInRole() override { return FALSE; }
    HRESULT IsInRole(PCWSTR, BOOL *) override { return E_NOTIMPL; }
    PVOID GetUserVariable(PCSTR) override { return nullptr; }
    std::atomic<int> refs{0};

private:
    std::wstring name_;
};

// Every user set is kept for the process's life, so /prov/refs can read the last one's count
// after its request ended; the list keeps the earlier ones reachable (LeakSanitizer) when
// several tests set users through one loaded image.
std::mutex g_usersLock;
std::vector<NamedUser *> g_users;
std::atomic<NamedUser *> g_lastUser{nullptr};

std::string Variable(IHttpContext *ctx, PCSTR name)
{
    PCSTR v = nullptr;
    DWORD n = 0;
    return SUCCEEDED(ctx->GetServerVariable(name, &v, &n)) && v ? std::string(v, n) : std::string();
}

class ProvidersModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnAuthenticateRequest(IHttpContext *ctx, IAuthenticationProvider *p) override
    {
        std::string name = fx::Header(ctx, "X-User");
        if (!name.empty()) {
            auto *user = new NamedUser(fx::Wide(name));
            {
                std::lock_guard<std::mutex> hold(g_usersLock);
                g_users.push_back(user);
            }
            g_lastUser = user;
            p->SetUser(user);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string path = fx::AbsPath(ctx);
        IHttpResponse *resp = ctx->GetResponse();
        if (path == "/prov/error") {
            resp->SetErrorDescription(L"broken <b>", 0, TRUE);
            DWORD len = 0;
            PCWSTR desc = resp->GetErrorDescription(&len);
            resp->DisableKernelCache(1);
            fx::Write(ctx, "desc=" + fx::Utf8(desc, len) + " len=" + std::to_string(len) +
                               " kernel=" + std::to_string(resp->GetKernelCacheEnabled()) +
                               " flush=" + fx::Hex(g_server->FlushKernelCache(L"/prov/error")) +
                               " flushnull=" + fx::Hex(g_server->FlushKernelCache(nullptr)));
        } else if (path == "/prov/config") {
            fx::Write(ctx, "app-config=" + fx::Utf8(ctx->GetApplication()->GetAppConfigPath()));
        } else if (path == "/prov/health") {
            g_server->ReportUnhealthy(L"disk full", E_FAIL);
            g_server->RecycleProcess(L"leak");
            fx::Write(ctx, "ok");
        } else if (path == "/prov/close") {
            fx::Write(ctx, "partial");
            DWORD sent = 0;
            resp->Flush(FALSE, TRUE, &sent);
            resp->CloseConnection();
        } else if (path == "/prov/refs") {
            NamedUser *last = g_lastUser.load();
            fx::Write(ctx, "refs=" + std::to_string(last ? last->refs.load() : -1));
        } else if (path == "/prov/send") {
            fx::Write(ctx, "a");
            DWORD sent = 0;
            resp->Flush(FALSE, TRUE, &sent);
            fx::Write(ctx, "b");
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnPostAuthenticateRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) == "/prov/user") {
            fx::Write(ctx, "user=" + fx::Utf8(ctx->GetUser()->GetUserName()) + " logon=" + Variable(ctx, "LOGON_USER") +
                               " type=" + Variable(ctx, "AUTH_TYPE"));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnSendResponse(IHttpContext *ctx, ISendResponseProvider *p) override
    {
        if (fx::AbsPath(ctx) != "/prov/send") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        sends_ += (sends_.empty() ? "" : ",") + std::string(p->GetHeadersBeingSent() ? "headers" : "body") + ":" +
                  std::to_string(p->GetFlags());
        if (p->GetHeadersBeingSent()) {
            ctx->GetResponse()->SetHeader("X-Send", sends_.c_str(), static_cast<USHORT>(sends_.size()), TRUE);
        } else {
            g_server->ReportUnhealthy(fx::Wide("sends " + sends_).c_str(), S_OK); // the log shows the final send
        }
        if (fx::Query(ctx) == "disconnect" && p->GetHeadersBeingSent()) {
            p->SetFlags(p->GetFlags() | HTTP_SEND_RESPONSE_FLAG_DISCONNECT);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    std::string sends_;
};

class StopModule final : public CGlobalModule {
public:
    GLOBAL_NOTIFICATION_STATUS OnGlobalStopListening(IGlobalStopListeningProvider *p) override
    {
        g_server->ReportUnhealthy(p->DrainRequestsGracefully() ? L"stopping, draining" : L"stopping at once", S_OK);
        return GL_NOTIFICATION_CONTINUE;
    }
    void Terminate() override { delete this; }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *server)
{
    g_server = server;
    HRESULT hr = info->SetRequestNotifications(new fx::Factory<ProvidersModule>(),
                                               RQ_BEGIN_REQUEST | RQ_AUTHENTICATE_REQUEST | RQ_SEND_RESPONSE,
                                               RQ_AUTHENTICATE_REQUEST);
    if (FAILED(hr)) {
        return hr;
    }
    return info->SetGlobalNotifications(new StopModule(), GL_STOP_LISTENING);
}
