// sse.cpp: a server-sent-events hub. Every event reaches each subscriber when it is flushed,
// not when the response ends.
//
//   GET  /events   subscribes: 200 with Content-Type text/event-stream, a ": subscribed"
//                  comment at once, then one event per publish. The request stays pending
//                  (RQ_NOTIFICATION_PENDING) for as long as the subscriber listens.
//   POST /publish  sends the request body (at most 4 KiB) to every subscriber as one event,
//                  one "data:" line per line of the body; answers "delivered=<n>".
//   POST /publish?close  also ends every stream (an "event: close" first).
//
// A keeper thread notices subscribers that went away (IHttpConnection::IsConnected) and ends
// their requests; it sends a ": keep-alive" comment every 15 s so that proxies keep the
// stream open. On GL_STOP_LISTENING (the server shutting down) every stream is ended, so the
// shutdown does not wait on them.
//
// Shows: DisableBuffering-free streaming with Flush; writing to a pending request from other
// threads; IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST) to end it; a global module in the
// same library as the request module.
//
// Try it (go run ./cmd/iishost serves all samples on 127.0.0.1:8080):
//   curl -N http://127.0.0.1:8080/events            # in one terminal
//   curl -d 'hello' http://127.0.0.1:8080/publish    # in another

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include "../sample.h"

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

namespace {

// Send writes text to a response and flushes it to the client now.
HRESULT Send(IHttpContext* ctx, const std::string& text) {
    HRESULT hr = sample::Write(ctx, text);
    DWORD sent = 0;
    return FAILED(hr) ? hr : ctx->GetResponse()->Flush(FALSE, TRUE, &sent);
}

// Hub holds the subscribers. Every write to a subscriber happens under its lock, so two
// publishers never write to one response at once.
class Hub {
public:
    // Subscribe sends the first comment and keeps ctx until its stream ends; false when the
    // client is gone already or the server is stopping.
    bool Subscribe(IHttpContext* ctx) {
        std::lock_guard<std::mutex> lock(mu_);
        if (stop_ || FAILED(Send(ctx, ": subscribed\n\n"))) {
            return false;
        }
        subscribers_.push_back(ctx);
        if (!keeper_.joinable()) {
            keeper_ = std::thread([this] { Keep(); });
        }
        return true;
    }

    // Publish sends one event to every subscriber and returns how many got it; the ones that
    // could not take it are ended.
    size_t Publish(const std::string& event, bool close) {
        std::lock_guard<std::mutex> lock(mu_);
        size_t delivered = 0;
        for (size_t i = 0; i < subscribers_.size();) {
            if (SUCCEEDED(Send(subscribers_[i], event))) {
                delivered++;
                if (!close) {
                    i++;
                    continue;
                }
            }
            EndLocked(i);
        }
        return delivered;
    }

    // Stop ends every stream and the keeper thread.
    void Stop() {
        {
            std::lock_guard<std::mutex> lock(mu_);
            while (!subscribers_.empty()) {
                Send(subscribers_.back(), "event: close\ndata: server stopping\n\n");
                EndLocked(subscribers_.size() - 1);
            }
            stop_ = true;  // for good: new subscribers are refused
            wake_.notify_one();
        }
        if (keeper_.joinable()) keeper_.join();
    }

private:
    void EndLocked(size_t i) {
        IHttpContext* ctx = subscribers_[i];
        subscribers_.erase(subscribers_.begin() + static_cast<long>(i));
        ctx->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);  // the request goes on to its end
    }

    void Keep() {
        std::unique_lock<std::mutex> lock(mu_);
        auto nextKeepAlive = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (!stop_) {
            wake_.wait_for(lock, std::chrono::milliseconds(100));
            bool keepAlive = std::chrono::steady_clock::now() >= nextKeepAlive;
            if (keepAlive) nextKeepAlive += std::chrono::seconds(15);
            for (size_t i = 0; i < subscribers_.size();) {
                IHttpContext* ctx = subscribers_[i];
                if (!ctx->GetConnection()->IsConnected() || (keepAlive && FAILED(Send(ctx, ": keep-alive\n\n")))) {
                    EndLocked(i);
                } else {
                    i++;
                }
            }
        }
    }

    std::mutex mu_;
    std::condition_variable wake_;
    std::vector<IHttpContext*> subscribers_;
    std::thread keeper_;
    bool stop_ = false;
};

// Event turns a message into SSE lines: one "data:" line per line of text.
std::string Event(const std::string& text) {
    std::string out;
    size_t start = 0;
    do {
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out += "data: " + line + "\n";
        start = end + 1;
    } while (start <= text.size());
    return out + "\n";
}

class SseModule : public CHttpModule {
public:
    explicit SseModule(Hub* hub) : hub_(hub) {}

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (sample::PathIs(ctx, L"/events")) {
            ctx->SetRequestHandled();
            IHttpResponse* resp = ctx->GetResponse();
            resp->SetHeader(HttpHeaderContentType, "text/event-stream", 17, TRUE);
            resp->SetHeader(HttpHeaderCacheControl, "no-cache", 8, TRUE);
            // Pending until the hub ends the stream.
            return hub_->Subscribe(ctx) ? RQ_NOTIFICATION_PENDING : RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (sample::PathIs(ctx, L"/publish")) {
            ctx->SetRequestHandled();
            std::string body;
            char buf[1024];
            DWORD got = 0;
            while (body.size() <= 4096 &&
                   SUCCEEDED(ctx->GetRequest()->ReadEntityBody(buf, sizeof buf, FALSE, &got, NULL)) && got > 0) {
                body.append(buf, got);
            }
            const char* query = strchr(ctx->GetRequest()->GetRawHttpRequest()->pRawUrl, '?');
            bool close = query && strcmp(query, "?close") == 0;
            size_t delivered = hub_->Publish(Event(body.substr(0, 4096)) + (close ? "event: close\ndata: bye\n\n" : ""), close);
            std::string answer = "delivered=" + std::to_string(delivered) + "\n";
            ctx->GetResponse()->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
            Send(ctx, answer);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    Hub* hub_;
};

// The factory owns the hub: one per server that loads the module.
class SseFactory final : public IHttpModuleFactory {
public:
    explicit SseFactory(Hub* hub) : hub_(hub) {}
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new (std::nothrow) SseModule(hub_);
        return *module ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override {
        hub_->Stop();  // done at GL_STOP_LISTENING already, unless the server never listened
        delete hub_;
        delete this;
    }

private:
    Hub* hub_;
};

// Ends the streams when the server stops listening, so that draining does not wait on them.
class StopListening final : public CGlobalModule {
public:
    explicit StopListening(Hub* hub) : hub_(hub) {}
    GLOBAL_NOTIFICATION_STATUS OnGlobalStopListening(IGlobalStopListeningProvider*) override {
        hub_->Stop();
        return GL_NOTIFICATION_CONTINUE;
    }
    void Terminate() override { delete this; }

private:
    Hub* hub_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    Hub* hub = new (std::nothrow) Hub();
    if (hub == NULL) return E_OUTOFMEMORY;
    SseFactory* factory = new (std::nothrow) SseFactory(hub);
    HRESULT hr = factory ? info->SetRequestNotifications(factory, RQ_EXECUTE_REQUEST_HANDLER, 0) : E_OUTOFMEMORY;
    if (FAILED(hr)) {
        delete factory;
        delete hub;
        return hr;
    }
    // From here the factory is the host's: its Terminate frees the hub, whatever happens next.
    return info->SetGlobalNotifications(new StopListening(hub), GL_STOP_LISTENING);
}
