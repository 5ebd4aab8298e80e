/*
 * comutil.h - the compiler COM support classes of Visual C++: _bstr_t (a
 * shared, reference-counted BSTR), _variant_t (a VARIANT that cleans up
 * after itself), _com_error (an HRESULT as a C++ exception), the
 * _com_util string conversions and _com_issue_error. comdef.h adds the
 * smart pointers. C++ only: compiled as C this header is empty.
 *
 * All header-only, like the rest of include/: no comsuppw.lib to link.
 *
 * Where Linux differs from Windows:
 *  - "char" strings are UTF-8 both ways (_bstr_t(const char *), operator
 *    const char *, ConvertStringToBSTR/ConvertBSTRToString), not the ANSI
 *    code page.
 *  - long is 64-bit on Linux while LONG/ULONG/DWORD are int/unsigned int.
 *    So _variant_t(int) and (unsigned int) make VT_I4/VT_UI4 (on Windows
 *    int gives VT_INT), which is what Windows code passing a LONG or DWORD
 *    gets there; _variant_t(long) and (unsigned long) give VT_I4/VT_UI4
 *    when the value fits in 32 bits and VT_I8/VT_UI8 when it does not
 *    (int64_t and size_t are long here). operator long() and operator
 *    unsigned long() accept the whole 64-bit range for the same reason.
 *  - There is no IErrorInfo machinery (GetErrorInfo, ISupportErrorInfo):
 *    _com_error keeps an IErrorInfo pointer it is given but cannot read
 *    it, so Description(), Source() and HelpFile() are empty.
 *  - _com_error::ErrorMessage() uses its own table of common HRESULTs,
 *    then "IDispatch error #n" for FACILITY_ITF codes, then
 *    "Unknown error 0x%08X" (FormatMessage, in iishost/formatmessage.h,
 *    keeps a table of its own for Win32 codes).
 *  - Without C++ exceptions (-fno-exceptions) _com_issue_error prints the
 *    HRESULT and aborts, unless a handler set with _set_com_error_handler
 *    deals with it.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <comutil.h>
#else
#ifndef IISHOST_COMUTIL_H
#define IISHOST_COMUTIL_H

#ifdef __cplusplus

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <new>

#include "windows.h"

class _com_error;
class _bstr_t;
class _variant_t;

#ifndef __IErrorInfo_FWD_DEFINED__
#define __IErrorInfo_FWD_DEFINED__
struct IErrorInfo;
#endif

/* Raises hr as a _com_error (or calls the handler of _set_com_error_handler). */
inline void __stdcall _com_issue_error(HRESULT hr);

/* ------------------------------------------------------------------------ */
namespace _com_util {

/* A new BSTR from a UTF-8 string; NULL for NULL. Raises E_OUTOFMEMORY. */
inline BSTR __stdcall ConvertStringToBSTR(const char *pSrc)
{
    BSTR b;
    if (pSrc == NULL)
        return NULL;
    b = iishost_ole_bstr_from_utf8(pSrc);
    if (b == NULL)
        _com_issue_error(E_OUTOFMEMORY);
    return b;
}

/* A new[]'d UTF-8 copy of the whole BSTR (delete[] it); NULL for NULL.
 * Raises E_OUTOFMEMORY. */
inline char *__stdcall ConvertBSTRToString(BSTR pSrc)
{
    size_t chars, bytes;
    char *s;
    if (pSrc == NULL)
        return NULL;
    chars = SysStringLen(pSrc);
    bytes = iishost_ole_utf8_encode(pSrc, chars, NULL);
    s = new (std::nothrow) char[bytes + 1];
    if (s == NULL) {
        _com_issue_error(E_OUTOFMEMORY);
        return NULL;
    }
    iishost_ole_utf8_encode(pSrc, chars, s);
    s[bytes] = 0;
    return s;
}

} /* namespace _com_util */

/* ------------------------------------------------------------------------
 * _bstr_t: copies share one BSTR through a reference count (copying a
 * _bstr_t never copies the string); changing one (+=, =, Attach) gives it
 * a fresh string and leaves the others alone. The UTF-8 form that operator
 * const char * returns is made once and kept with the shared string.
 */
class _bstr_t {
public:
    _bstr_t() noexcept : m_Data(NULL) {}
    _bstr_t(const _bstr_t &s) noexcept : m_Data(s.m_Data) { _AddRef(); }
    _bstr_t(_bstr_t &&s) noexcept : m_Data(s.m_Data) { s.m_Data = NULL; }
    _bstr_t(const char *s) : m_Data(NULL) { _Take(_com_util::ConvertStringToBSTR(s), s != NULL); }
    _bstr_t(const wchar_t *s) : m_Data(NULL) { _Take(::SysAllocString(s), s != NULL); }
    /* Explicit here so that `_bstr_t b = var;` uses _variant_t's operator
     * _bstr_t instead of being ambiguous between the two. */
    explicit _bstr_t(const _variant_t &var);
    /* fCopy false takes ownership of bstr (SysFreeString'd with the last copy). */
    _bstr_t(BSTR bstr, bool fCopy) : m_Data(NULL)
    {
        if (fCopy)
            _Take(_CopyBSTR(bstr), bstr != NULL);
        else
            _Take(bstr, false);
    }
    ~_bstr_t() noexcept { _Free(); }

