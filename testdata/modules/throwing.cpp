// throwing.cpp - broken fixture: a notification that throws.
//
// Contract (RQ_BEGIN_REQUEST only):
//   GET /throw      -> throws std::runtime_error("boom")
//   GET /throw-int  -> throws the int 42
//   GET /throw-com  -> throws _com_error(E_ACCESSDENIED), as _com_issue_error does
//   any other path  -> 200, Content-Type text/plain, body "ok", FINISH_REQUEST
// The host turns an escaping exception into a 500 and a log line and keeps
// serving; the paths are compared with the cooked pAbsPath (no query string).
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <comdef.h>

#include <new>
#include <stdexcept>

#include "fixture.h"

class ThrowingModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx);
        if (path == "/throw") throw std::runtime_error("boom");
        if (path == "/throw-int") throw 42;
        if (path == "/throw-com") _com_issue_error(E_ACCESSDENIED);
        fx::Reply(ctx, "ok");
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class ThrowingFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) ThrowingModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    ThrowingFactory* f = new (std::nothrow) ThrowingFactory();
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
