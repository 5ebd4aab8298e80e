// badargs.cpp - fixture: calls API methods with bad arguments.
//
// Contract: for every request, at RQ_EXECUTE_REQUEST_HANDLER, it makes the
// calls below in this order and answers 200, Content-Type text/plain, one line
// per call "name=value\n" (HRESULTs as 0x%08X, pointers as null/nonnull),
// then FINISH_REQUEST. It also sets response header "X-Badargs: done" just
// before writing, to show the response still works. Expected host results:
//   resp.SetHeader.nullname     SetHeader((PCSTR)NULL, "v")           0x80070057 E_INVALIDARG
//   resp.SetHeader.crlfvalue    SetHeader("X-Bad", "a\r\nb")          0x80070057
//   resp.SetHeader.lfname       SetHeader("X\nBad", "v")              0x80070057
//   req.SetHeader.nullname      request SetHeader((PCSTR)NULL, "v")   0x80070057
//   GetServerVariable.nullvalue GetServerVariable("REQUEST_METHOD", (PCSTR*)NULL, &len)  0x80070057
//   GetServerVariable.nullname  GetServerVariable(NULL, &v, &len)     0x80070057
//   GetServerVariable.unknown   GetServerVariable("NO_SUCH_VAR_XYZ")  0x80070585 ERROR_INVALID_INDEX
//   WriteEntityChunks.null      WriteEntityChunks(NULL, 1, ...)       0x80070057
//   WriteEntityChunks.badtype   one chunk with DataChunkType 99       0x80070057 (E_INVALIDARG and
//                               HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER) are the same value)
//   AllocateRequestMemory.zero  AllocateRequestMemory(0)              null or nonnull (either is fine)
//   resp.SetStatus.zero         SetStatus(0, "x")                     0x80070057
//   resp.GetHeader.nullname     GetHeader((PCSTR)NULL, &len)          null
//   req.GetHeader.missing       GetHeader("X-Not-There", &len)        null
//   req.GetHeader.missing.len   len after that call (preset 0xFFFF)  0
//   ReadEntityBody.nullbuf      ReadEntityBody(NULL, 10, FALSE, &n)   0x80070057
//   SetUrl.nullw                SetUrl((PCWSTR)NULL, 0, FALSE)        0x80070057
//   SetUrl.nulla                SetUrl((PCSTR)NULL, 0, FALSE)         0x80070057
//   SetModuleContext.null       container->SetModuleContext(NULL, id) 0x80070057
//   SetServerVariable.nullname  SetServerVariable(NULL, L"x")         0x80070057
//   Redirect.null               Redirect(NULL, TRUE, FALSE)           0x80070057
//   req.GetHeader.badid         GetHeader((HTTP_HEADER_ID)9999, &len) null
//   resp.SetHeader.badid        SetHeader((HTTP_HEADER_ID)9999, "v")  0x80070057
// None of the failed calls may change the request or response: the status
// stays 200 and the body is exactly those lines.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <new>

#include "fixture.h"

namespace {

// BadId makes an out-of-range header id at run time, so the compiler cannot
// reason about (or warn on) the invalid enumerator.
HTTP_HEADER_ID BadId() {
    volatile int v = 9999;
    return static_cast<HTTP_HEADER_ID>(v);
}

class BadArgsModule final : public CHttpModule {
public:
    explicit BadArgsModule(HTTP_MODULE_ID id) : id_(id) {}

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        IHttpRequest* req = ctx->GetRequest();
        IHttpResponse* resp = ctx->GetResponse();
        std::string out;
        auto hr = [&out](const char* name, HRESULT h) { out += name; out += '='; out += fx::Hex(h); out += '\n'; };
        auto ptr = [&out](const char* name, const void* p) { out += name; out += p ? "=nonnull\n" : "=null\n"; };

        hr("resp.SetHeader.nullname", resp->SetHeader(static_cast<PCSTR>(nullptr), "v", 1, TRUE));
        hr("resp.SetHeader.crlfvalue", resp->SetHeader("X-Bad", "a\r\nb", 4, TRUE));
        hr("resp.SetHeader.lfname", resp->SetHeader("X\nBad", "v", 1, TRUE));
        hr("req.SetHeader.nullname", req->SetHeader(static_cast<PCSTR>(nullptr), "v", 1, TRUE));

        DWORD len = 0;
        PCSTR value = nullptr;
        hr("GetServerVariable.nullvalue", ctx->GetServerVariable("REQUEST_METHOD", static_cast<PCSTR*>(nullptr), &len));
        hr("GetServerVariable.nullname", ctx->GetServerVariable(nullptr, &value, &len));
        hr("GetServerVariable.unknown", ctx->GetServerVariable("NO_SUCH_VAR_XYZ", &value, &len));

        DWORD sent = 0;
        hr("WriteEntityChunks.null", resp->WriteEntityChunks(nullptr, 1, FALSE, FALSE, &sent, nullptr));
        static char junk[] = "junk";
        HTTP_DATA_CHUNK chunk;
        std::memset(&chunk, 0, sizeof chunk);
        volatile int badType = 99;
        chunk.DataChunkType = static_cast<HTTP_DATA_CHUNK_TYPE>(badType);
        chunk.FromMemory.pBuffer = junk;
        chunk.FromMemory.BufferLength = 4;
        hr("WriteEntityChunks.badtype", resp->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &sent, nullptr));

        ptr("AllocateRequestMemory.zero", ctx->AllocateRequestMemory(0));
        hr("resp.SetStatus.zero", resp->SetStatus(0, "x"));

        USHORT hlen = 0;
        ptr("resp.GetHeader.nullname", resp->GetHeader(static_cast<PCSTR>(nullptr), &hlen));
        hlen = 0xFFFF;
        ptr("req.GetHeader.missing", req->GetHeader("X-Not-There", &hlen));
        out += "req.GetHeader.missing.len=" + std::to_string(hlen) + "\n";

        DWORD got = 0;
        hr("ReadEntityBody.nullbuf", req->ReadEntityBody(nullptr, 10, FALSE, &got, nullptr));
        hr("SetUrl.nullw", req->SetUrl(static_cast<PCWSTR>(nullptr), 0, FALSE));
        hr("SetUrl.nulla", req->SetUrl(static_cast<PCSTR>(nullptr), 0, FALSE));
        hr("SetModuleContext.null", ctx->GetModuleContextContainer()->SetModuleContext(nullptr, id_));
        hr("SetServerVariable.nullname", ctx->SetServerVariable(nullptr, L"x"));
        hr("Redirect.null", resp->Redirect(nullptr, TRUE, FALSE));
        hlen = 0;
        ptr("req.GetHeader.badid", req->GetHeader(BadId(), &hlen));
        hr("resp.SetHeader.badid", resp->SetHeader(BadId(), "v", 1, TRUE));

        resp->SetHeader("X-Badargs", "done", 4, TRUE);
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    HTTP_MODULE_ID id_;
};

class BadArgsFactory final : public IHttpModuleFactory {
public:
    explicit BadArgsFactory(HTTP_MODULE_ID id) : id_(id) {}
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) BadArgsModule(id_);
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }

private:
    HTTP_MODULE_ID id_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    BadArgsFactory* f = new (std::nothrow) BadArgsFactory(info->GetId());
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
