/*
 * comdef.h / comutil.h: _bstr_t sharing, ownership and UTF-8 conversions,
 * _variant_t construction and extraction (with the Linux integer-width
 * rules), _com_error and _com_issue_error, _com_ptr_t reference counting
 * and QueryInterface, and __uuidof. Prints one line per failed check,
 * then PASS when all passed.
 */
#include <windows.h>
#include <comdef.h>
#include <ahadmin.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <string>

#include "check.h"

/* The HRESULT that expr raises as a _com_error, or S_OK. */
#define RAISED(expr) \
    ([&]() -> HRESULT { \
        try { \
            expr; \
        } catch (const _com_error &e) { \
            return e.Error(); \
        } \
        return S_OK; \
    }())

/* ------------------------------------------------------------------------ */

static void bstr_conversions()
{
    _bstr_t a("h\xC3\xA9llo \xE2\x82\xAC"); /* "héllo €" in UTF-8 */
    CHECK(a.length() == 7);
    CHECK(wcscmp(static_cast<const wchar_t *>(a), L"h\u00E9llo \u20AC") == 0);
    CHECK(strcmp(static_cast<const char *>(a), "h\xC3\xA9llo \xE2\x82\xAC") == 0);
    /* The UTF-8 form is made once and kept. */
    CHECK(static_cast<const char *>(a) == static_cast<const char *>(a));

    _bstr_t w(L"wide");
    CHECK(w.length() == 4 && strcmp(static_cast<const char *>(w), "wide") == 0);
    std::wstring ws = static_cast<const wchar_t *>(w);
    CHECK(ws == L"wide");

    /* Malformed UTF-8 becomes U+FFFD rather than failing. */
    _bstr_t bad("a\xFF" "b");
    CHECK(bad.length() == 3 && static_cast<const wchar_t *>(bad)[1] == 0xFFFD);

    BSTR b = _com_util::ConvertStringToBSTR("\xE2\x82\xAC 5");
    CHECK(SysStringLen(b) == 3 && b[0] == 0x20AC);
    char *s = _com_util::ConvertBSTRToString(b);
    CHECK(strcmp(s, "\xE2\x82\xAC 5") == 0);
    delete[] s;
    SysFreeString(b);
    CHECK(_com_util::ConvertStringToBSTR(NULL) == NULL);
    CHECK(_com_util::ConvertBSTRToString(NULL) == NULL);

    _bstr_t null;
    CHECK(static_cast<const wchar_t *>(null) == NULL && static_cast<const char *>(null) == NULL);
    CHECK(null.length() == 0 && !null);
    CHECK(!_bstr_t(L"") == false);
    CHECK(!_bstr_t(static_cast<const char *>(NULL)));
}

static void bstr_sharing()
{
    _bstr_t a(L"shared");
    _bstr_t b = a; /* shallow: one BSTR, two owners */
    CHECK(static_cast<const wchar_t *>(a) == static_cast<const wchar_t *>(b));
    a += L" more";
    CHECK(a == L"shared more" && b == L"shared");
    CHECK(static_cast<const wchar_t *>(a) != static_cast<const wchar_t *>(b));

    _bstr_t c;
    c = b;
    c = L"replaced";
    CHECK(b == L"shared" && c == L"replaced");
    c = static_cast<const wchar_t *>(c) + 2; /* assigning part of its own text */
    CHECK(c == L"placed");

    /* Detach: the caller gets a BSTR it frees; sharers keep theirs. */
    _bstr_t d = b;
    BSTR detached = d.Detach();
    CHECK(!d && b == L"shared" && wcscmp(detached, L"shared") == 0);
    SysFreeString(detached);
    _bstr_t alone(L"alone");
    const wchar_t *inner = alone;
    detached = alone.Detach();
    CHECK(detached == inner && !alone);
    SysFreeString(detached);

    /* Attach takes ownership; fCopy false likewise; fCopy true copies. */
    _bstr_t e;
    e.Attach(SysAllocString(L"attached"));
    CHECK(e == L"attached");
    BSTR raw = SysAllocString(L"raw");
    {
        _bstr_t owner(raw, false);
        CHECK(static_cast<const wchar_t *>(owner) == raw);
        _bstr_t copy(raw, true);
        CHECK(static_cast<const wchar_t *>(copy) != raw && copy == L"raw");
    } /* owner freed raw */

    /* GetAddress: a fresh out-parameter slot; others keep the old string. */
    _bstr_t f(L"old");
    _bstr_t g = f;
    *f.GetAddress() = SysAllocString(L"new");
    CHECK(f == L"new" && g == L"old");

    /* GetBSTR edits in place, visible to sharers (one BSTR). */
    _bstr_t h = f;
    f.GetBSTR()[0] = L'N';
    CHECK(f == L"New" && h == L"New");
    CHECK(strcmp(static_cast<const char *>(h), "New") == 0);

    /* copy() is a new BSTR; copy(false) the shared one. */
    BSTR k = f.copy();
    CHECK(k != static_cast<const wchar_t *>(f) && wcscmp(k, L"New") == 0);
    SysFreeString(k);
    CHECK(f.copy(false) == static_cast<const wchar_t *>(f));

    /* Assign keeps every byte, embedded NULs included. */
    static const OLECHAR nul[] = { L'x', 0, L'y' };
    BSTR withnul = SysAllocStringLen(nul, 3);
    _bstr_t m;
    m.Assign(withnul);
    CHECK(m.length() == 3 && static_cast<const wchar_t *>(m)[2] == L'y');
    SysFreeString(withnul);
}

