/*
 * atlbase.h - the part of ATL that IIS module sources use: the COM smart
 * pointers CComPtr and CComQIPtr, CComBSTR, CComVariant, CComCritSecLock
 * and the threading-model typedefs, plus everything of atldef.h
 * (ATLASSERT, ATLTRACE, ...), atlcore.h (the CCom*CriticalSection
 * classes) and atlconv.h (USES_CONVERSION, CA2W, ...). Our own header-only subset, written from ATL's documented
 * behaviour; `using namespace ATL;` works as with the real one. C++ only:
 * compiled as C this header is empty.
 *
 * Interface IDs come from __uuidof (iishost/uuidof.h's IisUuidOf trait, which the
 * generated headers specialize for every interface they declare). An
 * interface of a module's own needs an IisUuidOf specialization, or an
 * explicit IID: CComQIPtr<IMine, &IID_IMine>.
 *
 * CComModule is the ATL 3 one for modules that serve no COM classes.
 * Not provided: COM servers (CAtlDllModuleT, CComObject, CComCoClass,
 * OBJECT_ENTRY, COM maps), the registry (CRegKey), SAFEARRAY
 * helpers (CComSafeArray, CComBSTR::BSTRToArray), streams
 * (ReadFromStream/WriteToStream) and connection points (AtlAdvise).
 * CComBSTR and CComVariant compare ordinally, where ATL asks
 * VarBstrCmp/VarCmp for the user locale's order. CComBSTR::ToLower/ToUpper
 * use towlower/towupper, which beyond ASCII follow the LC_CTYPE locale.
 */
#ifndef IISHOST_ATLBASE_H
#define IISHOST_ATLBASE_H

#ifdef __cplusplus

#include <stddef.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>
#include <memory>
#include <type_traits>

#include "windows.h"
#include "objbase.h"
#include "comdef.h"
#include "atldef.h"
#include "atlcore.h"
#include "atlconv.h"

namespace ATL {

/* ------------------------------------------------------------------------
 * COM smart pointers.
 */

/* *pp = lp with the reference counts moved accordingly; returns lp. */
inline IUnknown *AtlComPtrAssign(IUnknown **pp, IUnknown *lp) noexcept
{
    if (pp == NULL)
        return NULL;
    if (lp != NULL)
        lp->AddRef();
    if (*pp != NULL)
        (*pp)->Release();
    *pp = lp;
    return lp;
}

/* *pp = lp's riid interface (NULL when lp is NULL or lacks it); returns the new *pp. */
inline IUnknown *AtlComQIPtrAssign(IUnknown **pp, IUnknown *lp, REFIID riid) noexcept
{
    IUnknown *q = NULL;
    if (pp == NULL)
        return NULL;
    if (lp != NULL && FAILED(lp->QueryInterface(riid, reinterpret_cast<void **>(&q))))
        q = NULL;
    if (*pp != NULL)
        (*pp)->Release();
    *pp = q;
    return q;
}

/* True when both point to the same COM object (their IUnknowns are equal). */
inline bool AtlIsEqualObject(IUnknown *a, IUnknown *b) noexcept
{
    IUnknown *ua = NULL, *ub = NULL;
    bool same;
    if (a == b)
        return true;
    if (a == NULL || b == NULL)
        return false;
    a->QueryInterface(__uuidof(IUnknown), reinterpret_cast<void **>(&ua));
    b->QueryInterface(__uuidof(IUnknown), reinterpret_cast<void **>(&ub));
    same = ua != NULL && ua == ub;
    if (ua != NULL)
        ua->Release();
    if (ub != NULL)
        ub->Release();
    return same;
}

/*
 * CComPtr: owns one reference to an interface, in the public member p.
 * Assigning a pointer AddRefs it and releases the old one; assigning a
 * CComPtr of another interface QueryInterfaces for this one.
 */
template <class T> class CComPtr {
public:
    typedef T _PtrClass;

    CComPtr() noexcept : p(NULL) {}
    CComPtr(decltype(nullptr)) noexcept : p(NULL) {}
    CComPtr(T *lp) noexcept : p(lp)
    {
        if (p != NULL)
            p->AddRef();
    }
    CComPtr(const CComPtr &lp) noexcept : CComPtr(lp.p) {}
    CComPtr(CComPtr &&lp) noexcept : p(lp.p) { lp.p = NULL; }
    /* From a CComPtr of a derived interface: no QueryInterface needed. */
    template <class Q, typename std::enable_if<std::is_convertible<Q *, T *>::value && !std::is_same<Q, T>::value,
                                               int>::type = 0>
    CComPtr(const CComPtr<Q> &lp) noexcept : CComPtr(static_cast<T *>(lp.p))
    {
    }
    ~CComPtr() noexcept
    {
        if (p != NULL)
            p->Release();
    }

    T *operator=(T *lp) noexcept
    {
        if (p != lp)
            AtlComPtrAssign(reinterpret_cast<IUnknown **>(&p), lp);
        return p;
    }
    T *operator=(const CComPtr &lp) noexcept { return *this = lp.p; }
    T *operator=(CComPtr &&lp) noexcept
    {
        if (this != std::addressof(lp)) {
            T *old = p;
            p = lp.p;
            lp.p = NULL;
            if (old != NULL)
                old->Release();
        }
        return p;
    }
    /* Another interface: QueryInterface for this one (NULL when it is not there). */
    template <class Q, typename std::enable_if<!std::is_same<Q, T>::value, int>::type = 0>
    T *operator=(const CComPtr<Q> &lp) noexcept
    {
        return static_cast<T *>(
            AtlComQIPtrAssign(reinterpret_cast<IUnknown **>(&p), lp.p, __uuidof(T)));
    }

    operator T *() const noexcept { return p; }
    T &operator*() const
    {
        ATLENSURE_THROW(p != NULL, E_POINTER);
        return *p;
    }
    T *operator->() const noexcept
    {
        ATLASSERT(p != NULL);
        return p;
    }
    /* For [out] parameters. As in ATL, the pointer must be NULL (asserted): a
     * held interface would leak. */
    T **operator&() noexcept
    {
        ATLASSERT(p == NULL);
        return &p;
    }
    bool operator!() const noexcept { return p == NULL; }
    bool operator<(T *pT) const noexcept { return p < pT; }
    bool operator==(T *pT) const noexcept { return p == pT; }
    bool operator!=(T *pT) const noexcept { return p != pT; }

    void Release() noexcept
    {
        T *old = p;
        if (old != NULL) {
            p = NULL;
            old->Release();
        }
    }
    /* Takes over the caller's reference, releasing the held one. */
    void Attach(T *p2) noexcept
    {
        if (p != NULL)
            p->Release();
        p = p2;
    }
    /* Hands the reference to the caller; this becomes NULL. */
    T *Detach() noexcept
    {
        T *pt = p;
        p = NULL;
        return pt;
    }
    /* *ppT gets a new reference (E_POINTER for a NULL ppT). */
    HRESULT CopyTo(T **ppT) const noexcept
    {
        if (ppT == NULL)
            return E_POINTER;
        *ppT = p;
        if (p != NULL)
            p->AddRef();
        return S_OK;
    }
    template <class Q> HRESULT QueryInterface(Q **pp) const noexcept
    {
        if (pp == NULL)
            return E_POINTER;
        *pp = NULL;
        if (p == NULL)
            return E_POINTER;
        return p->QueryInterface(__uuidof(Q), reinterpret_cast<void **>(pp));
    }
    bool IsEqualObject(IUnknown *pOther) const noexcept { return AtlIsEqualObject(p, pOther); }

    /* CoCreateInstance of the class for this interface; the pointer must be NULL. */
    HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter = NULL, DWORD dwClsContext = CLSCTX_ALL) noexcept
    {
        ATLASSERT(p == NULL);
        return ::CoCreateInstance(rclsid, pUnkOuter, dwClsContext, __uuidof(T), reinterpret_cast<void **>(&p));
    }
    /* szProgID must be a braced CLSID: there is no registry of ProgIDs here. */
    HRESULT CoCreateInstance(LPCOLESTR szProgID, LPUNKNOWN pUnkOuter = NULL, DWORD dwClsContext = CLSCTX_ALL) noexcept
    {
        CLSID clsid;
        if (szProgID == NULL)
            return E_INVALIDARG;
        HRESULT hr = CLSIDFromString(szProgID, &clsid);
        if (FAILED(hr))
            return hr;
        return CoCreateInstance(clsid, pUnkOuter, dwClsContext);
    }

