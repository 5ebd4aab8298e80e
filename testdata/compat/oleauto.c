/*
 * BSTR, VARIANT and task-memory functions of iishost/oleauto.h, from C:
 * the BSTR block (4-byte byte-length prefix, 4-byte NUL), byte-length and
 * reallocated BSTRs, VariantCopy/VariantClear ownership, and the
 * VariantChangeType conversions. Prints one line per failed check, then
 * PASS when all passed.
 */
#include <windows.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "check.h"

static UINT prefix_of(BSTR b)
{
    UINT n;
    memcpy(&n, (const char *)b - 4, sizeof(n));
    return n;
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *c = (const unsigned char *)p;
    size_t i;
    for (i = 0; i < n; i++)
        if (c[i] != 0)
            return 0;
    return 1;
}

static void bstr_basics(void)
{
    BSTR b = SysAllocString(L"hello");
    CHECK(b != NULL);
    CHECK(sizeof(OLECHAR) == 4);
    CHECK(SysStringLen(b) == 5);
    CHECK(SysStringByteLen(b) == 20);
    CHECK(prefix_of(b) == 20); /* bytes, not characters */
    CHECK(wcscmp(b, L"hello") == 0);
    CHECK(all_zero(b + 5, sizeof(OLECHAR))); /* a whole OLECHAR terminates it */
    CHECK(((uintptr_t)b % 8) == 0);
    SysFreeString(b);

    CHECK(SysAllocString(NULL) == NULL);
    CHECK(SysStringLen(NULL) == 0);
    CHECK(SysStringByteLen(NULL) == 0);
    SysFreeString(NULL);

    b = SysAllocString(L"");
    CHECK(b != NULL && SysStringLen(b) == 0 && b[0] == 0);
    SysFreeString(b);
}

static void bstr_lengths(void)
{
    static const OLECHAR embedded[] = { L'a', 0, L'b' };
    BSTR b = SysAllocStringLen(L"abcdef", 3);
    CHECK(SysStringLen(b) == 3 && wcscmp(b, L"abc") == 0 && b[3] == 0);
    SysFreeString(b);

    b = SysAllocStringLen(embedded, 3); /* embedded NULs count */
    CHECK(SysStringLen(b) == 3 && b[0] == L'a' && b[1] == 0 && b[2] == L'b' && b[3] == 0);
    CHECK(wcslen(b) == 1);
    SysFreeString(b);

    b = SysAllocStringLen(NULL, 4);
    CHECK(b != NULL && SysStringLen(b) == 4 && b[4] == 0);
    SysFreeString(b);

    /* Byte lengths need not be multiples of sizeof(OLECHAR). */
    b = SysAllocStringByteLen("abcdefg", 7);
    CHECK(SysStringByteLen(b) == 7);
    CHECK(prefix_of(b) == 7);
    CHECK(SysStringLen(b) == 1);
    CHECK(memcmp(b, "abcdefg", 7) == 0);
    CHECK(all_zero((const char *)b + 7, sizeof(OLECHAR)));
    SysFreeString(b);

    b = SysAllocStringByteLen(NULL, 8);
    CHECK(SysStringByteLen(b) == 8 && SysStringLen(b) == 2 && b[2] == 0);
    SysFreeString(b);
}

static void bstr_realloc(void)
{
    BSTR b = SysAllocString(L"first");
    CHECK(SysReAllocString(&b, L"xyz") == TRUE);
    CHECK(wcscmp(b, L"xyz") == 0 && SysStringLen(b) == 3);
    CHECK(SysReAllocString(&b, b + 1) == TRUE); /* source inside the old string */
    CHECK(wcscmp(b, L"yz") == 0 && SysStringLen(b) == 2);
    CHECK(SysReAllocString(&b, NULL) == TRUE && b == NULL);
    CHECK(SysReAllocString(NULL, L"x") == FALSE);

    CHECK(SysReAllocStringLen(&b, L"12345", 5) == TRUE);
    CHECK(SysStringLen(b) == 5 && wcscmp(b, L"12345") == 0);
    CHECK(SysReAllocStringLen(&b, NULL, 8) == TRUE); /* grow, keeping the characters */
    CHECK(SysStringLen(b) == 8 && wmemcmp(b, L"12345", 5) == 0 && b[8] == 0);
    CHECK(SysReAllocStringLen(&b, NULL, 2) == TRUE);
    CHECK(SysStringLen(b) == 2 && wcscmp(b, L"12") == 0);
    CHECK(SysReAllocStringLen(&b, b + 1, 1) == TRUE);
    CHECK(wcscmp(b, L"2") == 0);
    SysFreeString(b);
}

