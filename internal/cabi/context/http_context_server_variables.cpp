// Server variables: the CGI set and the IIS additions, computed on demand from the request
// state; values set by modules override them.
#include "socket_addresses.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <string>

#include "forward.h"
#include "host_instance.h"
#include "http_context.h"
#include "http_context_paths.h"
#include "http_context_server_variables.h"
#include "http_request.h"
#include "http_site.h"
#include "request_state.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

static std::string AddressText(const sockaddr_storage &a)
{
    char buf[INET6_ADDRSTRLEN] = "";
    if (a.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 &>(a).sin6_addr, buf, sizeof(buf));
    } else {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in &>(a).sin_addr, buf, sizeof(buf));
    }
    return buf;
}

static unsigned PortOf(const sockaddr_storage &a)
{
    return ntohs(a.ss_family == AF_INET6 ? reinterpret_cast<const sockaddr_in6 &>(a).sin6_port
                                         : reinterpret_cast<const sockaddr_in &>(a).sin_port);
}

static std::string HeaderText(RequestState *st, int id)
{
    USHORT n = 0;
    PCSTR v = st->in.requestHeaders.Get(id, &n);
    return v ? std::string(v, n) : std::string();
}

// ServerName is the Host header without its port, or the local address when there is none.
static std::string ServerName(RequestState *st)
{
    std::string host(st->in.hostName, st->in.hostNameLen);
    if (host.empty()) {
        return AddressText(st->in.localAddress);
    }
    if (host[0] == '[') {
        size_t close = host.find(']');
        return close == std::string::npos ? host : host.substr(0, close + 1);
    }
    size_t colon = host.rfind(':');
    return colon == std::string::npos ? host : host.substr(0, colon);
}

// AllHttp renders every request header as HTTP_NAME:value lines, as CGI names them.
static std::string AllHttp(RequestState *st)
{
    std::string out;
    st->in.requestHeaders.ForEach([&out](iis_bytes name, iis_bytes value) {
        out += "HTTP_";
        for (uint32_t i = 0; i < name.len; i++) {
            out += name.data[i] == '-' ? '_' : static_cast<char>(toupper(static_cast<unsigned char>(name.data[i])));
        }
        out += ':';
        out.append(value.data, value.len);
        out += '\n';
    });
    return out;
}

// TlsVariable computes a CERT_* or HTTPS_* variable (n upper-case) from the request's TLS facts,
// empty over plain HTTP; false when the name is not one.
static bool TlsVariable(const TlsFacts *t, const std::string &n, std::string *out)
{
    auto text = [t, out](int i) {
        if (t) {
            out->assign(t->text[i], t->len[i]);
        }
    };
    auto number = [t, out](unsigned v) {
        if (t) {
            *out = std::to_string(v);
        }
    };
    out->clear();
    bool client = t && (t->clientFlags & 1);
    if (n == "HTTPS_KEYSIZE" || n == "CERT_KEYSIZE") {
        number(t ? t->keyBits : 0);
    } else if (n == "HTTPS_SECRETKEYSIZE" || n == "CERT_SECRETKEYSIZE") {
        number(t ? t->serverKeyBits : 0);
    } else if (n == "HTTPS_SERVER_ISSUER" || n == "CERT_SERVER_ISSUER") {
        text(IIS_TLS_SERVER_ISSUER);
    } else if (n == "HTTPS_SERVER_SUBJECT" || n == "CERT_SERVER_SUBJECT") {
        text(IIS_TLS_SERVER_SUBJECT);
    } else if (n == "CERT_FLAGS") {
        *out = std::to_string(t ? t->clientFlags & IIS_TLS_CERT_FLAGS : 0);
    } else if (n == "CERT_SUBJECT" || n == "CERT_ISSUER" || n == "CERT_SERIALNUMBER" || n == "CERT_COOKIE") {
        if (client) {
            text(n == "CERT_SUBJECT" ? IIS_TLS_CLIENT_SUBJECT
                 : n == "CERT_ISSUER" ? IIS_TLS_CLIENT_ISSUER
                 : n == "CERT_SERIALNUMBER" ? IIS_TLS_CLIENT_SERIAL
                                            : IIS_TLS_CLIENT_COOKIE);
        }
    } else {
        return false;
    }
    return true;
}

