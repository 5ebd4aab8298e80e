/*
 * atlbase.h / atlconv.h: CComPtr and CComQIPtr reference counting,
 * QueryInterface and CoCreateInstance (through a services table this
 * program installs, as the host does), CComBSTR, CComVariant, the
 * critical sections and CComCritSecLock, the checking and trace macros,
 * and the USES_CONVERSION macros and CA2W-style classes. Narrow build
 * (no UNICODE): the T macros are the narrow ones. Prints one line per
 * failed check, then PASS when all passed.
 */
#define _DEBUG 1
#include <atlbase.h>
#include <atlconv.h>
#include <ahadmin.h>

#include <string>
#include <thread>
#include <vector>

#include "check.h"

/* The HRESULT that expr throws as a CAtlException, or S_OK. */
#define THROWN(expr) \
    ([&]() -> HRESULT { \
        try { \
            expr; \
        } catch (const CAtlException &e) { \
            return e; \
        } \
        return S_OK; \
    }())

/* ------------------------------------------------------------------------
 * A COM object with IDispatch (optional) that counts its references.
 */
class Thing : public IDispatch {
public:
    ULONG refs = 1;
    bool dispatch = true;

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (ppv == NULL)
            return E_POINTER;
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
    HRESULT STDMETHODCALLTYPE Invoke(DISPID, REFIID, LCID, WORD, DISPPARAMS *, VARIANT *, EXCEPINFO *,
                                     UINT *) override
    {
        return E_NOTIMPL;
    }
};

/* The services table: one class (CLSID_AppHostAdminManager, made a Thing) and debug strings. */
static Thing g_created;
static std::string g_debug;

static HRESULT create_instance(const iishost_services_t *, const GUID *clsid, const GUID *iid, void **ppv)
{
    if (*clsid != CLSID_AppHostAdminManager)
        return REGDB_E_CLASSNOTREG;
    return g_created.QueryInterface(*iid, ppv);
}

static void debug_string(const iishost_services_t *, const char *text)
{
    g_debug += text;
}

static const iishost_services_t g_services = {sizeof(iishost_services_t), NULL, debug_string, create_instance};

/* ------------------------------------------------------------------------ */