static void bstr_operators()
{
    _bstr_t abc = _bstr_t("a") + L"b" + "c";
    CHECK(abc == L"abc" && abc.length() == 3);
    CHECK(L"x" + abc == L"xabc");
    CHECK("y" + abc == "yabc");
    _bstr_t x(L"abc"), y(L"abd");
    CHECK(x < y && y > x && x <= y && y >= x && x != y && !(x == y));
    CHECK(x == abc);
    CHECK("abc" == x && L"abc" == x && x == "abc");
    CHECK(_bstr_t() == _bstr_t(L"")); /* null equals empty */
    CHECK(_bstr_t(L"ab") < _bstr_t(L"abc"));
    _bstr_t empty;
    empty += L"";
    CHECK(!empty);
    empty += L"z";
    CHECK(empty == L"z");
}

/* ------------------------------------------------------------------------ */

static void variant_construction()
{
    /* int and LONG (the same type here) make VT_I4, as LONG does on Windows. */
    LONG l = 42;
    _variant_t v1(l);
    CHECK(v1.vt == VT_I4 && v1.lVal == 42);
    CHECK(_variant_t(7).vt == VT_I4);
    DWORD dw = 4000000000u;
    _variant_t v2(dw);
    CHECK(v2.vt == VT_UI4 && v2.ulVal == 4000000000u);
    /* long is 64-bit on Linux: VT_I4 while it fits, VT_I8 beyond. */
    CHECK(_variant_t(5L).vt == VT_I4);
    _variant_t big(5000000000L);
    CHECK(big.vt == VT_I8 && big.llVal == 5000000000LL);
    CHECK(_variant_t(6UL).vt == VT_UI4 && _variant_t(6000000000UL).vt == VT_UI8);
    CHECK(_variant_t(static_cast<short>(3)).vt == VT_I2);
    CHECK(_variant_t(static_cast<short>(3), VT_BOOL).boolVal == VARIANT_TRUE);
    CHECK(_variant_t(0L, VT_BOOL).vt == VT_BOOL);
    CHECK(_variant_t(0x80004005L, VT_ERROR).scode == E_FAIL);
    CHECK(_variant_t(1.5).vt == VT_R8 && _variant_t(1.5f).vt == VT_R4);
    CHECK(_variant_t(true).vt == VT_BOOL && _variant_t(true).boolVal == VARIANT_TRUE);
    CHECK(_variant_t(false).boolVal == VARIANT_FALSE);
    CHECK(_variant_t(static_cast<BYTE>(9)).vt == VT_UI1);
    CHECK(_variant_t('c').vt == VT_I1);
    CHECK(_variant_t(static_cast<unsigned short>(9)).vt == VT_UI2);
    CHECK(_variant_t(9LL).vt == VT_I8 && _variant_t(9ULL).vt == VT_UI8);

    _variant_t s1("text");
    CHECK(s1.vt == VT_BSTR && wcscmp(s1.bstrVal, L"text") == 0);
    _variant_t s2(L"wide");
    CHECK(s2.vt == VT_BSTR && SysStringLen(s2.bstrVal) == 4);
    _bstr_t shared(L"bstr");
    _variant_t s3(shared);
    CHECK(s3.vt == VT_BSTR && s3.bstrVal != static_cast<const wchar_t *>(shared)); /* a copy */

    /* Copies are deep; VARIANT sources too. */
    _variant_t s4 = s1;
    CHECK(s4.bstrVal != s1.bstrVal && s4 == s1);
    VARIANT raw;
    VariantInit(&raw);
    raw.vt = VT_BSTR;
    raw.bstrVal = SysAllocString(L"raw");
    _variant_t s5(raw);
    CHECK(s5.bstrVal != raw.bstrVal);
    _variant_t s6(raw, false); /* takes it over */
    CHECK(s6.vt == VT_BSTR && raw.vt == VT_EMPTY);
    CHECK(s6 == s5 && s6 != s1 && s6 != _variant_t(1));

    /* Detach hands over the value; Attach takes one. */
    VARIANT out = s6.Detach();
    CHECK(s6.vt == VT_EMPTY && out.vt == VT_BSTR);
    _variant_t s7;
    s7.Attach(out);
    CHECK(out.vt == VT_EMPTY && s7.vt == VT_BSTR && wcscmp(s7.bstrVal, L"raw") == 0);
    s7.Clear();
    CHECK(s7.vt == VT_EMPTY);

    VARIANT *slot = s5.GetAddress();
    CHECK(slot->vt == VT_EMPTY);
    slot->vt = VT_I4;
    slot->lVal = 3;
    CHECK(static_cast<long>(s5) == 3);

    /* Assignment replaces value and type. */
    _variant_t a(L"x");
    a = 12;
    CHECK(a.vt == VT_I4 && a.lVal == 12);
    a = L"y";
    CHECK(a.vt == VT_BSTR);
    a = 2.0;
    CHECK(a.vt == VT_R8);
    a = _bstr_t("z");
    CHECK(a.vt == VT_BSTR && wcscmp(a.bstrVal, L"z") == 0);
    const _variant_t &same = a;
    a = same; /* self-assignment */
    CHECK(a.vt == VT_BSTR && wcscmp(a.bstrVal, L"z") == 0);
}

