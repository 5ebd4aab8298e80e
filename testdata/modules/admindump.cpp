// admindump.cpp - fixture: one configuration section as the admin manager gives it, typed.
//
// Contract: each request (RQ_BEGIN_REQUEST) reads the section named by the X-Section request
// header at the configuration path in X-Config-Path (default: the site's own path, from
// IHttpContext::GetMetadata()->GetMetaPath() extended by the request's URL, as IIS computes a
// request's configuration path), through IHttpServer::GetAdminManager. X-Section-Form says how
// the section name is passed:
//   bstr     SysAllocString (the default)
//   nul      a BSTR whose length counts its terminating NUL, as some real modules make them
//   literal  a plain wide string literal cast to BSTR, with no length prefix
// It answers 200 text/plain:
//   path=<configuration path used>
//   section=<hresult>                          when GetAdminSection fails; nothing follows
// or, for the section and recursively for every child element and collection entry, indented
// by two spaces a level:
//   <name>                                     get_Name
//   @<attr>=<vt>:<value> "<get_StringValue>"   every property, by get_Properties()->get_Item
//   [<i>]                                      then the entry, by get_Collection()->get_Item
// Child elements come after the properties, entries after the children. <vt> is the decimal
// VARTYPE; <value> is -1/0 for VT_BOOL and the number for VT_I4, VT_UI4, VT_I8 and VT_UI8.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>
#include <ahadmin.h>

#include <string>

#include "fixture.h"
#include "adminfx.h"

namespace {

IHttpServer *server = nullptr;

std::string Text(BSTR s) { return fx::BstrText(s); }

std::string Value(VARIANT &v) { return fx::VariantText(v); }

VARIANT Index(DWORD i)
{
    VARIANT v;
    VariantInit(&v);
    v.vt = VT_UI4;
    v.ulVal = i;
    return v;
}

void Dump(IAppHostElement *e, const std::string &indent, std::string &out)
{
    BSTR name = nullptr;
    e->get_Name(&name);
    out += indent + Text(name) + "\n";
    SysFreeString(name);

    IAppHostPropertyCollection *props = nullptr;
    if (SUCCEEDED(e->get_Properties(&props))) {
        DWORD n = 0;
        props->get_Count(&n);
        for (DWORD i = 0; i < n; i++) {
            IAppHostProperty *p = nullptr;
            if (FAILED(props->get_Item(Index(i), &p))) {
                continue;
            }
            BSTR pname = nullptr, text = nullptr;
            VARIANT v;
            VariantInit(&v);
            p->get_Name(&pname);
            p->get_Value(&v);
            p->get_StringValue(&text);
            out += indent + "  @" + Text(pname) + "=" + Value(v) + " \"" + Text(text) + "\"\n";
            SysFreeString(pname);
            SysFreeString(text);
            p->Release();
        }
        props->Release();
    }
    IAppHostChildElementCollection *children = nullptr;
    if (SUCCEEDED(e->get_ChildElements(&children))) {
        DWORD n = 0;
        children->get_Count(&n);
        for (DWORD i = 0; i < n; i++) {
            IAppHostElement *c = nullptr;
            if (SUCCEEDED(children->get_Item(Index(i), &c))) {
                Dump(c, indent + "  ", out);
                c->Release();
            }
        }
        children->Release();
    }
    IAppHostElementCollection *entries = nullptr;
    if (SUCCEEDED(e->get_Collection(&entries))) {
        DWORD n = 0;
        entries->get_Count(&n);
        for (DWORD i = 0; i < n; i++) {
            IAppHostElement *c = nullptr;
            if (SUCCEEDED(entries->get_Item(Index(i), &c))) {
                out += indent + "  [" + std::to_string(i) + "]\n";
                Dump(c, indent + "    ", out);
                c->Release();
            }
        }
        entries->Release();
    }
}

class DumpModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext *ctx, IHttpEventProvider *) override
    {
        std::wstring section = fx::Wide(fx::Header(ctx, "X-Section"));
        std::string form = fx::Header(ctx, "X-Section-Form");
        std::string header = fx::Header(ctx, "X-Config-Path");
        std::wstring path = header.empty() ? std::wstring(ctx->GetMetadata()->GetMetaPath()) + fx::Wide(fx::AbsPath(ctx))
                                           : fx::Wide(header);
        while (path.size() > 1 && path.back() == L'/') {
            path.pop_back();
        }
        BSTR s;
        if (form == "nul") {
            s = SysAllocStringLen(section.c_str(), static_cast<UINT>(section.size() + 1));
        } else if (form == "literal") {
            s = const_cast<BSTR>(section.c_str());
        } else {
            s = SysAllocString(section.c_str());
        }
        BSTR p = SysAllocString(path.c_str());
        IAppHostElement *e = nullptr;
        HRESULT hr = server->GetAdminManager()->GetAdminSection(s, p, &e);
        if (form != "literal") {
            SysFreeString(s);
        }
        SysFreeString(p);
        std::string out = "path=" + fx::Utf8(path.c_str()) + "\n";
        if (FAILED(hr)) {
            out += "section=" + fx::Hex(hr) + "\n";
        } else {
            Dump(e, "", out);
            e->Release();
        }
        fx::Reply(ctx, out);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

} // namespace

extern "C" HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *s)
{
    server = s;
    return info->SetRequestNotifications(new fx::Factory<DumpModule>(), RQ_BEGIN_REQUEST, 0);
}
