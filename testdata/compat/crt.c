/*
 * crt.c - the secure CRT layer (iishost/crt_secure.h) in strict ISO C, with
 * every C library header included before windows.h: return values, errno,
 * truncation and what the destination holds after each documented error.
 * Where the CRT documentation gives an example, its expected output is
 * checked here.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "check.h"

static void test_copy(void)
{
    char d[10];
    wchar_t w[6];

    CHECK_EQ(sizeof(errno_t), sizeof(int));
    CHECK(_TRUNCATE == (size_t)-1);
    CHECK_EQ(STRUNCATE, 80);

    CHECK_EQ(strcpy_s(d, sizeof(d), "hello"), 0);
    CHECK_STR(d, "hello");
    errno = 0;
    CHECK_EQ(strcpy_s(NULL, 10, "x"), EINVAL);
    CHECK_EQ(errno, EINVAL);
    strcpy(d, "keep");
    CHECK_EQ(strcpy_s(d, 0, "x"), EINVAL);
    CHECK_STR(d, "keep"); /* size 0: not touched */
    CHECK_EQ(strcpy_s(d, sizeof(d), NULL), EINVAL);
    CHECK_STR(d, "");
    strcpy(d, "keep");
    errno = 0;
    CHECK_EQ(strcpy_s(d, 5, "hello"), ERANGE); /* no room for the terminator */
    CHECK_EQ(errno, ERANGE);
    CHECK_STR(d, "");
    CHECK_EQ(strcpy_s(d, 6, "hello"), 0);
    CHECK_EQ(wcscpy_s(w, 6, L"wide!"), 0);
    CHECK_WSTR(w, L"wide!");
    CHECK_EQ(wcscpy_s(w, 6, L"toolong"), ERANGE);
    CHECK_WSTR(w, L"");
}

/* The strncpy_s documentation's example, with a 10-byte destination. */
static errno_t ncpy(char *dest, const char *src, size_t count)
{
    return strncpy_s(dest, 10, src, count);
}

static void test_ncopy(void)
{
    char d[10], five[5];
    wchar_t w[4];

    CHECK_EQ(ncpy(d, "howdy", 4), 0);
    CHECK_STR(d, "howd");
    CHECK_EQ(ncpy(d, "howdy", 5), 0);
    CHECK_STR(d, "howdy");
    CHECK_EQ(ncpy(d, "howdy", 6), 0);
    CHECK_STR(d, "howdy");
    CHECK_EQ(ncpy(d, "Hi there!!", 10), ERANGE);
    CHECK_STR(d, "");
    CHECK_EQ(ncpy(d, "How do you do?", _TRUNCATE), STRUNCATE);
    CHECK_STR(d, "How do yo");
    CHECK_EQ(ncpy(d, "Howdy.", _TRUNCATE), 0);
    CHECK_STR(d, "Howdy.");
    CHECK_EQ(strncpy_s(five, 5, "a long string", 5), ERANGE);
    CHECK_STR(five, "");
    CHECK_EQ(strncpy_s(five, 5, "a long string", 4), 0);
    CHECK_STR(five, "a lo");
    CHECK_EQ(strncpy_s(five, 5, "abc", 0), 0);
    CHECK_STR(five, "");
    CHECK_EQ(strncpy_s(five, 5, NULL, 1), EINVAL);
    CHECK_EQ(strncpy_s(NULL, 5, "a", 1), EINVAL);
    CHECK_EQ(strncpy_s(five, 0, "a", 1), EINVAL);
    CHECK_EQ(wcsncpy_s(w, 4, L"abcdef", _TRUNCATE), STRUNCATE);
    CHECK_WSTR(w, L"abc");
    CHECK_EQ(wcsncpy_s(w, 4, L"abcdef", 2), 0);
    CHECK_WSTR(w, L"ab");
}

/* The strncat_s documentation's example, with a 10-byte destination. */
static errno_t ncat(char *dest, const char *initial, const char *src, size_t count)
{
    strcpy_s(dest, 10, initial);
    return strncat_s(dest, 10, src, count);
}

