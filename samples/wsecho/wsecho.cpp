// wsecho.cpp: a WebSocket echo server at /echo, written the way IIS WebSocket modules are.
//
// Shows: answering a WebSocket handshake with SetStatus(101) and Flush (the host completes the
// handshake); the IWebSocketContext named "websockets"; asynchronous ReadFragment and
// WriteFragment with completion callbacks; returning RQ_NOTIFICATION_PENDING while the socket
// is open and ending the request with IndicateCompletion; answering the client's close with a
// close of the same code and reason (GetCloseStatus, SendConnectionClose).
//
// Each fragment read is echoed at once with its UTF-8 and final flags, so a message comes back
// as the same kind of message, fragmented wherever the reads split it. Pings are answered by
// the host. Lines go to the host log through OutputDebugString:
//   "wsecho: connection ended: <why>" when the socket is done with,
//   "wsecho: request ended" from RQ_END_REQUEST, which runs after every WebSocket request.
//
// Try it (it is not in the default configuration), e.g. with websocat as the client:
//   scripts/build-module.sh samples/wsecho/wsecho.cpp /tmp/wsecho.so
//   go run ./cmd/iishost -module WsEcho=/tmp/wsecho.so
//   websocat ws://127.0.0.1:8080/echo
//   -> every line you type comes back
// A plain request to /echo gets 400 "WebSocket handshake expected".

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>
#include <iiswebsocket.h>

#include <cstdio>
#include <cstring>
#include <cwchar>
#include <new>

namespace {

bool PathIs(IHttpContext* ctx, const wchar_t* path) {
    const HTTP_COOKED_URL& url = ctx->GetRequest()->GetRawHttpRequest()->CookedUrl;
    const size_t len = wcslen(path);
    return url.pAbsPath != NULL && url.AbsPathLength == len * sizeof(WCHAR) &&
           wmemcmp(url.pAbsPath, path, len) == 0;
}

void Log(const char* what, HRESULT hr) {
    char line[128];
    snprintf(line, sizeof line, "wsecho: connection ended: %s 0x%08X", what, (unsigned)hr);
    OutputDebugStringA(line);
}

class EchoModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* pHttpContext,
                                                        IHttpEventProvider*) override {
        if (!PathIs(pHttpContext, L"/echo")) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpResponse* resp = pHttpContext->GetResponse();
        // The handshake: 101 and a Flush. The host adds Upgrade, Connection and
        // Sec-WebSocket-Accept, and refuses (Flush fails) a request that is no handshake.
        resp->SetStatus(101, "Switching Protocols");
        DWORD sent = 0;
        BOOL expected = FALSE;
        HRESULT hr = resp->Flush(FALSE, TRUE, &sent, &expected);
        if (FAILED(hr)) {
            static const char kBody[] = "WebSocket handshake expected\n";
            resp->SetStatus(400, "Bad Request");
            resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
            HTTP_DATA_CHUNK chunk;
            chunk.DataChunkType = HttpDataChunkFromMemory;
            chunk.FromMemory.pBuffer = const_cast<char*>(kBody);
            chunk.FromMemory.BufferLength = (ULONG)strlen(kBody);
            resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        IHttpContext3* ctx3 = static_cast<IHttpContext3*>(pHttpContext);
        ws_ = static_cast<IWebSocketContext*>(
            ctx3->GetNamedContextContainer()->GetNamedContext(IIS_WEBSOCKET));
        if (ws_ == NULL) {
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        ctx_ = pHttpContext;
        ReadNext();
        // The socket stays open past this notification; Done() ends the request.
        return RQ_NOTIFICATION_PENDING;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext*, IHttpEventProvider*) override {
        if (ws_ != NULL) {
            OutputDebugStringA("wsecho: request ended");
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    // Each step starts one asynchronous operation. A host may complete one at once and say so
    // with *pfCompletionExpected == FALSE; its callback is then called here directly.
    void ReadNext() {
        DWORD n = sizeof(buf_);
        BOOL utf8 = FALSE, fin = FALSE, close = FALSE, expected = FALSE;
        HRESULT hr = ws_->ReadFragment(buf_, &n, TRUE, &utf8, &fin, &close, OnRead, this, &expected);
        if (FAILED(hr) || !expected) {
            OnRead(hr, this, n, utf8, fin, close);
        }
    }

    static void WINAPI OnRead(HRESULT hr, VOID* context, DWORD bytes, BOOL utf8, BOOL fin,
                              BOOL close) {
        EchoModule* self = static_cast<EchoModule*>(context);
        if (FAILED(hr)) {
            Log("read failed", hr);  // the client went away without a close frame
            self->Done();
        } else if (close) {
            self->CloseBack();
        } else {
            self->Echo(bytes, utf8, fin);
        }
    }

    void Echo(DWORD bytes, BOOL utf8, BOOL fin) {
        DWORD n = bytes;
        BOOL expected = FALSE;
        HRESULT hr = ws_->WriteFragment(buf_, &n, TRUE, utf8, fin, OnWritten, this, &expected);
        if (FAILED(hr) || !expected) {
            OnWritten(hr, this, n, utf8, fin, FALSE);
        }
    }

    static void WINAPI OnWritten(HRESULT hr, VOID* context, DWORD, BOOL, BOOL, BOOL) {
        EchoModule* self = static_cast<EchoModule*>(context);
        if (FAILED(hr)) {
            Log("write failed", hr);
            self->Done();
        } else {
            self->ReadNext();
        }
    }

    // The client closed: answer with its own code and reason. The reason is a wide string the
    // host keeps until the request ends.
    void CloseBack() {
        USHORT code = 1000, len = 0;
        LPCWSTR reason = NULL;
        ws_->GetCloseStatus(&code, &reason, &len);
        if (code == 1005) {
            code = 1000;  // 1005 says "no code was sent"; it is never sent itself
        }
        BOOL expected = FALSE;
        HRESULT hr = ws_->SendConnectionClose(TRUE, code, reason, OnClosed, this, &expected);
        if (FAILED(hr) || !expected) {
            OnClosed(hr, this, 0, FALSE, TRUE, TRUE);
        }
    }

    static void WINAPI OnClosed(HRESULT hr, VOID* context, DWORD, BOOL, BOOL, BOOL) {
        Log("closed by the client, close sent:", hr);
        static_cast<EchoModule*>(context)->Done();
    }

    // Ends the request: RQ_LOG_REQUEST and RQ_END_REQUEST run, then the host closes the socket.
    void Done() { ctx_->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST); }

    IHttpContext* ctx_ = NULL;
    IWebSocketContext* ws_ = NULL;
    char buf_[4096];
};

class EchoFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) EchoModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* pModuleInfo, IHttpServer*) {
    return pModuleInfo->SetRequestNotifications(new EchoFactory(),
                                                RQ_EXECUTE_REQUEST_HANDLER | RQ_END_REQUEST, 0);
}