static void task_memory(void)
{
    char *p = (char *)CoTaskMemAlloc(16);
    CHECK(p != NULL);
    memcpy(p, "0123456789abcdef", 16);
    p = (char *)CoTaskMemRealloc(p, 64);
    CHECK(p != NULL && memcmp(p, "0123456789abcdef", 16) == 0);
    CHECK(CoTaskMemRealloc(p, 0) == NULL); /* frees */
    p = (char *)CoTaskMemRealloc(NULL, 8);
    CHECK(p != NULL);
    CoTaskMemFree(p);
    CoTaskMemFree(NULL);
    /* Same heap as the C library: free() releases CoTaskMemAlloc memory. */
    free(CoTaskMemAlloc(4));
}

static void variant_copy_clear(void)
{
    VARIANT src, dst;
    LONG target = 5;
    BSTR bytes;
    VariantInit(&src);
    VariantInit(&dst);
    CHECK(V_VT(&src) == VT_EMPTY);

    V_VT(&src) = VT_BSTR;
    V_BSTR(&src) = SysAllocString(L"text");
    CHECK(VariantCopy(&dst, &src) == S_OK);
    CHECK(V_VT(&dst) == VT_BSTR && V_BSTR(&dst) != V_BSTR(&src));
    CHECK(wcscmp(V_BSTR(&dst), L"text") == 0);
    CHECK(VariantClear(&src) == S_OK && V_VT(&src) == VT_EMPTY);
    CHECK(wcscmp(V_BSTR(&dst), L"text") == 0); /* the copy owns its own string */

    /* A copy keeps the byte length of a byte-length BSTR. */
    bytes = SysAllocStringByteLen("abcde", 5);
    V_VT(&src) = VT_BSTR;
    V_BSTR(&src) = bytes;
    CHECK(VariantCopy(&dst, &src) == S_OK); /* clears (frees) dst's old string first */
    CHECK(SysStringByteLen(V_BSTR(&dst)) == 5 && memcmp(V_BSTR(&dst), "abcde", 5) == 0);
    CHECK(VariantCopy(&dst, &dst) == S_OK);
    VariantClear(&src);
    VariantClear(&dst);

    /* VT_BYREF copies the pointer and owns nothing. */
    V_VT(&src) = VT_BYREF | VT_I4;
    V_I4REF(&src) = &target;
    CHECK(VariantCopy(&dst, &src) == S_OK && V_I4REF(&dst) == &target);
    CHECK(VariantCopyInd(&dst, &src) == S_OK && V_VT(&dst) == VT_I4 && V_I4(&dst) == 5);
    CHECK(VariantClear(&src) == S_OK && target == 5);

    /* A NULL BSTR is an empty string and copies as NULL. */
    V_VT(&src) = VT_BSTR;
    V_BSTR(&src) = NULL;
    CHECK(VariantCopy(&dst, &src) == S_OK && V_VT(&dst) == VT_BSTR && V_BSTR(&dst) == NULL);
    VariantClear(&dst);

    /* Types that cannot be in a VARIANT. */
    V_VT(&src) = 15;
    CHECK(VariantClear(&src) == DISP_E_BADVARTYPE);
    CHECK(VariantCopy(&dst, &src) == DISP_E_BADVARTYPE);
    V_VT(&src) = VT_VARIANT;
    CHECK(VariantClear(&src) == DISP_E_BADVARTYPE);
    CHECK(VariantClear(NULL) == E_INVALIDARG);
}

/* A minimal C COM object for the ownership checks. */
typedef struct Counted {
    IUnknown unk;
    ULONG refs;
} Counted;

static HRESULT STDMETHODCALLTYPE counted_qi(IUnknown *This, const IID *riid, void **ppv)
{
    if (IsEqualIID(riid, &IID_IUnknown)) {
        *ppv = This;
        This->lpVtbl->AddRef(This);
        return S_OK;
    }
    *ppv = NULL;
    return E_NOINTERFACE;
}