    _bstr_t &operator=(const _bstr_t &s) noexcept
    {
        if (m_Data != s.m_Data) {
            _Free();
            m_Data = s.m_Data;
            _AddRef();
        }
        return *this;
    }
    _bstr_t &operator=(_bstr_t &&s) noexcept
    {
        if (this != &s) {
            _Free();
            m_Data = s.m_Data;
            s.m_Data = NULL;
        }
        return *this;
    }
    /* The new string is made before the old one is released: s may be this object's own text. */
    _bstr_t &operator=(const char *s) { return *this = _bstr_t(s); }
    _bstr_t &operator=(const wchar_t *s) { return *this = _bstr_t(s); }
    _bstr_t &operator=(const _variant_t &var);

    _bstr_t &operator+=(const _bstr_t &s)
    {
        UINT a = length(), b = s.length();
        BSTR joined;
        if (b == 0)
            return *this;
        if ((unsigned long long)a + b > IISHOST_BSTR_MAX_BYTES / sizeof(OLECHAR)) {
            _com_issue_error(E_OUTOFMEMORY);
            return *this;
        }
        joined = ::SysAllocStringLen(NULL, a + b);
        if (joined == NULL) {
            _com_issue_error(E_OUTOFMEMORY);
            return *this;
        }
        if (a != 0)
            memcpy(joined, m_Data->wstr, a * sizeof(OLECHAR));
        memcpy(joined + a, s.m_Data->wstr, b * sizeof(OLECHAR));
        Attach(joined);
        return *this;
    }
    _bstr_t operator+(const _bstr_t &s) const
    {
        _bstr_t r(*this);
        r += s;
        return r;
    }
    friend _bstr_t operator+(const char *s1, const _bstr_t &s2)
    {
        _bstr_t r(s1);
        r += s2;
        return r;
    }
    friend _bstr_t operator+(const wchar_t *s1, const _bstr_t &s2)
    {
        _bstr_t r(s1);
        r += s2;
        return r;
    }

    operator const wchar_t *() const noexcept { return m_Data != NULL ? m_Data->wstr : NULL; }
    operator wchar_t *() const noexcept { return m_Data != NULL ? m_Data->wstr : NULL; }
    /* The UTF-8 text, valid while this string is unchanged; NULL for a null string. */
    operator const char *() const { return m_Data != NULL ? m_Data->Narrow() : NULL; }
    operator char *() const { return m_Data != NULL ? m_Data->Narrow() : NULL; }

    /* True for a null BSTR only (an allocated empty string is not "!"). */
    bool operator!() const noexcept { return m_Data == NULL || m_Data->wstr == NULL; }

    /* Lexicographic by character, then by length; null equals empty. */
    bool operator==(const _bstr_t &s) const noexcept { return _Compare(s) == 0; }
    bool operator!=(const _bstr_t &s) const noexcept { return _Compare(s) != 0; }
    bool operator<(const _bstr_t &s) const noexcept { return _Compare(s) < 0; }
    bool operator>(const _bstr_t &s) const noexcept { return _Compare(s) > 0; }
    bool operator<=(const _bstr_t &s) const noexcept { return _Compare(s) <= 0; }
    bool operator>=(const _bstr_t &s) const noexcept { return _Compare(s) >= 0; }
    /* With string literals: without these, `b == L"x"` is ambiguous with
     * comparing the two pointers. */
    bool operator==(const wchar_t *s) const noexcept { return _CompareRaw(s) == 0; }
    bool operator!=(const wchar_t *s) const noexcept { return _CompareRaw(s) != 0; }
    bool operator==(const char *s) const { return _Compare(_bstr_t(s)) == 0; }
    bool operator!=(const char *s) const { return _Compare(_bstr_t(s)) != 0; }
    friend bool operator==(const wchar_t *a, const _bstr_t &b) noexcept { return b._CompareRaw(a) == 0; }
    friend bool operator!=(const wchar_t *a, const _bstr_t &b) noexcept { return b._CompareRaw(a) != 0; }
    friend bool operator==(const char *a, const _bstr_t &b) { return b == a; }
    friend bool operator!=(const char *a, const _bstr_t &b) { return b != a; }

    unsigned int length() const noexcept { return m_Data != NULL ? ::SysStringLen(m_Data->wstr) : 0; }

    /* A new BSTR the caller frees, or (fCopy false) the shared one itself. */
    BSTR copy(bool fCopy = true) const
    {
        BSTR b = m_Data != NULL ? m_Data->wstr : NULL;
        if (!fCopy || b == NULL)
            return b;
        b = _CopyBSTR(b);
        if (b == NULL)
            _com_issue_error(E_OUTOFMEMORY);
        return b;
    }

    /* A binary copy of s: all SysStringByteLen(s) bytes, NULs included. */
    void Assign(BSTR s) { *this = _bstr_t(s, true); }

    /* Takes ownership of s; the previous string is released. */
    void Attach(BSTR s)
    {
        Data_t *d = _NewData(s);
        _Free();
        m_Data = d;
    }

    /*
     * Gives the BSTR to the caller, who frees it, and leaves this object
     * null. Other _bstr_t objects sharing the string keep it: they get
     * the original and the caller a copy (Windows would leave them null).
     */
    BSTR Detach()
    {
        BSTR b;
        if (m_Data == NULL)
            return NULL;
        if (__atomic_load_n(&m_Data->refs, __ATOMIC_ACQUIRE) == 1) {
            b = m_Data->wstr;
            m_Data->wstr = NULL;
        } else {
            b = copy(true);
        }
        _Free();
        return b;
    }

    /* The shared BSTR itself, for code that changes it in place. */
    BSTR &GetBSTR()
    {
        static BSTR none; /* only if out of memory and an error handler returned */
        if (m_Data == NULL)
            m_Data = _NewData(NULL);
        if (m_Data == NULL)
            return none = NULL;
        m_Data->DropNarrow();
        return m_Data->wstr;
    }

