// guard.cpp - fixture: a module written the way real ones are, trusting what the host hands it,
// so that the security suite can show that what it is handed is safe to trust.
//
// Contract (RQ_BEGIN_REQUEST):
//   cooked path under /secure/  -> 403 "denied" (an authorisation check on the cooked URL, the
//                                  way access-control modules make it)
//   /file/...                   -> opens GetPhysicalPath() with fopen and answers its bytes,
//                                  or 404 "missing"
//   /map?u=<url>                -> MapPath(<url>); answers "hr=<HRESULT> path=<mapped>"
//   /seturl?u=<url>             -> SetUrl(<url>); answers "hr=<HRESULT> path=<cooked path>"
//   /lengths                    -> answers "abspath=<AbsPathLength> full=<FullUrlLength>
//                                  raw=<RawUrlLength> verb=<UnknownVerbLength>"
//   /read                       -> reads the body 64 bytes at a time; answers
//                                  "read=<n> hr=<HRESULT that ended the loop>" with status 200
//   anything else               -> answers "open <cooked path>"
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdio>
#include <string>

#include "fixture.h"

namespace {

class GuardModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string path = fx::AbsPath(ctx);
        const HTTP_REQUEST *raw = ctx->GetRequest()->GetRawHttpRequest();
        if (path.compare(0, 8, "/secure/") == 0) {
            ctx->GetResponse()->SetStatus(403, "Forbidden");
            fx::Write(ctx, "denied");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path.compare(0, 6, "/file/") == 0) {
            DWORD n = 0;
            PCWSTR physical = ctx->GetPhysicalPath(&n);
            std::string name = fx::Utf8(physical, n);
            FILE *f = std::fopen(name.c_str(), "rb");
            if (!f) {
                ctx->GetResponse()->SetStatus(404, "Not Found");
                fx::Write(ctx, "missing");
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            std::string body;
            char buf[4096];
            size_t got;
            while ((got = std::fread(buf, 1, sizeof(buf), f)) > 0) {
                body.append(buf, got);
            }
            std::fclose(f);
            fx::Reply(ctx, body);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/map") {
            std::wstring url = fx::Wide(fx::QueryParam(fx::Query(ctx), "u"));
            WCHAR out[1024];
            DWORD bytes = sizeof(out);
            HRESULT hr = ctx->MapPath(url.c_str(), out, &bytes);
            fx::Reply(ctx, "hr=" + fx::Hex(hr) + " path=" + (SUCCEEDED(hr) ? fx::Utf8(out) : std::string()));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/seturl") {
            std::string url = fx::QueryParam(fx::Query(ctx), "u");
            HRESULT hr = ctx->GetRequest()->SetUrl(url.c_str(), static_cast<DWORD>(url.size()), TRUE);
            fx::Reply(ctx, "hr=" + fx::Hex(hr) + " path=" + fx::AbsPath(ctx));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/lengths") {
            fx::Reply(ctx, "abspath=" + std::to_string(raw->CookedUrl.AbsPathLength) +
                               " full=" + std::to_string(raw->CookedUrl.FullUrlLength) +
                               " raw=" + std::to_string(raw->RawUrlLength) +
                               " verb=" + std::to_string(raw->UnknownVerbLength));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/read") {
            char buf[64];
            DWORD n = 0, total = 0;
            HRESULT hr;
            IHttpRequest *req = ctx->GetRequest();
            while (SUCCEEDED(hr = req->ReadEntityBody(buf, sizeof(buf), FALSE, &n)) && n > 0) {
                total += n;
            }
            fx::Reply(ctx, "read=" + std::to_string(total) + " hr=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        fx::Reply(ctx, "open " + path);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<GuardModule>(), RQ_BEGIN_REQUEST, 0);
}
