/*
 * tchar_narrow.c - a narrow (neither UNICODE nor _UNICODE) build in strict
 * ISO C: every generic-text name resolves to its char function, and
 * TCHAR/TEXT stay narrow too.
 */
#include <tchar.h>
#include <windows.h>
#include <strsafe.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

C_ASSERT(sizeof(_TCHAR) == 1);
C_ASSERT(sizeof(TCHAR) == 1);
C_ASSERT(sizeof(_T("ab")) == 3);
C_ASSERT(sizeof(TEXT("ab")) == 3);

static int format(_TCHAR *buf, size_t size, const _TCHAR *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vstprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

int main(void)
{
    _TCHAR buf[16], list[] = _T("k=v;x=y"), *next = NULL, *copy;
    const _TCHAR *path = _T("/a/b/c.txt");
    FILE *f;
    size_t len = 0;

    CHECK_EQ(_tcslen(_T("abc")), 3);
    CHECK_EQ(_tcscpy_s(buf, _countof(buf), _T("Hello")), 0);
    CHECK_EQ(_tcscat_s(buf, _countof(buf), _T("!")), 0);
    CHECK_STR(buf, "Hello!");
    CHECK_EQ(_tcsncpy_s(buf, 4, _T("abcdef"), _TRUNCATE), STRUNCATE);
    CHECK_STR(buf, "abc");
    CHECK_EQ(_tcsncat_s(buf, _countof(buf), _T("defgh"), 2), 0);
    CHECK_STR(buf, "abcde");
    CHECK(_tcscmp(_T("b"), _T("a")) > 0);
    CHECK_EQ(_tcsicmp(_T("ABC"), _T("abc")), 0);
    CHECK_EQ(_tcsnicmp(_T("ABCx"), _T("abcy"), 3), 0);
    CHECK(_tcschr(path, _T('b')) == path + 3);
    CHECK(_tcsrchr(path, _T('/')) == path + 4);
    CHECK(_tcsstr(path, _T("txt")) == path + 7);
    CHECK_STR(_tcstok_s(list, _T(";"), &next), "k=v");
    CHECK_STR(_tcstok_s(NULL, _T(";"), &next), "x=y");
    copy = _tcsdup(_T("dup"));
    CHECK_STR(copy, "dup");
    free(copy);

    CHECK_EQ(_stprintf_s(buf, _countof(buf), _T("%s=%d"), "n", 3), 3);
    CHECK_STR(buf, "n=3");
    CHECK_EQ(_sntprintf_s(buf, _countof(buf), _TRUNCATE, _T("%s"), "0123456789abcdefXYZ"), -1);
    CHECK_STR(buf, "0123456789abcde");
    CHECK_EQ(format(buf, _countof(buf), _T("%x"), 255), 2);
    CHECK_STR(buf, "ff");
    /* MSVC's narrow reading: %S is a wide string, %I64d a 64-bit integer. */
    CHECK_EQ(_stprintf_s(buf, _countof(buf), _T("%S|%I64d"), L"w", -5000000000LL), 13);
    CHECK_STR(buf, "w|-5000000000");
    CHECK_EQ(_sntprintf(buf, _countof(buf), _T("%hs%Iu"), "h", (size_t)7), 2);
    CHECK_STR(buf, "h7");
    CHECK_EQ(_sctprintf(_T("%I64u"), 18446744073709551615ULL), 20);
    f = tmpfile();
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK_EQ(_ftprintf(f, _T("%d %S"), 42, L"w"), 4);
        rewind(f);
        CHECK(_fgetts(buf, _countof(buf), f) != NULL);
        CHECK_STR(buf, "42 w");
        fclose(f);
    }

    CHECK_EQ(_tcstol(_T("-0x10"), NULL, 16), -16);
    CHECK_EQ(_tcstoul(_T("17"), NULL, 8), 15);
    CHECK_EQ(_ttoi(_T("42")), 42);
    CHECK_EQ(_ttol(_T("-5")), -5);
    CHECK_EQ(_tstoi(_T("9")), 9);
    CHECK_EQ(_itot_s(-12, buf, _countof(buf), 10), 0);
    CHECK_STR(buf, "-12");
    CHECK_EQ(_ltot_s(10L, buf, _countof(buf), 2), 0);
    CHECK_STR(buf, "1010");
    CHECK(_totlower(_T('A')) == _T('a'));
    CHECK(_totupper(_T('a')) == _T('A'));
    CHECK(_istspace(_T('\t')) && _istdigit(_T('0')) && _istalpha(_T('Q')) && !_istalpha(_T('_')));

    f = _tfopen(_T("/nonexistent/iishost"), _T("r"));
    CHECK(f == NULL);
    CHECK_EQ(_tfopen_s(&f, _T("/nonexistent/iishost"), _T("r")), ENOENT);

    CHECK_EQ(lstrlen(TEXT("abcd")), 4); /* lstrlenA */
    CHECK(SUCCEEDED(StringCchCopy(buf, _countof(buf), TEXT("narrow"))));
    CHECK(SUCCEEDED(StringCchLength(buf, _countof(buf), &len)));
    CHECK_EQ(len, 6);
    return check_finish();
}
