/*
 * atlconv.h - ATL's string conversions: the USES_CONVERSION macros (A2W,
 * W2A, T2A, OLE2T, A2BSTR ...) and the conversion classes (CA2W, CW2A,
 * CT2A, CA2T ... with their *EX templates and an optional code page).
 * Our own subset of ATL, written from its documented behaviour. C++ only:
 * compiled as C this header is empty.
 *
 * Linux has no ANSI code page: narrow text is UTF-8, so CP_ACP (and
 * CP_THREAD_ACP, CP_OEMCP, CP_UTF8) convert as UTF-8 through kernel32.h's
 * MultiByteToWideChar/WideCharToMultiByte, and one WCHAR is one code point.
 * Any other code page fails there, and the conversion throws the Win32
 * error as a CAtlException (as ATL does for a failed conversion).
 *
 * Where this differs from ATL: USES_CONVERSION's macros take their memory
 * from the heap, not the stack (_alloca), and free it when the scope that
 * holds USES_CONVERSION ends; so they cannot overflow the stack in a loop,
 * and a pointer they return lives exactly as long as ATL's would (to the
 * end of the function, when USES_CONVERSION is at its top). The *_EX
 * macros (after USES_CONVERSION_EX) ignore their length argument.
 */
#ifndef IISHOST_ATLCONV_H
#define IISHOST_ATLCONV_H

#ifdef __cplusplus

#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "atldef.h"

