// websocket.cpp - fixture: IWebSocketContext, the IIS WebSocket module's named context.
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER; "upgrade" is SetStatus(101) then a synchronous Flush;
// every OutputDebugString line starts with "ws "):
//   /ws/nocontext -> no upgrade: answers 200 "context=null" when GetNamedContext(L"websockets")
//                    is NULL, "context=present" otherwise.
//   /ws/refuse    -> upgrade; when Flush fails, answers 400 "flush=<hr>".
//   /ws/echo      -> upgrade, then on the request thread, synchronously: ReadFragment into a buffer
//                    of buf=<n> bytes (query; default 4096), WriteFragment of what it read with the
//                    same UTF-8 and final flags, until a close; then GetCloseStatus and
//                    SendConnectionClose(<code>, "echo:<reason>") (1000 for a close without a code);
//                    logs "ws echo close status=<hr> code=<code>"; FINISH.
//   /ws/badargs   -> upgrade, then sends one text message "<name>=<hr> ..." of calls with bad
//                    arguments (see below), and closes with 1000 "done"; FINISH.
//   /ws/concurrent -> upgrade; an asynchronous ReadFragment, then a second asynchronous one and a
//                    synchronous one while it is outstanding, and a synchronous WriteFragment of
//                    "second=<hr> sync=<hr>", then logs "ws concurrent wrote=<hr>"; PENDING. The
//                    first read's callback writes "read=<data>", closes with 1000, logs
//                    "ws concurrent callback write=<hr> close=<hr>", IndicateCompletion(FINISH).
//   /ws/cancel    -> upgrade; an asynchronous ReadFragment, then CancelOutstandingIO; PENDING. The
//                    callback writes "cancelled=<hr>", reads synchronously and writes
//                    "then=<data> hr=<hr>", closes with 1000, IndicateCompletion(FINISH).
//   /ws/closetcp  -> upgrade; writes "bye", CloseTcpConnection, then logs
//                    "ws write after close=<hr> connected=<IsConnected>"; FINISH.
//   /ws/bigwrite  -> upgrade; an asynchronous WriteFragment of 8 MiB of 'w' (binary, final), then a
//                    synchronous WriteFragment, whose result it logs as "ws bigwrite second=<hr>";
//                    PENDING. The big write's callback writes "written=<bytes> hr=<hr> utf8=<0|1>
//                    final=<0|1> close=<0|1> second=<hr>", closes with 1000, IndicateCompletion(FINISH).
//   /ws/vanish    -> upgrade; an asynchronous ReadFragment; PENDING. The callback logs
//                    "ws vanish read=<hr>" and calls IndicateCompletion(FINISH).
//   /ws/throw     -> upgrade; an asynchronous ReadFragment whose callback calls
//                    IndicateCompletion(FINISH) and then throws.
//   RQ_END_REQUEST logs "ws end <path>".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>
#include <iiswebsocket.h>

#include <stdexcept>
#include <string>

#include "fixture.h"