    /* Releases the current string (other copies keep it) and returns the
     * address of a fresh NULL BSTR, typically for an [out] BSTR * parameter. */
    BSTR *GetAddress()
    {
        Attach(NULL);
        return m_Data != NULL ? &m_Data->wstr : NULL;
    }

private:
    struct Data_t {
        BSTR wstr;
        char *str; /* UTF-8 cache, new[]'d */
        unsigned int refs;

        char *Narrow()
        {
            char *s = __atomic_load_n(&str, __ATOMIC_ACQUIRE);
            char *expected = NULL;
            if (s != NULL || wstr == NULL)
                return s;
            s = _com_util::ConvertBSTRToString(wstr);
            /* Two threads may convert at once; the first to publish wins. */
            if (s != NULL && !__atomic_compare_exchange_n(&str, &expected, s, false, __ATOMIC_ACQ_REL,
                                                          __ATOMIC_ACQUIRE)) {
                delete[] s;
                s = expected;
            }
            return s;
        }
        void DropNarrow()
        {
            delete[] str;
            str = NULL;
        }
    };

    static BSTR _CopyBSTR(BSTR b)
    {
        return b == NULL ? NULL : ::SysAllocStringByteLen(reinterpret_cast<LPCSTR>(b), ::SysStringByteLen(b));
    }

    /* Data owning b; frees b and raises E_OUTOFMEMORY when it cannot. */
    static Data_t *_NewData(BSTR b)
    {
        Data_t *d = new (std::nothrow) Data_t;
        if (d == NULL) {
            ::SysFreeString(b);
            _com_issue_error(E_OUTOFMEMORY);
            return NULL;
        }
        d->wstr = b;
        d->str = NULL;
        d->refs = 1;
        return d;
    }

    /* Wraps b, just allocated for this object. `expected` says the source
     * was not NULL, so a NULL b means the allocation failed. */
    void _Take(BSTR b, bool expected)
    {
        if (b == NULL) {
            if (expected)
                _com_issue_error(E_OUTOFMEMORY);
            return;
        }
        m_Data = _NewData(b);
    }

    void _AddRef() noexcept
    {
        if (m_Data != NULL)
            __atomic_add_fetch(&m_Data->refs, 1, __ATOMIC_RELAXED);
    }

    void _Free() noexcept
    {
        if (m_Data != NULL && __atomic_sub_fetch(&m_Data->refs, 1, __ATOMIC_ACQ_REL) == 0) {
            ::SysFreeString(m_Data->wstr);
            delete[] m_Data->str;
            delete m_Data;
        }
        m_Data = NULL;
    }

    static int _CompareChars(const OLECHAR *a, UINT la, const OLECHAR *b, UINT lb) noexcept
    {
        UINT i, n = la < lb ? la : lb;
        for (i = 0; i < n; i++) {
            uint32_t ca = (uint32_t)a[i], cb = (uint32_t)b[i];
            if (ca != cb)
                return ca < cb ? -1 : 1;
        }
        return la < lb ? -1 : la > lb ? 1 : 0;
    }

    int _Compare(const _bstr_t &s) const noexcept
    {
        if (m_Data == s.m_Data)
            return 0;
        return _CompareChars(m_Data != NULL ? m_Data->wstr : NULL, length(),
                             s.m_Data != NULL ? s.m_Data->wstr : NULL, s.length());
    }

    int _CompareRaw(const wchar_t *s) const noexcept
    {
        return _CompareChars(m_Data != NULL ? m_Data->wstr : NULL, length(), s,
                             s != NULL ? (UINT)wcslen(s) : 0);
    }

    Data_t *m_Data;
};

/* ------------------------------------------------------------------------
 * _variant_t: a VARIANT (it derives from one, so it passes wherever a
 * VARIANT * goes) that VariantClear's itself. Extraction operators convert
 * with VariantChangeType and raise its error when that fails.
 */