namespace ATL {

namespace iishost_atl {

/* Raises E_OUTOFMEMORY when p is NULL. */
template <class T> inline T *Checked(T *p)
{
    if (p == NULL)
        AtlThrow(E_OUTOFMEMORY);
    return p;
}

/* Wide characters for the n bytes at s (n >= 0, no terminator needed); throws on failure. */
inline int WideLength(LPCSTR s, int n, UINT cp)
{
    if (n == 0)
        return 0;
    int r = MultiByteToWideChar(cp, 0, s, n, NULL, 0);
    if (r == 0)
        AtlThrowLastWin32();
    return r;
}

/* Converts n bytes into out (room for WideLength): false on failure, with the last error set. */
inline bool ToWide(LPCSTR s, int n, UINT cp, LPWSTR out, int cap) noexcept
{
    return n == 0 || MultiByteToWideChar(cp, 0, s, n, out, cap) != 0;
}

/* Bytes for the n wide characters at s; throws on failure. */
inline int NarrowLength(LPCWSTR s, int n, UINT cp)
{
    if (n == 0)
        return 0;
    int r = WideCharToMultiByte(cp, 0, s, n, NULL, 0, NULL, NULL);
    if (r == 0)
        AtlThrowLastWin32();
    return r;
}

inline bool ToNarrow(LPCWSTR s, int n, UINT cp, LPSTR out, int cap) noexcept
{
    return n == 0 || WideCharToMultiByte(cp, 0, s, n, out, cap, NULL, NULL) != 0;
}

/* strlen/wcslen + 1 as an int, or E_INVALIDARG for a string over 2 GB. */
inline int CountWithNul(LPCSTR s)
{
    size_t n = strlen(s);
    if (n >= static_cast<size_t>(INT_MAX))
        AtlThrow(E_INVALIDARG);
    return static_cast<int>(n + 1);
}
inline int CountWithNul(LPCWSTR s)
{
    size_t n = wcslen(s);
    if (n >= static_cast<size_t>(INT_MAX))
        AtlThrow(E_INVALIDARG);
    return static_cast<int>(n + 1);
}

} /* namespace iishost_atl */

/*
 * CA2WEX: a narrow string converted to wide for as long as the object
 * lives; short strings use the object's own buffer. NULL stays NULL.
 */
template <int t_nBufferLength = 128> class CA2WEX {
public:
    CA2WEX(LPCSTR psz) : m_psz(m_szBuffer) { Init(psz, CP_ACP); }
    CA2WEX(LPCSTR psz, UINT nCodePage) : m_psz(m_szBuffer) { Init(psz, nCodePage); }
    ~CA2WEX() noexcept { Free(); }
    operator LPWSTR() const noexcept { return m_psz; }

    LPWSTR m_psz;
    wchar_t m_szBuffer[t_nBufferLength];

private:
    CA2WEX(const CA2WEX &) = delete;
    CA2WEX &operator=(const CA2WEX &) = delete;
    void Free() noexcept
    {
        if (m_psz != m_szBuffer)
            free(m_psz);
    }
    void Init(LPCSTR psz, UINT cp)
    {
        if (psz == NULL) {
            m_psz = NULL;
            return;
        }
        int n = iishost_atl::CountWithNul(psz);
        int need = iishost_atl::WideLength(psz, n, cp);
        if (need > t_nBufferLength)
            m_psz = iishost_atl::Checked(static_cast<LPWSTR>(malloc(static_cast<size_t>(need) * sizeof(wchar_t))));
        if (!iishost_atl::ToWide(psz, n, cp, m_psz, need)) {
            Free();
            m_psz = m_szBuffer;
            AtlThrowLastWin32();
        }
    }
};

/* CW2AEX: a wide string converted to narrow (UTF-8 for CP_ACP). */
template <int t_nBufferLength = 128> class CW2AEX {
public:
    CW2AEX(LPCWSTR psz) : m_psz(m_szBuffer) { Init(psz, CP_ACP); }
    CW2AEX(LPCWSTR psz, UINT nCodePage) : m_psz(m_szBuffer) { Init(psz, nCodePage); }
    ~CW2AEX() noexcept { Free(); }
    operator LPSTR() const noexcept { return m_psz; }

    LPSTR m_psz;
    char m_szBuffer[t_nBufferLength];

private:
    CW2AEX(const CW2AEX &) = delete;
    CW2AEX &operator=(const CW2AEX &) = delete;
    void Free() noexcept
    {
        if (m_psz != m_szBuffer)
            free(m_psz);
    }
    void Init(LPCWSTR psz, UINT cp)
    {
        if (psz == NULL) {
            m_psz = NULL;
            return;
        }
        int n = iishost_atl::CountWithNul(psz);
        int need = iishost_atl::NarrowLength(psz, n, cp);
        if (need > t_nBufferLength)
            m_psz = iishost_atl::Checked(static_cast<LPSTR>(malloc(static_cast<size_t>(need))));
        if (!iishost_atl::ToNarrow(psz, n, cp, m_psz, need)) {
            Free();
            m_psz = m_szBuffer;
            AtlThrowLastWin32();
        }
    }
};

/* CA2AEX / CW2WEX: a writable copy of a string of the same width. */
template <class Ch, int t_nBufferLength> class CIisCopyEx {
public:
    CIisCopyEx(const Ch *psz) : m_psz(m_szBuffer) { Init(psz); }
    CIisCopyEx(const Ch *psz, UINT nCodePage) : m_psz(m_szBuffer)
    {
        (void)nCodePage; /* same encoding both sides: nothing to convert */
        Init(psz);
    }
    ~CIisCopyEx() noexcept
    {
        if (m_psz != m_szBuffer)
            free(m_psz);
    }
    operator Ch *() const noexcept { return m_psz; }

    Ch *m_psz;
    Ch m_szBuffer[t_nBufferLength];

private:
    CIisCopyEx(const CIisCopyEx &) = delete;
    CIisCopyEx &operator=(const CIisCopyEx &) = delete;
    void Init(const Ch *psz)
    {
        if (psz == NULL) {
            m_psz = NULL;
            return;
        }
        size_t n = static_cast<size_t>(iishost_atl::CountWithNul(psz));
        if (n > static_cast<size_t>(t_nBufferLength))
            m_psz = iishost_atl::Checked(static_cast<Ch *>(malloc(n * sizeof(Ch))));
        memcpy(m_psz, psz, n * sizeof(Ch));
    }
};
template <int t_nBufferLength = 128> class CA2AEX : public CIisCopyEx<char, t_nBufferLength> {
public:
    CA2AEX(LPCSTR psz) : CIisCopyEx<char, t_nBufferLength>(psz) {}
    CA2AEX(LPCSTR psz, UINT nCodePage) : CIisCopyEx<char, t_nBufferLength>(psz, nCodePage) {}
};
template <int t_nBufferLength = 128> class CW2WEX : public CIisCopyEx<wchar_t, t_nBufferLength> {
public:
    CW2WEX(LPCWSTR psz) : CIisCopyEx<wchar_t, t_nBufferLength>(psz) {}
    CW2WEX(LPCWSTR psz, UINT nCodePage) : CIisCopyEx<wchar_t, t_nBufferLength>(psz, nCodePage) {}
};

/* CA2CAEX / CW2CWEX: no conversion at all; the object holds the caller's pointer. */
template <int t_nBufferLength = 128> class CA2CAEX {
public:
    CA2CAEX(LPCSTR psz) noexcept : m_psz(psz) {}
    CA2CAEX(LPCSTR psz, UINT nCodePage) noexcept : m_psz(psz) { (void)nCodePage; }
    operator LPCSTR() const noexcept { return m_psz; }
    LPCSTR m_psz;

private:
    CA2CAEX(const CA2CAEX &) = delete;
    CA2CAEX &operator=(const CA2CAEX &) = delete;
};
template <int t_nBufferLength = 128> class CW2CWEX {
public:
    CW2CWEX(LPCWSTR psz) noexcept : m_psz(psz) {}
    CW2CWEX(LPCWSTR psz, UINT nCodePage) noexcept : m_psz(psz) { (void)nCodePage; }
    operator LPCWSTR() const noexcept { return m_psz; }
    LPCWSTR m_psz;

private:
    CW2CWEX(const CW2CWEX &) = delete;
    CW2CWEX &operator=(const CW2CWEX &) = delete;
};

typedef CA2WEX<> CA2W;
typedef CW2AEX<> CW2A;
typedef CA2AEX<> CA2A;
typedef CW2WEX<> CW2W;
typedef CA2CAEX<> CA2CA;
typedef CW2CWEX<> CW2CW;

/* OLECHAR is WCHAR, so the OLE names are the wide ones. */
typedef CA2W CA2OLE;
typedef CA2W CA2COLE;
typedef CW2A COLE2A;
typedef CW2A COLE2CA;
typedef CW2W CW2OLE;
typedef CW2CW CW2COLE;
typedef CW2W COLE2W;
typedef CW2CW COLE2CW;

#ifdef UNICODE
typedef CA2W CA2T;
typedef CA2W CA2CT;
typedef CW2A CT2A;
typedef CW2A CT2CA;
typedef CW2W CT2W;
typedef CW2CW CT2CW;
typedef CW2W CW2T;
typedef CW2CW CW2CT;
typedef CW2W CT2OLE;
typedef CW2CW CT2COLE;
typedef CW2W COLE2T;
typedef CW2CW COLE2CT;
#else
typedef CA2A CA2T;
typedef CA2CA CA2CT;
typedef CA2A CT2A;
typedef CA2CA CT2CA;
typedef CA2W CT2W;
typedef CA2W CT2CW;
typedef CW2A CW2T;
typedef CW2A CW2CT;
typedef CA2W CT2OLE;
typedef CA2W CT2COLE;
typedef CW2A COLE2T;
typedef CW2A COLE2CT;
#endif

/*
 * What USES_CONVERSION declares: the converted strings of one scope, each a
 * heap block freed with the pool.
 */
class CIisConversionPool {
public:
    CIisConversionPool() noexcept : m_head(NULL) {}
    ~CIisConversionPool() noexcept
    {
        while (m_head != NULL) {
            Block *next = m_head->next;
            free(m_head);
            m_head = next;
        }
    }