static void test_cat(void)
{
    char d[10], buf[16], raw[4] = {'a', 'b', 'c', 'd'};
    wchar_t w[8];

    CHECK_EQ(strcpy_s(buf, 16, "Start"), 0);
    CHECK_EQ(strcat_s(buf, 16, " End"), 0);
    CHECK_STR(buf, "Start End");
    CHECK_EQ(strcat_s(buf, 12, "!!!"), ERANGE);
    CHECK_STR(buf, "");
    CHECK_EQ(strcat_s(raw, 4, "x"), EINVAL); /* destination not terminated: left alone */
    CHECK(memcmp(raw, "abcd", 4) == 0);
    strcpy(buf, "keep");
    CHECK_EQ(strcat_s(buf, 16, NULL), EINVAL);
    CHECK_STR(buf, "");
    CHECK_EQ(strcat_s(NULL, 16, "x"), EINVAL);
    CHECK_EQ(strcat_s(buf, 0, "x"), EINVAL);

    CHECK_EQ(ncat(d, "hi ", "there", 4), 0);
    CHECK_STR(d, "hi ther");
    CHECK_EQ(ncat(d, "hi ", "there", 5), 0);
    CHECK_STR(d, "hi there");
    CHECK_EQ(ncat(d, "hi ", "there", 6), 0);
    CHECK_STR(d, "hi there");
    CHECK_EQ(ncat(d, "hello ", "there", 4), ERANGE);
    CHECK_STR(d, "");
    CHECK_EQ(ncat(d, "hello ", "there", _TRUNCATE), STRUNCATE);
    CHECK_STR(d, "hello the");
    CHECK_EQ(ncat(d, "hello ", "!", _TRUNCATE), 0);
    CHECK_STR(d, "hello !");
    CHECK_EQ(ncat(d, "hello ", "!", 0), 0);
    CHECK_STR(d, "hello ");

    CHECK_EQ(wcscpy_s(w, 8, L"ab"), 0);
    CHECK_EQ(wcscat_s(w, 8, L"cd"), 0);
    CHECK_EQ(wcsncat_s(w, 8, L"efghij", _TRUNCATE), STRUNCATE);
    CHECK_WSTR(w, L"abcdefg");
    CHECK_EQ(wcscat_s(w, 8, L"x"), ERANGE);
    CHECK_WSTR(w, L"");
}

static void test_memory(void)
{
    char src[8] = "1234567", dst[8];
    wchar_t wd[4];

    CHECK_EQ(memcpy_s(NULL, 0, NULL, 0), 0); /* nothing to copy: no checks */
    CHECK_EQ(memcpy_s(dst, sizeof(dst), src, 8), 0);
    CHECK_STR(dst, "1234567");
    CHECK_EQ(memcpy_s(NULL, 8, src, 8), EINVAL);
    memset(dst, 'x', sizeof(dst));
    CHECK_EQ(memcpy_s(dst, sizeof(dst), NULL, 4), EINVAL);
    CHECK(dst[0] == 0 && dst[7] == 0); /* zeroed */
    memset(dst, 'x', sizeof(dst));
    errno = 0;
    CHECK_EQ(memcpy_s(dst, 4, src, 8), ERANGE);
    CHECK_EQ(errno, ERANGE);
    CHECK(dst[0] == 0 && dst[3] == 0 && dst[4] == 'x'); /* only destSize bytes zeroed */

    CHECK_EQ(memmove_s(src + 1, 7, src, 6), 0); /* overlapping */
    CHECK_STR(src, "1123456");
    memset(dst, 'x', sizeof(dst));
    CHECK_EQ(memmove_s(dst, 8, NULL, 4), EINVAL);
    CHECK(dst[0] == 'x');
    CHECK_EQ(memmove_s(dst, 2, src, 4), ERANGE);
    CHECK(dst[0] == 'x'); /* not modified */

    CHECK_EQ(wmemcpy_s(wd, 4, L"abc", 4), 0);
    CHECK_WSTR(wd, L"abc");
    CHECK_EQ(wmemcpy_s(wd, 2, L"abc", 4), ERANGE);
    CHECK_EQ(wmemmove_s(wd, 4, L"xy", 3), 0);
    CHECK_WSTR(wd, L"xy");
}

