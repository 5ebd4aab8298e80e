/*
 * iishost/crt_oldnames.h - the MSVC CRT's old names without the leading
 * underscore (itoa, stricmp, strlwr, wcsicmp, ...), which Windows sources
 * still call, plus _strrev/_wcsrev/_memicmp behind some of them.
 *
 * Each old name is a function that calls its underscored form in
 * crt_secure.h, so it behaves the same and its address can be taken.
 * strdup and wcsdup are glibc's own functions; strict ISO C hides them, so
 * they are declared here with glibc's prototypes, as kernel32.h does for the
 * POSIX functions it needs.
 */
#ifndef IISHOST_CRT_OLDNAMES_H
#define IISHOST_CRT_OLDNAMES_H

#include <string.h>
#include <wchar.h>

#include "crt_secure.h"

#if !defined(__cplusplus) && defined(__GLIBC__)
#if !defined(__USE_XOPEN_EXTENDED) && !defined(__USE_XOPEN2K8)
extern char *strdup(const char *);
#endif
#ifndef __USE_XOPEN2K8
extern wchar_t *wcsdup(const wchar_t *);
#endif
#endif

/* Reverses s in place and returns it; stamped out for char (_strrev) and wchar_t (_wcsrev). */
#define IISHOST_CRT_REV(NAME, CH, LEN)          \
    static __inline__ CH *NAME(CH *s)           \
    {                                           \
        size_t i, n;                            \
        if (s == NULL)                          \
            return NULL;                        \
        for (i = 0, n = LEN(s); i < n / 2; i++) { \
            CH c = s[i];                        \
            s[i] = s[n - 1 - i];                \
            s[n - 1 - i] = c;                   \
        }                                       \
        return s;                               \
    }
IISHOST_CRT_REV(_strrev, char, strlen)
IISHOST_CRT_REV(_wcsrev, wchar_t, wcslen)
#undef IISHOST_CRT_REV

/* Compares n bytes ignoring ASCII case; sign as memcmp, _NLSCMPERROR for NULL. */
static __inline__ int _memicmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t i;
    if (n == 0)
        return 0;
    if (a == NULL || b == NULL) {
        errno = EINVAL;
        return _NLSCMPERROR;
    }
    for (i = 0; i < n; i++) {
        int cx = iishost_lower_a((char)x[i]), cy = iishost_lower_a((char)y[i]);
        if (cx != cy)
            return cx < cy ? -1 : 1;
    }
    return 0;
}

static __inline__ char *itoa(int value, char *buf, int radix) { return _itoa(value, buf, radix); }
static __inline__ char *ltoa(long value, char *buf, int radix) { return _ltoa(value, buf, radix); }
static __inline__ char *ultoa(unsigned long value, char *buf, int radix) { return _ultoa(value, buf, radix); }
static __inline__ int stricmp(const char *a, const char *b) { return _stricmp(a, b); }
static __inline__ int strcmpi(const char *a, const char *b) { return _stricmp(a, b); }
static __inline__ int strnicmp(const char *a, const char *b, size_t n) { return _strnicmp(a, b, n); }
static __inline__ char *strlwr(char *s) { return _strlwr(s); }
static __inline__ char *strupr(char *s) { return _strupr(s); }
static __inline__ char *strrev(char *s) { return _strrev(s); }
static __inline__ int memicmp(const void *a, const void *b, size_t n) { return _memicmp(a, b, n); }
static __inline__ int wcsicmp(const wchar_t *a, const wchar_t *b) { return _wcsicmp(a, b); }
static __inline__ int wcsnicmp(const wchar_t *a, const wchar_t *b, size_t n) { return _wcsnicmp(a, b, n); }
static __inline__ wchar_t *wcslwr(wchar_t *s) { return _wcslwr(s); }
static __inline__ wchar_t *wcsupr(wchar_t *s) { return _wcsupr(s); }
static __inline__ wchar_t *wcsrev(wchar_t *s) { return _wcsrev(s); }

#endif /* IISHOST_CRT_OLDNAMES_H */
