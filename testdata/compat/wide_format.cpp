/*
 * wide_format.cpp - Windows-style formatting code from a Unicode C++17
 * build (UNICODE and _UNICODE, the C++ library first), compiled without
 * edits: %s with TCHAR strings through the tchar names, strsafe's plain
 * names and the MSVC array overloads, and %I64d/%Iu in narrow ones.
 */
#include <cstdarg>
#include <cstdio>
#include <cwchar>
#include <string>
#include <vector>

#define UNICODE
#define _UNICODE
#include <windows.h>
#include <tchar.h>
#include <strsafe.h>

#include "check.h"

namespace {

int FormatT(_TCHAR *buf, size_t size, const _TCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vstprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int FormatN(_TCHAR *buf, size_t count, const _TCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vsntprintf(buf, count, fmt, ap);
    va_end(ap);
    return n;
}

int FormatNS(_TCHAR (&buf)[16], const _TCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vsntprintf_s(buf, _TRUNCATE, fmt, ap); /* the array overload */
    va_end(ap);
    return n;
}

int Measure(const _TCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vsctprintf(fmt, ap);
    va_end(ap);
    return n;
}

HRESULT Log(TCHAR *buf, size_t cch, LPCTSTR fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    HRESULT hr = StringCchVPrintf(buf, cch, fmt, ap);
    va_end(ap);
    return hr;
}

int WriteT(FILE *f, const _TCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vftprintf(f, fmt, ap);
    va_end(ap);
    return n;
}

void TestTcharNames()
{
    _TCHAR buf[16];
    const _TCHAR *name = _T("iis");
    CHECK_EQ(_stprintf_s(buf, _T("<%s:%c>"), name, _T('x')), 7);
    CHECK_WSTR(buf, L"<iis:x>");
    CHECK_EQ(FormatT(buf, _countof(buf), _T("%-5s|%S"), name, "a"), 7);
    CHECK_WSTR(buf, L"iis  |a");
    CHECK_EQ(_sntprintf(buf, _countof(buf), _T("%.*s"), 2, name), 2);
    CHECK_WSTR(buf, L"ii");
    CHECK_EQ(FormatN(buf, _countof(buf), _T("%*s"), 4, name), 4);
    CHECK_WSTR(buf, L" iis");
    CHECK_EQ(_sntprintf_s(buf, _countof(buf), _TRUNCATE, _T("%s%s%s%s%s%s"), name, name, name, name, name, name), -1);
    CHECK_WSTR(buf, L"iisiisiisiisiis");
    CHECK_EQ(FormatNS(buf, _T("%I64u"), 18446744073709551615ULL), -1); /* 20 digits into 16 */
    CHECK_WSTR(buf, L"184467440737095");
    CHECK_EQ(_sctprintf(_T("%s=%I64d"), name, -1LL), 6);
    CHECK_EQ(Measure(_T("%C%c"), 'n', _T('w')), 2);

    FILE *f = tmpfile();
    CHECK(f != nullptr);
    if (f != nullptr) {
        CHECK_EQ(_ftprintf(f, _T("%s %Iu "), name, sizeof(int)), 6);
        CHECK_EQ(WriteT(f, _T("%S"), "end"), 3);
        rewind(f);
        wchar_t line[16];
        CHECK(_fgetts(line, 16, f) != nullptr);
        CHECK_WSTR(line, L"iis 4 end");
        fclose(f);
    }
}

void TestArrayOverloads()
{
    wchar_t w[8];
    char a[8];
    CHECK_EQ(swprintf_s(w, L"%s%S", L"w", "n"), 2);
    CHECK_WSTR(w, L"wn");
    CHECK_EQ(_snwprintf_s(w, _TRUNCATE, L"%s", L"0123456789"), -1);
    CHECK_WSTR(w, L"0123456");
    CHECK_EQ(sprintf_s(a, "%I64d", -123456LL), 7);
    CHECK_STR(a, "-123456");
    CHECK_EQ(_snprintf_s(a, 3, "%S", L"wide"), -1);
    CHECK_STR(a, "wid");
}

void TestStrsafe()
{
    TCHAR buf[32];
    CHECK(StringCchPrintf(buf, ARRAYSIZE(buf), TEXT("%s=%d"), TEXT("key"), 7) == S_OK);
    CHECK_WSTR(buf, L"key=7");
    CHECK(StringCbPrintf(buf, sizeof(buf), TEXT("[%5s][%-3c]"), TEXT("ab"), TEXT('c')) == S_OK);
    CHECK_WSTR(buf, L"[   ab][c  ]");
    CHECK(Log(buf, ARRAYSIZE(buf), TEXT("%S/%ls/%hs"), "a", L"b", "c") == S_OK);
    CHECK_WSTR(buf, L"a/b/c");
    CHECK(Log(buf, 4, TEXT("%s"), TEXT("truncated")) == STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(buf, L"tru");

    /* The grow-and-retry pattern, with a format longer than the rewrite's
     * stack buffer. */
    std::wstring fmt(400, L'.');
    fmt += L"%s";
    std::vector<WCHAR> grow(8);
    HRESULT hr;
    while ((hr = StringCchPrintf(grow.data(), grow.size(), fmt.c_str(), L"end")) == STRSAFE_E_INSUFFICIENT_BUFFER)
        grow.resize(grow.size() * 2);
    CHECK(hr == S_OK);
    CHECK(std::wstring(grow.data()) == std::wstring(400, L'.') + L"end");
}

void TestStdStrings()
{
    std::wstring user = L"alice";
    std::string host = "example";
    std::wstring out(32, L'\0');
    int n = swprintf_s(&out[0], out.size(), L"%s@%S", user.c_str(), host.c_str());
    CHECK_EQ(n, 13);
    out.resize(n);
    CHECK(out == L"alice@example");
}

} // namespace

int main()
{
    TestTcharNames();
    TestArrayOverloads();
    TestStrsafe();
    TestStdStrings();
    return check_finish();
}
