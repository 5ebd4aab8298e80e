/*
 * comdef.h - everything of comutil.h (_bstr_t, _variant_t, _com_error,
 * _com_issue_error) plus the COM smart pointer _com_ptr_t and the
 * _COM_SMARTPTR_TYPEDEF macro that names its instances (IFooPtr), built on
 * __uuidof (iishost/uuidof.h, which windows.h includes; see there for an
 * interface of a module's own). C++ only: compiled as C this header is empty.
 *
 * _COM_SMARTPTR_TYPEDEF(IFoo, iid) makes IFooPtr from __uuidof(IFoo); the
 * second argument, which is that same IID on Windows, is not evaluated
 * (a GUID object is not a compile-time constant here).
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <comdef.h>
#else
#ifndef IISHOST_COMDEF_H
#define IISHOST_COMDEF_H

#ifdef __cplusplus

#include <type_traits>

#include "comutil.h"

#include "iishost/uuidof.h"

/* Where an interface's IID comes from: an explicit GUID object, or the trait. */
template <class I, const IID *piid> struct iishost_iid_source {
    static const IID &Get() noexcept { return *piid; }
};
template <class I> struct iishost_iid_source<I, nullptr> {
    static const IID &Get() noexcept { return IisUuidOf<I>::Get(); }
};

/* An interface type with its IID. As on Windows, _com_IIID<IFoo, &IID_IFoo>
 * names the IID explicitly; _com_IIID<IFoo> takes it from __uuidof(IFoo). */
template <class _Interface, const IID *_IID = nullptr> class _com_IIID {
public:
    typedef _Interface Interface;
    static _Interface *GetInterfacePtr() noexcept { return NULL; }
    static const IID &GetIID() noexcept { return iishost_iid_source<_Interface, _IID>::Get(); }
};

/*
 * _com_ptr_t: owns one reference to an interface. Construction from or
 * assignment of a pointer of another interface type QueryInterfaces for
 * this one; E_NOINTERFACE leaves it NULL, other failures raise.
 * Dereferencing a NULL one raises E_POINTER (a _com_error).
 */
