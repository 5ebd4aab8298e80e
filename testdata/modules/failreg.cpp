// failreg.cpp - broken fixture: RegisterModule reports failure.
//
// Contract: RegisterModule registers nothing and returns
// HRESULT_FROM_WIN32(ERROR_BAD_CONFIGURATION) = 0x8007064A. The host must
// refuse to start with an error naming the module and that HRESULT.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include "fixture.h"

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo*, IHttpServer*) {
    return HRESULT_FROM_WIN32(ERROR_BAD_CONFIGURATION);
}