static void com_ptr()
{
    Thing t;
    {
        CComPtr<IDispatch> p;
        CHECK(p == NULL && !p && p.p == NULL);
        p = &t;
        CHECK(t.refs == 2 && p == &t && p.p == &t && static_cast<IDispatch *>(p) == &t);
        CHECK(&t == p && !(p != &t) && p != NULL);
        {
            CComPtr<IDispatch> copy(p);
            CHECK(t.refs == 3);
            CComPtr<IDispatch> moved(static_cast<CComPtr<IDispatch> &&>(copy));
            CHECK(t.refs == 3 && copy == NULL && moved == &t);
            copy = moved;
            CHECK(t.refs == 4);
            copy = p; /* the same object: no change */
            CHECK(t.refs == 4);
        }
        CHECK(t.refs == 2);

        /* operator-> and operator* reach the object. */
        UINT n = 9;
        CHECK(p->GetTypeInfoCount(&n) == S_OK && n == 0);
        CHECK(&*p == &t);

        /* CopyTo hands out a new reference. */
        IDispatch *out = NULL;
        CHECK(p.CopyTo(&out) == S_OK && out == &t && t.refs == 3);
        out->Release();
        CHECK(p.CopyTo(NULL) == E_POINTER);

        /* QueryInterface<Q> takes the IID from __uuidof(Q). */
        IUnknown *unk = NULL;
        CHECK(p.QueryInterface(&unk) == S_OK && unk == static_cast<IUnknown *>(&t) && t.refs == 3);
        unk->Release();
        IAppHostAdminManager *admin = reinterpret_cast<IAppHostAdminManager *>(1);
        CHECK(p.QueryInterface(&admin) == E_NOINTERFACE && admin == NULL);
        CHECK(p.IsEqualObject(&t) && !p.IsEqualObject(NULL));

        /* Detach / Attach move the reference without counting. */
        IDispatch *raw = p.Detach();
        CHECK(raw == &t && p == NULL && t.refs == 2);
        p.Attach(raw);
        CHECK(p == &t && t.refs == 2);
        t.AddRef();
        p.Attach(&t); /* the same object again: the held reference is released, the new one kept */
        CHECK(p == &t && t.refs == 2);
        p.Release();
        CHECK(p == NULL && t.refs == 1);
        p.Release(); /* twice is harmless */
        CHECK(t.refs == 1);

        /* operator& for [out] parameters. */
        IDispatch **slot = &p;
        CHECK(slot == &p.p);
        *slot = &t;
        t.AddRef();
        CHECK(p == &t && t.refs == 2);
        p = NULL;
        CHECK(t.refs == 1);
    }
    CHECK(t.refs == 1);

    /* Assigning a CComPtr of another interface QueryInterfaces. */
    {
        CComPtr<IDispatch> d(&t);
        CComPtr<IUnknown> u;
        u = d;
        CHECK(u == static_cast<IUnknown *>(&t) && t.refs == 3);
        CComPtr<IUnknown> fromDerived(d); /* IDispatch is an IUnknown: no QueryInterface */
        CHECK(t.refs == 4);
        CHECK(fromDerived == u && !(fromDerived != u)); /* smart pointers compare their pointers */
        CComQIPtr<IDispatch> qd(d);
        CHECK(qd == d && d == qd && !(qd != d) && t.refs == 5);
        qd.Release();
        t.dispatch = false;
        CComPtr<IDispatch> back;
        back = u;
        CHECK(back == NULL && t.refs == 4);
        t.dispatch = true;
        back = u;
        CHECK(back == &t && t.refs == 5);
        CHECK(u < reinterpret_cast<IUnknown *>(~static_cast<uintptr_t>(0)));
    }
    CHECK(t.refs == 1);

    /* CComQIPtr: QueryInterface on construction and assignment. */
    {
        IUnknown *asUnknown = static_cast<IUnknown *>(&t);
        CComQIPtr<IDispatch> q(asUnknown);
        CHECK(q == &t && t.refs == 2);
        CComQIPtr<IDispatch> same(static_cast<IDispatch *>(&t));
        CHECK(same == &t && t.refs == 3);
        CComQIPtr<IAppHostAdminManager> none(asUnknown);
        CHECK(none == NULL && t.refs == 3);
        CComPtr<IUnknown> u(asUnknown);
        CComQIPtr<IDispatch> fromPtr(u);
        CHECK(fromPtr == &t && t.refs == 5);
        q = asUnknown; /* QueryInterface again, the old reference released */
        CHECK(q == &t && t.refs == 5);
        CComQIPtr<IUnknown> unk(q); /* the IUnknown instance works without a specialization */
        CHECK(unk == asUnknown && t.refs == 6);
        CComQIPtr<IDispatch, &IID_IDispatch> explicitIid(asUnknown);
        CHECK(explicitIid == &t && t.refs == 7);
        CHECK((CComQIPtr<IDispatch, &IID_IDispatch>::GetIID() == IID_IDispatch));
        CHECK(CComQIPtr<IAppHostAdminManager>::GetIID() == IID_IAppHostAdminManager);
        none = u;
        CHECK(none == NULL);
    }
    CHECK(t.refs == 1);

    /* CoCreateInstance goes through the host's services table. */
    {
        CComPtr<IDispatch> c;
        CHECK(c.CoCreateInstance(CLSID_AppHostWritableAdminManager) == REGDB_E_CLASSNOTREG && c == NULL);
        CHECK(c.CoCreateInstance(CLSID_AppHostAdminManager) == S_OK && c == &g_created && g_created.refs == 2);
        CComPtr<IAppHostAdminManager> wrong;
        CHECK(wrong.CoCreateInstance(CLSID_AppHostAdminManager) == E_NOINTERFACE && wrong == NULL);
        CComPtr<IUnknown> byString;
        CHECK(byString.CoCreateInstance(L"{228FB8F7-FB53-4FD5-8C7B-FF59DE606C5B}") == S_OK &&
              byString == static_cast<IUnknown *>(&g_created));
        CComPtr<IUnknown> progId;
        CHECK(progId.CoCreateInstance(L"Microsoft.ApplicationHost.AdminManager") == CO_E_CLASSSTRING);
        CHECK(progId.CoCreateInstance(static_cast<LPCOLESTR>(NULL)) == E_INVALIDARG);
        CComPtr<IUnknown> outer;
        CHECK(outer.CoCreateInstance(CLSID_AppHostAdminManager, static_cast<IUnknown *>(&t)) == CLASS_E_NOAGGREGATION);
    }
    CHECK(g_created.refs == 1);

    CHECK(ATL::AtlComPtrAssign(NULL, &t) == NULL);
}