class _variant_t : public ::tagVARIANT {
public:
    _variant_t() noexcept { ::VariantInit(_V()); }
    _variant_t(const VARIANT &varSrc)
    {
        ::VariantInit(_V());
        _Check(::VariantCopy(_V(), &varSrc));
    }
    _variant_t(const VARIANT *pSrc)
    {
        ::VariantInit(_V());
        if (pSrc == NULL)
            _com_issue_error(E_POINTER);
        else
            _Check(::VariantCopy(_V(), pSrc));
    }
    _variant_t(const _variant_t &varSrc)
    {
        ::VariantInit(_V());
        _Check(::VariantCopy(_V(), varSrc._V()));
    }
    _variant_t(_variant_t &&varSrc) noexcept
    {
        memcpy(_V(), varSrc._V(), sizeof(VARIANT));
        ::VariantInit(varSrc._V());
    }
    /* fCopy false takes varSrc's value over and leaves varSrc VT_EMPTY. */
    _variant_t(VARIANT &varSrc, bool fCopy)
    {
        ::VariantInit(_V());
        if (fCopy) {
            _Check(::VariantCopy(_V(), &varSrc));
        } else {
            memcpy(_V(), &varSrc, sizeof(VARIANT));
            varSrc.vt = VT_EMPTY;
        }
    }
    /* vtSrc: VT_I2 or VT_BOOL. */
    _variant_t(short sSrc, VARTYPE vtSrc = VT_I2)
    {
        ::VariantInit(_V());
        if (vtSrc == VT_BOOL)
            _SetBool(sSrc != 0);
        else if (vtSrc == VT_I2)
            iVal = sSrc, vt = VT_I2;
        else
            _com_issue_error(E_INVALIDARG);
    }
    /* vtSrc: VT_I4 (VT_I8 when the value needs 64 bits), VT_ERROR or VT_BOOL. */
    _variant_t(long lSrc, VARTYPE vtSrc = VT_I4)
    {
        ::VariantInit(_V());
        _SetSigned((LONGLONG)lSrc, vtSrc);
    }
    /* int is LONG here: VT_I4 by default (Windows makes an int VT_INT);
     * vtSrc may also be VT_INT, VT_ERROR or VT_BOOL. */
    _variant_t(int iSrc, VARTYPE vtSrc = VT_I4)
    {
        ::VariantInit(_V());
        _SetSigned(iSrc, vtSrc);
    }
    /* unsigned int is ULONG/DWORD here: VT_UI4 by default, or VT_UINT. */
    _variant_t(unsigned int uiSrc, VARTYPE vtSrc = VT_UI4)
    {
        ::VariantInit(_V());
        if (vtSrc == VT_UINT)
            uintVal = uiSrc, vt = VT_UINT;
        else if (vtSrc == VT_UI4)
            ulVal = uiSrc, vt = VT_UI4;
        else
            _com_issue_error(E_INVALIDARG);
    }
    /* VT_UI4, or VT_UI8 when the value needs 64 bits. */
    _variant_t(unsigned long ulSrc)
    {
        ::VariantInit(_V());
        if (ulSrc <= 0xFFFFFFFFul)
            ulVal = (ULONG)ulSrc, vt = VT_UI4;
        else
            ullVal = ulSrc, vt = VT_UI8;
    }
    _variant_t(float fltSrc) noexcept
    {
        ::VariantInit(_V());
        fltVal = fltSrc;
        vt = VT_R4;
    }
    /* vtSrc: VT_R8 or VT_DATE. */
    _variant_t(double dblSrc, VARTYPE vtSrc = VT_R8)
    {
        ::VariantInit(_V());
        if (vtSrc != VT_R8 && vtSrc != VT_DATE) {
            _com_issue_error(E_INVALIDARG);
            return;
        }
        dblVal = dblSrc;
        vt = vtSrc;
    }
    _variant_t(const CY &cySrc) noexcept
    {
        ::VariantInit(_V());
        cyVal = cySrc;
        vt = VT_CY;
    }
    _variant_t(const DECIMAL &decSrc) noexcept
    {
        ::VariantInit(_V());
        decVal = decSrc; /* overlays vt */
        vt = VT_DECIMAL;
    }
    _variant_t(const _bstr_t &bstrSrc)
    {
        ::VariantInit(_V());
        _SetBSTR(bstrSrc.copy(true));
    }
    _variant_t(const wchar_t *pSrc)
    {
        ::VariantInit(_V());
        BSTR b = ::SysAllocString(pSrc);
        if (b == NULL && pSrc != NULL)
            _com_issue_error(E_OUTOFMEMORY);
        _SetBSTR(b);
    }
    _variant_t(const char *pSrc)
    {
        ::VariantInit(_V());
        _SetBSTR(_com_util::ConvertStringToBSTR(pSrc));
    }
    _variant_t(IDispatch *pSrc, bool fAddRef = true) noexcept
    {
        ::VariantInit(_V());
        pdispVal = pSrc;
        vt = VT_DISPATCH;
        if (fAddRef && pSrc != NULL)
            pSrc->AddRef();
    }
    _variant_t(IUnknown *pSrc, bool fAddRef = true) noexcept
    {
        ::VariantInit(_V());
        punkVal = pSrc;
        vt = VT_UNKNOWN;
        if (fAddRef && pSrc != NULL)
            pSrc->AddRef();
    }
    _variant_t(bool boolSrc) noexcept
    {
        ::VariantInit(_V());
        _SetBool(boolSrc);
    }
    _variant_t(BYTE bSrc) noexcept
    {
        ::VariantInit(_V());
        bVal = bSrc;
        vt = VT_UI1;
    }
    _variant_t(char cSrc) noexcept
    {
        ::VariantInit(_V());
        cVal = cSrc;
        vt = VT_I1;
    }
    _variant_t(unsigned short usSrc) noexcept
    {
        ::VariantInit(_V());
        uiVal = usSrc;
        vt = VT_UI2;
    }
    _variant_t(long long i8Src) noexcept
    {
        ::VariantInit(_V());
        llVal = i8Src;
        vt = VT_I8;
    }
    _variant_t(unsigned long long ui8Src) noexcept
    {
        ::VariantInit(_V());
        ullVal = ui8Src;
        vt = VT_UI8;
    }
    ~_variant_t() noexcept { ::VariantClear(_V()); }

