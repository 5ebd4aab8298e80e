// response.cpp - fixture: IHttpResponse behaviour.
//
// Contract. Paths are the cooked pAbsPath. All cases run at
// RQ_EXECUTE_REQUEST_HANDLER and return FINISH_REQUEST, except /errorstatus
// (RQ_BEGIN_REQUEST). Bodies are text/plain unless said otherwise; other paths
// CONTINUE with nothing written.
//
// /status?code=418&sub=3&reason=Teapot&hr=80070002  (missing params: 200, 0, "OK", E_FAIL)
//   SetStatus(code, reason, sub, hr (hex), NULL, fTrySkipCustomErrors=TRUE),
//   then GetStatus with all 9 outputs; status stays <code>; body lines:
//     status=418
//     substatus=3
//     reason=Teapot                (up to the NUL; "(null)" if NULL)
//     reasonlen=6
//     hr=0x80004005
//     module=<ppszModule as UTF-8, or (null)>  (IIS: the name of the module
//            that set the status, i.e. this module's configured name)
//     notification=<0x%08X of pdwNotification>  (expected 0x00000080,
//            RQ_EXECUTE_REQUEST_HANDLER)
//     exception=null
//     tryskip=1
// /redirect      Redirect("/target?x=1", TRUE, FALSE); header X-Redirect-Hr: <0x%08X>.
//   Expected: 302, Location "http://<Host>/target?x=1" (IIS makes a relative
//   URL absolute within the request's domain), hr 0x00000000.
// /redirect-qs?a=b  Redirect("/target", TRUE, TRUE); header X-Redirect-Hr.
//   Expected: 302, Location "http://<Host>/target?a=b".
// /redirect-keep?a=b  Redirect("/target", FALSE, TRUE); header X-Redirect-Hr. The status stays
//   200, so a browser renders the host's page: the client's query in it must come escaped.
// /clear         writes "first", Clear(), writes "second". Body: "second".
// /clearheaders  SetHeader X-A: 1, ClearHeaders(), SetHeader X-B: 1, then
//   200 text/plain "cleared". Client sees X-B and no X-A.
// /clearheaders-bare  SetHeader Content-Type: text/html, ClearHeaders(), writes an HTML page
//   without setting a type again. Client sees no Content-Type at all.
// /flush         writes "part1" (200 text/plain), Flush(FALSE, TRUE, &sent),
//   then writes "part2\nflushhr=<0x%08X>\nsent=<GetResponseHeadersSent()?1:0>\nflushbytes=<sent>\n".
//   Expected body: "part1part2\nflushhr=0x00000000\nsent=1\nflushbytes=<n>\n"
//   (n is whatever the host reports as sent; not asserted).
// /rawresp       SetStatus(201, "Made"), Content-Type text/plain (known),
//   X-One: 1 and X-Two: 2 (unknown), then dumps GetRawHttpResponse():
//     status=201
//     reason=Made                      (pReason, ReasonLength bytes)
//     known.<id>=<value>               each KnownHeaders[i] with pRawValue != NULL,
//                                      i < HttpHeaderResponseMaximum, ascending
//                                      (expected: known.12=text/plain only)
//     unknowncount=<UnknownHeaderCount> (expected 2)
//     unknown.<name>=<value>           each entry in order
//   The status stays 201.
// /delheader     SetHeader X-Del: 1, DeleteHeader("X-Del"); SetHeader(HttpHeaderContentType,
//   "text/html"), DeleteHeader(HttpHeaderContentType); SetStatus(200); body lines:
//     delhr=<0x%08X of DeleteHeader("X-Del")>
//     delidhr=<0x%08X of DeleteHeader(HttpHeaderContentType)>
//     xdel=<GetHeader("X-Del") value, or null>
//     ctype=<GetHeader(HttpHeaderContentType) value, or null>
//   Expected: both hr 0x00000000, xdel=null, ctype=null, no X-Del on the wire.
//   No Content-Type is set by the module for this response.
// /getheader     SetHeader(HttpHeaderCacheControl, "no-cache"), SetHeader("X-Name", "named"),
//   then reads back, one line each as "<key>=<value or null>/<len>":
//     id.CacheControl    GetHeader(HttpHeaderCacheControl, &len)  -> no-cache/8
//     name.Cache-Control GetHeader("Cache-Control", &len)         -> no-cache/8
//     name.cache-control GetHeader("cache-control", &len)         -> no-cache/8
//     name.X-Name        GetHeader("X-Name", &len)                -> named/5
//     name.x-name        GetHeader("x-name", &len)                -> named/5
//     name.X-Missing     GetHeader("X-Missing", &len)             -> null/0
// /errorstatus   at RQ_BEGIN_REQUEST: pProvider->SetErrorStatus(E_ACCESSDENIED)
//   and FINISH_REQUEST without setting a status or body. Expected (IIS):
//   the failure is reported as 500 (500.0), with hr 0x80070005 as the error.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <new>

