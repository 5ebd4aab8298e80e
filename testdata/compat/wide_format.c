/*
 * wide_format.c - MSVC format strings in the MS-named printf functions, in
 * strict ISO C: every conversion the rewrite changes (wide %s/%c, %S/%C,
 * %hs/%ws, %I64d, %I32d, %Iu) and the ones it must leave alone (%ls, %%,
 * flags, width and precision with '*'), through every v-form at once, then
 * each variadic form, formats longer than the rewrite's stack buffer, and
 * C's own swprintf, which keeps C's reading. Compiled with -Wall -Werror,
 * so it also proves MSVC formats raise no -Wformat warnings.
 */
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <strsafe.h>

#include "check.h"

#define BIG 1024

static void fail_w(int line, const char *what, const wchar_t *got, const wchar_t *want)
{
    printf("FAIL wide_format.c:%d: %s gave L\"%ls\", want L\"%ls\"\n", line, what, got, want);
    check_failures++;
}
static void fail_a(int line, const char *what, const char *got, const char *want)
{
    printf("FAIL wide_format.c:%d: %s gave \"%s\", want \"%s\"\n", line, what, got, want);
    check_failures++;
}
static void fail_n(int line, const char *what, long long got, long long want)
{
    printf("FAIL wide_format.c:%d: %s returned %lld, want %lld\n", line, what, got, want);
    check_failures++;
}

/* Formats fmt with every wide v-form and expects want from each. */
static void expect_w(int line, const wchar_t *want, const wchar_t *fmt, ...)
{
    static wchar_t buf[BIG];
    int len = (int)wcslen(want), n;
    va_list ap, c;
    va_start(ap, fmt);

#define W_CASE(what, call, ok)                                  \
    do {                                                        \
        wmemset(buf, L'#', BIG);                                \
        va_copy(c, ap);                                         \
        n = (int)(call);                                        \
        va_end(c);                                              \
        if (!(ok))                                              \
            fail_n(line, what, n, len);                         \
        if (wcscmp(buf, want) != 0)                             \
            fail_w(line, what, buf, want);                      \
    } while (0)
    W_CASE("vswprintf_s", vswprintf_s(buf, BIG, fmt, c), n == len);
    W_CASE("_vsnwprintf", _vsnwprintf(buf, BIG, fmt, c), n == len);
    W_CASE("_vsnwprintf_s", _vsnwprintf_s(buf, BIG, _TRUNCATE, fmt, c), n == len);
    W_CASE("StringCchVPrintfW", StringCchVPrintfW(buf, BIG, fmt, c), n == S_OK);
    W_CASE("StringCbVPrintfW", StringCbVPrintfW(buf, sizeof(buf), fmt, c), n == S_OK);
#undef W_CASE
    va_copy(c, ap);
    n = _vscwprintf(fmt, c);
    va_end(c);
    if (n != len)
        fail_n(line, "_vscwprintf", n, len);
    va_end(ap);
}

/* The same for the narrow v-forms. */
static void expect_a(int line, const char *want, const char *fmt, ...)
{
    static char buf[BIG];
    int len = (int)strlen(want), n;
    va_list ap, c;
    va_start(ap, fmt);

#define A_CASE(what, call, ok)                                  \
    do {                                                        \
        memset(buf, '#', BIG);                                  \
        va_copy(c, ap);                                         \
        n = (int)(call);                                        \
        va_end(c);                                              \
        if (!(ok))                                              \
            fail_n(line, what, n, len);                         \
        if (strcmp(buf, want) != 0)                             \
            fail_a(line, what, buf, want);                      \
    } while (0)
    A_CASE("vsprintf_s", vsprintf_s(buf, BIG, fmt, c), n == len);
    A_CASE("_vsnprintf", _vsnprintf(buf, BIG, fmt, c), n == len);
    A_CASE("_vsnprintf_s", _vsnprintf_s(buf, BIG, _TRUNCATE, fmt, c), n == len);
    A_CASE("vsnprintf_s", vsnprintf_s(buf, BIG, BIG - 1, fmt, c), n == len);
    A_CASE("StringCchVPrintfA", StringCchVPrintfA(buf, BIG, fmt, c), n == S_OK);
    A_CASE("StringCbVPrintfA", StringCbVPrintfA(buf, BIG, fmt, c), n == S_OK);
#undef A_CASE
    va_copy(c, ap);
    n = _vscprintf(fmt, c);
    va_end(c);
    if (n != len)
        fail_n(line, "_vscprintf", n, len);
    va_end(ap);
}