template <class _IIID> class _com_ptr_t {
public:
    typedef _IIID ThisIIID;
    typedef typename _IIID::Interface Interface;

    static const IID &GetIID() noexcept { return ThisIIID::GetIID(); }

    _com_ptr_t() noexcept : m_pInterface(NULL) {}
    /* AddRefs. Also the constructor for NULL, 0 and nullptr. */
    _com_ptr_t(Interface *pInterface) noexcept : m_pInterface(pInterface) { _AddRef(); }
    /* fAddRef false takes over the caller's reference. */
    _com_ptr_t(Interface *pInterface, bool fAddRef) noexcept : m_pInterface(pInterface)
    {
        if (fAddRef)
            _AddRef();
    }
    _com_ptr_t(const _com_ptr_t &cp) noexcept : m_pInterface(cp.m_pInterface) { _AddRef(); }
    _com_ptr_t(_com_ptr_t &&cp) noexcept : m_pInterface(cp.m_pInterface) { cp.m_pInterface = NULL; }
    template <class _OtherIID>
    _com_ptr_t(const _com_ptr_t<_OtherIID> &p) : m_pInterface(NULL)
    {
        _Raise(_QueryFrom(p.GetInterfacePtr()));
    }
    template <class _InterfaceType, typename std::enable_if<std::is_base_of<IUnknown, _InterfaceType>::value &&
                                                                !std::is_same<_InterfaceType, Interface>::value,
                                                            int>::type = 0>
    _com_ptr_t(_InterfaceType *p) : m_pInterface(NULL)
    {
        _Raise(_QueryFrom(p));
    }
    /* The VT_UNKNOWN or VT_DISPATCH in varSrc (converted to one when it holds another type). */
    _com_ptr_t(const _variant_t &varSrc) : m_pInterface(NULL) { _Raise(_QueryVariant(varSrc)); }
    /* CoCreateInstance of the class (see CreateInstance). */
    explicit _com_ptr_t(const CLSID &clsid, IUnknown *pOuter = NULL, DWORD dwClsContext = CLSCTX_ALL)
        : m_pInterface(NULL)
    {
        _Raise(CreateInstance(clsid, pOuter, dwClsContext));
    }
    explicit _com_ptr_t(LPCWSTR str, IUnknown *pOuter = NULL, DWORD dwClsContext = CLSCTX_ALL)
        : m_pInterface(NULL)
    {
        _Raise(CreateInstance(str, pOuter, dwClsContext));
    }
    explicit _com_ptr_t(LPCSTR str, IUnknown *pOuter = NULL, DWORD dwClsContext = CLSCTX_ALL)
        : m_pInterface(NULL)
    {
        _Raise(CreateInstance(str, pOuter, dwClsContext));
    }
    ~_com_ptr_t() noexcept { _Release(); }

    _com_ptr_t &operator=(Interface *pInterface) noexcept
    {
        if (m_pInterface != pInterface) {
            Interface *old = m_pInterface;
            m_pInterface = pInterface;
            _AddRef();
            if (old != NULL)
                old->Release();
        }
        return *this;
    }
    _com_ptr_t &operator=(const _com_ptr_t &cp) noexcept { return operator=(cp.m_pInterface); }
    _com_ptr_t &operator=(_com_ptr_t &&cp) noexcept
    {
        if (this != &cp) {
            _Release();
            m_pInterface = cp.m_pInterface;
            cp.m_pInterface = NULL;
        }
        return *this;
    }
    template <class _OtherIID> _com_ptr_t &operator=(const _com_ptr_t<_OtherIID> &p)
    {
        _Raise(_QueryFrom(p.GetInterfacePtr()));
        return *this;
    }
    template <class _InterfaceType, typename std::enable_if<std::is_base_of<IUnknown, _InterfaceType>::value &&
                                                                !std::is_same<_InterfaceType, Interface>::value,
                                                            int>::type = 0>
    _com_ptr_t &operator=(_InterfaceType *p)
    {
        _Raise(_QueryFrom(p));
        return *this;
    }
    _com_ptr_t &operator=(const _variant_t &varSrc)
    {
        _Raise(_QueryVariant(varSrc));
        return *this;
    }

    /* Takes over the caller's reference (releasing the current one). */
    void Attach(Interface *pInterface) noexcept
    {
        _Release();
        m_pInterface = pInterface;
    }
    void Attach(Interface *pInterface, bool fAddRef)
    {
        _Release();
        m_pInterface = pInterface;
        if (fAddRef) {
            if (pInterface == NULL)
                _com_issue_error(E_POINTER);
            else
                pInterface->AddRef();
        }
    }
    /* Hands the reference to the caller; this becomes NULL. */
    Interface *Detach() noexcept
    {
        Interface *p = m_pInterface;
        m_pInterface = NULL;
        return p;
    }
    void AddRef()
    {
        if (m_pInterface == NULL)
            _com_issue_error(E_POINTER);
        else
            m_pInterface->AddRef();
    }
    void Release()
    {
        if (m_pInterface == NULL) {
            _com_issue_error(E_POINTER);
        } else {
            m_pInterface->Release();
            m_pInterface = NULL;
        }
    }

    Interface *GetInterfacePtr() const noexcept { return m_pInterface; }
    Interface *&GetInterfacePtr() noexcept { return m_pInterface; }
    operator Interface *() const noexcept { return m_pInterface; }
    operator Interface &() const { return *_Checked(); }
    Interface &operator*() const { return *_Checked(); }
    Interface *operator->() const { return _Checked(); }
    /* Releases the current interface: for [out] parameters, `Get(&p)`. */
    Interface **operator&() noexcept
    {
        _Release();
        return &m_pInterface;
    }
    /* Explicit, so that comparisons with NULL are not ambiguous with bool arithmetic. */
    explicit operator bool() const noexcept { return m_pInterface != NULL; }
    bool operator!() const noexcept { return m_pInterface == NULL; }

    /* Comparisons are by object identity (the IUnknown each pointer QueryInterfaces to). */
    bool operator==(Interface *p) const { return m_pInterface == p || _CompareUnk(p) == 0; }
    bool operator!=(Interface *p) const { return !(*this == p); }
    template <class _InterfaceType, typename std::enable_if<std::is_base_of<IUnknown, _InterfaceType>::value &&
                                                                !std::is_same<_InterfaceType, Interface>::value,
                                                            int>::type = 0>
    bool operator==(_InterfaceType *p) const
    {
        return _CompareUnk(p) == 0;
    }
    template <class _InterfaceType, typename std::enable_if<std::is_base_of<IUnknown, _InterfaceType>::value &&
                                                                !std::is_same<_InterfaceType, Interface>::value,
                                                            int>::type = 0>
    bool operator!=(_InterfaceType *p) const
    {
        return _CompareUnk(p) != 0;
    }
    template <class _OtherIID> bool operator==(const _com_ptr_t<_OtherIID> &p) const
    {
        return _CompareUnk(p.GetInterfacePtr()) == 0;
    }
    template <class _OtherIID> bool operator!=(const _com_ptr_t<_OtherIID> &p) const
    {
        return _CompareUnk(p.GetInterfacePtr()) != 0;
    }
    bool operator==(const _com_ptr_t &p) const { return _CompareUnk(p.m_pInterface) == 0; }
    bool operator!=(const _com_ptr_t &p) const { return _CompareUnk(p.m_pInterface) != 0; }
    template <class _OtherIID> bool operator<(const _com_ptr_t<_OtherIID> &p) const
    {
        return _CompareUnk(p.GetInterfacePtr()) < 0;
    }
    template <class _OtherIID> bool operator>(const _com_ptr_t<_OtherIID> &p) const
    {
        return _CompareUnk(p.GetInterfacePtr()) > 0;
    }
    template <class _OtherIID> bool operator<=(const _com_ptr_t<_OtherIID> &p) const
    {
        return _CompareUnk(p.GetInterfacePtr()) <= 0;
    }
    template <class _OtherIID> bool operator>=(const _com_ptr_t<_OtherIID> &p) const
    {
        return _CompareUnk(p.GetInterfacePtr()) >= 0;
    }

    /*
     * Releases the current interface, then CoCreateInstance of rclsid for
     * this interface. With an outer unknown (aggregation) it asks for
     * IUnknown first, as COM requires, then QueryInterfaces.
     */
    HRESULT CreateInstance(const CLSID &rclsid, IUnknown *pOuter = NULL, DWORD dwClsContext = CLSCTX_ALL) noexcept
    {
        HRESULT hr;
        _Release();
        if (pOuter == NULL)
            return CoCreateInstance(rclsid, NULL, dwClsContext, GetIID(), reinterpret_cast<void **>(&m_pInterface));
        IUnknown *unk = NULL;
        hr = CoCreateInstance(rclsid, pOuter, dwClsContext, __uuidof(IUnknown), reinterpret_cast<void **>(&unk));
        if (FAILED(hr))
            return hr;
        hr = unk->QueryInterface(GetIID(), reinterpret_cast<void **>(&m_pInterface));
        unk->Release();
        return hr;
    }
    /* clsidString is a braced CLSID; without a registry there are no
     * ProgIDs here, so any other text is CO_E_CLASSSTRING. */
    HRESULT CreateInstance(LPCWSTR clsidString, IUnknown *pOuter = NULL, DWORD dwClsContext = CLSCTX_ALL) noexcept
    {
        CLSID clsid;
        HRESULT hr;
        if (clsidString == NULL)
            return E_INVALIDARG;
        _Release();
        hr = CLSIDFromString(clsidString, &clsid);
        if (FAILED(hr))
            return hr;
        return CreateInstance(clsid, pOuter, dwClsContext);
    }
    HRESULT CreateInstance(LPCSTR clsidStringA, IUnknown *pOuter = NULL, DWORD dwClsContext = CLSCTX_ALL) noexcept
    {
        BSTR s;
        HRESULT hr;
        if (clsidStringA == NULL)
            return E_INVALIDARG;
        s = iishost_ole_bstr_from_utf8(clsidStringA);
        if (s == NULL)
            return E_OUTOFMEMORY;
        hr = CreateInstance(s, pOuter, dwClsContext);
        SysFreeString(s);
        return hr;
    }

    template <class _InterfaceType> HRESULT QueryInterface(const IID &iid, _InterfaceType *&p) noexcept
    {
        if (m_pInterface == NULL)
            return E_POINTER;
        return m_pInterface->QueryInterface(iid, reinterpret_cast<void **>(&p));
    }
    template <class _InterfaceType> HRESULT QueryInterface(const IID &iid, _InterfaceType **p) noexcept
    {
        if (p == NULL)
            return E_POINTER;
        return QueryInterface(iid, *p);
    }

private:
    Interface *m_pInterface;

    void _AddRef() noexcept
    {
        if (m_pInterface != NULL)
            m_pInterface->AddRef();
    }
    void _Release() noexcept
    {
        if (m_pInterface != NULL)
            m_pInterface->Release();
        m_pInterface = NULL;
    }
    Interface *_Checked() const
    {
        if (m_pInterface == NULL)
            _com_issue_error(E_POINTER);
        return m_pInterface;
    }
    /* E_NOINTERFACE just leaves the pointer NULL; other failures raise. */
    static void _Raise(HRESULT hr)
    {
        if (FAILED(hr) && hr != E_NOINTERFACE)
            _com_issue_error(hr);
    }

    /* Replaces the current interface with p's QueryInterface for ours. */
    template <class _InterfaceType> HRESULT _QueryFrom(_InterfaceType *p) noexcept
    {
        Interface *q = NULL;
        HRESULT hr = E_NOINTERFACE;
        if (p != NULL) {
            hr = p->QueryInterface(GetIID(), reinterpret_cast<void **>(&q));
            if (FAILED(hr))
                q = NULL;
        }
        _Release();
        m_pInterface = q;
        return hr;
    }

    HRESULT _QueryVariant(const _variant_t &varSrc) noexcept
    {
        if (varSrc.vt == VT_UNKNOWN)
            return _QueryFrom(varSrc.punkVal);
        if (varSrc.vt == VT_DISPATCH)
            return _QueryFrom(varSrc.pdispVal);
        VARIANT v;
        VariantInit(&v);
        HRESULT hr = VariantChangeType(&v, &varSrc, 0, VT_UNKNOWN);
        if (FAILED(hr)) {
            _Release();
            return hr;
        }
        hr = _QueryFrom(v.punkVal);
        VariantClear(&v);
        return hr;
    }

    /* <0, 0 or >0 comparing the IUnknown identities (NULL first). */
    template <class _InterfaceType> int _CompareUnk(_InterfaceType *p) const
    {
        IUnknown *a = NULL, *b = NULL;
        HRESULT hr;
        int r;
        if (m_pInterface == NULL || p == NULL)
            return m_pInterface == NULL ? (p == NULL ? 0 : -1) : 1;
        hr = m_pInterface->QueryInterface(__uuidof(IUnknown), reinterpret_cast<void **>(&a));
        if (SUCCEEDED(hr)) {
            hr = p->QueryInterface(__uuidof(IUnknown), reinterpret_cast<void **>(&b));
            if (FAILED(hr)) {
                a->Release();
                a = NULL;
            }
        }
        if (FAILED(hr)) {
            _com_issue_error(hr);
            return 1;
        }
        r = a == b ? 0 : a < b ? -1 : 1;
        a->Release();
        b->Release();
        return r;
    }
};

/* NULL == p and NULL != p. */
template <class _IIID> bool operator==(typename _com_ptr_t<_IIID>::Interface *a, const _com_ptr_t<_IIID> &b)
{
    return b == a;
}
template <class _IIID> bool operator!=(typename _com_ptr_t<_IIID>::Interface *a, const _com_ptr_t<_IIID> &b)
{
    return b != a;
}

#define _COM_SMARTPTR _com_ptr_t
#define _COM_SMARTPTR_LEVEL2 _com_IIID
#define _COM_SMARTPTR_TYPEDEF(Interface, iid) typedef _com_ptr_t<_com_IIID<Interface> > Interface##Ptr

_COM_SMARTPTR_TYPEDEF(IUnknown, __uuidof(IUnknown));
_COM_SMARTPTR_TYPEDEF(IDispatch, __uuidof(IDispatch));

#endif /* __cplusplus */

#endif /* IISHOST_COMDEF_H */
#endif /* _WIN32 */