static void variant_extraction()
{
    CHECK(static_cast<long>(_variant_t(L"123")) == 123);
    CHECK(static_cast<int>(_variant_t("-5")) == -5);
    CHECK(static_cast<short>(_variant_t(L"300")) == 300);
    CHECK(static_cast<double>(_variant_t(L"2.5")) == 2.5);
    CHECK(static_cast<long>(_variant_t(3.5)) == 4); /* half to even */
    CHECK(static_cast<long>(_variant_t(2.5)) == 2);
    CHECK(static_cast<bool>(_variant_t(L"True")));
    CHECK(!static_cast<bool>(_variant_t(0)));
    CHECK(static_cast<bool>(_variant_t(5)));
    CHECK(static_cast<unsigned long>(_variant_t(L"4000000000")) == 4000000000UL);
    CHECK(static_cast<long>(_variant_t(L"5000000000")) == 5000000000L); /* 64-bit long */
    CHECK(static_cast<long long>(_variant_t(L"-9000000000")) == -9000000000LL);
    CHECK(static_cast<BYTE>(_variant_t(255)) == 255);

    _bstr_t five = _variant_t(5L);
    CHECK(five == L"5");
    CHECK(static_cast<_bstr_t>(_variant_t(true)) == L"-1"); /* no VARIANT_ALPHABOOL */
    CHECK(static_cast<_bstr_t>(_variant_t(1.25)) == L"1.25");
    _bstr_t viaCtor(_variant_t(L"same"));
    CHECK(viaCtor == L"same");
    _bstr_t assigned;
    assigned = _variant_t(7);
    CHECK(assigned == L"7");

    /* Failures raise the VariantChangeType error. */
    CHECK(RAISED((void)static_cast<long>(_variant_t(L"abc"))) == DISP_E_TYPEMISMATCH);
    CHECK(RAISED((void)static_cast<short>(_variant_t(70000))) == DISP_E_OVERFLOW);
    CHECK(RAISED((void)static_cast<unsigned int>(_variant_t(-1))) == DISP_E_OVERFLOW);
    _variant_t n;
    n.vt = VT_NULL;
    CHECK(RAISED((void)static_cast<long>(n)) == DISP_E_TYPEMISMATCH);

    _variant_t c(L"42");
    c.ChangeType(VT_I4);
    CHECK(c.vt == VT_I4 && c.lVal == 42);
    _variant_t d;
    d.ChangeType(VT_BSTR, &c);
    CHECK(d.vt == VT_BSTR && wcscmp(d.bstrVal, L"42") == 0);
    CHECK(RAISED(d.ChangeType(VT_UNKNOWN)) == DISP_E_TYPEMISMATCH);
    d.SetString("set");
    CHECK(d.vt == VT_BSTR && wcscmp(d.bstrVal, L"set") == 0);
}