    T *p;
};

namespace iishost_atl {
/* True for CComPtr and the classes derived from it (CComQIPtr). */
template <class P, class = void> struct IsComPtr : std::false_type {};
template <class P>
struct IsComPtr<P, typename std::enable_if<std::is_base_of<CComPtr<typename P::_PtrClass>, P>::value>::type>
    : std::true_type {};
} /* namespace iishost_atl */

/* Two smart pointers compare their pointers. One exact template for every pair keeps
 * C++20's reversed candidates from making sp1 == sp2 ambiguous. */
template <class L, class R,
          typename std::enable_if<iishost_atl::IsComPtr<L>::value && iishost_atl::IsComPtr<R>::value, int>::type = 0>
inline bool operator==(const L &a, const R &b) noexcept
{
    return static_cast<const void *>(a.p) == static_cast<const void *>(b.p);
}
template <class L, class R,
          typename std::enable_if<iishost_atl::IsComPtr<L>::value && iishost_atl::IsComPtr<R>::value, int>::type = 0>
inline bool operator!=(const L &a, const R &b) noexcept
{
    return !(a == b);
}

/* NULL == sp and the like, written the other way round. */
template <class T> inline bool operator==(T *a, const CComPtr<T> &b) noexcept { return b == a; }
template <class T> inline bool operator!=(T *a, const CComPtr<T> &b) noexcept { return b != a; }

/*
 * CComQIPtr: a CComPtr that QueryInterfaces whatever it is given for T
 * (piid, or __uuidof(T) when piid is NULL). A pointer of T or a type
 * derived from it is just AddRef'ed.
 */