/* ------------------------------------------------------------------------ */

static void bstr()
{
    CComBSTR empty;
    CHECK(empty.m_str == NULL && empty.Length() == 0 && !empty && empty == L"" && empty == NULL);

    CComBSTR a(L"hello");
    CHECK(a.Length() == 5 && a.ByteLength() == 5 * sizeof(OLECHAR) && SysStringLen(a) == 5);
    CHECK(a == L"hello" && a != L"hell" && a != NULL && !(a == nullptr));
    CComBSTR narrow("h\xC3\xA9llo \xE2\x82\xAC"); /* UTF-8 */
    CHECK(narrow.Length() == 7 && narrow == L"h\u00E9llo \u20AC");
    CHECK(narrow == "h\xC3\xA9llo \xE2\x82\xAC");
    CComBSTR sized(3);
    CHECK(sized.Length() == 3 && sized.m_str[0] == 0 && sized.m_str[2] == 0);
    CComBSTR prefix(3, L"abcdef");
    CHECK(prefix == L"abc");
    CComBSTR narrowPrefix(4, "h\xC3\xA9llo");
    CHECK(narrowPrefix == L"h\u00E9l");
    CHECK(THROWN(CComBSTR bad(-1)) == E_INVALIDARG);
    CComBSTR nullWide(static_cast<LPCOLESTR>(NULL));
    CComBSTR nullNarrow(static_cast<LPCSTR>(NULL));
    CHECK(nullWide.m_str == NULL && nullNarrow.m_str == NULL);
    CComBSTR guid(IID_IUnknown);
    CHECK(guid == L"{00000000-0000-0000-C000-000000000046}");

    /* Embedded NULs count: Length is the BSTR's, comparison covers it all. */
    CComBSTR nul(3, L"a\0b");
    CHECK(nul.Length() == 3 && !(nul == L"a") && nul != CComBSTR(L"a"));

    /* Copies are independent strings. */
    CComBSTR copy(a);
    CHECK(copy == a && copy.m_str != a.m_str);
    CComBSTR moved(static_cast<CComBSTR &&>(copy));
    CHECK(moved == L"hello" && copy.m_str == NULL);
    copy = moved;
    CHECK(copy == L"hello" && copy.m_str != moved.m_str);
    copy = L"other";
    CHECK(copy == L"other");
    copy = "\xE2\x82\xAC";
    CHECK(copy == L"\u20AC");
    copy = static_cast<LPCOLESTR>(NULL);
    CHECK(copy.m_str == NULL);
    CComBSTR &alias = moved;
    moved = alias; /* self-assignment keeps the string */
    CHECK(moved == L"hello");

    /* Append and its forms. */
    CComBSTR s;
    CHECK(s.Append(L"ab") == S_OK && s == L"ab");
    CHECK(s.Append(L"cdef", 2) == S_OK && s == L"abcd");
    CHECK(s.Append(CComBSTR(L"-")) == S_OK && s.Append("\xC3\xA9") == S_OK && s == L"abcd-\u00E9");
    CHECK(s.Append(L'!') == S_OK && s.Append('?') == S_OK && s == L"abcd-\u00E9!?");
    CHECK(s.Append(static_cast<LPCOLESTR>(NULL)) == S_OK && s.Append(L"x", -1) == E_INVALIDARG);
    CHECK(s.AppendBSTR(CComBSTR(L"z")) == S_OK && s.Length() == 9);
    s += L"1";
    s += "2";
    s += CComBSTR(L"3");
    CHECK(s == L"abcd-\u00E9!?z123");
    CComBSTR bytes;
    CHECK(bytes.AppendBytes("abcdefgh", 8) == S_OK && bytes.ByteLength() == 8 && bytes.Length() == 8 / sizeof(OLECHAR));

    /* ToLower / ToUpper. */
    CComBSTR mixed(L"MiXeD 12");
    CHECK(mixed.ToLower() == S_OK && mixed == L"mixed 12");
    CHECK(mixed.ToUpper() == S_OK && mixed == L"MIXED 12");
    CHECK(empty.ToUpper() == S_OK);

    /* Ordering. */
    CHECK(CComBSTR(L"a") < CComBSTR(L"b") && CComBSTR(L"b") > CComBSTR(L"a") && CComBSTR(L"a") < L"ab");
    CHECK(!(CComBSTR(L"b") < L"a") && CComBSTR(L"b") > L"a" && CComBSTR() < L"a");

    /* Copy, CopyTo, Detach, Attach, Empty, AssignBSTR. */
    BSTR c = a.Copy();
    CHECK(c != a.m_str && SysStringLen(c) == 5 && wcscmp(c, L"hello") == 0);
    SysFreeString(c);
    CHECK(empty.Copy() == NULL);
    BSTR to = NULL;
    CHECK(a.CopyTo(&to) == S_OK && wcscmp(to, L"hello") == 0);
    SysFreeString(to);
    CHECK(a.CopyTo(static_cast<BSTR *>(NULL)) == E_POINTER);
    VARIANT v;
    VariantInit(&v);
    CHECK(a.CopyTo(&v) == S_OK && v.vt == VT_BSTR && wcscmp(v.bstrVal, L"hello") == 0);
    VariantClear(&v);
    BSTR d = a.Detach();
    CHECK(a.m_str == NULL && wcscmp(d, L"hello") == 0);
    a.Attach(d);
    CHECK(a.m_str == d);
    a.Attach(SysAllocString(L"new")); /* the old one is freed */
    CHECK(a == L"new");
    CHECK(a.AssignBSTR(moved) == S_OK && a == L"hello" && a.m_str != moved.m_str);
    CHECK(a.AssignBSTR(NULL) == S_OK && a.m_str == NULL);
    a = L"x";
    a.Empty();
    CHECK(a.m_str == NULL);

    /* operator& for [out] parameters, operator BSTR for [in]. */
    CComBSTR outp;
    BSTR *slot = &outp;
    *slot = SysAllocString(L"filled");
    CHECK(outp == L"filled" && SysStringLen(outp) == 6);

    CHECK(!a.LoadString(1) && a.m_str == NULL);
}