// Computes a built-in variable; false when the name is not one.
static bool Compute(RequestState *st, const char *name, std::string *out)
{
    EnsureAddresses(st);
    std::string n(name);
    for (char &c : n) {
        c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
    }
    auto is = [&n](const char *v) { return n == v; };
    if (is("REQUEST_METHOD")) {
        out->assign(st->in.method, st->in.methodLen);
    } else if (is("URL") || is("SCRIPT_NAME") || is("PATH_INFO")) {
        out->assign(st->in.path, st->in.pathLen);
    } else if (is("QUERY_STRING")) {
        out->assign(st->in.query, st->in.queryLen);
    } else if (is("HTTP_URL") || is("UNENCODED_URL") || is("REQUEST_URI")) {
        out->assign(st->in.raw.pRawUrl, st->in.raw.RawUrlLength);
    } else if (is("REMOTE_ADDR") || is("REMOTE_HOST")) {
        *out = AddressText(st->in.remoteAddress);
    } else if (is("REMOTE_PORT")) {
        *out = std::to_string(PortOf(st->in.remoteAddress));
    } else if (is("LOCAL_ADDR")) {
        *out = AddressText(st->in.localAddress);
    } else if (is("SERVER_NAME")) {
        *out = ServerName(st);
    } else if (is("SERVER_PORT")) {
        *out = std::to_string(PortOf(st->in.localAddress));
    } else if (is("SERVER_PORT_SECURE")) {
        *out = st->in.https ? "1" : "0";
    } else if (is("SERVER_PROTOCOL") || is("HTTP_VERSION")) {
        *out = "HTTP/" + std::to_string(st->in.raw.Version.MajorVersion) + "." + std::to_string(st->in.raw.Version.MinorVersion);
    } else if (is("PATH_TRANSLATED") || is("SCRIPT_FILENAME") || is("SCRIPT_TRANSLATED") || is("REQUEST_FILENAME")) {
        *out = MapUrl(st, st->in.path, st->in.pathLen);
    } else if (is("CACHE_URL")) {
        EnsureCookedUrl(st);
        *out = NarrowString(std::wstring(st->in.raw.CookedUrl.pFullUrl, st->in.raw.CookedUrl.FullUrlLength / sizeof(WCHAR)).c_str());
    } else if (is("ALL_RAW")) {
        st->in.requestHeaders.ForEach([out](iis_bytes name, iis_bytes value) {
            out->append(name.data, name.len).append(": ").append(value.data, value.len).append("\r\n");
        });
    } else if (is("INSTANCE_META_PATH")) {
        *out = "/LM/W3SVC/" + std::to_string(st->site->id);
    } else if (is("INSTANCE_NAME")) {
        *out = st->site->name;
    } else if (is("APP_POOL_ID")) {
        *out = st->host->config.appPoolName;
    } else if (is("AUTH_PASSWORD")) {
        *out = NarrowString(st->user->GetPassword());
    } else if (is("UNMAPPED_REMOTE_USER")) {
        *out = NarrowString(st->user->GetRemoteUserName());
    } else if (is("SSI_EXEC_DISABLED")) {
        *out = "0";
    } else if (n.compare(0, 5, "CERT_") == 0 || n.compare(0, 6, "HTTPS_") == 0) {
        if (!TlsVariable(st->in.tls, n, out)) {
            return false;
        }
    } else if (is("SERVER_SOFTWARE")) {
        *out = "iishost";
    } else if (is("GATEWAY_INTERFACE")) {
        *out = "CGI/1.1";
    } else if (is("HTTPS")) {
        *out = st->in.https ? "on" : "off";
    } else if (is("CONTENT_LENGTH")) {
        *out = HeaderText(st, HttpHeaderContentLength);
        if (out->empty()) {
            *out = "0";
        }
    } else if (is("CONTENT_TYPE")) {
        *out = HeaderText(st, HttpHeaderContentType);
    } else if (is("ALL_HTTP")) {
        *out = AllHttp(st);
    } else if (is("INSTANCE_ID")) {
        *out = std::to_string(st->site->id);
    } else if (is("APPL_PHYSICAL_PATH")) {
        *out = st->app->physicalPath;
    } else if (is("APPL_MD_PATH")) {
        *out = NarrowString(st->app->wideAppId.c_str());
    } else if (is("AUTH_TYPE") || is("AUTH_USER") || is("LOGON_USER") || is("REMOTE_USER")) {
        IHttpUser *user = st->user;
        *out = NarrowString(is("AUTH_TYPE") ? user->GetAuthenticationType() : user->GetUserName());
    } else if (n.compare(0, 5, "HTTP_") == 0 || n.compare(0, 7, "HEADER_") == 0) {
        // HTTP_X_FOO names the header X-Foo; HEADER_ takes the name as written.
        bool cgi = n[0] == 'H' && n[1] == 'T';
        std::string header(name + (cgi ? 5 : 7));
        if (cgi) {
            for (char &c : header) {
                c = c == '_' ? '-' : c;
            }
        }
        USHORT len = 0;
        PCSTR v = st->in.requestHeaders.Get(header.c_str(), &len);
        if (!v) {
            return false;
        }
        out->assign(v, len);
    } else {
        return false;
    }
    return true;
}