namespace {

void Logf(const std::string &line) { OutputDebugStringA(line.c_str()); }

HRESULT Upgrade(IHttpContext *ctx)
{
    ctx->GetResponse()->SetStatus(101, "Switching Protocols");
    DWORD sent = 0;
    BOOL expected = FALSE;
    return ctx->GetResponse()->Flush(FALSE, TRUE, &sent, &expected);
}

IWebSocketContext *WebSocket(IHttpContext *ctx)
{
    IHttpContext3 *ctx3 = static_cast<IHttpContext3 *>(ctx);
    return static_cast<IWebSocketContext *>(ctx3->GetNamedContextContainer()->GetNamedContext(IIS_WEBSOCKET));
}

HRESULT SendText(IWebSocketContext *ws, const std::string &text)
{
    DWORD n = static_cast<DWORD>(text.size());
    return ws->WriteFragment(const_cast<char *>(text.data()), &n, FALSE, TRUE, TRUE);
}

HRESULT Close(IWebSocketContext *ws, USHORT code, LPCWSTR reason) { return ws->SendConnectionClose(FALSE, code, reason); }

class WebSocketModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        ctx_ = ctx;
        path_ = fx::AbsPath(ctx);
        if (path_ == "/ws/nocontext") {
            fx::Reply(ctx, WebSocket(ctx) ? "context=present" : "context=null");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_.compare(0, 4, "/ws/") != 0) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        HRESULT hr = Upgrade(ctx);
        if (FAILED(hr)) {
            ctx->GetResponse()->SetStatus(400, "Bad Request");
            fx::Write(ctx, "flush=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        ws_ = WebSocket(ctx);
        if (!ws_) {
            Logf("ws no context after the upgrade");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_ == "/ws/echo") {
            Echo(fx::QueryParam(fx::Query(ctx), "buf"));
        } else if (path_ == "/ws/badargs") {
            BadArgs();
        } else if (path_ == "/ws/closetcp") {
            SendText(ws_, "bye");
            ws_->CloseTcpConnection();
            HRESULT hr = SendText(ws_, "more");
            Logf("ws write after close=" + fx::Hex(hr) + " connected=" + std::to_string(ctx->GetConnection()->IsConnected()));
        } else if (path_ == "/ws/concurrent" || path_ == "/ws/cancel" || path_ == "/ws/vanish" || path_ == "/ws/throw") {
            return Pending();
        } else if (path_ == "/ws/bigwrite") {
            return BigWrite();
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext *, IHttpEventProvider *) override
    {
        if (path_.compare(0, 4, "/ws/") == 0) {
            Logf("ws end " + path_);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    void Echo(const std::string &size)
    {
        std::string buf(size.empty() ? 4096 : std::stoul(size), '\0');
        for (;;) {
            DWORD n = static_cast<DWORD>(buf.size());
            BOOL utf8 = FALSE, final = FALSE, close = FALSE;
            HRESULT hr = ws_->ReadFragment(&buf[0], &n, FALSE, &utf8, &final, &close);
            if (FAILED(hr)) {
                Logf("ws echo read=" + fx::Hex(hr));
                return;
            }
            if (close) {
                USHORT code = 0, len = 0;
                LPCWSTR reason = nullptr;
                hr = ws_->GetCloseStatus(&code, &reason, &len);
                std::wstring reply = L"echo:" + std::wstring(reason ? reason : L"", len);
                Logf("ws echo close status=" + fx::Hex(hr) + " code=" + std::to_string(code));
                Close(ws_, code == 1005 ? 1000 : code, reply.c_str()); // 1005 only describes; it is never sent
                return;
            }
            if (FAILED(hr = ws_->WriteFragment(&buf[0], &n, FALSE, utf8, final))) {
                Logf("ws echo write=" + fx::Hex(hr));
                return;
            }
        }
    }

    void BadArgs()
    {
        char buf[16];
        DWORD n = sizeof(buf), zero = 0;
        BOOL utf8, final, close, expected;
        USHORT code;
        std::wstring longReason(124, L'x');
        std::string out;
        auto add = [&out](const char *name, HRESULT hr) { out += std::string(out.empty() ? "" : " ") + name + "=" + fx::Hex(hr); };
        add("read-null-buffer", ws_->ReadFragment(nullptr, &n, FALSE, &utf8, &final, &close));
        add("read-null-size", ws_->ReadFragment(buf, nullptr, FALSE, &utf8, &final, &close));
        add("read-zero-size", ws_->ReadFragment(buf, &zero, FALSE, &utf8, &final, &close));
        add("read-null-flags", ws_->ReadFragment(buf, &n, FALSE, nullptr, &final, &close));
        add("read-async-no-callback", ws_->ReadFragment(buf, &n, TRUE, &utf8, &final, &close, nullptr, nullptr, &expected));
        add("write-null-size", ws_->WriteFragment(buf, nullptr, FALSE, TRUE, TRUE));
        add("write-null-data", ws_->WriteFragment(nullptr, &n, FALSE, TRUE, TRUE));
        add("write-async-no-expected", ws_->WriteFragment(buf, &n, TRUE, TRUE, TRUE, &Ignore, nullptr, nullptr));
        add("close-1005", ws_->SendConnectionClose(FALSE, 1005, nullptr));
        add("close-long-reason", ws_->SendConnectionClose(FALSE, 1000, longReason.c_str()));
        add("status-null", ws_->GetCloseStatus(nullptr));
        add("status-none-yet", ws_->GetCloseStatus(&code));
        SendText(ws_, out);
        Close(ws_, 1000, L"done");
    }

    static void WINAPI Ignore(HRESULT, VOID *, DWORD, BOOL, BOOL, BOOL) {}

    REQUEST_NOTIFICATION_STATUS Pending()
    {
        BOOL expected = FALSE;
        n_ = sizeof(buf_);
        HRESULT hr = ws_->ReadFragment(buf_, &n_, TRUE, &utf8_, &final_, &close_, &OnRead, this, &expected);
        if (FAILED(hr) || !expected) {
            Logf("ws async read=" + fx::Hex(hr) + " expected=" + std::to_string(expected));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_ == "/ws/concurrent") {
            char other[8];
            DWORD n = sizeof(other);
            BOOL a, b, c, e = FALSE;
            HRESULT second = ws_->ReadFragment(other, &n, TRUE, &a, &b, &c, &OnRead, this, &e);
            HRESULT sync = ws_->ReadFragment(other, &n, FALSE, &a, &b, &c);
            HRESULT wrote = SendText(ws_, "second=" + fx::Hex(second) + " sync=" + fx::Hex(sync));
            Logf("ws concurrent wrote=" + fx::Hex(wrote));
        } else if (path_ == "/ws/cancel") {
            ws_->CancelOutstandingIO();
        }
        return RQ_NOTIFICATION_PENDING;
    }

    // An asynchronous write too large for the socket's buffers stays outstanding until the
    // client reads; meanwhile a second write is refused.
    REQUEST_NOTIFICATION_STATUS BigWrite()
    {
        big_.assign(8 << 20, 'w');
        DWORD n = static_cast<DWORD>(big_.size());
        BOOL expected = FALSE;
        HRESULT hr = ws_->WriteFragment(&big_[0], &n, TRUE, FALSE, TRUE, &OnBigWritten, this, &expected);
        if (FAILED(hr) || !expected) {
            Logf("ws bigwrite=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        second_ = SendText(ws_, "second");
        Logf("ws bigwrite second=" + fx::Hex(second_));
        return RQ_NOTIFICATION_PENDING;
    }

    static void WINAPI OnBigWritten(HRESULT hr, VOID *context, DWORD bytes, BOOL utf8, BOOL final, BOOL close)
    {
        auto *self = static_cast<WebSocketModule *>(context);
        SendText(self->ws_, "written=" + std::to_string(bytes) + " hr=" + fx::Hex(hr) + " utf8=" + std::to_string(utf8) +
                                " final=" + std::to_string(final) + " close=" + std::to_string(close) +
                                " second=" + fx::Hex(self->second_));
        Close(self->ws_, 1000, L"");
        self->ctx_->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
    }

    static void WINAPI OnRead(HRESULT hr, VOID *context, DWORD bytes, BOOL, BOOL, BOOL)
    {
        auto *self = static_cast<WebSocketModule *>(context);
        IWebSocketContext *ws = self->ws_;
        IHttpContext *ctx = self->ctx_;
        const std::string path = self->path_;
        if (path == "/ws/concurrent") {
            HRESULT w = SendText(ws, "read=" + std::string(self->buf_, bytes));
            HRESULT c = Close(ws, 1000, L"");
            Logf("ws concurrent callback write=" + fx::Hex(w) + " close=" + fx::Hex(c));
        } else if (path == "/ws/cancel") {
            SendText(ws, "cancelled=" + fx::Hex(hr));
            // The stream is still good for reading: a cancelled read consumed nothing.
            char more[16];
            DWORD n = sizeof(more);
            BOOL utf8 = FALSE, final = FALSE, close = FALSE;
            HRESULT again = ws->ReadFragment(more, &n, FALSE, &utf8, &final, &close);
            SendText(ws, "then=" + std::string(more, SUCCEEDED(again) ? n : 0) + " hr=" + fx::Hex(again));
            Close(ws, 1000, L"");
        } else if (path == "/ws/vanish") {
            Logf("ws vanish read=" + fx::Hex(hr));
        }
        ctx->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
        // The request may be over from here on: only locals are used.
        if (path == "/ws/throw") {
            throw std::runtime_error("callback failed");
        }
    }

    IHttpContext *ctx_ = nullptr;
    IWebSocketContext *ws_ = nullptr;
    std::string path_;
    char buf_[64];
    std::string big_;
    HRESULT second_ = S_OK;
    DWORD n_ = 0;
    BOOL utf8_ = FALSE, final_ = FALSE, close_ = FALSE;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<WebSocketModule>(), RQ_EXECUTE_REQUEST_HANDLER | RQ_END_REQUEST, 0);
}