/* ------------------------------------------------------------------------ */

static void variant()
{
    CComVariant e;
    CHECK(e.vt == VT_EMPTY);
    CComVariant s(L"text");
    CHECK(s.vt == VT_BSTR && wcscmp(s.bstrVal, L"text") == 0);
    CComVariant n("\xC3\xA9");
    CHECK(n.vt == VT_BSTR && SysStringLen(n.bstrVal) == 1 && n.bstrVal[0] == 0xE9);
    CComVariant b(true), f(false);
    CHECK(b.vt == VT_BOOL && b.boolVal == VARIANT_TRUE && f.boolVal == VARIANT_FALSE);
    CComVariant i(42), l(static_cast<LONG>(-5)), big(5000000000L), ul(7UL), ui(8u);
    CHECK(i.vt == VT_I4 && i.lVal == 42 && l.vt == VT_I4 && l.lVal == -5);
    CHECK(big.vt == VT_I8 && big.llVal == 5000000000LL && ul.vt == VT_UI4 && ul.ulVal == 7 && ui.vt == VT_UI4);
    CComVariant asInt(3, VT_INT), asErr(static_cast<int>(E_FAIL), VT_ERROR);
    CHECK(asInt.vt == VT_INT && asInt.intVal == 3 && asErr.vt == VT_ERROR && asErr.scode == E_FAIL);
    CComVariant dbl(2.5), date(1.0, VT_DATE), flt(1.5f);
    CHECK(dbl.vt == VT_R8 && dbl.dblVal == 2.5 && date.vt == VT_DATE && flt.vt == VT_R4 && flt.fltVal == 1.5f);
    CComVariant by(static_cast<BYTE>(200)), sh(static_cast<short>(-3)), ch('c'), ll(-1LL), ull(1ULL);
    CHECK(by.vt == VT_UI1 && sh.vt == VT_I2 && ch.vt == VT_I1 && ll.vt == VT_I8 && ull.vt == VT_UI8);
    CComVariant fromBstr(CComBSTR(L"cb"));
    CHECK(fromBstr.vt == VT_BSTR && wcscmp(fromBstr.bstrVal, L"cb") == 0);

    /* Interfaces are AddRef'ed and released by Clear. */
    Thing t;
    {
        CComVariant disp(static_cast<IDispatch *>(&t));
        CHECK(disp.vt == VT_DISPATCH && t.refs == 2);
        CComVariant unk(static_cast<IUnknown *>(&t));
        CHECK(unk.vt == VT_UNKNOWN && t.refs == 3);
        CComVariant copy(disp);
        CHECK(t.refs == 4 && copy == disp);
        CHECK(unk.Clear() == S_OK && unk.vt == VT_EMPTY && t.refs == 3);
    }
    CHECK(t.refs == 1);

    /* Copies, assignment, comparison. */
    CComVariant c(s);
    CHECK(c == s && c.bstrVal != s.bstrVal);
    c = 17;
    CHECK(c.vt == VT_I4 && c.lVal == 17 && c != s);
    c = L"wide";
    CHECK(c.vt == VT_BSTR && c == CComVariant(L"wide") && c != CComVariant(L"Wide"));
    c = true;
    CHECK(c.vt == VT_BOOL && c.boolVal == VARIANT_TRUE);
    c = 1.25;
    CHECK(c.vt == VT_R8 && c == CComVariant(1.25));
    c = "n";
    CHECK(c.vt == VT_BSTR && c == CComVariant(L"n"));
    CHECK(CComVariant(1) != CComVariant(1u)); /* VT_I4 and VT_UI4 differ */
    CHECK(CComVariant() == CComVariant());
    VARIANT raw;
    VariantInit(&raw);
    raw.vt = VT_I4;
    raw.lVal = 9;
    c = raw;
    CHECK(c.vt == VT_I4 && c.lVal == 9 && c == raw);

    /* Copy / CopyTo / Attach / Detach. */
    CHECK(c.Copy(&s) == S_OK && c == s);
    CHECK(c.Copy(NULL) == E_INVALIDARG);
    BSTR out = NULL;
    CHECK(c.CopyTo(&out) == S_OK && wcscmp(out, L"text") == 0);
    SysFreeString(out);
    CHECK(i.CopyTo(&out) == DISP_E_TYPEMISMATCH);
    VARIANT taken;
    VariantInit(&taken);
    CHECK(c.Detach(&taken) == S_OK && c.vt == VT_EMPTY && taken.vt == VT_BSTR);
    CHECK(c.Attach(&taken) == S_OK && c.vt == VT_BSTR && taken.vt == VT_EMPTY);
    CHECK(c.Attach(NULL) == E_INVALIDARG && c.Detach(NULL) == E_POINTER);

    /* ChangeType through VariantChangeType. */
    CComVariant num(L"123");
    CHECK(num.ChangeType(VT_I4) == S_OK && num.vt == VT_I4 && num.lVal == 123);
    CHECK(num.ChangeType(VT_BSTR) == S_OK && num.vt == VT_BSTR && wcscmp(num.bstrVal, L"123") == 0);
    CComVariant bad(L"abc");
    CHECK(bad.ChangeType(VT_I4) == DISP_E_TYPEMISMATCH && bad.vt == VT_BSTR);
    CComVariant target;
    CComVariant src(true);
    CHECK(target.ChangeType(VT_I2, &src) == S_OK && target.vt == VT_I2 && target.iVal == -1);
    CHECK(src.vt == VT_BOOL);
    CComVariant dbls(2.5);
    CHECK(dbls.ChangeType(VT_BSTR) == S_OK && wcscmp(dbls.bstrVal, L"2.5") == 0);

    /* Move. */
    CComVariant mv(static_cast<CComVariant &&>(s));
    CHECK(mv.vt == VT_BSTR && s.vt == VT_EMPTY);
}

