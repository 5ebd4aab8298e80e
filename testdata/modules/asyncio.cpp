// asyncio.cpp - fixture: asynchronous reads, writes and flushes, CancelIo, client disconnects,
// IHttpContext3::PostCompletion with a routine, and a module that never completes.
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER, path /io/<mode>, query chunk=<n> read buffer size):
//   read       -> reads the whole body with ReadEntityBody(fAsync=TRUE), continuing from
//                 OnAsyncCompletion, then writes "read=<bytes> rounds=<completions> eof=<hr>
//                 fnv=<FNV-1a 32 of the body, hex>".
//   syncread   -> the same with synchronous reads; writes the body back as it was read.
//   write      -> DisableBuffering, then three WriteEntityChunks(fAsync=TRUE) of "one", "two",
//                 "three", each after the previous completion; then writes "|bytes=3,3,5".
//   flush      -> writes "abc", Flush(fAsync=TRUE); after completion writes "|flushed=<bytes>"
//                 (IHttpCompletionInfo2::GetCompletedOperation must report the same bytes).
//   buffered   -> WriteEntityChunks(fAsync=TRUE) with buffering on: completes with its bytes;
//                 writes "|completed=<bytes> expected=<0|1>".
//   cancel     -> an async read of a body the client has not sent; a thread calls CancelIo
//                 until there is a read to cancel; writes "cancel=<CancelIo hr> completion=<hr>".
//   cancelnone -> CancelIo with nothing outstanding; writes "cancel=<hr>".
//   hang       -> goes pending; a thread waits until IConnection::IsConnected is FALSE, then
//                 tries a write and a flush from its thread and completes; /io/status reports
//                 "connected=<0|1> write=<hr> flush=<hr> end=<END notifications seen>".
//   never      -> goes pending and never completes.
//   late       -> goes pending and stays parked until a /io/release (from any host that loaded
//                 this library) completes it.
//   latecount  -> writes "parked=<requests parked by late, not yet released>".
//   release    -> IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST) for every parked late
//                 request, from this request's thread; writes "released=<n>".
//   cbread     -> like read, with IHttpRequest3::ReadEntityBody's PFN_ASYNC_COMPLETION: the
//                 callback continues the reads; writes "cb read=<bytes> calls=<callbacks>
//                 fnv=<hex>". OnAsyncCompletion must not run (it writes "|wrong").
//   cbwrite    -> DisableBuffering, IHttpResponse2::WriteEntityChunks of "one" then Flush, both
//                 with a callback; writes "|cb bytes=<write>,<flush>".
//   sendread   -> writes "sent" and flushes; OnSendResponse then reads the body with fAsync=TRUE,
//                 which must complete at once there (that notification cannot park), and sets
//                 X-Send-Read: "pending=<0|1> got=<bytes> hr=<hr>".
//   routine    -> IHttpContext3::PostCompletion(5, routine, ctx): the routine runs on another
//                 host thread and completes the request; writes "routine bytes=<n> error=<e>".
// Terminate waits for every thread it started.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