static int call_vsprintf_s(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static void test_printf(void)
{
    char b[10];
    wchar_t w[10];
    const char *nofmt = NULL;

    CHECK_EQ(sprintf_s(b, sizeof(b), "%d-%s", 42, "ab"), 5);
    CHECK_STR(b, "42-ab");
    errno = 0;
    CHECK_EQ(sprintf_s(b, sizeof(b), "%s", "0123456789"), -1); /* 10 + terminator > 10 */
    CHECK_EQ(errno, ERANGE);
    CHECK_STR(b, "");
    CHECK_EQ(sprintf_s(b, sizeof(b), "%s", "012345678"), 9);
    errno = 0;
    CHECK_EQ(sprintf_s(NULL, 10, "x%d", 1), -1);
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    CHECK_EQ(sprintf_s(b, sizeof(b), nofmt, 1), -1);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(call_vsprintf_s(b, sizeof(b), "%05d", 7), 5);
    CHECK_STR(b, "00007");

    CHECK_EQ(swprintf_s(w, 10, L"%d-%ls", 7, L"wx"), 4);
    CHECK_WSTR(w, L"7-wx");
    /* MSVC's reading (wide_format.c has every rule): %s is a wide string, %S a narrow one. */
    CHECK_EQ(swprintf_s(w, 10, L"%s", L"wide"), 4);
    CHECK_WSTR(w, L"wide");
    CHECK_EQ(swprintf_s(w, 10, L"%S", "narrow"), 6);
    CHECK_WSTR(w, L"narrow");
    errno = 0;
    CHECK_EQ(swprintf_s(w, 10, L"%ls", L"0123456789"), -1);
    CHECK_EQ(errno, ERANGE);
    CHECK_WSTR(w, L"");

    /* _snprintf: short output is terminated; exactly count characters are
     * stored without a terminator; longer output is cut and returns -1. */
    memset(b, 'x', sizeof(b));
    CHECK_EQ(_snprintf(b, 5, "%s", "abc"), 3);
    CHECK_STR(b, "abc");
    memset(b, 'x', sizeof(b));
    CHECK_EQ(_snprintf(b, 5, "%s", "abcde"), 5);
    CHECK(memcmp(b, "abcdex", 6) == 0);
    memset(b, 'x', sizeof(b));
    CHECK_EQ(_snprintf(b, 5, "%s", "abcdefg"), -1);
    CHECK(memcmp(b, "abcdex", 6) == 0);
    CHECK_EQ(_snprintf(NULL, 0, "%d", 12345), 5); /* measures */
    wmemset(w, L'x', 10);
    CHECK_EQ(_snwprintf(w, 5, L"%ls", L"abcde"), 5);
    CHECK(wmemcmp(w, L"abcdex", 6) == 0);
    CHECK_EQ(_snwprintf(w, 5, L"%ls", L"abcdefg"), -1);
    CHECK(wmemcmp(w, L"abcdex", 6) == 0);
    CHECK_EQ(_snwprintf(w, 5, L"%ls", L"ab"), 2);
    CHECK_WSTR(w, L"ab");

    CHECK_EQ(_scprintf("%d", 12345), 5);
    CHECK_EQ(_scwprintf(L"%ls!", L"abc"), 4);
}

/* The _snprintf_s documentation's example, with a 10-byte destination:
 * the formatted text "<<<121>>>" is 9 characters. */
static int snp(char *dest, int x, size_t count)
{
    return _snprintf_s(dest, 10, count, "<<<%d>>>", x);
}

static void test_snprintf_s(void)
{
    char d[10];
    wchar_t w[10];

    CHECK_EQ(snp(d, 121, 8), -1); /* cut by count, not an error */
    CHECK_STR(d, "<<<121>>");
    CHECK_EQ(snp(d, 121, 9), 9);
    CHECK_STR(d, "<<<121>>>");
    CHECK_EQ(snp(d, 121, 10), 9);
    CHECK_STR(d, "<<<121>>>");
    errno = 0;
    CHECK_EQ(snp(d, 1221, 10), -1); /* the buffer is too small */
    CHECK_EQ(errno, ERANGE);
    CHECK_STR(d, "");
    errno = 0;
    CHECK_EQ(snp(d, 1221, _TRUNCATE), -1);
    CHECK_EQ(errno, 0); /* truncation is not an error */
    CHECK_STR(d, "<<<1221>>");
    CHECK_EQ(snp(d, 121, _TRUNCATE), 9);
    CHECK_STR(d, "<<<121>>>");
    CHECK_EQ(_snprintf_s(NULL, 10, 5, "%d", 1), -1);

    CHECK_EQ(_snwprintf_s(w, 10, 8, L"<<<%d>>>", 121), -1);
    CHECK_WSTR(w, L"<<<121>>");
    CHECK_EQ(_snwprintf_s(w, 10, _TRUNCATE, L"<<<%d>>>", 1221), -1);
    CHECK_WSTR(w, L"<<<1221>>");
    errno = 0;
    CHECK_EQ(_snwprintf_s(w, 10, 10, L"<<<%d>>>", 1221), -1);
    CHECK_EQ(errno, ERANGE);
    CHECK_WSTR(w, L"");
    CHECK_EQ(_snwprintf_s(w, 10, _TRUNCATE, L"%ls", L"fits"), 4);
}

static void test_itoa(void)
{
    char b[66];
    wchar_t w[66];

    /* From the _itoa_s documentation's example: -1 in several radixes. */
    CHECK_EQ(_itoa_s(-1, b, sizeof(b), 10), 0);
    CHECK_STR(b, "-1");
    CHECK_EQ(_itoa_s(-1, b, sizeof(b), 9), 0);
    CHECK_STR(b, "12068657453");
    CHECK_EQ(_itoa_s(-1, b, sizeof(b), 8), 0);
    CHECK_STR(b, "37777777777");
    CHECK_EQ(_itoa_s(-1, b, sizeof(b), 2), 0);
    CHECK_STR(b, "11111111111111111111111111111111");
    CHECK_EQ(_i64toa_s(-1LL, b, sizeof(b), 9), 0);
    CHECK_STR(b, "145808576354216723756");
    CHECK_EQ(_i64toa_s(-1LL, b, sizeof(b), 3), 0);
    CHECK_STR(b, "11112220022122120101211020120210210211220");
    CHECK_EQ(_ui64toa_s(0xFFFFFFFFFFFFFFFFULL, b, sizeof(b), 10), 0);
    CHECK_STR(b, "18446744073709551615");
    CHECK_EQ(_ui64toa_s(0xFFFFFFFFFFFFFFFFULL, b, sizeof(b), 7), 0);
    CHECK_STR(b, "45012021522523134134601");

    CHECK_EQ(_itoa_s(255, b, sizeof(b), 16), 0);
    CHECK_STR(b, "ff"); /* lowercase letters */
    CHECK_EQ(_itoa_s(35, b, sizeof(b), 36), 0);
    CHECK_STR(b, "z");
    CHECK_EQ(_itoa_s(INT_MIN, b, sizeof(b), 10), 0);
    CHECK_STR(b, "-2147483648");
    CHECK_EQ(_ltoa_s(-1L, b, sizeof(b), 16), 0);
    CHECK_STR(b, "ffffffff"); /* long is 32-bit on Windows */
    CHECK_EQ(_ltoa_s(-123L, b, sizeof(b), 10), 0);
    CHECK_STR(b, "-123");
    CHECK_EQ(_ultoa_s(4000000000UL, b, sizeof(b), 10), 0);
    CHECK_STR(b, "4000000000");
    CHECK_EQ(_i64toa_s(-9223372036854775807LL - 1, b, sizeof(b), 10), 0);
    CHECK_STR(b, "-9223372036854775808");

    CHECK_EQ(_itoa_s(12345, b, 6, 10), 0);
    CHECK_STR(b, "12345");
    CHECK_EQ(_itoa_s(12345, b, 5, 10), EINVAL); /* too small: EINVAL, as documented */
    CHECK_STR(b, "");
    CHECK_EQ(_itoa_s(1, b, sizeof(b), 1), EINVAL);
    CHECK_STR(b, "");
    CHECK_EQ(_itoa_s(1, b, sizeof(b), 37), EINVAL);
    CHECK_EQ(_itoa_s(1, NULL, 10, 10), EINVAL);
    CHECK_EQ(_itoa_s(1, b, 0, 10), EINVAL);

    CHECK_EQ(_itow_s(-42, w, 66, 10), 0);
    CHECK_WSTR(w, L"-42");
    CHECK_EQ(_ltow_s(-1L, w, 66, 16), 0);
    CHECK_WSTR(w, L"ffffffff");
    CHECK_EQ(_ultow_s(10UL, w, 66, 2), 0);
    CHECK_WSTR(w, L"1010");
    CHECK_EQ(_i64tow_s(-5LL, w, 66, 10), 0);
    CHECK_WSTR(w, L"-5");
    CHECK_EQ(_ui64tow_s(0xABCULL, w, 66, 16), 0);
    CHECK_WSTR(w, L"abc");
    CHECK_EQ(_itow_s(100, w, 3, 10), EINVAL);

    CHECK(_itoa(-7, b, 10) == b);
    CHECK_STR(b, "-7");
    CHECK_STR(_itoa(-1, b, 16), "ffffffff");
    CHECK_STR(_ltoa(-1L, b, 2), "11111111111111111111111111111111");
    CHECK_STR(_ultoa(0xDEADBEEFUL, b, 16), "deadbeef");
    CHECK_STR(_i64toa(1LL << 40, b, 10), "1099511627776");
    CHECK_STR(_ui64toa(8ULL, b, 8), "10");
    CHECK_STR(_itoa(5, b, 99), "");
    CHECK_WSTR(_itow(12, w, 10), L"12");
    CHECK_WSTR(_i64tow(-12LL, w, 10), L"-12");

    CHECK_EQ(_wtoi(L"123"), 123);
    CHECK_EQ(_wtoi(L"  -45xyz"), -45);
    CHECK_EQ(_wtoi(L"99999999999"), INT_MAX); /* clamped */
    CHECK_EQ(_wtoi(L"-99999999999"), INT_MIN);
    CHECK_EQ(_wtol(L"77"), 77);
    CHECK_EQ(_wtoi64(L"-9000000000"), -9000000000LL);
    CHECK_EQ(_atoi64("9000000000"), 9000000000LL);
    CHECK_EQ(_strtoi64("ff", NULL, 16), 255);
    CHECK(_strtoui64("18446744073709551615", NULL, 10) == 0xFFFFFFFFFFFFFFFFULL);
    CHECK_EQ(_wcstoi64(L"-10", NULL, 10), -10);
    CHECK(_wcstoui64(L"10", NULL, 2) == 2);
}

static void test_compare_case_dup(void)
{
    char s[8] = "MiXeD", raw[3] = {'A', 'B', 'C'};
    wchar_t w[8] = L"MiXeD";
    char *copy;
    wchar_t *wcopy;

    CHECK_EQ(_stricmp("HELLO", "hello"), 0);
    CHECK(_stricmp("apple", "BANANA") < 0);
    CHECK(_stricmp("b", "A") > 0);
    CHECK(_stricmp("abc", "abcd") < 0);
    errno = 0;
    CHECK_EQ(_stricmp(NULL, "x"), _NLSCMPERROR);
    CHECK_EQ(errno, EINVAL);
    CHECK_EQ(_strnicmp("abcX", "ABCy", 3), 0);
    CHECK(_strnicmp("abcX", "ABCy", 4) < 0);
    CHECK_EQ(_strnicmp(NULL, NULL, 0), 0);
    CHECK_EQ(_wcsicmp(L"Wide", L"wIDE"), 0);
    CHECK(_wcsicmp(L"a", L"B") < 0);
    CHECK_EQ(_wcsnicmp(L"WIDEx", L"widey", 4), 0);

    copy = _strdup("dup");
    CHECK_STR(copy, "dup");
    free(copy);
    CHECK(_strdup(NULL) == NULL);
    wcopy = _wcsdup(L"wdup");
    CHECK_WSTR(wcopy, L"wdup");
    free(wcopy);

    CHECK_EQ(_strlwr_s(s, sizeof(s)), 0);
    CHECK_STR(s, "mixed");
    CHECK_EQ(_strupr_s(s, sizeof(s)), 0);
    CHECK_STR(s, "MIXED");
    CHECK_EQ(_strlwr_s(raw, 3), EINVAL); /* not terminated within its size */
    CHECK(raw[0] == 0);
    CHECK_EQ(_strupr_s(NULL, 4), EINVAL);
    CHECK_STR(_strlwr(s), "mixed");
    CHECK_STR(_strupr(s), "MIXED");
    CHECK_EQ(_wcslwr_s(w, 8), 0);
    CHECK_WSTR(w, L"mixed");
    CHECK_EQ(_wcsupr_s(w, 8), 0);
    CHECK_WSTR(w, L"MIXED");
    CHECK_WSTR(_wcslwr(w), L"mixed");
}

static void test_tokens(void)
{
    /* The strtok_s documentation's example: two strings at once. */
    char string1[] = "A string\tof ,,tokens\nand some  more tokens";
    char string2[] = "Another string\n\tparsed at the same time.";
    const char *want1[] = {"A", "string", "of", "tokens", "and", "some", "more", "tokens"};
    const char *want2[] = {"Another", "string", "parsed", "at", "the", "same", "time."};
    char seps[] = " ,\t\n", *next1 = NULL, *next2 = NULL, *tok1, *tok2, *ctx = NULL;
    wchar_t wtext[] = L"a=1;b=2", *wnext = NULL, *wtok;
    int n1 = 0, n2 = 0;

    tok1 = strtok_s(string1, seps, &next1);
    tok2 = strtok_s(string2, seps, &next2);
    while (tok1 != NULL || tok2 != NULL) {
        if (tok1 != NULL) {
            if (n1 < 8)
                CHECK_STR(tok1, want1[n1]);
            n1++;
            tok1 = strtok_s(NULL, seps, &next1);
        }
        if (tok2 != NULL) {
            if (n2 < 7)
                CHECK_STR(tok2, want2[n2]);
            n2++;
            tok2 = strtok_s(NULL, seps, &next2);
        }
    }
    CHECK_EQ(n1, 8);
    CHECK_EQ(n2, 7);
    CHECK(strtok_s(NULL, seps, &next1) == NULL); /* stays at the end */

    errno = 0;
    CHECK(strtok_s(NULL, seps, &ctx) == NULL); /* no string and no context */
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    CHECK(strtok_s(string1, NULL, &ctx) == NULL);
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    CHECK(strtok_s(string1, seps, NULL) == NULL);
    CHECK_EQ(errno, EINVAL);
    CHECK(strtok_s(seps, seps, &ctx) == NULL); /* only delimiters */

    wtok = wcstok_s(wtext, L";", &wnext);
    CHECK_WSTR(wtok, L"a=1");
    wtok = wcstok_s(NULL, L";", &wnext);
    CHECK_WSTR(wtok, L"b=2");
    CHECK(wcstok_s(NULL, L";", &wnext) == NULL);
}

static void test_conversions(void)
{
    size_t n = 99;
    wchar_t w[8];
    char b[8];

    /* In the "C" locale: ASCII only. */
    CHECK_EQ(mbstowcs_s(&n, w, 8, "hello", _TRUNCATE), 0);
    CHECK_EQ(n, 6); /* including the terminator */
    CHECK_WSTR(w, L"hello");
    CHECK_EQ(mbstowcs_s(&n, NULL, 0, "hello", 0), 0); /* size query */
    CHECK_EQ(n, 6);
    CHECK_EQ(mbstowcs_s(&n, w, 8, "hello", 3), 0); /* at most 3 characters */
    CHECK_WSTR(w, L"hel");
    CHECK_EQ(n, 4);
    CHECK_EQ(mbstowcs_s(&n, w, 4, "hello", _TRUNCATE), STRUNCATE);
    CHECK_WSTR(w, L"hel");
    errno = 0;
    CHECK_EQ(mbstowcs_s(&n, w, 4, "hello", 5), ERANGE);
    CHECK_EQ(errno, ERANGE);
    CHECK_WSTR(w, L"");
    CHECK_EQ(mbstowcs_s(&n, w, 8, NULL, 5), EINVAL);
    CHECK_EQ(mbstowcs_s(&n, NULL, 8, "x", 5), EINVAL);
    CHECK_EQ(mbstowcs_s(&n, w, 0, "x", 5), EINVAL);
    CHECK_EQ(mbstowcs_s(&n, w, 8, "caf\xC3\xA9", _TRUNCATE), EILSEQ);
    CHECK_EQ(n, 0);
    CHECK_WSTR(w, L"");

    CHECK_EQ(wcstombs_s(&n, b, 8, L"hello", _TRUNCATE), 0);
    CHECK_EQ(n, 6);
    CHECK_STR(b, "hello");
    CHECK_EQ(wcstombs_s(&n, NULL, 0, L"hello", 0), 0);
    CHECK_EQ(n, 6);
    CHECK_EQ(wcstombs_s(&n, b, 4, L"hello", _TRUNCATE), STRUNCATE);
    CHECK_STR(b, "hel");
    CHECK_EQ(wcstombs_s(&n, b, 4, L"hello", 8), ERANGE);
    CHECK_STR(b, "");
    CHECK_EQ(wcstombs_s(&n, b, 8, L"\u00e9", _TRUNCATE), EILSEQ);

    /* With a UTF-8 locale, as a module that calls setlocale gets. */
    if (setlocale(LC_CTYPE, "C.UTF-8") != NULL) {
        CHECK_EQ(mbstowcs_s(&n, w, 8, "caf\xC3\xA9", _TRUNCATE), 0);
        CHECK_EQ(n, 5);
        CHECK(w[3] == 0xE9);
        CHECK_EQ(wcstombs_s(&n, b, 8, L"caf\u00e9", _TRUNCATE), 0);
        CHECK_EQ(n, 6);
        CHECK_STR(b, "caf\xC3\xA9");
        CHECK_EQ(wcstombs_s(&n, b, 8, L"a\u00e9", 2), 0); /* é does not fit in 2 bytes after "a" */
        CHECK_STR(b, "a");
        CHECK_EQ(n, 2);
        setlocale(LC_CTYPE, "C");
    }
}

static void test_files(void)
{
    FILE *f = (FILE *)1;
    char name[64];
    CHECK_EQ(fopen_s(&f, "/nonexistent/iishost-compat", "r"), ENOENT);
    CHECK(f == NULL);
    CHECK_EQ(fopen_s(NULL, "x", "r"), EINVAL);
    sprintf_s(name, sizeof(name), "/tmp/iishost-crt-%lu.txt", (unsigned long)GetCurrentProcessId());
    CHECK_EQ(fopen_s(&f, name, "w"), 0);
    if (f != NULL) {
        fputs("x", f);
        fclose(f);
    }
    f = _wfopen(L"/tmp/iishost-no-such-dir/x", L"r");
    CHECK(f == NULL);
    CHECK_EQ(_wfopen_s(&f, L"/tmp/iishost-no-such-dir/x", L"r"), ENOENT);
    remove(name);
}

int main(void)
{
    test_copy();
    test_ncopy();
    test_cat();
    test_memory();
    test_printf();
    test_snprintf_s();
    test_itoa();
    test_compare_case_dup();
    test_tokens();
    test_conversions();
    test_files();
    return check_finish();
}
