// admin.cpp - fixture: configuration reading through the admin manager (ahadmin.h).
//
// Contract:
// - RegisterModule reads section system.webServer/adminFixture at MACHINE/WEBROOT/APPHOST through
//   IHttpServer::GetAdminManager (not released: the host owns it) and remembers the value of its
//   "limit" attribute.
// - Each request (RQ_BEGIN_REQUEST) creates its own manager with CoCreateInstance(
//   __uuidof(AppHostAdminManager), NULL, CLSCTX_INPROC_SERVER, __uuidof(IAppHostAdminManager)), the
//   coclass and interface as MSVC code names them (httpserv.h brings ahadmin.h, as the SDK's does)
//   and reads the section at the configuration path in the X-Config-Path request header (default
//   MACHINE/WEBROOT/APPHOST). It answers 200 text/plain, one line each, in this order:
//     registered=<vt>:<value>          the value remembered at registration
//     section=<get_Name>
//     prop <name>=<vt>:<value>         every property, by get_Properties and get_Item(VT_I4 index)
//     byname limit=<vt>:<value> string=<get_StringValue>   GetPropertyByName(L"limit")
//     byname nope=<hresult>            GetPropertyByName(L"nope")
//     item name=<vt>:<value>           property collection get_Item(VT_BSTR L"name")
//     item 99=<hresult>                property collection get_Item(VT_I4 99)
//     collection=<count>               get_Collection, then per entry, by get_Item(VT_UI4 index):
//     entry <i> <attr>=<value>,...     the entry's properties as get_StringValue text
//     children=<count> <name>,...      get_ChildElements, get_Item(VT_I4 index) and get_Name
//     child details mode=<vt>:<value>  get_ChildElements()->get_Item(VT_BSTR L"details")
//     element details mode=<vt>:<value> GetElementByName(L"details")
//     element nope=<hresult>           GetElementByName(L"nope")
//     missing=<hresult>                GetAdminSection(L"system.webServer/noSuchSection")
//     badpath=<hresult>                GetAdminSection at L"MACHINE/NOWHERE"
//     qi=<hr unknown>,<hr element>,<hr property>   QueryInterface on the section element
//     refs=<AddRef>,<Release>,<Release>            on a freshly got element: 2,1,0
//     clsid other=<hresult>            CoCreateInstance of CLSID_AppHostWritableAdminManager
//   <vt> is the decimal VARTYPE, <value> the VT_BOOL (-1/0), VT_I4, VT_UI4 or VT_BSTR value.
//   HRESULTs are 0x%08X. Every interface is released and every BSTR and VARIANT freed.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <string>

#include "fixture.h"
#include "adminfx.h"

namespace {

std::string registered = "none";

std::string Text(BSTR s) { return fx::BstrText(s); }

std::string Describe(VARIANT &v) { return fx::VariantText(v); }

std::string ValueOf(IAppHostProperty *p)
{
    VARIANT v;
    VariantInit(&v);
    HRESULT hr = p->get_Value(&v);
    return FAILED(hr) ? fx::Hex(hr) : Describe(v);
}

std::string NameOf(IAppHostElement *e)
{
    BSTR name = nullptr;
    HRESULT hr = e->get_Name(&name);
    std::string out = FAILED(hr) ? fx::Hex(hr) : Text(name);
    SysFreeString(name);
    return out;
}

HRESULT Section(IAppHostAdminManager *m, const wchar_t *section, const wchar_t *path, IAppHostElement **out)
{
    BSTR s = SysAllocString(section);
    BSTR p = SysAllocString(path);
    HRESULT hr = m->GetAdminSection(s, p, out);
    SysFreeString(s);
    SysFreeString(p);
    return hr;
}

std::string PropertyByName(IAppHostElement *e, const wchar_t *name, bool withString)
{
    BSTR n = SysAllocString(name);
    IAppHostProperty *p = nullptr;
    HRESULT hr = e->GetPropertyByName(n, &p);
    SysFreeString(n);
    if (FAILED(hr)) {
        return fx::Hex(hr);
    }
    std::string out = ValueOf(p);
    if (withString) {
        BSTR s = nullptr;
        hr = p->get_StringValue(&s);
        out += " string=" + (FAILED(hr) ? fx::Hex(hr) : Text(s));
        SysFreeString(s);
    }
    p->Release();
    return out;
}

VARIANT Index(VARTYPE vt, long i)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = vt;
    if (vt == VT_UI4) {
        v.ulVal = static_cast<ULONG>(i);
    } else {
        v.lVal = i;
    }
    return v;
}

