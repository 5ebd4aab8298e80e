/*
 * strsafe.h - the SDK's bounded string functions: StringCch* (sizes in
 * characters) and StringCb* (sizes in bytes) to copy, append, format and
 * measure, in A (char) and W (WCHAR) forms, with the plain names following
 * UNICODE.
 *
 * As documented for the SDK: a destination size of 0 or above
 * STRSAFE_MAX_CCH characters is STRSAFE_E_INVALID_PARAMETER (the
 * destination is emptied if it has room); a result that does not fit is cut
 * to the buffer, always terminated, and STRSAFE_E_INSUFFICIENT_BUFFER; a
 * *Cat* destination that is not terminated within its size is
 * STRSAFE_E_INVALID_PARAMETER and left alone.
 *
 * The printf forms read formats as Windows does (iishost/crt_secure.h
 * rewrites them for the C library): in StringCchPrintfW and the other W
 * forms "%s" takes a wide string and "%S" a narrow one; "%I64d" is 64-bit
 * in both forms. The A forms carry no -Wformat attribute unless
 * IISHOST_CRT_CHECK_FORMATS is defined (see there).
 *
 * Differences from Windows:
 *  - sizes in bytes count 4-byte WCHARs: StringCbCopyW(buf, sizeof(buf), s)
 *    is right on both systems, a hard-coded "* 2" is not;
 *  - a format that fails for a reason other than space (an unconvertible
 *    character) is STRSAFE_E_INVALID_PARAMETER with an empty destination,
 *    so a "grow the buffer and retry" loop ends;
 *  - a NULL source or format is taken as an empty string, as the SDK does
 *    with STRSAFE_IGNORE_NULLS, instead of crashing;
 *  - the SDK's deprecation of strcpy, sprintf and friends is not
 *    reproduced (it would break the C library's own headers), nor are the
 *    *Ex forms and StringCchGets provided.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <strsafe.h>
#else
#ifndef IISHOST_STRSAFE_H
#define IISHOST_STRSAFE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "iishost/wintypes.h"
#include "iishost/winerror.h"
#include "iishost/crt_secure.h"

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_MAX_LENGTH (STRSAFE_MAX_CCH - 1)
#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007A)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026)

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef WCHAR *STRSAFE_LPWSTR;
typedef const WCHAR *STRSAFE_LPCWSTR;
typedef const WCHAR *STRSAFE_LPCUWSTR;
typedef ULONG STRSAFE_DWORD;

/*
 * IISHOST_STRSAFE_FUNCS(CH, X, EMPTY) defines the copy, append and length
 * functions for character type CH and suffix X (A or W); EMPTY is that
 * type's empty string.
 */