static void test_wide_rules(void)
{
    /* The argument widths MSVC gives wide formats. */
    expect_w(__LINE__, L"wide", L"%s", L"wide");
    expect_w(__LINE__, L"narrow", L"%S", "narrow");
    expect_w(__LINE__, L"ab", L"%c%C", L'a', 'b');
    expect_w(__LINE__, L"w-n", L"%ls-%hs", L"w", "n");
    expect_w(__LINE__, L"x-y", L"%lc-%hc", L'x', 'y');
    expect_w(__LINE__, L"w-n|W-N", L"%ws-%hS|%wc-%hC", L"w", "n", L'W', 'N');
    expect_w(__LINE__, L"%s and %S", L"%%s and %%S");
    expect_w(__LINE__, L"%w", L"%%%s", L"w");
    expect_w(__LINE__, L"100%", L"%d%%", 100);
    expect_w(__LINE__, L"Is S c", L"Is S c"); /* letters outside conversions */

    /* Flags, width and precision, literal and from arguments. */
    expect_w(__LINE__, L"[   ab]", L"[%5s]", L"ab");
    expect_w(__LINE__, L"[ab   ]", L"[%-5s]", L"ab");
    expect_w(__LINE__, L"[ab]", L"[%.2s]", L"abcd");
    expect_w(__LINE__, L"[   ab]", L"[%*s]", 5, L"ab");
    expect_w(__LINE__, L"[ab   ]", L"[%-*.*s]", 5, 2, L"abcd");
    expect_w(__LINE__, L"[  n|na]", L"[%3S|%.*S]", "n", 2, "nar");
    expect_w(__LINE__, L"[ x|y ]", L"[%*c|%-2C]", 2, L'x', 'y');

    /* MSVC size prefixes. */
    expect_w(__LINE__, L"-9000000000 18446744073709551615 ffffffffffffffff", L"%I64d %I64u %I64x", -9000000000LL,
             ULLONG_MAX, ULLONG_MAX);
    expect_w(__LINE__, L"[        -1|0000000001]", L"[%10I64d|%010I64u]", -1LL, 1ULL);
    expect_w(__LINE__, L"7 -7 7fffffff", L"%I32u %I32d %I32x", 7u, -7, 0x7fffffff);
    expect_w(__LINE__, L"42 -3 2A", L"%Iu %Id %IX", (size_t)42, (ptrdiff_t)-3, (size_t)42);
    expect_w(__LINE__, L"[     -3]", L"[%*Id]", 7, (ptrdiff_t)-3);

    /* C's own conversions pass through. */
    expect_w(__LINE__, L"1 2 3.5 0x10 12345678901 9 ok", L"%hd %ld %.1f %#x %lld %zu %s", 1, 2L, 3.5, 16,
             12345678901LL, (size_t)9, L"ok");
}

static void test_narrow_rules(void)
{
    expect_a(__LINE__, "narrow", "%s", "narrow");
    expect_a(__LINE__, "wide", "%S", L"wide");
    expect_a(__LINE__, "ab", "%c%C", 'a', (wint_t)L'b');
    expect_a(__LINE__, "n-w", "%hs-%ls", "n", L"w");
    expect_a(__LINE__, "n-w", "%hc-%lc", 'n', (wint_t)L'w');
    expect_a(__LINE__, "w-x|n-N", "%ws-%wc|%hS-%hC", L"w", (wint_t)L'x', "n", 'N');
    expect_a(__LINE__, "%s and %S", "%%s and %%S");
    expect_a(__LINE__, "Is S c", "Is S c");
    expect_a(__LINE__, "[   ab|ab   |ab]", "[%*S|%-5S|%.2S]", 5, L"ab", L"ab", L"abcd");
    expect_a(__LINE__, "-9000000000 18446744073709551615 ffffffffffffffff", "%I64d %I64u %I64x", -9000000000LL,
             ULLONG_MAX, ULLONG_MAX);
    expect_a(__LINE__, "[        -1|0000000001]", "[%10I64d|%010I64u]", -1LL, 1ULL);
    expect_a(__LINE__, "7 -7", "%I32u %I32d", 7u, -7);
    expect_a(__LINE__, "42 -3 2a", "%Iu %Id %Ix", (size_t)42, (ptrdiff_t)-3, (size_t)42);
    expect_a(__LINE__, "1 3.5 0x10 12345678901 ok", "%hd %.1f %#x %lld %s", 1, 3.5, 16, 12345678901LL, "ok");
}