/* ------------------------------------------------------------------------ */

static void com_errors()
{
    _com_error e(E_FAIL);
    CHECK(e.Error() == E_FAIL && e.WCode() == 0 && e.ErrorInfo() == NULL);
    CHECK(strstr(e.ErrorMessage(), "E_FAIL") != NULL);
    CHECK(strstr(_com_error(E_INVALIDARG).ErrorMessage(), "E_INVALIDARG") != NULL);
    CHECK(strstr(_com_error(DISP_E_TYPEMISMATCH).ErrorMessage(), "DISP_E_TYPEMISMATCH") != NULL);
    CHECK(strstr(_com_error(HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND)).ErrorMessage(), "FILE_NOT_FOUND") != NULL);
    CHECK(strcmp(_com_error(static_cast<HRESULT>(0x80001234)).ErrorMessage(), "Unknown error 0x80001234") == 0);
    CHECK(strcmp(_com_error(static_cast<HRESULT>(0x80040205)).ErrorMessage(), "IDispatch error #5") == 0);
    CHECK(_com_error(static_cast<HRESULT>(0x80040205)).WCode() == 5);
    CHECK(_com_error::WCodeToHRESULT(1) == static_cast<HRESULT>(0x80040201));
    CHECK(_com_error::WCodeToHRESULT(0xFFFF) == static_cast<HRESULT>(0x8004FFFF));
    CHECK(_com_error::HRESULTToWCode(static_cast<HRESULT>(0x80040201)) == 1);
    CHECK(_com_error::HRESULTToWCode(E_FAIL) == 0);
    CHECK(!e.Description() && !e.Source() && !e.HelpFile() && e.HelpContext() == 0);
    CHECK(e.GUID() == GUID_NULL);

    _com_error copy = e;
    copy = _com_error(E_OUTOFMEMORY);
    CHECK(copy.Error() == E_OUTOFMEMORY && e.Error() == E_FAIL);

    CHECK(RAISED(_com_issue_error(E_ACCESSDENIED)) == E_ACCESSDENIED);
    CHECK(RAISED(_com_raise_error(E_ABORT)) == E_ABORT);
    CHECK(RAISED(_com_issue_errorex(E_NOTIMPL, NULL, IID_IUnknown)) == E_NOTIMPL);
    bool caught = false;
    try {
        _com_issue_error(E_POINTER);
    } catch (_com_error &err) {
        caught = err.Error() == E_POINTER;
    }
    CHECK(caught);
}

static HRESULT handled;
static void __stdcall record_error(HRESULT hr, IErrorInfo *)
{
    handled = hr;
}

static void com_error_handler()
{
    _set_com_error_handler(record_error);
    _com_issue_error(E_UNEXPECTED); /* the handler returns instead of throwing */
    CHECK(handled == E_UNEXPECTED);
    _set_com_error_handler(NULL);
    CHECK(RAISED(_com_issue_error(E_FAIL)) == E_FAIL);
}

/* ------------------------------------------------------------------------ */

/* A reference-counted object with IDispatch (optional) and a Value property. */
class Thing : public IDispatch {
public:
    ULONG refs = 1;
    bool dispatch = true;

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (riid == __uuidof(IUnknown) || (dispatch && riid == __uuidof(IDispatch))) {
            *ppv = static_cast<IDispatch *>(this);
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs; }
    ULONG STDMETHODCALLTYPE Release() override { return --refs; }
    HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT *n) override
    {
        *n = 0;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo **) override { return E_NOTIMPL; }
    HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR *, UINT, LCID, DISPID *) override
    {
        return DISP_E_UNKNOWNNAME;
    }
    HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS *, VARIANT *result, EXCEPINFO *,
                                     UINT *) override
    {
        VariantInit(result);
        result->vt = VT_BSTR;
        result->bstrVal = SysAllocString(L"value");
        return S_OK;
    }
};

_COM_SMARTPTR_TYPEDEF(IAppHostAdminManager, __uuidof(IAppHostAdminManager));
_COM_SMARTPTR_TYPEDEF(IDispatch, __uuidof(IDispatch)); /* again: typedefs may repeat */
typedef _com_ptr_t<_com_IIID<IDispatch, &IID_IDispatch> > ExplicitDispatchPtr;

