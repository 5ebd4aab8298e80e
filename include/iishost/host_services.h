/*
 * host_services.h - what the host does for a module: the event log, OutputDebugString and
 * CoCreateInstance (the configuration classes).
 *
 * A module links no library of ours, so these functions are inline and reach the host through
 * a table it installs in each module right after loading it and before calling RegisterModule:
 * the host looks up the symbol iishost_services (exported by every module that uses these
 * functions) and stores its table pointer there. Records become host log records carrying the
 * module, source, type, event id and strings. Outside iishost (or from a static constructor,
 * which runs before the table is installed) records go to stderr.
 */
#ifndef IISHOST_HOST_SERVICES_H
#define IISHOST_HOST_SERVICES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "wintypes.h"
#include "guid.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iishost_services iishost_services_t;

/* The table's layout is part of the host-module contract: fields are only ever appended. */
struct iishost_services {
    uint32_t size;
    void (*report_event)(const iishost_services_t *self, const char *source, uint16_t type, uint16_t category,
                         uint32_t event_id, uint16_t num_strings, const char *const *strings, uint32_t data_size);
    void (*debug_string)(const iishost_services_t *self, const char *text);
    /* CoCreateInstance of a class the host provides (CLSID_AppHostAdminManager); any other
       class is REGDB_E_CLASSNOTREG. *ppv gets a reference the module releases. */
    HRESULT (*create_instance)(const iishost_services_t *self, const GUID *clsid, const GUID *iid, void **ppv);
};

/* One weak definition per module, visible to the host's dlsym even under -fvisibility=hidden. */
__attribute__((weak, visibility("default"))) const iishost_services_t *iishost_services = 0;

#define EVENTLOG_SUCCESS 0x0000
#define EVENTLOG_ERROR_TYPE 0x0001
#define EVENTLOG_WARNING_TYPE 0x0002
#define EVENTLOG_INFORMATION_TYPE 0x0004
#define EVENTLOG_AUDIT_SUCCESS 0x0008
#define EVENTLOG_AUDIT_FAILURE 0x0010

/* An event source handle: a small allocation that remembers the source name. */
typedef struct iishost_event_source {
    uint32_t magic;
    char name[1];
} iishost_event_source;

#define IISHOST_EVENT_SOURCE_MAGIC 0x45564C47u /* "EVLG" */

