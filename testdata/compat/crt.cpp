/*
 * crt.cpp - the secure CRT from C++17, windows.h first and the C++ library
 * after: the MSVC template overloads that take the buffer size from an
 * array, and a check that they sit beside the C forms without ambiguity.
 * Its narrow formats are ones C and MSVC share, so it opts in to -Wformat
 * checks of the MS-named printf functions (IISHOST_CRT_CHECK_FORMATS).
 */
#define IISHOST_CRT_CHECK_FORMATS
#include <windows.h>

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cwchar>
#include <string>

#include "check.h"

namespace {

int FormatInto(char (&buf)[8], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf_s(buf, fmt, ap); /* the array overload of vsprintf_s */
    va_end(ap);
    return n;
}

void TestArrayOverloads()
{
    char b[8];
    wchar_t w[8];
    size_t n = 0;

    CHECK_EQ(strcpy_s(b, "1234567"), 0);
    CHECK_STR(b, "1234567");
    CHECK_EQ(strcpy_s(b, "12345678"), ERANGE); /* the array size, 8, is used */
    CHECK_STR(b, "");
    CHECK_EQ(strcpy_s(b, sizeof(b), "abc"), 0); /* the C form still resolves */
    CHECK_EQ(strcat_s(b, "def"), 0);
    CHECK_STR(b, "abcdef");
    CHECK_EQ(strncat_s(b, "ghij", _TRUNCATE), STRUNCATE);
    CHECK_STR(b, "abcdefg");
    CHECK_EQ(strncpy_s(b, "xyz", 2), 0);
    CHECK_STR(b, "xy");
    CHECK_EQ(wcscpy_s(w, L"wide"), 0);
    CHECK_EQ(wcscat_s(w, L"st"), 0);
    CHECK_WSTR(w, L"widest");
    CHECK_EQ(wcsncat_s(w, L"!!!", 1), 0);
    CHECK_WSTR(w, L"widest!");
    CHECK_EQ(wcsncpy_s(w, L"abcdefghij", _TRUNCATE), STRUNCATE);
    CHECK_WSTR(w, L"abcdefg");

    CHECK_EQ(sprintf_s(b, "%d%s", 12, "ab"), 4);
    CHECK_STR(b, "12ab");
    CHECK_EQ(sprintf_s(b, "%s", "too long!"), -1);
    CHECK_EQ(sprintf_s(b, sizeof(b), "%d", 5), 1);
    CHECK_EQ(FormatInto(b, "<%s>", "x"), 3);
    CHECK_STR(b, "<x>");
    CHECK_EQ(swprintf_s(w, L"%ls=%d", L"k", 9), 3);
    CHECK_WSTR(w, L"k=9");
    CHECK_EQ(_snprintf_s(b, _TRUNCATE, "%s", "truncated"), -1);
    CHECK_STR(b, "truncat");
    CHECK_EQ(_snprintf_s(b, sizeof(b), 3, "%s", "abcdef"), -1);
    CHECK_STR(b, "abc");
    CHECK_EQ(_snwprintf_s(w, _TRUNCATE, L"%ls", L"ok"), 2);

    CHECK_EQ(_itoa_s(-255, b, 16), EINVAL); /* "ffffff01" needs 9 bytes */
    CHECK_EQ(_itoa_s(0xABCDEF, b, 16), 0);
    CHECK_STR(b, "abcdef");
    CHECK_EQ(_itoa_s(1234567, b, 10), 0);
    CHECK_EQ(_itoa_s(12345678, b, 10), EINVAL); /* 8 digits need 9 bytes */
    CHECK_EQ(_ltoa_s(42L, b, 10), 0);
    CHECK_EQ(_ultoa_s(42UL, b, 8), 0);
    CHECK_STR(b, "52");
    CHECK_EQ(_i64toa_s(-1LL, b, 10), 0);
    CHECK_EQ(_ui64toa_s(7ULL, b, 2), 0);
    CHECK_STR(b, "111");
    CHECK_EQ(_itow_s(99, w, 10), 0);
    CHECK_WSTR(w, L"99");
    CHECK_EQ(_ltow_s(-1L, w, 10), 0);
    CHECK_EQ(_ultow_s(1UL, w, 10), 0);
    CHECK_EQ(_i64tow_s(-3LL, w, 10), 0);
    CHECK_EQ(_ui64tow_s(3ULL, w, 10), 0);
    CHECK_WSTR(w, L"3");

    strcpy_s(b, "MiXeD");
    CHECK_EQ(_strlwr_s(b), 0);
    CHECK_STR(b, "mixed");
    CHECK_EQ(_strupr_s(b), 0);
    CHECK_STR(b, "MIXED");
    wcscpy_s(w, L"MiXeD");
    CHECK_EQ(_wcslwr_s(w), 0);
    CHECK_EQ(_wcsupr_s(w), 0);
    CHECK_WSTR(w, L"MIXED");

    CHECK_EQ(mbstowcs_s(&n, w, "ascii", _TRUNCATE), 0);
    CHECK_EQ(n, 6u);
    CHECK_WSTR(w, L"ascii");
    CHECK_EQ(wcstombs_s(&n, b, L"ascii!!!", _TRUNCATE), STRUNCATE);
    CHECK_STR(b, "ascii!!");
}

void TestWithStdString()
{
    std::string s(16, '\0');
    CHECK_EQ(sprintf_s(&s[0], s.size(), "%s-%d", "id", 7), 4);
    s.resize(std::strlen(s.c_str()));
    CHECK(s == "id-7");
    std::wstring w(16, L'\0');
    CHECK_EQ(swprintf_s(&w[0], w.size(), L"%ls", L"wide"), 4);
    CHECK_EQ(_wcsicmp(w.c_str(), L"WIDE"), 0);
    char *dup = _strdup(s.c_str());
    CHECK_STR(dup, "id-7");
    std::free(dup);
}

} // namespace

int main()
{
    TestArrayOverloads();
    TestWithStdString();
    return check_finish();
}
