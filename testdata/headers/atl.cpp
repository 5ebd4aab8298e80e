/*
 * The ATL headers (atlbase.h, atlconv.h, atlstr.h and their forwards) the way
 * legacy module sources use them: UNICODE build, `using namespace ATL`, ATL
 * headers mixed with httpserv.h, comdef.h and tchar.h. Compiled at every
 * C++ standard so each template is instantiated warning-free.
 */
#define UNICODE
#define _UNICODE
#define _WINSOCKAPI_
#include <windows.h>
#include <tchar.h>
#include <atlbase.h>
#include <atlcomcli.h>
#include <atlconv.h>
#include <atlstr.h>
#include <cstringt.h>
#include <atlsimpstr.h>
#include <httpserv.h>
#include <ahadmin.h>
#include <comdef.h>

using namespace ATL;

class CUsage {
public:
    HRESULT ReadLimit(IAppHostAdminManager *pAdmin, DWORD *pdwLimit)
    {
        CComPtr<IAppHostElement> spSection;
        CComBSTR bstrSection(L"system.webServer/usage");
        CComBSTR bstrPath(L"MACHINE/WEBROOT/APPHOST");
        HRESULT hr = pAdmin->GetAdminSection(bstrSection, bstrPath, &spSection);
        if (FAILED(hr))
            return hr;
        CComPtr<IAppHostProperty> spProp;
        hr = spSection->GetPropertyByName(CComBSTR(L"limit"), &spProp);
        if (FAILED(hr))
            return hr;
        CComQIPtr<IAppHostElement> spSame(static_cast<IUnknown *>(spSection));
        ATLASSERT(spSame == spSection);
        CComVariant var;
        hr = spProp->get_Value(&var);
        if (SUCCEEDED(hr))
            hr = var.ChangeType(VT_UI4);
        if (SUCCEEDED(hr))
            *pdwLimit = var.ulVal;
        return hr;
    }

    CString Describe(IHttpContext *pContext, LPCSTR pszName)
    {
        CComCritSecLock<CComAutoCriticalSection> lock(m_cs);
        USES_CONVERSION;
        CString str;
        str.Format(_T("%s=%d"), A2T(pszName), ++m_count);
        CStringA utf8(str);
        utf8.AppendFormat("|%S", L"w");
        UNREFERENCED_PARAMETER(pContext);
        ATLTRACE(_T("%s\n"), str.GetString());
        CStringW w(CA2W(utf8.GetString()));
        return str + _T('|') + w + CString(CT2A(str.GetString()));
    }

private:
    CComAutoCriticalSection m_cs;
    int m_count = 0;
};

int iishost_atl_usage()
{
    CUsage u;
    DWORD limit = 0;
    CComPtr<IAppHostAdminManager> spAdmin;
    if (SUCCEEDED(spAdmin.CoCreateInstance(CLSID_AppHostAdminManager)))
        u.ReadLimit(spAdmin, &limit);
    CString s = u.Describe(NULL, "x");
    int i = 0;
    CString tok = s.Tokenize(_T("|"), i);
    _bstr_t b(s.AllocSysString(), false);
    CComVariant v(b.GetBSTR());
    return static_cast<int>(limit) + tok.GetLength() + (v.vt == VT_BSTR);
}
