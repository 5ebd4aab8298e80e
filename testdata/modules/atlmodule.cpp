// atlmodule.cpp - porting fixture: a module written the way older IIS modules use ATL
// (UNICODE build, <atlbase.h> and <atlstr.h>, `using namespace ATL;`), compiled without edits.
//
// Contract:
// - RegisterModule reads the "greeting" attribute of system.webServer/atlFixture at
//   MACHINE/WEBROOT/APPHOST through IHttpServer::GetAdminManager (held in a CComPtr) and keeps it
//   in a CString.
// - A request for /atl?name=<UTF-8 text> (RQ_BEGIN_REQUEST) creates its own admin manager with
//   CComPtr::CoCreateInstance(CLSID_AppHostAdminManager), reads the section at the configuration
//   path in the X-Config-Path header (default MACHINE/WEBROOT/APPHOST) and answers 200
//   "text/plain; charset=utf-8", one line each:
//     request <n>                    requests since RegisterModule, counted under a
//                                    CComAutoCriticalSection
//     registered <greeting>          the value read at registration
//     <greeting>, <name>!            CString::Format of the section's greeting and the name
//     upper <NAME>                   MakeUpper (ASCII letters: the host runs in the "C" locale)
//     repeat <r>                     the "repeat" attribute, CComVariant::ChangeType(VT_I4)
//     tags <t1>|<t2>|...             the "tags" attribute, Tokenize(",") and Trim of each token
//     entry <key>=<value>            per collection entry, by CComVariant index and CComBSTR names
//     missing 0x<hr>                 GetAdminSection of system.webServer/noSuchSection
//   and writes "atl <name>" with ATLTRACE (a host log record). /atl?throw lets a CAtlException
//   (CString::SetAt out of range) escape OnBeginRequest instead. Other URLs pass through.
#ifndef UNICODE
#define UNICODE
#endif
#ifndef _UNICODE
#define _UNICODE
#endif
#define _DEBUG 1
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <tchar.h>
#include <atlbase.h>
#include <atlstr.h>
#include <httpserv.h>
#include <ahadmin.h>

using namespace ATL;

static CString g_strRegistered;
static CComAutoCriticalSection *g_pcs = NULL;
static LONG g_cRequests = 0;

static const WCHAR SECTION_NAME[] = L"system.webServer/atlFixture";
static const WCHAR ROOT_PATH[] = L"MACHINE/WEBROOT/APPHOST";

// The value of one attribute as text, or "(<hr>)".
static CString ReadAttribute(IAppHostElement *pElement, LPCWSTR pszName, VARTYPE vt)
{
    CComPtr<IAppHostProperty> spProperty;
    HRESULT hr = pElement->GetPropertyByName(CComBSTR(pszName), &spProperty);
    CComVariant var;
    if (SUCCEEDED(hr))
        hr = spProperty->get_Value(&var);
    if (SUCCEEDED(hr))
        hr = var.ChangeType(vt);
    if (SUCCEEDED(hr))
        hr = var.ChangeType(VT_BSTR);
    CString str;
    if (FAILED(hr))
        str.Format(_T("(0x%08X)"), hr);
    else
        str = var.bstrVal;
    return str;
}

