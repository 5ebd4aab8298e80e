// body.cpp - fixture: reading, inserting and limiting the request body.
//
// Contract (RQ_BEGIN_REQUEST):
//   /insert    -> InsertEntityBody("INSERTED:") (9 bytes of request memory) and CONTINUE, so the
//                 handler after it (the test's Go fallback) reads the inserted bytes first.
//   /mixed     -> reads 5 bytes of the client's body, inserts "XY", then prints
//                 "remaining=<GetRemainingEntityBytes> body=<first 5><everything read after>" and
//                 FINISH. Reads are 4 bytes at a time after the insert.
//   /read      -> reads the whole body in 64-byte reads and prints "read=<n> hr=<last HRESULT>"
//                 (the HRESULT that ended the loop) and FINISH, status left as the host set it.
//   anything else -> CONTINUE.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstring>
#include <string>

#include "fixture.h"

namespace {

class BodyModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        IHttpRequest *req = ctx->GetRequest();
        std::string path = fx::AbsPath(ctx);
        if (path == "/insert") {
            void *mem = ctx->AllocateRequestMemory(9);
            std::memcpy(mem, "INSERTED:", 9);
            req->InsertEntityBody(mem, 9);
            return RQ_NOTIFICATION_CONTINUE;
        }
        if (path == "/mixed") {
            char first[5];
            DWORD n = 0;
            req->ReadEntityBody(first, sizeof(first), FALSE, &n);
            void *mem = ctx->AllocateRequestMemory(2);
            std::memcpy(mem, "XY", 2);
            req->InsertEntityBody(mem, 2);
            std::string out = "remaining=" + std::to_string(req->GetRemainingEntityBytes()) + " body=" + std::string(first, n);
            char buf[4];
            while (SUCCEEDED(req->ReadEntityBody(buf, sizeof(buf), FALSE, &n)) && n > 0) {
                out.append(buf, n);
            }
            fx::Write(ctx, out);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (path == "/read") {
            char buf[64];
            DWORD n = 0, total = 0;
            HRESULT hr;
            while (SUCCEEDED(hr = req->ReadEntityBody(buf, sizeof(buf), FALSE, &n)) && n > 0) {
                total += n;
            }
            fx::Write(ctx, "read=" + std::to_string(total) + " hr=" + fx::Hex(hr));
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        return RQ_NOTIFICATION_CONTINUE;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    return info->SetRequestNotifications(new fx::Factory<BodyModule>(), RQ_BEGIN_REQUEST, 0);
}
