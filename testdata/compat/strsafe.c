/*
 * strsafe.c - strsafe.h in strict ISO C, A and W forms: results, truncation
 * (cut, terminated, STRSAFE_E_INSUFFICIENT_BUFFER), invalid sizes
 * (STRSAFE_E_INVALID_PARAMETER) and the byte-count (Cb) forms.
 */
#include <windows.h>
#include <strsafe.h>

#include <stdarg.h>
#include <string.h>

#include "check.h"

C_ASSERT(STRSAFE_MAX_CCH == 2147483647);
C_ASSERT(STRSAFE_E_INSUFFICIENT_BUFFER == (HRESULT)0x8007007A);
C_ASSERT(STRSAFE_E_INVALID_PARAMETER == (HRESULT)0x80070057);
C_ASSERT(STRSAFE_E_INSUFFICIENT_BUFFER == HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER));
C_ASSERT(STRSAFE_E_INVALID_PARAMETER == E_INVALIDARG);

static HRESULT vprint(char *dest, size_t cch, const char *fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCchVPrintfA(dest, cch, fmt, ap);
    va_end(ap);
    return hr;
}

static HRESULT vprintw(WCHAR *dest, size_t cb, const WCHAR *fmt, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, fmt);
    hr = StringCbVPrintfW(dest, cb, fmt, ap);
    va_end(ap);
    return hr;
}

