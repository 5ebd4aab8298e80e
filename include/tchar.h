/*
 * tchar.h - the CRT's generic-text mappings: _TCHAR, _T("...") and the
 * _tcs*, _t* and _ist* names, which become the wide (wcs*, w*) functions
 * when _UNICODE is defined and the narrow (str*) ones otherwise.
 *
 * As in the SDK, tchar.h follows _UNICODE while TCHAR and TEXT (in
 * windows.h) follow UNICODE; projects define both. _MBCS is accepted but
 * maps to the single-byte str* functions: there are no _mbs* functions here
 * (Linux narrow text is UTF-8, which str* handles byte-wise).
 *
 * The printf names (_stprintf_s, _sntprintf, _tprintf, ...) read formats
 * as MSVC does, in both modes: under _UNICODE "%s" and "%c" take wide
 * arguments, as on Windows, and "%I64d" is 64-bit (iishost/crt_secure.h
 * has the rules). _tprintf, _vtprintf, _ftprintf and _vftprintf are
 * wrappers here rather than wprintf/printf themselves, which keep C's
 * reading.
 *
 * Caveats, from the C library underneath:
 *  - _stscanf is swscanf/sscanf with C's conversions: in wide mode "%s"
 *    still stores a narrow string, so say "%ls".
 *  - _tfopen (_wfopen) passes the file name on as UTF-8.
 *  - _tmain is not mapped: a Linux program's entry point is main.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <tchar.h>
#else
#ifndef IISHOST_TCHAR_H
#define IISHOST_TCHAR_H

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>

#include "iishost/crt_secure.h"

#ifdef _UNICODE

typedef wchar_t _TCHAR, _TSCHAR, _TUCHAR, _TXCHAR;
typedef wint_t _TINT;
#define __T(x) L##x
#define _TEOF WEOF

#define _tcslen wcslen
#define _tcsclen wcslen
#define _tcscpy wcscpy
#define _tcscpy_s wcscpy_s
#define _tcsncpy wcsncpy
#define _tcsncpy_s wcsncpy_s
#define _tcscat wcscat
#define _tcscat_s wcscat_s
#define _tcsncat wcsncat
#define _tcsncat_s wcsncat_s
#define _tcscmp wcscmp
#define _tcsncmp wcsncmp
#define _tcsicmp _wcsicmp
#define _tcsnicmp _wcsnicmp
#define _tcscoll wcscoll
#define _tcschr wcschr
#define _tcsrchr wcsrchr
#define _tcsstr wcsstr
#define _tcsspn wcsspn
#define _tcscspn wcscspn
#define _tcspbrk wcspbrk
#define _tcstok_s wcstok_s
#define _tcsdup _wcsdup
#define _tcslwr _wcslwr
#define _tcsupr _wcsupr
#define _tcslwr_s _wcslwr_s
#define _tcsupr_s _wcsupr_s
#define _tcsftime wcsftime

#define _stprintf_s swprintf_s
#define _vstprintf_s vswprintf_s
#define _sntprintf _snwprintf
#define _vsntprintf _vsnwprintf
#define _sntprintf_s _snwprintf_s
#define _vsntprintf_s _vsnwprintf_s
#define _sctprintf _scwprintf
#define _vsctprintf _vscwprintf
#define _stscanf swscanf

#define _tcstol wcstol
#define _tcstoul wcstoul
#define _tcstoi64 _wcstoi64
#define _tcstoui64 _wcstoui64
#define _tcstod wcstod
#define _ttoi _wtoi
#define _tstoi _wtoi
#define _ttol _wtol
#define _tstol _wtol
#define _ttoi64 _wtoi64
#define _tstoi64 _wtoi64
#define _itot _itow
#define _itot_s _itow_s
#define _ltot _ltow
#define _ltot_s _ltow_s
#define _ultot _ultow
#define _ultot_s _ultow_s
#define _i64tot _i64tow
#define _i64tot_s _i64tow_s
#define _ui64tot _ui64tow
#define _ui64tot_s _ui64tow_s

#define _totlower towlower
#define _totupper towupper
#define _istspace iswspace
#define _istdigit iswdigit
#define _istxdigit iswxdigit
#define _istalpha iswalpha
#define _istalnum iswalnum
#define _istupper iswupper
#define _istlower iswlower
#define _istprint iswprint
#define _istgraph iswgraph
#define _istpunct iswpunct
#define _istcntrl iswcntrl

#define _tfopen _wfopen
#define _tfopen_s _wfopen_s
#define _fgetts fgetws
#define _fputts fputws
#define _gettc getwc
#define _fgettc fgetwc
#define _puttc putwc
#define _fputtc fputwc
#define _gettchar getwchar
#define _puttchar putwchar

#else /* narrow */

