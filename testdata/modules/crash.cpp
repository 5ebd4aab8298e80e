// crash.cpp - fixture: a module that ends its process, for the command's workers.
//
// Contract (200 text/plain, FINISH_REQUEST, unless it crashes):
//   /segv?at=N  -> dereferences NULL in notification N
//   /abort?at=N -> calls abort() in notification N
//   /exit?at=N  -> calls exit(3) in notification N
//   /fpe?at=N, /trap?at=N, /overflow?at=N, /double-free?at=N -> divides by zero, executes a trap
//                  instruction, recurses until the stack ends, frees a block twice
//     N is BeginRequest, AuthenticateRequest, ExecuteRequestHandler (the default) or
//     SendResponse. With
//     &unless=P the process with id P does not crash: it writes "spared".
//   /thread-segv -> a thread of the module's own dereferences NULL; the request writes "started"
//   /thread-abort -> a thread of the module's own calls abort(); the request writes "started"
//   /thread-throw -> a thread of the module's own throws an exception nothing catches
//   /pid        -> writes the process id (which worker answered)
//   /recycle    -> IHttpServer::RecycleProcess(L"asked by a test"), then writes the process id
//   /leak?mb=M  -> allocates and touches M MiB (at most 1024) it never frees, writes the process id
//   /wait?ms=M  -> writes the process id and a newline, flushes, sleeps M milliseconds (at most
//                  10000), then writes "done"
// Other paths CONTINUE.
// IISHOST_TEST_CRASH=RegisterModule dereferences NULL in RegisterModule; =ApplicationStart in
// GL_APPLICATION_START; =ApplicationStop in GL_APPLICATION_STOP. =HangRegister sleeps a minute in
// RegisterModule.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "fixture.h"

namespace {

IHttpServer* g_server = nullptr;

volatile int* g_null = nullptr; // volatile: the compiler may not drop the store
volatile int g_zero = 0;
volatile int g_seven = 7; // a numerator the compiler cannot know: 1 / x compiles to no division
volatile int g_never = -1; // a depth Recurse never reaches, so the recursion is not provably endless

__attribute__((noinline)) int Recurse(int depth) {
    volatile char frame[1024];
    frame[0] = static_cast<char>(depth);
    if (depth == g_never) {
        return 0;
    }
    return Recurse(depth + 1) + frame[0];
}

// CrashIf ends the process when the request asks for it in notification `here`.
void CrashIf(IHttpContext* ctx, const char* here) {
    std::string at = fx::QueryParam(fx::Query(ctx), "at");
    if (at.empty()) {
        at = "ExecuteRequestHandler";
    }
    if (at != here) {
        return;
    }
    std::string path = fx::AbsPath(ctx);
    if (fx::QueryParam(fx::Query(ctx), "unless") == std::to_string(getpid())) {
        return; // ExecuteRequestHandler answers "spared"
    }
    if (path == "/segv") {
        *g_null = 1;
    } else if (path == "/abort") {
        abort();
    } else if (path == "/exit") {
        exit(3);
    } else if (path == "/fpe") {
        g_zero = g_seven / g_zero;
    } else if (path == "/trap") {
        __builtin_trap();
    } else if (path == "/overflow") {
        g_zero = Recurse(0);
    } else if (path == "/double-free") {
        void* volatile block = malloc(64);
        free(block);
        free(block);
    }
}

class CrashModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        CrashIf(ctx, "BeginRequest");
        return RQ_NOTIFICATION_CONTINUE;
    }
    REQUEST_NOTIFICATION_STATUS OnAuthenticateRequest(IHttpContext* ctx, IAuthenticationProvider*) override {
        CrashIf(ctx, "AuthenticateRequest");
        return RQ_NOTIFICATION_CONTINUE;
    }
    REQUEST_NOTIFICATION_STATUS OnSendResponse(IHttpContext* ctx, ISendResponseProvider*) override {
        CrashIf(ctx, "SendResponse");
        return RQ_NOTIFICATION_CONTINUE;
    }
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        CrashIf(ctx, "ExecuteRequestHandler");
        std::string path = fx::AbsPath(ctx);
        if (path == "/wait") {
            fx::Reply(ctx, std::to_string(getpid()) + "\n");
            DWORD sent = 0;
            ctx->GetResponse()->Flush(FALSE, TRUE, &sent, nullptr);
            long ms = atol(fx::QueryParam(fx::Query(ctx), "ms").c_str());
            std::this_thread::sleep_for(std::chrono::milliseconds(ms < 0 ? 0 : ms > 10000 ? 10000 : ms));
            fx::Write(ctx, "done");
        } else if (path == "/thread-segv") {
            std::thread([] { *g_null = 1; }).detach();
            fx::Reply(ctx, "started");
        } else if (path == "/thread-abort") {
            std::thread([] { abort(); }).detach();
            fx::Reply(ctx, "started");
        } else if (path == "/thread-throw") {
            std::thread([] { throw std::runtime_error("nobody catches this"); }).detach();
            fx::Reply(ctx, "started");
        } else if (path == "/pid") {
            fx::Reply(ctx, std::to_string(getpid()));
        } else if (path == "/leak") {
            long mb = atol(fx::QueryParam(fx::Query(ctx), "mb").c_str());
            size_t bytes = size_t(mb < 0 ? 0 : mb > 1024 ? 1024 : mb) << 20;
            char* leaked = static_cast<char*>(malloc(bytes));
            if (leaked != nullptr) memset(leaked, 1, bytes);  // resident, not just reserved
            fx::Reply(ctx, std::to_string(getpid()));
        } else if (path == "/recycle") {
            g_server->RecycleProcess(L"asked by a test");
            fx::Reply(ctx, std::to_string(getpid()));
        } else if (path == "/segv" || path == "/abort" || path == "/exit") {
            fx::Reply(ctx, "spared");
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class CrashGlobal final : public CGlobalModule {
public:
    GLOBAL_NOTIFICATION_STATUS OnGlobalApplicationStart(IHttpApplicationStartProvider*) override {
        *g_null = 1;
        return GL_NOTIFICATION_CONTINUE;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalApplicationStop(IHttpApplicationStopProvider*) override {
        *g_null = 1;
        return GL_NOTIFICATION_CONTINUE;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    g_server = server;
    const char* at = getenv("IISHOST_TEST_CRASH");
    std::string crash = at ? at : "";
    if (crash == "RegisterModule") {
        *g_null = 1;
    }
    if (crash == "HangRegister") {
        std::this_thread::sleep_for(std::chrono::minutes(1));
    }
    if (crash == "ApplicationStart" || crash == "ApplicationStop") {
        HRESULT hr = info->SetGlobalNotifications(new CrashGlobal(),
                                                  crash == "ApplicationStart" ? GL_APPLICATION_START : GL_APPLICATION_STOP);
        if (FAILED(hr)) return hr;
    }
    return info->SetRequestNotifications(new fx::Factory<CrashModule>(),
                                         RQ_BEGIN_REQUEST | RQ_AUTHENTICATE_REQUEST | RQ_EXECUTE_REQUEST_HANDLER | RQ_SEND_RESPONSE, 0);
}
