/*
 * _com_error::ErrorMessage in a UNICODE build: the message is wide, as
 * TCHAR is. Prints one line per failed check, then PASS when all passed.
 */
#define UNICODE
#define _UNICODE
#include <windows.h>
#include <comdef.h>

#include <stdio.h>
#include <wchar.h>

#include "check.h"

int main()
{
    const wchar_t *msg = _com_error(static_cast<HRESULT>(0x80001234)).ErrorMessage();
    CHECK(wcscmp(msg, L"Unknown error 0x80001234") == 0);
    _com_error e(E_OUTOFMEMORY);
    CHECK(wcsstr(e.ErrorMessage(), L"E_OUTOFMEMORY") != NULL);
    CHECK(wcscmp(_com_error(static_cast<HRESULT>(0x80040210)).ErrorMessage(), L"IDispatch error #16") == 0);
    return check_finish();
}
