/*
 * crt_runtime_tests.h - the checks crt_runtime.c (C) and crt_runtime.cpp (C++) both run: the
 * CRT's old names (itoa, stricmp, strlwr, wcsicmp, strdup, ...), aligned allocation,
 * _dupenv_s/_wdupenv_s, and localtime_s/gmtime_s (struct first) with asctime_s and ctime_s.
 * Written in the common subset of C and C++, after windows.h and check.h.
 */
#ifndef IISHOST_COMPAT_CRT_RUNTIME_TESTS_H
#define IISHOST_COMPAT_CRT_RUNTIME_TESTS_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

static void test_old_names(void)
{
    char buf[40], text[] = "Hello World", odd[] = "abc", empty[] = "";
    wchar_t wtext[] = L"Hello World", wodd[] = L"abcd";
    char *copy;
    wchar_t *wcopy;

    CHECK_STR(itoa(-42, buf, 10), "-42");
    CHECK_STR(ltoa(-1, buf, 16), "ffffffff"); /* long is 32-bit on Windows */
    CHECK_STR(ultoa(255, buf, 2), "11111111");
    CHECK_EQ(stricmp("Hello", "hELLO"), 0);
    CHECK(stricmp("apple", "BANANA") < 0 && strcmpi("Zebra", "apple") > 0);
    CHECK_EQ(strnicmp("abcX", "ABCy", 3), 0);
    CHECK(strnicmp("abcX", "ABCy", 4) < 0);
    CHECK_STR(strlwr(text), "hello world");
    CHECK_STR(strupr(text), "HELLO WORLD");
    CHECK_STR(strrev(odd), "cba");
    CHECK_STR(strrev(empty), "");
    CHECK_EQ(memicmp("ABC\0x", "abc\0y", 4), 0);
    CHECK(memicmp("ABC\0x", "abc\0y", 5) < 0);
    CHECK_EQ(wcsicmp(L"Straße", L"STRAßE"), 0);
    CHECK_EQ(wcsnicmp(L"abcX", L"ABCy", 3), 0);
    CHECK_WSTR(wcslwr(wtext), L"hello world");
    CHECK_WSTR(wcsupr(wtext), L"HELLO WORLD");
    CHECK_WSTR(wcsrev(wodd), L"dcba");

    copy = strdup("copied");
    CHECK_STR(copy, "copied");
    free(copy);
    wcopy = wcsdup(L"copied");
    CHECK_WSTR(wcopy, L"copied");
    free(wcopy);
}

static void test_aligned(void)
{
    unsigned char *p = (unsigned char *)_aligned_malloc(100, 64), *q;
    size_t i;
    CHECK(p != NULL && ((uintptr_t)p % 64) == 0);
    for (i = 0; p != NULL && i < 100; i++)
        p[i] = (unsigned char)i;
    q = (unsigned char *)_aligned_realloc(p, 5000, 64);
    CHECK(q != NULL && ((uintptr_t)q % 64) == 0);
    for (i = 0; q != NULL && i < 100; i++)
        if (q[i] != (unsigned char)i)
            break;
    CHECK_EQ(i, 100);
    _aligned_free(q);
    p = (unsigned char *)_aligned_malloc(3, 1);
    CHECK(p != NULL);
    _aligned_free(p);
    p = (unsigned char *)_aligned_malloc(8, 4096);
    CHECK(p != NULL && ((uintptr_t)p % 4096) == 0);
    _aligned_free(p);
    errno = 0;
    CHECK(_aligned_malloc(16, 48) == NULL); /* not a power of two */
    CHECK_EQ(errno, EINVAL);
    CHECK(_aligned_realloc(_aligned_malloc(8, 16), 0, 16) == NULL); /* frees */
    _aligned_free(NULL);
}

static void test_dupenv(void)
{
    char *value = (char *)"untouched";
    wchar_t *wvalue = NULL;
    size_t len = 99;
    CHECK(SetEnvironmentVariableA("IISHOST_DUPENV", "v\xc3\xa9"));
    CHECK_EQ(_dupenv_s(&value, &len, "IISHOST_DUPENV"), 0);
    CHECK_STR(value, "v\xc3\xa9");
    CHECK_EQ(len, 4);
    free(value);
    CHECK_EQ(_wdupenv_s(&wvalue, &len, L"IISHOST_DUPENV"), 0);
    CHECK_WSTR(wvalue, L"v\u00e9");
    CHECK_EQ(len, 3);
    free(wvalue);
    CHECK_EQ(_dupenv_s(&value, &len, "IISHOST_DUPENV_NOT_SET"), 0);
    CHECK(value == NULL);
    CHECK_EQ(len, 0);
    CHECK_EQ(_dupenv_s(NULL, &len, "IISHOST_DUPENV"), EINVAL);
    CHECK_EQ(_dupenv_s(&value, NULL, NULL), EINVAL);
}

static void test_time(void)
{
    struct tm tm, mine;
    time_t epoch = 0, leap = 951782400, before = -1, now = time(NULL);
    __time64_t wide = 951782400;
    char text[32], small[25];

    CHECK_EQ(gmtime_s(&tm, &epoch), 0);
    CHECK(tm.tm_year == 70 && tm.tm_mon == 0 && tm.tm_mday == 1 && tm.tm_wday == 4 && tm.tm_hour == 0);
    CHECK_EQ(asctime_s(text, sizeof text, &tm), 0);
    CHECK_STR(text, "Thu Jan 01 00:00:00 1970\n");
    CHECK_EQ(asctime_s(small, sizeof small, &tm), EINVAL);
    CHECK_STR(small, "");

    CHECK_EQ(gmtime_s(&tm, &leap), 0); /* 2000-02-29 00:00:00 UTC */
    CHECK(tm.tm_year == 100 && tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_yday == 59 && tm.tm_wday == 2);
    CHECK_EQ(_gmtime64_s(&tm, &wide), 0);
    CHECK_EQ(tm.tm_mday, 29);

    /* Local time is the C library's, for the same instant. */
    CHECK_EQ(localtime_s(&tm, &now), 0);
    CHECK(localtime_r(&now, &mine) != NULL);
    CHECK(tm.tm_hour == mine.tm_hour && tm.tm_mday == mine.tm_mday && tm.tm_isdst == mine.tm_isdst);
    CHECK_EQ(_localtime64_s(&tm, &wide), 0);
    CHECK_EQ(ctime_s(text, sizeof text, &now), 0);
    CHECK_EQ(asctime_s(small, 0, &mine), EINVAL);
    CHECK_EQ(asctime_s(text + 0, sizeof text, &mine), 0);
    CHECK_EQ(strlen(text), 25);

    /* Before 1970, or no time at all: EINVAL and every field -1. */
    CHECK_EQ(gmtime_s(&tm, &before), EINVAL);
    CHECK(tm.tm_year == -1 && tm.tm_mday == -1 && tm.tm_isdst == -1);
    CHECK_EQ(localtime_s(&tm, NULL), EINVAL);
    CHECK_EQ(tm.tm_hour, -1);
    CHECK_EQ(gmtime_s(NULL, &epoch), EINVAL);
    CHECK_EQ(errno, EINVAL);
}

#endif /* IISHOST_COMPAT_CRT_RUNTIME_TESTS_H */
