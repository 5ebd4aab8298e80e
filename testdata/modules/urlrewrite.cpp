// urlrewrite.cpp - fixture: IHttpRequest::SetUrl (both overloads) and SetHttpMethod.
//
// Contract. RQ_BEGIN_REQUEST (paths are the cooked pAbsPath, no query):
//   /old/<rest>   -> wide   SetUrl(L"/new/<rest>", cch, FALSE)  (query kept)
//   /olda/<rest>  -> narrow SetUrl("/newa/<rest>", cch, FALSE)  (query kept)
//   /reset/<any>  -> wide   SetUrl(L"/fresh", 6, TRUE)          (query dropped)
//   request header "X-Method-Override" exactly "POST" (any path)
//                 -> SetHttpMethod("POST")
//   always CONTINUE.
// RQ_EXECUTE_REQUEST_HANDLER: for a (rewritten) path starting "/new" (this
// includes "/newa") or "/fresh", answers 200 text/plain, then FINISH_REQUEST:
//   url=<narrow GetServerVariable("URL"), or ERR 0x%08X>
//   query=<narrow GetServerVariable("QUERY_STRING"), or ERR 0x%08X>
//   changed=<GetUrlChanged() != FALSE ? 1 : 0>
//   method=<GetHttpMethod()>
//   abspath=<cooked pAbsPath as UTF-8>
// Other paths CONTINUE with nothing written.
// Example: GET /old/a/b?x=1 -> url=/new/a/b, query=x=1, changed=1, method=GET,
// abspath=/new/a/b. GET /reset/z?x=1 -> url=/fresh, query= (empty), changed=1.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <new>

#include "fixture.h"

namespace {

bool StartsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

std::string Var(IHttpContext* ctx, PCSTR name) {
    PCSTR v = nullptr;
    DWORD cch = 0;
    HRESULT hr = ctx->GetServerVariable(name, &v, &cch);
    if (FAILED(hr)) return "ERR " + fx::Hex(hr);
    return v ? v : "";
}

class UrlRewriteModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        IHttpRequest* req = ctx->GetRequest();
        std::string path = fx::AbsPath(ctx);
        if (StartsWith(path, "/old/")) {
            std::wstring url = L"/new/" + fx::Wide(path.substr(5));
            req->SetUrl(url.c_str(), static_cast<DWORD>(url.size()), FALSE);
        } else if (StartsWith(path, "/olda/")) {
            std::string url = "/newa/" + path.substr(6);
            req->SetUrl(url.c_str(), static_cast<DWORD>(url.size()), FALSE);
        } else if (StartsWith(path, "/reset/")) {
            req->SetUrl(L"/fresh", 6, TRUE);
        }
        if (fx::Header(ctx, "X-Method-Override") == "POST") req->SetHttpMethod("POST");
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx);
        if (!StartsWith(path, "/new") && !StartsWith(path, "/fresh")) return RQ_NOTIFICATION_CONTINUE;
        IHttpRequest* req = ctx->GetRequest();
        PCSTR method = req->GetHttpMethod();
        std::string out;
        out += "url=" + Var(ctx, "URL") + "\n";
        out += "query=" + Var(ctx, "QUERY_STRING") + "\n";
        out += std::string("changed=") + (req->GetUrlChanged() ? "1" : "0") + "\n";
        out += "method=" + std::string(method ? method : "") + "\n";
        out += "abspath=" + path + "\n";
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class UrlRewriteFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) UrlRewriteModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    UrlRewriteFactory* f = new (std::nothrow) UrlRewriteFactory();
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
