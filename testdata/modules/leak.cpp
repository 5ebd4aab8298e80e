// leak.cpp - fixture for the sanitizer run: a module that leaks, which LeakSanitizer must report.
//
// Contract (RQ_BEGIN_REQUEST only): GET /leak allocates 1234 bytes and drops the pointer; every
// path answers "ok".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>

#include "fixture.h"

namespace {

// noinline: the pointer dies with this frame, so no register or live stack slot still holds it.
__attribute__((noinline)) void Leak() {
    void* volatile p = std::malloc(1234);
    (void)p;
}

class LeakModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        if (fx::AbsPath(ctx) == "/leak") Leak();
        fx::Reply(ctx, "ok");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new fx::Factory<LeakModule>(), RQ_BEGIN_REQUEST, 0);
}
