// connscope.cpp - fixture: connection scope (IHttpConnection::GetModuleContextContainer,
// IHttpConnectionStoredContext, IHttpConnection::AllocateMemory).
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER; answers 200 text/plain and finishes):
//   /events   body: the process-wide event lines so far, each + "\n", and clears them.
//   /reset    ResetConnection(), then appends the event "after reset container=<null|set>"
//             from GetConnection()->GetModuleContextContainer().
//   other     with GetConnection()->GetModuleContextContainer():
//             NULL -> body "no container";
//             else GetConnectionModuleContext(id) or, the first time on this connection, a new
//             numbered connection context set with SetConnectionModuleContext (its number is a
//             process-wide count, starting at 1), holding 16 bytes from
//             GetConnection()->AllocateMemory(16) filled with "conn-mem"; a plain
//             IHttpStoredContext is also set with SetModuleContext the first time.
//             Body "conn=<number> requests=<requests on it> mem=<the 16 bytes as a string>
//             plain=<1 if GetModuleContext(id) finds the plain one, else 0>".
// Events: NotifyDisconnect appends "disconnect <number>", the connection context's
// CleanupStoredContext "cleanup <number>", the plain one's "cleanup plain <number>".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "fixture.h"

namespace {

std::mutex g_lock;
std::vector<std::string> g_events;
std::atomic<int> g_connections{0};

void Event(const std::string& e) {
    std::lock_guard<std::mutex> guard(g_lock);
    g_events.push_back(e);
}

class ConnContext final : public IHttpConnectionStoredContext {
public:
    ConnContext(int number, char* memory) : number(number), memory(memory) {}
    void NotifyDisconnect() override { Event("disconnect " + std::to_string(number)); }
    void CleanupStoredContext() override {
        Event("cleanup " + std::to_string(number));
        delete this;
    }
    const int number;
    char* const memory;
    std::atomic<int> requests{0};
};

class PlainContext final : public IHttpStoredContext {
public:
    explicit PlainContext(int number) : number_(number) {}
    void CleanupStoredContext() override {
        Event("cleanup plain " + std::to_string(number_));
        delete this;
    }

private:
    int number_;
};

class ConnModule final : public CHttpModule {
public:
    explicit ConnModule(HTTP_MODULE_ID id) : id_(id) {}
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (fx::AbsPath(ctx) == "/events") {
            std::string body;
            std::lock_guard<std::mutex> guard(g_lock);
            for (const std::string& e : g_events) body += e + "\n";
            g_events.clear();
            fx::Reply(ctx, body);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (fx::AbsPath(ctx) == "/reset") {
            ctx->GetResponse()->ResetConnection();
            Event(std::string("after reset container=") + (ctx->GetConnection()->GetModuleContextContainer() ? "set" : "null"));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        IHttpConnectionModuleContextContainer* c = ctx->GetConnection()->GetModuleContextContainer();
        if (c == nullptr) {
            fx::Reply(ctx, "no container");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        auto* conn = static_cast<ConnContext*>(c->GetConnectionModuleContext(id_));
        if (conn == nullptr) {
            char* mem = static_cast<char*>(ctx->GetConnection()->AllocateMemory(16));
            if (mem != nullptr) std::memcpy(mem, "conn-mem", 9);
            conn = new ConnContext(++g_connections, mem);
            if (FAILED(c->SetConnectionModuleContext(conn, id_))) {
                delete conn;
                fx::Reply(ctx, "set failed");
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            auto* plain = new PlainContext(conn->number);
            if (FAILED(c->SetModuleContext(plain, id_))) delete plain;
        }
        int requests = ++conn->requests;
        fx::Reply(ctx, "conn=" + std::to_string(conn->number) + " requests=" + std::to_string(requests) +
                           " mem=" + (conn->memory ? std::string(conn->memory) : "null") +
                           " plain=" + (c->GetModuleContext(id_) ? "1" : "0"));
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    HTTP_MODULE_ID id_;
};

class ConnFactory final : public IHttpModuleFactory {
public:
    explicit ConnFactory(HTTP_MODULE_ID id) : id_(id) {}
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new ConnModule(id_);
        return S_OK;
    }
    void Terminate() override { delete this; }

private:
    HTTP_MODULE_ID id_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    auto* f = new ConnFactory(info->GetId());
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
