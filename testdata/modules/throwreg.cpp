// throwreg.cpp - broken fixture: RegisterModule throws.
//
// Contract: RegisterModule registers nothing and throws
// std::runtime_error("registration exploded"). The host must catch it (it must
// never unwind into Go) and fail loading with an error naming the module; the
// exception's what() text should appear in that error.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <stdexcept>

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo*, IHttpServer*) {
    throw std::runtime_error("registration exploded");
}
