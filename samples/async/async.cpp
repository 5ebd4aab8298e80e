// async.cpp: two asynchronous patterns, neither of which holds a thread while it waits.
//
//   /checksum  reads the request body with asynchronous ReadEntityBody calls and answers
//              "bytes=<n> crc32=<8 hex digits>". Each read returns RQ_NOTIFICATION_PENDING;
//              the host calls OnAsyncCompletion with the bytes read, and the module starts
//              the next read from there until ERROR_HANDLE_EOF.
//   /delay?ms=<n>  answers "waited <n> ms" after n milliseconds (at most 10000), completed
//              by the module's own timer thread with IHttpContext::PostCompletion, the way a
//              module waiting on a backend would.
//
// Shows: fAsync reads, *pfCompletionPending, OnAsyncCompletion with IHttpCompletionInfo,
// PostCompletion from a thread the module created, and a factory whose Terminate stops that
// thread (the host may be shut down with requests still waiting: they are completed first).
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl --data-binary @/etc/os-release http://127.0.0.1:8080/checksum
//   curl http://127.0.0.1:8080/delay?ms=500

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include "../sample.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <string>
#include <thread>

namespace {

void Answer(IHttpContext* ctx, const std::string& text) {
    ctx->GetResponse()->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
    if (FAILED(sample::Write(ctx, text))) {
        ctx->GetResponse()->SetStatus(500, "Internal Server Error");
    }
}

// Crc32 continues a CRC-32 (the zlib polynomial) over more bytes.
uint32_t Crc32(uint32_t crc, const unsigned char* p, size_t n) {
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

// Timer is one thread that completes waiting requests when their time comes.
class Timer {
public:
    void Add(std::chrono::steady_clock::time_point when, IHttpContext* ctx) {
        std::lock_guard<std::mutex> lock(mu_);
        if (!thread_.joinable()) {
            stop_ = false;
            thread_ = std::thread([this] { Loop(); });
        }
        due_.emplace(when, ctx);
        wake_.notify_one();
    }

    // Stop completes whatever still waits, then ends the thread.
    void Stop() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            stop_ = true;
            wake_.notify_one();
        }
        if (thread_.joinable()) {
            thread_.join();
        }
    }

private:
    void Loop() {
        std::unique_lock<std::mutex> lock(mu_);
        for (;;) {
            if (due_.empty()) {
                if (stop_) {
                    return;
                }
                wake_.wait(lock);
                continue;
            }
            auto next = due_.begin();
            if (!stop_ && next->first > std::chrono::steady_clock::now()) {
                wake_.wait_until(lock, next->first);
                continue;
            }
            IHttpContext* ctx = next->second;
            due_.erase(next);
            lock.unlock();
            ctx->PostCompletion(0);  // the request resumes in OnAsyncCompletion
            lock.lock();
        }
    }

    std::mutex mu_;
    std::condition_variable wake_;
    std::multimap<std::chrono::steady_clock::time_point, IHttpContext*> due_;
    std::thread thread_;
    bool stop_ = false;
};

Timer g_timer;

class AsyncModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (sample::PathIs(ctx, L"/checksum")) {
            mode_ = kChecksum;
            ctx->SetRequestHandled();
            return ReadMore(ctx);
        }
        if (sample::PathIs(ctx, L"/delay")) {
            mode_ = kDelay;
            ctx->SetRequestHandled();
            const HTTP_REQUEST* raw = ctx->GetRequest()->GetRawHttpRequest();
            const char* ms = raw->pRawUrl ? strstr(raw->pRawUrl, "ms=") : NULL;
            delayMs_ = ms ? atol(ms + 3) : 0;
            if (delayMs_ < 0 || delayMs_ > 10000) {
                ctx->GetResponse()->SetStatus(400, "Bad Request");
                Answer(ctx, "ms must be 0..10000\n");
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            g_timer.Add(std::chrono::steady_clock::now() + std::chrono::milliseconds(delayMs_), ctx);
            return RQ_NOTIFICATION_PENDING;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext* ctx, DWORD, BOOL, IHttpEventProvider*,
                                                  IHttpCompletionInfo* info) override {
        if (mode_ == kDelay) {
            Answer(ctx, "waited " + std::to_string(delayMs_) + " ms\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        // One asynchronous read finished: account for it, then read on.
        if (FAILED(info->GetCompletionStatus())) {
            return Done(ctx, info->GetCompletionStatus());
        }
        Account(info->GetCompletionBytes());
        return ReadMore(ctx);
    }

private:
    enum Mode { kNone, kChecksum, kDelay };

    REQUEST_NOTIFICATION_STATUS ReadMore(IHttpContext* ctx) {
        for (;;) {
            DWORD got = 0;
            BOOL pending = FALSE;
            HRESULT hr = ctx->GetRequest()->ReadEntityBody(buffer_, sizeof buffer_, TRUE, &got, &pending);
            if (FAILED(hr)) {
                return Done(ctx, hr);
            }
            if (pending) {
                return RQ_NOTIFICATION_PENDING;  // OnAsyncCompletion brings the bytes
            }
            Account(got);  // a host may also complete at once
        }
    }

    void Account(DWORD n) {
        crc_ = Crc32(crc_, buffer_, n);
        total_ += n;
    }

    REQUEST_NOTIFICATION_STATUS Done(IHttpContext* ctx, HRESULT hr) {
        if (hr != HRESULT_FROM_WIN32(ERROR_HANDLE_EOF)) {
            ctx->GetResponse()->SetStatus(400, "Bad Request");
            Answer(ctx, "reading the body failed\n");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        char text[64];
        snprintf(text, sizeof text, "bytes=%llu crc32=%08x\n", static_cast<unsigned long long>(total_), crc_);
        Answer(ctx, text);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    Mode mode_ = kNone;
    unsigned char buffer_[16384];
    uint64_t total_ = 0;
    uint32_t crc_ = 0;
    long delayMs_ = 0;
};

class AsyncFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new (std::nothrow) AsyncModule();
        return *module ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override {
        g_timer.Stop();
        delete this;
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new AsyncFactory(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
