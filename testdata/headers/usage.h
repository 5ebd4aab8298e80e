/*
 * usage.h - code written the way Windows module sources use the base
 * headers, shared by the C and C++ translation units of this folder. It only
 * has to compile warning-free; runtime/ runs a few of the same things.
 */
#ifndef IISHOST_TEST_USAGE_H
#define IISHOST_TEST_USAGE_H

/* A GUID defined in a header, as module sources do (see iishost/guid.h). */
DEFINE_GUID(IID_IIishostUsageCheck, 0x0d3c6a1e, 0x8f42, 0x4b7d, 0x9a, 0x10, 0x5e, 0x2b, 0x7c, 0x61, 0x04, 0xf3);

/* SAL 2 and the older spellings on one prototype. */
HRESULT WINAPI UsageAnnotated(_In_ PCWSTR pszName, _Out_writes_(cchBuffer) WCHAR *pBuffer, _In_ DWORD cchBuffer,
                              _Outptr_result_maybenull_ VOID **ppv, _Inout_opt_ DWORD *pcch,
                              _In_reads_bytes_(cb) const BYTE *pb, _In_ DWORD cb);
_Must_inspect_result_ _Success_(return != FALSE) BOOL UsageLegacy(__in_opt PCSTR a, __out_ecount(n) CHAR *b,
                                                                  __in_range(0, 8) DWORD n, __inout DWORD *c);
#if !defined(__cplusplus) || defined(IISHOST_SAL_IN_OUT)
/* Plain __in/__out: always in C, on request in C++ (see specstrings.h). */
BOOL UsageInOut(__in PCSTR a, __out DWORD *b);
#endif
_Ret_maybenull_ _When_(flags != 0, _Post_notnull_) PVOID UsageReturn(DWORD flags);

typedef struct _USAGE_REQUEST {
    DWORD cbBuffer;
    _Field_size_bytes_(cbBuffer) BYTE *pBuffer;
    OVERLAPPED Overlapped;
} USAGE_REQUEST;

/* Calling conventions and __declspec, as Windows sources spell them. */
__declspec(dllexport) HRESULT __stdcall UsageExported(DWORD dwVersion);
__declspec(noinline) ULONG __cdecl UsageNoInline(ULONG x);
__declspec(noreturn) void UsageFatal(void);
__declspec(deprecated) void UsageOld(void);
__declspec(thread) int usage_tls;
#ifdef __cplusplus
extern
#endif
    __declspec(selectany) const int usage_selectany = 1;
struct __declspec(align(16)) UsageAligned {
    int value;
};
CHECK(sizeof(struct UsageAligned) == 16);
static __forceinline int UsageTwice(int x)
{
    return 2 * x;
}

STDAPI UsageStdApi(REFIID riid, void **ppv);
STDAPI_(ULONG) UsageStdApiUlong(void);

static VOID WINAPI UsageCompletion(DWORD dwErrorCode, DWORD cbTransferred, LPOVERLAPPED lpOverlapped)
{
    USAGE_REQUEST *pRequest = CONTAINING_RECORD(lpOverlapped, USAGE_REQUEST, Overlapped);
    UNREFERENCED_PARAMETER(dwErrorCode);
    UNREFERENCED_PARAMETER(cbTransferred);
    pRequest->cbBuffer = 0;
}

static HRESULT STDAPICALLTYPE UsageFillIn(EXCEPINFO *pExcepInfo)
{
    pExcepInfo->scode = E_FAIL;
    return S_OK;
}

HRESULT __stdcall UsageExported(DWORD dwVersion)
{
    DBG_UNREFERENCED_PARAMETER(dwVersion);
    return E_NOTIMPL;
}

ULONG __cdecl UsageNoInline(ULONG x)
{
    return x + 1;
}

