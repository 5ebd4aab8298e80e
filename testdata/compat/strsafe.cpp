/*
 * strsafe.cpp - strsafe.h in a Unicode C++ build (UNICODE defined, the C++
 * library first): the plain names are the W forms, TCHAR buffers work with
 * them, and a format that fails for a reason other than space ends with
 * STRSAFE_E_INVALID_PARAMETER, so a grow-and-retry loop terminates.
 */
#include <clocale>
#include <string>
#include <vector>

#define UNICODE
#include <windows.h>
#include <strsafe.h>

#include "check.h"

namespace {

/* The usual Windows pattern: grow the buffer until the text fits. */
std::wstring FormatGrowing(const wchar_t *name, int value)
{
    std::vector<WCHAR> buf(4);
    for (;;) {
        HRESULT hr = StringCchPrintf(buf.data(), buf.size(), TEXT("%s=%d"), name, value);
        if (hr != STRSAFE_E_INSUFFICIENT_BUFFER)
            return SUCCEEDED(hr) ? std::wstring(buf.data()) : std::wstring();
        buf.resize(buf.size() * 2);
    }
}

void TestUnicodeNames()
{
    TCHAR buf[8];
    size_t cch = 0;
    CHECK(StringCchCopy(buf, ARRAYSIZE(buf), TEXT("abc")) == S_OK);
    CHECK(StringCchCat(buf, ARRAYSIZE(buf), TEXT("def")) == S_OK);
    CHECK_WSTR(buf, L"abcdef");
    CHECK(StringCchCatN(buf, ARRAYSIZE(buf), TEXT("ghij"), 1) == S_OK);
    CHECK(StringCchLength(buf, ARRAYSIZE(buf), &cch) == S_OK);
    CHECK_EQ(cch, 7);
    CHECK(StringCchCopyN(buf, ARRAYSIZE(buf), TEXT("xyz"), 2) == S_OK);
    CHECK_WSTR(buf, L"xy");
    CHECK(StringCbCopy(buf, sizeof(buf), TEXT("0123456789")) == STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(buf, L"0123456");
    CHECK(StringCbCopyN(buf, sizeof(buf), TEXT("abc"), sizeof(TCHAR)) == S_OK);
    CHECK(StringCbCat(buf, sizeof(buf), TEXT("b")) == S_OK);
    CHECK(StringCbCatN(buf, sizeof(buf), TEXT("cd"), sizeof(TCHAR)) == S_OK);
    CHECK_WSTR(buf, L"abc");
    CHECK(StringCbLength(buf, sizeof(buf), &cch) == S_OK);
    CHECK_EQ(cch, 3 * sizeof(WCHAR));
    CHECK(StringCbPrintf(buf, sizeof(buf), TEXT("%d"), 7) == S_OK);
    CHECK_WSTR(buf, L"7");

    CHECK(FormatGrowing(L"a-rather-long-name", 12345) == L"a-rather-long-name=12345");
}

void TestEncodingErrors()
{
    char narrow[16];
    WCHAR wide[16];
    /* In the "C" locale a non-ASCII character cannot be converted: that is
     * not a size problem, so it must not read as "buffer too small". */
    setlocale(LC_CTYPE, "C");
    CHECK(StringCchPrintfA(narrow, 16, "%ls", L"caf\u00e9") == STRSAFE_E_INVALID_PARAMETER);
    CHECK_STR(narrow, "");
    CHECK(StringCchPrintfW(wide, 16, L"%S", "caf\xC3\xA9") == STRSAFE_E_INVALID_PARAMETER);
    CHECK_WSTR(wide, L"");
    if (setlocale(LC_CTYPE, "C.UTF-8") != nullptr) {
        CHECK(StringCchPrintfA(narrow, 16, "%ls", L"caf\u00e9") == S_OK);
        CHECK_STR(narrow, "caf\xC3\xA9");
        CHECK(StringCchPrintfW(wide, 16, L"%S", "caf\xC3\xA9") == S_OK);
        CHECK_WSTR(wide, L"caf\u00e9");
        setlocale(LC_CTYPE, "C");
    }
}

} // namespace

int main()
{
    TestUnicodeNames();
    TestEncodingErrors();
    return check_finish();
}
