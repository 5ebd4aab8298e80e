// deny_prefix.cpp: a global module that refuses every path under /private/ with 403.
//
// Shows: a CGlobalModule on GL_PRE_BEGIN_REQUEST, the earliest point of a request,
// before any request-level module runs. It reaches the request through
// IPreBeginRequestProvider::GetHttpContext(), writes the 403 itself, marks the
// request handled with SetRequestHandled() and returns GL_NOTIFICATION_HANDLED.
// The request-level pipeline is then skipped, but the log and end stages still
// run (so an access log records the 403) before the response is sent.
// The prefix is matched ASCII case-insensitively, as IIS treats URLs, so
// /PRIVATE/x is refused too. "/private" itself (no trailing slash) is not.
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl -i http://127.0.0.1:8080/private/report.txt
//   -> 403 Forbidden, Content-Type: text/plain, body "403 Forbidden: /private/ is not served here"

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstring>
#include <cwchar>
#include <new>

namespace {

const wchar_t kPrefix[] = L"/private/";  // lower case: compared after folding

wchar_t AsciiLower(wchar_t c) { return (c >= L'A' && c <= L'Z') ? c - L'A' + L'a' : c; }

bool PathHasPrefix(IHttpContext* ctx) {
    const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
    const HTTP_COOKED_URL& url = raw->CookedUrl;
    const size_t prefixLen = wcslen(kPrefix);
    const size_t pathLen = url.AbsPathLength / sizeof(WCHAR);  // bytes -> chars
    if (url.pAbsPath == NULL || pathLen < prefixLen) {
        return false;
    }
    for (size_t i = 0; i < prefixLen; i++) {
        if (AsciiLower(url.pAbsPath[i]) != kPrefix[i]) {
            return false;
        }
    }
    return true;
}

class DenyPrefixModule final : public CGlobalModule {
public:
    GLOBAL_NOTIFICATION_STATUS OnGlobalPreBeginRequest(IPreBeginRequestProvider* pProvider) override {
        IHttpContext* ctx = pProvider->GetHttpContext();
        if (ctx == NULL || !PathHasPrefix(ctx)) {
            return GL_NOTIFICATION_CONTINUE;
        }
        static const char kType[] = "text/plain";
        static const char kBody[] = "403 Forbidden: /private/ is not served here\n";

        IHttpResponse* resp = ctx->GetResponse();
        resp->Clear();
        resp->SetStatus(403, "Forbidden");
        resp->SetHeader(HttpHeaderContentType, kType, (USHORT)strlen(kType), TRUE);

        HTTP_DATA_CHUNK chunk;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = const_cast<char*>(kBody);
        chunk.FromMemory.BufferLength = (ULONG)strlen(kBody);
        DWORD sent = 0;
        HRESULT hr = resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        if (FAILED(hr)) {
            pProvider->SetErrorStatus(hr);
        }
        ctx->SetRequestHandled();
        return GL_NOTIFICATION_HANDLED;
    }

    // A global module lives until shutdown, when the host calls Terminate once.
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo* pModuleInfo,
                                 IHttpServer* pGlobalInfo) {
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    DenyPrefixModule* module = new (std::nothrow) DenyPrefixModule();
    if (module == NULL) {
        return E_OUTOFMEMORY;
    }
    return pModuleInfo->SetGlobalNotifications(module, GL_PRE_BEGIN_REQUEST);
}
