// hello.cpp - the example module: GET /hello?name=Ada answers 200 "Hello, Ada!" with the
// header X-Greeted: Ada, and logs "greeted Ada" (OutputDebugString, a record of the host's
// log); a missing or bad name answers 400. Every other path goes on to the next module.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstring>
#include <cwchar>
#include <new>
#include <string>

#include "greeting.h"

namespace {

bool PathIs(const HTTP_COOKED_URL& url, const wchar_t* path) {
    const size_t len = wcslen(path);
    return url.pAbsPath != NULL && url.AbsPathLength == len * sizeof(WCHAR) &&
           wmemcmp(url.pAbsPath, path, len) == 0;
}

// Answer replaces the response with a text/plain body.
HRESULT Answer(IHttpResponse* resp, USHORT status, PCSTR reason, const std::string& body) {
    static const char kType[] = "text/plain; charset=utf-8";
    resp->Clear();
    HRESULT hr = resp->SetStatus(status, reason);
    if (SUCCEEDED(hr)) {
        hr = resp->SetHeader(HttpHeaderContentType, kType, (USHORT)strlen(kType), TRUE);
    }
    if (FAILED(hr)) {
        return hr;
    }
    HTTP_DATA_CHUNK chunk;
    chunk.DataChunkType = HttpDataChunkFromMemory;
    chunk.FromMemory.pBuffer = const_cast<char*>(body.data());
    chunk.FromMemory.BufferLength = (ULONG)body.size();
    DWORD sent = 0;
    return resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
}

class HelloModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider* provider) override {
        const HTTP_COOKED_URL& url = ctx->GetRequest()->GetRawHttpRequest()->CookedUrl;
        if (!PathIs(url, L"/hello")) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpResponse* resp = ctx->GetResponse();
        std::string greeting = Greeting(url.pQueryString, url.QueryStringLength / sizeof(WCHAR));
        HRESULT hr;
        if (greeting.empty()) {
            hr = Answer(resp, 400, "Bad Request", "name: 1 to 32 ASCII letters, as /hello?name=Ada\n");
        } else {
            // "Hello, " and "!" around the name.
            std::string name = greeting.substr(7, greeting.size() - 8);
            hr = Answer(resp, 200, "OK", greeting);
            if (SUCCEEDED(hr)) {
                hr = resp->SetHeader("X-Greeted", name.c_str(), (USHORT)name.size(), TRUE);
            }
            OutputDebugStringA(("greeted " + name).c_str());
        }
        if (FAILED(hr)) {
            provider->SetErrorStatus(hr);  // the host answers 500
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class HelloFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new (std::nothrow) HelloModule();
        return *module != NULL ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    HelloFactory* factory = new (std::nothrow) HelloFactory();
    if (factory == NULL) {
        return E_OUTOFMEMORY;
    }
    return info->SetRequestNotifications(factory, RQ_BEGIN_REQUEST, 0);
}