#define IISHOST_STRSAFE_FUNCS(CH, X, EMPTY)                                                                 \
    /* Validates a destination; an invalid one is emptied when it has room. */                            \
    static __inline__ HRESULT iishost_strsafe_dest##X(CH *dest, size_t cchDest)                           \
    {                                                                                                     \
        if (dest == NULL || cchDest == 0 || cchDest > STRSAFE_MAX_CCH) {                                  \
            if (dest != NULL && cchDest > 0)                                                              \
                dest[0] = 0;                                                                              \
            return STRSAFE_E_INVALID_PARAMETER;                                                           \
        }                                                                                                 \
        return S_OK;                                                                                      \
    }                                                                                                     \
    /* Copies at most cchSrc characters of src into a valid dest, cutting to fit. */                      \
    static __inline__ HRESULT iishost_strsafe_copy##X(CH *dest, size_t cchDest, const CH *src, size_t cchSrc) \
    {                                                                                                     \
        size_t i;                                                                                         \
        if (src == NULL)                                                                                  \
            src = EMPTY;                                                                                  \
        for (i = 0; i < cchSrc && src[i] != 0; i++) {                                                     \
            if (i == cchDest - 1) {                                                                       \
                dest[i] = 0;                                                                              \
                return STRSAFE_E_INSUFFICIENT_BUFFER;                                                     \
            }                                                                                             \
            dest[i] = src[i];                                                                             \
        }                                                                                                 \
        dest[i] = 0;                                                                                      \
        return S_OK;                                                                                      \
    }                                                                                                     \
    /* The length of a valid dest, or STRSAFE_E_INVALID_PARAMETER if it is not terminated. */             \
    static __inline__ HRESULT iishost_strsafe_len##X(const CH *s, size_t cchMax, size_t *len)             \
    {                                                                                                     \
        size_t n = 0;                                                                                     \
        while (n < cchMax && s[n] != 0)                                                                   \
            n++;                                                                                          \
        *len = n;                                                                                         \
        return n < cchMax ? S_OK : STRSAFE_E_INVALID_PARAMETER;                                           \
    }                                                                                                     \
                                                                                                          \
    static __inline__ HRESULT StringCchCopyN##X(CH *pszDest, size_t cchDest, const CH *pszSrc,            \
                                                size_t cchToCopy)                                         \
    {                                                                                                     \
        HRESULT hr = iishost_strsafe_dest##X(pszDest, cchDest);                                           \
        if (FAILED(hr))                                                                                   \
            return hr;                                                                                    \
        if (cchToCopy > STRSAFE_MAX_LENGTH) {                                                             \
            pszDest[0] = 0;                                                                               \
            return STRSAFE_E_INVALID_PARAMETER;                                                           \
        }                                                                                                 \
        return iishost_strsafe_copy##X(pszDest, cchDest, pszSrc, cchToCopy);                              \
    }                                                                                                     \
    static __inline__ HRESULT StringCchCopy##X(CH *pszDest, size_t cchDest, const CH *pszSrc)             \
    {                                                                                                     \
        HRESULT hr = iishost_strsafe_dest##X(pszDest, cchDest);                                           \
        return FAILED(hr) ? hr : iishost_strsafe_copy##X(pszDest, cchDest, pszSrc, STRSAFE_MAX_LENGTH);   \
    }                                                                                                     \
                                                                                                          \
    static __inline__ HRESULT StringCchCatN##X(CH *pszDest, size_t cchDest, const CH *pszSrc,             \
                                               size_t cchToAppend)                                        \
    {                                                                                                     \
        size_t used;                                                                                      \
        if (pszDest == NULL || cchDest == 0 || cchDest > STRSAFE_MAX_CCH || cchToAppend > STRSAFE_MAX_LENGTH) \
            return STRSAFE_E_INVALID_PARAMETER;                                                           \
        if (FAILED(iishost_strsafe_len##X(pszDest, cchDest, &used)))                                      \
            return STRSAFE_E_INVALID_PARAMETER;                                                           \
        return iishost_strsafe_copy##X(pszDest + used, cchDest - used, pszSrc, cchToAppend);               \
    }                                                                                                     \
    static __inline__ HRESULT StringCchCat##X(CH *pszDest, size_t cchDest, const CH *pszSrc)              \
    {                                                                                                     \
        return StringCchCatN##X(pszDest, cchDest, pszSrc, STRSAFE_MAX_LENGTH);                            \
    }                                                                                                     \
                                                                                                          \
    /* *pcchLength (if given) gets the length without the terminator, or 0 on failure. */                 \
    static __inline__ HRESULT StringCchLength##X(const CH *psz, size_t cchMax, size_t *pcchLength)        \
    {                                                                                                     \
        size_t n = 0;                                                                                     \
        HRESULT hr = psz == NULL || cchMax > STRSAFE_MAX_CCH ? STRSAFE_E_INVALID_PARAMETER                \
                                                             : iishost_strsafe_len##X(psz, cchMax, &n);   \
        if (pcchLength != NULL)                                                                           \
            *pcchLength = SUCCEEDED(hr) ? n : 0;                                                          \
        return hr;                                                                                        \
    }                                                                                                     \
                                                                                                          \
    static __inline__ HRESULT StringCbCopy##X(CH *pszDest, size_t cbDest, const CH *pszSrc)               \
    {                                                                                                     \
        return StringCchCopy##X(pszDest, cbDest / sizeof(CH), pszSrc);                                    \
    }                                                                                                     \
    static __inline__ HRESULT StringCbCopyN##X(CH *pszDest, size_t cbDest, const CH *pszSrc, size_t cbToCopy) \
    {                                                                                                     \
        return StringCchCopyN##X(pszDest, cbDest / sizeof(CH), pszSrc, cbToCopy / sizeof(CH));            \
    }                                                                                                     \
    static __inline__ HRESULT StringCbCat##X(CH *pszDest, size_t cbDest, const CH *pszSrc)                \
    {                                                                                                     \
        return StringCchCat##X(pszDest, cbDest / sizeof(CH), pszSrc);                                     \
    }                                                                                                     \
    static __inline__ HRESULT StringCbCatN##X(CH *pszDest, size_t cbDest, const CH *pszSrc,               \
                                              size_t cbToAppend)                                          \
    {                                                                                                     \
        return StringCchCatN##X(pszDest, cbDest / sizeof(CH), pszSrc, cbToAppend / sizeof(CH));           \
    }                                                                                                     \
    /* *pcbLength (if given) gets the length in bytes without the terminator. */                          \
    static __inline__ HRESULT StringCbLength##X(const CH *psz, size_t cbMax, size_t *pcbLength)           \
    {                                                                                                     \
        size_t n = 0;                                                                                     \
        HRESULT hr = StringCchLength##X(psz, cbMax / sizeof(CH), &n);                                     \
        if (pcbLength != NULL)                                                                            \
            *pcbLength = n * sizeof(CH);                                                                  \
        return hr;                                                                                        \
    }

IISHOST_STRSAFE_FUNCS(char, A, "")
IISHOST_STRSAFE_FUNCS(WCHAR, W, L"")
#undef IISHOST_STRSAFE_FUNCS

/* Formatting. The output is cut to the buffer and terminated when it does
 * not fit. A format that cannot be rewritten for want of memory is
 * E_OUTOFMEMORY with an empty destination. */
static __inline__ HRESULT StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat,
                                            va_list argList)
{
    iishost_msfmt_buf_a f;
    const char *fmt;
    int n;
    HRESULT hr = iishost_strsafe_destA(pszDest, cchDest);
    if (FAILED(hr))
        return hr;
    fmt = iishost_msfmt_a(pszFormat != NULL ? pszFormat : "", &f);
    if (fmt == NULL) {
        pszDest[0] = 0;
        return E_OUTOFMEMORY;
    }
    n = vsnprintf(pszDest, cchDest, fmt, argList);
    free(f.heap);
    if (n < 0) {
        pszDest[0] = 0;
        return STRSAFE_E_INVALID_PARAMETER;
    }
    return (size_t)n < cchDest ? S_OK : STRSAFE_E_INSUFFICIENT_BUFFER;
}
static __inline__ HRESULT StringCchVPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat,
                                            va_list argList)
{
    iishost_msfmt_buf_w f;
    const wchar_t *fmt;
    int n, truncated;
    HRESULT hr = iishost_strsafe_destW(pszDest, cchDest);
    if (FAILED(hr))
        return hr;
    fmt = iishost_msfmt_w(pszFormat != NULL ? pszFormat : L"", &f);
    if (fmt == NULL) {
        pszDest[0] = 0;
        return E_OUTOFMEMORY;
    }
    n = iishost_vswprintf(pszDest, cchDest, fmt, argList, &truncated);
    free(f.heap);
    if (n >= 0)
        return S_OK;
    if (truncated) /* cut and terminated */
        return STRSAFE_E_INSUFFICIENT_BUFFER;
    pszDest[0] = 0;
    return STRSAFE_E_INVALID_PARAMETER;
}
static __inline__ IISHOST_CRT_PRINTF(3, 4) HRESULT StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest,
                                                                      STRSAFE_LPCSTR pszFormat, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, pszFormat);
    hr = StringCchVPrintfA(pszDest, cchDest, pszFormat, ap);
    va_end(ap);
    return hr;
}
static __inline__ HRESULT StringCchPrintfW(STRSAFE_LPWSTR pszDest, size_t cchDest, STRSAFE_LPCWSTR pszFormat, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, pszFormat);
    hr = StringCchVPrintfW(pszDest, cchDest, pszFormat, ap);
    va_end(ap);
    return hr;
}
static __inline__ HRESULT StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat,
                                           va_list argList)
{
    return StringCchVPrintfA(pszDest, cbDest / sizeof(char), pszFormat, argList);
}
static __inline__ HRESULT StringCbVPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat,
                                           va_list argList)
{
    return StringCchVPrintfW(pszDest, cbDest / sizeof(WCHAR), pszFormat, argList);
}
static __inline__ IISHOST_CRT_PRINTF(3, 4) HRESULT StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest,
                                                                     STRSAFE_LPCSTR pszFormat, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, pszFormat);
    hr = StringCchVPrintfA(pszDest, cbDest / sizeof(char), pszFormat, ap);
    va_end(ap);
    return hr;
}
static __inline__ HRESULT StringCbPrintfW(STRSAFE_LPWSTR pszDest, size_t cbDest, STRSAFE_LPCWSTR pszFormat, ...)
{
    va_list ap;
    HRESULT hr;
    va_start(ap, pszFormat);
    hr = StringCchVPrintfW(pszDest, cbDest / sizeof(WCHAR), pszFormat, ap);
    va_end(ap);
    return hr;
}

