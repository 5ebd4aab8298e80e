// connection.cpp - fixture: connection and framing controls on IHttpResponse.
//
// Contract (RQ_BEGIN_REQUEST, then FINISH):
//   /disconnect -> SetNeedDisconnect(); body "bye" (the connection closes after the response).
//   /reset      -> writes "lost", ResetConnection() (the client sees a reset, no response).
//   /reset-pending -> ResetConnection(), then PENDING; a thread completes it 50 ms later and
//                  OnAsyncCompletion appends "completed" to the file in IISHOST_CONNECTION_LOG;
//                  Terminate appends "terminate" there.
//   /suppress   -> SuppressHeaders(); body is a complete raw HTTP/1.1 response written by the module:
//                  status 203, header X-Raw: 1, body "raw body"; then the connection closes.
//                  Also sets response header X-Dropped, which must not reach the client.
//   /unbuffered -> DisableBuffering(); writes "a" then "b" (each goes out at once, so the
//                  response has no Content-Length).
//   /trailers   -> (IHttpResponse4 through HttpGetExtendedInterface) SetTrailer("X-Checksum", "abc"), SetTrailer("X-Gone", "1") then DeleteTrailer("X-Gone");
//                  body "data;get=<GetTrailer(X-Checksum)>;suppressed=<GetHeadersSuppressed>;kernel=<GetKernelCacheEnabled>".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "fixture.h"

namespace {

IHttpServer *g_server = nullptr;

void AppendLog(const char *line)
{
    if (const char *path = std::getenv("IISHOST_CONNECTION_LOG")) {
        if (FILE *f = std::fopen(path, "a")) {
            std::fprintf(f, "%s\n", line);
            std::fclose(f);
        }
    }
}

class ConnectionModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *, DWORD, BOOL, IHttpEventProvider *, IHttpCompletionInfo *) override
    {
        AppendLog("completed");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        IHttpResponse *resp = ctx->GetResponse();
        std::string path = fx::AbsPath(ctx);
        if (path == "/disconnect") {
            resp->SetNeedDisconnect();
            fx::Write(ctx, "bye");
        } else if (path == "/reset-pending") {
            resp->ResetConnection();
            std::thread([ctx] {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                ctx->PostCompletion(0);
            }).detach();
            return RQ_NOTIFICATION_PENDING;
        } else if (path == "/reset") {
            fx::Write(ctx, "lost");
            resp->ResetConnection();
        } else if (path == "/suppress") {
            resp->SetHeader("X-Dropped", "1", 1, TRUE);
            resp->SuppressHeaders();
            fx::Write(ctx, "HTTP/1.1 203 Non-Authoritative Information\r\nX-Raw: 1\r\n\r\nraw body");
        } else if (path == "/unbuffered") {
            resp->DisableBuffering();
            fx::Write(ctx, "a");
            fx::Write(ctx, "b");
        } else if (path == "/trailers") {
            IHttpResponse4 *resp4 = nullptr;
            if (FAILED(HttpGetExtendedInterface(g_server, resp, &resp4))) {
                fx::Write(ctx, "no IHttpResponse4");
                return RQ_NOTIFICATION_FINISH_REQUEST;
            }
            resp4->SetTrailer("X-Checksum", "abc", 3, TRUE);
            resp4->SetTrailer("X-Gone", "1", 1, TRUE);
            resp4->DeleteTrailer("X-Gone");
            USHORT len = 0;
            PCSTR v = resp4->GetTrailer("X-Checksum", &len);
            fx::Write(ctx, "data;get=" + std::string(v ? v : "", len) + ";suppressed=" + std::to_string(resp->GetHeadersSuppressed()) +
                               ";kernel=" + std::to_string(resp->GetKernelCacheEnabled()));
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class LoggingFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new ConnectionModule();
        return S_OK;
    }
    void Terminate() override
    {
        AppendLog("terminate");
        delete this;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *server)
{
    g_server = server;
    return info->SetRequestNotifications(new LoggingFactory(), RQ_BEGIN_REQUEST, 0);
}