static ULONG STDMETHODCALLTYPE counted_addref(IUnknown *This)
{
    return ++((Counted *)This)->refs;
}

static ULONG STDMETHODCALLTYPE counted_release(IUnknown *This)
{
    return --((Counted *)This)->refs;
}

static const IUnknownVtbl counted_vtbl = { counted_qi, counted_addref, counted_release };

static void variant_interfaces(void)
{
    Counted obj = { { &counted_vtbl }, 1 };
    VARIANT a, b;
    VariantInit(&a);
    VariantInit(&b);
    V_VT(&a) = VT_UNKNOWN;
    V_UNKNOWN(&a) = &obj.unk;
    obj.refs++; /* the VARIANT's reference */
    CHECK(VariantCopy(&b, &a) == S_OK && obj.refs == 3);
    CHECK(VariantChangeType(&b, &a, 0, VT_DISPATCH) == DISP_E_TYPEMISMATCH); /* no IDispatch */
    CHECK(V_VT(&b) == VT_UNKNOWN && obj.refs == 3); /* failure leaves the destination alone */
    CHECK(VariantChangeType(&b, &a, 0, VT_UNKNOWN) == S_OK && obj.refs == 3);
    CHECK(VariantClear(&b) == S_OK && obj.refs == 2);
    CHECK(VariantClear(&a) == S_OK && obj.refs == 1);
}

/* Converts src to vt; returns the HRESULT and leaves the result in out. */
static HRESULT convert(VARIANT *out, const VARIANT *src, USHORT flags, VARTYPE vt)
{
    VariantClear(out);
    return VariantChangeType(out, src, flags, vt);
}

static VARIANT str(const OLECHAR *s)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BSTR;
    V_BSTR(&v) = SysAllocString(s);
    return v;
}

static VARIANT i4(LONG n)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = n;
    return v;
}

static VARIANT r8(double d)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_R8;
    V_R8(&v) = d;
    return v;
}

static VARIANT boolean(VARIANT_BOOL b)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_BOOL;
    V_BOOL(&v) = b;
    return v;
}

static int bstr_is(const VARIANT *v, const OLECHAR *s)
{
    return V_VT(v) == VT_BSTR && V_BSTR(v) != NULL && wcscmp(V_BSTR(v), s) == 0 &&
           SysStringLen(V_BSTR(v)) == wcslen(s);
}

