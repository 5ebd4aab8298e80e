/* The usual IIS module prologue, unchanged, compiled as C, and the entry point IIS calls. */
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo *pModuleInfo,
                                 IHttpServer *pGlobalInfo)
{
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pModuleInfo);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    return S_OK;
}