template <class T, const IID *piid = nullptr> class CComQIPtr : public CComPtr<T> {
public:
    CComQIPtr() noexcept {}
    CComQIPtr(decltype(nullptr)) noexcept {}
    CComQIPtr(T *lp) noexcept : CComPtr<T>(lp) {}
    CComQIPtr(const CComQIPtr &lp) noexcept : CComPtr<T>(lp.p) {}
    CComQIPtr(CComQIPtr &&lp) noexcept : CComPtr<T>(static_cast<CComPtr<T> &&>(lp)) {}
    template <class Q, typename std::enable_if<!std::is_same<Q, T>::value, int>::type = 0>
    CComQIPtr(Q *lp) noexcept
    {
        Assign(lp);
    }
    template <class Q> CComQIPtr(const CComPtr<Q> &lp) noexcept { Assign(lp.p); }

    T *operator=(T *lp) noexcept { return CComPtr<T>::operator=(lp); }
    T *operator=(const CComQIPtr &lp) noexcept { return CComPtr<T>::operator=(lp.p); }
    template <class Q, typename std::enable_if<!std::is_same<Q, T>::value, int>::type = 0>
    T *operator=(Q *lp) noexcept
    {
        Assign(lp);
        return this->p;
    }
    template <class Q> T *operator=(const CComPtr<Q> &lp) noexcept
    {
        Assign(lp.p);
        return this->p;
    }

    static const IID &GetIID() noexcept { return iishost_iid_source<T, piid>::Get(); }

private:
    template <class Q> void Assign(Q *lp) noexcept { AssignFrom(lp, std::is_convertible<Q *, T *>()); }
    template <class Q> void AssignFrom(Q *lp, std::true_type) noexcept
    {
        CComPtr<T>::operator=(static_cast<T *>(lp));
    }
    template <class Q> void AssignFrom(Q *lp, std::false_type) noexcept
    {
        AtlComQIPtrAssign(reinterpret_cast<IUnknown **>(&this->p), lp, GetIID());
    }
};

namespace iishost_atl {

/* *out = a new BSTR of the UTF-8 string s (NULL for NULL). */
inline HRESULT NarrowToBSTR(LPCSTR s, BSTR *out) noexcept
{
    *out = NULL;
    if (s == NULL)
        return S_OK;
    size_t len = strlen(s);
    if (len >= 0x3FFFFFFFu)
        return E_OUTOFMEMORY;
    int n = static_cast<int>(len);
    int need = n == 0 ? 0 : MultiByteToWideChar(CP_ACP, 0, s, n, NULL, 0);
    if (n != 0 && need == 0)
        return AtlHresultFromLastError();
    BSTR b = ::SysAllocStringLen(NULL, static_cast<UINT>(need));
    if (b == NULL)
        return E_OUTOFMEMORY;
    if (n != 0 && MultiByteToWideChar(CP_ACP, 0, s, n, b, need) == 0) {
        ::SysFreeString(b);
        return AtlHresultFromLastError();
    }
    *out = b;
    return S_OK;
}

} /* namespace iishost_atl */

/* ------------------------------------------------------------------------
 * CComBSTR: owns the BSTR in its public member m_str (NULL or a BSTR from
 * the SysAllocString family). A NULL m_str is an empty string: Length 0,
 * equal to L"". Allocation failures raise E_OUTOFMEMORY (CAtlException)
 * in constructors and operators; the HRESULT methods return it.
 * Narrow strings convert as UTF-8.
 */
class CComBSTR {
public:
    CComBSTR() noexcept : m_str(NULL) {}
    /* nSize characters, zeroed (ATL leaves them uninitialized). */
    explicit CComBSTR(int nSize) : m_str(NULL)
    {
        if (nSize < 0)
            AtlThrow(E_INVALIDARG);
        m_str = Alloc(NULL, static_cast<UINT>(nSize));
    }
    /* The first nSize characters of sz (zeros when sz is NULL). */
    CComBSTR(int nSize, LPCOLESTR sz) : m_str(NULL)
    {
        if (nSize < 0)
            AtlThrow(E_INVALIDARG);
        m_str = Alloc(sz, static_cast<UINT>(nSize));
    }
    CComBSTR(LPCOLESTR pSrc) : m_str(NULL)
    {
        if (pSrc != NULL)
            m_str = iishost_atl::Checked(::SysAllocString(pSrc));
    }
    CComBSTR(LPCSTR pSrc) : m_str(NULL)
    {
        if (pSrc != NULL)
            m_str = A2WBSTR(pSrc);
    }
    /* The first nSize bytes of pSrc, converted. */
    CComBSTR(int nSize, LPCSTR pSrc) : m_str(NULL)
    {
        if (nSize < 0)
            AtlThrow(E_INVALIDARG);
        if (pSrc != NULL)
            m_str = A2WBSTR(pSrc, nSize);
        else
            m_str = Alloc(NULL, static_cast<UINT>(nSize));
    }
    CComBSTR(const CComBSTR &src) : m_str(src.Copy())
    {
        if (src.m_str != NULL && m_str == NULL)
            AtlThrow(E_OUTOFMEMORY);
    }
    CComBSTR(CComBSTR &&src) noexcept : m_str(src.m_str) { src.m_str = NULL; }
    /* The GUID's registry form, {xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}. */
    CComBSTR(REFGUID guid) : m_str(NULL)
    {
        OLECHAR text[40];
        StringFromGUID2(guid, text, 40);
        m_str = iishost_atl::Checked(::SysAllocString(text));
    }
    ~CComBSTR() noexcept { ::SysFreeString(m_str); }

    CComBSTR &operator=(const CComBSTR &src)
    {
        if (this != std::addressof(src))
            Replace(src.m_str, src.Length(), src.m_str != NULL);
        return *this;
    }
    CComBSTR &operator=(CComBSTR &&src) noexcept
    {
        if (this != std::addressof(src)) {
            ::SysFreeString(m_str);
            m_str = src.m_str;
            src.m_str = NULL;
        }
        return *this;
    }
    CComBSTR &operator=(LPCOLESTR pSrc)
    {
        if (pSrc != m_str)
            Replace(pSrc, pSrc != NULL ? static_cast<UINT>(wcslen(pSrc)) : 0, pSrc != NULL);
        return *this;
    }
    CComBSTR &operator=(LPCSTR pSrc)
    {
        BSTR b = pSrc != NULL ? A2WBSTR(pSrc) : NULL;
        ::SysFreeString(m_str);
        m_str = b;
        return *this;
    }