#ifdef UNICODE
#define StringCchCopy StringCchCopyW
#define StringCchCopyN StringCchCopyNW
#define StringCchCat StringCchCatW
#define StringCchCatN StringCchCatNW
#define StringCchPrintf StringCchPrintfW
#define StringCchVPrintf StringCchVPrintfW
#define StringCchLength StringCchLengthW
#define StringCbCopy StringCbCopyW
#define StringCbCopyN StringCbCopyNW
#define StringCbCat StringCbCatW
#define StringCbCatN StringCbCatNW
#define StringCbPrintf StringCbPrintfW
#define StringCbVPrintf StringCbVPrintfW
#define StringCbLength StringCbLengthW
#else
#define StringCchCopy StringCchCopyA
#define StringCchCopyN StringCchCopyNA
#define StringCchCat StringCchCatA
#define StringCchCatN StringCchCatNA
#define StringCchPrintf StringCchPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchLength StringCchLengthA
#define StringCbCopy StringCbCopyA
#define StringCbCopyN StringCbCopyNA
#define StringCbCat StringCbCatA
#define StringCbCatN StringCbCatNA
#define StringCbPrintf StringCbPrintfA
#define StringCbVPrintf StringCbVPrintfA
#define StringCbLength StringCbLengthA
#endif

#endif /* IISHOST_STRSAFE_H */
#endif /* _WIN32 */