/* Each variadic form once, with a format the rewrite changes. */
static void test_variadic_forms(void)
{
    wchar_t w[16];
    char a[16];

    CHECK_EQ(swprintf_s(w, 16, L"%s|%S|%I64d", L"w", "n", 5LL), 5);
    CHECK_WSTR(w, L"w|n|5");
    CHECK_EQ(_snwprintf(w, 16, L"%s|%C", L"w", 'n'), 3);
    CHECK_WSTR(w, L"w|n");
    /* Exactly count characters: stored without a terminator. */
    wmemset(w, L'#', 16);
    CHECK_EQ(_snwprintf(w, 4, L"%s", L"abcd"), 4);
    CHECK(wmemcmp(w, L"abcd#", 5) == 0);
    CHECK_EQ(_snwprintf_s(w, 16, _TRUNCATE, L"%c%S", L'w', "n"), 2);
    CHECK_WSTR(w, L"wn");
    CHECK_EQ(_snwprintf_s(w, 4, _TRUNCATE, L"%s", L"abcdef"), -1);
    CHECK_WSTR(w, L"abc");
    CHECK_EQ(_scwprintf(L"%s%I64u", L"abc", 12345ULL), 8);
    CHECK_EQ(StringCchPrintfW(w, 16, L"%s=%I64d", L"k", -1LL), S_OK);
    CHECK_WSTR(w, L"k=-1");
    CHECK_EQ(StringCchPrintfW(w, 4, L"%s", L"abcdef"), STRSAFE_E_INSUFFICIENT_BUFFER);
    CHECK_WSTR(w, L"abc");
    CHECK_EQ(StringCbPrintfW(w, sizeof(w), L"%S%c", "n", L'w'), S_OK);
    CHECK_WSTR(w, L"nw");

    CHECK_EQ(sprintf_s(a, sizeof(a), "%S|%I64d", L"w", 5LL), 3);
    CHECK_STR(a, "w|5");
    CHECK_EQ(_snprintf(a, sizeof(a), "%hs|%Iu", "n", (size_t)3), 3);
    CHECK_STR(a, "n|3");
    CHECK_EQ(_snprintf_s(a, sizeof(a), _TRUNCATE, "%ws%I32d", L"w", 1), 2);
    CHECK_STR(a, "w1");
    CHECK_EQ(_scprintf("%I64d", -5000000000LL), 11);
    CHECK_EQ(StringCchPrintfA(a, sizeof(a), "%S%I64u", L"w", 7ULL), S_OK);
    CHECK_STR(a, "w7");
    CHECK_EQ(StringCbPrintfA(a, sizeof(a), "%C%Ix", (wint_t)L'w', (size_t)255), S_OK);
    CHECK_STR(a, "wff");
}

/* Formats around and past the stack buffer (IISHOST_MSFMT_STACK) take the
 * heap path, uncut. */
static void test_long_formats(void)
{
    static wchar_t wfmt[BIG], wwant[BIG];
    static char afmt[BIG], awant[BIG];
    size_t len;
    for (len = 2 * IISHOST_MSFMT_STACK / 3 - 8; len <= 2 * IISHOST_MSFMT_STACK / 3 + 8; len++) {
        /* len - 2 letters and a conversion: the rewrite is one longer. */
        wmemset(wfmt, L'a', len - 2);
        wcscpy(wfmt + len - 2, L"%s");
        wmemset(wwant, L'a', len - 2);
        wcscpy(wwant + len - 2, L"zz");
        expect_w(__LINE__, wwant, wfmt, L"zz");
        memset(afmt, 'a', len - 2);
        strcpy(afmt + len - 2, "%S");
        memset(awant, 'a', len - 2);
        strcpy(awant + len - 2, "zz");
        expect_a(__LINE__, awant, afmt, L"zz");
    }

    /* Well past the buffer: every conversion after the first 300 characters
     * still counts. */
    wmemset(wfmt, L'x', 300);
    wcscpy(wfmt + 300, L"%s|%S|%I64d|%c|%%s|%-*.*s]");
    wmemset(wwant, L'x', 300);
    wcscpy(wwant + 300, L"w|n|-1|c|%s|ab  ]");
    expect_w(__LINE__, wwant, wfmt, L"w", "n", -1LL, L'c', 4, 2, L"abc");
    memset(afmt, 'x', 300);
    strcpy(afmt + 300, "%S|%s|%I64d|%C|%%S|%-*.*S]");
    memset(awant, 'x', 300);
    strcpy(awant + 300, "w|n|-1|c|%S|ab  ]");
    expect_a(__LINE__, awant, afmt, L"w", "n", -1LL, (wint_t)L'c', 4, 2, L"abc");
}

/* Non-ASCII arguments convert through LC_CTYPE, as before the rewrite. */
static void test_locale(void)
{
    wchar_t w[8];
    char a[8];
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
        return;
    CHECK_EQ(swprintf_s(w, 8, L"%S|%s", "\xC3\xA9", L"\u20ac"), 3);
    CHECK_WSTR(w, L"\u00e9|\u20ac");
    CHECK_EQ(sprintf_s(a, sizeof(a), "%S", L"\u00e9"), 2);
    CHECK_STR(a, "\xC3\xA9");
    setlocale(LC_CTYPE, "C");
}

/* The C library's names keep C's reading: %s in a wide format is narrow. */
static void test_c_names_untouched(void)
{
    wchar_t w[16];
    CHECK_EQ(swprintf(w, 16, L"%s|%ls", "narrow", L"w"), 8);
    CHECK_WSTR(w, L"narrow|w");
}

int main(void)
{
    test_wide_rules();
    test_narrow_rules();
    test_variadic_forms();
    test_long_formats();
    test_locale();
    test_c_names_untouched();
    return check_finish();
}