    /* Extractors. IDispatch * and IUnknown * come AddRef'd: Release them. */
    operator short() const { return vt == VT_I2 ? iVal : _As(VT_I2).iVal; }
    operator long() const { return vt == VT_I4 ? lVal : (long)_As(VT_I8).llVal; }
    operator int() const { return vt == VT_I4 || vt == VT_INT ? lVal : _As(VT_I4).lVal; }
    operator unsigned int() const { return vt == VT_UI4 || vt == VT_UINT ? ulVal : _As(VT_UI4).ulVal; }
    operator unsigned long() const { return vt == VT_UI4 ? ulVal : (unsigned long)_As(VT_UI8).ullVal; }
    operator unsigned short() const { return vt == VT_UI2 ? uiVal : _As(VT_UI2).uiVal; }
    operator char() const { return vt == VT_I1 ? cVal : _As(VT_I1).cVal; }
    operator BYTE() const { return vt == VT_UI1 ? bVal : _As(VT_UI1).bVal; }
    operator long long() const { return vt == VT_I8 ? llVal : _As(VT_I8).llVal; }
    operator unsigned long long() const { return vt == VT_UI8 ? ullVal : _As(VT_UI8).ullVal; }
    operator float() const { return vt == VT_R4 ? fltVal : _As(VT_R4).fltVal; }
    operator double() const { return vt == VT_R8 ? dblVal : _As(VT_R8).dblVal; }
    operator bool() const { return (vt == VT_BOOL ? boolVal : _As(VT_BOOL).boolVal) != VARIANT_FALSE; }
    operator CY() const { return vt == VT_CY ? cyVal : _As(VT_CY).cyVal; }
    operator DECIMAL() const { return vt == VT_DECIMAL ? decVal : _As(VT_DECIMAL).decVal; }
    operator _bstr_t() const
    {
        if (vt == VT_BSTR)
            return _bstr_t(bstrVal, true);
        _variant_t v = _As(VT_BSTR);
        return _bstr_t(v.Detach().bstrVal, false);
    }
    operator IDispatch *() const
    {
        IDispatch *p;
        if (vt == VT_DISPATCH) {
            p = pdispVal;
            if (p != NULL)
                p->AddRef();
            return p;
        }
        return _As(VT_DISPATCH).Detach().pdispVal;
    }
    operator IUnknown *() const
    {
        IUnknown *p;
        if (vt == VT_UNKNOWN) {
            p = punkVal;
            if (p != NULL)
                p->AddRef();
            return p;
        }
        return _As(VT_UNKNOWN).Detach().punkVal;
    }
    /* No operator VARIANT(): a _variant_t is a VARIANT, so `VARIANT v = var;`
     * already makes the same shallow copy (which still belongs to var). */

    /* Assignment replaces the value and its type, as construction from the same value would. */
    _variant_t &operator=(const VARIANT &varSrc)
    {
        _Check(::VariantCopy(_V(), &varSrc));
        return *this;
    }
    _variant_t &operator=(const VARIANT *pSrc)
    {
        if (pSrc == NULL)
            _com_issue_error(E_POINTER);
        else
            _Check(::VariantCopy(_V(), pSrc));
        return *this;
    }
    _variant_t &operator=(const _variant_t &varSrc)
    {
        _Check(::VariantCopy(_V(), varSrc._V()));
        return *this;
    }
    _variant_t &operator=(_variant_t &&varSrc) noexcept
    {
        if (this != &varSrc) {
            ::VariantClear(_V());
            memcpy(_V(), varSrc._V(), sizeof(VARIANT));
            ::VariantInit(varSrc._V());
        }
        return *this;
    }
    _variant_t &operator=(short sSrc) { return _Replace(_variant_t(sSrc)); }
    _variant_t &operator=(long lSrc) { return _Replace(_variant_t(lSrc)); }
    _variant_t &operator=(int iSrc) { return _Replace(_variant_t(iSrc)); }
    _variant_t &operator=(unsigned int uiSrc) { return _Replace(_variant_t(uiSrc)); }
    _variant_t &operator=(unsigned long ulSrc) { return _Replace(_variant_t(ulSrc)); }
    _variant_t &operator=(unsigned short usSrc) { return _Replace(_variant_t(usSrc)); }
    _variant_t &operator=(char cSrc) { return _Replace(_variant_t(cSrc)); }
    _variant_t &operator=(BYTE bSrc) { return _Replace(_variant_t(bSrc)); }
    _variant_t &operator=(long long i8Src) { return _Replace(_variant_t(i8Src)); }
    _variant_t &operator=(unsigned long long ui8Src) { return _Replace(_variant_t(ui8Src)); }
    _variant_t &operator=(float fltSrc) { return _Replace(_variant_t(fltSrc)); }
    _variant_t &operator=(double dblSrc) { return _Replace(_variant_t(dblSrc)); }
    _variant_t &operator=(bool boolSrc) { return _Replace(_variant_t(boolSrc)); }
    _variant_t &operator=(const CY &cySrc) { return _Replace(_variant_t(cySrc)); }
    _variant_t &operator=(const DECIMAL &decSrc) { return _Replace(_variant_t(decSrc)); }
    _variant_t &operator=(const _bstr_t &bstrSrc) { return _Replace(_variant_t(bstrSrc)); }
    _variant_t &operator=(const wchar_t *pSrc) { return _Replace(_variant_t(pSrc)); }
    _variant_t &operator=(const char *pSrc) { return _Replace(_variant_t(pSrc)); }
    _variant_t &operator=(IDispatch *pSrc) { return _Replace(_variant_t(pSrc)); }
    _variant_t &operator=(IUnknown *pSrc) { return _Replace(_variant_t(pSrc)); }

    /* Same type and same value; strings compare all their bytes,
     * interfaces and VT_BYREF values by pointer. */
    bool operator==(const VARIANT &varSrc) const noexcept { return _Equal(&varSrc); }
    bool operator==(const VARIANT *pSrc) const noexcept { return pSrc != NULL && _Equal(pSrc); }
    bool operator!=(const VARIANT &varSrc) const noexcept { return !_Equal(&varSrc); }
    bool operator!=(const VARIANT *pSrc) const noexcept { return pSrc == NULL || !_Equal(pSrc); }
    /* An exact match for two _variant_t, which C++20's reversed candidates would find ambiguous. */
    bool operator==(const _variant_t &varSrc) const noexcept { return _Equal(varSrc._V()); }
    bool operator!=(const _variant_t &varSrc) const noexcept { return !_Equal(varSrc._V()); }

