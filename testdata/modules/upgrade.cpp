// upgrade.cpp - fixture: the raw stream after a 101, through ReadEntityBody, WriteEntityChunks
// and Flush, synchronously and through OnAsyncCompletion.
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER; the request asks for "Upgrade: <anything>"; every
// OutputDebugString line starts with "raw "):
//   /raw/sync   -> SetStatus(101), header X-Proto: sync, synchronous Flush; then reads
//                  synchronously (64-byte buffer) and writes each piece back upper-cased with
//                  WriteEntityChunks + Flush, until a read fails; then writes "end=<hr>\n"; FINISH.
//   /raw/async  -> the same with fAsync=TRUE everywhere: the 101's Flush, every read, every write
//                  and the Flush after it complete through OnAsyncCompletion.
//   /raw/duplex -> (query duplex=1: EnableFullDuplex first) 101; an asynchronous read, then while
//                  it is outstanding a second (synchronous) read and a synchronous write of
//                  "tick\n"; logs "raw duplex second=<hr> write=<hr>"; PENDING. The read's
//                  completion writes "read=<data> second=<hr> write=<hr>\n"; FINISH.
//   /raw/both   -> EnableFullDuplex, 101; an asynchronous read and an asynchronous write of
//                  "hello\n" at once, a 20 ms pause; PENDING. Each completion counts; the second
//                  writes "completions=2 read=<data>\n"; FINISH.
//   /raw/badargs -> 101; answers with one line of HRESULTs of calls with bad arguments; FINISH.
//   RQ_END_REQUEST logs "raw end <path>".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cctype>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "fixture.h"

