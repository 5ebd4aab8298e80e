// noexport.cpp - broken fixture: a valid shared library with no RegisterModule.
//
// Contract: it exports one function, `NotRegisterModule`, and nothing named
// `RegisterModule`. Loading it must fail with the loader's "no RegisterModule"
// error (naming the module and the file); no notification ever runs.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

// A look-alike entry point with the wrong name, so the library is not empty.
extern "C" __attribute__((visibility("default"))) HRESULT NotRegisterModule(DWORD dwServerVersion) {
    return dwServerVersion != 0 ? S_OK : E_FAIL;
}