/* ------------------------------------------------------------------------ */

static void locks()
{
    CComAutoCriticalSection autoCs;
    CHECK(autoCs.Lock() == S_OK);
    CHECK(autoCs.Lock() == S_OK); /* recursive, as on Windows */
    CHECK(autoCs.Unlock() == S_OK && autoCs.Unlock() == S_OK);

    CComCriticalSection cs;
    CHECK(cs.Init() == S_OK);
    long counter = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; i++) {
        threads.emplace_back([&]() {
            for (int j = 0; j < 10000; j++) {
                CComCritSecLock<CComCriticalSection> lock(cs);
                counter++;
            }
        });
    }
    for (auto &th : threads)
        th.join();
    CHECK_EQ(counter, 40000);
    CHECK(cs.Term() == S_OK);

    CComSafeDeleteCriticalSection safe;
    CHECK(safe.Lock() == E_UNEXPECTED); /* not initialized yet */
    CHECK(safe.Term() == S_OK);         /* nothing to delete */
    CHECK(safe.Init() == S_OK && safe.Lock() == S_OK && safe.Unlock() == S_OK);
    CHECK(safe.Term() == S_OK && safe.Term() == S_OK);
    CHECK(safe.Init() == S_OK); /* the destructor terminates it */

    CComAutoDeleteCriticalSection autoDelete;
    CHECK(autoDelete.Init() == S_OK && autoDelete.Lock() == S_OK && autoDelete.Unlock() == S_OK);

    /* CComCritSecLock: deferred lock, explicit Unlock, and a held lock seen from another thread. */
    {
        CComCritSecLock<CComAutoCriticalSection> lock(autoCs, false);
        CHECK(TryEnterCriticalSection(&autoCs.m_sec)); /* not taken yet */
        LeaveCriticalSection(&autoCs.m_sec);
        CHECK(lock.Lock() == S_OK);
        bool other = true;
        std::thread([&]() { other = TryEnterCriticalSection(&autoCs.m_sec) != FALSE; }).join();
        CHECK(!other);
        lock.Unlock();
        std::thread([&]() {
            other = TryEnterCriticalSection(&autoCs.m_sec) != FALSE;
            if (other)
                LeaveCriticalSection(&autoCs.m_sec);
        }).join();
        CHECK(other);
        CHECK(lock.Lock() == S_OK); /* released by the destructor */
    }
    bool free = false;
    std::thread([&]() {
        free = TryEnterCriticalSection(&autoCs.m_sec) != FALSE;
        if (free)
            LeaveCriticalSection(&autoCs.m_sec);
    }).join();
    CHECK(free);

    CComFakeCriticalSection fake;
    CHECK(fake.Init() == S_OK && fake.Lock() == S_OK && fake.Unlock() == S_OK && fake.Term() == S_OK);
    CHECK(THROWN(CComCritSecLock<CComSafeDeleteCriticalSection> uninit(safe)) == S_OK);
    CComSafeDeleteCriticalSection never;
    CHECK(THROWN(CComCritSecLock<CComSafeDeleteCriticalSection> fails(never)) == E_UNEXPECTED);
}