/* UTF-8 copy of a wide string, malloc'ed; WCHAR holds whole code points on Linux. */
static inline char *iishost_eventlog_utf8(const WCHAR *s)
{
    size_t n = s ? wcslen(s) : 0, o = 0;
    char *out = (char *)malloc(n * 4 + 1);
    if (!out) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        uint32_t c = (uint32_t)s[i];
        if (c > 0x10FFFF || (c >= 0xD800 && c < 0xE000)) {
            c = 0xFFFD;
        }
        if (c < 0x80) {
            out[o++] = (char)c;
        } else if (c < 0x800) {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            out[o++] = (char)(0xF0 | (c >> 18));
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
}

static inline HANDLE RegisterEventSourceA(LPCSTR lpUNCServerName, LPCSTR lpSourceName)
{
    /* Only the local log exists here; a remote server name cannot be honoured. */
    if (lpUNCServerName && lpUNCServerName[0] && strcmp(lpUNCServerName, ".") != 0) {
        return NULL;
    }
    const char *name = lpSourceName ? lpSourceName : "";
    iishost_event_source *h = (iishost_event_source *)malloc(sizeof(iishost_event_source) + strlen(name));
    if (!h) {
        return NULL;
    }
    h->magic = IISHOST_EVENT_SOURCE_MAGIC;
    strcpy(h->name, name);
    return (HANDLE)h;
}

static inline HANDLE RegisterEventSourceW(LPCWSTR lpUNCServerName, LPCWSTR lpSourceName)
{
    if (lpUNCServerName && lpUNCServerName[0] && wcscmp(lpUNCServerName, L".") != 0) {
        return NULL;
    }
    char *name = iishost_eventlog_utf8(lpSourceName);
    HANDLE h = name ? RegisterEventSourceA(NULL, name) : NULL;
    free(name);
    return h;
}

static inline BOOL DeregisterEventSource(HANDLE hEventLog)
{
    iishost_event_source *h = (iishost_event_source *)hEventLog;
    if (!h || h->magic != IISHOST_EVENT_SOURCE_MAGIC) {
        return FALSE;
    }
    h->magic = 0;
    free(h);
    return TRUE;
}

static inline void iishost_report(const char *source, WORD wType, WORD wCategory, DWORD dwEventID, WORD wNumStrings,
                                  const char *const *strings, DWORD dwDataSize)
{
    const iishost_services_t *s = iishost_services;
    if (s && s->report_event) {
        s->report_event(s, source, wType, wCategory, dwEventID, wNumStrings, strings, dwDataSize);
        return;
    }
    fprintf(stderr, "event source=%s type=%u id=%u:", source, (unsigned)wType, (unsigned)dwEventID);
    for (WORD i = 0; i < wNumStrings; i++) {
        fprintf(stderr, " %s", strings[i] ? strings[i] : "");
    }
    fputc('\n', stderr);
}

static inline BOOL ReportEventA(HANDLE hEventLog, WORD wType, WORD wCategory, DWORD dwEventID, PSID lpUserSid,
                                WORD wNumStrings, DWORD dwDataSize, LPCSTR *lpStrings, LPVOID lpRawData)
{
    (void)lpUserSid;
    (void)lpRawData; /* binary data is counted in the record, not rendered */
    iishost_event_source *h = (iishost_event_source *)hEventLog;
    if (!h || h->magic != IISHOST_EVENT_SOURCE_MAGIC || (wNumStrings && !lpStrings)) {
        return FALSE;
    }
    iishost_report(h->name, wType, wCategory, dwEventID, wNumStrings, (const char *const *)lpStrings, dwDataSize);
    return TRUE;
}

static inline BOOL ReportEventW(HANDLE hEventLog, WORD wType, WORD wCategory, DWORD dwEventID, PSID lpUserSid,
                                WORD wNumStrings, DWORD dwDataSize, LPCWSTR *lpStrings, LPVOID lpRawData)
{
    (void)lpUserSid;
    (void)lpRawData;
    iishost_event_source *h = (iishost_event_source *)hEventLog;
    if (!h || h->magic != IISHOST_EVENT_SOURCE_MAGIC || (wNumStrings && !lpStrings)) {
        return FALSE;
    }
    char **narrow = (char **)calloc(wNumStrings ? wNumStrings : 1, sizeof(char *));
    if (!narrow) {
        return FALSE;
    }
    for (WORD i = 0; i < wNumStrings; i++) {
        narrow[i] = iishost_eventlog_utf8(lpStrings[i]);
    }
    iishost_report(h->name, wType, wCategory, dwEventID, wNumStrings, (const char *const *)narrow, dwDataSize);
    for (WORD i = 0; i < wNumStrings; i++) {
        free(narrow[i]);
    }
    free(narrow);
    return TRUE;
}

static inline void OutputDebugStringA(LPCSTR lpOutputString)
{
    const iishost_services_t *s = iishost_services;
    const char *text = lpOutputString ? lpOutputString : "";
    if (s && s->debug_string) {
        s->debug_string(s, text);
    } else {
        fputs(text, stderr);
    }
}

static inline void OutputDebugStringW(LPCWSTR lpOutputString)
{
    char *text = iishost_eventlog_utf8(lpOutputString);
    OutputDebugStringA(text ? text : "");
    free(text);
}

#ifdef UNICODE
#define RegisterEventSource RegisterEventSourceW
#define ReportEvent ReportEventW
#define OutputDebugString OutputDebugStringW
#else
#define RegisterEventSource RegisterEventSourceA
#define ReportEvent ReportEventA
#define OutputDebugString OutputDebugStringA
#endif

#ifdef __cplusplus
}
#endif

#endif /* IISHOST_HOST_SERVICES_H */
