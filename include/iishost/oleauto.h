/*
 * iishost/oleauto.h - the OLE automation and COM functions that IIS module
 * sources call: BSTR allocation (SysAllocString, ...), VARIANT handling
 * (VariantInit, VariantClear, VariantCopy, VariantChangeType) with the V_*
 * accessors, task memory (CoTaskMemAlloc, ...), GUID text and generation
 * (StringFromGUID2, CLSIDFromString, CoCreateGuid), and CoInitialize,
 * CoUninitialize and CoCreateInstance.
 *
 * Everything is a static inline function: a module links no library of
 * ours, so each module carries its own copy. Copies made by different
 * modules and by the host still work together because every allocation
 * goes through the one C library of the process (malloc/free), and the
 * BSTR block layout below is fixed.
 *
 * Included by windows.h after oaidl.h.
 */
#ifndef IISHOST_OLEAUTO_H
#define IISHOST_OLEAUTO_H

#include <errno.h>
#include <stddef.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#if defined(__has_include)
#if __has_include(<sys/random.h>)
#include <sys/random.h>
#define IISHOST_HAVE_GETRANDOM 1
#endif
#endif

#include "wintypes.h"
#include "winerror.h"
#include "guid.h"
#include "host_services.h"
#include "../wtypes.h"
#include "../oaidl.h"

/* C passes GUIDs by pointer, C++ by reference (see REFGUID): the address either way. */
#ifdef __cplusplus
#define IISHOST_REF_ADDR(r) (&(r))
#else
#define IISHOST_REF_ADDR(r) (r)
#endif

#ifndef OLESTR
#define OLESTR(str) L##str
#endif


#ifndef IISHOST_LPUNKNOWN_DEFINED
#define IISHOST_LPUNKNOWN_DEFINED
typedef struct IUnknown *LPUNKNOWN;
#endif

/* ------------------------------------------------------------------------
 * IUnknown calls that read the same in C and C++ (C goes through lpVtbl).
 * Every COM interface starts with IUnknown's three slots, so an IDispatch
 * pointer is also an IUnknown pointer.
 */
static inline ULONG iishost_ole_addref(struct IUnknown *p)
{
#ifdef __cplusplus
    return p->AddRef();
#else
    return p->lpVtbl->AddRef(p);
#endif
}

static inline ULONG iishost_ole_release(struct IUnknown *p)
{
#ifdef __cplusplus
    return p->Release();
#else
    return p->lpVtbl->Release(p);
#endif
}

static inline HRESULT iishost_ole_query(struct IUnknown *p, const IID *iid, void **out)
{
#ifdef __cplusplus
    return p->QueryInterface(*iid, out);
#else
    return p->lpVtbl->QueryInterface(p, iid, out);
#endif
}

/* ------------------------------------------------------------------------
 * GUID constants. IID_NULL and CLSID_NULL are GUID_NULL under other names,
 * as in the SDK.
 */
