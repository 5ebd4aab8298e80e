/*
 * atldef.h - what every ATL header here shares: _ATL_VER, the ATL
 * namespace, CAtlException and AtlThrow, the checking macros (ATLASSERT,
 * ATLVERIFY, ATLENSURE...) and tracing (ATLTRACE, ATLTRACE2). Our own
 * header-only subset of ATL for IIS module sources, written from ATL's
 * documented behaviour. C++ only: compiled as C this header is empty.
 *
 * Where this differs from ATL:
 *  - ATLASSERT is the C assert, so NDEBUG (not _DEBUG) turns it off.
 *  - ATLTRACE/ATLTRACE2 send their text to OutputDebugString (a host log
 *    record) when _DEBUG or IISHOST_ATL_TRACE is defined; otherwise their
 *    arguments are not evaluated, as in an ATL release build. ATLTRACE2
 *    (and ATLTRACE's category form) prints a message only when its level
 *    is <= ATL_TRACE_LEVEL (default 0); categories are accepted and not
 *    filtered.
 *  - AtlThrow throws CAtlException when C++ exceptions are on; built with
 *    -fno-exceptions it prints the HRESULT and aborts, as ATL does with
 *    _ATL_NO_EXCEPTIONS. A CAtlException escaping a notification becomes
 *    a 500 in the host.
 */
#ifndef IISHOST_ATLDEF_H
#define IISHOST_ATLDEF_H

#ifdef __cplusplus

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <type_traits>

#include "windows.h"

/* ATL 14.0, the version of Visual Studio 2015 to 2022. */
#ifndef _ATL_VER
#define _ATL_VER 0x0E00
#endif

#define ATL_NO_VTABLE
#define ATLAPI inline HRESULT
#define ATLAPI_(x) inline x
#define ATLINLINE inline
#define _ATL_DECLSPEC_ALLOCATOR

#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
#define IISHOST_ATL_EXCEPTIONS 1
#else
#define IISHOST_ATL_EXCEPTIONS 0
#endif

namespace ATL {

/* The exception ATL code throws: an HRESULT. */
class CAtlException {
public:
    CAtlException() noexcept : m_hr(E_FAIL) {}
    CAtlException(HRESULT hr) noexcept : m_hr(hr) {}
    operator HRESULT() const noexcept { return m_hr; }