#include "fixture.h"

namespace {

std::string Str(PCSTR s, size_t n) { return s ? std::string(s, n) : std::string(); }

std::string ShowHeader(const char* key, PCSTR value, USHORT len) {
    return std::string(key) + "=" + (value ? std::string(value, len) : std::string("null")) + "/" +
           std::to_string(len) + "\n";
}

class ResponseModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider* provider) override {
        if (fx::AbsPath(ctx) != "/errorstatus") return RQ_NOTIFICATION_CONTINUE;
        provider->SetErrorStatus(E_ACCESSDENIED);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx);
        IHttpResponse* resp = ctx->GetResponse();
        if (path == "/status") {
            Status(ctx);
        } else if (path == "/redirect" || path == "/redirect-qs" || path == "/redirect-keep") {
            HRESULT hr = path == "/redirect"      ? resp->Redirect("/target?x=1", TRUE, FALSE)
                         : path == "/redirect-qs" ? resp->Redirect("/target", TRUE, TRUE)
                                                  : resp->Redirect("/target", FALSE, TRUE);
            std::string h = fx::Hex(hr);
            resp->SetHeader("X-Redirect-Hr", h.c_str(), static_cast<USHORT>(h.size()), TRUE);
        } else if (path == "/clear") {
            fx::Reply(ctx, "first");
            resp->Clear();
            fx::Write(ctx, "second");
        } else if (path == "/clearheaders") {
            resp->SetHeader("X-A", "1", 1, TRUE);
            resp->ClearHeaders();
            resp->SetHeader("X-B", "1", 1, TRUE);
            fx::Reply(ctx, "cleared");
        } else if (path == "/clearheaders-bare") {
            resp->SetHeader(HttpHeaderContentType, "text/html", 9, TRUE);
            resp->ClearHeaders();
            fx::Write(ctx, "<html><body>no type</body></html>");
        } else if (path == "/flush") {
            fx::Reply(ctx, "part1");
            DWORD sent = 0;
            HRESULT hr = resp->Flush(FALSE, TRUE, &sent, nullptr);
            BOOL headersSent = ctx->GetResponseHeadersSent();
            fx::Write(ctx, "part2\nflushhr=" + fx::Hex(hr) + "\nsent=" + (headersSent ? "1" : "0") +
                               "\nflushbytes=" + std::to_string(sent) + "\n");
        } else if (path == "/rawresp") {
            RawResponse(ctx);
        } else if (path == "/delheader") {
            resp->SetHeader("X-Del", "1", 1, TRUE);
            HRESULT delHr = resp->DeleteHeader("X-Del");
            resp->SetHeader(HttpHeaderContentType, "text/html", 9, TRUE);
            HRESULT delIdHr = resp->DeleteHeader(HttpHeaderContentType);
            USHORT len = 0;
            PCSTR xdel = resp->GetHeader("X-Del", &len);
            std::string out = "delhr=" + fx::Hex(delHr) + "\ndelidhr=" + fx::Hex(delIdHr) + "\n";
            out += "xdel=" + (xdel ? std::string(xdel, len) : std::string("null")) + "\n";
            len = 0;
            PCSTR ctype = resp->GetHeader(HttpHeaderContentType, &len);
            out += "ctype=" + (ctype ? std::string(ctype, len) : std::string("null")) + "\n";
            resp->SetStatus(200, "OK");
            fx::Write(ctx, out);
        } else if (path == "/getheader") {
            resp->SetHeader(HttpHeaderCacheControl, "no-cache", 8, TRUE);
            resp->SetHeader("X-Name", "named", 5, TRUE);
            std::string out;
            USHORT len = 0;
            PCSTR v = resp->GetHeader(HttpHeaderCacheControl, &len);
            out += ShowHeader("id.CacheControl", v, len);
            for (const char* name : {"Cache-Control", "cache-control", "X-Name", "x-name", "X-Missing"}) {
                len = 0;
                v = resp->GetHeader(name, &len);
                out += ShowHeader(("name." + std::string(name)).c_str(), v, len);
            }
            fx::Reply(ctx, out);
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    static void Status(IHttpContext* ctx) {
        IHttpResponse* resp = ctx->GetResponse();
        std::string q = fx::Query(ctx);
        std::string code = fx::QueryParam(q, "code"), sub = fx::QueryParam(q, "sub");
        std::string reason = fx::QueryParam(q, "reason");
        if (reason.empty()) reason = "OK";
        std::string error = fx::QueryParam(q, "hr");
        HRESULT given = error.empty() ? E_FAIL : static_cast<HRESULT>(std::strtoul(error.c_str(), nullptr, 16));
        resp->SetStatus(static_cast<USHORT>(code.empty() ? 200 : std::atoi(code.c_str())), reason.c_str(),
                        static_cast<USHORT>(std::atoi(sub.c_str())), given, nullptr, TRUE);

        USHORT status = 0, subStatus = 0, reasonLen = 0;
        PCSTR gotReason = nullptr;
        HRESULT hr = S_OK;
        PCWSTR module = nullptr;
        DWORD notification = 0;
        IAppHostConfigException* exception = nullptr;
        BOOL trySkip = FALSE;
        resp->GetStatus(&status, &subStatus, &gotReason, &reasonLen, &hr, &module, &notification, &exception,
                        &trySkip);
        std::string out;
        out += "status=" + std::to_string(status) + "\n";
        out += "substatus=" + std::to_string(subStatus) + "\n";
        out += "reason=" + std::string(gotReason ? gotReason : "(null)") + "\n";
        out += "reasonlen=" + std::to_string(reasonLen) + "\n";
        out += "hr=" + fx::Hex(hr) + "\n";
        out += "module=" + (module ? fx::Utf8(module) : std::string("(null)")) + "\n";
        out += "notification=" + fx::Hex(static_cast<HRESULT>(notification)) + "\n";
        out += std::string("exception=") + (exception ? "nonnull" : "null") + "\n";
        out += std::string("tryskip=") + (trySkip ? "1" : "0") + "\n";
        resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        fx::Write(ctx, out);
    }

    static void RawResponse(IHttpContext* ctx) {
        IHttpResponse* resp = ctx->GetResponse();
        resp->SetStatus(201, "Made");
        resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        resp->SetHeader("X-One", "1", 1, TRUE);
        resp->SetHeader("X-Two", "2", 1, TRUE);
        const HTTP_RESPONSE* raw = resp->GetRawHttpResponse();
        std::string out;
        out += "status=" + std::to_string(raw->StatusCode) + "\n";
        out += "reason=" + Str(raw->pReason, raw->ReasonLength) + "\n";
        for (int i = 0; i < HttpHeaderResponseMaximum; i++) {
            const HTTP_KNOWN_HEADER& h = raw->Headers.KnownHeaders[i];
            if (h.pRawValue == nullptr) continue;
            out += "known." + std::to_string(i) + "=" + Str(h.pRawValue, h.RawValueLength) + "\n";
        }
        out += "unknowncount=" + std::to_string(raw->Headers.UnknownHeaderCount) + "\n";
        for (USHORT i = 0; i < raw->Headers.UnknownHeaderCount; i++) {
            const HTTP_UNKNOWN_HEADER& h = raw->Headers.pUnknownHeaders[i];
            out += "unknown." + Str(h.pName, h.NameLength) + "=" + Str(h.pRawValue, h.RawValueLength) + "\n";
        }
        fx::Write(ctx, out);
    }
};

class ResponseFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) ResponseModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    ResponseFactory* f = new (std::nothrow) ResponseFactory();
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
