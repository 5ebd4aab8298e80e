// legacyconfig.cpp - fixture: a module that finds its settings the way Windows modules do,
// compiled without edits. It builds the name of a file beside its own library
// (GetModuleFileNameW, PathFindFileNameW, PathRenameExtensionW, PathRemoveFileSpecW,
// PathAppendW), reads the file with CreateFileW/ReadFile, expands %VARIABLES% in its one line
// with ExpandEnvironmentStringsW (asking the size first), and reports a failure with the
// system's text from FormatMessageW, composed with a second FormatMessageW from a string.
//
// Contract: /legacyconfig answers 200 "setting=<the expanded line> file=<the file's name>
// exists=<PathFileExistsW of it>", or 500 "<file name>: <FormatMessageW text of the error>(error
// <code>)" when the file cannot be opened. The file is the module's own name with the
// extension .ini ("x.so" reads "x.ini" in the same folder).
#define UNICODE
#define _UNICODE
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#include <shlwapi.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"

static HMODULE g_module;

BOOL APIENTRY DllMain(HMODULE hModule, DWORD reason, LPVOID reserved)
{
    UNREFERENCED_PARAMETER(reserved);
    if (reason == DLL_PROCESS_ATTACH) {
        g_module = hModule;
        DisableThreadLibraryCalls(hModule);
    }
    return TRUE;
}

// Utf8Of converts a wide string for the response, as a Windows module would with CP_UTF8.
static std::string Utf8Of(LPCWSTR text)
{
    int n = WideCharToMultiByte(CP_UTF8, 0, text, -1, NULL, 0, NULL, NULL);
    if (n <= 1) {
        return std::string();
    }
    std::string out(static_cast<size_t>(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, -1, &out[0], n, NULL, NULL);
    out.resize(static_cast<size_t>(n - 1));
    return out;
}

class LegacyConfigModule : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *pHttpContext, IHttpEventProvider *) override
    {
        if (fx::AbsPath(pHttpContext) != "/legacyconfig") {
            return RQ_NOTIFICATION_CONTINUE;
        }
        IHttpResponse *pResponse = pHttpContext->GetResponse();
        std::string body;

        // <folder of this module>\<module name>.ini
        WCHAR szPath[MAX_PATH], szName[MAX_PATH];
        if (GetModuleFileNameW(g_module, szPath, MAX_PATH) == 0) {
            pResponse->SetStatus(500, "Internal Server Error");
            return RQ_NOTIFICATION_FINISH_REQUEST;
        }
        wcscpy_s(szName, MAX_PATH, PathFindFileNameW(szPath));
        PathRenameExtensionW(szName, L".ini");
        PathRemoveFileSpecW(szPath);
        PathAppendW(szPath, szName);

        HANDLE hFile = CreateFileW(szPath, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
        if (hFile == INVALID_HANDLE_VALUE) {
            DWORD dwError = GetLastError();
            LPWSTR pszSystem = NULL, pszMessage = NULL;
            FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS |
                               FORMAT_MESSAGE_MAX_WIDTH_MASK,
                           NULL, dwError, MAKELANGID(LANG_NEUTRAL, SUBLANG_DEFAULT), (LPWSTR)&pszSystem, 0, NULL);
            DWORD_PTR args[] = {(DWORD_PTR)szName, (DWORD_PTR)pszSystem, (DWORD_PTR)dwError};
            FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY,
                           L"%1: %2(error %3!u!)", 0, 0, (LPWSTR)&pszMessage, 0, (va_list *)args);
            body = pszMessage != NULL ? Utf8Of(pszMessage) : "FormatMessageW failed";
            LocalFree(pszSystem);
            LocalFree(pszMessage);
            pResponse->SetStatus(500, "Configuration Error");
        } else {
            char szLine[512];
            DWORD cbRead = 0;
            ReadFile(hFile, szLine, sizeof(szLine) - 1, &cbRead, NULL);
            CloseHandle(hFile);
            szLine[cbRead] = '\0';
            WCHAR szRaw[512];
            MultiByteToWideChar(CP_UTF8, 0, szLine, -1, szRaw, 512);
            // The size first, then the expansion, as the documentation suggests.
            DWORD cch = ExpandEnvironmentStringsW(szRaw, NULL, 0);
            std::wstring expanded(cch, L'\0');
            ExpandEnvironmentStringsW(szRaw, &expanded[0], cch);
            body = "setting=" + Utf8Of(expanded.c_str()) + " file=" + Utf8Of(szName) +
                   " exists=" + (PathFileExistsW(szPath) ? "1" : "0");
            pResponse->SetStatus(200, "OK");
        }
        fx::Write(pHttpContext, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo *pModuleInfo, IHttpServer *pGlobalInfo)
{
    UNREFERENCED_PARAMETER(dwServerVersion);
    UNREFERENCED_PARAMETER(pGlobalInfo);
    return pModuleInfo->SetRequestNotifications(new fx::Factory<LegacyConfigModule>(), RQ_BEGIN_REQUEST, 0);
}