HRESULT LookupServerVariable(RequestState *st, const char *name, const char **narrow, size_t *narrowLen)
{
    for (const ServerVariableOverride &v : st->serverVariables) {
        if (strcasecmp(v.name, name) == 0) {
            *narrow = v.narrow;
            *narrowLen = v.narrowLen;
            return S_OK;
        }
    }
    std::string value;
    if (!Compute(st, name, &value)) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_INDEX);
    }
    char *copy = st->arena.CopyString(value.data(), value.size());
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    *narrow = copy;
    *narrowLen = value.size();
    return S_OK;
}

HRESULT HostContext::GetServerVariable(PCSTR name, PCSTR *value, DWORD *length)
{
    if (!name || !value) {
        return E_INVALIDARG;
    }
    size_t n = 0;
    HRESULT hr = LookupServerVariable(st, name, value, &n);
    if (length) {
        *length = SUCCEEDED(hr) ? static_cast<DWORD>(n) : 0;
    }
    return hr;
}

HRESULT HostContext::GetServerVariable(PCSTR name, PCWSTR *value, DWORD *length)
{
    if (!name || !value) {
        return E_INVALIDARG;
    }
    const char *narrow;
    size_t n = 0, wide = 0;
    HRESULT hr = LookupServerVariable(st, name, &narrow, &n);
    if (SUCCEEDED(hr)) {
        *value = Widen(st->arena, narrow, n, &wide);
        hr = *value ? S_OK : E_OUTOFMEMORY;
    }
    if (length) {
        *length = SUCCEEDED(hr) ? static_cast<DWORD>(wide) : 0;
    }
    return hr;
}

HRESULT HostContext::SetServerVariable(PCSTR name, PCWSTR value)
{
    if (!name || !*name || !value) {
        return E_INVALIDARG;
    }
    size_t narrowLen;
    char *narrow = Narrow(st->arena, value, wcslen(value), &narrowLen);
    if (!narrow) {
        return E_OUTOFMEMORY;
    }
    if (strncasecmp(name, "HTTP_", 5) == 0 && name[5]) {
        // A request-header variable: setting it sets the header that backs it.
        std::string header(name + 5);
        for (char &c : header) {
            c = c == '_' ? '-' : c;
        }
        return st->in.requestHeaders.Set(st->arena, header.data(), header.size(), narrow, narrowLen, true);
    }
    return SetServerVariableOverride(st, name, narrow, narrowLen);
}

HRESULT SetServerVariableOverride(RequestState *st, const char *name, const char *value, size_t len)
{
    for (ServerVariableOverride &v : st->serverVariables) {
        if (strcasecmp(v.name, name) == 0) {
            v = ServerVariableOverride{v.name, value, len};
            return S_OK;
        }
    }
    char *nameCopy = st->arena.CopyString(name, strlen(name));
    if (!nameCopy) {
        return E_OUTOFMEMORY;
    }
    st->serverVariables.push_back(ServerVariableOverride{nameCopy, value, len});
    return S_OK;
}

} // namespace iishost
