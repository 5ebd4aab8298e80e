// dllmainfail.cpp - fixture: DllMain refuses DLL_PROCESS_ATTACH, so the module must not load
// (RegisterModule is never called: it would fail the test by answering at all).
#include <windows.h>
#include <httpserv.h>

BOOL WINAPI DllMain(HINSTANCE, DWORD reason, LPVOID)
{
    return reason != DLL_PROCESS_ATTACH;
}

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *, IHttpServer *)
{
    return E_UNEXPECTED;
}