    void Clear() { _Check(::VariantClear(_V())); }

    /* Takes varSrc's value over; varSrc is left VT_EMPTY. */
    void Attach(VARIANT &varSrc)
    {
        Clear();
        memcpy(_V(), &varSrc, sizeof(VARIANT));
        varSrc.vt = VT_EMPTY;
    }

    /* Hands the value to the caller, who clears it; this becomes VT_EMPTY. */
    VARIANT Detach() noexcept
    {
        VARIANT v;
        memcpy(&v, _V(), sizeof(VARIANT));
        ::VariantInit(_V());
        return v;
    }

    VARIANT &GetVARIANT() noexcept { return *_V(); }

    /* Clears the value and returns the VARIANT, typically for an [out] VARIANT * parameter. */
    VARIANT *GetAddress()
    {
        Clear();
        return _V();
    }

    /* Converts pSrc (this object when NULL) to vartype into this object; raises on failure. */
    void ChangeType(VARTYPE vartype, const _variant_t *pSrc = NULL)
    {
        if (pSrc == NULL)
            pSrc = this;
        if (pSrc != this || vartype != vt)
            _Check(::VariantChangeType(_V(), pSrc->_V(), 0, vartype));
    }

    void SetString(const char *pSrc) { operator=(pSrc); }

private:
    VARIANT *_V() noexcept { return static_cast<VARIANT *>(this); }
    const VARIANT *_V() const noexcept { return static_cast<const VARIANT *>(this); }

    static void _Check(HRESULT hr)
    {
        if (FAILED(hr))
            _com_issue_error(hr);
    }

    _variant_t &_Replace(_variant_t &&v) noexcept { return *this = static_cast<_variant_t &&>(v); }

    /* This value converted to t (raises on failure). */
    _variant_t _As(VARTYPE t) const
    {
        _variant_t v;
        _Check(::VariantChangeType(v._V(), _V(), 0, t));
        return v;
    }

    void _SetBool(bool b) noexcept
    {
        boolVal = b ? VARIANT_TRUE : VARIANT_FALSE;
        vt = VT_BOOL;
    }

    void _SetBSTR(BSTR b) noexcept
    {
        bstrVal = b;
        vt = VT_BSTR;
    }

    void _SetSigned(LONGLONG v, VARTYPE vtSrc)
    {
        switch (vtSrc) {
        case VT_BOOL:
            _SetBool(v != 0);
            break;
        case VT_ERROR:
            scode = (SCODE)v;
            vt = VT_ERROR;
            break;
        case VT_INT:
        case VT_I4:
            if (v >= -2147483647LL - 1 && v <= 2147483647LL) {
                lVal = (LONG)v;
                vt = vtSrc;
            } else {
                llVal = v;
                vt = VT_I8;
            }
            break;
        default:
            _com_issue_error(E_INVALIDARG);
        }
    }

    bool _Equal(const VARIANT *p) const noexcept
    {
        const VARIANT *me = _V();
        if (p == me)
            return true;
        if (p->vt != vt)
            return false;
        if (vt & VT_BYREF)
            return byref == p->byref;
        switch (vt) {
        case VT_EMPTY:
        case VT_NULL:
            return true;
        case VT_BSTR: {
            UINT n = ::SysStringByteLen(bstrVal);
            return n == ::SysStringByteLen(p->bstrVal) && (n == 0 || memcmp(bstrVal, p->bstrVal, n) == 0);
        }
        case VT_DECIMAL:
            return memcmp(&decVal, &p->decVal, sizeof(DECIMAL)) == 0;
        case VT_R4:
            return fltVal == p->fltVal;
        case VT_R8:
        case VT_DATE:
            return dblVal == p->dblVal;
        case VT_BOOL:
            return (boolVal != 0) == (p->boolVal != 0);
        case VT_I1: case VT_UI1:
            return bVal == p->bVal;
        case VT_I2: case VT_UI2:
            return uiVal == p->uiVal;
        case VT_I4: case VT_UI4: case VT_INT: case VT_UINT: case VT_ERROR:
            return ulVal == p->ulVal;
        default: /* 64-bit values and pointers */
            return ullVal == p->ullVal;
        }
    }
};

inline _bstr_t::_bstr_t(const _variant_t &var) : m_Data(NULL)
{
    _bstr_t s = var; /* operator _bstr_t: converts with VariantChangeType */
    m_Data = s.m_Data;
    s.m_Data = NULL;
}

inline _bstr_t &_bstr_t::operator=(const _variant_t &var)
{
    return *this = static_cast<_bstr_t>(var);
}

/* ------------------------------------------------------------------------
 * _com_error: what _com_issue_error throws. Not derived from
 * std::exception, as on Windows: catch it by its own type.
 */

/* FACILITY_ITF codes from 0x200 up are the 16-bit wCodes of IDispatch exceptions. */
#define WCODE_HRESULT_FIRST MAKE_HRESULT(SEVERITY_ERROR, FACILITY_ITF, 0x200)
#define WCODE_HRESULT_LAST (MAKE_HRESULT(SEVERITY_ERROR, FACILITY_ITF + 1, 0) - 1)