HRESULT UsageRun(void);
HRESULT UsageRun(void)
{
    WCHAR szName[MAX_PATH];
    CHAR szNarrow[32];
    BYTE rgb[8];
    DWORD cch = _countof(szName);
    DWORD i;
    LARGE_INTEGER li;
    ULARGE_INTEGER uli;
    FILETIME ft;
    SYSTEMTIME st;
    OVERLAPPED ov;
    USAGE_REQUEST request;
    LPOVERLAPPED_COMPLETION_ROUTINE pfnCompletion = UsageCompletion;
    GUID guid = IID_IIishostUsageCheck;
#ifdef __cplusplus
    REFGUID rguid = IID_IIishostUsageCheck;
#else
    REFGUID rguid = &IID_IIishostUsageCheck;
#endif
    VARIANT v;
    SAFEARRAYBOUND bound;
    DISPPARAMS params;
    EXCEPINFO excep;
    DECIMAL dec;
    CY cy;
    SOCKADDR_STORAGE storage;
    PSOCKADDR pAddr = (PSOCKADDR)&storage;
    SOCKADDR_IN *pIn = (SOCKADDR_IN *)pAddr;
    SOCKADDR_IN6 *pIn6 = (SOCKADDR_IN6 *)pAddr;
    HANDLE h = INVALID_HANDLE_VALUE;
    HMODULE hModule = NULL;
    HRESULT hr = S_OK;
    ULONGLONG total = 0;
    unsigned __int64 wide = 0;
    int usage_local = 0;

    UNREFERENCED_LOCAL_VARIABLE(usage_local);
    ZeroMemory(szName, sizeof(szName));
    FillMemory(rgb, sizeof(rgb), 0xAB);
    CopyMemory(szNarrow, "iishost", 8);
    MoveMemory(szNarrow + 1, szNarrow, 4);
    SecureZeroMemory(rgb, sizeof(rgb));
    if (!EqualMemory(rgb, rgb, ARRAYSIZE(rgb)))
        return E_UNEXPECTED;
    for (i = 0; i < cch && i < RTL_NUMBER_OF(szNarrow); i++)
        szName[i] = (WCHAR)szNarrow[i];

    li.QuadPart = -1;
    li.LowPart = 0;
    li.u.HighPart = 1;
    uli.QuadPart = 0;
    uli.HighPart = uli.u.LowPart;
    ft.dwLowDateTime = li.LowPart;
    ft.dwHighDateTime = (DWORD)li.HighPart;
    st.wYear = 2026;
    st.wMilliseconds = LOWORD(MAKELONG(7, 9));

    ZeroMemory(&ov, sizeof(ov));
    ov.Offset = 1;
    ov.OffsetHigh = 0;
    ov.Pointer = NULL;
    ov.hEvent = NULL;
    request.Overlapped = ov;
    request.pBuffer = rgb;
    pfnCompletion(ERROR_SUCCESS, 0, &request.Overlapped);

#ifdef __cplusplus
    if (!IsEqualGUID(guid, rguid) || guid != IID_IIishostUsageCheck || !IsEqualIID(rguid, guid))
        return E_FAIL;
#else
    if (!IsEqualGUID(&guid, rguid) || !InlineIsEqualGUID(&guid, &IID_IIishostUsageCheck) || !IsEqualIID(rguid, &guid))
        return E_FAIL;
#endif

    ZeroMemory(&v, sizeof(v));
    v.vt = VT_BSTR;
    v.bstrVal = NULL;
    v.vt = VT_BOOL;
    v.boolVal = VARIANT_TRUE;
    v.vt = VT_I4 | VT_BYREF;
    v.plVal = &v.lVal;
    v.pvRecord = NULL;
    v.pRecInfo = NULL;
    v.punkVal = NULL;
    v.pdispVal = NULL;
    v.decVal.sign = DECIMAL_NEG;
    v.decVal.Lo64 = 5;
    bound.cElements = 1;
    bound.lLbound = 0;
    params.rgvarg = &v;
    params.rgdispidNamedArgs = NULL;
    params.cArgs = 1;
    params.cNamedArgs = 0;
    excep.pfnDeferredFillIn = UsageFillIn;
    excep.pfnDeferredFillIn(&excep);
    dec.scale = 2;
    dec.signscale = 0;
    dec.Hi32 = dec.Mid32 = dec.Lo32 = 0;
    cy.int64 = 10000;
    cy.Lo = cy.Lo + 1;

    ZeroMemory(&storage, sizeof(storage));
    if (pAddr->sa_family == AF_INET) {
        pIn->sin_addr.S_un.S_un_b.s_b1 = 127;
        pIn->sin_addr.S_un.S_un_w.s_w2 = 0;
        pIn->sin_addr.S_un.S_addr = htonl(0x7f000001);
        pIn->sin_addr.s_addr = pIn->sin_addr.S_un.S_addr;
        pIn->sin_port = htons(80);
    } else if (pAddr->sa_family == AF_INET6) {
        pIn6->sin6_addr.u.Byte[15] = 1;
        pIn6->sin6_addr.u.Word[0] = 0;
        pIn6->sin6_addr.s6_words[1] = pIn6->sin6_addr.s6_bytes[2];
        pIn6->sin6_scope_id = pIn6->sin6_scope_struct.Zone;
        total = ntohs(pIn6->sin6_port);
    }

    switch (st.wYear % 3) {
    case 0:
        total++;
        __fallthrough;
    case 1:
        total++;
        break;
    default:
        break;
    }

    hr = UsageExported(1);
    if (hr != E_NOTIMPL || !FAILED(hr) || HRESULT_FROM_WIN32(ERROR_SUCCESS) != S_OK)
        return E_FAIL;
    if (h == NULL || hModule != NULL || bound.cElements != 1 || params.cArgs != 1)
        return E_FAIL;
    total += (ULONGLONG)UsageTwice((int)UsageNoInline(1)) + wide + (ULONGLONG)usage_selectany + (ULONGLONG)usage_tls;
    total += ft.dwLowDateTime + st.wYear + st.wMilliseconds;
    return total == 4 ? S_OK : S_FALSE;
}

#endif /* IISHOST_TEST_USAGE_H */
