// headers.cpp: reading, adding and removing request and response headers.
//
// Shows, for every request:
//   RQ_BEGIN_REQUEST  copies request header X-Echo into response header X-Echo-Reply;
//                     adds request header "X-Seen-By: headers-sample" (modules and
//                     handlers that run later see it); deletes request header X-Remove-Me.
//   RQ_SEND_RESPONSE  sets response header "X-Powered-By: iishost" and deletes any
//                     response header X-Internal, just before the response goes out.
// For the path /headers it also answers itself in RQ_EXECUTE_REQUEST_HANDLER with
// what IHttpRequest::GetHeader now reads back, one "Name: value" line each
// ("(none)" when absent): User-Agent through the HTTP_HEADER_ID overload,
// X-Seen-By and X-Remove-Me through the by-name overload.
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl -i -A demo-agent -H 'X-Echo: ping' -H 'X-Remove-Me: 1' http://127.0.0.1:8080/headers
//   -> 200, X-Echo-Reply: ping, X-Powered-By: iishost, body:
//        User-Agent: demo-agent
//        X-Seen-By: headers-sample
//        X-Remove-Me: (none)
//   curl -i -H 'X-Echo: pong' http://127.0.0.1:8080/elsewhere
//   -> whatever the host answers for that URL, plus X-Echo-Reply: pong and X-Powered-By.

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstring>
#include <cwchar>
#include <new>
#include <string>

namespace {

const char kSeenBy[] = "headers-sample";
const char kPoweredBy[] = "iishost";

bool PathIs(IHttpContext* ctx, const wchar_t* path) {
    const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
    const HTTP_COOKED_URL& url = raw->CookedUrl;
    const size_t len = wcslen(path);
    return url.pAbsPath != NULL && url.AbsPathLength == len * sizeof(WCHAR) &&
           wmemcmp(url.pAbsPath, path, len) == 0;
}

// Appends "name: value\n"; GetHeader gives NULL (or length 0) for an absent header.
void AppendLine(std::string& out, const char* name, PCSTR value, USHORT cch) {
    out += name;
    out += ": ";
    if (value != NULL && cch > 0) {
        out.append(value, cch);
    } else {
        out += "(none)";
    }
    out += '\n';
}

class HeadersModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* pHttpContext,
                                               IHttpEventProvider* pProvider) override {
        UNREFERENCED_PARAMETER(pProvider);
        IHttpRequest* req = pHttpContext->GetRequest();
        IHttpResponse* resp = pHttpContext->GetResponse();

        USHORT cch = 0;
        PCSTR echo = req->GetHeader("X-Echo", &cch);
        if (echo != NULL && cch > 0) {
            resp->SetHeader("X-Echo-Reply", echo, cch, TRUE);
        }
        req->SetHeader("X-Seen-By", kSeenBy, (USHORT)strlen(kSeenBy), TRUE);
        // Ask first, so we never depend on what DeleteHeader returns for a missing header.
        if (req->GetHeader("X-Remove-Me", &cch) != NULL && cch > 0) {
            req->DeleteHeader("X-Remove-Me");
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* pHttpContext,
                                                        IHttpEventProvider* pProvider) override {
        if (!PathIs(pHttpContext, L"/headers")) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpRequest* req = pHttpContext->GetRequest();
        std::string body;
        USHORT cch = 0;
        PCSTR v = req->GetHeader(HttpHeaderUserAgent, &cch);  // by-id overload
        AppendLine(body, "User-Agent", v, cch);
        cch = 0;
        v = req->GetHeader("X-Seen-By", &cch);  // by-name overload
        AppendLine(body, "X-Seen-By", v, cch);
        cch = 0;
        v = req->GetHeader("X-Remove-Me", &cch);
        AppendLine(body, "X-Remove-Me", v, cch);

        static const char kType[] = "text/plain";
        IHttpResponse* resp = pHttpContext->GetResponse();
        resp->SetHeader(HttpHeaderContentType, kType, (USHORT)strlen(kType), TRUE);

        // A synchronous write is consumed before it returns, so a local buffer is fine.
        HTTP_DATA_CHUNK chunk;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = &body[0];
        chunk.FromMemory.BufferLength = (ULONG)body.size();
        DWORD sent = 0;
        HRESULT hr = resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        if (FAILED(hr)) {
            pProvider->SetErrorStatus(hr);
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    // Runs when the response is sent: whatever earlier modules or handlers left
    // in the headers, these two rules hold on the wire.
    REQUEST_NOTIFICATION_STATUS OnSendResponse(IHttpContext* pHttpContext,
                                               ISendResponseProvider* pProvider) override {
        UNREFERENCED_PARAMETER(pProvider);
        IHttpResponse* resp = pHttpContext->GetResponse();
        resp->SetHeader("X-Powered-By", kPoweredBy, (USHORT)strlen(kPoweredBy), TRUE);
        resp->DeleteHeader("X-Internal");
        return RQ_NOTIFICATION_CONTINUE;
    }
};

class HeadersFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator* pAllocator) override {
        UNREFERENCED_PARAMETER(pAllocator);
        *ppModule = new (std::nothrow) HeadersModule();
        return *ppModule != NULL ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo* pModuleInfo,
                                 IHttpServer* pGlobalInfo) {
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    HeadersFactory* factory = new (std::nothrow) HeadersFactory();
    if (factory == NULL) {
        return E_OUTOFMEMORY;
    }
    return pModuleInfo->SetRequestNotifications(
        factory, RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER | RQ_SEND_RESPONSE, 0);
}
