// module.cpp - answers every request with ModuleAnswer(), which the test that builds this module
// defines in a source of its own, from whatever build settings it checks.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <cstring>

extern "C" const char* ModuleAnswer(void);

namespace {

class AnswerModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        const char* answer = ModuleAnswer();
        HTTP_DATA_CHUNK chunk;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = const_cast<char*>(answer);
        chunk.FromMemory.BufferLength = static_cast<ULONG>(strlen(answer));
        DWORD sent = 0;
        ctx->GetResponse()->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class AnswerFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new AnswerModule;
        return S_OK;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new AnswerFactory, RQ_BEGIN_REQUEST, 0);
}