class _com_error {
public:
    /* Takes over one reference to perrinfo, or adds one when fAddRef. */
    _com_error(HRESULT hr, IErrorInfo *perrinfo = NULL, bool fAddRef = false) noexcept
        : m_hresult(hr), m_perrinfo(perrinfo)
    {
        m_msg[0] = 0;
        if (fAddRef && m_perrinfo != NULL)
            _Unk(m_perrinfo)->AddRef();
    }
    _com_error(const _com_error &that) noexcept : m_hresult(that.m_hresult), m_perrinfo(that.m_perrinfo)
    {
        m_msg[0] = 0;
        if (m_perrinfo != NULL)
            _Unk(m_perrinfo)->AddRef();
    }
    virtual ~_com_error() noexcept
    {
        if (m_perrinfo != NULL)
            _Unk(m_perrinfo)->Release();
    }
    _com_error &operator=(const _com_error &that) noexcept
    {
        if (this != &that) {
            if (that.m_perrinfo != NULL)
                _Unk(that.m_perrinfo)->AddRef();
            if (m_perrinfo != NULL)
                _Unk(m_perrinfo)->Release();
            m_hresult = that.m_hresult;
            m_perrinfo = that.m_perrinfo;
            m_msg[0] = 0;
        }
        return *this;
    }

    HRESULT Error() const noexcept { return m_hresult; }
    WORD WCode() const noexcept { return HRESULTToWCode(m_hresult); }
    /* AddRef'd; NULL when there is none (always, unless one was passed in). */
    IErrorInfo *ErrorInfo() const noexcept
    {
        if (m_perrinfo != NULL)
            _Unk(m_perrinfo)->AddRef();
        return m_perrinfo;
    }
    /* Empty: reading an IErrorInfo needs its interface, which does not exist here. */
    _bstr_t Description() const { return _bstr_t(); }
    DWORD HelpContext() const noexcept { return 0; }
    _bstr_t HelpFile() const { return _bstr_t(); }
    _bstr_t Source() const { return _bstr_t(); }
    ::GUID GUID() const noexcept { return GUID_NULL; }

    /* Text for the HRESULT, kept in this object (see the header comment);
     * TCHAR is wide when UNICODE is defined. */
    const TCHAR *ErrorMessage() const noexcept
    {
        char text[96];
        const char *known = _Known(m_hresult);
        size_t i;
        if (known != NULL)
            snprintf(text, sizeof(text), "%s", known);
        else if (WCode() != 0)
            snprintf(text, sizeof(text), "IDispatch error #%u", (unsigned)WCode());
        else
            snprintf(text, sizeof(text), "Unknown error 0x%08X", (unsigned)m_hresult);
        for (i = 0; text[i] != 0 && i + 1 < sizeof(m_msg) / sizeof(m_msg[0]); i++)
            m_msg[i] = (TCHAR)(unsigned char)text[i];
        m_msg[i] = 0;
        return m_msg;
    }

    static HRESULT WCodeToHRESULT(WORD wCode) noexcept
    {
        return wCode >= 0xFE00 ? WCODE_HRESULT_LAST : WCODE_HRESULT_FIRST + wCode;
    }
    static WORD HRESULTToWCode(HRESULT hr) noexcept
    {
        return hr >= WCODE_HRESULT_FIRST && hr <= WCODE_HRESULT_LAST ? (WORD)(hr - WCODE_HRESULT_FIRST) : 0;
    }

private:
    /* Every interface starts with IUnknown; IErrorInfo is only forward-declared here. */
    static IUnknown *_Unk(IErrorInfo *p) noexcept { return reinterpret_cast<IUnknown *>(p); }

