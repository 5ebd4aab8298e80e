// perf.cpp - fixture: IHttpPerfCounterInfo from IHttpServer and IHttpSite.
//
// Contract (registers RQ_EXECUTE_REQUEST_HANDLER; answers every request 200 text/plain):
//   /perf?scope=server|site&op=inc|dec&index=N[&value=V]
//       IncrementCounter / DecrementCounter(N, V) on the scope's GetPerfCounterInfo(); without
//       value the default argument (1) is used. Body "ok".
//   /read   reads the request body with ReadEntityBody until it ends; body "read <bytes>".
//   other   body "hello".
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <string>

#include "fixture.h"

namespace {

class PerfModule final : public CHttpModule {
public:
    explicit PerfModule(IHttpServer* server) : server_(server) {}
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx), q = fx::Query(ctx);
        if (path == "/perf") {
            IHttpPerfCounterInfo* c = fx::QueryParam(q, "scope") == "site" ? ctx->GetSite()->GetPerfCounterInfo()
                                                                            : server_->GetPerfCounterInfo();
            DWORD index = std::strtoul(fx::QueryParam(q, "index").c_str(), nullptr, 10);
            std::string value = fx::QueryParam(q, "value");
            bool inc = fx::QueryParam(q, "op") == "inc";
            if (value.empty()) {
                inc ? c->IncrementCounter(index) : c->DecrementCounter(index);
            } else {
                DWORD v = std::strtoul(value.c_str(), nullptr, 10);
                inc ? c->IncrementCounter(index, v) : c->DecrementCounter(index, v);
            }
            fx::Reply(ctx, "ok");
        } else if (path == "/read") {
            char buf[256];
            DWORD total = 0;
            for (;;) {
                DWORD got = 0;
                HRESULT hr = ctx->GetRequest()->ReadEntityBody(buf, sizeof buf, FALSE, &got, nullptr);
                total += got;
                if (FAILED(hr) || (got == 0 && ctx->GetRequest()->GetRemainingEntityBytes() == 0)) break;
            }
            fx::Reply(ctx, "read " + std::to_string(total));
        } else {
            fx::Reply(ctx, "hello");
        }
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    IHttpServer* server_;
};


}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    auto* f = new fx::FactoryOf<PerfModule, IHttpServer*>(server);
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
