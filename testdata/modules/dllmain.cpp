// dllmain.cpp - fixture: a module laid out as a Visual Studio DLL project leaves it: DllMain
// keeps the module handle, RegisterModule is defined without extern "C", and the module finds
// its own file with GetModuleFileNameW, as modules that keep a configuration file beside the
// DLL do.
//
// Contract: /dllmain answers "attach=<DllMain PROCESS_ATTACH calls> other=<other reasons>
// file=<the module's file name> same=<1 when GetModuleHandleEx(FROM_ADDRESS) of RegisterModule
// is the hModule DllMain got> proc=<1 when GetProcAddress(hModule, "RegisterModule") finds it>".
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

static HMODULE g_module;
static LONG g_attach, g_other;

BOOL APIENTRY DllMain(HMODULE hModule, DWORD ul_reason_for_call, LPVOID lpReserved)
{
    UNREFERENCED_PARAMETER(lpReserved);
    switch (ul_reason_for_call) {
    case DLL_PROCESS_ATTACH:
        g_module = hModule;
        InterlockedIncrement(&g_attach);
        DisableThreadLibraryCalls(hModule);
        break;
    case DLL_THREAD_ATTACH:
    case DLL_THREAD_DETACH:
    case DLL_PROCESS_DETACH:
        InterlockedIncrement(&g_other);
        break;
    }
    return TRUE;
}

class DllMainModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) != "/dllmain") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        WCHAR path[MAX_PATH];
        DWORD n = GetModuleFileNameW(g_module, path, MAX_PATH);
        std::string file = fx::Utf8(path, n);
        file = file.substr(file.rfind('/') + 1);
        HMODULE fromAddress = NULL;
        GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, reinterpret_cast<LPCWSTR>(&RegisterModule), &fromAddress);
        FARPROC proc = GetProcAddress(g_module, "RegisterModule");
        fx::Write(ctx, "attach=" + std::to_string(g_attach) + " other=" + std::to_string(g_other) + " file=" + file +
                           " same=" + (fromAddress == g_module ? "1" : "0") + " proc=" +
                           (reinterpret_cast<void *>(proc) == reinterpret_cast<void *>(&RegisterModule) ? "1" : "0"));
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo *pModuleInfo, IHttpServer *pGlobalInfo)
{
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    return pModuleInfo->SetRequestNotifications(new fx::Factory<DllMainModule>(), RQ_BEGIN_REQUEST, 0);
}