namespace {

void Logf(const std::string &line) { OutputDebugStringA(line.c_str()); }

// Send writes bytes to the upgraded stream (they are copied by the host or sent at once).
HRESULT Send(IHttpContext *ctx, const std::string &data, BOOL async = FALSE, BOOL *expected = nullptr)
{
    HTTP_DATA_CHUNK chunk;
    std::memset(&chunk, 0, sizeof chunk);
    chunk.DataChunkType = HttpDataChunkFromMemory;
    chunk.FromMemory.pBuffer = const_cast<char *>(data.data());
    chunk.FromMemory.BufferLength = static_cast<ULONG>(data.size());
    DWORD sent = 0;
    HRESULT hr = ctx->GetResponse()->WriteEntityChunks(&chunk, 1, async, TRUE, &sent, expected);
    if (SUCCEEDED(hr) && !async) {
        BOOL flushExpected = FALSE;
        hr = ctx->GetResponse()->Flush(FALSE, TRUE, &sent, &flushExpected);
    }
    return hr;
}

std::string Upper(const char *p, DWORD n)
{
    std::string s(p, n);
    for (char &c : s) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return s;
}

class UpgradeModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        path_ = fx::AbsPath(ctx);
        if (path_.compare(0, 5, "/raw/") != 0) {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpContext3 *ctx3 = static_cast<IHttpContext3 *>(ctx);
        if (path_ == "/raw/both" || fx::QueryParam(fx::Query(ctx), "duplex") == "1") {
            ctx3->EnableFullDuplex();
        }
        IHttpResponse *resp = ctx->GetResponse();
        resp->SetStatus(101, "Switching Protocols");
        const char *proto = path_ == "/raw/async" ? "async" : "sync";
        resp->SetHeader("X-Proto", proto, static_cast<USHORT>(std::strlen(proto)), TRUE);
        DWORD sent = 0;
        BOOL expected = FALSE;
        bool async = path_ == "/raw/async";
        HRESULT hr = resp->Flush(async, TRUE, &sent, &expected);
        if (FAILED(hr)) {
            resp->SetStatus(400, "Bad Request");
            fx::Write(ctx, "flush=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_ == "/raw/sync") {
            for (;;) {
                DWORD n = 0;
                BOOL pending = FALSE;
                hr = ctx->GetRequest()->ReadEntityBody(buf_, sizeof(buf_), FALSE, &n, &pending);
                if (FAILED(hr)) {
                    break;
                }
                Send(ctx, Upper(buf_, n));
            }
            Send(ctx, "end=" + fx::Hex(hr) + "\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_ == "/raw/async") {
            phase_ = expected ? kUpgrading : kReading;
            if (!expected) {
                return Next(ctx);
            }
            return RQ_NOTIFICATION_PENDING;
        }
        if (path_ == "/raw/badargs") {
            BadArgs(ctx);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        DWORD n = 0;
        BOOL pending = FALSE;
        hr = ctx->GetRequest()->ReadEntityBody(buf_, sizeof(buf_), TRUE, &n, &pending);
        if (FAILED(hr) || !pending) {
            Logf("raw async read=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_ == "/raw/duplex") {
            char other[8];
            DWORD m = 0;
            BOOL p = FALSE;
            second_ = ctx->GetRequest()->ReadEntityBody(other, sizeof(other), FALSE, &m, &p);
            write_ = Send(ctx, "tick\n");
            Logf("raw duplex second=" + fx::Hex(second_) + " write=" + fx::Hex(write_));
        } else {
            BOOL wexpected = FALSE;
            hr = Send(ctx, "hello\n", TRUE, &wexpected);
            Logf("raw both write=" + fx::Hex(hr) + " expected=" + std::to_string(wexpected));
            // Give both a moment to finish before this returns PENDING: the second completion then
            // has to wait for the first (the result is the same without the pause).
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return RQ_NOTIFICATION_PENDING;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *ctx, DWORD, BOOL, IHttpEventProvider *,
                                                  IHttpCompletionInfo *info) override
    {
        DWORD bytes = info->GetCompletionBytes();
        HRESULT hr = info->GetCompletionStatus();
        if (path_ == "/raw/duplex") {
            Send(ctx, "read=" + std::string(buf_, bytes) + " second=" + fx::Hex(second_) + " write=" + fx::Hex(write_) + "\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path_ == "/raw/both") {
            // The write completes with 6 bytes; the read with what the client sent ("abc").
            if (bytes != 6) {
                read_ = std::string(buf_, bytes);
            }
            if (++completions_ < 2) {
                return RQ_NOTIFICATION_PENDING;
            }
            Send(ctx, "completions=" + std::to_string(completions_) + " read=" + read_ + "\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        // /raw/async: upgrade done -> read -> write -> flush -> read ...
        if (FAILED(hr)) {
            Send(ctx, "end=" + fx::Hex(hr) + "\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (phase_ == kReading) {
            phase_ = kWriting;
            out_ = Upper(buf_, bytes);
            BOOL expected = FALSE;
            hr = Send(ctx, out_, TRUE, &expected);
            if (FAILED(hr) || !expected) {
                Logf("raw async write=" + fx::Hex(hr) + " expected=" + std::to_string(expected));
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            return RQ_NOTIFICATION_PENDING;
        }
        if (phase_ == kWriting) {
            // Written bytes went out at once; an asynchronous Flush completes after them.
            phase_ = kFlushing;
            DWORD sent = 0;
            BOOL expected = FALSE;
            hr = ctx->GetResponse()->Flush(TRUE, TRUE, &sent, &expected);
            if (FAILED(hr) || !expected) {
                Logf("raw async flush=" + fx::Hex(hr) + " expected=" + std::to_string(expected));
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            return RQ_NOTIFICATION_PENDING;
        }
        return Next(ctx);
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext *, IHttpEventProvider *) override
    {
        if (path_.compare(0, 5, "/raw/") == 0) {
            Logf("raw end " + path_);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    enum Phase { kUpgrading, kReading, kWriting, kFlushing };

    // Next starts the next asynchronous read.
    REQUEST_NOTIFICATION_STATUS Next(IHttpContext *ctx)
    {
        phase_ = kReading;
        DWORD n = 0;
        BOOL pending = FALSE;
        HRESULT hr = ctx->GetRequest()->ReadEntityBody(buf_, sizeof(buf_), TRUE, &n, &pending);
        if (FAILED(hr)) {
            Send(ctx, "end=" + fx::Hex(hr) + "\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_PENDING; // this host always completes asynchronously
    }

    void BadArgs(IHttpContext *ctx)
    {
        DWORD n = 0, sent = 0;
        BOOL pending = FALSE, expected = FALSE;
        HTTP_DATA_CHUNK file;
        std::memset(&file, 0, sizeof file);
        file.DataChunkType = HttpDataChunkFromFileHandle;
        std::string out;
        auto add = [&out](const char *name, HRESULT hr) { out += std::string(out.empty() ? "" : " ") + name + "=" + fx::Hex(hr); };
        add("read-null-buffer", ctx->GetRequest()->ReadEntityBody(nullptr, 8, FALSE, &n, &pending));
        add("read-zero-size", ctx->GetRequest()->ReadEntityBody(buf_, 0, FALSE, &n, &pending));
        add("read-async-no-pending", ctx->GetRequest()->ReadEntityBody(buf_, 8, TRUE, &n, nullptr));
        add("write-no-chunks", ctx->GetResponse()->WriteEntityChunks(nullptr, 1, FALSE, TRUE, &sent, &expected));
        add("write-async-no-expected", ctx->GetResponse()->WriteEntityChunks(&file, 1, TRUE, TRUE, &sent, nullptr));
        add("write-file-chunk", ctx->GetResponse()->WriteEntityChunks(&file, 1, FALSE, TRUE, &sent, &expected));
        add("flush-async-no-expected", ctx->GetResponse()->Flush(TRUE, TRUE, &sent, nullptr));
        Send(ctx, out + "\n");
    }

    std::string path_, out_, read_;
    char buf_[64];
    Phase phase_ = kUpgrading;
    HRESULT second_ = S_OK, write_ = S_OK;
    int completions_ = 0;
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<UpgradeModule>(), RQ_EXECUTE_REQUEST_HANDLER | RQ_END_REQUEST, 0);
}