static void uuidof()
{
    CHECK(__uuidof(IUnknown) == IID_IUnknown);
    CHECK(__uuidof(IDispatch) == IID_IDispatch);
    CHECK(__uuidof(IDispatch *) == IID_IDispatch);
    CHECK(__uuidof(const IAppHostAdminManager &) == IID_IAppHostAdminManager);
    CHECK(IDispatchPtr::GetIID() == IID_IDispatch);
    CHECK(IAppHostAdminManagerPtr::GetIID() == IID_IAppHostAdminManager);
    CHECK(ExplicitDispatchPtr::GetIID() == IID_IDispatch);
}

static void smart_pointers()
{
    Thing t;
    {
        IDispatchPtr p(&t); /* AddRef */
        CHECK(t.refs == 2 && p.GetInterfacePtr() == &t);
        IDispatchPtr q = p;
        CHECK(t.refs == 3);
        IUnknownPtr u = p; /* QueryInterface for IUnknown */
        CHECK(t.refs == 4 && u == p && p == u);
        IUnknownPtr u2(static_cast<IDispatch *>(&t));
        CHECK(u2 == u && t.refs == 5);
        u2 = NULL;
        CHECK(t.refs == 4 && u2 == NULL && NULL == u2 && !u2 && u != NULL);
        CHECK(p && !!p);
        UINT n = 9;
        CHECK(p->GetTypeInfoCount(&n) == S_OK && n == 0);
        q.Release();
        CHECK(t.refs == 3 && q == NULL);
        IDispatch *raw = p.Detach();
        CHECK(raw == &t && p == NULL && t.refs == 3);
        p.Attach(raw); /* takes the reference back */
        CHECK(t.refs == 3);
        IDispatchPtr moved(static_cast<IDispatchPtr &&>(p));
        CHECK(p == NULL && moved == &t && t.refs == 3);
    }
    CHECK(t.refs == 1);

    /* Dereferencing NULL raises E_POINTER. */
    IDispatchPtr none;
    UINT n = 0;
    CHECK(RAISED(none->GetTypeInfoCount(&n)) == E_POINTER);
    CHECK(RAISED(none.Release()) == E_POINTER);

    /* A missing interface leaves the pointer NULL instead of raising. */
    t.dispatch = false;
    {
        IUnknownPtr u(static_cast<IUnknown *>(&t));
        IDispatchPtr d(u);
        CHECK(d == NULL && t.refs == 2);
        IDispatch *out = NULL;
        CHECK(u.QueryInterface(__uuidof(IDispatch), &out) == E_NOINTERFACE && out == NULL);
    }
    t.dispatch = true;
    CHECK(t.refs == 1);

    /* operator& gives an [out] slot. */
    {
        IDispatchPtr slot(&t);
        IDispatch **pp = &slot;
        CHECK(*pp == NULL && t.refs == 1);
        t.QueryInterface(IID_IDispatch, reinterpret_cast<void **>(pp));
        CHECK(slot == &t && t.refs == 2);
    }
    CHECK(t.refs == 1);

    /* With _variant_t: VT_DISPATCH takes a reference, the smart pointer QIs it out. */
    {
        IDispatchPtr p(&t);
        _variant_t v(p);
        CHECK(v.vt == VT_DISPATCH && t.refs == 3);
        IDispatchPtr back(v);
        CHECK(back == &t && t.refs == 4);
        IUnknown *unk = v; /* AddRef'd, as documented */
        CHECK(t.refs == 5);
        unk->Release();
        CHECK(static_cast<_bstr_t>(v) == L"value"); /* the Value property */
        CHECK(RAISED(IDispatchPtr fromInt(_variant_t(1))) == DISP_E_TYPEMISMATCH);
    }
    CHECK(t.refs == 1);

    /* No classes are registered yet. */
    IAppHostAdminManagerPtr admin;
    CHECK(admin.CreateInstance(CLSID_AppHostAdminManager) == REGDB_E_CLASSNOTREG && admin == NULL);
    CHECK(admin.CreateInstance(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B}") == REGDB_E_CLASSNOTREG);
    CHECK(admin.CreateInstance("Microsoft.ApplicationHost.AdminManager") == CO_E_CLASSSTRING);
    CHECK(RAISED(IAppHostAdminManagerPtr created(CLSID_AppHostAdminManager)) == REGDB_E_CLASSNOTREG);
}

int main()
{
    bstr_conversions();
    bstr_sharing();
    bstr_operators();
    variant_construction();
    variant_extraction();
    com_errors();
    com_error_handler();
    uuidof();
    smart_pointers();
    return check_finish();
}
