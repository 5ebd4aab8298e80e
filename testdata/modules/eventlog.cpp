// eventlog.cpp - fixture: the event log and OutputDebugString, written the way Windows modules
// write them (narrow strings, the UNICODE-less names).
//
// Contract:
//   RegisterModule: RegisterEventSource(NULL, "EventLogFixture"), then
//     ReportEvent(info, category 0, event id 1000, strings {"registered", <server version as decimal>}).
//   RQ_BEGIN_REQUEST: ReportEvent(warning, category 2, id 2001, strings {"request", <path as UTF-8>})
//     with 4 bytes of raw data; a wide ReportEventW(error, category 3, id 3001, {L"wide ✓"});
//     OutputDebugString("debug line\n"); then answers 200 "logged" and FINISH.
//   Terminate: ReportEvent(info, 0, 1001, {"terminated"}) and DeregisterEventSource.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdio>
#include <string>

#include "fixture.h"

namespace {

HANDLE g_source = NULL;

class EventLogModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string path = fx::AbsPath(ctx);
        LPCSTR strings[2] = {"request", path.c_str()};
        DWORD data = 0xC0FFEE;
        ReportEvent(g_source, EVENTLOG_WARNING_TYPE, 2, 2001, NULL, 2, sizeof(data), strings, &data);
        LPCWSTR wide[1] = {L"wide \u2713"};
        ReportEventW(g_source, EVENTLOG_ERROR_TYPE, 3, 3001, NULL, 1, 0, wide, NULL);
        OutputDebugString("debug line\n");
        fx::Write(ctx, "logged");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class Factory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new EventLogModule();
        return S_OK;
    }
    void Terminate() override
    {
        LPCSTR strings[1] = {"terminated"};
        ReportEvent(g_source, EVENTLOG_INFORMATION_TYPE, 0, 1001, NULL, 1, 0, strings, NULL);
        DeregisterEventSource(g_source);
        g_source = NULL;
        delete this;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD version, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    g_source = RegisterEventSource(NULL, "EventLogFixture");
    if (g_source == NULL) {
        return E_FAIL;
    }
    char text[16];
    snprintf(text, sizeof(text), "%u", static_cast<unsigned>(version));
    LPCSTR strings[2] = {"registered", text};
    ReportEvent(g_source, EVENTLOG_INFORMATION_TYPE, 0, 1000, NULL, 2, 0, strings, NULL);
    return info->SetRequestNotifications(new Factory(), RQ_BEGIN_REQUEST, 0);
}
