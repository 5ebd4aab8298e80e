/*
 * tchar_unicode.cpp - a Unicode build (UNICODE and _UNICODE, as Visual
 * Studio's "Use Unicode Character Set" defines them): tchar.h first, then
 * windows.h and strsafe.h. Every generic-text name resolves to its wide
 * function and behaves as that function does.
 */
#define UNICODE
#define _UNICODE
#include <tchar.h>

#include <windows.h>
#include <strsafe.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <type_traits>

#include "check.h"

namespace {

static_assert(std::is_same<_TCHAR, wchar_t>::value, "_TCHAR is wchar_t");
static_assert(std::is_same<TCHAR, WCHAR>::value, "TCHAR follows UNICODE");
static_assert(sizeof(_T("ab")) == 3 * sizeof(wchar_t), "_T makes wide literals");
static_assert(sizeof(TEXT("ab")) == 3 * sizeof(WCHAR), "TEXT makes wide literals");
static_assert(sizeof(_TEXT("ab")) == sizeof(__T("ab")), "_TEXT and __T agree");

int Format(_TCHAR *buf, size_t size, const _TCHAR *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vstprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void TestStrings()
{
    _TCHAR buf[16];
    _TCHAR *next = nullptr;

    CHECK_EQ(_tcslen(_T("abc")), 3);
    CHECK_EQ(_tcscpy_s(buf, _T("Hello")), 0);
    CHECK_EQ(_tcscat_s(buf, _countof(buf), _T(", you")), 0);
    CHECK_WSTR(buf, L"Hello, you");
    CHECK_EQ(_tcsncpy_s(buf, _countof(buf), _T("abcdef"), 3), 0);
    CHECK_WSTR(buf, L"abc");
    CHECK_EQ(_tcsncat_s(buf, _T("defghijklmnopqrstu"), _TRUNCATE), STRUNCATE);
    CHECK_EQ(_tcslen(buf), 15);
    CHECK(_tcscmp(_T("a"), _T("b")) < 0);
    CHECK_EQ(_tcsicmp(_T("HeLLo"), _T("hello")), 0);
    CHECK_EQ(_tcsncmp(_T("abcX"), _T("abcY"), 3), 0);
    CHECK_EQ(_tcsnicmp(_T("ABCx"), _T("abcy"), 3), 0);
    const _TCHAR *path = _T("/a/b/c.txt");
    CHECK(_tcschr(path, _T('/')) == path);
    CHECK(_tcsrchr(path, _T('/')) == path + 4);
    CHECK(_tcsstr(path, _T("c.t")) == path + 5);
    CHECK_EQ(_tcsspn(_T("aab"), _T("a")), 2);
    CHECK_EQ(_tcscspn(_T("aab"), _T("b")), 2);

    _TCHAR list[] = _T("x, y,z");
    CHECK_WSTR(_tcstok_s(list, _T(", "), &next), L"x");
    CHECK_WSTR(_tcstok_s(nullptr, _T(", "), &next), L"y");
    CHECK_WSTR(_tcstok_s(nullptr, _T(", "), &next), L"z");
    CHECK(_tcstok_s(nullptr, _T(", "), &next) == nullptr);

    _TCHAR *copy = _tcsdup(_T("dup"));
    CHECK_WSTR(copy, L"dup");
    free(copy);
    _TCHAR mixed[] = _T("MiXeD");
    CHECK_EQ(_tcslwr_s(mixed, _countof(mixed)), 0);
    CHECK_WSTR(mixed, L"mixed");
    CHECK_EQ(_tcsupr_s(mixed), 0);
    CHECK_WSTR(mixed, L"MIXED");
}

void TestFormatting()
{
    _TCHAR buf[16];
    /* Formats read as on Windows: in a Unicode build %s is a _TCHAR string,
     * %S a narrow one; %ls is wide either way. */
    CHECK_EQ(_stprintf_s(buf, _T("%d-%s"), 5, _T("x")), 3);
    CHECK_WSTR(buf, L"5-x");
    CHECK_EQ(_stprintf_s(buf, _T("%d-%ls"), 6, L"y"), 3);
    CHECK_WSTR(buf, L"6-y");
    CHECK_EQ(_stprintf_s(buf, _countof(buf), _T("%S"), "narrow"), 6);
    CHECK_WSTR(buf, L"narrow");
    CHECK_EQ(_sntprintf_s(buf, _countof(buf), _TRUNCATE, _T("%s"), _T("0123456789abcdefXYZ")), -1);
    CHECK_WSTR(buf, L"0123456789abcde");
    CHECK_EQ(_sntprintf(buf, _countof(buf), _T("%c%C"), _T('w'), 'n'), 2);
    CHECK_WSTR(buf, L"wn");
    CHECK_EQ(Format(buf, _countof(buf), _T("[%03d|%s]"), 7, _T("v")), 7);
    CHECK_WSTR(buf, L"[007|v]");
    CHECK_EQ(_sctprintf(_T("%s"), _T("four")), 4);

    FILE *f = tmpfile();
    CHECK(f != nullptr);
    if (f != nullptr) {
        CHECK_EQ(_ftprintf(f, _T("%d %s %S"), 42, _T("wide"), "narrow"), 14);
        rewind(f);
        wchar_t line[24];
        CHECK(_fgetts(line, 24, f) != nullptr);
        CHECK_WSTR(line, L"42 wide narrow");
        fclose(f);
    }
    /* _tprintf is an MSVC-format wrapper over the wide printf, not wprintf itself. */
    int (*print)(const wchar_t *, ...) = _tprintf;
    CHECK(print != nullptr && print != wprintf);
}

void TestNumbersAndClasses()
{
    _TCHAR buf[40];
    CHECK_EQ(_tcstol(_T("0x1f"), nullptr, 16), 31);
    CHECK_EQ(_tcstoul(_T("4000000000"), nullptr, 10), 4000000000UL);
    CHECK_EQ(_ttoi(_T("42")), 42);
    CHECK_EQ(_tstoi(_T("-7")), -7);
    CHECK_EQ(_ttol(_T("100000")), 100000);
    CHECK_EQ(_ttoi64(_T("-9000000000")), -9000000000LL);
    CHECK_EQ(_itot_s(-12, buf, 10), 0);
    CHECK_WSTR(buf, L"-12");
    CHECK_EQ(_itot_s(255, buf, _countof(buf), 16), 0);
    CHECK_WSTR(buf, L"ff");
    CHECK_EQ(_ltot_s(-1L, buf, 16), 0);
    CHECK_WSTR(buf, L"ffffffff");
    CHECK_WSTR(_itot(3, buf, 2), L"11");

    CHECK(_totlower(_T('A')) == _T('a'));
    CHECK(_totupper(_T('q')) == _T('Q'));
    CHECK(_istspace(_T(' ')) && !_istspace(_T('x')));
    CHECK(_istdigit(_T('7')) && !_istdigit(_T('a')));
    CHECK(_istalpha(_T('z')) && !_istalpha(_T('1')));
    CHECK(_istalnum(_T('1')) && _istxdigit(_T('F')) && _istupper(_T('F')) && _istlower(_T('f')));
}

void TestFiles()
{
    _TCHAR name[64];
    char narrow[64];
    unsigned long pid = (unsigned long)GetCurrentProcessId();
    _stprintf_s(name, _T("/tmp/iishost-tchar-\u00e9-%lu.txt"), pid);
    sprintf_s(narrow, "/tmp/iishost-tchar-\xC3\xA9-%lu.txt", pid);

    FILE *f = _tfopen(name, _T("w"));
    CHECK(f != nullptr);
    if (f != nullptr) {
        _fputts(_T("x"), f);
        fclose(f);
    }
    f = fopen(narrow, "r"); /* the wide name became UTF-8 */
    CHECK(f != nullptr);
    if (f != nullptr)
        fclose(f);
    CHECK_EQ(_tfopen_s(&f, name, _T("r")), 0);
    if (f != nullptr)
        fclose(f);
    remove(narrow);
}

void TestWindowsNames()
{
    TCHAR buf[8];
    size_t len = 0;
    CHECK_EQ(lstrlen(TEXT("abc")), 3); /* lstrlenW */
    CHECK(lstrcpyn(buf, TEXT("abcdefghij"), 8) == buf);
    CHECK_WSTR(buf, L"abcdefg");
    CHECK_EQ(lstrcmpi(TEXT("X"), TEXT("x")), 0);
    CHECK(StringCchCopy(buf, _countof(buf), TEXT("0123456789")) == STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(buf, L"0123456");
    CHECK(SUCCEEDED(StringCchLength(buf, _countof(buf), &len)));
    CHECK_EQ(len, 7);
    CHECK(SUCCEEDED(StringCbPrintf(buf, sizeof(buf), TEXT("%d"), 12)));
    CHECK_WSTR(buf, L"12");
}

} // namespace

int main()
{
    TestStrings();
    TestFormatting();
    TestNumbersAndClasses();
    TestFiles();
    TestWindowsNames();
    return check_finish();
}