    operator BSTR() const noexcept { return m_str; }
    /* For [out] parameters: the address of m_str. */
    BSTR *operator&() noexcept { return &m_str; }
    bool operator!() const noexcept { return m_str == NULL; }

    unsigned int Length() const noexcept { return ::SysStringLen(m_str); }
    unsigned int ByteLength() const noexcept { return ::SysStringByteLen(m_str); }

    /* A new copy of the string for the caller to free; NULL when m_str is NULL or memory runs out. */
    BSTR Copy() const noexcept
    {
        if (m_str == NULL)
            return NULL;
        return ::SysAllocStringByteLen(reinterpret_cast<LPCSTR>(m_str), ::SysStringByteLen(m_str));
    }
    HRESULT CopyTo(BSTR *pbstr) const noexcept
    {
        if (pbstr == NULL)
            return E_POINTER;
        *pbstr = Copy();
        return (*pbstr == NULL && m_str != NULL) ? E_OUTOFMEMORY : S_OK;
    }
    /* pvarDest becomes a VT_BSTR holding a copy (its old content is not cleared). */
    HRESULT CopyTo(VARIANT *pvarDest) const noexcept
    {
        if (pvarDest == NULL)
            return E_POINTER;
        pvarDest->vt = VT_BSTR;
        pvarDest->bstrVal = Copy();
        if (pvarDest->bstrVal == NULL && m_str != NULL) {
            pvarDest->vt = VT_EMPTY;
            return E_OUTOFMEMORY;
        }
        return S_OK;
    }
    /* Takes ownership of src, freeing the held string. */
    void Attach(BSTR src) noexcept
    {
        if (m_str != src) {
            ::SysFreeString(m_str);
            m_str = src;
        }
    }
    BSTR Detach() noexcept
    {
        BSTR s = m_str;
        m_str = NULL;
        return s;
    }
    void Empty() noexcept
    {
        ::SysFreeString(m_str);
        m_str = NULL;
    }
    HRESULT AssignBSTR(const BSTR bstrSrc) noexcept
    {
        if (bstrSrc == m_str)
            return S_OK;
        BSTR b = NULL;
        if (bstrSrc != NULL) {
            b = ::SysAllocStringByteLen(reinterpret_cast<LPCSTR>(bstrSrc), ::SysStringByteLen(bstrSrc));
            if (b == NULL)
                return E_OUTOFMEMORY;
        }
        ::SysFreeString(m_str);
        m_str = b;
        return S_OK;
    }

    HRESULT Append(LPCOLESTR lpsz, int nLen) noexcept
    {
        if (lpsz == NULL || nLen <= 0)
            return nLen < 0 ? E_INVALIDARG : S_OK;
        UINT old = Length();
        if (static_cast<unsigned long long>(old) + static_cast<unsigned>(nLen) > 0x3FFFFFFFu)
            return E_OUTOFMEMORY;
        BSTR b = ::SysAllocStringLen(NULL, old + static_cast<UINT>(nLen));
        if (b == NULL)
            return E_OUTOFMEMORY;
        if (old != 0)
            wmemcpy(b, m_str, old);
        wmemcpy(b + old, lpsz, static_cast<size_t>(nLen));
        ::SysFreeString(m_str);
        m_str = b;
        return S_OK;
    }
    HRESULT Append(const CComBSTR &bstrSrc) noexcept
    {
        return Append(bstrSrc.m_str, static_cast<int>(bstrSrc.Length()));
    }
    HRESULT Append(LPCOLESTR lpsz) noexcept
    {
        return lpsz != NULL ? Append(lpsz, static_cast<int>(wcslen(lpsz))) : S_OK;
    }
    HRESULT Append(LPCSTR lpsz) noexcept
    {
        if (lpsz == NULL)
            return S_OK;
        CComBSTR tmp;
        HRESULT hr = tmp.AssignNarrow(lpsz);
        return FAILED(hr) ? hr : Append(tmp);
    }
    HRESULT Append(wchar_t ch) noexcept { return Append(&ch, 1); }
    HRESULT Append(char ch) noexcept
    {
        wchar_t w = static_cast<unsigned char>(ch) < 0x80 ? static_cast<wchar_t>(ch) : 0xFFFD;
        return Append(&w, 1);
    }
    HRESULT AppendBSTR(BSTR p) noexcept { return Append(p, static_cast<int>(::SysStringLen(p))); }
    /* Appends nLen raw bytes to the string's bytes (ByteLength grows by nLen). */
    HRESULT AppendBytes(const char *lpsz, int nLen) noexcept
    {
        if (lpsz == NULL || nLen <= 0)
            return nLen < 0 ? E_INVALIDARG : S_OK;
        UINT old = ByteLength();
        BSTR b = ::SysAllocStringByteLen(NULL, old + static_cast<UINT>(nLen));
        if (b == NULL)
            return E_OUTOFMEMORY;
        if (old != 0)
            memcpy(b, m_str, old);
        memcpy(reinterpret_cast<char *>(b) + old, lpsz, static_cast<size_t>(nLen));
        ::SysFreeString(m_str);
        m_str = b;
        return S_OK;
    }

    CComBSTR &operator+=(const CComBSTR &bstrSrc)
    {
        Ensure(Append(bstrSrc));
        return *this;
    }
    CComBSTR &operator+=(LPCOLESTR pszSrc)
    {
        Ensure(Append(pszSrc));
        return *this;
    }
    CComBSTR &operator+=(LPCSTR pszSrc)
    {
        Ensure(Append(pszSrc));
        return *this;
    }