namespace {

std::atomic<int> g_endSeen{0};
std::mutex g_statusLock;
std::string g_status = "none";
std::vector<IHttpContext *> g_late; // guarded by g_statusLock

struct RoutineState {
    IHttpContext *ctx;
    std::string result;
};

void WINAPI Routine(DWORD error, DWORD bytes, LPOVERLAPPED overlapped)
{
    RoutineState *state = reinterpret_cast<RoutineState *>(overlapped);
    state->result = "routine bytes=" + std::to_string(bytes) + " error=" + std::to_string(error);
    state->ctx->PostCompletion(0);
}

class AsyncIoModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string path = fx::AbsPath(ctx);
        if (path.compare(0, 4, "/io/") != 0) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        mode_ = path.substr(4);
        ctx->SetRequestHandled();
        std::string chunk = fx::QueryParam(fx::Query(ctx), "chunk");
        size_ = chunk.empty() ? 1000 : static_cast<DWORD>(std::stoul(chunk));
        buffer_ = ctx->AllocateRequestMemory(size_);
        if (mode_ == "read") {
            return StartRead(ctx);
        }
        if (mode_ == "syncread") {
            return SyncRead(ctx);
        }
        if (mode_ == "write") {
            ctx->GetResponse()->DisableBuffering();
            return WriteNext(ctx);
        }
        if (mode_ == "flush" || mode_ == "buffered") {
            HTTP_DATA_CHUNK c = fx::MemoryChunk(ctx, "abc");
            BOOL expected = FALSE;
            DWORD sent = 0;
            HRESULT hr = mode_ == "flush" ? (fx::Write(ctx, "abc"), ctx->GetResponse()->Flush(TRUE, TRUE, &sent, &expected))
                                          : ctx->GetResponse()->WriteEntityChunks(&c, 1, TRUE, FALSE, &sent, &expected);
            expected_ = expected;
            if (FAILED(hr)) {
                fx::Write(ctx, "|failed=" + fx::Hex(hr));
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            return expected ? RQ_NOTIFICATION_PENDING : Finish(ctx, sent);
        }
        if (mode_ == "cancel") {
            cancelResult_ = E_PENDING;
            REQUEST_NOTIFICATION_STATUS status = StartRead(ctx);
            fx::Run([this, ctx] {
                // The read may not have reached the client yet: retry until there is one to cancel.
                HRESULT hr = S_OK;
                for (int i = 0; i < 400; i++) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    if ((hr = ctx->CancelIo()) == S_OK) {
                        break;
                    }
                }
                cancelResult_ = hr;
            });
            return status;
        }
        if (mode_ == "cancelnone") {
            fx::Write(ctx, "cancel=" + fx::Hex(ctx->CancelIo()));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (mode_ == "status") {
            std::lock_guard<std::mutex> guard(g_statusLock);
            fx::Write(ctx, g_status + " end=" + std::to_string(g_endSeen.load()));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (mode_ == "hang") {
            {
                std::lock_guard<std::mutex> guard(g_statusLock);
                g_status = "waiting";
            }
            fx::Run([ctx] {
                IHttpConnection *conn = ctx->GetConnection();
                for (int i = 0; i < 2000 && conn->IsConnected(); i++) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
                HRESULT write = fx::Write(ctx, "late");
                DWORD sent = 0;
                HRESULT flush = ctx->GetResponse()->Flush(FALSE, FALSE, &sent, nullptr);
                {
                    std::lock_guard<std::mutex> guard(g_statusLock);
                    g_status = "connected=" + std::to_string(conn->IsConnected()) + " write=" + fx::Hex(write) +
                               " flush=" + fx::Hex(flush);
                }
                ctx->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
            });
            return RQ_NOTIFICATION_PENDING;
        }
        if (mode_ == "never") {
            return RQ_NOTIFICATION_PENDING;
        }
        if (mode_ == "late") {
            std::lock_guard<std::mutex> guard(g_statusLock);
            g_late.push_back(ctx);
            return RQ_NOTIFICATION_PENDING;
        }
        if (mode_ == "latecount" || mode_ == "release") {
            std::vector<IHttpContext *> parked;
            {
                std::lock_guard<std::mutex> guard(g_statusLock);
                parked = g_late;
                if (mode_ == "release") {
                    g_late.clear();
                }
            }
            if (mode_ == "latecount") {
                fx::Write(ctx, "parked=" + std::to_string(parked.size()));
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            for (IHttpContext *late : parked) {
                late->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
            }
            fx::Write(ctx, "released=" + std::to_string(parked.size()));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (mode_ == "cbread") {
            return CallbackRead(ctx);
        }
        if (mode_ == "cbwrite") {
            ctx->GetResponse()->DisableBuffering();
            HTTP_DATA_CHUNK c = fx::MemoryChunk(ctx, "one");
            DWORD sent = 0;
            BOOL expected = FALSE;
            auto *r2 = static_cast<IHttpResponse2 *>(ctx->GetResponse());
            HRESULT hr = r2->WriteEntityChunks(&c, 1, TRUE, TRUE, WriteDone, this, &sent, &expected);
            return FAILED(hr) || !expected ? (fx::Write(ctx, "|not async " + fx::Hex(hr)), RQ_NOTIFICATION_FINISH_REQUEST)
                                           : RQ_NOTIFICATION_PENDING;
        }
        if (mode_ == "sendread") {
            fx::Write(ctx, "sent");
            DWORD sent = 0;
            ctx->GetResponse()->Flush(FALSE, FALSE, &sent);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (mode_ == "routine") {
            routine_ = RoutineState{ctx, ""};
            auto *c3 = static_cast<IHttpContext3 *>(ctx);
            HRESULT hr = c3->PostCompletion(5, Routine, &routine_);
            if (FAILED(hr)) {
                fx::Write(ctx, "post failed " + fx::Hex(hr));
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            return RQ_NOTIFICATION_PENDING;
        }
        fx::Write(ctx, "unknown mode");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *ctx, DWORD, BOOL, IHttpEventProvider *,
                                                  IHttpCompletionInfo *info) override
    {
        if (mode_ == "cbread" || mode_ == "cbwrite") {
            fx::Write(ctx, "|wrong");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        HRESULT hr = info->GetCompletionStatus();
        DWORD bytes = info->GetCompletionBytes();
        if (mode_ == "read") {
            rounds_++;
            if (FAILED(hr)) {
                return ReadDone(ctx, hr);
            }
            Hash(bytes);
            return StartRead(ctx);
        }
        if (mode_ == "cancel") {
            for (int i = 0; i < 1000 && cancelResult_.load() == E_PENDING; i++) {
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            fx::Write(ctx, "cancel=" + fx::Hex(cancelResult_.load()) + " completion=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (mode_ == "write") {
            sent_ += (sent_.empty() ? "" : ",") + std::to_string(bytes);
            if (FAILED(hr)) {
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            return WriteNext(ctx);
        }
        if (mode_ == "flush" || mode_ == "buffered") {
            DWORD operation = static_cast<IHttpCompletionInfo2 *>(info)->GetCompletedOperation();
            return Finish(ctx, operation == bytes ? bytes : 0xFFFFFFFF);
        }
        if (mode_ == "routine") {
            fx::Write(ctx, routine_.result);
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnSendResponse(IHttpContext *ctx, ISendResponseProvider *) override
    {
        if (mode_ != "sendread" || sendReadDone_) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        sendReadDone_ = true;
        char buf[64];
        DWORD got = 0;
        BOOL pending = TRUE;
        HRESULT hr = ctx->GetRequest()->ReadEntityBody(buf, sizeof buf, TRUE, &got, &pending);
        std::string value = "pending=" + std::to_string(pending) + " got=" + std::to_string(got) + " hr=" + fx::Hex(hr);
        ctx->GetResponse()->SetHeader("X-Send-Read", value.c_str(), static_cast<USHORT>(value.size()), TRUE);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) == "/io/hang") {
            g_endSeen++;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    static REQUEST_NOTIFICATION_STATUS WINAPI ReadDoneCallback(IHttpContext3 *ctx, IHttpCompletionInfo2 *info, void *self)
    {
        auto *m = static_cast<AsyncIoModule *>(self);
        m->callbacks_++;
        if (FAILED(info->GetCompletionStatus())) {
            char hex[16];
            std::snprintf(hex, sizeof hex, "%08x", m->hash_);
            fx::Write(ctx, "cb read=" + std::to_string(m->total_) + " calls=" + std::to_string(m->callbacks_) + " fnv=" + hex);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        m->Hash(info->GetCompletionBytes());
        return m->CallbackRead(ctx);
    }

    REQUEST_NOTIFICATION_STATUS CallbackRead(IHttpContext *ctx)
    {
        auto *r3 = static_cast<IHttpRequest3 *>(ctx->GetRequest());
        for (;;) {
            DWORD got = 0;
            BOOL pending = FALSE;
            HRESULT hr = r3->ReadEntityBody(buffer_, size_, TRUE, ReadDoneCallback, this, &got, &pending);
            if (FAILED(hr)) {
                fx::Write(ctx, "cb read failed " + fx::Hex(hr));
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            if (pending) {
                return RQ_NOTIFICATION_PENDING;
            }
            Hash(got);
        }
    }

    static REQUEST_NOTIFICATION_STATUS WINAPI WriteDone(IHttpContext3 *ctx, IHttpCompletionInfo2 *info, void *self)
    {
        auto *m = static_cast<AsyncIoModule *>(self);
        m->sent_ += (m->sent_.empty() ? "" : ",") + std::to_string(info->GetCompletionBytes());
        if (m->step_++ == 0) {
            DWORD sent = 0;
            BOOL expected = FALSE;
            auto *r2 = static_cast<IHttpResponse2 *>(ctx->GetResponse());
            fx::Write(ctx, "two"); // unbuffered: goes out at once
            HRESULT hr = r2->Flush(TRUE, TRUE, WriteDone, self, &sent, &expected);
            if (SUCCEEDED(hr) && expected) {
                return RQ_NOTIFICATION_PENDING;
            }
        }
        fx::Write(ctx, "|cb bytes=" + m->sent_);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS StartRead(IHttpContext *ctx)
    {
        for (;;) {
            DWORD got = 0;
            BOOL pending = FALSE;
            HRESULT hr = ctx->GetRequest()->ReadEntityBody(buffer_, size_, TRUE, &got, &pending);
            if (FAILED(hr)) {
                return ReadDone(ctx, hr);
            }
            if (pending) {
                return RQ_NOTIFICATION_PENDING;
            }
            Hash(got); // completed synchronously: go on reading here
        }
    }

    REQUEST_NOTIFICATION_STATUS SyncRead(IHttpContext *ctx)
    {
        for (;;) {
            DWORD got = 0;
            HRESULT hr = ctx->GetRequest()->ReadEntityBody(buffer_, size_, FALSE, &got, nullptr);
            if (FAILED(hr)) {
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            fx::Write(ctx, std::string(static_cast<char *>(buffer_), got));
        }
    }

    REQUEST_NOTIFICATION_STATUS ReadDone(IHttpContext *ctx, HRESULT hr)
    {
        if (mode_ == "cancel") {
            fx::Write(ctx, "cancel read failed at once " + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        char hex[16];
        std::snprintf(hex, sizeof hex, "%08x", hash_);
        fx::Write(ctx, "read=" + std::to_string(total_) + " rounds=" + std::to_string(rounds_) + " eof=" + fx::Hex(hr) +
                           " fnv=" + hex);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    void Hash(DWORD n)
    {
        const unsigned char *p = static_cast<const unsigned char *>(buffer_);
        for (DWORD i = 0; i < n; i++) {
            hash_ = (hash_ ^ p[i]) * 16777619u;
        }
        total_ += n;
    }

    REQUEST_NOTIFICATION_STATUS WriteNext(IHttpContext *ctx)
    {
        static const char *const parts[] = {"one", "two", "three"};
        if (step_ == 3) {
            fx::Write(ctx, "|bytes=" + sent_);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        HTTP_DATA_CHUNK c = fx::MemoryChunk(ctx, parts[step_++]);
        DWORD sent = 0;
        BOOL expected = FALSE;
        HRESULT hr = ctx->GetResponse()->WriteEntityChunks(&c, 1, TRUE, TRUE, &sent, &expected);
        if (FAILED(hr) || !expected) {
            fx::Write(ctx, "|not async " + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_PENDING;
    }

    REQUEST_NOTIFICATION_STATUS Finish(IHttpContext *ctx, DWORD bytes)
    {
        if (mode_ == "flush") {
            fx::Write(ctx, "|flushed=" + std::to_string(bytes));
        } else {
            fx::Write(ctx, "|completed=" + std::to_string(bytes) + " expected=" + std::to_string(expected_));
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    std::string mode_, sent_;
    void *buffer_ = nullptr;
    DWORD size_ = 0;
    uint64_t total_ = 0;
    uint32_t hash_ = 2166136261u;
    int rounds_ = 0, step_ = 0, callbacks_ = 0;
    BOOL expected_ = FALSE;
    bool sendReadDone_ = false;
    std::atomic<HRESULT> cancelResult_{S_OK};
    RoutineState routine_{};
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::ThreadedFactory<AsyncIoModule>(), RQ_EXECUTE_REQUEST_HANDLER | RQ_END_REQUEST | RQ_SEND_RESPONSE, 0);
}
