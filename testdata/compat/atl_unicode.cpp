/*
 * atlbase.h / atlconv.h / atlstr.h in a UNICODE build, as Visual Studio
 * projects compile them: CString is CStringW, TCHAR is wchar_t, the T2x/x2T
 * macros and CT2A-style classes pick the wide forms, and ATLTRACE takes
 * _T() formats. Prints one line per failed check, then PASS when all passed.
 */
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#define _DEBUG 1
#include <windows.h>
#include <tchar.h>
#include <atlbase.h>
#include <atlstr.h>
#include <cstringt.h>
#include <atlsimpstr.h>

#include <string>
#include <type_traits>

#include "check.h"

/* The text is copied first: a temporary CString's buffer dies with the full expression. */
#define CHECK_A(actual, expected)                                                                  \
    do {                                                                                           \
        CStringA check_copy_(actual);                                                              \
        CHECK_STR(check_copy_.GetString(), expected);                                              \
    } while (0)
#define CHECK_W(actual, expected)                                                                  \
    do {                                                                                           \
        CStringW check_copy_(actual);                                                              \
        CHECK_WSTR(check_copy_.GetString(), expected);                                             \
    } while (0)

static std::string g_debug;

static void debug_string(const iishost_services_t *, const char *text)
{
    g_debug += text;
}

static const iishost_services_t g_services = {sizeof(iishost_services_t), NULL, debug_string, NULL};

int main()
{
    iishost_services = &g_services;
    static_assert(std::is_same<CString, CStringW>::value, "CString is wide under UNICODE");
    static_assert(std::is_same<CString::XCHAR, TCHAR>::value, "CString holds TCHARs");
    static_assert(std::is_same<ATL::CAtlString, CString>::value, "ATL's name for it");

    CString s(_T("caf"));
    s += _T('\u00E9');
    s += "!"; /* narrow text converts */
    CHECK_W(s, L"caf\u00E9!");
    s.Format(_T("%s=%d"), _T("n"), 3);
    CHECK_W(s, L"n=3");
    CString fromNarrow("h\xC3\xA9");
    CHECK(fromNarrow.GetLength() == 2);
    LPCTSTR p = s;
    CHECK(_tcscmp(p, _T("n=3")) == 0);

    USES_CONVERSION;
    LPCTSTR t = _T("tee");
    CHECK(T2W(t) == t && W2T(t) == t && T2OLE(t) == t && OLE2T(t) == t && T2CW(t) == t);
    CHECK_A(T2A(t), "tee");
    CHECK_A(T2CA(t), "tee");
    CHECK_W(A2T("\xE2\x82\xAC"), L"\u20AC");
    CHECK_W(A2CT("a"), L"a");
    BSTR b = T2BSTR(_T("bstr"));
    CHECK(SysStringLen(b) == 4);
    SysFreeString(b);

    CT2A ct2a(_T("\u00E9"));
    CHECK_A(ct2a, "\xC3\xA9");
    CA2T ca2t("\xC3\xA9");
    CHECK_W(ca2t, L"\u00E9");
    CT2W ct2w(_T("w"));
    CHECK_W(ct2w, L"w");
    CT2CW ct2cw(t);
    CHECK(static_cast<LPCWSTR>(ct2cw) == t);
    CW2T cw2t(L"x");
    CHECK_W(cw2t, L"x");
    CT2OLE ole(_T("o"));
    CHECK_W(ole, L"o");
    CString viaClass(CA2T("conv"));
    CHECK(viaClass == _T("conv"));

    CComBSTR bs(s);
    CHECK(bs == L"n=3");
    CString back(bs.m_str);
    CHECK(back == s);

    g_debug.clear();
    ATLTRACE(_T("wide %s %d\n"), _T("trace"), 1);
    ATLTRACE2(atlTraceGeneral, 0, _T("two %s\n"), _T("x"));
    ATLTRACE("narrow %s\n", "too");
    ATLTRACE(_T("cstring %s %s\n"), s, CComBSTR(L"bstr")); /* class arguments print their text */
    CHECK_A(g_debug.c_str(), "wide trace 1\ntwo x\nnarrow too\ncstring n=3 bstr\n");
    return check_finish();
}