class CAtlFixtureModule : public CHttpModule
{
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *pHttpContext, IHttpEventProvider *pProvider)
    {
        UNREFERENCED_PARAMETER(pProvider);
        PCSTR pszUrl = NULL;
        DWORD cchUrl = 0;
        if (FAILED(pHttpContext->GetServerVariable("URL", &pszUrl, &cchUrl)) || strcmp(pszUrl, "/atl") != 0)
            return RQ_NOTIFICATION_CONTINUE;

        PCSTR pszQuery = NULL;
        DWORD cchQuery = 0;
        pHttpContext->GetServerVariable("QUERY_STRING", &pszQuery, &cchQuery);
        CStringA strQuery(pszQuery, static_cast<int>(cchQuery));
        if (strQuery == "throw")
            CString().SetAt(0, _T('x')); // out of range: throws CAtlException(E_INVALIDARG)

        LONG cRequest;
        {
            CComCritSecLock<CComAutoCriticalSection> lock(*g_pcs);
            cRequest = ++g_cRequests;
        }

        CString strName;
        if (strQuery.Left(5) == "name=")
            strName = CA2W(strQuery.Mid(5), CP_UTF8);

        USHORT cchPath = 0;
        PCSTR pszPath = pHttpContext->GetRequest()->GetHeader("X-Config-Path", &cchPath);
        CString strPath = cchPath != 0 ? CString(CStringA(pszPath, cchPath)) : CString(ROOT_PATH);

        CString strBody;
        strBody.Format(_T("request %d\nregistered %s\n"), static_cast<int>(cRequest), g_strRegistered.GetString());

        CComPtr<IAppHostAdminManager> spAdmin;
        HRESULT hr = spAdmin.CoCreateInstance(CLSID_AppHostAdminManager);
        if (FAILED(hr))
        {
            strBody.AppendFormat(_T("admin 0x%08X\n"), hr);
        }
        else
        {
            strBody += Report(spAdmin, strPath, strName);
        }

        ATLTRACE(_T("atl %s\n"), strName.GetString());

        IHttpResponse *pHttpResponse = pHttpContext->GetResponse();
        pHttpResponse->Clear();
        pHttpResponse->SetHeader(HttpHeaderContentType, "text/plain; charset=utf-8", 25, TRUE);
        CW2A utf8(strBody, CP_UTF8);
        DWORD cbBody = static_cast<DWORD>(strlen(utf8));
        void *pBuffer = pHttpContext->AllocateRequestMemory(cbBody);
        if (pBuffer == NULL)
            return RQ_NOTIFICATION_FINISH_REQUEST;
        memcpy(pBuffer, static_cast<LPSTR>(utf8), cbBody);
        HTTP_DATA_CHUNK chunk;
        chunk.DataChunkType = HttpDataChunkFromMemory;
        chunk.FromMemory.pBuffer = pBuffer;
        chunk.FromMemory.BufferLength = cbBody;
        DWORD cbSent = 0;
        pHttpResponse->WriteEntityChunks(&chunk, 1, FALSE, FALSE, &cbSent);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    static CString Report(IAppHostAdminManager *pAdmin, const CString &strPath, CString strName)
    {
        CString strOut;
        CComPtr<IAppHostElement> spSection;
        HRESULT hr = pAdmin->GetAdminSection(CComBSTR(SECTION_NAME), CComBSTR(strPath), &spSection);
        if (FAILED(hr))
        {
            strOut.Format(_T("section 0x%08X\n"), hr);
            return strOut;
        }
        // Through IUnknown and back, the way legacy code hands interfaces around.
        CComQIPtr<IAppHostElement> spElement(static_cast<IUnknown *>(spSection));
        if (spElement != spSection)
            return _T("QueryInterface lost the element\n");

        // CStrings passed straight to Format, as MSVC code does.
        strOut.Format(_T("%s, %s!\n"), ReadAttribute(spSection, L"greeting", VT_BSTR), strName);
        strOut.AppendFormat(_T("upper %s\n"), strName.MakeUpper().GetString());
        strOut += _T("repeat ") + ReadAttribute(spSection, L"repeat", VT_I4) + _T("\n");

        CString strTags = ReadAttribute(spSection, L"tags", VT_BSTR);
        CString strJoined;
        int iPos = 0;
        for (CString strTag = strTags.Tokenize(_T(","), iPos); iPos != -1; strTag = strTags.Tokenize(_T(","), iPos))
        {
            if (!strJoined.IsEmpty())
                strJoined += _T('|');
            strJoined += strTag.Trim();
        }
        strOut += _T("tags ") + strJoined + _T("\n");

        CComPtr<IAppHostElementCollection> spCollection;
        DWORD cEntries = 0;
        if (SUCCEEDED(spSection->get_Collection(&spCollection)))
            spCollection->get_Count(&cEntries);
        for (DWORD i = 0; i < cEntries; i++)
        {
            CComPtr<IAppHostElement> spEntry;
            if (FAILED(spCollection->get_Item(CComVariant(static_cast<int>(i)), &spEntry)))
                continue;
            strOut.AppendFormat(_T("entry %s=%s\n"), ReadAttribute(spEntry, L"key", VT_BSTR).GetString(),
                                ReadAttribute(spEntry, L"value", VT_BSTR).GetString());
        }

        CComPtr<IAppHostElement> spMissing;
        hr = pAdmin->GetAdminSection(CComBSTR(L"system.webServer/noSuchSection"), CComBSTR(ROOT_PATH), &spMissing);
        strOut.AppendFormat(_T("missing 0x%08X\n"), hr);
        return strOut;
    }
};

class CAtlFixtureFactory : public IHttpModuleFactory
{
public:
    virtual ~CAtlFixtureFactory() {}

    HRESULT GetHttpModule(CHttpModule **ppModule, IModuleAllocator *pAllocator)
    {
        UNREFERENCED_PARAMETER(pAllocator);
        *ppModule = new CAtlFixtureModule;
        return S_OK;
    }

    void Terminate()
    {
        delete g_pcs;
        g_pcs = NULL;
        delete this;
    }
};

HRESULT __stdcall RegisterModule(DWORD dwServerVersion, IHttpModuleRegistrationInfo *pModuleInfo, IHttpServer *pGlobalInfo)
{
    UNREFERENCED_PARAMETER(dwServerVersion);
    // Every registration starts afresh: a test process may load this image for several servers.
    g_pcs = new CComAutoCriticalSection;
    g_cRequests = 0;
    CComPtr<IAppHostAdminManager> spAdmin(pGlobalInfo->GetAdminManager());
    CComPtr<IAppHostElement> spSection;
    if (spAdmin != NULL &&
        SUCCEEDED(spAdmin->GetAdminSection(CComBSTR(SECTION_NAME), CComBSTR(ROOT_PATH), &spSection)))
        g_strRegistered = ReadAttribute(spSection, L"greeting", VT_BSTR);
    else
        g_strRegistered = _T("none");
    return pModuleInfo->SetRequestNotifications(new CAtlFixtureFactory, RQ_BEGIN_REQUEST, 0);
}
