// hello.cpp: the smallest useful module. It answers /hello with "Hello, world!".
//
// Shows: a CHttpModule subscribed to RQ_BEGIN_REQUEST; reading the path from the
// cooked URL (wide chars, AbsPathLength in bytes); Clear, SetHeader, a memory
// chunk written with WriteEntityChunks; ending the request with
// RQ_NOTIFICATION_FINISH_REQUEST. Every other path goes on (CONTINUE).
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl -i http://127.0.0.1:8080/hello
//   -> 200, Content-Type: text/plain, body "Hello, world!"

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstring>
#include <cwchar>
#include <new>

namespace {

// True when the request path is exactly `path` (the query string is not part of it).
bool PathIs(IHttpContext* ctx, const wchar_t* path) {
    const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
    const HTTP_COOKED_URL& url = raw->CookedUrl;
    const size_t len = wcslen(path);
    return url.pAbsPath != NULL && url.AbsPathLength == len * sizeof(WCHAR) &&
           wmemcmp(url.pAbsPath, path, len) == 0;
}

class HelloModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* pHttpContext,
                                               IHttpEventProvider* pProvider) override {
        if (!PathIs(pHttpContext, L"/hello")) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        static const char kType[] = "text/plain";
        static const char kBody[] = "Hello, world!";

        IHttpResponse* resp = pHttpContext->GetResponse();
        resp->Clear();
        resp->SetHeader(HttpHeaderContentType, kType, (USHORT)strlen(kType), TRUE);

        HTTP_DATA_CHUNK chunk;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = const_cast<char*>(kBody);
        chunk.FromMemory.BufferLength = (ULONG)strlen(kBody);
        DWORD sent = 0;
        HRESULT hr = resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        if (FAILED(hr)) {
            pProvider->SetErrorStatus(hr);  // the host turns this into a 500
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class HelloFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator* pAllocator) override {
        UNREFERENCED_PARAMETER(pAllocator);
        // One module object per request; the host releases it with Dispose().
        *ppModule = new (std::nothrow) HelloModule();
        return *ppModule != NULL ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo* pModuleInfo,
                                 IHttpServer* pGlobalInfo) {
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    HelloFactory* factory = new (std::nothrow) HelloFactory();
    if (factory == NULL) {
        return E_OUTOFMEMORY;
    }
    return pModuleInfo->SetRequestNotifications(factory, RQ_BEGIN_REQUEST, 0);
}
