/*
 * iishost/crt_secure.h - the Microsoft C runtime functions that module
 * sources call and glibc does not have: the "secure" *_s string, printf and
 * conversion functions, _snprintf and friends, _itoa, _stricmp, _strdup,
 * _wfopen. glibc's own functions are never redefined (swprintf keeps its C
 * signature), so <stdio.h>, <string.h>, <wchar.h> and <stdlib.h> may come
 * before or after this header.
 *
 * Error handling follows the CRT documentation with one deliberate choice:
 * where MSVC calls the invalid-parameter handler (whose default terminates
 * the process), these functions skip the handler and return the documented
 * error code (EINVAL, ERANGE, ...), setting errno to it, with the
 * destination emptied where the documentation says so. A module keeps
 * running; the host never dies of a bad buffer size.
 *
 * Format strings follow MSVC in every MS-named printf function
 * (sprintf_s, _snprintf, swprintf_s, _snwprintf, _scwprintf, ... and
 * strsafe.h's StringCchPrintf), so Windows sources print what they print on
 * Windows: in the WIDE ones "%s" and "%c" take wide arguments and "%S" and
 * "%C" narrow ones, and "%I64d" is a 64-bit integer. The C library's own
 * names (swprintf, vswprintf, wprintf, snprintf) keep C's rules, where a
 * wide format's "%s" is narrow. Details at iishost_msfmt below.
 *
 * Multibyte conversions (mbstowcs_s, wcstombs_s) use the C locale category
 * LC_CTYPE, as on Windows; a program that wants UTF-8 calls
 * setlocale(LC_CTYPE, "C.UTF-8") (or "" with a UTF-8 environment). In the
 * default "C" locale glibc rejects bytes above 0x7F.
 *
 * Header-only: every function is static inline, so a module links nothing.
 * Windows' 32-bit `long` shows in _ltoa/_ultoa (and their _s and wide
 * forms): they format the low 32 bits, as Windows does, so _ltoa(-1, b, 16)
 * is "ffffffff".
 */
#ifndef IISHOST_CRT_SECURE_H
#define IISHOST_CRT_SECURE_H

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif
#ifndef _RSIZE_T_DEFINED
#define _RSIZE_T_DEFINED
typedef size_t rsize_t;
#endif

/* Passed as a count: copy what fits and report truncation instead of failing. */
#define _TRUNCATE ((size_t)-1)
/* The CRT's value; glibc has no such errno. */
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
/* What the _str*icmp functions return for a NULL argument. */
#define _NLSCMPERROR INT_MAX

/*
 * -Wformat checks a format as C's printf reads it, which flags correct
 * MSVC formats ("%I64d" with a long long, "%Iu" with a size_t, "%hs") as
 * errors. So the narrow MS-named printf functions carry no format
 * attribute by default: Windows sources compile as they are, and the
 * translation makes them print right. Sources that use only conversions C
 * and MSVC share may define IISHOST_CRT_CHECK_FORMATS to get the C checks
 * back. (The compilers cannot check wide formats at all.)
 */
#ifdef IISHOST_CRT_CHECK_FORMATS
#define IISHOST_CRT_PRINTF(fmt, args) __attribute__((__format__(__printf__, fmt, args)))
#else
#define IISHOST_CRT_PRINTF(fmt, args)
#endif

/* ---- internal helpers ------------------------------------------------ */

/* Sets errno to a failure code and returns it (as the CRT does). */
static __inline__ errno_t iishost_crt_fail(errno_t err)
{
    errno = err;
    return err;
}

static __inline__ int iishost_lower_a(char c)
{
    return tolower((unsigned char)c);
}
static __inline__ int iishost_upper_a(char c)
{
    return toupper((unsigned char)c);
}
/* Wide case mapping, compared as unsigned so a negative wchar_t cannot
 * turn into a small code point. */
static __inline__ uint32_t iishost_lower_w(wchar_t c)
{
    return (uint32_t)towlower((wint_t)c);
}
static __inline__ uint32_t iishost_upper_w(wchar_t c)
{
    return (uint32_t)towupper((wint_t)c);
}

/*
 * UTF-8 codec shared by _wfopen and kernel32.h's code-page conversions.
 * Decoding follows Unicode's "maximal subpart" rule: an ill-formed sequence
 * is consumed up to the first byte that cannot continue it, so each bad
 * sequence yields exactly one replacement.
 */
#define IISHOST_UTF8_BAD 0xFFFFFFFFu

/* Decodes one code point from s[0..n) (n > 0); sets *used to the bytes
 * consumed and returns the code point, or IISHOST_UTF8_BAD. */
