/*
 * httptrace.h - trace events and provider configuration that modules pass
 * through IHttpTraceContext. Fields follow api/structs.tsv; the enum
 * HTTP_TRACE_TYPE and the HTTP_TRACE_* #defines are generated into
 * iishost/httptrace_constants.h.
 */
#ifndef IISHOST_HTTPTRACE_H
#define IISHOST_HTTPTRACE_H

#include <http.h>
#include "iishost/httptrace_constants.h"

/*
 * Provider GUIDs. DEFINE_GUID (iishost/guid.h) defines each one weak and
 * hidden in every translation unit that includes this header, so a module
 * needs neither INITGUID nor a library of ours.
 */
/* All zeros: stands for every provider rather than naming one. */
DEFINE_GUID(GUID_IIS_ALL_TRACE_PROVIDERS,
    0x00000000, 0x0000, 0x0000, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
DEFINE_GUID(GUID_IIS_WWW_SERVER_TRACE_PROVIDER,
    0x3A2A4E84, 0x4C21, 0x4981, 0xAE, 0x10, 0x3F, 0xDA, 0x0D, 0x9B, 0x0F, 0x83);
DEFINE_GUID(GUID_IIS_WWW_SERVER_V2_TRACE_PROVIDER,
    0xDE4649C9, 0x15E8, 0x4FEA, 0x9D, 0x85, 0x1C, 0xDD, 0xA5, 0x20, 0xC3, 0x34);
DEFINE_GUID(GUID_IIS_ASPNET_TRACE_PROVIDER,
    0xAFF081FE, 0x0247, 0x4275, 0x9C, 0x4E, 0x02, 0x1F, 0x3D, 0xC1, 0xDA, 0x35);
DEFINE_GUID(GUID_IIS_ASP_TRACE_TRACE_PROVIDER,
    0x06B94D9A, 0xB15E, 0x456E, 0xA4, 0xEF, 0x37, 0xC9, 0x84, 0xA2, 0xCB, 0x4B);
DEFINE_GUID(GUID_IIS_WWW_GLOBAL_TRACE_PROVIDER,
    0xD55D3BC9, 0xCBA9, 0x44DF, 0x82, 0x7E, 0x13, 0x2D, 0x3A, 0x45, 0x96, 0xC2);
DEFINE_GUID(GUID_IIS_ISAPI_TRACE_PROVIDER,
    0xA1C2040E, 0x8840, 0x4C31, 0xBA, 0x11, 0x98, 0x71, 0x03, 0x1A, 0x19, 0xEA);

/* One named value of an event; dwDataType says how to read pbData. */
typedef struct HTTP_TRACE_EVENT_ITEM {
    LPCWSTR pszName;
    HTTP_TRACE_TYPE dwDataType;
    PBYTE pbData;
    DWORD cbData; /* bytes at pbData */
    LPCWSTR pszDataDescription;
} HTTP_TRACE_EVENT_ITEM, *PHTTP_TRACE_EVENT_ITEM;

/* An event raised with IHttpTraceContext::RaiseTraceEvent. */
typedef struct HTTP_TRACE_EVENT {
    LPCGUID pProviderGuid;
    DWORD dwArea;
    LPCGUID pAreaGuid;
    DWORD dwEvent;
    LPCWSTR pszEventName;
    DWORD dwEventVersion;
    DWORD dwVerbosity;
    LPCGUID pActivityGuid;
    LPCGUID pRelatedActivityGuid;
    DWORD dwTimeStamp;
    DWORD dwFlags; /* HTTP_TRACE_EVENT_FLAG_* */
    DWORD cEventItems;
    struct HTTP_TRACE_EVENT_ITEM *pEventItems;
} HTTP_TRACE_EVENT, *PHTTP_TRACE_EVENT;

/* In/out of IHttpTraceContext::GetTraceConfiguration: the caller names the
 * provider, the host fills in whether and how it is enabled. */
typedef struct HTTP_TRACE_CONFIGURATION {
    LPCGUID pProviderGuid;
    DWORD dwAreas;
    DWORD dwVerbosity;
    BOOL fProviderEnabled;
} HTTP_TRACE_CONFIGURATION, *PHTTP_TRACE_CONFIGURATION;

#endif /* IISHOST_HTTPTRACE_H */