DEFINE_GUID(GUID_NULL, 0x00000000, 0x0000, 0x0000, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
#define IID_NULL GUID_NULL
#define CLSID_NULL GUID_NULL
#define FMTID_NULL GUID_NULL

/* ------------------------------------------------------------------------
 * Task memory: plain malloc/realloc/free, so memory that one module
 * allocates another module or the host can free.
 */
static inline LPVOID CoTaskMemAlloc(SIZE_T cb)
{
    return malloc(cb);
}

/* cb == 0 with a block frees it and returns NULL, as documented (realloc(p, 0) need not). */
static inline LPVOID CoTaskMemRealloc(LPVOID pv, SIZE_T cb)
{
    if (cb == 0 && pv != NULL) {
        free(pv);
        return NULL;
    }
    return realloc(pv, cb);
}

static inline void CoTaskMemFree(LPVOID pv)
{
    free(pv);
}

/* ------------------------------------------------------------------------
 * BSTR.
 *
 * OLECHAR is wchar_t, 4 bytes on Linux. The 32-bit prefix just before the
 * first character holds the length in BYTES (characters * 4), the
 * terminator excluded, and a whole OLECHAR of zero follows the data. A NULL
 * BSTR is an empty string.
 *
 * Block layout, shared by every module and the host (all of them must
 * allocate and free BSTRs only through these functions or this layout):
 *   malloc'd block: [4 unused bytes][UINT byte length][data][4 zero bytes]
 *   BSTR = block + IISHOST_BSTR_HEADER
 * The 8-byte header keeps the data 8-byte aligned, as on 64-bit Windows.
 */
#define IISHOST_BSTR_HEADER 8
/* Largest byte length whose block size still fits the 32-bit prefix. */
#define IISHOST_BSTR_MAX_BYTES (0xFFFFFFFFu - 64u)

static inline BSTR iishost_bstr_alloc_bytes(UINT cb)
{
    unsigned char *block;
    UINT len = cb;
    if (cb > IISHOST_BSTR_MAX_BYTES)
        return NULL;
    block = (unsigned char *)malloc((size_t)IISHOST_BSTR_HEADER + cb + sizeof(OLECHAR));
    if (block == NULL)
        return NULL;
    memset(block, 0, IISHOST_BSTR_HEADER - sizeof(UINT));
    memcpy(block + IISHOST_BSTR_HEADER - sizeof(UINT), &len, sizeof(UINT));
    memset(block + IISHOST_BSTR_HEADER + cb, 0, sizeof(OLECHAR));
    return (BSTR)(void *)(block + IISHOST_BSTR_HEADER);
}

static inline UINT SysStringByteLen(BSTR bstr)
{
    UINT len;
    if (bstr == NULL)
        return 0;
    memcpy(&len, (const unsigned char *)bstr - sizeof(UINT), sizeof(UINT));
    return len;
}

static inline UINT SysStringLen(BSTR pbstr)
{
    return SysStringByteLen(pbstr) / (UINT)sizeof(OLECHAR);
}

static inline void SysFreeString(BSTR bstrString)
{
    if (bstrString != NULL)
        free((unsigned char *)bstrString - IISHOST_BSTR_HEADER);
}

/* `ui` characters, copied from strIn when it is not NULL (zeroed otherwise:
 * the documentation leaves them uninitialized). */
static inline BSTR SysAllocStringLen(const OLECHAR *strIn, UINT ui)
{
    BSTR b;
    if (ui > IISHOST_BSTR_MAX_BYTES / sizeof(OLECHAR))
        return NULL;
    b = iishost_bstr_alloc_bytes(ui * (UINT)sizeof(OLECHAR));
    if (b == NULL)
        return NULL;
    if (strIn != NULL)
        memcpy(b, strIn, (size_t)ui * sizeof(OLECHAR));
    else
        memset(b, 0, (size_t)ui * sizeof(OLECHAR));
    return b;
}

/* NULL in, NULL out; otherwise a copy up to the terminator. */
static inline BSTR SysAllocString(const OLECHAR *psz)
{
    size_t n;
    if (psz == NULL)
        return NULL;
    n = wcslen(psz);
    if (n > IISHOST_BSTR_MAX_BYTES / sizeof(OLECHAR))
        return NULL;
    return SysAllocStringLen(psz, (UINT)n);
}

/* A BSTR of `len` bytes (any count, not only multiples of 4), copied from
 * psz when it is not NULL, then a zero OLECHAR. SysStringLen of the result
 * is len / 4, rounded down. */
static inline BSTR SysAllocStringByteLen(LPCSTR psz, UINT len)
{
    BSTR b = iishost_bstr_alloc_bytes(len);
    if (b == NULL)
        return NULL;
    if (psz != NULL)
        memcpy(b, psz, len);
    else
        memset(b, 0, len);
    return b;
}

/* Allocate first, then free: psz may point into *pbstr. A NULL psz leaves
 * *pbstr NULL (an empty string). FALSE (and *pbstr untouched) when out of
 * memory or pbstr is NULL. */
static inline INT SysReAllocString(BSTR *pbstr, const OLECHAR *psz)
{
    BSTR fresh = NULL;
    if (pbstr == NULL)
        return FALSE;
    if (psz != NULL) {
        fresh = SysAllocString(psz);
        if (fresh == NULL)
            return FALSE;
    }
    SysFreeString(*pbstr);
    *pbstr = fresh;
    return TRUE;
}

/* With psz NULL the documentation leaves the characters uninitialized;
 * here they keep the old string's characters (as far as it reaches, zero
 * beyond), which is what code that grows a BSTR this way expects. */
static inline INT SysReAllocStringLen(BSTR *pbstr, const OLECHAR *psz, unsigned int len)
{
    BSTR fresh;
    if (pbstr == NULL)
        return FALSE;
    fresh = SysAllocStringLen(psz, len);
    if (fresh == NULL)
        return FALSE;
    if (psz == NULL && *pbstr != NULL) {
        UINT keep = SysStringLen(*pbstr);
        memcpy(fresh, *pbstr, (size_t)(keep < len ? keep : len) * sizeof(OLECHAR));
    }
    SysFreeString(*pbstr);
    *pbstr = fresh;
    return TRUE;
}

/* ------------------------------------------------------------------------
 * UTF-8 <-> OLECHAR. The narrow side of every conversion here (_bstr_t,
 * _variant_t, number parsing) is UTF-8, whatever the C locale says: that is
 * what Linux text is. Malformed input becomes U+FFFD instead of failing.
 */

/* Decodes n bytes of s; writes the characters to out when out is not NULL.
 * Returns the number of characters. */
static inline size_t iishost_ole_utf8_decode(const char *s, size_t n, OLECHAR *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, count = 0;
    while (i < n) {
        unsigned long c = p[i];
        size_t extra = 0, k;
        unsigned long min = 0;
        if (c < 0x80) {
            extra = 0;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1, c &= 0x1F, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2, c &= 0x0F, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3, c &= 0x07, min = 0x10000;
        } else {
            c = 0xFFFD; /* a stray continuation byte or an impossible lead byte */
        }
        for (k = 1; k <= extra; k++) {
            if (i + k >= n || (p[i + k] & 0xC0) != 0x80)
                break;
            c = (c << 6) | (p[i + k] & 0x3F);
        }
        if (k <= extra) {
            c = 0xFFFD; /* truncated: resume at the byte that broke the sequence */
            i += k;
        } else {
            if (extra > 0 && (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)))
                c = 0xFFFD; /* overlong, beyond Unicode, or a surrogate */
            i += extra + 1;
        }
        if (out != NULL)
            out[count] = (OLECHAR)c;
        count++;
    }
    return count;
}

/* Encodes n characters of s; writes the bytes to out when out is not NULL.
 * Returns the number of bytes. */
