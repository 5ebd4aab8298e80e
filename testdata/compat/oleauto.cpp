/*
 * iishost/oleauto.h from C++, where REFGUID/REFIID are references and
 * interfaces are classes: GUID functions with references, VARIANT
 * ownership of C++ COM objects (AddRef on copy, Release on clear),
 * VT_UNKNOWN -> VT_DISPATCH by QueryInterface, and an object's Value
 * property read by VariantChangeType. Prints one line per failed check,
 * then PASS when all passed.
 */
#include <windows.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "check.h"

/* An automation object whose Value property (DISPID_VALUE) is an integer. */
class Answer : public IDispatch {
public:
    ULONG refs = 1;
    LONG value = 42;
    bool dispatch = true; /* whether QueryInterface gives out IDispatch */

    HRESULT STDMETHODCALLTYPE QueryInterface(REFIID riid, void **ppv) override
    {
        if (IsEqualIID(riid, IID_IUnknown) || (dispatch && IsEqualIID(riid, IID_IDispatch))) {
            *ppv = static_cast<IDispatch *>(this);
            AddRef();
            return S_OK;
        }
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    ULONG STDMETHODCALLTYPE AddRef() override { return ++refs; }
    ULONG STDMETHODCALLTYPE Release() override { return --refs; }
    HRESULT STDMETHODCALLTYPE GetTypeInfoCount(UINT *pctinfo) override
    {
        *pctinfo = 0;
        return S_OK;
    }
    HRESULT STDMETHODCALLTYPE GetTypeInfo(UINT, LCID, ITypeInfo **) override { return E_NOTIMPL; }
    HRESULT STDMETHODCALLTYPE GetIDsOfNames(REFIID, LPOLESTR *, UINT, LCID, DISPID *) override
    {
        return DISP_E_UNKNOWNNAME;
    }
    HRESULT STDMETHODCALLTYPE Invoke(DISPID id, REFIID, LCID, WORD flags, DISPPARAMS *params, VARIANT *result,
                                     EXCEPINFO *, UINT *) override
    {
        if (id != DISPID_VALUE || !(flags & DISPATCH_PROPERTYGET) || params->cArgs != 0 || result == NULL)
            return DISP_E_MEMBERNOTFOUND;
        VariantInit(result);
        V_VT(result) = VT_I4;
        V_I4(result) = value;
        return S_OK;
    }
};

static void guids_by_reference()
{
    OLECHAR buf[39];
    CHECK(StringFromGUID2(IID_IUnknown, buf, 39) == 39);
    CHECK(wcscmp(buf, L"{00000000-0000-0000-C000-000000000046}") == 0);
    CLSID c;
    CHECK(CLSIDFromString(OLESTR("{00020400-0000-0000-C000-000000000046}"), &c) == S_OK);
    CHECK(c == IID_IDispatch);
    CHECK(IsEqualGUID(IID_NULL, GUID_NULL) && CLSID_NULL == GUID_NULL);
    GUID g;
    CHECK(CoCreateGuid(&g) == S_OK && (g.Data3 & 0xF000) == 0x4000);

    void *pv = &pv;
    CHECK(CoCreateInstance(IID_IDispatch, NULL, CLSCTX_INPROC_SERVER, IID_IUnknown, &pv) == REGDB_E_CLASSNOTREG);
    CHECK(pv == NULL);
    CHECK(CoInitializeEx(NULL, COINIT_APARTMENTTHREADED) == S_OK);
    CoUninitialize();
}

static void variant_objects()
{
    Answer obj;
    VARIANT a, b;
    VariantInit(&a);
    VariantInit(&b);

    V_VT(&a) = VT_DISPATCH;
    V_DISPATCH(&a) = &obj;
    obj.AddRef();
    CHECK(VariantCopy(&b, &a) == S_OK && obj.refs == 3 && V_DISPATCH(&b) == &obj);
    CHECK(VariantClear(&b) == S_OK && obj.refs == 2 && V_VT(&b) == VT_EMPTY);

    /* The object's Value property, unless VARIANT_NOVALUEPROP. */
    CHECK(VariantChangeType(&b, &a, 0, VT_I4) == S_OK && V_VT(&b) == VT_I4 && V_I4(&b) == 42);
    CHECK(VariantChangeType(&b, &a, 0, VT_BSTR) == S_OK && wcscmp(V_BSTR(&b), L"42") == 0);
    VariantClear(&b);
    CHECK(VariantChangeType(&b, &a, VARIANT_NOVALUEPROP, VT_I4) == DISP_E_TYPEMISMATCH);
    CHECK(obj.refs == 2);

    /* VT_DISPATCH -> VT_UNKNOWN -> VT_DISPATCH by QueryInterface. */
    CHECK(VariantChangeType(&b, &a, 0, VT_UNKNOWN) == S_OK && V_VT(&b) == VT_UNKNOWN && obj.refs == 3);
    CHECK(VariantChangeType(&b, &b, 0, VT_DISPATCH) == S_OK && V_VT(&b) == VT_DISPATCH && obj.refs == 3);
    VariantClear(&b);
    obj.dispatch = false;
    V_VT(&b) = VT_UNKNOWN;
    V_UNKNOWN(&b) = &obj;
    obj.AddRef();
    VARIANT c;
    VariantInit(&c);
    CHECK(VariantChangeType(&c, &b, 0, VT_DISPATCH) == DISP_E_TYPEMISMATCH && V_VT(&c) == VT_EMPTY);
    CHECK(VariantChangeType(&c, &b, 0, VT_I4) == DISP_E_TYPEMISMATCH);
    VariantClear(&b);
    VariantClear(&a);
    CHECK(obj.refs == 1);

    /* BYREF interface: copied as a pointer, no reference taken. */
    IUnknown *punk = &obj;
    V_VT(&a) = VT_BYREF | VT_UNKNOWN;
    V_UNKNOWNREF(&a) = &punk;
    CHECK(VariantCopy(&b, &a) == S_OK && obj.refs == 1);
    CHECK(VariantCopyInd(&c, &a) == S_OK && V_VT(&c) == VT_UNKNOWN && obj.refs == 2);
    VariantClear(&c);
    VariantClear(&b);
    CHECK(obj.refs == 1);
}

static void bstr_in_cpp()
{
    BSTR b = SysAllocStringLen(L"abc", 3);
    CHECK(SysStringByteLen(b) == 3 * sizeof(OLECHAR));
    CHECK(SysReAllocStringLen(&b, L"abcdef", 6) == TRUE && SysStringLen(b) == 6);
    SysFreeString(b);
}

int main()
{
    guids_by_reference();
    variant_objects();
    bstr_in_cpp();
    return check_finish();
}
