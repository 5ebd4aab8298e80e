// reqtime.cpp - fixture: IHttpContext4::GetRequestStartTime / GetRequestElapsedTime and
// IHttpServer2::GetAppPoolConfigFile.
//
// Contract (RQ_BEGIN_REQUEST and RQ_END_REQUEST):
// BEGIN records now=GetTickCount64(), start=GetRequestStartTime(), elapsed1=
// GetRequestElapsedTime(), then Sleep(20). END clears the response and answers 200 text/plain
// with
//   "start<=now=<0/1> same-start=<0/1> grew=<elapsed2 - elapsed1 >= 20 ? 1 : 0>
//    config=<GetAppPoolConfigFile> len-ok=<0/1>"
// where same-start compares GetRequestStartTime() in END with BEGIN's and len-ok says the
// returned length equals wcslen of the path.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

namespace {

class TimeModule final : public CHttpModule {
public:
    explicit TimeModule(IHttpServer* server) : server_(server) {}
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        IHttpContext4* c4 = nullptr;
        HttpGetExtendedInterface(server_, ctx, &c4);
        now_ = GetTickCount64();
        start_ = c4->GetRequestStartTime();
        elapsed_ = c4->GetRequestElapsedTime();
        Sleep(20);
        return RQ_NOTIFICATION_CONTINUE;
    }
    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        IHttpContext4* c4 = nullptr;
        HttpGetExtendedInterface(server_, ctx, &c4);
        IHttpServer2* s2 = nullptr;
        HttpGetExtendedInterface(server_, server_, &s2);
        DWORD len = 0;
        PCWSTR config = s2->GetAppPoolConfigFile(&len);
        ULONGLONG elapsed2 = c4->GetRequestElapsedTime();
        ctx->GetResponse()->Clear();  // drop the fallback's 404 body
        fx::Reply(ctx, std::string("start<=now=") + (start_ <= now_ ? "1" : "0") +
                           " same-start=" + (c4->GetRequestStartTime() == start_ ? "1" : "0") +
                           " grew=" + (elapsed2 - elapsed_ >= 20 ? "1" : "0") + " config=" + fx::Utf8(config) +
                           " len-ok=" + (len == wcslen(config) ? "1" : "0"));
        return RQ_NOTIFICATION_CONTINUE;
    }

private:
    IHttpServer* server_;
    ULONGLONG now_ = 0, start_ = 0, elapsed_ = 0;
};


}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    auto* f = new fx::FactoryOf<TimeModule, IHttpServer*>(server);
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_END_REQUEST, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