    LPWSTR ToWide(LPCSTR psz, UINT cp = CP_ACP)
    {
        if (psz == NULL)
            return NULL;
        int n = iishost_atl::CountWithNul(psz);
        int need = iishost_atl::WideLength(psz, n, cp);
        LPWSTR out = static_cast<LPWSTR>(Alloc(static_cast<size_t>(need) * sizeof(wchar_t)));
        if (!iishost_atl::ToWide(psz, n, cp, out, need))
            AtlThrowLastWin32();
        return out;
    }
    LPSTR ToNarrow(LPCWSTR psz, UINT cp = CP_ACP)
    {
        if (psz == NULL)
            return NULL;
        int n = iishost_atl::CountWithNul(psz);
        int need = iishost_atl::NarrowLength(psz, n, cp);
        LPSTR out = static_cast<LPSTR>(Alloc(static_cast<size_t>(need)));
        if (!iishost_atl::ToNarrow(psz, n, cp, out, need))
            AtlThrowLastWin32();
        return out;
    }

private:
    struct Block {
        Block *next;
        /* The string follows, aligned for any character type. */
        alignas(wchar_t) char data[1];
    };
    Block *m_head;

    void *Alloc(size_t bytes)
    {
        Block *b = iishost_atl::Checked(static_cast<Block *>(malloc(offsetof(Block, data) + bytes)));
        b->next = m_head;
        m_head = b;
        return b->data;
    }
    CIisConversionPool(const CIisConversionPool &) = delete;
    CIisConversionPool &operator=(const CIisConversionPool &) = delete;
};

/* A new BSTR of the narrow string (nLen bytes, or up to its NUL when -1); NULL for NULL. */
inline BSTR A2WBSTR(LPCSTR lp, int nLen = -1)
{
    if (lp == NULL)
        return NULL;
    if (nLen < 0)
        nLen = iishost_atl::CountWithNul(lp) - 1;
    int need = iishost_atl::WideLength(lp, nLen, CP_ACP);
    BSTR b = iishost_atl::Checked(SysAllocStringLen(NULL, static_cast<UINT>(need)));
    if (!iishost_atl::ToWide(lp, nLen, CP_ACP, b, need)) {
        SysFreeString(b);
        AtlThrowLastWin32();
    }
    return b;
}

} /* namespace ATL */