VARIANT Name(const wchar_t *name)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_BSTR;
    v.bstrVal = SysAllocString(name);
    return v;
}

// Every property of e as "name=value" (get_StringValue), comma-separated.
std::string Properties(IAppHostElement *e)
{
    IAppHostPropertyCollection *props = nullptr;
    HRESULT hr = e->get_Properties(&props);
    if (FAILED(hr)) {
        return fx::Hex(hr);
    }
    DWORD n = 0;
    props->get_Count(&n);
    std::string out;
    for (DWORD i = 0; i < n; i++) {
        IAppHostProperty *p = nullptr;
        if (FAILED(props->get_Item(Index(VT_I4, static_cast<long>(i)), &p))) {
            continue;
        }
        BSTR name = nullptr, value = nullptr;
        p->get_Name(&name);
        p->get_StringValue(&value);
        out += (i ? "," : "") + Text(name) + "=" + Text(value);
        SysFreeString(name);
        SysFreeString(value);
        p->Release();
    }
    props->Release();
    return out;
}

std::string Report(IAppHostAdminManager *m, const std::wstring &path)
{
    std::string out = "registered=" + registered + "\n";
    IAppHostElement *section = nullptr;
    HRESULT hr = Section(m, L"system.webServer/adminFixture", path.c_str(), &section);
    if (FAILED(hr)) {
        return out + "section=" + fx::Hex(hr) + "\n";
    }
    out += "section=" + NameOf(section) + "\n";

    IAppHostPropertyCollection *props = nullptr;
    if (SUCCEEDED(section->get_Properties(&props))) {
        DWORD n = 0;
        props->get_Count(&n);
        for (DWORD i = 0; i < n; i++) {
            IAppHostProperty *p = nullptr;
            hr = props->get_Item(Index(VT_I4, static_cast<long>(i)), &p);
            if (FAILED(hr)) {
                out += "prop " + std::to_string(i) + "=" + fx::Hex(hr) + "\n";
                continue;
            }
            BSTR name = nullptr;
            p->get_Name(&name);
            out += "prop " + Text(name) + "=" + ValueOf(p) + "\n";
            SysFreeString(name);
            p->Release();
        }
        out += "byname limit=" + PropertyByName(section, L"limit", true) + "\n";
        out += "byname nope=" + PropertyByName(section, L"nope", false) + "\n";
        VARIANT key = Name(L"name");
        IAppHostProperty *p = nullptr;
        hr = props->get_Item(key, &p);
        VariantClear(&key);
        out += "item name=" + (FAILED(hr) ? fx::Hex(hr) : ValueOf(p)) + "\n";
        if (p) {
            p->Release();
        }
        p = nullptr;
        hr = props->get_Item(Index(VT_I4, 99), &p);
        out += "item 99=" + fx::Hex(hr) + "\n";
        props->Release();
    }

    IAppHostElementCollection *coll = nullptr;
    if (SUCCEEDED(section->get_Collection(&coll))) {
        DWORD n = 0;
        coll->get_Count(&n);
        out += "collection=" + std::to_string(n) + "\n";
        for (DWORD i = 0; i < n; i++) {
            IAppHostElement *entry = nullptr;
            hr = coll->get_Item(Index(VT_UI4, static_cast<long>(i)), &entry);
            out += "entry " + std::to_string(i) + " " + (FAILED(hr) ? fx::Hex(hr) : Properties(entry)) + "\n";
            if (entry) {
                entry->Release();
            }
        }
        coll->Release();
    }

    IAppHostChildElementCollection *children = nullptr;
    if (SUCCEEDED(section->get_ChildElements(&children))) {
        DWORD n = 0;
        children->get_Count(&n);
        out += "children=" + std::to_string(n) + " ";
        for (DWORD i = 0; i < n; i++) {
            IAppHostElement *child = nullptr;
            if (SUCCEEDED(children->get_Item(Index(VT_I4, static_cast<long>(i)), &child))) {
                out += (i ? "," : "") + NameOf(child);
                child->Release();
            }
        }
        out += "\n";
        VARIANT key = Name(L"details");
        IAppHostElement *child = nullptr;
        hr = children->get_Item(key, &child);
        VariantClear(&key);
        out += "child details mode=" + (FAILED(hr) ? fx::Hex(hr) : PropertyByName(child, L"mode", false)) + "\n";
        if (child) {
            child->Release();
        }
        children->Release();
    }

    BSTR name = SysAllocString(L"details");
    IAppHostElement *details = nullptr;
    hr = section->GetElementByName(name, &details);
    SysFreeString(name);
    out += "element details mode=" + (FAILED(hr) ? fx::Hex(hr) : PropertyByName(details, L"mode", false)) + "\n";
    if (details) {
        details->Release();
    }
    name = SysAllocString(L"nope");
    IAppHostElement *nope = nullptr;
    hr = section->GetElementByName(name, &nope);
    SysFreeString(name);
    out += "element nope=" + fx::Hex(hr) + "\n";

    IAppHostElement *missing = nullptr;
    hr = Section(m, L"system.webServer/noSuchSection", path.c_str(), &missing);
    out += "missing=" + fx::Hex(hr) + "\n";
    hr = Section(m, L"system.webServer/adminFixture", L"MACHINE/NOWHERE", &missing);
    out += "badpath=" + fx::Hex(hr) + "\n";

    void *unknown = nullptr, *element = nullptr, *property = nullptr;
    HRESULT h1 = section->QueryInterface(IID_IUnknown, &unknown);
    HRESULT h2 = section->QueryInterface(IID_IAppHostElement, &element);
    HRESULT h3 = section->QueryInterface(IID_IAppHostProperty, &property);
    out += "qi=" + fx::Hex(h1) + "," + fx::Hex(h2) + "," + fx::Hex(h3) + "\n";
    if (unknown) {
        static_cast<IUnknown *>(unknown)->Release();
    }
    if (element) {
        static_cast<IUnknown *>(element)->Release();
    }
    section->Release();

    IAppHostElement *fresh = nullptr;
    if (SUCCEEDED(Section(m, L"system.webServer/adminFixture", path.c_str(), &fresh))) {
        ULONG a = fresh->AddRef();
        ULONG b = fresh->Release();
        ULONG c = fresh->Release();
        out += "refs=" + std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "\n";
    }
    return out;
}

class AdminModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::string header = fx::Header(ctx, "X-Config-Path");
        std::wstring path = header.empty() ? std::wstring(L"MACHINE/WEBROOT/APPHOST") : fx::Wide(header);
        IAppHostAdminManager *m = nullptr;
        HRESULT hr = CoCreateInstance(__uuidof(AppHostAdminManager), NULL, CLSCTX_INPROC_SERVER,
                                      __uuidof(IAppHostAdminManager), reinterpret_cast<void **>(&m));
        std::string body;
        if (FAILED(hr)) {
            body = "create=" + fx::Hex(hr) + "\n";
        } else {
            body = Report(m, path);
            m->Release();
        }
        IUnknown *other = nullptr;
        hr = CoCreateInstance(CLSID_AppHostWritableAdminManager, NULL, CLSCTX_INPROC_SERVER, IID_IUnknown,
                              reinterpret_cast<void **>(&other));
        body += "clsid other=" + fx::Hex(hr) + "\n";
        fx::Reply(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

} // namespace

extern "C" HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *server)
{
    IAppHostAdminManager *m = server->GetAdminManager();
    if (m == nullptr) {
        registered = "no manager";
    } else {
        IAppHostElement *section = nullptr;
        HRESULT hr = Section(m, L"system.webServer/adminFixture", L"MACHINE/WEBROOT/APPHOST", &section);
        if (FAILED(hr)) {
            registered = fx::Hex(hr);
        } else {
            registered = PropertyByName(section, L"limit", false);
            section->Release();
        }
    }
    return info->SetRequestNotifications(new fx::Factory<AdminModule>(), RQ_BEGIN_REQUEST, 0);
}