static void change_type(void)
{
    VARIANT out, v;
    VariantInit(&out);

    CHECK(DISP_E_TYPEMISMATCH == (HRESULT)0x80020005);
    CHECK(DISP_E_OVERFLOW == (HRESULT)0x8002000A);
    CHECK(DISP_E_BADVARTYPE == (HRESULT)0x80020008);

    /* Integers to text and back. */
    v = i4(42);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"42"));
    v = i4(-7);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"-7"));
    v = str(L" 123 ");
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_VT(&out) == VT_I4 && V_I4(&out) == 123);
    CHECK(convert(&out, &v, 0, VT_I2) == S_OK && V_VT(&out) == VT_I2 && V_I2(&out) == 123);
    CHECK(convert(&out, &v, 0, VT_UI4) == S_OK && V_UI4(&out) == 123);
    CHECK(convert(&out, &v, 0, VT_I8) == S_OK && V_I8(&out) == 123);
    CHECK(convert(&out, &v, 0, VT_R8) == S_OK && V_R8(&out) == 123.0);
    VariantClear(&v);
    v = str(L"abc");
    CHECK(convert(&out, &v, 0, VT_I4) == DISP_E_TYPEMISMATCH);
    VariantClear(&v);
    v = str(L"");
    CHECK(convert(&out, &v, 0, VT_I4) == DISP_E_TYPEMISMATCH);
    VariantClear(&v);
    v = str(L"99999999999");
    CHECK(convert(&out, &v, 0, VT_I4) == DISP_E_OVERFLOW);
    CHECK(convert(&out, &v, 0, VT_I8) == S_OK && V_I8(&out) == 99999999999LL);
    VariantClear(&v);
    v = str(L"4000000000");
    CHECK(convert(&out, &v, 0, VT_UI4) == S_OK && V_UI4(&out) == 4000000000u);
    CHECK(convert(&out, &v, 0, VT_I4) == DISP_E_OVERFLOW);
    VariantClear(&v);
    v = str(L"18446744073709551615");
    CHECK(convert(&out, &v, 0, VT_UI8) == S_OK && V_UI8(&out) == 18446744073709551615ULL);
    CHECK(convert(&out, &v, 0, VT_I8) == DISP_E_OVERFLOW);
    VariantClear(&v);
    v = str(L"-9223372036854775808");
    CHECK(convert(&out, &v, 0, VT_I8) == S_OK && V_I8(&out) == -9223372036854775807LL - 1);
    CHECK(convert(&out, &v, 0, VT_UI8) == DISP_E_OVERFLOW);
    VariantClear(&v);
    V_VT(&v) = VT_I8;
    V_I8(&v) = -9223372036854775807LL - 1;
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"-9223372036854775808"));
    V_VT(&v) = VT_UI4;
    V_UI4(&v) = 4000000000u;
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"4000000000"));

    /* Reals: banker's rounding to integers, 15 significant digits to text. */
    v = str(L"2.5");
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == 2);
    VariantClear(&v);
    v = str(L"3.5");
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == 4);
    VariantClear(&v);
    v = str(L"-2.5");
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == -2);
    VariantClear(&v);
    v = str(L"1.5e2");
    CHECK(convert(&out, &v, 0, VT_R8) == S_OK && V_R8(&out) == 150.0);
    VariantClear(&v);
    v = r8(2.6);
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == 3);
    v = r8(0.1);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"0.1"));
    v = r8(1e20);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"1E+20"));
    v = r8(-1.25);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"-1.25"));
    v = r8(1e10);
    CHECK(convert(&out, &v, 0, VT_I4) == DISP_E_OVERFLOW);
    v = r8(1e300);
    CHECK(convert(&out, &v, 0, VT_R4) == DISP_E_OVERFLOW);

    /* Booleans: VT_I2 -1/0 as numbers; "True"/"False" only with VARIANT_ALPHABOOL. */
    v = boolean(VARIANT_TRUE);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"-1"));
    CHECK(convert(&out, &v, VARIANT_ALPHABOOL, VT_BSTR) == S_OK && bstr_is(&out, L"True"));
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == -1);
    CHECK(convert(&out, &v, 0, VT_I8) == S_OK && V_I8(&out) == -1);
    CHECK(convert(&out, &v, 0, VT_R8) == S_OK && V_R8(&out) == -1.0);
    CHECK(convert(&out, &v, 0, VT_UI4) == DISP_E_OVERFLOW);
    v = boolean(VARIANT_FALSE);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L"0"));
    CHECK(convert(&out, &v, VARIANT_ALPHABOOL, VT_BSTR) == S_OK && bstr_is(&out, L"False"));
    CHECK(convert(&out, &v, 0, VT_UI4) == S_OK && V_UI4(&out) == 0);
    v = i4(7);
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_VT(&out) == VT_BOOL && V_BOOL(&out) == VARIANT_TRUE);
    v = i4(0);
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_BOOL(&out) == VARIANT_FALSE);
    v = r8(0.5);
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_BOOL(&out) == VARIANT_TRUE);
    v = str(L"True");
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_BOOL(&out) == VARIANT_TRUE);
    VariantClear(&v);
    v = str(L" false ");
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_BOOL(&out) == VARIANT_FALSE);
    VariantClear(&v);
    v = str(L"5");
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_BOOL(&out) == VARIANT_TRUE);
    VariantClear(&v);
    v = str(L"yes");
    CHECK(convert(&out, &v, 0, VT_BOOL) == DISP_E_TYPEMISMATCH);
    VariantClear(&v);

    /* Narrow integer ranges. */
    v = i4(-1);
    CHECK(convert(&out, &v, 0, VT_UI4) == DISP_E_OVERFLOW);
    v = i4(300);
    CHECK(convert(&out, &v, 0, VT_UI1) == DISP_E_OVERFLOW);
    CHECK(convert(&out, &v, 0, VT_I2) == S_OK && V_I2(&out) == 300);
    v = i4(70000);
    CHECK(convert(&out, &v, 0, VT_I2) == DISP_E_OVERFLOW);
    v = i4(-128);
    CHECK(convert(&out, &v, 0, VT_I1) == S_OK && V_I1(&out) == -128);
    v = i4(255);
    CHECK(convert(&out, &v, 0, VT_UI1) == S_OK && V_UI1(&out) == 255);

    /* VT_EMPTY is 0 or ""; VT_NULL converts to nothing. */
    VariantInit(&v);
    CHECK(convert(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == 0);
    CHECK(convert(&out, &v, 0, VT_BOOL) == S_OK && V_BOOL(&out) == VARIANT_FALSE);
    CHECK(convert(&out, &v, 0, VT_BSTR) == S_OK && bstr_is(&out, L""));
    V_VT(&v) = VT_NULL;
    CHECK(convert(&out, &v, 0, VT_I4) == DISP_E_TYPEMISMATCH);
    CHECK(convert(&out, &v, 0, VT_BSTR) == DISP_E_TYPEMISMATCH);

    /* Not convertible here, and not a type at all. */
    v = i4(1);
    CHECK(convert(&out, &v, 0, VT_UNKNOWN) == DISP_E_TYPEMISMATCH);
    CHECK(convert(&out, &v, 0, (VARTYPE)15) == DISP_E_BADVARTYPE);
    CHECK(convert(&out, &v, 0, VT_VECTOR | VT_I4) == DISP_E_BADVARTYPE);

    /* In place, and a failure leaves the destination as it was. */
    v = str(L"12");
    CHECK(VariantChangeType(&v, &v, 0, VT_I4) == S_OK && V_VT(&v) == VT_I4 && V_I4(&v) == 12);
    CHECK(VariantChangeType(&v, &v, 0, VT_BSTR) == S_OK && bstr_is(&v, L"12"));
    VariantClear(&v);
    VariantClear(&out);
    out = i4(5);
    v = str(L"nope");
    CHECK(VariantChangeType(&out, &v, 0, VT_I4) == DISP_E_TYPEMISMATCH);
    CHECK(V_VT(&out) == VT_I4 && V_I4(&out) == 5);
    VariantClear(&v);

    /* A VT_BYREF source converts as its value. */
    {
        BSTR s = SysAllocString(L"77");
        V_VT(&v) = VT_BYREF | VT_BSTR;
        V_BSTRREF(&v) = &s;
        CHECK(VariantChangeType(&out, &v, 0, VT_I4) == S_OK && V_I4(&out) == 77);
        CHECK(VariantChangeTypeEx(&out, &v, 0x0409, 0, VT_BSTR) == S_OK && bstr_is(&out, L"77"));
        CHECK(V_BSTR(&out) != s);
        SysFreeString(s);
    }
    VariantClear(&out);
}