static inline size_t iishost_ole_utf8_encode(const OLECHAR *s, size_t n, char *out)
{
    size_t i, len = 0;
    for (i = 0; i < n; i++) {
        unsigned long c = (unsigned long)(uint32_t)s[i];
        unsigned char buf[4];
        size_t k, m;
        if (c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
            c = 0xFFFD;
        if (c < 0x80) {
            buf[0] = (unsigned char)c;
            m = 1;
        } else if (c < 0x800) {
            buf[0] = (unsigned char)(0xC0 | (c >> 6));
            buf[1] = (unsigned char)(0x80 | (c & 0x3F));
            m = 2;
        } else if (c < 0x10000) {
            buf[0] = (unsigned char)(0xE0 | (c >> 12));
            buf[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            buf[2] = (unsigned char)(0x80 | (c & 0x3F));
            m = 3;
        } else {
            buf[0] = (unsigned char)(0xF0 | (c >> 18));
            buf[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
            buf[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
            buf[3] = (unsigned char)(0x80 | (c & 0x3F));
            m = 4;
        }
        if (out != NULL)
            for (k = 0; k < m; k++)
                out[len + k] = (char)buf[k];
        len += m;
    }
    return len;
}

/* A BSTR holding the UTF-8 string s; NULL for NULL (or when out of memory). */
static inline BSTR iishost_ole_bstr_from_utf8(const char *s)
{
    size_t n, chars;
    BSTR b;
    if (s == NULL)
        return NULL;
    n = strlen(s);
    chars = iishost_ole_utf8_decode(s, n, NULL);
    if (chars > IISHOST_BSTR_MAX_BYTES / sizeof(OLECHAR))
        return NULL;
    b = SysAllocStringLen(NULL, (UINT)chars);
    if (b != NULL)
        iishost_ole_utf8_decode(s, n, b);
    return b;
}

/* ------------------------------------------------------------------------
 * GUIDs as text: "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", 38 characters.
 */
#define IISHOST_GUID_STRING_CHARS 39 /* with the terminator */

static inline void iishost_guid_format(const GUID *g, OLECHAR *out)
{
    static const char hex[] = "0123456789ABCDEF";
    unsigned char bytes[16];
    /* Data1-3 print as numbers (most significant digit first), Data4 byte by byte. */
    const int dash_after[16] = { 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0 };
    int i, o = 0;
    bytes[0] = (unsigned char)(g->Data1 >> 24);
    bytes[1] = (unsigned char)(g->Data1 >> 16);
    bytes[2] = (unsigned char)(g->Data1 >> 8);
    bytes[3] = (unsigned char)g->Data1;
    bytes[4] = (unsigned char)(g->Data2 >> 8);
    bytes[5] = (unsigned char)g->Data2;
    bytes[6] = (unsigned char)(g->Data3 >> 8);
    bytes[7] = (unsigned char)g->Data3;
    memcpy(bytes + 8, g->Data4, 8);
    out[o++] = L'{';
    for (i = 0; i < 16; i++) {
        out[o++] = (OLECHAR)hex[bytes[i] >> 4];
        out[o++] = (OLECHAR)hex[bytes[i] & 0xF];
        if (dash_after[i])
            out[o++] = L'-';
    }
    out[o++] = L'}';
    out[o] = 0;
}

/* Characters written, terminator included (39), or 0 when cchMax is too small. */
static inline int StringFromGUID2(REFGUID rguid, LPOLESTR lpsz, int cchMax)
{
    if (lpsz == NULL || cchMax < IISHOST_GUID_STRING_CHARS)
        return 0;
    iishost_guid_format(IISHOST_REF_ADDR(rguid), lpsz);
    return IISHOST_GUID_STRING_CHARS;
}

/* The string comes from CoTaskMemAlloc; free it with CoTaskMemFree. */
static inline HRESULT StringFromCLSID(REFCLSID rclsid, LPOLESTR *lplpsz)
{
    OLECHAR *s;
    if (lplpsz == NULL)
        return E_INVALIDARG;
    s = (OLECHAR *)CoTaskMemAlloc(IISHOST_GUID_STRING_CHARS * sizeof(OLECHAR));
    *lplpsz = s;
    if (s == NULL)
        return E_OUTOFMEMORY;
    iishost_guid_format(IISHOST_REF_ADDR(rclsid), s);
    return S_OK;
}

static inline HRESULT StringFromIID(REFIID rclsid, LPOLESTR *lplpsz)
{
    return StringFromCLSID(rclsid, lplpsz);
}

static inline int iishost_hex_digit(OLECHAR c)
{
    if (c >= L'0' && c <= L'9')
        return (int)(c - L'0');
    if (c >= L'a' && c <= L'f')
        return (int)(c - L'a') + 10;
    if (c >= L'A' && c <= L'F')
        return (int)(c - L'A') + 10;
    return -1;
}

/* Parses exactly the braced form (either case of hex digits). Nonzero on success. */
static inline int iishost_guid_parse(LPCOLESTR s, GUID *g)
{
    unsigned char bytes[16];
    int i, pos = 1;
    if (s[0] != L'{')
        return 0;
    for (i = 0; i < 16; i++) {
        int hi, lo;
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            if (s[pos] != L'-')
                return 0;
            pos++;
        }
        hi = iishost_hex_digit(s[pos]);
        lo = hi < 0 ? -1 : iishost_hex_digit(s[pos + 1]);
        if (lo < 0)
            return 0;
        bytes[i] = (unsigned char)(hi << 4 | lo);
        pos += 2;
    }
    if (s[pos] != L'}' || s[pos + 1] != 0)
        return 0;
    g->Data1 = (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | bytes[3];
    g->Data2 = (uint16_t)(bytes[4] << 8 | bytes[5]);
    g->Data3 = (uint16_t)(bytes[6] << 8 | bytes[7]);
    memcpy(g->Data4, bytes + 8, 8);
    return 1;
}

/* NULL gives CLSID_NULL. There is no registry here, so a ProgID (anything
 * not in braces) is CO_E_CLASSSTRING, like any other malformed string. */
static inline HRESULT CLSIDFromString(LPCOLESTR lpsz, LPCLSID pclsid)
{
    if (pclsid == NULL)
        return E_INVALIDARG;
    memset(pclsid, 0, sizeof(*pclsid));
    if (lpsz == NULL)
        return S_OK;
    return iishost_guid_parse(lpsz, pclsid) ? S_OK : CO_E_CLASSSTRING;
}

/* As CLSIDFromString; a malformed string is E_INVALIDARG, as IIDFromString documents. */
static inline HRESULT IIDFromString(LPCOLESTR lpsz, LPIID lpiid)
{
    if (lpiid == NULL)
        return E_INVALIDARG;
    memset(lpiid, 0, sizeof(*lpiid));
    if (lpsz == NULL)
        return S_OK;
    return iishost_guid_parse(lpsz, lpiid) ? S_OK : E_INVALIDARG;
}

/* Fills buf with n bytes from the kernel's random source. Nonzero on success. */
static inline int iishost_random_bytes(void *buf, size_t n)
{
    unsigned char *p = (unsigned char *)buf;
    size_t got = 0;
    FILE *f;
#ifdef IISHOST_HAVE_GETRANDOM
    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r > 0)
            got += (size_t)r;
        else if (r < 0 && errno != EINTR)
            break; /* ENOSYS on kernels before 3.17: fall back to the device */
    }
    if (got == n)
        return 1;
#endif
    f = fopen("/dev/urandom", "rb");
    if (f == NULL)
        return 0;
    got = fread(p, 1, n, f);
    fclose(f);
    return got == n;
}

/* A random (version 4, RFC 4122 variant) GUID. */
static inline HRESULT CoCreateGuid(GUID *pguid)
{
    unsigned char bytes[16];
    if (pguid == NULL)
        return E_INVALIDARG;
    if (!iishost_random_bytes(bytes, sizeof(bytes)))
        return E_FAIL;
    memcpy(pguid, bytes, sizeof(*pguid));
    pguid->Data3 = (uint16_t)((pguid->Data3 & 0x0FFF) | 0x4000);
    pguid->Data4[0] = (uint8_t)((pguid->Data4[0] & 0x3F) | 0x80);
    return S_OK;
}

/* ------------------------------------------------------------------------
 * COM runtime.
 */
typedef enum tagCOINIT {
    COINIT_MULTITHREADED = 0x0,
    COINIT_APARTMENTTHREADED = 0x2,
    COINIT_DISABLE_OLE1DDE = 0x4,
    COINIT_SPEED_OVER_MEMORY = 0x8
} COINIT;

typedef enum tagCLSCTX {
    CLSCTX_INPROC_SERVER = 0x1,
    CLSCTX_INPROC_HANDLER = 0x2,
    CLSCTX_LOCAL_SERVER = 0x4,
    CLSCTX_REMOTE_SERVER = 0x10
} CLSCTX;
#define CLSCTX_INPROC (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER)
#define CLSCTX_SERVER (CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)
#define CLSCTX_ALL (CLSCTX_INPROC_SERVER | CLSCTX_INPROC_HANDLER | CLSCTX_LOCAL_SERVER | CLSCTX_REMOTE_SERVER)

/*
 * CoInitialize/CoInitializeEx/CoUninitialize really have nothing to do
 * here, and S_OK is their true result, not a placeholder: COM on Windows
 * needs them to set up the calling thread's apartment, but this host has
 * no apartments, marshalling or class registry. Every object a module gets
 * (from the host or from CoCreateInstance) is free-threaded and called
 * directly on any thread, which is what COINIT_MULTITHREADED promises. So
 * every thread counts as initialized, in any mode: there is no
 * RPC_E_CHANGED_MODE and no S_FALSE for a second call, and the paired
 * CoUninitialize has nothing to undo.
 */
static inline HRESULT CoInitializeEx(LPVOID pvReserved, DWORD dwCoInit)
{
    (void)pvReserved;
    (void)dwCoInit;
    return S_OK;
}

static inline HRESULT CoInitialize(LPVOID pvReserved)
{
    return CoInitializeEx(pvReserved, COINIT_APARTMENTTHREADED);
}

static inline void CoUninitialize(void)
{
}

/*
 * The host registers its classes, CLSID_AppHostAdminManager (configuration
 * reading), through the services table it installs in the module
 * (host_services.h); the object comes back with one reference, which the
 * caller releases. Without a host (or for any other class) the answer is
 * REGDB_E_CLASSNOTREG, Windows's for an unknown class. Aggregation is not
 * supported: CLASS_E_NOAGGREGATION, as for any class that does not offer it.
 */
static inline HRESULT CoCreateInstance(REFCLSID rclsid, LPUNKNOWN pUnkOuter, DWORD dwClsContext,
                                       REFIID riid, LPVOID *ppv)
{
    const iishost_services_t *s = iishost_services;
    (void)dwClsContext;
    if (ppv == NULL)
        return E_POINTER;
    *ppv = NULL;
    if (pUnkOuter != NULL)
        return CLASS_E_NOAGGREGATION;
    if (s == NULL || s->size < offsetof(iishost_services_t, create_instance) + sizeof(s->create_instance) ||
        s->create_instance == NULL)
        return REGDB_E_CLASSNOTREG;
#ifdef __cplusplus
    return s->create_instance(s, &rclsid, &riid, ppv);
#else
    return s->create_instance(s, rclsid, riid, ppv);
#endif
}

/* ------------------------------------------------------------------------
 * VARIANT accessors. The union members are nameless here, so V_UNION is a
 * plain member access.
 */
#define V_UNION(X, Y) ((X)->Y)
#define V_VT(X) ((X)->vt)
#define V_RECORDINFO(X) ((X)->pRecInfo)
#define V_RECORD(X) ((X)->pvRecord)
#define V_ISBYREF(X) (V_VT(X) & VT_BYREF)
#define V_ISARRAY(X) (V_VT(X) & VT_ARRAY)
#define V_ISVECTOR(X) (V_VT(X) & VT_VECTOR)
#define V_NONE(X) V_I2(X)
#define V_UI1(X) V_UNION(X, bVal)
#define V_UI1REF(X) V_UNION(X, pbVal)
#define V_I2(X) V_UNION(X, iVal)
#define V_I2REF(X) V_UNION(X, piVal)
#define V_I4(X) V_UNION(X, lVal)
#define V_I4REF(X) V_UNION(X, plVal)
#define V_I8(X) V_UNION(X, llVal)
#define V_I8REF(X) V_UNION(X, pllVal)
#define V_R4(X) V_UNION(X, fltVal)
#define V_R4REF(X) V_UNION(X, pfltVal)
#define V_R8(X) V_UNION(X, dblVal)
#define V_R8REF(X) V_UNION(X, pdblVal)
#define V_I1(X) V_UNION(X, cVal)
#define V_I1REF(X) V_UNION(X, pcVal)
#define V_UI2(X) V_UNION(X, uiVal)
#define V_UI2REF(X) V_UNION(X, puiVal)
#define V_UI4(X) V_UNION(X, ulVal)
#define V_UI4REF(X) V_UNION(X, pulVal)
#define V_UI8(X) V_UNION(X, ullVal)
#define V_UI8REF(X) V_UNION(X, pullVal)
#define V_INT(X) V_UNION(X, intVal)
#define V_INTREF(X) V_UNION(X, pintVal)
#define V_UINT(X) V_UNION(X, uintVal)
#define V_UINTREF(X) V_UNION(X, puintVal)
#define V_INT_PTR(X) V_I8(X)
#define V_UINT_PTR(X) V_UI8(X)
#define V_CY(X) V_UNION(X, cyVal)
#define V_CYREF(X) V_UNION(X, pcyVal)
#define V_DATE(X) V_UNION(X, date)
#define V_DATEREF(X) V_UNION(X, pdate)
#define V_BSTR(X) V_UNION(X, bstrVal)
#define V_BSTRREF(X) V_UNION(X, pbstrVal)
#define V_DISPATCH(X) V_UNION(X, pdispVal)
#define V_DISPATCHREF(X) V_UNION(X, ppdispVal)
#define V_ERROR(X) V_UNION(X, scode)
#define V_ERRORREF(X) V_UNION(X, pscode)
#define V_BOOL(X) V_UNION(X, boolVal)
#define V_BOOLREF(X) V_UNION(X, pboolVal)
#define V_UNKNOWN(X) V_UNION(X, punkVal)
#define V_UNKNOWNREF(X) V_UNION(X, ppunkVal)
#define V_VARIANTREF(X) V_UNION(X, pvarVal)
#define V_ARRAY(X) V_UNION(X, parray)
#define V_ARRAYREF(X) V_UNION(X, pparray)
#define V_BYREF(X) V_UNION(X, byref)
#define V_DECIMAL(X) ((X)->decVal)
#define V_DECIMALREF(X) V_UNION(X, pdecVal)

/* VariantChangeType(Ex) wFlags. */
#define VARIANT_NOVALUEPROP 0x01
#define VARIANT_ALPHABOOL 0x02
#define VARIANT_NOUSEROVERRIDE 0x04
#define VARIANT_CALENDAR_HIJRI 0x08
#define VARIANT_LOCALBOOL 0x10
#define VARIANT_CALENDAR_THAI 0x20
#define VARIANT_CALENDAR_GREGORIAN 0x40
#define VARIANT_USE_NLS 0x80

/* ------------------------------------------------------------------------
 * VARIANT functions.
 *
 * Not supported, because nothing here creates such values: SAFEARRAYs
 * (VT_ARRAY; there are no SafeArray* functions) and VT_RECORD (no
 * IRecordInfo). VariantClear and VariantCopy answer DISP_E_BADVARTYPE for
 * them and leave the VARIANT as it is.
 */

/* Zeroes the whole VARIANT (the SDK sets only vt), so copies of it are defined. */
static inline void VariantInit(VARIANTARG *pvarg)
{
    memset(pvarg, 0, sizeof(*pvarg));
}

/* Nonzero when vt may appear in a VARIANT and the functions here handle it. */
static inline int iishost_vt_supported(VARTYPE vt)
{
    VARTYPE base = (VARTYPE)(vt & VT_TYPEMASK);
    if ((vt & ~(VT_TYPEMASK | VT_BYREF)) != 0)
        return 0; /* VT_ARRAY, VT_VECTOR, VT_RESERVED */
    switch (base) {
    case VT_EMPTY:
    case VT_NULL:
        return !(vt & VT_BYREF);
    case VT_VARIANT:
        return (vt & VT_BYREF) != 0;
    case VT_I2: case VT_I4: case VT_R4: case VT_R8: case VT_CY: case VT_DATE:
    case VT_BSTR: case VT_DISPATCH: case VT_ERROR: case VT_BOOL: case VT_UNKNOWN:
    case VT_DECIMAL: case VT_I1: case VT_UI1: case VT_UI2: case VT_UI4: case VT_I8:
    case VT_UI8: case VT_INT: case VT_UINT:
        return 1;
    default:
        return 0;
    }
}

/* Frees what the VARIANT owns (BSTR; a Release for VT_UNKNOWN/VT_DISPATCH;
 * nothing behind VT_BYREF) and leaves it VT_EMPTY. */
static inline HRESULT VariantClear(VARIANTARG *pvarg)
{
    if (pvarg == NULL)
        return E_INVALIDARG;
    if (!iishost_vt_supported(pvarg->vt))
        return DISP_E_BADVARTYPE;
    switch (pvarg->vt) {
    case VT_BSTR:
        SysFreeString(pvarg->bstrVal);
        break;
    case VT_UNKNOWN:
    case VT_DISPATCH:
        if (pvarg->punkVal != NULL)
            iishost_ole_release(pvarg->punkVal);
        break;
    default:
        break;
    }
    VariantInit(pvarg);
    return S_OK;
}

/* Clears pvargDest, then copies: a new BSTR with the same bytes, an AddRef
 * for interfaces, the pointer itself for VT_BYREF. */
static inline HRESULT VariantCopy(VARIANTARG *pvargDest, const VARIANTARG *pvargSrc)
{
    VARIANT tmp;
    HRESULT hr;
    if (pvargDest == NULL || pvargSrc == NULL)
        return E_INVALIDARG;
    if (pvargDest == pvargSrc)
        return S_OK;
    if (!iishost_vt_supported(pvargSrc->vt))
        return DISP_E_BADVARTYPE;
    memcpy(&tmp, pvargSrc, sizeof(tmp));
    if (tmp.vt == VT_BSTR && tmp.bstrVal != NULL) {
        tmp.bstrVal = SysAllocStringByteLen((LPCSTR)(void *)pvargSrc->bstrVal,
                                            SysStringByteLen(pvargSrc->bstrVal));
        if (tmp.bstrVal == NULL)
            return E_OUTOFMEMORY;
    }
    hr = VariantClear(pvargDest);
    if (FAILED(hr)) {
        if (tmp.vt == VT_BSTR)
            SysFreeString(tmp.bstrVal);
        return hr;
    }
    if ((tmp.vt == VT_UNKNOWN || tmp.vt == VT_DISPATCH) && tmp.punkVal != NULL)
        iishost_ole_addref(tmp.punkVal);
    memcpy(pvargDest, &tmp, sizeof(tmp));
    return S_OK;
}

/* A borrowed by-value view of what a VT_BYREF VARIANT points at (one
 * level; VT_BYREF|VT_VARIANT must point at a by-value VARIANT). */
static inline HRESULT iishost_variant_deref(const VARIANT *src, VARIANT *view)
{
    VARTYPE base = (VARTYPE)(src->vt & VT_TYPEMASK);
    if (!(src->vt & VT_BYREF)) {
        memcpy(view, src, sizeof(*view));
        return S_OK;
    }
    if (src->byref == NULL)
        return E_INVALIDARG;
    VariantInit(view);
    switch (base) {
    case VT_VARIANT:
        if (src->pvarVal->vt & VT_BYREF)
            return E_INVALIDARG;
        memcpy(view, src->pvarVal, sizeof(*view));
        return S_OK;
    case VT_DECIMAL:
        view->decVal = *src->pdecVal; /* overlays vt, so vt is set after */
        break;
    case VT_I1: view->cVal = *src->pcVal; break;
    case VT_UI1: view->bVal = *src->pbVal; break;
    case VT_I2: view->iVal = *src->piVal; break;
    case VT_UI2: view->uiVal = *src->puiVal; break;
    case VT_I4: view->lVal = *src->plVal; break;
    case VT_UI4: view->ulVal = *src->pulVal; break;
    case VT_INT: view->intVal = *src->pintVal; break;
    case VT_UINT: view->uintVal = *src->puintVal; break;
    case VT_I8: view->llVal = *src->pllVal; break;
    case VT_UI8: view->ullVal = *src->pullVal; break;
    case VT_R4: view->fltVal = *src->pfltVal; break;
    case VT_R8: view->dblVal = *src->pdblVal; break;
    case VT_CY: view->cyVal = *src->pcyVal; break;
    case VT_DATE: view->date = *src->pdate; break;
    case VT_BOOL: view->boolVal = *src->pboolVal; break;
    case VT_ERROR: view->scode = *src->pscode; break;
    case VT_BSTR: view->bstrVal = *src->pbstrVal; break;
    case VT_UNKNOWN: view->punkVal = *src->ppunkVal; break;
    case VT_DISPATCH: view->pdispVal = *src->ppdispVal; break;
    default:
        return DISP_E_BADVARTYPE;
    }
    view->vt = base;
    return S_OK;
}

/* VariantCopy, except that a VT_BYREF source is copied as the value it
 * points at. pvargDest may be pvargSrc. */
static inline HRESULT VariantCopyInd(VARIANT *pvarDest, const VARIANTARG *pvargSrc)
{
    VARIANT view, tmp;
    HRESULT hr;
    if (pvarDest == NULL || pvargSrc == NULL)
        return E_INVALIDARG;
    if (!iishost_vt_supported(pvargSrc->vt))
        return DISP_E_BADVARTYPE;
    if (!(pvargSrc->vt & VT_BYREF))
        return VariantCopy(pvarDest, pvargSrc);
    hr = iishost_variant_deref(pvargSrc, &view);
    if (FAILED(hr))
        return hr;
    VariantInit(&tmp);
    hr = VariantCopy(&tmp, &view);
    if (FAILED(hr))
        return hr;
    hr = VariantClear(pvarDest);
    if (FAILED(hr)) {
        VariantClear(&tmp);
        return hr;
    }
    memcpy(pvarDest, &tmp, sizeof(tmp));
    return S_OK;
}

/* A number on its way between two VARIANT types: a signed integer, an
 * unsigned one above LLONG_MAX, or a double. */
typedef struct iishost_ole_num {
    int kind; /* 0 signed (i), 1 unsigned (u), 2 real (d) */
    LONGLONG i;
    ULONGLONG u;
    DOUBLE d;
} iishost_ole_num;

static inline int iishost_ole_space(OLECHAR c)
{
    return c == L' ' || c == L'\t' || c == L'\n' || c == L'\r' || c == L'\v' || c == L'\f';
}

/* Parses decimal text: optional blanks, sign, digits, fraction and
 * exponent ("1", "-2.5", "3e4"). The decimal separator is '.', whatever
 * the LCID (there are no locales here). */
static inline HRESULT iishost_ole_parse_number(BSTR s, iishost_ole_num *n)
{
    char buf[400];
    UINT len = SysStringLen(s), b = 0, e = len, k;
    int digits = 0, real = 0, neg = 0, exp_digits = 1;
    ULONGLONG acc = 0;
    int overflow = 0;
    while (b < e && iishost_ole_space(s[b]))
        b++;
    while (e > b && iishost_ole_space(s[e - 1]))
        e--;
    if (e - b == 0 || e - b >= sizeof(buf))
        return DISP_E_TYPEMISMATCH;
    for (k = b; k < e; k++) {
        if (s[k] > 0x7F)
            return DISP_E_TYPEMISMATCH;
        buf[k - b] = (char)s[k];
    }
    buf[e - b] = 0;
    k = 0;
    if (buf[k] == '+' || buf[k] == '-')
        neg = buf[k++] == '-';
    for (; buf[k] >= '0' && buf[k] <= '9'; k++, digits++) {
        ULONGLONG digit = (ULONGLONG)(buf[k] - '0');
        if (acc > (~0ULL - digit) / 10)
            overflow = 1; /* beyond 64 bits: parsed as a double below */
        acc = acc * 10 + digit;
    }
    if (buf[k] == '.') {
        real = 1;
        for (k++; buf[k] >= '0' && buf[k] <= '9'; k++)
            digits++;
    }
    if (digits > 0 && (buf[k] == 'e' || buf[k] == 'E')) {
        real = 1;
        k++;
        if (buf[k] == '+' || buf[k] == '-')
            k++;
        for (exp_digits = 0; buf[k] >= '0' && buf[k] <= '9'; k++)
            exp_digits++;
    }
    if (digits == 0 || exp_digits == 0 || buf[k] != 0)
        return DISP_E_TYPEMISMATCH;
    if (real || overflow || (neg && acc > 0x8000000000000000ULL)) {
        char *end;
        n->kind = 2;
        n->d = strtod(buf, &end);
        if (*end != 0) {
            /* strtod follows the program's LC_NUMERIC; retry with its ',' separator. */
            char *dot = strchr(buf, '.');
            if (dot != NULL)
                *dot = ',';
            n->d = strtod(buf, &end);
            if (*end != 0)
                return DISP_E_TYPEMISMATCH;
        }
    } else if (neg) {
        n->kind = 0;
        n->i = acc == 0x8000000000000000ULL ? (LONGLONG)(-0x7FFFFFFFFFFFFFFFLL - 1) : -(LONGLONG)acc;
    } else if (acc > 0x7FFFFFFFFFFFFFFFULL) {
        n->kind = 1;
        n->u = acc;
    } else {
        n->kind = 0;
        n->i = (LONGLONG)acc;
    }
    return S_OK;
}

/* The numeric value of a by-value VARIANT. VT_BOOL counts as the VT_I2 it
 * holds (-1 or 0), as documented; VT_EMPTY is 0. */
static inline HRESULT iishost_ole_num_from(const VARIANT *v, iishost_ole_num *n)
{
    n->kind = 0;
    n->i = 0;
    n->u = 0;
    n->d = 0;
    switch (v->vt) {
    case VT_EMPTY: break;
    case VT_I1: n->i = (signed char)v->cVal; break;
    case VT_UI1: n->i = v->bVal; break;
    case VT_I2: n->i = v->iVal; break;
    case VT_BOOL: n->i = v->boolVal; break;
    case VT_UI2: n->i = v->uiVal; break;
    case VT_I4: n->i = v->lVal; break;
    case VT_INT: n->i = v->intVal; break;
    case VT_UI4: n->i = v->ulVal; break;
    case VT_UINT: n->i = v->uintVal; break;
    case VT_I8: n->i = v->llVal; break;
    case VT_UI8:
        if (v->ullVal > 0x7FFFFFFFFFFFFFFFULL) {
            n->kind = 1;
            n->u = v->ullVal;
        } else {
            n->i = (LONGLONG)v->ullVal;
        }
        break;
    case VT_R4: n->kind = 2; n->d = v->fltVal; break;
    case VT_R8: n->kind = 2; n->d = v->dblVal; break;
    case VT_BSTR: return iishost_ole_parse_number(v->bstrVal, n);
    default: return DISP_E_TYPEMISMATCH;
    }
    return S_OK;
}

/* Rounds to the nearest integer, halves to even (as automation does). */
static inline double iishost_ole_round_even(double d)
{
    LONGLONG t;
    double f;
    if (!(d > -4503599627370496.0 && d < 4503599627370496.0))
        return d; /* 2^52 and beyond are integers already (or NaN/inf) */
    t = (LONGLONG)d;
    f = d - (double)t;
    if (f > 0.5 || (f == 0.5 && (t & 1)))
        t++;
    else if (f < -0.5 || (f == -0.5 && (t & 1)))
        t--;
    return (double)t;
}

/* Stores n as numeric type vt (an integer type, VT_R4, VT_R8 or VT_BOOL)
 * into out; DISP_E_OVERFLOW when it does not fit. */
static inline HRESULT iishost_ole_num_to(const iishost_ole_num *n, VARTYPE vt, VARIANT *out)
{
    LONGLONG lo = 0;
    ULONGLONG hi = 0;
    int is_signed = 1;
    VariantInit(out);
    if (vt == VT_R8 || vt == VT_R4) {
        double d = n->kind == 0 ? (double)n->i : n->kind == 1 ? (double)n->u : n->d;
        if (vt == VT_R4) {
            if (d == d && (d > FLT_MAX || d < -FLT_MAX) && d - d == 0)
                return DISP_E_OVERFLOW; /* finite but beyond float */
            out->fltVal = (FLOAT)d;
        } else {
            out->dblVal = d;
        }
        out->vt = vt;
        return S_OK;
    }
    if (vt == VT_BOOL) {
        int nonzero = n->kind == 0 ? n->i != 0 : n->kind == 1 ? n->u != 0 : n->d != 0;
        out->boolVal = nonzero ? VARIANT_TRUE : VARIANT_FALSE;
        out->vt = VT_BOOL;
        return S_OK;
    }
    switch (vt) {
    case VT_I1: lo = -128; hi = 127; break;
    case VT_UI1: hi = 0xFF; is_signed = 0; break;
    case VT_I2: lo = -32768; hi = 32767; break;
    case VT_UI2: hi = 0xFFFF; is_signed = 0; break;
    case VT_I4: case VT_INT: lo = -2147483647 - 1; hi = 2147483647; break;
    case VT_UI4: case VT_UINT: hi = 0xFFFFFFFFu; is_signed = 0; break;
    case VT_I8: lo = -0x7FFFFFFFFFFFFFFFLL - 1; hi = 0x7FFFFFFFFFFFFFFFULL; break;
    case VT_UI8: hi = ~0ULL; is_signed = 0; break;
    default: return DISP_E_TYPEMISMATCH;
    }
    {
        /* Reduce to (negative, magnitude) and check against [lo, hi]. */
        int negative;
        ULONGLONG mag;
        ULONGLONG bits;
        if (n->kind == 2) {
            double d = iishost_ole_round_even(n->d);
            if (!(d >= -9223372036854775808.0 && d < 18446744073709551616.0))
                return DISP_E_OVERFLOW; /* also NaN */
            negative = d < 0;
            mag = (ULONGLONG)(negative ? -d : d);
        } else if (n->kind == 1) {
            negative = 0;
            mag = n->u;
        } else {
            negative = n->i < 0;
            mag = negative ? (ULONGLONG)0 - (ULONGLONG)n->i : (ULONGLONG)n->i;
        }
        if (negative) {
            if (!is_signed || mag > (ULONGLONG)0 - (ULONGLONG)lo)
                return DISP_E_OVERFLOW;
            bits = (ULONGLONG)0 - mag;
        } else {
            if (mag > hi)
                return DISP_E_OVERFLOW;
            bits = mag;
        }
        switch (vt) {
        case VT_I1: out->cVal = (CHAR)(signed char)(LONGLONG)bits; break;
        case VT_UI1: out->bVal = (BYTE)bits; break;
        case VT_I2: out->iVal = (SHORT)(LONGLONG)bits; break;
        case VT_UI2: out->uiVal = (USHORT)bits; break;
        case VT_I4: out->lVal = (LONG)(LONGLONG)bits; break;
        case VT_INT: out->intVal = (INT)(LONGLONG)bits; break;
        case VT_UI4: out->ulVal = (ULONG)bits; break;
        case VT_UINT: out->uintVal = (UINT)bits; break;
        case VT_I8: out->llVal = (LONGLONG)bits; break;
        default: out->ullVal = bits; break;
        }
    }
    out->vt = vt;
    return S_OK;
}

/* A BSTR from ASCII text. */
static inline BSTR iishost_ole_bstr_from_ascii(const char *s)
{
    size_t i, n = strlen(s);
    BSTR b = SysAllocStringLen(NULL, (UINT)n);
    if (b != NULL)
        for (i = 0; i < n; i++)
            b[i] = (OLECHAR)(unsigned char)s[i];
    return b;
}

/* Text of a by-value numeric or VT_BOOL VARIANT. Doubles get 15
 * significant digits and floats 7 ("%G" style: 0.1, 1E+20), as automation
 * prints them. VT_BOOL is "True"/"False" with VARIANT_ALPHABOOL or
 * VARIANT_LOCALBOOL (English here: there are no locales) and otherwise
 * its number, "-1" or "0". */
static inline HRESULT iishost_ole_to_bstr(const VARIANT *v, USHORT wFlags, BSTR *out)
{
    char buf[64];
    iishost_ole_num n;
    HRESULT hr;
    if (v->vt == VT_EMPTY) {
        buf[0] = 0;
    } else if (v->vt == VT_BOOL && (wFlags & (VARIANT_ALPHABOOL | VARIANT_LOCALBOOL))) {
        strcpy(buf, v->boolVal ? "True" : "False");
    } else if (v->vt == VT_R4) {
        snprintf(buf, sizeof(buf), "%.7G", (double)v->fltVal);
    } else if (v->vt == VT_R8) {
        snprintf(buf, sizeof(buf), "%.15G", v->dblVal);
    } else {
        hr = iishost_ole_num_from(v, &n);
        if (FAILED(hr))
            return hr;
        if (n.kind == 1)
            snprintf(buf, sizeof(buf), "%llu", n.u);
        else
            snprintf(buf, sizeof(buf), "%lld", n.i);
    }
    /* printf may print ',' under a program's LC_NUMERIC; automation text uses '.'. */
    {
        char *comma = strchr(buf, ',');
        if (comma != NULL)
            *comma = '.';
    }
    *out = iishost_ole_bstr_from_ascii(buf);
    return *out == NULL ? E_OUTOFMEMORY : S_OK;
}

static inline int iishost_ole_is_numeric(VARTYPE vt)
{
    switch (vt) {
    case VT_I1: case VT_UI1: case VT_I2: case VT_UI2: case VT_I4: case VT_UI4:
    case VT_INT: case VT_UINT: case VT_I8: case VT_UI8: case VT_R4: case VT_R8: case VT_BOOL:
        return 1;
    default:
        return 0;
    }
}

/* Case-insensitive match of a BSTR (blanks around allowed) with ASCII word w. */
static inline int iishost_ole_is_word(BSTR s, const char *w)
{
    UINT len = SysStringLen(s), b = 0, e = len, i;
    size_t wl = strlen(w);
    while (b < e && iishost_ole_space(s[b]))
        b++;
    while (e > b && iishost_ole_space(s[e - 1]))
        e--;
    if (e - b != wl)
        return 0;
    for (i = 0; i < wl; i++) {
        OLECHAR c = s[b + i];
        if (c >= L'A' && c <= L'Z')
            c = (OLECHAR)(c - L'A' + L'a');
        if (c != (OLECHAR)w[i])
            return 0;
    }
    return 1;
}

/* The conversion itself, from a by-value source into a cleared tmp. */
static inline HRESULT iishost_ole_coerce(const VARIANT *src, USHORT wFlags, VARTYPE vt, VARIANT *tmp, int depth)
{
    iishost_ole_num n;
    HRESULT hr;
    VariantInit(tmp);
    if (src->vt == vt)
        return VariantCopy(tmp, src);
    if (vt == VT_EMPTY)
        return S_OK; /* the value is dropped */
    if (vt == VT_NULL && src->vt == VT_EMPTY) {
        tmp->vt = VT_NULL;
        return S_OK;
    }
    if (src->vt == VT_NULL || vt == VT_NULL)
        return DISP_E_TYPEMISMATCH;
    if (src->vt == VT_DISPATCH && vt != VT_UNKNOWN) {
        /* An object's value is its Value property (DISPID_VALUE). */
        DISPPARAMS none = { NULL, NULL, 0, 0 };
        VARIANT value;
        struct IDispatch *d = src->pdispVal;
        if ((wFlags & VARIANT_NOVALUEPROP) || d == NULL || depth > 0)
            return DISP_E_TYPEMISMATCH;
        VariantInit(&value);
#ifdef __cplusplus
        hr = d->Invoke(DISPID_VALUE, IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &value, NULL, NULL);
#else
        hr = d->lpVtbl->Invoke(d, DISPID_VALUE, &IID_NULL, 0, DISPATCH_PROPERTYGET, &none, &value, NULL, NULL);
#endif
        if (FAILED(hr))
            return DISP_E_TYPEMISMATCH;
        hr = iishost_ole_coerce(&value, wFlags, vt, tmp, depth + 1);
        VariantClear(&value);
        return hr;
    }
    if (vt == VT_UNKNOWN || vt == VT_DISPATCH) {
        void *p = NULL;
        if (src->vt != VT_UNKNOWN && src->vt != VT_DISPATCH)
            return DISP_E_TYPEMISMATCH;
        if (src->punkVal != NULL) {
            hr = iishost_ole_query(src->punkVal, vt == VT_UNKNOWN ? &IID_IUnknown : &IID_IDispatch, &p);
            if (FAILED(hr))
                return hr == E_NOINTERFACE ? DISP_E_TYPEMISMATCH : hr;
        }
        tmp->punkVal = (struct IUnknown *)p;
        tmp->vt = vt;
        return S_OK;
    }
    if (vt == VT_BSTR) {
        if (src->vt != VT_EMPTY && !iishost_ole_is_numeric(src->vt))
            return DISP_E_TYPEMISMATCH;
        hr = iishost_ole_to_bstr(src, wFlags, &tmp->bstrVal);
        if (SUCCEEDED(hr))
            tmp->vt = VT_BSTR;
        return hr;
    }
    if (!iishost_ole_is_numeric(vt))
        return DISP_E_TYPEMISMATCH; /* VT_CY, VT_DATE, VT_DECIMAL, VT_ERROR */
    if (vt == VT_BOOL && src->vt == VT_BSTR) {
        if (iishost_ole_is_word(src->bstrVal, "true")) {
            tmp->boolVal = VARIANT_TRUE;
            tmp->vt = VT_BOOL;
            return S_OK;
        }
        if (iishost_ole_is_word(src->bstrVal, "false")) {
            tmp->boolVal = VARIANT_FALSE;
            tmp->vt = VT_BOOL;
            return S_OK;
        }
    }
    hr = iishost_ole_num_from(src, &n);
    if (FAILED(hr))
        return hr;
    return iishost_ole_num_to(&n, vt, tmp);
}

/*
 * Converts between the fundamental types: the integers (VT_I1 to VT_UI8,
 * VT_INT, VT_UINT), VT_R4, VT_R8, VT_BOOL, VT_BSTR, VT_EMPTY, and
 * VT_UNKNOWN <-> VT_DISPATCH (by QueryInterface); a VT_DISPATCH source is
 * read through its Value property unless VARIANT_NOVALUEPROP. A VT_BYREF
 * source is converted as the value it points at. Doubles round to integers
 * half to even; values out of range are DISP_E_OVERFLOW. VT_CY, VT_DATE,
 * VT_DECIMAL and VT_ERROR are DISP_E_TYPEMISMATCH here (Windows converts
 * them). pvargDest may be pvarSrc; on failure pvargDest is unchanged.
 */
static inline HRESULT VariantChangeType(VARIANTARG *pvargDest, const VARIANTARG *pvarSrc, USHORT wFlags, VARTYPE vt)
{
    VARIANT view, tmp;
    HRESULT hr;
    if (pvargDest == NULL || pvarSrc == NULL)
        return E_INVALIDARG;
    if (!iishost_vt_supported(pvarSrc->vt) || !iishost_vt_supported(vt))
        return DISP_E_BADVARTYPE;
    if (vt & VT_BYREF)
        return DISP_E_TYPEMISMATCH;
    hr = iishost_variant_deref(pvarSrc, &view);
    if (FAILED(hr))
        return hr;
    hr = iishost_ole_coerce(&view, wFlags, vt, &tmp, 0);
    if (FAILED(hr))
        return hr;
    hr = VariantClear(pvargDest);
    if (FAILED(hr)) {
        VariantClear(&tmp);
        return hr;
    }
    memcpy(pvargDest, &tmp, sizeof(tmp));
    return S_OK;
}

/* The LCID changes nothing: there are no locales here. */
static inline HRESULT VariantChangeTypeEx(VARIANTARG *pvargDest, const VARIANTARG *pvarSrc, LCID lcid,
                                          USHORT wFlags, VARTYPE vt)
{
    (void)lcid;
    return VariantChangeType(pvargDest, pvarSrc, wFlags, vt);
}

#endif /* IISHOST_OLEAUTO_H */