/* ------------------------------------------------------------------------ */

BEGIN_OBJECT_MAP(ObjectMap)
END_OBJECT_MAP()

static CComModule _Module;

static void module()
{
    HINSTANCE h = reinterpret_cast<HINSTANCE>(static_cast<uintptr_t>(0x1000));
    CHECK(_Module.GetModuleInstance() == NULL && _Module.GetLockCount() == 0);
    CHECK(_Module.Init(ObjectMap, h) == S_OK);
    CHECK(_Module.GetModuleInstance() == h && _Module.GetResourceInstance() == h && _Module.GetTypeLibInstance() == h);
    CHECK(_Module.Lock() == 1 && _Module.Lock() == 2 && _Module.Unlock() == 1 && _Module.GetLockCount() == 1);
    _Module.Term();
    CHECK(_Module.GetModuleInstance() == NULL);
    ATL::_ATL_OBJMAP_ENTRY withClass[] = {{&CLSID_AppHostAdminManager, {NULL}}, {NULL, {NULL}}};
    CComModule other;
    CHECK(other.Init(withClass, h) == E_INVALIDARG && other.GetModuleInstance() == NULL);
    CHECK(other.Init(NULL, h) == S_OK && other.GetModuleInstance() == h);
}

/* ------------------------------------------------------------------------ */

static int ensure_return(bool ok)
{
    ATLENSURE_RETURN_VAL(ok, -1);
    return 1;
}

static HRESULT ensure_hr(bool ok)
{
    ATLENSURE_RETURN_HR(ok, E_POINTER);
    ATLENSURE_RETURN(ok);
    return S_OK;
}

static HRESULT not_impl()
{
    ATLTRACENOTIMPL("Feature");
}