typedef char _TCHAR, _TXCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef int _TINT;
#define __T(x) x
#define _TEOF EOF

#define _tcslen strlen
#define _tcsclen strlen
#define _tcscpy strcpy
#define _tcscpy_s strcpy_s
#define _tcsncpy strncpy
#define _tcsncpy_s strncpy_s
#define _tcscat strcat
#define _tcscat_s strcat_s
#define _tcsncat strncat
#define _tcsncat_s strncat_s
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcscoll strcoll
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcspbrk strpbrk
#define _tcstok_s strtok_s
#define _tcsdup _strdup
#define _tcslwr _strlwr
#define _tcsupr _strupr
#define _tcslwr_s _strlwr_s
#define _tcsupr_s _strupr_s
#define _tcsftime strftime

#define _stprintf_s sprintf_s
#define _vstprintf_s vsprintf_s
#define _sntprintf _snprintf
#define _vsntprintf _vsnprintf
#define _sntprintf_s _snprintf_s
#define _vsntprintf_s _vsnprintf_s
#define _sctprintf _scprintf
#define _vsctprintf _vscprintf
#define _stscanf sscanf

#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstoi64 _strtoi64
#define _tcstoui64 _strtoui64
#define _tcstod strtod
#define _ttoi atoi
#define _tstoi atoi
#define _ttol atol
#define _tstol atol
#define _ttoi64 _atoi64
#define _tstoi64 _atoi64
#define _itot _itoa
#define _itot_s _itoa_s
#define _ltot _ltoa
#define _ltot_s _ltoa_s
#define _ultot _ultoa
#define _ultot_s _ultoa_s
#define _i64tot _i64toa
#define _i64tot_s _i64toa_s
#define _ui64tot _ui64toa
#define _ui64tot_s _ui64toa_s

#define _totlower tolower
#define _totupper toupper
#define _istspace isspace
#define _istdigit isdigit
#define _istxdigit isxdigit
#define _istalpha isalpha
#define _istalnum isalnum
#define _istupper isupper
#define _istlower islower
#define _istprint isprint
#define _istgraph isgraph
#define _istpunct ispunct
#define _istcntrl iscntrl

#define _tfopen fopen
#define _tfopen_s fopen_s
#define _fgetts fgets
#define _fputts fputs
#define _gettc getc
#define _fgettc fgetc
#define _puttc putc
#define _fputtc fputc
#define _gettchar getchar
#define _puttchar putchar

#endif /* _UNICODE */

/* The console and stream printf names, with MSVC's format rules. */
#ifdef _UNICODE
typedef iishost_msfmt_buf_w iishost_tchar_fmtbuf;
#define IISHOST_TCHAR_MSFMT iishost_msfmt_w
#define IISHOST_TCHAR_VFPRINTF vfwprintf
#define IISHOST_TCHAR_PRINTF(fmt, args)
#else
typedef iishost_msfmt_buf_a iishost_tchar_fmtbuf;
#define IISHOST_TCHAR_MSFMT iishost_msfmt_a
#define IISHOST_TCHAR_VFPRINTF vfprintf
#define IISHOST_TCHAR_PRINTF(fmt, args) IISHOST_CRT_PRINTF(fmt, args)
#endif
static __inline__ int iishost_vftprintf(FILE *stream, const _TCHAR *fmt, va_list ap)
{
    iishost_tchar_fmtbuf f;
    int n;
    if (stream == NULL || fmt == NULL) {
        errno = EINVAL;
        return -1;
    }
    fmt = IISHOST_TCHAR_MSFMT(fmt, &f);
    n = fmt != NULL ? IISHOST_TCHAR_VFPRINTF(stream, fmt, ap) : -1;
    free(f.heap);
    return n;
}
static __inline__ IISHOST_TCHAR_PRINTF(2, 3) int iishost_ftprintf(FILE *stream, const _TCHAR *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = iishost_vftprintf(stream, fmt, ap);
    va_end(ap);
    return n;
}
static __inline__ int iishost_vtprintf(const _TCHAR *fmt, va_list ap)
{
    return iishost_vftprintf(stdout, fmt, ap);
}
static __inline__ IISHOST_TCHAR_PRINTF(1, 2) int iishost_tprintf(const _TCHAR *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = iishost_vftprintf(stdout, fmt, ap);
    va_end(ap);
    return n;
}
#undef IISHOST_TCHAR_MSFMT
#undef IISHOST_TCHAR_VFPRINTF
#undef IISHOST_TCHAR_PRINTF
#define _tprintf iishost_tprintf
#define _vtprintf iishost_vtprintf
#define _ftprintf iishost_ftprintf
#define _vftprintf iishost_vftprintf

#define _T(x) __T(x)
#define _TEXT(x) __T(x)

#endif /* IISHOST_TCHAR_H */
#endif /* _WIN32 */