static void test_narrow(void)
{
    char d[8], full[4] = {'a', 'b', 'c', 'd'};
    size_t len = 99;

    CHECK_EQ(StringCchCopyA(d, 8, "hello"), S_OK);
    CHECK_STR(d, "hello");
    CHECK_EQ(StringCchCopyA(d, 8, "0123456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "0123456"); /* cut and terminated */
    CHECK_EQ(StringCchCopyA(d, 8, "1234567"), S_OK); /* exactly fits */
    strcpy(d, "keep");
    CHECK_EQ(StringCchCopyA(d, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_STR(d, "keep"); /* no room to touch */
    CHECK_EQ(StringCchCopyA(d, (size_t)STRSAFE_MAX_CCH + 1, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_STR(d, ""); /* emptied */
    CHECK_EQ(StringCchCopyA(NULL, 8, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyA(d, 8, NULL), S_OK); /* NULL source taken as "" */
    CHECK_STR(d, "");

    CHECK_EQ(StringCchCopyNA(d, 8, "abcdef", 3), S_OK);
    CHECK_STR(d, "abc");
    CHECK_EQ(StringCchCopyNA(d, 8, "abc", 100), S_OK); /* no padding, stops at the terminator */
    CHECK_STR(d, "abc");
    CHECK_EQ(StringCchCopyNA(d, 4, "abcdef", 5), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "abc");
    CHECK_EQ(StringCchCopyNA(d, 8, "abc", (size_t)STRSAFE_MAX_CCH), STRSAFE_E_INVALID_PARAMETER);
    CHECK_STR(d, "");

    CHECK_EQ(StringCchCopyA(d, 8, "ab"), S_OK);
    CHECK_EQ(StringCchCatA(d, 8, "cd"), S_OK);
    CHECK_STR(d, "abcd");
    CHECK_EQ(StringCchCatA(d, 8, "efghij"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "abcdefg");
    CHECK_EQ(StringCchCatA(d, 8, "x"), STRSAFE_E_INSUFFICIENT_BUFFER); /* full: nothing fits */
    CHECK_STR(d, "abcdefg");
    CHECK_EQ(StringCchCatA(d, 8, ""), S_OK);
    CHECK_EQ(StringCchCatA(full, 4, "x"), STRSAFE_E_INVALID_PARAMETER); /* not terminated */
    CHECK(memcmp(full, "abcd", 4) == 0); /* left alone */
    CHECK_EQ(StringCchCatA(d, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchCopyA(d, 8, "ab"), S_OK);
    CHECK_EQ(StringCchCatNA(d, 8, "cdef", 2), S_OK);
    CHECK_STR(d, "abcd");
    CHECK_EQ(StringCchCatNA(d, 8, "efghij", 5), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "abcdefg");

    CHECK_EQ(StringCchPrintfA(d, 8, "%d-%s", 12, "ab"), S_OK);
    CHECK_STR(d, "12-ab");
    CHECK_EQ(StringCchPrintfA(d, 8, "%s", "too long text"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "too lon");
    CHECK_EQ(StringCchPrintfA(d, 8, "%s", "1234567"), S_OK);
    CHECK_EQ(StringCchPrintfA(d, 0, "%d", 1), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(vprint(d, 8, "<%c>", 'x'), S_OK);
    CHECK_STR(d, "<x>");
    CHECK_EQ(vprint(d, 3, "<%c>", 'x'), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "<x");

    CHECK_EQ(StringCchLengthA("hello", 6, &len), S_OK);
    CHECK_EQ(len, 5);
    CHECK_EQ(StringCchLengthA("hello", 5, &len), STRSAFE_E_INVALID_PARAMETER); /* longer than cchMax - 1 */
    CHECK_EQ(len, 0);
    CHECK_EQ(StringCchLengthA(NULL, 5, &len), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthA("x", (size_t)STRSAFE_MAX_CCH + 1, &len), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCchLengthA("x", STRSAFE_MAX_CCH, NULL), S_OK);

    CHECK_EQ(StringCbCopyA(d, sizeof(d), "bytes"), S_OK);
    CHECK_EQ(StringCbCatA(d, sizeof(d), "!!!"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_STR(d, "bytes!!");
    CHECK_EQ(StringCbCopyNA(d, sizeof(d), "abcdef", 2), S_OK);
    CHECK_STR(d, "ab");
    CHECK_EQ(StringCbCatNA(d, sizeof(d), "cdef", 1), S_OK);
    CHECK_STR(d, "abc");
    CHECK_EQ(StringCbPrintfA(d, sizeof(d), "%u", 42u), S_OK);
    CHECK_STR(d, "42");
    CHECK_EQ(StringCbLengthA("four", 5, &len), S_OK);
    CHECK_EQ(len, 4);
}

static void test_wide(void)
{
    WCHAR d[8];
    size_t len = 0;

    CHECK_EQ(StringCchCopyW(d, 8, L"wide"), S_OK);
    CHECK_WSTR(d, L"wide");
    CHECK_EQ(StringCchCopyW(d, 8, L"0123456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(d, L"0123456");
    CHECK_EQ(StringCchCopyNW(d, 8, L"abcdef", 2), S_OK);
    CHECK_WSTR(d, L"ab");
    CHECK_EQ(StringCchCatW(d, 8, L"\u00e9\u20ac"), S_OK);
    CHECK_EQ(StringCchLengthW(d, 8, &len), S_OK);
    CHECK_EQ(len, 4); /* one WCHAR per character */
    CHECK_EQ(StringCchCatNW(d, 8, L"xyzw", 9), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_EQ(StringCchLengthW(d, 8, &len), S_OK);
    CHECK_EQ(len, 7);

    /* W formats read as on Windows: %s (and %ls) for a wide string, %S for a narrow one. */
    CHECK_EQ(StringCchPrintfW(d, 8, L"%ls:%d", L"k", 5), S_OK);
    CHECK_WSTR(d, L"k:5");
    CHECK_EQ(StringCchPrintfW(d, 8, L"%s:%d", L"w", 6), S_OK);
    CHECK_WSTR(d, L"w:6");
    CHECK_EQ(StringCchPrintfW(d, 8, L"%S", "narrow"), S_OK);
    CHECK_WSTR(d, L"narrow");
    CHECK_EQ(StringCchPrintfW(d, 8, L"%ls", L"much too long"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(d, L"much to");
    CHECK_EQ(StringCchPrintfW(d, 8, L"%ls", L"1234567"), S_OK);
    CHECK_WSTR(d, L"1234567");

    /* Byte counts are characters times sizeof(WCHAR), which is 4 here. */
    CHECK_EQ(sizeof(WCHAR), 4);
    CHECK_EQ(StringCbCopyW(d, sizeof(d), L"1234567"), S_OK);
    CHECK_EQ(StringCbCopyW(d, 4 * sizeof(WCHAR), L"1234567"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(d, L"123");
    CHECK_EQ(StringCbCopyW(d, 3, L"x"), STRSAFE_E_INVALID_PARAMETER); /* less than one WCHAR */
    CHECK_EQ(StringCbCopyNW(d, sizeof(d), L"abcdef", 3 * sizeof(WCHAR)), S_OK);
    CHECK_WSTR(d, L"abc");
    CHECK_EQ(StringCbCatW(d, sizeof(d), L"de"), S_OK);
    CHECK_EQ(StringCbCatNW(d, sizeof(d), L"fghi", 2 * sizeof(WCHAR)), S_OK);
    CHECK_WSTR(d, L"abcdefg");
    CHECK_EQ(StringCbLengthW(d, sizeof(d), &len), S_OK);
    CHECK_EQ(len, 7 * sizeof(WCHAR));
    CHECK_EQ(StringCbLengthW(d, 7 * sizeof(WCHAR), &len), STRSAFE_E_INVALID_PARAMETER);
    CHECK_EQ(StringCbPrintfW(d, sizeof(d), L"%d%d", 12, 34), S_OK);
    CHECK_WSTR(d, L"1234");
    CHECK_EQ(vprintw(d, 3 * sizeof(WCHAR), L"%d", 12345), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(d, L"12");
}

int main(void)
{
    test_narrow();
    test_wide();
    /* Without UNICODE the plain names are the A forms. */
    {
        char d[4];
        CHECK_EQ(StringCchCopy(d, 4, "abc"), S_OK);
        CHECK_EQ(StringCbPrintf(d, sizeof(d), "%d", 1), S_OK);
    }
    return check_finish();
}