    /* Case mapping of every character with the C library's towlower/towupper. */
    HRESULT ToLower() noexcept
    {
        for (UINT i = 0, n = Length(); i < n; i++)
            m_str[i] = static_cast<OLECHAR>(towlower(static_cast<wint_t>(m_str[i])));
        return S_OK;
    }
    HRESULT ToUpper() noexcept
    {
        for (UINT i = 0, n = Length(); i < n; i++)
            m_str[i] = static_cast<OLECHAR>(towupper(static_cast<wint_t>(m_str[i])));
        return S_OK;
    }

    /* There are no string resources on Linux: always false, and the string is unchanged. */
    bool LoadString(HINSTANCE hInst, UINT nID) noexcept
    {
        (void)hInst;
        (void)nID;
        return false;
    }
    bool LoadString(UINT nID) noexcept { return LoadString(NULL, nID); }

    /* Ordinal comparisons over the whole length; NULL is the empty string. */
    bool operator==(const CComBSTR &s) const noexcept { return Compare(m_str, Length(), s.m_str, s.Length()) == 0; }
    bool operator!=(const CComBSTR &s) const noexcept { return !(*this == s); }
    bool operator<(const CComBSTR &s) const noexcept { return Compare(m_str, Length(), s.m_str, s.Length()) < 0; }
    bool operator>(const CComBSTR &s) const noexcept { return Compare(m_str, Length(), s.m_str, s.Length()) > 0; }
    /* A NULL argument (NULL, nullptr) asks whether m_str is NULL; narrow strings
     * compare through the CComBSTR(LPCSTR) conversion. */
    bool operator==(LPCOLESTR s) const noexcept
    {
        if (s == NULL)
            return m_str == NULL;
        return Compare(m_str, Length(), s, SafeLen(s)) == 0;
    }
    bool operator!=(LPCOLESTR s) const noexcept { return !(*this == s); }
    bool operator<(LPCOLESTR s) const noexcept { return Compare(m_str, Length(), s, SafeLen(s)) < 0; }
    bool operator>(LPCOLESTR s) const noexcept { return Compare(m_str, Length(), s, SafeLen(s)) > 0; }
    /* A writable string (BSTR, LPOLESTR); a template so that NULL stays with the LPCOLESTR form. */
    template <class C, typename std::enable_if<std::is_same<C, OLECHAR>::value, int>::type = 0>
    bool operator==(C *s) const noexcept
    {
        return *this == static_cast<LPCOLESTR>(s);
    }
    template <class C, typename std::enable_if<std::is_same<C, OLECHAR>::value, int>::type = 0>
    bool operator!=(C *s) const noexcept
    {
        return !(*this == static_cast<LPCOLESTR>(s));
    }

    BSTR m_str;

private:
    static BSTR Alloc(LPCOLESTR src, UINT n)
    {
        BSTR b = iishost_atl::Checked(::SysAllocStringLen(NULL, n));
        if (src != NULL)
            wmemcpy(b, src, n);
        else if (n != 0)
            wmemset(b, 0, n);
        return b;
    }
    /* m_str becomes a copy of n characters of src (NULL when !present); raises on failure. */
    void Replace(LPCOLESTR src, UINT n, bool present)
    {
        BSTR b = present ? Alloc(src, n) : NULL;
        ::SysFreeString(m_str);
        m_str = b;
    }
    HRESULT AssignNarrow(LPCSTR s) noexcept
    {
        BSTR b = NULL;
        HRESULT hr = iishost_atl::NarrowToBSTR(s, &b);
        if (SUCCEEDED(hr)) {
            ::SysFreeString(m_str);
            m_str = b;
        }
        return hr;
    }
    static void Ensure(HRESULT hr)
    {
        if (FAILED(hr))
            AtlThrow(hr);
    }
    static UINT SafeLen(LPCOLESTR s) noexcept { return s != NULL ? static_cast<UINT>(wcslen(s)) : 0; }
    static int Compare(LPCOLESTR a, UINT na, LPCOLESTR b, UINT nb) noexcept
    {
        UINT n = na < nb ? na : nb;
        for (UINT i = 0; i < n; i++) {
            if (a[i] != b[i])
                return static_cast<uint32_t>(a[i]) < static_cast<uint32_t>(b[i]) ? -1 : 1;
        }
        return na == nb ? 0 : na < nb ? -1 : 1;
    }
};

/* ATLTRACE and CString::Format pass a CComBSTR argument as its BSTR (see AtlIisVarArg). */
inline BSTR AtlIisVarArg(const CComBSTR &s) noexcept
{
    return s.m_str;
}

/* ------------------------------------------------------------------------
 * CComVariant: a VARIANT that clears itself. Constructors and assignments
 * that run out of memory leave VT_ERROR with E_OUTOFMEMORY, as ATL does.
 *
 * Linux's 64-bit long shows here as in comutil.h's _variant_t: int and
 * LONG give VT_I4, unsigned int and ULONG/DWORD VT_UI4; long and unsigned
 * long give VT_I4/VT_UI4 when the value fits in 32 bits and VT_I8/VT_UI8
 * when it does not. ChangeType is VariantChangeType (iishost/oleauto.h has
 * the conversions it supports).
 */
