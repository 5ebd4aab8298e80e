// reqmemory.cpp - fixture: request memory is the module's own (zeroed) and capped.
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER, paths under /mem/; 200 text/plain, FINISH_REQUEST):
//   /mem/secret -> writes back the X-Secret header and the query, so that both fill request
//                  memory; body "<header>|<query>".
//   /mem/zero   -> AllocateRequestMemory of 16, 1000, 3000 and 100000 bytes; one line each,
//                  "<size>=zero", "<size>=dirty" (a byte is not 0) or "<size>=null"; then
//                  "allocator=<zero|dirty|null>" for 64 bytes the factory took from the
//                  IModuleAllocator GetHttpModule received.
//   /mem/huge   -> AllocateRequestMemory(0xFFFFFFFF); body "huge=null" or "huge=nonnull".
//   /mem/fill?chunk=<n> -> AllocateRequestMemory(n) until it returns NULL (at most 65536
//                  times); body "total=<bytes allocated>".
// Bodies are written from the module's own memory, so they go out even when request memory is
// refused.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <new>

#include "fixture.h"

namespace {

const char* Probe(const void* p, DWORD size) {
    if (p == nullptr) return "null";
    const unsigned char* b = static_cast<const unsigned char*>(p);
    for (DWORD i = 0; i < size; i++) {
        if (b[i] != 0) return "dirty";
    }
    return "zero";
}

class MemoryModule final : public CHttpModule {
public:
    explicit MemoryModule(const char* allocator) : allocator_(allocator) {}

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx);
        if (path == "/mem/secret") {
            out_ = fx::Header(ctx, "X-Secret") + "|" + fx::Query(ctx);
        } else if (path == "/mem/zero") {
            for (DWORD size : {16u, 1000u, 3000u, 100000u}) {
                out_ += std::to_string(size) + "=" + Probe(ctx->AllocateRequestMemory(size), size) + "\n";
            }
            out_ += std::string("allocator=") + allocator_ + "\n";
        } else if (path == "/mem/huge") {
            out_ = ctx->AllocateRequestMemory(0xFFFFFFFF) ? "huge=nonnull" : "huge=null";
        } else if (path == "/mem/fill") {
            DWORD chunk = static_cast<DWORD>(std::strtoul(fx::QueryParam(fx::Query(ctx), "chunk").c_str(), nullptr, 10));
            unsigned long long total = 0;
            for (int i = 0; i < 65536 && ctx->AllocateRequestMemory(chunk); i++) total += chunk;
            out_ = "total=" + std::to_string(total);
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpResponse* resp = ctx->GetResponse();
        resp->SetStatus(200, "OK");
        resp->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        HTTP_DATA_CHUNK chunk;
        std::memset(&chunk, 0, sizeof chunk);
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = &out_[0];
        chunk.FromMemory.BufferLength = static_cast<ULONG>(out_.size());
        DWORD sent = 0;
        resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent, nullptr); // copied: out_ may go
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    const char* allocator_;
    std::string out_;
};

class MemoryFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator* allocator) override {
        const char* probe = allocator ? Probe(allocator->AllocateMemory(64), 64) : "null";
        *module = new (std::nothrow) MemoryModule(probe);
        return *module ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    MemoryFactory* f = new (std::nothrow) MemoryFactory();
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