static __inline__ uint32_t iishost_utf8_decode(const unsigned char *s, size_t n, size_t *used)
{
    uint32_t c = s[0];
    size_t need, i;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c < 0x80) {
        *used = 1;
        return c;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
        c &= 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        c &= 0x0F;
        if (s[0] == 0xE0)
            lo = 0xA0; /* no overlong forms */
        else if (s[0] == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        c &= 0x07;
        if (s[0] == 0xF0)
            lo = 0x90;
        else if (s[0] == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *used = 1;
        return IISHOST_UTF8_BAD;
    }
    for (i = 1; i <= need; i++) {
        if (i >= n || s[i] < lo || s[i] > hi) {
            *used = i;
            return IISHOST_UTF8_BAD;
        }
        c = (c << 6) | (uint32_t)(s[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *used = need + 1;
    return c;
}

/* Encodes a code point (<= 0x10FFFF, not a surrogate) into out[0..4);
 * returns the byte count. */
static __inline__ size_t iishost_utf8_encode(uint32_t c, char *out)
{
    if (c < 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        out[0] = (char)(0xC0 | (c >> 6));
        out[1] = (char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

/* A wchar_t that is a Unicode scalar value (what UTF-8 can carry). */
static __inline__ int iishost_is_scalar(wchar_t w)
{
    uint32_t c = (uint32_t)w;
    return c <= 0x10FFFF && (c < 0xD800 || c > 0xDFFF);
}

/* ---- string functions, stamped out for char (str) and wchar_t (wcs) ---- */

/*
 * IISHOST_CRT_STRING_FUNCS(CH, P, LOWER, UPPER) defines, for character type
 * CH and name prefix P (str or wcs): P##cpy_s, P##ncpy_s, P##cat_s,
 * P##ncat_s, P##tok_s, _##P##icmp, _##P##nicmp, _##P##dup, _##P##lwr(_s),
 * _##P##upr(_s), plus a bounded length helper. LOWER/UPPER map one CH to an
 * unsigned value for case-insensitive work.
 */
#define IISHOST_CRT_STRING_FUNCS(CH, P, LOWER, UPPER)                                                      \
    /* Length of s, or max when no terminator occurs in s[0..max). */                                    \
    static __inline__ size_t iishost_##P##nlen(const CH *s, size_t max)                                  \
    {                                                                                                    \
        size_t n = 0;                                                                                    \
        while (n < max && s[n] != 0)                                                                     \
            n++;                                                                                         \
        return n;                                                                                        \
    }                                                                                                    \
                                                                                                         \
    static __inline__ errno_t P##cpy_s(CH *dest, rsize_t size, const CH *src)                            \
    {                                                                                                    \
        size_t n;                                                                                        \
        if (dest == NULL || size == 0)                                                                   \
            return iishost_crt_fail(EINVAL);                                                             \
        if (src == NULL) {                                                                               \
            dest[0] = 0;                                                                                 \
            return iishost_crt_fail(EINVAL);                                                             \
        }                                                                                                \
        n = iishost_##P##nlen(src, size);                                                                \
        if (n >= size) {                                                                                 \
            dest[0] = 0;                                                                                 \
            return iishost_crt_fail(ERANGE);                                                             \
        }                                                                                                \
        memmove(dest, src, n * sizeof(CH));                                                              \
        dest[n] = 0;                                                                                     \
        return 0;                                                                                        \
    }                                                                                                    \
                                                                                                         \
    /* Copies min(count, length of src) characters; _TRUNCATE copies what fits. */                       \
    static __inline__ errno_t P##ncpy_s(CH *dest, rsize_t size, const CH *src, rsize_t count)            \
    {                                                                                                    \
        size_t n;                                                                                        \
        if (dest == NULL || size == 0)                                                                   \
            return iishost_crt_fail(EINVAL);                                                             \
        if (src == NULL) {                                                                               \
            dest[0] = 0;                                                                                 \
            return iishost_crt_fail(EINVAL);                                                             \
        }                                                                                                \
        if (count == _TRUNCATE) {                                                                        \
            n = iishost_##P##nlen(src, size);                                                            \
            if (n >= size) {                                                                             \
                memmove(dest, src, (size - 1) * sizeof(CH));                                             \
                dest[size - 1] = 0;                                                                      \
                return STRUNCATE;                                                                        \
            }                                                                                            \
        } else {                                                                                         \
            n = iishost_##P##nlen(src, count < size ? count : size);                                     \
            if (n >= size) {                                                                             \
                dest[0] = 0;                                                                             \
                return iishost_crt_fail(ERANGE);                                                         \
            }                                                                                            \
        }                                                                                                \
        memmove(dest, src, n * sizeof(CH));                                                              \
        dest[n] = 0;                                                                                     \
        return 0;                                                                                        \
    }                                                                                                    \
                                                                                                         \
    /* Shared by cat_s and ncat_s: appends min(count, length of src). */                                 \
    static __inline__ errno_t iishost_##P##cat_s(CH *dest, rsize_t size, const CH *src, rsize_t count)   \
    {                                                                                                    \
        size_t used, room, n;                                                                            \
        if (dest == NULL)                                                                                \
            return iishost_crt_fail(EINVAL);                                                             \
        if (size == 0)                                                                                   \
            return iishost_crt_fail(EINVAL);                                                             \
        used = iishost_##P##nlen(dest, size);                                                            \
        if (used == size) /* destination not terminated: left alone */                                  \
            return iishost_crt_fail(EINVAL);                                                             \
        if (src == NULL) {                                                                               \
            dest[0] = 0;                                                                                 \
            return iishost_crt_fail(EINVAL);                                                             \
        }                                                                                                \
        room = size - used; /* includes the terminator */                                                \
        if (count == _TRUNCATE) {                                                                        \
            n = iishost_##P##nlen(src, room);                                                            \
            if (n == room) {                                                                             \
                memmove(dest + used, src, (room - 1) * sizeof(CH));                                      \
                dest[size - 1] = 0;                                                                      \
                return STRUNCATE;                                                                        \
            }                                                                                            \
        } else {                                                                                         \
            n = iishost_##P##nlen(src, count < room ? count : room);                                     \
            if (n >= room) {                                                                             \
                dest[0] = 0;                                                                             \
                return iishost_crt_fail(ERANGE);                                                         \
            }                                                                                            \
        }                                                                                                \
        memmove(dest + used, src, n * sizeof(CH));                                                       \
        dest[used + n] = 0;                                                                              \
        return 0;                                                                                        \
    }                                                                                                    \
    static __inline__ errno_t P##cat_s(CH *dest, rsize_t size, const CH *src)                            \
    {                                                                                                    \
        return iishost_##P##cat_s(dest, size, src, (rsize_t)-2);                                         \
    }                                                                                                    \
    static __inline__ errno_t P##ncat_s(CH *dest, rsize_t size, const CH *src, rsize_t count)            \
    {                                                                                                    \
        return iishost_##P##cat_s(dest, size, src, count);                                               \
    }                                                                                                    \
                                                                                                         \
    static __inline__ int iishost_##P##_is_delim(CH c, const CH *delims)                                 \
    {                                                                                                    \
        for (; *delims != 0; delims++)                                                                   \
            if (*delims == c)                                                                            \
                return 1;                                                                                \
        return 0;                                                                                        \
    }                                                                                                    \
    /* Re-entrant tokenizer: *context holds the position between calls. */                              \
    static __inline__ CH *P##tok_s(CH *str, const CH *delims, CH **context)                              \
    {                                                                                                    \
        CH *start;                                                                                       \
        if (context == NULL || delims == NULL || (str == NULL && *context == NULL)) {                    \
            errno = EINVAL;                                                                              \
            return NULL;                                                                                 \
        }                                                                                                \
        start = str != NULL ? str : *context;                                                            \
        while (*start != 0 && iishost_##P##_is_delim(*start, delims))                                    \
            start++;                                                                                     \
        if (*start == 0) {                                                                               \
            *context = start;                                                                            \
            return NULL;                                                                                 \
        }                                                                                                \
        *context = start;                                                                                \
        while (**context != 0 && !iishost_##P##_is_delim(**context, delims))                             \
            (*context)++;                                                                                \
        if (**context != 0)                                                                              \
            *(*context)++ = 0;                                                                           \
        return start;                                                                                    \
    }                                                                                                    \
                                                                                                         \
    /* Case-insensitive compare of at most count characters; sign as strcmp. */                          \
    static __inline__ int _##P##nicmp(const CH *a, const CH *b, size_t count)                            \
    {                                                                                                    \
        if (count == 0)                                                                                  \
            return 0;                                                                                    \
        if (a == NULL || b == NULL) {                                                                    \
            errno = EINVAL;                                                                              \
            return _NLSCMPERROR;                                                                         \
        }                                                                                                \
        for (; count > 0; count--, a++, b++) {                                                           \
            uint32_t x = (uint32_t)LOWER(*a), y = (uint32_t)LOWER(*b);                                   \
            if (x != y)                                                                                  \
                return x < y ? -1 : 1;                                                                   \
            if (x == 0)                                                                                  \
                break;                                                                                   \
        }                                                                                                \
        return 0;                                                                                        \
    }                                                                                                    \
    static __inline__ int _##P##icmp(const CH *a, const CH *b)                                           \
    {                                                                                                    \
        return _##P##nicmp(a, b, (size_t)-1);                                                            \
    }                                                                                                    \
                                                                                                         \
    static __inline__ CH *_##P##dup(const CH *s)                                                         \
    {                                                                                                    \
        size_t n;                                                                                        \
        CH *copy;                                                                                        \
        if (s == NULL)                                                                                   \
            return NULL;                                                                                 \
        n = iishost_##P##nlen(s, (size_t)-1) + 1;                                                        \
        copy = (CH *)malloc(n * sizeof(CH));                                                             \
        if (copy != NULL)                                                                                \
            memcpy(copy, s, n * sizeof(CH));                                                             \
        return copy;                                                                                     \
    }                                                                                                    \
                                                                                                         \
    /* In-place case change; an unterminated buffer is emptied and rejected. */                          \
    static __inline__ errno_t iishost_##P##case_s(CH *s, size_t size, int upper)                         \
    {                                                                                                    \
        size_t i, n;                                                                                     \
        if (s == NULL)                                                                                   \
            return iishost_crt_fail(EINVAL);                                                             \
        n = iishost_##P##nlen(s, size);                                                                  \
        if (n == size) {                                                                                 \
            if (size > 0)                                                                                \
                s[0] = 0;                                                                                \
            return iishost_crt_fail(EINVAL);                                                             \
        }                                                                                                \
        for (i = 0; i < n; i++)                                                                          \
            s[i] = (CH)(upper ? UPPER(s[i]) : LOWER(s[i]));                                              \
        return 0;                                                                                        \
    }                                                                                                    \
    static __inline__ errno_t _##P##lwr_s(CH *s, size_t size)                                            \
    {                                                                                                    \
        return iishost_##P##case_s(s, size, 0);                                                          \
    }                                                                                                    \
    static __inline__ errno_t _##P##upr_s(CH *s, size_t size)                                            \
    {                                                                                                    \
        return iishost_##P##case_s(s, size, 1);                                                          \
    }                                                                                                    \
    static __inline__ CH *_##P##lwr(CH *s)                                                               \
    {                                                                                                    \
        if (s != NULL)                                                                                   \
            iishost_##P##case_s(s, (size_t)-1, 0);                                                       \
        return s;                                                                                        \
    }                                                                                                    \
    static __inline__ CH *_##P##upr(CH *s)                                                               \
    {                                                                                                    \
        if (s != NULL)                                                                                   \
            iishost_##P##case_s(s, (size_t)-1, 1);                                                       \
        return s;                                                                                        \
    }

IISHOST_CRT_STRING_FUNCS(char, str, iishost_lower_a, iishost_upper_a)
IISHOST_CRT_STRING_FUNCS(wchar_t, wcs, iishost_lower_w, iishost_upper_w)
#undef IISHOST_CRT_STRING_FUNCS

/* ---- memory ------------------------------------------------------------ */

/* Copies count bytes; on a NULL source or a short destination the
 * destination is zeroed, as documented. */
static __inline__ errno_t memcpy_s(void *dest, rsize_t destSize, const void *src, rsize_t count)
{
    if (count == 0)
        return 0;
    if (dest == NULL)
        return iishost_crt_fail(EINVAL);
    if (src == NULL || destSize < count) {
        memset(dest, 0, destSize);
        return iishost_crt_fail(src == NULL ? EINVAL : ERANGE);
    }
    memcpy(dest, src, count);
    return 0;
}

/* Like memcpy_s but for overlapping buffers; the destination is left alone on error. */
static __inline__ errno_t memmove_s(void *dest, rsize_t destSize, const void *src, rsize_t count)
{
    if (count == 0)
        return 0;
    if (dest == NULL || src == NULL)
        return iishost_crt_fail(EINVAL);
    if (destSize < count)
        return iishost_crt_fail(ERANGE);
    memmove(dest, src, count);
    return 0;
}

static __inline__ errno_t wmemcpy_s(wchar_t *dest, rsize_t destSize, const wchar_t *src, rsize_t count)
{
    if (count > SIZE_MAX / sizeof(wchar_t))
        return iishost_crt_fail(ERANGE);
    return memcpy_s(dest, destSize > SIZE_MAX / sizeof(wchar_t) ? SIZE_MAX : destSize * sizeof(wchar_t), src,
                    count * sizeof(wchar_t));
}

static __inline__ errno_t wmemmove_s(wchar_t *dest, rsize_t destSize, const wchar_t *src, rsize_t count)
{
    if (count > SIZE_MAX / sizeof(wchar_t))
        return iishost_crt_fail(ERANGE);
    return memmove_s(dest, destSize > SIZE_MAX / sizeof(wchar_t) ? SIZE_MAX : destSize * sizeof(wchar_t), src,
                     count * sizeof(wchar_t));
}

/* ---- formatted output ---------------------------------------------------- */

/*
 * iishost_msfmt_a/_w rewrite an MSVC format into the glibc format that
 * prints the same arguments the same way. Each MS-named printf function
 * calls one of them exactly once (the rewrite is not idempotent: "%S"
 * becomes "%s", which a second pass would read as wide).
 *
 *   MSVC                             glibc
 *   wide family:   %s %c  (wide)     %ls %lc
 *                  %S %C  (narrow)   %s  %c
 *   narrow family: %S %C  (wide)     %ls %lc
 *   both:          %hs %hc (narrow)  %s  %c
 *                  %ls %lc %ws %wc   %ls %lc
 *                  %I64d, %I64x ...  %lld, %llx ...
 *                  %I32d ...         %d ...
 *                  %Id %Iu %Ix ...   %zd %zu %zx ... (size_t, ptrdiff_t)
 *
 * Everything else is copied: %%, flags, width and precision (with "*"),
 * n$ positions, the other size prefixes and conversions. The result goes
 * to the caller's stack buffer, or to the heap when the format is long;
 * a failed allocation is ENOMEM and the caller fails, never a cut format.
 */
#define IISHOST_MSFMT_STACK 256
typedef struct {
    char *heap; /* to free after use, or NULL */
    char stack[IISHOST_MSFMT_STACK];
} iishost_msfmt_buf_a;
typedef struct {
    wchar_t *heap;
    wchar_t stack[IISHOST_MSFMT_STACK];
} iishost_msfmt_buf_w;

/* Characters between '%' and the size prefix: flags (glibc's ' too), digits, '.', '*', '$'. */
static __inline__ int iishost_msfmt_spec(wint_t c)
{
    return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == ' ' || c == '#' || c == '.' || c == '*' ||
           c == '$' || c == '\'';
}

/* WIDE is 1 for the wide family, where a bare %s/%c is a wide argument. */
#define IISHOST_MSFMT_FUNC(CH, X, WIDE)                                                            \
    static __inline__ const CH *iishost_msfmt_##X(const CH *fmt, iishost_msfmt_buf_##X *buf)      \
    {                                                                                              \
        size_t len = 0;                                                                            \
        CH *out, *o;                                                                               \
        buf->heap = NULL;                                                                          \
        while (fmt[len] != 0)                                                                      \
            len++;                                                                                 \
        /* A rewrite adds at most one character per two ("%s" to "%ls"). */                       \
        if (len + len / 2 < IISHOST_MSFMT_STACK) {                                                 \
            out = buf->stack;                                                                      \
        } else {                                                                                   \
            if (len >= SIZE_MAX / 2 / sizeof(CH))                                                  \
                out = NULL;                                                                        \
            else                                                                                   \
                out = buf->heap = (CH *)malloc((len + len / 2 + 1) * sizeof(CH));                  \
            if (out == NULL) {                                                                     \
                errno = ENOMEM;                                                                    \
                return NULL;                                                                       \
            }                                                                                      \
        }                                                                                          \
        for (o = out; *fmt != 0;) {                                                                \
            int wide = -1; /* the argument's width, when a prefix gives it */                      \
            if ((*o++ = *fmt++) != '%')                                                            \
                continue;                                                                          \
            if (*fmt == '%') {                                                                     \
                *o++ = *fmt++;                                                                     \
                continue;                                                                          \
            }                                                                                      \
            while (*fmt != 0 && iishost_msfmt_spec((wint_t)*fmt))                                  \
                *o++ = *fmt++;                                                                     \
            if (fmt[0] == 'I' && fmt[1] == '6' && fmt[2] == '4') {                                 \
                *o++ = 'l';                                                                        \
                *o++ = 'l';                                                                        \
                fmt += 3;                                                                          \
            } else if (fmt[0] == 'I' && fmt[1] == '3' && fmt[2] == '2') {                          \
                fmt += 3;                                                                          \
            } else if (fmt[0] == 'I') {                                                            \
                *o++ = 'z';                                                                        \
                fmt++;                                                                             \
            } else if ((fmt[0] == 'h' || fmt[0] == 'l' || fmt[0] == 'w') &&                        \
                       (fmt[1] == 's' || fmt[1] == 'c' || fmt[1] == 'S' || fmt[1] == 'C')) {       \
                wide = fmt[0] != 'h';                                                              \
                fmt++;                                                                             \
            }                                                                                      \
            if (*fmt == 's' || *fmt == 'c' || *fmt == 'S' || *fmt == 'C') {                        \
                int lower = *fmt == 's' || *fmt == 'c';                                            \
                if (wide < 0)                                                                      \
                    wide = lower ? (WIDE) : !(WIDE);                                               \
                if (wide)                                                                          \
                    *o++ = 'l';                                                                    \
                *o++ = *fmt == 's' || *fmt == 'S' ? 's' : 'c';                                     \
                fmt++;                                                                             \
            }                                                                                      \
            /* Any other size prefix and conversion is copied by the loop. */                      \
        }                                                                                          \
        *o = 0;                                                                                    \
        return out;                                                                                \
    }
IISHOST_MSFMT_FUNC(char, a, 0)
IISHOST_MSFMT_FUNC(wchar_t, w, 1)
#undef IISHOST_MSFMT_FUNC

/*
 * The helpers below take glibc formats (already rewritten).
 *
 * glibc's vswprintf returns -1 both when the output does not fit and on an
 * encoding error, and sets errno only for the latter; on overflow it stores
 * size - 1 characters but no terminator. This wrapper returns the length,
 * or -1 with *truncated set for "did not fit" (the buffer then holds the
 * cut text, terminated), or -1 with *truncated clear for a real error.
 * errno is left as the caller had it unless there was a real error.
 */
static __inline__ int iishost_vswprintf(wchar_t *buf, size_t size, const wchar_t *fmt, va_list ap, int *truncated)
{
    int saved = errno, n;
    errno = 0;
    n = vswprintf(buf, size, fmt, ap);
    *truncated = n < 0 && errno == 0;
    if (*truncated && size > 0)
        buf[size - 1] = 0;
    if (n >= 0 || *truncated)
        errno = saved;
    return n;
}

/*
 * The exact length of a wide format's output (glibc offers no
 * vswprintf(NULL, 0) sizing), by formatting into growing heap buffers.
 * Returns -1 on an encoding error or when memory runs out.
 */
static __inline__ int iishost_vscwprintf(const wchar_t *fmt, va_list ap)
{
    size_t size = 256;
    for (;;) {
        wchar_t *tmp = (wchar_t *)malloc(size * sizeof(wchar_t));
        va_list copy;
        int n, truncated;
        if (tmp == NULL)
            return -1;
        va_copy(copy, ap);
        n = iishost_vswprintf(tmp, size, fmt, copy, &truncated);
        va_end(copy);
        free(tmp);
        if (n >= 0 || !truncated)
            return n;
        if (size >= (size_t)INT_MAX)
            return -1;
        size *= 4;
    }
}

/* The character count printf would produce, without the terminator. */
static __inline__ int _vscprintf(const char *fmt, va_list ap)
{
    iishost_msfmt_buf_a f;
    int n;
    if (fmt == NULL) {
        errno = EINVAL;
        return -1;
    }
    fmt = iishost_msfmt_a(fmt, &f);
    n = fmt != NULL ? vsnprintf(NULL, 0, fmt, ap) : -1;
    free(f.heap);
    return n;
}
static __inline__ IISHOST_CRT_PRINTF(1, 2) int _scprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vscprintf(fmt, ap);
    va_end(ap);
    return n;
}
static __inline__ int _vscwprintf(const wchar_t *fmt, va_list ap)
{
    iishost_msfmt_buf_w f;
    int n;
    if (fmt == NULL) {
        errno = EINVAL;
        return -1;
    }
    fmt = iishost_msfmt_w(fmt, &f);
    n = fmt != NULL ? iishost_vscwprintf(fmt, ap) : -1;
    free(f.heap);
    return n;
}
static __inline__ int _scwprintf(const wchar_t *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vscwprintf(fmt, ap);
    va_end(ap);
    return n;
}

/*
 * sprintf_s family: returns the characters written (without the
 * terminator); a NULL buffer or format, or a zero size, is EINVAL and -1;
 * output that does not fit empties the buffer and is ERANGE and -1.
 */
static __inline__ int vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap)
{
    iishost_msfmt_buf_a f;
    int n;
    if (buf == NULL || fmt == NULL || size == 0) {
        errno = EINVAL;
        return -1;
    }
    fmt = iishost_msfmt_a(fmt, &f);
    n = fmt != NULL ? vsnprintf(buf, size, fmt, ap) : -1;
    free(f.heap);
    if (n < 0 || (size_t)n >= size) {
        buf[0] = 0;
        if (n >= 0)
            errno = ERANGE;
        return -1;
    }
    return n;
}
static __inline__ IISHOST_CRT_PRINTF(3, 4) int sprintf_s(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

static __inline__ int vswprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, va_list ap)
{
    iishost_msfmt_buf_w f;
    int n, truncated = 0;
    if (buf == NULL || fmt == NULL || size == 0) {
        errno = EINVAL;
        return -1;
    }
    fmt = iishost_msfmt_w(fmt, &f);
    n = fmt != NULL ? iishost_vswprintf(buf, size, fmt, ap, &truncated) : -1;
    free(f.heap);
    if (n < 0) {
        buf[0] = 0;
        if (truncated)
            errno = ERANGE;
        return -1;
    }
    return n;
}
static __inline__ int swprintf_s(wchar_t *buf, size_t size, const wchar_t *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vswprintf_s(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/*
 * The legacy _snprintf: stores at most count characters. Shorter output is
 * terminated and its length returned; output of exactly count characters is
 * stored WITHOUT a terminator and count returned; longer output is cut at
 * count characters, unterminated, and -1 returned.
 */
static __inline__ int iishost_vsnprintf_legacy(char *buf, size_t count, const char *fmt, va_list ap)
{
    va_list again;
    int n;
    char *tmp;
    if (count == 0) {
        /* _snprintf(NULL, 0, ...) measures; a zero count with a buffer stores nothing. */
        n = vsnprintf(NULL, 0, fmt, ap);
        return buf == NULL || n <= 0 ? n : -1;
    }
    va_copy(again, ap);
    n = vsnprintf(buf, count, fmt, ap);
    if (n < 0 || (size_t)n < count) {
        va_end(again);
        return n;
    }
    /* vsnprintf put a terminator where the count-th character belongs:
     * format again in full to recover it. */
    tmp = (char *)malloc((size_t)n + 1);
    if (tmp != NULL) {
        vsnprintf(tmp, (size_t)n + 1, fmt, again);
        memcpy(buf, tmp, count);
        free(tmp);
    }
    va_end(again);
    return (size_t)n == count ? n : -1;
}
static __inline__ int _vsnprintf(char *buf, size_t count, const char *fmt, va_list ap)
{
    iishost_msfmt_buf_a f;
    int n;
    if (fmt == NULL || (buf == NULL && count > 0)) {
        errno = EINVAL;
        return -1;
    }
    fmt = iishost_msfmt_a(fmt, &f);
    n = fmt != NULL ? iishost_vsnprintf_legacy(buf, count, fmt, ap) : -1;
    free(f.heap);
    return n;
}
static __inline__ IISHOST_CRT_PRINTF(3, 4) int _snprintf(char *buf, size_t count, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vsnprintf(buf, count, fmt, ap);
    va_end(ap);
    return n;
}

/* Wide _snprintf, with the same count rules. */
static __inline__ int iishost_vsnwprintf_legacy(wchar_t *buf, size_t count, const wchar_t *fmt, va_list ap)
{
    va_list again;
    int n, truncated;
    wchar_t *tmp;
    if (count == 0) {
        n = iishost_vscwprintf(fmt, ap);
        return buf == NULL || n <= 0 ? n : -1;
    }
    va_copy(again, ap);
    n = iishost_vswprintf(buf, count, fmt, ap, &truncated);
    if (n >= 0 || !truncated) {
        va_end(again);
        return n;
    }
    /* It did not fit with a terminator: one character more tells whether
     * the text is exactly count long. */
    n = -1;
    tmp = (wchar_t *)malloc((count + 1) * sizeof(wchar_t));
    if (tmp != NULL) {
        n = iishost_vswprintf(tmp, count + 1, fmt, again, &truncated);
        if (n >= 0 || truncated)
            memcpy(buf, tmp, count * sizeof(wchar_t));
        free(tmp);
    }
    va_end(again);
    return n >= 0 && (size_t)n == count ? n : -1;
}
static __inline__ int _vsnwprintf(wchar_t *buf, size_t count, const wchar_t *fmt, va_list ap)
{
    iishost_msfmt_buf_w f;
    int n;
    if (fmt == NULL || (buf == NULL && count > 0)) {
        errno = EINVAL;
        return -1;
    }
    fmt = iishost_msfmt_w(fmt, &f);
    n = fmt != NULL ? iishost_vsnwprintf_legacy(buf, count, fmt, ap) : -1;
    free(f.heap);
    return n;
}
static __inline__ int _snwprintf(wchar_t *buf, size_t count, const wchar_t *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vsnwprintf(buf, count, fmt, ap);
    va_end(ap);
    return n;
}

/*
 * _snprintf_s: writes at most count characters (or, with _TRUNCATE, what
 * fits) and always terminates. Returns the length, or -1 when the output
 * was cut. If count does not leave room for the terminator in sizeOfBuffer
 * and the output needs it, that is ERANGE: the buffer is emptied.
 */
static __inline__ int _vsnprintf_s(char *buf, size_t sizeOfBuffer, size_t count, const char *fmt, va_list ap)
{
    iishost_msfmt_buf_a f;
    size_t limit;
    int n;
    if (buf == NULL || fmt == NULL || sizeOfBuffer == 0) {
        errno = EINVAL;
        return -1;
    }
    limit = count == _TRUNCATE || count >= sizeOfBuffer ? sizeOfBuffer - 1 : count;
    fmt = iishost_msfmt_a(fmt, &f);
    n = fmt != NULL ? vsnprintf(buf, limit + 1, fmt, ap) : -1;
    free(f.heap);
    if (n < 0) {
        buf[0] = 0;
        return -1;
    }
    if ((size_t)n <= limit)
        return n;
    if (count != _TRUNCATE && count >= sizeOfBuffer) {
        buf[0] = 0;
        errno = ERANGE;
    }
    return -1;
}
static __inline__ IISHOST_CRT_PRINTF(4, 5) int _snprintf_s(char *buf, size_t sizeOfBuffer, size_t count,
                                                             const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vsnprintf_s(buf, sizeOfBuffer, count, fmt, ap);
    va_end(ap);
    return n;
}
/* vsnprintf_s is MSVC's other name for _vsnprintf_s. */
static __inline__ int vsnprintf_s(char *buf, size_t sizeOfBuffer, size_t count, const char *fmt, va_list ap)
{
    return _vsnprintf_s(buf, sizeOfBuffer, count, fmt, ap);
}

static __inline__ int _vsnwprintf_s(wchar_t *buf, size_t sizeOfBuffer, size_t count, const wchar_t *fmt,
                                    va_list ap)
{
    iishost_msfmt_buf_w f;
    size_t limit;
    int n, truncated = 0;
    if (buf == NULL || fmt == NULL || sizeOfBuffer == 0) {
        errno = EINVAL;
        return -1;
    }
    limit = count == _TRUNCATE || count >= sizeOfBuffer ? sizeOfBuffer - 1 : count;
    fmt = iishost_msfmt_w(fmt, &f);
    n = fmt != NULL ? iishost_vswprintf(buf, limit + 1, fmt, ap, &truncated) : -1;
    free(f.heap);
    if (n >= 0)
        return n;
    if (!truncated || (count != _TRUNCATE && count >= sizeOfBuffer)) {
        buf[0] = 0;
        if (truncated)
            errno = ERANGE;
    }
    return -1;
}
static __inline__ int _snwprintf_s(wchar_t *buf, size_t sizeOfBuffer, size_t count, const wchar_t *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = _vsnwprintf_s(buf, sizeOfBuffer, count, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- integer to text ------------------------------------------------------ */

/*
 * Digits of value in radix 2..36 (lowercase letters), with a leading '-'
 * when negative is set; into out[0..66), terminated. Returns the length.
 */
static __inline__ size_t iishost_xtoa(unsigned long long value, int negative, int radix, char *out)
{
    char rev[64];
    size_t n = 0, len = 0;
    do {
        unsigned d = (unsigned)(value % (unsigned)radix);
        rev[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
        value /= (unsigned)radix;
    } while (value != 0);
    if (negative)
        out[len++] = '-';
    while (n > 0)
        out[len++] = rev[--n];
    out[len] = 0;
    return len;
}

/* Signed types print a sign only in radix 10; other radixes show the bits
 * of the type's width, so bits is the value cast to that unsigned width. */
#define IISHOST_XTOA_SIGNED(value, bits, radix, out) \
    iishost_xtoa((radix) == 10 && (value) < 0 ? 0ULL - (unsigned long long)(value) : (bits), \
                 (radix) == 10 && (value) < 0, (radix), (out))

/* The _s form: checks the arguments, then copies the digits as CH. A
 * buffer too small for the digits and terminator is EINVAL, as the CRT
 * documentation's error table gives it, and leaves the buffer empty. */
#define IISHOST_XTOA_S(NAME, CH, VT, DIGITS)                                 \
    static __inline__ errno_t NAME(VT value, CH *buf, size_t size, int radix) \
    {                                                                         \
        char text[66];                                                        \
        size_t i, len;                                                        \
        if (buf == NULL || size == 0)                                         \
            return iishost_crt_fail(EINVAL);                                  \
        buf[0] = 0;                                                           \
        if (radix < 2 || radix > 36)                                          \
            return iishost_crt_fail(EINVAL);                                  \
        len = (DIGITS);                                                       \
        if (len >= size)                                                      \
            return iishost_crt_fail(EINVAL);                                  \
        for (i = 0; i <= len; i++)                                            \
            buf[i] = (CH)text[i];                                             \
        return 0;                                                             \
    }
/* The unchecked form: a bad radix yields an empty string. */
#define IISHOST_XTOA(NAME, CH, VT, DIGITS)                      \
    static __inline__ CH *NAME(VT value, CH *buf, int radix)    \
    {                                                           \
        char text[66];                                          \
        size_t i, len;                                          \
        if (radix < 2 || radix > 36) {                          \
            errno = EINVAL;                                     \
            buf[0] = 0;                                         \
            return buf;                                         \
        }                                                       \
        len = (DIGITS);                                         \
        for (i = 0; i <= len; i++)                              \
            buf[i] = (CH)text[i];                               \
        return buf;                                             \
    }
#define IISHOST_XTOA_BOTH(NAME, CH, VT, DIGITS) \
    IISHOST_XTOA_S(NAME##_s, CH, VT, DIGITS)    \
    IISHOST_XTOA(NAME, CH, VT, DIGITS)

#define IISHOST_XTOA_INT IISHOST_XTOA_SIGNED(value, (unsigned int)value, radix, text)
/* long is 32-bit on Windows: the value is taken as 32-bit. */
#define IISHOST_XTOA_LONG IISHOST_XTOA_SIGNED((int32_t)value, (uint32_t)value, radix, text)
#define IISHOST_XTOA_ULONG iishost_xtoa((uint32_t)value, 0, radix, text)
#define IISHOST_XTOA_I64 IISHOST_XTOA_SIGNED(value, (unsigned long long)value, radix, text)
#define IISHOST_XTOA_UI64 iishost_xtoa(value, 0, radix, text)
IISHOST_XTOA_BOTH(_itoa, char, int, IISHOST_XTOA_INT)
IISHOST_XTOA_BOTH(_itow, wchar_t, int, IISHOST_XTOA_INT)
IISHOST_XTOA_BOTH(_ltoa, char, long, IISHOST_XTOA_LONG)
IISHOST_XTOA_BOTH(_ltow, wchar_t, long, IISHOST_XTOA_LONG)
IISHOST_XTOA_BOTH(_ultoa, char, unsigned long, IISHOST_XTOA_ULONG)
IISHOST_XTOA_BOTH(_ultow, wchar_t, unsigned long, IISHOST_XTOA_ULONG)
IISHOST_XTOA_BOTH(_i64toa, char, long long, IISHOST_XTOA_I64)
IISHOST_XTOA_BOTH(_i64tow, wchar_t, long long, IISHOST_XTOA_I64)
IISHOST_XTOA_BOTH(_ui64toa, char, unsigned long long, IISHOST_XTOA_UI64)
IISHOST_XTOA_BOTH(_ui64tow, wchar_t, unsigned long long, IISHOST_XTOA_UI64)
#undef IISHOST_XTOA_SIGNED
#undef IISHOST_XTOA_S
#undef IISHOST_XTOA
#undef IISHOST_XTOA_BOTH
#undef IISHOST_XTOA_INT
#undef IISHOST_XTOA_LONG
#undef IISHOST_XTOA_ULONG
#undef IISHOST_XTOA_I64
#undef IISHOST_XTOA_UI64

/* ---- text to integer ------------------------------------------------------ */

/* _wtoi clamps to the int range on overflow, as the CRT documents. */
static __inline__ int _wtoi(const wchar_t *s)
{
    long long v;
    if (s == NULL) {
        errno = EINVAL;
        return 0;
    }
    v = wcstoll(s, NULL, 10);
    return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}
/* Returns the platform long (64-bit on Linux), as atol does. */
static __inline__ long _wtol(const wchar_t *s)
{
    if (s == NULL) {
        errno = EINVAL;
        return 0;
    }
    return wcstol(s, NULL, 10);
}
static __inline__ long long _wtoi64(const wchar_t *s)
{
    if (s == NULL) {
        errno = EINVAL;
        return 0;
    }
    return wcstoll(s, NULL, 10);
}
static __inline__ long long _atoi64(const char *s)
{
    if (s == NULL) {
        errno = EINVAL;
        return 0;
    }
    return strtoll(s, NULL, 10);
}
static __inline__ long long _strtoi64(const char *s, char **end, int radix)
{
    return strtoll(s, end, radix);
}
static __inline__ unsigned long long _strtoui64(const char *s, char **end, int radix)
{
    return strtoull(s, end, radix);
}
static __inline__ long long _wcstoi64(const wchar_t *s, wchar_t **end, int radix)
{
    return wcstoll(s, end, radix);
}
static __inline__ unsigned long long _wcstoui64(const wchar_t *s, wchar_t **end, int radix)
{
    return wcstoull(s, end, radix);
}

/* ---- multibyte <-> wide (current LC_CTYPE locale) ------------------------ */

/*
 * mbstowcs_s: converts mbstr (stopping at its terminator, at count wide
 * characters, or with _TRUNCATE at what fits) and terminates the result.
 * *pReturnValue gets the wide characters written including the terminator;
 * with wcstr NULL (and sizeInWords 0) it gets the size needed. An invalid
 * sequence empties the output and returns EILSEQ.
 */
static __inline__ errno_t mbstowcs_s(size_t *pReturnValue, wchar_t *wcstr, size_t sizeInWords, const char *mbstr,
                                     size_t count)
{
    mbstate_t state;
    size_t limit, n = 0, used;
    int truncated = 0;
    wchar_t wc;
    if (pReturnValue != NULL)
        *pReturnValue = 0;
    if ((wcstr == NULL && sizeInWords > 0) || (wcstr != NULL && sizeInWords == 0))
        return iishost_crt_fail(EINVAL);
    if (mbstr == NULL) {
        if (wcstr != NULL)
            wcstr[0] = 0;
        return iishost_crt_fail(EINVAL);
    }
    memset(&state, 0, sizeof(state));
    limit = wcstr == NULL ? (size_t)-1 : count == _TRUNCATE ? sizeInWords - 1 : count;
    for (;;) {
        used = mbrtowc(&wc, mbstr, MB_LEN_MAX, &state);
        if (used == (size_t)-1 || used == (size_t)-2) {
            if (wcstr != NULL)
                wcstr[0] = 0;
            return iishost_crt_fail(EILSEQ);
        }
        if (used == 0)
            break; /* the terminator */
        if (n == limit) {
            truncated = 1;
            break;
        }
        if (wcstr != NULL) {
            if (n + 1 >= sizeInWords) {
                wcstr[0] = 0;
                return iishost_crt_fail(ERANGE);
            }
            wcstr[n] = wc;
        }
        n++;
        mbstr += used;
    }
    if (wcstr != NULL)
        wcstr[n] = 0;
    if (pReturnValue != NULL)
        *pReturnValue = n + 1;
    return truncated && count == _TRUNCATE && wcstr != NULL ? STRUNCATE : 0;
}

/*
 * wcstombs_s: the reverse. count (or, with _TRUNCATE, the buffer) limits
 * the bytes stored without the terminator; a character is never split.
 * *pReturnValue gets the bytes written including the terminator.
 */
static __inline__ errno_t wcstombs_s(size_t *pReturnValue, char *mbstr, size_t sizeInBytes, const wchar_t *wcstr,
                                     size_t count)
{
    mbstate_t state;
    size_t limit, n = 0, len;
    int truncated = 0;
    char bytes[MB_LEN_MAX];
    if (pReturnValue != NULL)
        *pReturnValue = 0;
    if ((mbstr == NULL && sizeInBytes > 0) || (mbstr != NULL && sizeInBytes == 0))
        return iishost_crt_fail(EINVAL);
    if (wcstr == NULL) {
        if (mbstr != NULL)
            mbstr[0] = 0;
        return iishost_crt_fail(EINVAL);
    }
    memset(&state, 0, sizeof(state));
    limit = mbstr == NULL ? (size_t)-1 : count == _TRUNCATE ? sizeInBytes - 1 : count;
    for (; *wcstr != 0; wcstr++) {
        len = wcrtomb(bytes, *wcstr, &state);
        if (len == (size_t)-1) {
            if (mbstr != NULL)
                mbstr[0] = 0;
            return iishost_crt_fail(EILSEQ);
        }
        if (len > limit - n) {
            truncated = 1;
            break;
        }
        if (mbstr != NULL) {
            if (n + len >= sizeInBytes) {
                mbstr[0] = 0;
                return iishost_crt_fail(ERANGE);
            }
            memcpy(mbstr + n, bytes, len);
        }
        n += len;
    }
    if (mbstr != NULL)
        mbstr[n] = 0;
    if (pReturnValue != NULL)
        *pReturnValue = n + 1;
    return truncated && count == _TRUNCATE && mbstr != NULL ? STRUNCATE : 0;
}

/* ---- files ------------------------------------------------------------------ */

static __inline__ errno_t fopen_s(FILE **pFile, const char *filename, const char *mode)
{
    if (pFile == NULL)
        return iishost_crt_fail(EINVAL);
    *pFile = NULL;
    if (filename == NULL || mode == NULL)
        return iishost_crt_fail(EINVAL);
    *pFile = fopen(filename, mode);
    return *pFile != NULL ? 0 : errno;
}

/* A wide string as newly allocated UTF-8, or NULL (errno set). */
static __inline__ char *iishost_wide_to_utf8(const wchar_t *s)
{
    size_t n = 0, i;
    char *out, *p;
    for (i = 0; s[i] != 0; i++) {
        char tmp[4];
        if (!iishost_is_scalar(s[i])) {
            errno = EILSEQ;
            return NULL;
        }
        n += iishost_utf8_encode((uint32_t)s[i], tmp);
    }
    out = (char *)malloc(n + 1);
    if (out == NULL)
        return NULL;
    for (p = out, i = 0; s[i] != 0; i++)
        p += iishost_utf8_encode((uint32_t)s[i], p);
    *p = 0;
    return out;
}

/* Linux file names are bytes: the wide name is passed on as UTF-8,
 * whatever the locale, which is how Linux systems spell names. */
static __inline__ FILE *_wfopen(const wchar_t *filename, const wchar_t *mode)
{
    char *name, *how;
    FILE *f = NULL;
    if (filename == NULL || mode == NULL) {
        errno = EINVAL;
        return NULL;
    }
    name = iishost_wide_to_utf8(filename);
    how = name != NULL ? iishost_wide_to_utf8(mode) : NULL;
    if (how != NULL)
        f = fopen(name, how);
    free(name);
    free(how);
    return f;
}

static __inline__ errno_t _wfopen_s(FILE **pFile, const wchar_t *filename, const wchar_t *mode)
{
    if (pFile == NULL)
        return iishost_crt_fail(EINVAL);
    *pFile = NULL;
    if (filename == NULL || mode == NULL)
        return iishost_crt_fail(EINVAL);
    *pFile = _wfopen(filename, mode);
    return *pFile != NULL ? 0 : errno;
}

/* ---- C++ overloads that take the buffer size from an array --------------- */

#ifdef __cplusplus
extern "C++" {
template <size_t N> inline errno_t strcpy_s(char (&dest)[N], const char *src) { return strcpy_s(dest, N, src); }
template <size_t N> inline errno_t wcscpy_s(wchar_t (&dest)[N], const wchar_t *src) { return wcscpy_s(dest, N, src); }
template <size_t N>
inline errno_t strncpy_s(char (&dest)[N], const char *src, size_t count)
{
    return strncpy_s(dest, N, src, count);
}
template <size_t N>
inline errno_t wcsncpy_s(wchar_t (&dest)[N], const wchar_t *src, size_t count)
{
    return wcsncpy_s(dest, N, src, count);
}
template <size_t N> inline errno_t strcat_s(char (&dest)[N], const char *src) { return strcat_s(dest, N, src); }
template <size_t N> inline errno_t wcscat_s(wchar_t (&dest)[N], const wchar_t *src) { return wcscat_s(dest, N, src); }
template <size_t N>
inline errno_t strncat_s(char (&dest)[N], const char *src, size_t count)
{
    return strncat_s(dest, N, src, count);
}
template <size_t N>
inline errno_t wcsncat_s(wchar_t (&dest)[N], const wchar_t *src, size_t count)
{
    return wcsncat_s(dest, N, src, count);
}
template <size_t N> inline errno_t _strlwr_s(char (&s)[N]) { return _strlwr_s(s, N); }
template <size_t N> inline errno_t _strupr_s(char (&s)[N]) { return _strupr_s(s, N); }
template <size_t N> inline errno_t _wcslwr_s(wchar_t (&s)[N]) { return _wcslwr_s(s, N); }
template <size_t N> inline errno_t _wcsupr_s(wchar_t (&s)[N]) { return _wcsupr_s(s, N); }
template <size_t N> inline errno_t _itoa_s(int v, char (&b)[N], int radix) { return _itoa_s(v, b, N, radix); }
template <size_t N> inline errno_t _ltoa_s(long v, char (&b)[N], int radix) { return _ltoa_s(v, b, N, radix); }
template <size_t N>
inline errno_t _ultoa_s(unsigned long v, char (&b)[N], int radix)
{
    return _ultoa_s(v, b, N, radix);
}
template <size_t N>
inline errno_t _i64toa_s(long long v, char (&b)[N], int radix)
{
    return _i64toa_s(v, b, N, radix);
}
template <size_t N>
inline errno_t _ui64toa_s(unsigned long long v, char (&b)[N], int radix)
{
    return _ui64toa_s(v, b, N, radix);
}
template <size_t N> inline errno_t _itow_s(int v, wchar_t (&b)[N], int radix) { return _itow_s(v, b, N, radix); }
template <size_t N> inline errno_t _ltow_s(long v, wchar_t (&b)[N], int radix) { return _ltow_s(v, b, N, radix); }
template <size_t N>
inline errno_t _ultow_s(unsigned long v, wchar_t (&b)[N], int radix)
{
    return _ultow_s(v, b, N, radix);
}
template <size_t N>
inline errno_t _i64tow_s(long long v, wchar_t (&b)[N], int radix)
{
    return _i64tow_s(v, b, N, radix);
}
template <size_t N>
inline errno_t _ui64tow_s(unsigned long long v, wchar_t (&b)[N], int radix)
{
    return _ui64tow_s(v, b, N, radix);
}
template <size_t N>
inline errno_t mbstowcs_s(size_t *ret, wchar_t (&dest)[N], const char *src, size_t count)
{
    return mbstowcs_s(ret, dest, N, src, count);
}
template <size_t N>
inline errno_t wcstombs_s(size_t *ret, char (&dest)[N], const wchar_t *src, size_t count)
{
    return wcstombs_s(ret, dest, N, src, count);
}
template <size_t N>
inline int vsprintf_s(char (&buf)[N], const char *fmt, va_list ap)
{
    return vsprintf_s(buf, N, fmt, ap);
}
template <size_t N>
inline int vswprintf_s(wchar_t (&buf)[N], const wchar_t *fmt, va_list ap)
{
    return vswprintf_s(buf, N, fmt, ap);
}
template <size_t N>
inline int _vsnprintf_s(char (&buf)[N], size_t count, const char *fmt, va_list ap)
{
    return _vsnprintf_s(buf, N, count, fmt, ap);
}
template <size_t N>
inline int _vsnwprintf_s(wchar_t (&buf)[N], size_t count, const wchar_t *fmt, va_list ap)
{
    return _vsnwprintf_s(buf, N, count, fmt, ap);
}
template <size_t N> inline IISHOST_CRT_PRINTF(2, 3) int sprintf_s(char (&buf)[N], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsprintf_s(buf, N, fmt, ap);
    va_end(ap);
    return n;
}
template <size_t N> inline int swprintf_s(wchar_t (&buf)[N], const wchar_t *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vswprintf_s(buf, N, fmt, ap);
    va_end(ap);
    return n;
}
template <size_t N> inline IISHOST_CRT_PRINTF(3, 4) int _snprintf_s(char (&buf)[N], size_t count, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vsnprintf_s(buf, N, count, fmt, ap);
    va_end(ap);
    return n;
}
template <size_t N> inline int _snwprintf_s(wchar_t (&buf)[N], size_t count, const wchar_t *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = _vsnwprintf_s(buf, N, count, fmt, ap);
    va_end(ap);
    return n;
}
}
#endif

#endif /* IISHOST_CRT_SECURE_H */