static void accessors(void)
{
    VARIANT v;
    VariantInit(&v);
    V_VT(&v) = VT_I4;
    V_I4(&v) = 0x01020304;
    CHECK(v.vt == VT_I4 && v.lVal == 0x01020304);
    CHECK(V_UI4(&v) == 0x01020304u);
    V_I8(&v) = -2;
    CHECK(v.llVal == -2);
    V_R8(&v) = 1.5;
    CHECK(v.dblVal == 1.5);
    V_BOOL(&v) = VARIANT_TRUE;
    CHECK(v.boolVal == -1);
    V_UNKNOWN(&v) = NULL;
    CHECK(V_DISPATCH(&v) == NULL);
    CHECK(!V_ISBYREF(&v) && !V_ISARRAY(&v));
    VariantInit(&v);
}

static void com_runtime(void)
{
    void *pv = &pv;
    CHECK(CoInitialize(NULL) == S_OK);
    CHECK(CoInitializeEx(NULL, COINIT_MULTITHREADED) == S_OK);
    CHECK(CoCreateInstance(&GUID_NULL, NULL, CLSCTX_ALL, &IID_IUnknown, &pv) == REGDB_E_CLASSNOTREG);
    CHECK(pv == NULL);
    CHECK(REGDB_E_CLASSNOTREG == (HRESULT)0x80040154);
    CoUninitialize();
    CoUninitialize();
}

int main(void)
{
    bstr_basics();
    bstr_lengths();
    bstr_realloc();
    task_memory();
    variant_copy_clear();
    variant_interfaces();
    change_type();
    accessors();
    com_runtime();
    return check_finish();
}
