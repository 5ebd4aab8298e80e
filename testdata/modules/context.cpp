// context.cpp - fixture: module contexts (IHttpStoredContext) and request memory.
//
// Contract (registers RQ_BEGIN_REQUEST and RQ_END_REQUEST):
// RQ_BEGIN_REQUEST, every request:
//   - allocates a stored context holding the request's query string (raw URL
//     text after '?', "" if none) and calls
//     GetModuleContextContainer()->SetModuleContext(ctx, id), id being
//     pModuleInfo->GetId() kept at registration (deleted again if that fails);
//   - AllocateRequestMemory(16), writes "arena-ok\0" into it and keeps the
//     pointer in the module object;
//   - for path /ctx-count only: answers 200 text/plain, body = the decimal
//     value of the cleanup counter (see below), and returns FINISH_REQUEST.
//   otherwise CONTINUE.
// RQ_END_REQUEST, every request:
//   - GetModuleContext(id): sets response header "X-Context: <stored value>"
//     ("X-Context: missing" if it returns NULL);
//   - sets response header "X-Arena" from the request memory of BEGIN, so the
//     client sees "X-Arena: arena-ok" (the host keeps request memory alive
//     until the request ends); "X-Arena: none" if the allocation failed.
// CleanupStoredContext deletes the context and increments a process-wide
// atomic counter (shared by every registration of this .so). The host calls
// it when it releases the request, which may be after the response reached
// the client, so a test should poll /ctx-count until it reaches the expected
// number of finished requests.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <atomic>
#include <new>
#include <utility>

#include "fixture.h"

namespace {

std::atomic<long> g_cleanups{0};

class QueryContext final : public IHttpStoredContext {
public:
    explicit QueryContext(std::string value) : value_(std::move(value)) {}
    void CleanupStoredContext() override {
        g_cleanups.fetch_add(1);
        delete this;
    }
    const std::string& value() const { return value_; }

private:
    std::string value_;
};

class ContextModule final : public CHttpModule {
public:
    explicit ContextModule(HTTP_MODULE_ID id) : id_(id) {}

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        QueryContext* stored = new (std::nothrow) QueryContext(fx::Query(ctx));
        if (stored != nullptr && FAILED(ctx->GetModuleContextContainer()->SetModuleContext(stored, id_))) {
            delete stored;
        }
        arena_ = static_cast<char*>(ctx->AllocateRequestMemory(16));
        if (arena_ != nullptr) std::memcpy(arena_, "arena-ok", 9);

        if (fx::AbsPath(ctx) != "/ctx-count") return RQ_NOTIFICATION_CONTINUE;
        fx::Reply(ctx, std::to_string(g_cleanups.load()));
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        IHttpResponse* resp = ctx->GetResponse();
        IHttpStoredContext* stored = ctx->GetModuleContextContainer()->GetModuleContext(id_);
        std::string value = stored ? static_cast<QueryContext*>(stored)->value() : std::string("missing");
        resp->SetHeader("X-Context", value.c_str(), static_cast<USHORT>(value.size()), TRUE);
        if (arena_ != nullptr) {
            resp->SetHeader("X-Arena", arena_, static_cast<USHORT>(std::strlen(arena_)), TRUE);
        } else {
            resp->SetHeader("X-Arena", "none", 4, TRUE);
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    HTTP_MODULE_ID id_;
    char* arena_ = nullptr;
};

class ContextFactory final : public IHttpModuleFactory {
public:
    explicit ContextFactory(HTTP_MODULE_ID id) : id_(id) {}
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) ContextModule(id_);
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }

private:
    HTTP_MODULE_ID id_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    ContextFactory* f = new (std::nothrow) ContextFactory(info->GetId());
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_END_REQUEST, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
