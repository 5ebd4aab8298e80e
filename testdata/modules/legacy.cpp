// legacy.cpp - porting fixture: a module written the way Windows IIS modules are, built with the
// UNICODE/_UNICODE defines a Visual Studio project sets, and compiled here without edits.
//
// It uses TCHAR and _T, strsafe, the secure CRT, Interlocked and a critical section, code-page
// conversion, SYSTEMTIME, and the event log.
//
// Contract:
//   RegisterModule reports event 100 "LegacyModule started" (information) from source "LegacyModule".
//   /legacy?name=<ascii> answers text/plain with three lines:
//     "request <n>"          n counts /legacy requests (InterlockedIncrement)
//     "hello <name>"         formatted wide with StringCchPrintf, converted with WideCharToMultiByte
//     "history <k>"          entries kept under a critical section (k == n)
//   and reports event 200 (warning) with the strings {"served", "<name>"}.
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <tchar.h>
#include <strsafe.h>
#include <httpserv.h>

#include <vector>

static HANDLE g_hEventLog = NULL;
static volatile LONG g_cRequests = 0;
static CRITICAL_SECTION g_csHistory;
static std::vector<SYSTEMTIME> *g_pHistory = NULL;

class CLegacyModule : public CHttpModule
{
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IN IHttpContext *pHttpContext, IN IHttpEventProvider *pProvider)
    {
        UNREFERENCED_PARAMETER(pProvider);
        PCSTR pszUrl = NULL;
        DWORD cchUrl = 0;
        if (FAILED(pHttpContext->GetServerVariable("URL", &pszUrl, &cchUrl)) || strcmp(pszUrl, "/legacy") != 0)
        {
            return RQ_NOTIFICATION_CONTINUE;
        }

        LONG cRequest = InterlockedIncrement(&g_cRequests);
        SYSTEMTIME st;
        GetSystemTime(&st);
        EnterCriticalSection(&g_csHistory);
        g_pHistory->push_back(st);
        size_t cHistory = g_pHistory->size();
        LeaveCriticalSection(&g_csHistory);

        PCSTR pszQuery = NULL;
        DWORD cchQuery = 0;
        pHttpContext->GetServerVariable("QUERY_STRING", &pszQuery, &cchQuery);
        CHAR szName[64] = "";
        if (strncmp(pszQuery, "name=", 5) == 0)
        {
            strcpy_s(szName, _countof(szName), pszQuery + 5);
        }
        WCHAR wszName[64];
        MultiByteToWideChar(CP_UTF8, 0, szName, -1, wszName, _countof(wszName));

        TCHAR szHello[128];
        StringCchPrintf(szHello, _countof(szHello), _T("hello %s"), wszName);
        CHAR szHelloA[256];
        WideCharToMultiByte(CP_UTF8, 0, szHello, -1, szHelloA, sizeof(szHelloA), NULL, NULL);

        CHAR szBody[512];
        sprintf_s(szBody, sizeof(szBody), "request %d\n%s\nhistory %u\n", (int)cRequest, szHelloA, (unsigned)cHistory);

        LPCWSTR rgStrings[2] = {L"served", wszName};
        ReportEvent(g_hEventLog, EVENTLOG_WARNING_TYPE, 0, 200, NULL, 2, 0, rgStrings, NULL);

        IHttpResponse *pHttpResponse = pHttpContext->GetResponse();
        pHttpResponse->Clear();
        pHttpResponse->SetHeader(HttpHeaderContentType, "text/plain", (USHORT)strlen("text/plain"), TRUE);
        HTTP_DATA_CHUNK dataChunk;
        dataChunk.DataChunkType = HttpDataChunkFromMemory;
        dataChunk.FromMemory.pBuffer = (PVOID)szBody;
        dataChunk.FromMemory.BufferLength = (USHORT)strlen(szBody);
        DWORD cbSent = 0;
        pHttpResponse->WriteEntityChunks(&dataChunk, 1, FALSE, TRUE, &cbSent);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class CLegacyModuleFactory : public IHttpModuleFactory
{
public:
    HRESULT GetHttpModule(OUT CHttpModule **ppModule, IN IModuleAllocator *pAllocator)
    {
        UNREFERENCED_PARAMETER(pAllocator);
        CLegacyModule *pModule = new CLegacyModule;
        if (!pModule)
        {
            return HRESULT_FROM_WIN32(ERROR_NOT_ENOUGH_MEMORY);
        }
        *ppModule = pModule;
        return S_OK;
    }

    void Terminate()
    {
        delete g_pHistory;
        DeleteCriticalSection(&g_csHistory);
        DeregisterEventSource(g_hEventLog);
        delete this;
    }
};

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo *pModuleInfo, IHttpServer *pGlobalInfo)
{
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    InitializeCriticalSection(&g_csHistory);
    g_pHistory = new std::vector<SYSTEMTIME>();
    g_hEventLog = RegisterEventSource(NULL, _T("LegacyModule"));
    LPCTSTR rgStrings[1] = {_T("LegacyModule started")};
    ReportEvent(g_hEventLog, EVENTLOG_INFORMATION_TYPE, 0, 100, NULL, 1, 0, rgStrings, NULL);
    return pModuleInfo->SetRequestNotifications(new CLegacyModuleFactory, RQ_BEGIN_REQUEST, 0);
}
