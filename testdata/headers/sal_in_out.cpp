/*
 * IISHOST_SAL_IN_OUT: a C++ module that annotates with plain __in/__out may
 * have them, provided every standard header comes first (specstrings.h says
 * why).
 */
#include <string>
#include <vector>
#include <utility>

#define IISHOST_SAL_IN_OUT
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>

HRESULT SalInOut(__in PCWSTR pszIn, __out DWORD *pcchOut);
HRESULT SalInOut(__in PCWSTR pszIn, __out DWORD *pcchOut)
{
    std::wstring copy(pszIn);
    *pcchOut = static_cast<DWORD>(copy.size());
    return S_OK;
}