static void macros()
{
    CHECK(_ATL_VER >= 0x0700);
    ATLASSERT(1 + 1 == 2);
    int evaluated = 0;
    ATLVERIFY(++evaluated == 1);
    CHECK(evaluated == 1);
    CHECK(THROWN(ATLENSURE(true)) == S_OK);
    CHECK(THROWN(ATLENSURE(false)) == E_FAIL);
    CHECK(THROWN(ATLENSURE_THROW(false, E_OUTOFMEMORY)) == E_OUTOFMEMORY);
    CHECK(THROWN(ATLENSURE_SUCCEEDED(E_ACCESSDENIED)) == E_ACCESSDENIED);
    CHECK(THROWN(AtlThrow(E_NOTIMPL)) == E_NOTIMPL);
    CHECK(ensure_return(true) == 1 && ensure_return(false) == -1);
    CHECK(ensure_hr(true) == S_OK && ensure_hr(false) == E_POINTER);
    CHECK(CAtlException().m_hr == E_FAIL);
    CHECK(AtlHresultFromWin32(ERROR_FILE_NOT_FOUND) == HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND));
    SetLastError(ERROR_ACCESS_DENIED);
    CHECK(AtlHresultFromLastError() == E_ACCESSDENIED);
    SetLastError(0);
    CHECK(AtlHresultFromLastError() == E_FAIL);

    /* Traces go to OutputDebugString (the services table here), with MSVC format rules. */
    g_debug.clear();
    ATLTRACE("n=%d s=%s\n", 5, "x");
    ATLTRACE(L"w=%s %S\n", L"wide", "narrow");
    ATLTRACE2(atlTraceGeneral, 0, "level0 %I64d\n", 1234567890123LL);
    ATLTRACE2(atlTraceCOM, 1, "level1 dropped\n");
    ATLTRACE(atlTraceGeneral, 0, "category form %d %s\n", 2, "x");
    ATLTRACE(atlTraceGeneral, 3, L"category form dropped\n");
    ATLTRACE("%d %s\n", 9, "plain"); /* a string first is the plain form */
    CTraceCategory mine("Mine");
    ATLTRACE2(mine, 0, L"custom %d\n", 7);
    CHECK(strcmp(mine.GetName(), "Mine") == 0 && mine.GetLevel() == 0);
    CHECK(not_impl() == E_NOTIMPL);
    CHECK_STR(g_debug.c_str(), "n=5 s=x\nw=wide narrow\nlevel0 1234567890123\ncategory form 2 x\n9 plain\ncustom 7\n"
                                "Feature not implemented.\n");
}

/* ------------------------------------------------------------------------ */

