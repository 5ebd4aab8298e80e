// child.cpp - fixture: child requests (CloneContext, ExecuteRequest, ReleaseClonedContext).
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER):
//   /parent?target=<url>&clone=<hex>&exec=<hex>&async=<0|1>[&user=1][&var=1][&inherit=<name>]
//       Sets X-Parent: 1 and writes "P[", optionally sets server variable X_VAR=v1, clones
//       with CLONE_FLAG bits <clone>, points the clone at <target>, has it inherit server
//       variable <name> (X-Inherit: the HRESULT, failing if absent) and executes it with
//       EXECUTE_FLAG bits <exec> (async as asked; user=1 passes a user named "child-user").
//       When the child is done: writes "]|child-status=<status>", releases the clone and sets
//       status 299; then FINISH.
//   /leaf       -> status 201, X-Leaf: 1, Content-Type text/x-leaf, writes "leaf:<method> <url>
//                  hdr=<X-Test> body=<request body> var=<X_VAR> auth=<OnAuthenticateRequest
//                  calls> user=<user name> parent=<0|1> root-is-parent=<0|1> flags=<0x..>".
//   /leafasync  -> the same after going pending and completing from a thread.
//   /nest?level=<n> -> n > 0: writes "N<n>[", executes /nest?level=<n-1> (NO_HEADERS) and
//                  writes "]"; n == 0: writes "depth=<parents>". A failed ExecuteRequest
//                  writes "err=<hr>".
//   /childerr   -> writes "self=<hr> twice=<hr> release-root=<hr>": executing a context that is
//                  no clone, a clone twice, and releasing the root context.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

class NamedUser final : public IHttpUser {
public:
    PCWSTR GetRemoteUserName() override { return L"child-user"; }
    PCWSTR GetUserName() override { return L"child-user"; }
    PCWSTR GetAuthenticationType() override { return L"Test"; }
    PCWSTR GetPassword() override { return L""; }
    HANDLE GetImpersonationToken() override { return nullptr; }
    HANDLE GetPrimaryToken() override { return nullptr; }
    void ReferenceUser() override { refs_++; }
    void DereferenceUser() override { refs_--; }
    BOOL SupportsIsInRole() override { return FALSE; }
    HRESULT IsInRole(PCWSTR, BOOL *) override { return E_NOTIMPL; }
    PVOID GetUserVariable(PCSTR) override { return nullptr; }
    int refs_ = 0;
};

std::string ReadBody(IHttpContext *ctx)
{
    std::string body;
    char buf[256];
    for (;;) {
        DWORD got = 0;
        if (FAILED(ctx->GetRequest()->ReadEntityBody(buf, sizeof buf, FALSE, &got, nullptr)) || got == 0) {
            return body;
        }
        body.append(buf, got);
    }
}

std::string ServerVariable(IHttpContext *ctx, PCSTR name)
{
    PCSTR value = nullptr;
    DWORD len = 0;
    if (FAILED(ctx->GetServerVariable(name, &value, &len)) || !value) {
        return "";
    }
    return std::string(value, len);
}

unsigned long HexParam(const std::string &query, const char *name)
{
    std::string v = fx::QueryParam(query, name);
    return v.empty() ? 0 : std::stoul(v, nullptr, 16);
}

class ChildModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnAuthenticateRequest(IHttpContext *, IAuthenticationProvider *) override
    {
        authRuns_++;
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string path = fx::AbsPath(ctx), query = fx::Query(ctx);
        if (path == "/parent") {
            return Parent(ctx, query);
        }
        if (path == "/leaf") {
            return Leaf(ctx);
        }
        if (path == "/leafasync") {
            fx::Run([ctx] { ctx->PostCompletion(0); });
            return RQ_NOTIFICATION_PENDING;
        }
        if (path == "/nest") {
            return Nest(ctx, std::stoi(fx::QueryParam(query, "level")));
        }
        if (path == "/childerr") {
            return Errors(ctx);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *ctx, DWORD, BOOL, IHttpEventProvider *,
                                                  IHttpCompletionInfo *) override
    {
        if (fx::AbsPath(ctx) == "/leafasync") {
            return Leaf(ctx);
        }
        return ChildDone(ctx); // the parent's asynchronous child finished
    }

private:
    REQUEST_NOTIFICATION_STATUS Parent(IHttpContext *ctx, const std::string &query)
    {
        ctx->GetResponse()->SetHeader("X-Parent", "1", 1, TRUE);
        fx::Write(ctx, "P[");
        if (fx::QueryParam(query, "var") == "1") {
            ctx->SetServerVariable("X_VAR", L"v1");
        }
        HRESULT hr = ctx->CloneContext(static_cast<DWORD>(HexParam(query, "clone")), &child_);
        if (FAILED(hr)) {
            fx::Write(ctx, "clone failed " + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        std::string target = fx::QueryParam(query, "target");
        child_->GetRequest()->SetUrl(target.c_str(), static_cast<DWORD>(target.size()), TRUE);
        std::string inherit = fx::QueryParam(query, "inherit");
        if (!inherit.empty()) {
            HRESULT ih = static_cast<IHttpContext3 *>(child_)->InheritServerVariable(inherit.c_str(), TRUE);
            std::string text = fx::Hex(ih);
            ctx->GetResponse()->SetHeader("X-Inherit", text.c_str(), static_cast<USHORT>(text.size()), TRUE);
        }
        BOOL expected = FALSE;
        BOOL async = fx::QueryParam(query, "async") == "1";
        IHttpUser *user = fx::QueryParam(query, "user") == "1" ? &user_ : nullptr;
        hr = ctx->ExecuteRequest(async, child_, static_cast<DWORD>(HexParam(query, "exec")), user, &expected);
        if (FAILED(hr)) {
            fx::Write(ctx, "execute failed " + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return expected ? RQ_NOTIFICATION_PENDING : ChildDone(ctx);
    }

    REQUEST_NOTIFICATION_STATUS ChildDone(IHttpContext *ctx)
    {
        USHORT status = 0;
        child_->GetResponse()->GetStatus(&status);
        fx::Write(ctx, "]|child-status=" + std::to_string(status));
        HRESULT hr = child_->ReleaseClonedContext();
        if (FAILED(hr)) {
            fx::Write(ctx, " release failed " + fx::Hex(hr));
        }
        ctx->GetResponse()->SetStatus(299, "Parent Done");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS Leaf(IHttpContext *ctx)
    {
        IHttpResponse *resp = ctx->GetResponse();
        resp->SetStatus(201, "Leaf");
        resp->SetHeader("X-Leaf", "1", 1, TRUE);
        resp->SetHeader(HttpHeaderContentType, "text/x-leaf", 11, TRUE);
        IHttpContext *parent = ctx->GetParentContext();
        char flags[16];
        std::snprintf(flags, sizeof flags, "0x%lX", static_cast<unsigned long>(ctx->GetExecuteFlags()));
        std::string url(ctx->GetRequest()->GetRawHttpRequest()->CookedUrl.pAbsPath
                            ? fx::Utf8(ctx->GetRequest()->GetRawHttpRequest()->CookedUrl.pAbsPath)
                            : "");
        fx::Write(ctx, "leaf:" + std::string(ctx->GetRequest()->GetHttpMethod()) + " " + url +
                           " hdr=" + fx::Header(ctx, "X-Test") + " body=" + ReadBody(ctx) +
                           " var=" + ServerVariable(ctx, "X_VAR") + " auth=" + std::to_string(authRuns_) +
                           " user=" + fx::Utf8(ctx->GetUser()->GetUserName()) + " parent=" + (parent ? "1" : "0") +
                           " root-is-parent=" + (parent && ctx->GetRootContext() == parent ? "1" : "0") +
                           " flags=" + flags);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS Nest(IHttpContext *ctx, int level)
    {
        if (level == 0) {
            int depth = 0;
            for (IHttpContext *p = ctx->GetParentContext(); p; p = p->GetParentContext()) {
                depth++;
            }
            fx::Write(ctx, "depth=" + std::to_string(depth));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        fx::Write(ctx, "N" + std::to_string(level) + "[");
        IHttpContext *child = nullptr;
        ctx->CloneContext(CLONE_FLAG_BASICS, &child);
        std::string target = "/nest?level=" + std::to_string(level - 1);
        child->GetRequest()->SetUrl(target.c_str(), static_cast<DWORD>(target.size()), TRUE);
        HRESULT hr = ctx->ExecuteRequest(FALSE, child, EXECUTE_FLAG_NO_HEADERS, nullptr, nullptr);
        if (FAILED(hr)) {
            fx::Write(ctx, "err=" + fx::Hex(hr));
        }
        child->ReleaseClonedContext();
        fx::Write(ctx, "]");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS Errors(IHttpContext *ctx)
    {
        HRESULT self = ctx->ExecuteRequest(TRUE, ctx, 0, nullptr, nullptr);
        IHttpContext *child = nullptr;
        ctx->CloneContext(CLONE_FLAG_BASICS, &child);
        child->GetRequest()->SetUrl("/leaf", 5, TRUE);
        ctx->ExecuteRequest(FALSE, child, EXECUTE_FLAG_BUFFER_RESPONSE, nullptr, nullptr);
        HRESULT twice = ctx->ExecuteRequest(FALSE, child, 0, nullptr, nullptr);
        HRESULT releaseRoot = ctx->ReleaseClonedContext();
        ctx->GetResponse()->Clear(); // drop the child's output
        fx::Write(ctx, "self=" + fx::Hex(self) + " twice=" + fx::Hex(twice) + " release-root=" + fx::Hex(releaseRoot));
        return RQ_NOTIFICATION_FINISH_REQUEST; // the clone is released with the request
    }

    IHttpContext *child_ = nullptr;
    NamedUser user_;
    int authRuns_ = 0;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::ThreadedFactory<ChildModule>(), RQ_AUTHENTICATE_REQUEST | RQ_EXECUTE_REQUEST_HANDLER, 0);
}
