// byreference.cpp - fixture: a module that hands its response body to the host by reference
// (WriteEntityChunkByReference) from a buffer of its own, which it overwrites and frees when it
// is disposed. IIS keeps such a buffer in use until the request ends, so the client must get
// the body as it was written.
#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <string.h>

namespace {

const char kBody[] = "the module's own buffer";

class ByReferenceModule final : public CHttpModule {
public:
    ~ByReferenceModule()
    {
        if (buffer_) {
            memset(buffer_, 'X', sizeof kBody - 1);
            delete[] buffer_;
        }
    }

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        buffer_ = new char[sizeof kBody - 1];
        memcpy(buffer_, kBody, sizeof kBody - 1);
        HTTP_DATA_CHUNK chunk;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = buffer_;
        chunk.FromMemory.BufferLength = sizeof kBody - 1;
        IHttpResponse *response = ctx->GetResponse();
        response->SetHeader(HttpHeaderContentType, "text/plain", 10, TRUE);
        if (FAILED(response->WriteEntityChunkByReference(&chunk))) {
            response->SetStatus(500, "Internal Server Error");
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    char *buffer_ = nullptr;
};

class ByReferenceFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new ByReferenceModule();
        return S_OK;
    }
    void Terminate() override { delete this; }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new ByReferenceFactory(), RQ_BEGIN_REQUEST, 0);
}