#define USES_CONVERSION ATL::CIisConversionPool iishost_atl_conv_ __attribute__((unused))
/* Its own pool, so that a function may hold both USES_CONVERSION and USES_CONVERSION_EX. */
#define USES_CONVERSION_EX ATL::CIisConversionPool iishost_atl_conv_ex_ __attribute__((unused))
#define _ATL_SAFE_ALLOCA_DEF_THRESHOLD 1024

#define A2W_CP(lpa, cp) (iishost_atl_conv_.ToWide((lpa), (cp)))
#define W2A_CP(lpw, cp) (iishost_atl_conv_.ToNarrow((lpw), (cp)))
#define A2W(lpa) A2W_CP(lpa, CP_ACP)
#define W2A(lpw) W2A_CP(lpw, CP_ACP)
#define A2CW(lpa) (const_cast<LPCWSTR>(A2W(lpa)))
#define W2CA(lpw) (const_cast<LPCSTR>(W2A(lpw)))
#define A2W_EX(lpa, n) (iishost_atl_conv_ex_.ToWide((lpa), CP_ACP))
#define W2A_EX(lpw, n) (iishost_atl_conv_ex_.ToNarrow((lpw), CP_ACP))
#define A2CW_EX(lpa, n) (const_cast<LPCWSTR>(A2W_EX(lpa, n)))
#define W2CA_EX(lpw, n) (const_cast<LPCSTR>(W2A_EX(lpw, n)))

#define A2OLE A2W
#define A2COLE A2CW
#define OLE2A W2A
#define OLE2CA W2CA
#define W2OLE(lpw) (lpw)
#define W2COLE(lpw) (lpw)
#define OLE2W(lpo) (lpo)
#define OLE2CW(lpo) (lpo)

#ifdef UNICODE
#define T2A W2A
#define T2CA W2CA
#define A2T A2W
#define A2CT A2CW
#define T2W(lpt) (lpt)
#define T2CW(lpt) (lpt)
#define W2T(lpw) (lpw)
#define W2CT(lpw) (lpw)
#define T2OLE(lpt) (lpt)
#define T2COLE(lpt) (lpt)
#define OLE2T(lpo) (lpo)
#define OLE2CT(lpo) (lpo)
#define T2BSTR(lpt) SysAllocString(lpt)
#else
#define T2A(lpt) (lpt)
#define T2CA(lpt) (lpt)
#define A2T(lpa) (lpa)
#define A2CT(lpa) (lpa)
#define T2W A2W
#define T2CW A2CW
#define W2T W2A
#define W2CT W2CA
#define T2OLE A2W
#define T2COLE A2CW
#define OLE2T W2A
#define OLE2CT W2CA
#define T2BSTR(lpt) ATL::A2WBSTR(lpt)
#endif
#ifdef UNICODE
#define A2T_EX(lpa, n) A2W_EX(lpa, n)
#define T2A_EX(lpt, n) W2A_EX(lpt, n)
#define W2T_EX(lpw, n) (lpw)
#define T2W_EX(lpt, n) (lpt)
#else
#define A2T_EX(lpa, n) (lpa)
#define T2A_EX(lpt, n) (lpt)
#define W2T_EX(lpw, n) W2A_EX(lpw, n)
#define T2W_EX(lpt, n) A2W_EX(lpt, n)
#endif

#define A2BSTR(lpa) ATL::A2WBSTR(lpa)
#define OLE2BSTR(lpo) SysAllocString(lpo)
#define W2BSTR(lpw) SysAllocString(lpw)

#endif /* __cplusplus */

#endif /* IISHOST_ATLCONV_H */