    HRESULT m_hr;
};

/* Raises hr: throws CAtlException, or without exceptions reports and aborts. */
[[noreturn]] inline void AtlThrowImpl(HRESULT hr)
{
#if IISHOST_ATL_EXCEPTIONS
    throw CAtlException(hr);
#else
    fprintf(stderr, "ATL: unhandled error 0x%08X\n", static_cast<unsigned>(hr));
    abort();
#endif
}

/* The last Win32 error as an HRESULT (E_FAIL when there is none). */
inline HRESULT AtlHresultFromLastError() noexcept
{
    DWORD err = GetLastError();
    return err != 0 ? HRESULT_FROM_WIN32(err) : E_FAIL;
}

inline HRESULT AtlHresultFromWin32(DWORD nError) noexcept
{
    return HRESULT_FROM_WIN32(nError);
}

[[noreturn]] inline void AtlThrowLastWin32()
{
    AtlThrowImpl(AtlHresultFromLastError());
}

/* ATL 3's trace categories; newer code names them the same way. */
enum atlTraceFlags {
    atlTraceGeneral = 1 << 0,
    atlTraceCOM = 1 << 1,
    atlTraceQI = 1 << 2,
    atlTraceRegistrar = 1 << 3,
    atlTraceRefcount = 1 << 4,
    atlTraceWindowing = 1 << 5,
    atlTraceControls = 1 << 6,
    atlTraceHosting = 1 << 7,
    atlTraceDBClient = 1 << 8,
    atlTraceDBProvider = 1 << 9,
    atlTraceSnapin = 1 << 10,
    atlTraceNotImpl = 1 << 11,
    atlTraceAllocation = 1 << 12,
    atlTraceException = 1 << 13,
    atlTraceTime = 1 << 14,
    atlTraceCache = 1 << 15,
    atlTraceStencil = 1 << 16,
    atlTraceString = 1 << 17,
    atlTraceMap = 1 << 18,
    atlTraceUtil = 1 << 19,
    atlTraceSecurity = 1 << 20,
    atlTraceSync = 1 << 21,
    atlTraceISAPI = 1 << 22,
    atlTraceUser = 1 << 23
};

/* A module's own trace category (CTraceCategory MyTrace(_T("MyTrace"));). */
class CTraceCategory {
public:
    explicit CTraceCategory(LPCTSTR pszCategoryName, UINT nStartingLevel = 0) noexcept
        : m_pszName(pszCategoryName), m_nLevel(nStartingLevel)
    {
    }
    LPCTSTR GetName() const noexcept { return m_pszName; }
    UINT GetLevel() const noexcept { return m_nLevel; }
    void SetLevel(UINT nLevel) noexcept { m_nLevel = nLevel; }

private:
    LPCTSTR m_pszName;
    UINT m_nLevel;
};

/* Formats with MSVC's rules (iishost/crt_secure.h) and hands the text to OutputDebugString. */
inline void AtlTraceVU(const char *pszFormat, va_list args)
{
    char stack[512];
    va_list copy;
    int n;
    if (pszFormat == NULL)
        return;
    va_copy(copy, args);
    n = _vscprintf(pszFormat, copy);
    va_end(copy);
    if (n < 0)
        return;
    char *buf = static_cast<size_t>(n) < sizeof stack ? stack : static_cast<char *>(malloc(static_cast<size_t>(n) + 1));
    if (buf == NULL)
        return;
    if (vsprintf_s(buf, static_cast<size_t>(n) + 1, pszFormat, args) >= 0)
        OutputDebugStringA(buf);
    if (buf != stack)
        free(buf);
}

inline void AtlTraceVU(const wchar_t *pszFormat, va_list args)
{
    wchar_t stack[256];
    va_list copy;
    int n;
    if (pszFormat == NULL)
        return;
    va_copy(copy, args);
    n = _vscwprintf(pszFormat, copy);
    va_end(copy);
    if (n < 0)
        return;
    wchar_t *buf = static_cast<size_t>(n) < sizeof stack / sizeof stack[0]
                       ? stack
                       : static_cast<wchar_t *>(malloc((static_cast<size_t>(n) + 1) * sizeof(wchar_t)));
    if (buf == NULL)
        return;
    if (vswprintf_s(buf, static_cast<size_t>(n) + 1, pszFormat, args) >= 0)
        OutputDebugStringW(buf);
    if (buf != stack)
        free(buf);
}

/* The C-variadic ends of ATLTRACE. */
inline void AtlTraceU(const char *pszFormat, ...)
{
    va_list ap;
    va_start(ap, pszFormat);
    AtlTraceVU(pszFormat, ap);
    va_end(ap);
}

inline void AtlTraceU(const wchar_t *pszFormat, ...)
{
    va_list ap;
    va_start(ap, pszFormat);
    AtlTraceVU(pszFormat, ap);
    va_end(ap);
}

/*
 * What the formatting templates (ATLTRACE, CString::Format) pass on through
 * "...": arguments as they are, arrays as pointers. atlbase.h and atlstr.h
 * add overloads, found by argument-dependent lookup, that pass a CComBSTR or
 * CString as its text pointer, which is what MSVC passes for them (gcc and
 * clang cannot pass a class object through "...").
 */
template <class T> inline typename std::decay<const T>::type AtlIisVarArg(const T &v)
{
    return v;
}

template <class... Args> inline void AtlTrace(const char *pszFormat, const Args &...args)
{
    AtlTraceU(pszFormat, AtlIisVarArg(args)...);
}

template <class... Args> inline void AtlTrace(const wchar_t *pszFormat, const Args &...args)
{
    AtlTraceU(pszFormat, AtlIisVarArg(args)...);
}

#ifndef ATL_TRACE_LEVEL
#define ATL_TRACE_LEVEL 0
#endif

/* ATLTRACE2(category, level, format, ...): category is an atlTraceFlags value or a CTraceCategory. */
template <class Category, class... Args>
inline void AtlTrace2(const Category &, UINT nLevel, const char *pszFormat, const Args &...args)
{
    if (nLevel <= ATL_TRACE_LEVEL)
        AtlTraceU(pszFormat, AtlIisVarArg(args)...);
}

template <class Category, class... Args>
inline void AtlTrace2(const Category &, UINT nLevel, const wchar_t *pszFormat, const Args &...args)
{
    if (nLevel <= ATL_TRACE_LEVEL)
        AtlTraceU(pszFormat, AtlIisVarArg(args)...);
}

/* ATLTRACE(category, level, format, ...), the form ATL 7 added: as ATLTRACE2. A
 * string is never a category, so ATLTRACE("%d %s", 1, "x") stays the plain form. */
template <class Category>
struct IsTraceCategory
    : std::integral_constant<bool, !std::is_convertible<const Category &, const char *>::value &&
                                       !std::is_convertible<const Category &, const wchar_t *>::value> {};

template <class Category, class... Args>
inline typename std::enable_if<IsTraceCategory<Category>::value>::type
AtlTrace(const Category &category, UINT nLevel, const char *pszFormat, const Args &...args)
{
    AtlTrace2(category, nLevel, pszFormat, args...);
}

template <class Category, class... Args>
inline typename std::enable_if<IsTraceCategory<Category>::value>::type
AtlTrace(const Category &category, UINT nLevel, const wchar_t *pszFormat, const Args &...args)
{
    AtlTrace2(category, nLevel, pszFormat, args...);
}

} /* namespace ATL */

