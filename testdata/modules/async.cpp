// async.cpp - fixture: RQ_NOTIFICATION_PENDING completed from the module's own threads.
//
// Contract (RQ_BEGIN_REQUEST, path /async, query mode=<m>):
//   post     -> a new thread calls PostCompletion(7); the module returns PENDING. OnAsyncCompletion
//               then writes "completed bytes=<n> status=<hr> notification=<0x..> post=<0|1>" and
//               returns FINISH.
//   indicate -> a new thread writes "indicated" and calls IndicateCompletion(FINISH); the module
//               returns PENDING. OnAsyncCompletion must not run (it would add header X-Reentered).
//   early    -> PostCompletion(3) is called before the notification returns PENDING.
//   twice    -> the first OnAsyncCompletion goes PENDING again with another thread's
//               PostCompletion; the second writes "rounds=2" and FINISHes.
//   continue -> a thread PostCompletion(0); OnAsyncCompletion returns CONTINUE (later stages run;
//               the body stays empty, so the request falls through to the fallback handler).
//   batch    -> (query also has id=<n>&size=<k>) the request waits until k requests are pending,
//               then one thread completes all k in a random order; each writes "id=<n>".
//   pool     -> like post, but one long-lived worker thread completes requests from a queue (what
//               a real module does; used to measure the host's async path without thread start-up).
//   hold     -> the request stays pending until a "release" request; then writes "held".
//   count    -> answers at once with the number of held requests.
//   release  -> a thread completes every held request; answers "released=<n>". With from=here
//               the release request's own notification completes them (PostCompletion from a
//               thread running another request's pipeline).
// Terminate waits for every thread it started.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "fixture.h"

#ifdef __linux__
#include <pthread.h>
#endif

namespace {

std::mutex g_batchLock;
std::vector<IHttpContext *> g_batch;
std::vector<IHttpContext *> g_held;

// The worker of mode=pool: one thread draining a queue of contexts to complete.
std::mutex g_poolLock;
std::condition_variable g_poolWake;
std::vector<IHttpContext *> g_poolQueue;
std::thread g_poolThread;
bool g_poolStop = false;

void PoolSubmit(IHttpContext *ctx)
{
    std::unique_lock<std::mutex> lock(g_poolLock);
    if (!g_poolThread.joinable()) {
        g_poolThread = std::thread([] {
#ifdef __linux__
            // Named so that scripts/benchpending can tell the module's own thread's cost from
            // the host's; once per thread, nothing per request.
            pthread_setname_np(pthread_self(), "async-pool");
#endif
            std::unique_lock<std::mutex> lock(g_poolLock);
            for (;;) {
                g_poolWake.wait(lock, [] { return g_poolStop || !g_poolQueue.empty(); });
                if (g_poolQueue.empty()) {
                    return;
                }
                std::vector<IHttpContext *> batch;
                batch.swap(g_poolQueue);
                lock.unlock();
                for (IHttpContext *c : batch) {
                    c->PostCompletion(0);
                }
                lock.lock();
            }
        });
    }
    g_poolQueue.push_back(ctx);
    bool wasIdle = g_poolQueue.size() == 1; // else the worker has not taken the last one yet
    lock.unlock(); // so the worker, once woken, does not wait for the lock
    if (wasIdle) {
        g_poolWake.notify_one();
    }
}

class AsyncModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) != "/async") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        std::string query = fx::Query(ctx);
        mode_ = fx::QueryParam(query, "mode");
        if (mode_ == "pool") {
            PoolSubmit(ctx);
        } else if (mode_ == "post" || mode_ == "twice" || mode_ == "continue") {
            DWORD bytes = mode_ == "post" ? 7 : 0;
            fx::Run([ctx, bytes] { ctx->PostCompletion(bytes); });
        } else if (mode_ == "indicate") {
            fx::Run([ctx] {
                fx::Write(ctx, "indicated");
                ctx->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
            });
        } else if (mode_ == "early") {
            ctx->PostCompletion(3);
        } else if (mode_ == "batch") {
            id_ = fx::QueryParam(query, "id");
            size_t size = static_cast<size_t>(std::stoul(fx::QueryParam(query, "size")));
            std::lock_guard<std::mutex> guard(g_batchLock);
            g_batch.push_back(ctx);
            if (g_batch.size() == size) {
                std::vector<IHttpContext *> all;
                all.swap(g_batch);
                fx::Run([all]() mutable {
                    std::shuffle(all.begin(), all.end(), std::mt19937(std::random_device{}()));
                    for (IHttpContext *c : all) {
                        c->PostCompletion(0);
                    }
                });
            }
        } else if (mode_ == "hold") {
            std::lock_guard<std::mutex> guard(g_batchLock);
            g_held.push_back(ctx);
        } else if (mode_ == "count" || mode_ == "release") {
            std::vector<IHttpContext *> held;
            {
                std::lock_guard<std::mutex> guard(g_batchLock);
                if (mode_ == "release") {
                    held.swap(g_held);
                } else {
                    held = g_held;
                }
            }
            if (mode_ == "release" && fx::QueryParam(query, "from") == "here") {
                for (IHttpContext *c : held) {
                    c->PostCompletion(0);
                }
            } else if (mode_ == "release") {
                fx::Run([held] {
                    for (IHttpContext *c : held) {
                        c->PostCompletion(0);
                    }
                });
            }
            fx::Write(ctx, (mode_ == "release" ? "released=" : "") + std::to_string(held.size()));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_PENDING;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *ctx, DWORD notification, BOOL post, IHttpEventProvider *,
                                                  IHttpCompletionInfo *info) override
    {
        if (mode_ == "indicate") {
            ctx->GetResponse()->SetHeader("X-Reentered", "1", 1, TRUE);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (mode_ == "twice" && ++rounds_ == 1) {
            fx::Run([ctx] { ctx->PostCompletion(0); });
            return RQ_NOTIFICATION_PENDING;
        }
        if (mode_ == "twice") {
            fx::Write(ctx, "rounds=" + std::to_string(rounds_));
        } else if (mode_ == "continue") {
            return RQ_NOTIFICATION_CONTINUE;
        } else if (mode_ == "batch") {
            fx::Write(ctx, "id=" + id_);
        } else if (mode_ == "hold") {
            fx::Write(ctx, "held");
        } else if (mode_ == "pool") {
            fx::Write(ctx, "pooled");
        } else {
            char hex[16];
            std::snprintf(hex, sizeof(hex), "0x%X", static_cast<unsigned>(notification));
            fx::Write(ctx, "completed bytes=" + std::to_string(info->GetCompletionBytes()) + " status=" +
                               fx::Hex(info->GetCompletionStatus()) + " notification=" + hex + " post=" + std::to_string(post));
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    std::string mode_, id_;
    int rounds_ = 0;
};

class Factory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new AsyncModule();
        return S_OK;
    }
    void Terminate() override
    {
        {
            std::lock_guard<std::mutex> guard(g_poolLock);
            g_poolStop = true;
            g_poolWake.notify_one();
        }
        if (g_poolThread.joinable()) {
            g_poolThread.join();
        }
        {
            // The library stays loaded and may be registered again (tests do): start clean.
            std::lock_guard<std::mutex> guard(g_poolLock);
            g_poolStop = false;
        }
        fx::AwaitThreads();
        delete this;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new Factory(), RQ_BEGIN_REQUEST, 0);
}