class CComVariant : public tagVARIANT {
public:
    CComVariant() noexcept { ::VariantInit(this); }
    ~CComVariant() noexcept { Clear(); }
    CComVariant(const VARIANT &varSrc) noexcept
    {
        ::VariantInit(this);
        InternalCopy(&varSrc);
    }
    CComVariant(const CComVariant &varSrc) noexcept
    {
        ::VariantInit(this);
        InternalCopy(&varSrc);
    }
    CComVariant(CComVariant &&varSrc) noexcept
    {
        memcpy(static_cast<VARIANT *>(this), static_cast<VARIANT *>(&varSrc), sizeof(VARIANT));
        ::VariantInit(&varSrc);
    }
    CComVariant(LPCOLESTR lpszSrc) noexcept
    {
        ::VariantInit(this);
        *this = lpszSrc;
    }
    CComVariant(LPCSTR lpszSrc) noexcept
    {
        ::VariantInit(this);
        *this = lpszSrc;
    }
    CComVariant(const CComBSTR &bstrSrc) noexcept
    {
        ::VariantInit(this);
        *this = bstrSrc;
    }
    CComVariant(bool bSrc) noexcept
    {
        ::VariantInit(this);
        *this = bSrc;
    }
    /* VT_I4, or VT_INT/VT_ERROR when vtSrc asks for it. */
    CComVariant(int nSrc, VARTYPE vtSrc = VT_I4) noexcept
    {
        ::VariantInit(this);
        if (vtSrc == VT_INT) {
            vt = VT_INT;
            intVal = nSrc;
        } else if (vtSrc == VT_ERROR) {
            vt = VT_ERROR;
            scode = nSrc;
        } else {
            vt = VT_I4;
            lVal = nSrc;
        }
    }
    CComVariant(unsigned int nSrc, VARTYPE vtSrc = VT_UI4) noexcept
    {
        ::VariantInit(this);
        vt = vtSrc == VT_UINT ? VT_UINT : VT_UI4;
        ulVal = nSrc;
    }
    CComVariant(long nSrc) noexcept
    {
        ::VariantInit(this);
        if (nSrc >= INT32_MIN && nSrc <= INT32_MAX) {
            vt = VT_I4;
            lVal = static_cast<LONG>(nSrc);
        } else {
            vt = VT_I8;
            llVal = nSrc;
        }
    }
    CComVariant(unsigned long nSrc) noexcept
    {
        ::VariantInit(this);
        if (nSrc <= UINT32_MAX) {
            vt = VT_UI4;
            ulVal = static_cast<ULONG>(nSrc);
        } else {
            vt = VT_UI8;
            ullVal = nSrc;
        }
    }
    CComVariant(long long nSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_I8;
        llVal = nSrc;
    }
    CComVariant(unsigned long long nSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_UI8;
        ullVal = nSrc;
    }
    CComVariant(BYTE nSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_UI1;
        bVal = nSrc;
    }
    CComVariant(char cSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_I1;
        cVal = cSrc;
    }
    CComVariant(short nSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_I2;
        iVal = nSrc;
    }
    CComVariant(unsigned short nSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_UI2;
        uiVal = nSrc;
    }
    CComVariant(float fltSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_R4;
        fltVal = fltSrc;
    }
    /* VT_R8, or VT_DATE when vtSrc asks for it. */
    CComVariant(double dblSrc, VARTYPE vtSrc = VT_R8) noexcept
    {
        ::VariantInit(this);
        vt = vtSrc == VT_DATE ? VT_DATE : VT_R8;
        dblVal = dblSrc;
    }
    CComVariant(IDispatch *pSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_DISPATCH;
        pdispVal = pSrc;
        if (pSrc != NULL)
            pSrc->AddRef();
    }
    CComVariant(IUnknown *pSrc) noexcept
    {
        ::VariantInit(this);
        vt = VT_UNKNOWN;
        punkVal = pSrc;
        if (pSrc != NULL)
            pSrc->AddRef();
    }