#ifndef AtlThrow
#define AtlThrow(hr) ATL::AtlThrowImpl(hr)
#endif

#ifndef ATLASSERT
#define ATLASSERT(expr) assert(expr)
#endif
/* expr is evaluated in every build; only the check goes away with NDEBUG. */
#ifndef ATLVERIFY
#ifdef NDEBUG
#define ATLVERIFY(expr) ((void)(expr))
#else
#define ATLVERIFY(expr) assert(expr)
#endif
#endif

/* Raise hr (E_FAIL for ATLENSURE) when expr is false. */
#define ATLENSURE_THROW(expr, hr)                                                                  \
    do {                                                                                           \
        if (!(expr))                                                                               \
            AtlThrow(hr);                                                                          \
    } while (0)
#define ATLENSURE(expr) ATLENSURE_THROW(expr, E_FAIL)
#define ATLENSURE_SUCCEEDED(hrExpr)                                                                \
    do {                                                                                           \
        HRESULT iishost_atl_hr_ = (hrExpr);                                                        \
        if (FAILED(iishost_atl_hr_))                                                               \
            AtlThrow(iishost_atl_hr_);                                                             \
    } while (0)
/* Return hr (E_FAIL) from the calling function when expr is false. */
#define ATLENSURE_RETURN_VAL(expr, val)                                                            \
    do {                                                                                           \
        if (!(expr))                                                                               \
            return val;                                                                            \
    } while (0)
#define ATLENSURE_RETURN_HR(expr, hr) ATLENSURE_RETURN_VAL(expr, hr)
#define ATLENSURE_RETURN(expr) ATLENSURE_RETURN_HR(expr, E_FAIL)
#define ATLENSURE_RETURN_VOID(expr)                                                                \
    do {                                                                                           \
        if (!(expr))                                                                               \
            return;                                                                                \
    } while (0)

#if defined(_DEBUG) || defined(IISHOST_ATL_TRACE)
#define ATLTRACE ATL::AtlTrace
#define ATLTRACE2 ATL::AtlTrace2
#else
/* As in an ATL release build: the arguments are not evaluated. */
#define ATLTRACE(...) ((void)0)
#define ATLTRACE2(...) ((void)0)
#endif
#define ATLTRACENOTIMPL(funcname)                                                                  \
    do {                                                                                           \
        ATLTRACE(TEXT("%s not implemented.\n"), funcname);                                               \
        return E_NOTIMPL;                                                                          \
    } while (0)

#endif /* __cplusplus */

#endif /* IISHOST_ATLDEF_H */
