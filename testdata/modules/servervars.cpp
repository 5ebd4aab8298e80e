// servervars.cpp - fixture: GetServerVariable (both overloads) and SetServerVariable.
//
// Contract (paths compared with the cooked pAbsPath):
// GET /vars?NAME1,NAME2,...  (the raw query text after '?', split on ',';
//   names are used as sent, no unescaping). At RQ_EXECUTE_REQUEST_HANDLER it
//   answers 200 text/plain, one line per name, in order, then FINISH_REQUEST:
//     NAME=<narrow value>|<wide value as UTF-8>|<cch narrow>|<cch wide>
//   values are printed up to their NUL terminator; the cch values are the
//   pcchValueLength outputs as decimals (the test compares them with the
//   value lengths). If the narrow call fails the line is "NAME=ERR 0x%08X"
//   with its HRESULT; else if the wide call fails, the same with the wide HRESULT.
// GET /setvar. At RQ_BEGIN_REQUEST it calls SetServerVariable("MY_VAR",
//   L"my value") and SetServerVariable("HTTP_X_CUSTOM", L"changed"). At
//   RQ_EXECUTE_REQUEST_HANDLER it answers 200 text/plain, then FINISH_REQUEST:
//     sethr=<0x%08X of the MY_VAR set>
//     setheaderhr=<0x%08X of the HTTP_X_CUSTOM set>
//     MY_VAR=<narrow GetServerVariable("MY_VAR") value, or ERR 0x%08X>
//     X-Custom=<request GetHeader("X-Custom") value, or (null)>
//   Expected: both hr 0x00000000, MY_VAR=my value, X-Custom=changed (IIS:
//   setting HTTP_<NAME> sets request header <NAME>, '_' read as '-').
// Other paths: CONTINUE, nothing written.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <new>

#include "fixture.h"

namespace {

std::string VarLine(IHttpContext* ctx, const std::string& name) {
    PCSTR narrow = nullptr;
    PCWSTR wide = nullptr;
    DWORD cchNarrow = 0, cchWide = 0;
    HRESULT hr = ctx->GetServerVariable(name.c_str(), &narrow, &cchNarrow);
    if (FAILED(hr)) return name + "=ERR " + fx::Hex(hr);
    hr = ctx->GetServerVariable(name.c_str(), &wide, &cchWide);
    if (FAILED(hr)) return name + "=ERR " + fx::Hex(hr);
    return name + "=" + (narrow ? narrow : "") + "|" + fx::Utf8(wide) + "|" + std::to_string(cchNarrow) + "|" +
           std::to_string(cchWide);
}

class ServerVarsModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        if (fx::AbsPath(ctx) == "/setvar") {
            setHr_ = ctx->SetServerVariable("MY_VAR", L"my value");
            setHeaderHr_ = ctx->SetServerVariable("HTTP_X_CUSTOM", L"changed");
        }
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx);
        std::string out;
        if (path == "/vars") {
            std::string list = fx::Query(ctx);
            size_t pos = 0;
            while (!list.empty() && pos <= list.size()) {
                size_t comma = list.find(',', pos);
                if (comma == std::string::npos) comma = list.size();
                out += VarLine(ctx, list.substr(pos, comma - pos)) + "\n";
                pos = comma + 1;
            }
        } else if (path == "/setvar") {
            out += "sethr=" + fx::Hex(setHr_) + "\n";
            out += "setheaderhr=" + fx::Hex(setHeaderHr_) + "\n";
            PCSTR v = nullptr;
            DWORD cch = 0;
            HRESULT hr = ctx->GetServerVariable("MY_VAR", &v, &cch);
            out += "MY_VAR=" + (FAILED(hr) ? "ERR " + fx::Hex(hr) : std::string(v ? v : "")) + "\n";
            USHORT len = 0;
            PCSTR h = ctx->GetRequest()->GetHeader("X-Custom", &len);
            out += "X-Custom=" + (h ? std::string(h, len) : std::string("(null)")) + "\n";
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    HRESULT setHr_ = E_PENDING;  // stays E_PENDING (0x8000000A) if BEGIN_REQUEST never ran
    HRESULT setHeaderHr_ = E_PENDING;
};

class ServerVarsFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** ppModule, IModuleAllocator*) override {
        *ppModule = new (std::nothrow) ServerVarsModule();
        return *ppModule ? S_OK : E_OUTOFMEMORY;
    }
    void Terminate() override { delete this; }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    ServerVarsFactory* f = new (std::nothrow) ServerVarsFactory();
    if (f == nullptr) return E_OUTOFMEMORY;
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