static void conversions()
{
    USES_CONVERSION;
    LPWSTR w = A2W("h\xC3\xA9llo \xE2\x82\xAC");
    CHECK_WSTR(w, L"h\u00E9llo \u20AC");
    LPSTR a = W2A(L"\u00E9\U0001F600");
    CHECK_STR(a, "\xC3\xA9\xF0\x9F\x98\x80");
    CHECK(A2W(NULL) == NULL && W2A(NULL) == NULL);
    CHECK_WSTR(A2W(""), L"");
    CHECK_STR(W2A(L""), "");
    LPCWSTR cw = A2CW("c");
    LPCSTR ca = W2CA(L"c");
    CHECK_WSTR(cw, L"c");
    CHECK_STR(ca, "c");
    CHECK_WSTR(A2OLE("ole"), L"ole");
    CHECK_STR(OLE2A(L"ole"), "ole");
    CHECK_WSTR(A2COLE("ole"), L"ole");
    CHECK_STR(OLE2CA(L"ole"), "ole");
    const wchar_t *same = L"same";
    CHECK(W2OLE(same) == same && OLE2W(same) == same && OLE2CW(same) == same);
    /* Narrow build: TCHAR is char. */
    const char *t = "tee";
    CHECK(T2A(t) == t && A2T(t) == t && T2CA(t) == t);
    CHECK_WSTR(T2W(t), L"tee");
    CHECK_WSTR(T2OLE(t), L"tee");
    CHECK_STR(W2T(L"tee"), "tee");
    CHECK_STR(OLE2T(L"tee"), "tee");
    CHECK_STR(OLE2CT(L"tee"), "tee");
    {
        USES_CONVERSION_EX; /* alongside USES_CONVERSION */
        CHECK_WSTR(A2W_EX("ex", 2), L"ex");
        CHECK_STR(W2A_EX(L"ex", 2), "ex");
        CHECK_WSTR(T2W_EX("t", 1), L"t");
        CHECK(A2T_EX(t, 3) == t);
    }
    CHECK_WSTR(A2W_CP("\xC3\xA9", CP_UTF8), L"\u00E9");
    /* An invalid byte becomes U+FFFD, an invalid WCHAR '?', as CP_ACP does. */
    CHECK_WSTR(A2W("a\xFF" "b"), L"a\uFFFDb");
    wchar_t badw[] = {L'a', static_cast<wchar_t>(0xD800), L'b', 0};
    CHECK_STR(W2A(badw), "a?b");
    /* An unsupported code page throws the Win32 error. */
    CHECK(THROWN(A2W_CP("x", 1252)) == HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER));

    /* Many conversions in one scope stay valid together (heap, not stack). */
    std::vector<LPWSTR> kept;
    for (int i = 0; i < 1000; i++)
        kept.push_back(A2W("0123456789012345678901234567890123456789"));
    CHECK(wcscmp(kept[0], kept[999]) == 0 && kept[0] != kept[999]);

    BSTR bs = A2BSTR("\xE2\x82\xAC!");
    CHECK(SysStringLen(bs) == 2 && wcscmp(bs, L"\u20AC!") == 0);
    SysFreeString(bs);
    bs = OLE2BSTR(L"o");
    CHECK(SysStringLen(bs) == 1);
    SysFreeString(bs);
    bs = T2BSTR("t");
    CHECK(SysStringLen(bs) == 1 && bs[0] == L't');
    SysFreeString(bs);
    bs = A2WBSTR("abcdef", 3);
    CHECK(SysStringLen(bs) == 3 && wcscmp(bs, L"abc") == 0);
    SysFreeString(bs);
    CHECK(A2BSTR(NULL) == NULL);

    /* The classes. */
    CA2W ca2w("h\xC3\xA9");
    CHECK_WSTR(ca2w, L"h\u00E9");
    CHECK(ca2w.m_psz == ca2w.m_szBuffer); /* short: the object's own buffer */
    std::string longText(500, 'x');
    CA2W longW(longText.c_str());
    CHECK(wcslen(longW) == 500 && longW.m_psz != longW.m_szBuffer);
    CW2A cw2a(L"\u20AC");
    CHECK_STR(cw2a, "\xE2\x82\xAC");
    std::wstring longWide(300, L'\u20AC');
    CW2A longA(longWide.c_str());
    CHECK(strlen(longA) == 900 && longA.m_psz != longA.m_szBuffer);
    CA2W nullA(NULL);
    CW2A nullW(NULL);
    CHECK(static_cast<LPWSTR>(nullA) == NULL && static_cast<LPSTR>(nullW) == NULL);
    CA2W utf8("\xC3\xA9", CP_UTF8);
    CHECK_WSTR(utf8, L"\u00E9");
    CHECK(THROWN(CA2W latin1("x", 1252)) == HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER));
    CHECK(THROWN(CW2A latin1(L"x", 1252)) == HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER));
    CA2WEX<4> small("abcdef");
    CHECK_WSTR(small, L"abcdef");
    CA2A copyA("copy");
    CW2W copyW(L"copy");
    CHECK_STR(copyA, "copy");
    CHECK_WSTR(copyW, L"copy");
    const char *keep = "keep";
    CA2CA viewA(keep);
    CHECK(static_cast<LPCSTR>(viewA) == keep);
    /* Narrow build: CT2A is a copy, CT2W and CA2T convert or copy. */
    CT2A ct2a("t");
    CT2W ct2w("t");
    CA2T ca2t("t");
    CW2T cw2t(L"\u00E9");
    CT2CA ct2ca(keep);
    CHECK_STR(ct2a, "t");
    CHECK_WSTR(ct2w, L"t");
    CHECK_STR(ca2t, "t");
    CHECK_STR(cw2t, "\xC3\xA9");
    CHECK(static_cast<LPCSTR>(ct2ca) == keep);
    COLE2T ole2t(L"o");
    CT2OLE t2ole("o");
    CHECK_STR(ole2t, "o");
    CHECK_WSTR(t2ole, L"o");
}

int main()
{
    iishost_services = &g_services;
    com_ptr();
    bstr();
    variant();
    locks();
    module();
    macros();
    conversions();
    return check_finish();
}
