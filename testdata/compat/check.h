/*
 * check.h - the tiny harness of the compat programs: CHECK prints one line
 * per failed condition, and check_finish prints PASS as the last line (exit
 * status 0) when nothing failed, or a count of failures (exit status 1).
 */
#ifndef IISHOST_COMPAT_CHECK_H
#define IISHOST_COMPAT_CHECK_H

#include <stdio.h>
#include <string.h>
#include <wchar.h>

static int check_failures;

#define CHECK(cond)                                                           \
    do {                                                                      \
        if (!(cond)) {                                                        \
            printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
            check_failures++;                                                 \
        }                                                                     \
    } while (0)

/* Integer equality, printing both values on failure. */
#define CHECK_EQ(actual, expected)                                                                     \
    do {                                                                                               \
        long long check_a_ = (long long)(actual), check_e_ = (long long)(expected);                    \
        if (check_a_ != check_e_) {                                                                    \
            printf("FAIL %s:%d: %s == %lld, want %s == %lld\n", __FILE__, __LINE__, #actual, check_a_, \
                   #expected, check_e_);                                                               \
            check_failures++;                                                                          \
        }                                                                                              \
    } while (0)

#define CHECK_STR(actual, expected)                                                                 \
    do {                                                                                            \
        const char *check_a_ = (actual), *check_e_ = (expected);                                    \
        if (check_a_ == NULL || strcmp(check_a_, check_e_) != 0) {                                  \
            printf("FAIL %s:%d: %s is \"%s\", want \"%s\"\n", __FILE__, __LINE__, #actual,           \
                   check_a_ != NULL ? check_a_ : "(null)", check_e_);                               \
            check_failures++;                                                                       \
        }                                                                                           \
    } while (0)

#define CHECK_WSTR(actual, expected)                                                                \
    do {                                                                                            \
        const wchar_t *check_a_ = (actual), *check_e_ = (expected);                                 \
        if (check_a_ == NULL || wcscmp(check_a_, check_e_) != 0) {                                  \
            printf("FAIL %s:%d: %s is L\"%ls\", want L\"%ls\"\n", __FILE__, __LINE__, #actual,       \
                   check_a_ != NULL ? check_a_ : L"(null)", check_e_);                              \
            check_failures++;                                                                       \
        }                                                                                           \
    } while (0)

static int check_finish(void)
{
    if (check_failures != 0) {
        printf("%d check(s) failed\n", check_failures);
        return 1;
    }
    printf("PASS\n");
    return 0;
}

#endif /* IISHOST_COMPAT_CHECK_H */
