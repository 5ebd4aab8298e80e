// slow.cpp - fixture: a notification that runs long, for the watchdog.
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER; 200 text/plain, FINISH_REQUEST):
//   /slow/wait    -> blocks inside the notification until a /slow/release (at most 30 s), then
//                    writes "released" (or "timeout").
//   /slow/release -> lets every blocked /slow/wait return; writes "ok".
// Other paths CONTINUE.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "fixture.h"

namespace {

std::mutex g_lock;
std::condition_variable g_wake;
unsigned g_releases = 0; // guarded by g_lock

class SlowModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx);
        if (path == "/slow/wait") {
            std::unique_lock<std::mutex> lock(g_lock);
            unsigned seen = g_releases;
            bool released = g_wake.wait_for(lock, std::chrono::seconds(30), [seen] { return g_releases != seen; });
            lock.unlock();
            fx::Reply(ctx, released ? "released" : "timeout");
        } else if (path == "/slow/release") {
            {
                std::lock_guard<std::mutex> guard(g_lock);
                g_releases++;
            }
            g_wake.notify_all();
            fx::Reply(ctx, "ok");
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new fx::Factory<SlowModule>(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