    CComVariant &operator=(const CComVariant &varSrc) noexcept
    {
        if (this != &varSrc)
            InternalCopy(&varSrc);
        return *this;
    }
    CComVariant &operator=(CComVariant &&varSrc) noexcept
    {
        if (this != &varSrc) {
            Clear();
            memcpy(static_cast<VARIANT *>(this), static_cast<VARIANT *>(&varSrc), sizeof(VARIANT));
            ::VariantInit(&varSrc);
        }
        return *this;
    }
    CComVariant &operator=(const VARIANT &varSrc) noexcept
    {
        if (static_cast<const VARIANT *>(this) != &varSrc)
            InternalCopy(&varSrc);
        return *this;
    }
    CComVariant &operator=(LPCOLESTR lpszSrc) noexcept
    {
        BSTR b = lpszSrc != NULL ? ::SysAllocString(lpszSrc) : NULL;
        SetBSTR(b, lpszSrc != NULL && b == NULL);
        return *this;
    }
    CComVariant &operator=(LPCSTR lpszSrc) noexcept
    {
        BSTR b = NULL;
        HRESULT hr = iishost_atl::NarrowToBSTR(lpszSrc, &b);
        SetBSTR(b, FAILED(hr));
        return *this;
    }
    CComVariant &operator=(const CComBSTR &bstrSrc) noexcept
    {
        BSTR b = bstrSrc.Copy();
        SetBSTR(b, bstrSrc.m_str != NULL && b == NULL);
        return *this;
    }
    CComVariant &operator=(bool bSrc) noexcept
    {
        Clear();
        vt = VT_BOOL;
        boolVal = bSrc ? VARIANT_TRUE : VARIANT_FALSE;
        return *this;
    }
    CComVariant &operator=(int nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(unsigned int nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(long nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(unsigned long nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(long long nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(unsigned long long nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(BYTE nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(char cSrc) noexcept { return Set(CComVariant(cSrc)); }
    CComVariant &operator=(short nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(unsigned short nSrc) noexcept { return Set(CComVariant(nSrc)); }
    CComVariant &operator=(float fltSrc) noexcept { return Set(CComVariant(fltSrc)); }
    CComVariant &operator=(double dblSrc) noexcept { return Set(CComVariant(dblSrc)); }
    CComVariant &operator=(IDispatch *pSrc) noexcept { return Set(CComVariant(pSrc)); }
    CComVariant &operator=(IUnknown *pSrc) noexcept { return Set(CComVariant(pSrc)); }

    /* Same type and same value (BSTRs ordinally; interfaces by pointer). */
    bool operator==(const VARIANT &varSrc) const noexcept
    {
        if (static_cast<const VARIANT *>(this) == &varSrc)
            return true;
        if (vt != varSrc.vt)
            return false;
        switch (vt) {
        case VT_EMPTY:
        case VT_NULL:
            return true;
        case VT_BSTR:
            return CComBSTRView(bstrVal) == CComBSTRView(varSrc.bstrVal);
        case VT_BOOL:
            return boolVal == varSrc.boolVal;
        case VT_I1:
        case VT_UI1:
            return bVal == varSrc.bVal;
        case VT_I2:
        case VT_UI2:
            return iVal == varSrc.iVal;
        case VT_I4:
        case VT_UI4:
        case VT_INT:
        case VT_UINT:
        case VT_ERROR:
            return lVal == varSrc.lVal;
        case VT_I8:
        case VT_UI8:
            return llVal == varSrc.llVal;
        case VT_R4:
            return fltVal == varSrc.fltVal;
        case VT_R8:
        case VT_DATE:
            return dblVal == varSrc.dblVal;
        case VT_UNKNOWN:
        case VT_DISPATCH:
            return punkVal == varSrc.punkVal;
        default:
            return memcmp(&llVal, &varSrc.llVal, sizeof llVal) == 0;
        }
    }
    bool operator!=(const VARIANT &varSrc) const noexcept { return !(*this == varSrc); }
    /* Exact forms for two CComVariants, so that C++20's reversed candidates are not ambiguous. */
    bool operator==(const CComVariant &varSrc) const noexcept { return *this == static_cast<const VARIANT &>(varSrc); }
    bool operator!=(const CComVariant &varSrc) const noexcept { return !(*this == varSrc); }

    HRESULT Clear() noexcept { return ::VariantClear(this); }
    /* Replaces the content with a copy of pSrc (VT_ERROR with the failure when it cannot). */
    HRESULT Copy(const VARIANT *pSrc) noexcept
    {
        if (pSrc == NULL)
            return E_INVALIDARG;
        return InternalCopy(pSrc);
    }
    /* *pstrDest gets a copy of the VT_BSTR value; DISP_E_TYPEMISMATCH for any other type. */
    HRESULT CopyTo(BSTR *pstrDest) const noexcept
    {
        if (pstrDest == NULL)
            return E_POINTER;
        if (vt != VT_BSTR)
            return DISP_E_TYPEMISMATCH;
        *pstrDest = bstrVal != NULL
                        ? ::SysAllocStringByteLen(reinterpret_cast<LPCSTR>(bstrVal), ::SysStringByteLen(bstrVal))
                        : NULL;
        return (*pstrDest == NULL && bstrVal != NULL) ? E_OUTOFMEMORY : S_OK;
    }
    /* Takes over pSrc's value (pSrc becomes VT_EMPTY). */
    HRESULT Attach(VARIANT *pSrc) noexcept
    {
        if (pSrc == NULL)
            return E_INVALIDARG;
        if (pSrc == static_cast<VARIANT *>(this))
            return S_OK;
        HRESULT hr = Clear();
        if (FAILED(hr))
            return hr;
        memcpy(static_cast<VARIANT *>(this), pSrc, sizeof(VARIANT));
        pSrc->vt = VT_EMPTY;
        return S_OK;
    }
    /* Hands the value to pDest (cleared first); this becomes VT_EMPTY. */
    HRESULT Detach(VARIANT *pDest) noexcept
    {
        if (pDest == NULL)
            return E_POINTER;
        if (pDest == static_cast<VARIANT *>(this))
            return S_OK;
        HRESULT hr = ::VariantClear(pDest);
        if (FAILED(hr))
            return hr;
        memcpy(pDest, static_cast<VARIANT *>(this), sizeof(VARIANT));
        vt = VT_EMPTY;
        return S_OK;
    }
    /* Converts pSrc (this one when NULL) to vtNew in place. */
    HRESULT ChangeType(VARTYPE vtNew, const VARIANT *pSrc = NULL) noexcept
    {
        VARIANT *self = this;
        if (pSrc == NULL)
            pSrc = self;
        if (pSrc == self && vtNew == vt)
            return S_OK;
        return ::VariantChangeType(self, pSrc, 0, vtNew);
    }

private:
    /* A length-aware view for comparing two BSTRs without copying them. */
    struct CComBSTRView {
        explicit CComBSTRView(BSTR s) noexcept : p(s) {}
        bool operator==(const CComBSTRView &o) const noexcept
        {
            UINT n = ::SysStringLen(p);
            return n == ::SysStringLen(o.p) && (n == 0 || wmemcmp(p, o.p, n) == 0);
        }
        BSTR p;
    };

    HRESULT InternalCopy(const VARIANT *pSrc) noexcept
    {
        HRESULT hr = ::VariantCopy(this, pSrc);
        if (FAILED(hr)) {
            ::VariantClear(this);
            vt = VT_ERROR;
            scode = hr;
        }
        return hr;
    }
    void SetBSTR(BSTR b, bool failed) noexcept
    {
        Clear();
        if (failed) {
            vt = VT_ERROR;
            scode = E_OUTOFMEMORY;
        } else {
            vt = VT_BSTR;
            bstrVal = b;
        }
    }
    CComVariant &Set(CComVariant &&v) noexcept { return *this = static_cast<CComVariant &&>(v); }
};

/* Holds a lock for a scope: locks in the constructor (unless told not to), unlocks in the destructor. */
template <class TLock> class CComCritSecLock {
public:
    CComCritSecLock(TLock &cs, bool bInitialLock = true) : m_cs(cs), m_bLocked(false)
    {
        if (bInitialLock) {
            HRESULT hr = Lock();
            if (FAILED(hr))
                AtlThrow(hr);
        }
    }
    ~CComCritSecLock() noexcept
    {
        if (m_bLocked)
            Unlock();
    }
    HRESULT Lock() noexcept
    {
        ATLASSERT(!m_bLocked);
        HRESULT hr = m_cs.Lock();
        if (SUCCEEDED(hr))
            m_bLocked = true;
        return hr;
    }
    void Unlock() noexcept
    {
        ATLASSERT(m_bLocked);
        m_cs.Unlock();
        m_bLocked = false;
    }

private:
    TLock &m_cs;
    bool m_bLocked;
    CComCritSecLock(const CComCritSecLock &) = delete;
    CComCritSecLock &operator=(const CComCritSecLock &) = delete;
};

/* The threading models' typedefs that code names for its locks. */
class CComMultiThreadModelNoCS {
public:
    static ULONG Increment(LONG *p) noexcept { return static_cast<ULONG>(InterlockedIncrement(p)); }
    static ULONG Decrement(LONG *p) noexcept { return static_cast<ULONG>(InterlockedDecrement(p)); }
    typedef CComFakeCriticalSection AutoCriticalSection;
    typedef CComFakeCriticalSection AutoDeleteCriticalSection;
    typedef CComFakeCriticalSection CriticalSection;
    typedef CComMultiThreadModelNoCS ThreadModelNoCS;
};
class CComMultiThreadModel {
public:
    static ULONG Increment(LONG *p) noexcept { return static_cast<ULONG>(InterlockedIncrement(p)); }
    static ULONG Decrement(LONG *p) noexcept { return static_cast<ULONG>(InterlockedDecrement(p)); }
    typedef CComAutoCriticalSection AutoCriticalSection;
    typedef CComAutoDeleteCriticalSection AutoDeleteCriticalSection;
    typedef CComCriticalSection CriticalSection;
    typedef CComMultiThreadModelNoCS ThreadModelNoCS;
};
typedef CComMultiThreadModel CComGlobalsThreadModel;
typedef CComMultiThreadModel CComObjectThreadModel;

/* ------------------------------------------------------------------------
 * CComModule, as ATL 3 projects declare it (`CComModule _Module;`), for
 * modules that are not COM servers: it keeps the module's instance handle
 * and a lock count. Object maps are accepted only empty (there is no
 * OBJECT_ENTRY: this host has no class registry to serve COM classes
 * from), and the registration methods are not provided.
 */
struct _ATL_OBJMAP_ENTRY {
    const CLSID *pclsid;
    void *pReserved[8];
};

class CComModule {
public:
    CComModule() noexcept : m_hInst(NULL), m_hInstResource(NULL), m_hInstTypeLib(NULL), m_pObjMap(NULL), m_nLockCnt(0) {}
    /* Remembers h as the module's instance; E_INVALIDARG for an object map with classes. */
    HRESULT Init(_ATL_OBJMAP_ENTRY *p, HINSTANCE h, const GUID *plibid = NULL) noexcept
    {
        (void)plibid;
        if (p != NULL && p->pclsid != NULL)
            return E_INVALIDARG;
        m_pObjMap = p;
        m_hInst = m_hInstResource = m_hInstTypeLib = h;
        return S_OK;
    }
    void Term() noexcept
    {
        m_pObjMap = NULL;
        m_hInst = m_hInstResource = m_hInstTypeLib = NULL;
    }
    LONG Lock() noexcept { return InterlockedIncrement(&m_nLockCnt); }
    LONG Unlock() noexcept { return InterlockedDecrement(&m_nLockCnt); }
    LONG GetLockCount() const noexcept { return m_nLockCnt; }
    HINSTANCE GetModuleInstance() const noexcept { return m_hInst; }
    HINSTANCE GetResourceInstance() const noexcept { return m_hInstResource; }
    HINSTANCE GetTypeLibInstance() const noexcept { return m_hInstTypeLib; }

    HINSTANCE m_hInst;
    HINSTANCE m_hInstResource;
    HINSTANCE m_hInstTypeLib;
    _ATL_OBJMAP_ENTRY *m_pObjMap;
    LONG m_nLockCnt;
};

} /* namespace ATL */

#define BEGIN_OBJECT_MAP(x) static ATL::_ATL_OBJMAP_ENTRY x[] = {
#define END_OBJECT_MAP() {NULL, {NULL}}};

#ifndef _ATL_NO_AUTOMATIC_NAMESPACE
using namespace ATL;
#endif

#endif /* __cplusplus */

#endif /* IISHOST_ATLBASE_H */