    static const char *_Known(HRESULT hr) noexcept
    {
        static const struct {
            HRESULT hr;
            const char *text;
        } table[] = {
            { S_OK, "Success (S_OK)" },
            { S_FALSE, "Success, with a false or partial result (S_FALSE)" },
            { E_UNEXPECTED, "Unexpected failure (E_UNEXPECTED)" },
            { E_NOTIMPL, "Not implemented (E_NOTIMPL)" },
            { E_NOINTERFACE, "Interface not supported (E_NOINTERFACE)" },
            { E_POINTER, "Invalid or NULL pointer (E_POINTER)" },
            { E_ABORT, "Operation aborted (E_ABORT)" },
            { E_FAIL, "Unspecified failure (E_FAIL)" },
            { E_PENDING, "The data is not yet available (E_PENDING)" },
            { E_BOUNDS, "Index out of bounds (E_BOUNDS)" },
            { E_ACCESSDENIED, "Access denied (E_ACCESSDENIED)" },
            { E_HANDLE, "Invalid handle (E_HANDLE)" },
            { E_OUTOFMEMORY, "Out of memory (E_OUTOFMEMORY)" },
            { E_INVALIDARG, "Invalid argument (E_INVALIDARG)" },
            { E_NOT_SUFFICIENT_BUFFER, "Buffer too small (ERROR_INSUFFICIENT_BUFFER)" },
            { E_NOT_SET, "Not found (ERROR_NOT_FOUND)" },
            { E_NOT_VALID_STATE, "Invalid state for this operation (ERROR_INVALID_STATE)" },
            { HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND), "File not found (ERROR_FILE_NOT_FOUND)" },
            { HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND), "Path not found (ERROR_PATH_NOT_FOUND)" },
            { HRESULT_FROM_WIN32(ERROR_ALREADY_EXISTS), "Already exists (ERROR_ALREADY_EXISTS)" },
            { HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED), "Not supported (ERROR_NOT_SUPPORTED)" },
            { HRESULT_FROM_WIN32(ERROR_INVALID_DATA), "Invalid data (ERROR_INVALID_DATA)" },
            { HRESULT_FROM_WIN32(ERROR_MORE_DATA), "More data is available (ERROR_MORE_DATA)" },
            { HRESULT_FROM_WIN32(ERROR_IO_PENDING), "I/O pending (ERROR_IO_PENDING)" },
            { HRESULT_FROM_WIN32(ERROR_OPERATION_ABORTED), "Operation aborted (ERROR_OPERATION_ABORTED)" },
            { HRESULT_FROM_WIN32(ERROR_CANCELLED), "Cancelled (ERROR_CANCELLED)" },
            { HRESULT_FROM_WIN32(ERROR_TIMEOUT), "Timed out (ERROR_TIMEOUT)" },
            { HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE), "Invalid handle (ERROR_INVALID_HANDLE)" },
            { REGDB_E_CLASSNOTREG, "Class not registered (REGDB_E_CLASSNOTREG)" },
            { CLASS_E_NOAGGREGATION, "Class does not support aggregation (CLASS_E_NOAGGREGATION)" },
            { CLASS_E_CLASSNOTAVAILABLE, "Class not available (CLASS_E_CLASSNOTAVAILABLE)" },
            { CO_E_NOTINITIALIZED, "COM not initialized (CO_E_NOTINITIALIZED)" },
            { CO_E_CLASSSTRING, "Malformed class string (CO_E_CLASSSTRING)" },
            { RPC_E_CHANGED_MODE, "COM already initialized in another mode (RPC_E_CHANGED_MODE)" },
            { DISP_E_UNKNOWNINTERFACE, "Unknown interface (DISP_E_UNKNOWNINTERFACE)" },
            { DISP_E_MEMBERNOTFOUND, "Member not found (DISP_E_MEMBERNOTFOUND)" },
            { DISP_E_PARAMNOTFOUND, "Parameter not found (DISP_E_PARAMNOTFOUND)" },
            { DISP_E_TYPEMISMATCH, "Type mismatch (DISP_E_TYPEMISMATCH)" },
            { DISP_E_UNKNOWNNAME, "Unknown name (DISP_E_UNKNOWNNAME)" },
            { DISP_E_NONAMEDARGS, "Named arguments not supported (DISP_E_NONAMEDARGS)" },
            { DISP_E_BADVARTYPE, "Bad variable type (DISP_E_BADVARTYPE)" },
            { DISP_E_EXCEPTION, "Exception occurred (DISP_E_EXCEPTION)" },
            { DISP_E_OVERFLOW, "Value out of range (DISP_E_OVERFLOW)" },
            { DISP_E_BADINDEX, "Invalid index (DISP_E_BADINDEX)" },
            { DISP_E_UNKNOWNLCID, "Unknown locale (DISP_E_UNKNOWNLCID)" },
            { DISP_E_ARRAYISLOCKED, "Array is locked (DISP_E_ARRAYISLOCKED)" },
            { DISP_E_BADPARAMCOUNT, "Wrong number of parameters (DISP_E_BADPARAMCOUNT)" },
            { DISP_E_PARAMNOTOPTIONAL, "Parameter not optional (DISP_E_PARAMNOTOPTIONAL)" },
            { DISP_E_BADCALLEE, "Invalid callee (DISP_E_BADCALLEE)" },
            { DISP_E_NOTACOLLECTION, "Not a collection (DISP_E_NOTACOLLECTION)" },
            { DISP_E_DIVBYZERO, "Division by zero (DISP_E_DIVBYZERO)" },
            { TYPE_E_ELEMENTNOTFOUND, "Element not found (TYPE_E_ELEMENTNOTFOUND)" },
        };
        size_t i;
        for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
            if (table[i].hr == hr)
                return table[i].text;
        return NULL;
    }

    HRESULT m_hresult;
    IErrorInfo *m_perrinfo;
    mutable TCHAR m_msg[96];
};

/* ------------------------------------------------------------------------
 * Raising errors. The handler is per module (each module has its own copy
 * of these inline functions), like comsuppw.lib linked into each DLL.
 */
typedef void(__stdcall *iishost_com_error_handler_t)(HRESULT hr, IErrorInfo *perrinfo);

inline iishost_com_error_handler_t &iishost_com_error_handler() noexcept
{
    static iishost_com_error_handler_t handler = NULL;
    return handler;
}

/* Replaces the default action (throw _com_error) of _com_issue_error. */
inline void __stdcall _set_com_error_handler(void(__stdcall *pHandler)(HRESULT hr, IErrorInfo *perrinfo)) noexcept
{
    iishost_com_error_handler() = pHandler;
}

/* Throws _com_error(hr, perrinfo), which takes over the reference to perrinfo. */
inline void __stdcall _com_raise_error(HRESULT hr, IErrorInfo *perrinfo = NULL)
{
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    throw _com_error(hr, perrinfo);
#else
    fprintf(stderr, "_com_raise_error: HRESULT 0x%08X without C++ exceptions; aborting\n", (unsigned)hr);
    (void)perrinfo;
    abort();
#endif
}

inline void __stdcall _com_issue_error(HRESULT hr)
{
    iishost_com_error_handler_t handler = iishost_com_error_handler();
    if (handler != NULL)
        handler(hr, NULL);
    else
        _com_raise_error(hr, NULL);
}

/* Windows asks punk's ISupportErrorInfo/GetErrorInfo for details; there
 * are none here, so this raises hr alone. */
inline void __stdcall _com_issue_errorex(HRESULT hr, IUnknown *punk, REFIID riid)
{
    (void)punk;
    (void)riid;
    _com_issue_error(hr);
}

#endif /* __cplusplus */

#endif /* IISHOST_COMUTIL_H */
#endif /* _WIN32 */
