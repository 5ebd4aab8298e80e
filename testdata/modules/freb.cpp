// freb.cpp - fixture: a request that fails in known ways, for failed-request tracing.
//
// Contract:
//   RQ_BEGIN_REQUEST: sets request header X-Freb-Begin: 1; CONTINUE.
//   RQ_EXECUTE_REQUEST_HANDLER, by the path's last segment (query note=TEXT, not unescaped):
//     every path -> response header X-Freb-Note: TEXT when note is given
//     event...    -> QuickTrace(Data1 TEXT, Data2 "second", E_FAIL, level=N or 4), then as /ok
//     missing...  -> SetStatus 404.2 "Not Found", body "missing"; FINISH_REQUEST
//     broken...   -> SetStatus 500 "Server Error" with E_FAIL, body "broken"; FINISH_REQUEST
//     slow...     -> sleeps ms=N milliseconds (default 50), then as /ok
//     big...      -> raises n=N QuickTraces of 200 bytes each, then as /missing
//     other       -> 200 "ok"; FINISH_REQUEST
//   RQ_END_REQUEST: CONTINUE.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "fixture.h"

namespace {

bool Starts(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

int Number(const std::string& query, const char* name, int def) {
    std::string v = fx::QueryParam(query, name);
    return v.empty() ? def : std::atoi(v.c_str());
}

class FrebModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        ctx->GetRequest()->SetHeader("X-Freb-Begin", "1", 1, TRUE);
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx), query = fx::Query(ctx);
        path = path.substr(path.rfind('/') + 1);
        std::string note = fx::QueryParam(query, "note");
        IHttpResponse* resp = ctx->GetResponse();
        if (!note.empty()) {
            resp->SetHeader("X-Freb-Note", note.c_str(), static_cast<USHORT>(note.size()), TRUE);
        }
        IHttpTraceContext* trace = ctx->GetTraceContext();
        if (Starts(path, "event")) {
            trace->QuickTrace(fx::Wide(note).c_str(), L"second", E_FAIL, static_cast<UCHAR>(Number(query, "level", 4)));
        } else if (Starts(path, "slow")) {
            std::this_thread::sleep_for(std::chrono::milliseconds(Number(query, "ms", 50)));
        } else if (Starts(path, "big")) {
            std::wstring filler(200, L'x');
            for (int i = Number(query, "n", 100); i > 0; i--) {
                trace->QuickTrace(filler.c_str(), L"", S_OK, 4);
            }
        }
        if (Starts(path, "missing") || Starts(path, "big")) {
            resp->SetStatus(404, "Not Found", 2);
            fx::Write(ctx, "missing");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        if (Starts(path, "broken")) {
            resp->SetStatus(500, "Server Error", 0, E_FAIL);
            fx::Write(ctx, "broken");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        fx::Reply(ctx, "ok");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext*, IHttpEventProvider*) override { return RQ_NOTIFICATION_CONTINUE; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    return info->SetRequestNotifications(new fx::Factory<FrebModule>(),
                                         RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER | RQ_END_REQUEST, 0);
}
