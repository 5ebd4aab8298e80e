// winprobe.cpp - fixture: the Windows subset's C++ probe, written to build with an MSVC-ABI
// compiler that has no C++ standard library (internal/msvcmod links the C runtime and Windows
// only): no std::string, no std::thread, no std exceptions. It builds as a .so on Linux too, so
// the two hosts can be compared.
//
// Contract. Load it under one or more names; the name is the LABEL. Every instance registers the
// 12 deterministic stages (RQ_BEGIN_REQUEST .. RQ_END_REQUEST) as notification and
// post-notification, plus RQ_SEND_RESPONSE, and at each event appends "<label>:<Event>" to
// response header X-Stages (SetHeader with fReplace FALSE; Event is the CHttpModule method name
// without "On"). Only the instance labelled "WinProbe" does more, on these cooked paths:
//   RQ_BEGIN_REQUEST
//     /wide-url   -> SetUrl(L"/headers", reset query) (the PCWSTR overload), CONTINUE.
//     /narrow-url -> SetUrl("/headers?from=narrow", keep query) (the PCSTR overload), CONTINUE.
//   RQ_EXECUTE_REQUEST_HANDLER
//     /headers -> both overloads of each request and response header method and of
//       GetServerVariable, then 200 text/plain, one "name=value" line each (a missing value is
//       "(null)"), FINISH:
//         the request: sets X-Set (by name) and Referer (by id), deletes X-Drop (by name) and
//         From (by id), then reads X-In, X-Set, X-Drop (by name), User-Agent, Referer, From (by
//         id); path = the cooked path from GetRawHttpRequest() and from its const overload.
//         Server variables: REQUEST_METHOD and HTTP_X_SET narrow, QUERY_STRING and URL wide.
//         The response: sets X-Echo = X-In (by name) and Content-Type (by id), sets then deletes
//         X-Gone (by name) and Content-Language (by id), reads back X-Echo, X-Gone (by name),
//         Content-Type and Content-Language (by id); status = from GetRawHttpResponse() and its
//         const overload.
//     /async -> returns PENDING; a thread the module starts waits until the notification has
//       returned, writes "completed by the module's thread" and calls
//       IndicateCompletion(FINISH). OnAsyncCompletion must not run (it would write "reentered").
//     /async-post -> the same thread calls PostCompletion(5) instead; OnAsyncCompletion writes
//       "post completion bytes=<n>" and FINISHes.
//     /throw -> throws a ProbeError (a class of the module's own, not std::exception).
// Terminate waits for every thread the module started.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <new>
#include <string.h>
#include <wchar.h>

namespace {

// Text is a fixed buffer for building header values and bodies without the standard library;
// what does not fit is cut.
struct Text {
    char data[2048];
    size_t len = 0;

