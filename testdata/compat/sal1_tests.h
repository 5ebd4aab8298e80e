/*
 * sal1_tests.h - functions annotated in SAL 1 as pre-2010 Windows sources are, shared by
 * sal1.c and sal1.cpp: with only sal.h included, every annotation disappears and the code
 * runs as written. (__in and __out themselves are C-only; see sal.h.)
 */
#ifndef IISHOST_COMPAT_SAL1_TESTS_H
#define IISHOST_COMPAT_SAL1_TESTS_H

#include <stddef.h>
#include <string.h>

/* __in where it exists: C, or C++ that asked for it. */
#if !defined(__cplusplus) || defined(IISHOST_SAL_IN_OUT)
#define SAL1_IN __in
#else
#define SAL1_IN __in_opt
#endif

__checkReturn __success(return != 0) static int sal1_copy(__out_ecount(cch) char *dst, __in_range(1, 64) size_t cch,
                                                          __in_z __nullterminated const char *src)
{
    size_t n = strlen(src);
    if (n >= cch)
        return 0;
    memcpy(dst, src, n + 1);
    return 1;
}

static size_t sal1_sum(__in_bcount(cb) const unsigned char *pb, SAL1_IN size_t cb, __inout_opt size_t *total,
                       __out_opt size_t *count, __readonly void *unused)
{
    size_t i, sum = 0;
    (void)unused;
    for (i = 0; i < cb; i++)
        sum += pb[i];
    if (total != NULL)
        *total += sum;
    if (count != NULL)
        *count = cb;
    return sum;
}

static void sal1_make(__deref_out_ecount(n) int **pp, __in_ecount(1) const int *n, __deref_out_opt int **unused)
{
    static int values[4] = {1, 2, 3, 4};
    *pp = values;
    (void)n;
    if (unused != NULL)
        *unused = NULL;
}

typedef struct {
    size_t count;
    __field_ecount(count) int *items;
    __field_bcount_opt(count) unsigned char *bytes;
} SAL1_LIST;

static void test_sal1(void)
{
    char buf[8];
    unsigned char bytes[3] = {1, 2, 3};
    size_t total = 10, count = 0;
    int *p = NULL, four = 4;
    SAL1_LIST list;

    CHECK(sal1_copy(buf, sizeof buf, "abc"));
    CHECK_STR(buf, "abc");
    CHECK(!sal1_copy(buf, 2, "abc"));
    CHECK_EQ(sal1_sum(bytes, 3, &total, &count, NULL), 6);
    CHECK_EQ(total, 16);
    CHECK_EQ(count, 3);
    sal1_make(&p, &four, NULL);
    CHECK(p != NULL && p[3] == 4);
    list.count = 4;
    list.items = p;
    list.bytes = NULL;
    CHECK_EQ(list.items[list.count - 1], 4);
}

#endif /* IISHOST_COMPAT_SAL1_TESTS_H */