    Text() { data[0] = '\0'; }
    Text &Add(const char *s, size_t n)
    {
        if (s == nullptr) {
            s = "(null)";
            n = 6;
        }
        if (n > sizeof data - 1 - len)
            n = sizeof data - 1 - len;
        memcpy(data + len, s, n);
        len += n;
        data[len] = '\0';
        return *this;
    }
    Text &Add(const char *s) { return Add(s, s == nullptr ? 0 : strlen(s)); }
    // AddWide adds an ASCII rendering of n wide characters ('?' for the rest).
    Text &AddWide(PCWSTR s, size_t n)
    {
        if (s == nullptr)
            return Add(nullptr, 0);
        for (size_t i = 0; i < n; i++) {
            char c = s[i] > 0 && s[i] < 0x80 ? static_cast<char>(s[i]) : '?';
            Add(&c, 1);
        }
        return *this;
    }
    Text &AddNumber(unsigned long v)
    {
        char digits[24];
        size_t i = sizeof digits;
        do {
            digits[--i] = static_cast<char>('0' + v % 10);
            v /= 10;
        } while (v != 0);
        return Add(digits + i, sizeof digits - i);
    }
    Text &Line(const char *name, const char *value, size_t n)
    {
        return Add(name).Add("=").Add(value, value == nullptr ? 0 : n).Add("\n");
    }
};

struct ProbeError {
    const char *what;
};

// Threads the module started and not yet finished; Terminate waits for idle.
LONG g_busy;
HANDLE g_idle; // manual-reset, set while g_busy is 0

bool PathIs(IHttpContext *ctx, const wchar_t *path)
{
    const HTTP_REQUEST *raw = ctx->GetRequest()->GetRawHttpRequest();
    size_t n = wcslen(path);
    return raw->CookedUrl.pAbsPath != nullptr && raw->CookedUrl.AbsPathLength == n * sizeof(WCHAR) &&
           wmemcmp(raw->CookedUrl.pAbsPath, path, n) == 0;
}

// AddHeader adds the line "<label>=<value>" for a request's or response's header, by name or
// by HTTP_HEADER_ID: key's type picks the GetHeader overload.
template <class Headers, class Key>
void AddHeader(Text &body, const char *label, const Headers *from, Key key)
{
    USHORT n = 0;
    PCSTR v = from->GetHeader(key, &n);
    body.Line(label, v, n);
}

void Answer(IHttpContext *ctx, const Text &body)
{
    IHttpResponse *resp = ctx->GetResponse();
    resp->SetStatus(200, "OK");
    resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
    HTTP_DATA_CHUNK chunk = {};
    chunk.DataChunkType = HttpDataChunkFromMemory;
    chunk.FromMemory.pBuffer = const_cast<char *>(body.data);
    chunk.FromMemory.BufferLength = static_cast<ULONG>(body.len);
    DWORD sent = 0;
    resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
}

class ProbeModule final : public CHttpModule {
public:
    explicit ProbeModule(const char *label) : label_(label) {}
    // Dispose, not the destructor, closes the event: a destructor is noexcept, and its cleanup
    // would need __std_terminate, which the MSVC-ABI build does not link.
    void Dispose() override
    {
        if (returned_ != NULL)
            CloseHandle(returned_);
        delete this;
    }

#define PROBE_EVENT(Name, Provider)                                                                \
    REQUEST_NOTIFICATION_STATUS On##Name(IHttpContext *ctx, Provider *) override                 \
    {                                                                                              \
        return Hit(ctx, #Name);                                                                    \
    }
    PROBE_EVENT(PostBeginRequest, IHttpEventProvider)
    PROBE_EVENT(AuthenticateRequest, IAuthenticationProvider)
    PROBE_EVENT(PostAuthenticateRequest, IHttpEventProvider)
    PROBE_EVENT(AuthorizeRequest, IHttpEventProvider)
    PROBE_EVENT(PostAuthorizeRequest, IHttpEventProvider)
    PROBE_EVENT(ResolveRequestCache, IHttpEventProvider)
    PROBE_EVENT(PostResolveRequestCache, IHttpEventProvider)
    PROBE_EVENT(MapRequestHandler, IMapHandlerProvider)
    PROBE_EVENT(PostMapRequestHandler, IHttpEventProvider)
    PROBE_EVENT(AcquireRequestState, IHttpEventProvider)
    PROBE_EVENT(PostAcquireRequestState, IHttpEventProvider)
    PROBE_EVENT(PreExecuteRequestHandler, IHttpEventProvider)
    PROBE_EVENT(PostPreExecuteRequestHandler, IHttpEventProvider)
    PROBE_EVENT(PostExecuteRequestHandler, IHttpEventProvider)
    PROBE_EVENT(ReleaseRequestState, IHttpEventProvider)
    PROBE_EVENT(PostReleaseRequestState, IHttpEventProvider)
    PROBE_EVENT(UpdateRequestCache, IHttpEventProvider)
    PROBE_EVENT(PostUpdateRequestCache, IHttpEventProvider)
    PROBE_EVENT(LogRequest, IHttpEventProvider)
    PROBE_EVENT(PostLogRequest, IHttpEventProvider)
    PROBE_EVENT(EndRequest, IHttpEventProvider)
    PROBE_EVENT(PostEndRequest, IHttpEventProvider)
    PROBE_EVENT(SendResponse, ISendResponseProvider)
#undef PROBE_EVENT

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        Hit(ctx, "BeginRequest");
        if (!Probing())
            return RQ_NOTIFICATION_CONTINUE;
        if (PathIs(ctx, L"/wide-url"))
            ctx->GetRequest()->SetUrl(L"/headers", 8, TRUE);
        else if (PathIs(ctx, L"/narrow-url"))
            ctx->GetRequest()->SetUrl("/headers?from=narrow", 20, FALSE);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        Hit(ctx, "ExecuteRequestHandler");
        if (!Probing())
            return RQ_NOTIFICATION_CONTINUE;
        if (PathIs(ctx, L"/headers"))
            return Headers(ctx);
        if (PathIs(ctx, L"/throw"))
            throw ProbeError{"winprobe: thrown at /throw"};
        bool post = PathIs(ctx, L"/async-post");
        if (post || PathIs(ctx, L"/async"))
            return StartThread(ctx, post);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *ctx, DWORD, BOOL, IHttpEventProvider *,
                                                  IHttpCompletionInfo *info) override
    {
        Text body;
        if (!post_)
            body.Add("reentered\n");
        else
            body.Add("post completion bytes=").AddNumber(info->GetCompletionBytes()).Add("\n");
        Answer(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    bool Probing() const { return strcmp(label_, "WinProbe") == 0; }

    REQUEST_NOTIFICATION_STATUS Hit(IHttpContext *ctx, const char *event)
    {
        Text tag;
        tag.Add(label_).Add(":").Add(event);
        ctx->GetResponse()->SetHeader("X-Stages", tag.data, static_cast<USHORT>(tag.len), FALSE);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS Headers(IHttpContext *ctx)
    {
        IHttpRequest *req = ctx->GetRequest();
        const IHttpRequest *constReq = req;
        req->SetHeader("X-Set", "set-by-name", 11, TRUE);
        req->SetHeader(HttpHeaderReferer, "http://referer.example/", 23, TRUE);
        req->DeleteHeader("X-Drop");
        req->DeleteHeader(HttpHeaderFrom);

        Text body;
        AddHeader(body, "request X-In", constReq, "X-In");
        AddHeader(body, "request X-Set", constReq, "X-Set");
        AddHeader(body, "request X-Drop", constReq, "X-Drop");
        AddHeader(body, "request User-Agent", constReq, HttpHeaderUserAgent);
        AddHeader(body, "request Referer", constReq, HttpHeaderReferer);
        AddHeader(body, "request From", constReq, HttpHeaderFrom);
        const HTTP_REQUEST *raw = req->GetRawHttpRequest();
        body.Add("path=").AddWide(raw->CookedUrl.pAbsPath, raw->CookedUrl.AbsPathLength / sizeof(WCHAR)).Add("\n");
        raw = constReq->GetRawHttpRequest();
        body.Add("const path=").AddWide(raw->CookedUrl.pAbsPath, raw->CookedUrl.AbsPathLength / sizeof(WCHAR)).Add("\n");

        static const char *const narrowVars[] = {"REQUEST_METHOD", "HTTP_X_SET"};
        for (const char *name : narrowVars) {
            PCSTR value = nullptr;
            DWORD cch = 0;
            HRESULT hr = ctx->GetServerVariable(name, &value, &cch);
            body.Add("var ").Add(name).Add("=").Add(SUCCEEDED(hr) ? value : "ERR", SUCCEEDED(hr) ? cch : 3).Add("\n");
        }
        static const char *const wideVars[] = {"QUERY_STRING", "URL"};
        for (const char *name : wideVars) {
            PCWSTR value = nullptr;
            DWORD cch = 0;
            HRESULT hr = ctx->GetServerVariable(name, &value, &cch);
            body.Add("wide var ").Add(name).Add("=");
            if (SUCCEEDED(hr))
                body.AddWide(value, cch);
            else
                body.Add("ERR");
            body.Add("\n");
        }

        IHttpResponse *resp = ctx->GetResponse();
        const IHttpResponse *constResp = resp;
        USHORT n = 0;
        PCSTR in = req->GetHeader("X-In", &n);
        resp->SetHeader("X-Echo", in == nullptr ? "" : in, in == nullptr ? 0 : n, TRUE);
        resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        resp->SetHeader("X-Gone", "soon", 4, TRUE);
        resp->DeleteHeader("X-Gone");
        resp->SetHeader(HttpHeaderContentLanguage, "en", 2, TRUE);
        resp->DeleteHeader(HttpHeaderContentLanguage);
        AddHeader(body, "response X-Echo", constResp, "X-Echo");
        AddHeader(body, "response X-Gone", constResp, "X-Gone");
        AddHeader(body, "response Content-Type", constResp, HttpHeaderContentType);
        AddHeader(body, "response Content-Language", constResp, HttpHeaderContentLanguage);
        resp->SetStatus(200, "OK");
        body.Add("status=").AddNumber(resp->GetRawHttpResponse()->StatusCode).Add("\n");
        body.Add("const status=").AddNumber(constResp->GetRawHttpResponse()->StatusCode).Add("\n");
        Answer(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS StartThread(IHttpContext *ctx, bool post)
    {
        ctx_ = ctx;
        post_ = post;
        returned_ = CreateEventW(NULL, TRUE, FALSE, NULL);
        if (returned_ == NULL)
            return RQ_NOTIFICATION_CONTINUE;
        if (InterlockedIncrement(&g_busy) == 1)
            ResetEvent(g_idle);
        HANDLE thread = CreateThread(NULL, 0, Complete, this, 0, NULL);
        if (thread == NULL) {
            Finished();
            return RQ_NOTIFICATION_CONTINUE;
        }
        CloseHandle(thread);
        // The thread completes only once this returns, as a module's I/O would.
        SetEvent(returned_);
        return RQ_NOTIFICATION_PENDING;
    }

    static DWORD WINAPI Complete(LPVOID arg)
    {
        ProbeModule *m = static_cast<ProbeModule *>(arg);
        WaitForSingleObject(m->returned_, INFINITE);
        if (m->post_) {
            m->ctx_->PostCompletion(5);
        } else {
            Text body;
            body.Add("completed by the module's thread\n");
            Answer(m->ctx_, body);
            m->ctx_->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
        }
        Finished();
        return 0;
    }

    static void Finished()
    {
        if (InterlockedDecrement(&g_busy) == 0)
            SetEvent(g_idle);
    }

    const char *label_;
    IHttpContext *ctx_ = nullptr;
    bool post_ = false;
    HANDLE returned_ = NULL;
};

class ProbeFactory final : public IHttpModuleFactory {
public:
    explicit ProbeFactory(PCWSTR name)
    {
        Text t;
        t.AddWide(name, wcslen(name));
        size_t n = t.len < sizeof label_ - 1 ? t.len : sizeof label_ - 1;
        memcpy(label_, t.data, n);
        label_[n] = '\0';
    }

    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new (std::nothrow) ProbeModule(label_);
        return *module == nullptr ? E_OUTOFMEMORY : S_OK;
    }

    void Terminate() override
    {
        WaitForSingleObject(g_idle, INFINITE);
        delete this;
    }

private:
    char label_[64];
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    if (g_idle == NULL && (g_idle = CreateEventW(NULL, TRUE, TRUE, NULL)) == NULL)
        return HRESULT_FROM_WIN32(GetLastError());
    const DWORD stages = RQ_BEGIN_REQUEST | RQ_AUTHENTICATE_REQUEST | RQ_AUTHORIZE_REQUEST | RQ_RESOLVE_REQUEST_CACHE |
                         RQ_MAP_REQUEST_HANDLER | RQ_ACQUIRE_REQUEST_STATE | RQ_PRE_EXECUTE_REQUEST_HANDLER |
                         RQ_EXECUTE_REQUEST_HANDLER | RQ_RELEASE_REQUEST_STATE | RQ_UPDATE_REQUEST_CACHE |
                         RQ_LOG_REQUEST | RQ_END_REQUEST;
    ProbeFactory *f = new (std::nothrow) ProbeFactory(info->GetName());
    if (f == nullptr)
        return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, stages | RQ_SEND_RESPONSE, stages);
    if (FAILED(hr))
        delete f;
    return hr;
}
