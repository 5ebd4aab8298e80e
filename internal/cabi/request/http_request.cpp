// IHttpRequest over the request state, and the one-time copy of a request from Go.
#include "socket_addresses.h"
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "callbacks.h"
#include "clocks.h"
#include "forward.h"
#include "headers.h"
#include "http_context_paths.h"
#include "http_request.h"
#include "http_site.h"
#include "pipeline_turn.h"
#include "request_state.h"
#include "request_trace.h"
#include "script_map_info.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

static HTTP_VERB VerbOf(const char *m, size_t n)
{
    static const struct {
        const char *name;
        HTTP_VERB verb;
    } verbs[] = {{"OPTIONS", HttpVerbOPTIONS}, {"GET", HttpVerbGET},       {"HEAD", HttpVerbHEAD},
                 {"POST", HttpVerbPOST},       {"PUT", HttpVerbPUT},       {"DELETE", HttpVerbDELETE},
                 {"TRACE", HttpVerbTRACE},     {"CONNECT", HttpVerbCONNECT}, {"TRACK", HttpVerbTRACK},
                 {"MOVE", HttpVerbMOVE},       {"COPY", HttpVerbCOPY},     {"PROPFIND", HttpVerbPROPFIND},
                 {"PROPPATCH", HttpVerbPROPPATCH}, {"MKCOL", HttpVerbMKCOL}, {"LOCK", HttpVerbLOCK},
                 {"UNLOCK", HttpVerbUNLOCK},   {"SEARCH", HttpVerbSEARCH}};
    for (const auto &v : verbs) {
        if (strlen(v.name) == n && memcmp(v.name, m, n) == 0) {
            return v.verb;
        }
    }
    return HttpVerbUnknown;
}

static void FillAddress(sockaddr_storage *out, const uint8_t *ip, bool v6, uint16_t port)
{
    memset(out, 0, sizeof(*out));
    if (v6) {
        auto *a = reinterpret_cast<sockaddr_in6 *>(out);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        memcpy(&a->sin6_addr, ip, 16);
    } else {
        auto *a = reinterpret_cast<sockaddr_in *>(out);
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        memcpy(&a->sin_addr, ip, 4);
    }
}

// ParsePort reads a decimal port of 1 to 5 digits, up to 65535.
static bool ParsePort(const char *s, size_t len, uint16_t *port)
{
    if (len == 0 || len > 5) {
        return false;
    }
    uint32_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        v = v * 10 + uint32_t(s[i] - '0');
    }
    if (v > 0xFFFF) {
        return false;
    }
    *port = static_cast<uint16_t>(v);
    return true;
}

// EnsureAddresses parses the remote address on first use. net/http gives "ip:port" or
// "[ip6]:port"; the address is copied to a bounded stack buffer for inet_pton, which wants a
// terminated string: nothing is allocated.
void EnsureAddresses(const RequestState *cst)
{
    auto *st = const_cast<RequestState *>(cst);
    if (st->in.remoteParsed) {
        return;
    }
    st->in.remoteParsed = true;
    const char *text = st->in.remoteText;
    size_t len = text ? st->in.remoteTextLen : 0;
    const char *colon = nullptr;
    for (size_t i = len; i > 0; i--) {
        if (text[i - 1] == ':') {
            colon = text + i - 1;
            break;
        }
    }
    uint16_t port;
    if (!colon || !ParsePort(colon + 1, size_t(text + len - colon - 1), &port)) {
        return;
    }
    const char *ip = text;
    size_t ipLen = size_t(colon - text);
    bool v6 = ipLen > 2 && ip[0] == '[' && ip[ipLen - 1] == ']';
    if (v6) {
        ip++, ipLen -= 2;
    }
    char buf[INET6_ADDRSTRLEN];
    if (ipLen >= sizeof(buf)) {
        return;
    }
    memcpy(buf, ip, ipLen);
    buf[ipLen] = 0;
    uint8_t bytes[16];
    if (inet_pton(v6 ? AF_INET6 : AF_INET, buf, bytes) == 1) {
        FillAddress(&st->in.remoteAddress, bytes, v6, port);
    }
}

// kMaxUshort bounds every length stored in a USHORT field of an http.h structure.
constexpr size_t kMaxUshort = 0xFFFF;

// UrlTooLong is the HRESULT for a URL whose cooked or raw form overflows its USHORT length.
static const HRESULT kUrlTooLong = HRESULT_FROM_WIN32(ERROR_BUFFER_OVERFLOW);

// SetMethod updates the verb as both the API and the raw structure show it.
static HRESULT SetMethod(RequestState *st, const char *method, size_t len)
{
    if (len > kMaxUshort) { // UnknownVerbLength is a USHORT
        return E_INVALIDARG;
    }
    char *copy = st->arena.CopyString(method, len);
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    st->in.method = copy;
    st->in.methodLen = len;
    st->in.raw.Verb = VerbOf(method, len);
    st->in.raw.pUnknownVerb = st->in.raw.Verb == HttpVerbUnknown ? st->in.method : nullptr;
    st->in.raw.UnknownVerbLength = st->in.raw.Verb == HttpVerbUnknown ? static_cast<USHORT>(len) : 0;
    return S_OK;
}

static const char *SchemeOf(const RequestState *st) { return st->in.https ? "https://" : "http://"; }

// CookedUrlFits says whether the cooked URL's wide form fits HTTP_COOKED_URL's USHORT byte
// counts, without building it: a UTF-8 byte never widens to more than one WCHAR, so only a
// URL near the limit is measured exactly. A URL that does not fit is refused, never wrapped
// (a wrapped AbsPathLength would show modules an empty path).
static bool CookedUrlFits(const RequestState *st)
{
    size_t bytes = strlen(SchemeOf(st)) + st->in.hostNameLen + st->in.pathLen + (st->in.queryLen ? st->in.queryLen + 1 : 0);
    if (bytes * sizeof(WCHAR) <= kMaxUshort) {
        return true;
    }
    size_t chars = strlen(SchemeOf(st)) + WideLength(st->in.hostName, st->in.hostNameLen) + WideLength(st->in.path, st->in.pathLen) +
                   (st->in.queryLen ? WideLength(st->in.query, st->in.queryLen) + 1 : 0);
    return chars * sizeof(WCHAR) <= kMaxUshort;
}

// CookUrl builds the cooked URL from host, path and query as HTTP.sys presents it: wide
// strings, lengths in bytes. It runs on first use (EnsureCookedUrl): most requests never look.
static HRESULT CookUrl(RequestState *st)
{
    Arena &a = st->arena;
    const char *scheme = SchemeOf(st);
    size_t schemeLen = strlen(scheme);
    size_t rawLen = st->in.pathLen + (st->in.queryLen ? st->in.queryLen + 1 : 0);
    size_t fullBytes = schemeLen + st->in.hostNameLen + rawLen;
    char *full = static_cast<char *>(a.Allocate(fullBytes + 1));
    if (!full) {
        return E_OUTOFMEMORY;
    }
    char *p = full;
    memcpy(p, scheme, schemeLen);
    p += schemeLen;
    memcpy(p, st->in.hostName, st->in.hostNameLen);
    p += st->in.hostNameLen;
    memcpy(p, st->in.path, st->in.pathLen);
    p += st->in.pathLen;
    if (st->in.queryLen) {
        *p++ = '?';
        memcpy(p, st->in.query, st->in.queryLen);
        p += st->in.queryLen;
    }
    *p = 0;
    size_t fullLen;
    WCHAR *wfull = Widen(a, full, fullBytes, &fullLen);
    if (!wfull) {
        return E_OUTOFMEMORY;
    }
    // The host, path and query point into the full URL, as they do in HTTP.sys.
    WCHAR *whost = wfull + schemeLen;
    size_t hostLen = WideLength(st->in.hostName, st->in.hostNameLen);
    size_t pathStart = schemeLen + hostLen;
    size_t pathLen = WideLength(st->in.path, st->in.pathLen);
    size_t queryLen = st->in.queryLen ? WideLength(st->in.query, st->in.queryLen) + 1 : 0; // with the '?'
    if (fullLen * sizeof(WCHAR) > kMaxUshort) {
        return kUrlTooLong; // CookedUrlFits let it through: a bug, but never a wrapped length
    }

    HTTP_COOKED_URL &c = st->in.raw.CookedUrl;
    c.pFullUrl = wfull;
    c.FullUrlLength = static_cast<USHORT>(fullLen * sizeof(WCHAR));
    c.pHost = whost;
    c.HostLength = static_cast<USHORT>(hostLen * sizeof(WCHAR));
    c.pAbsPath = wfull + pathStart;
    c.AbsPathLength = static_cast<USHORT>(pathLen * sizeof(WCHAR));
    c.pQueryString = queryLen ? wfull + pathStart + pathLen : nullptr;
    c.QueryStringLength = static_cast<USHORT>(queryLen * sizeof(WCHAR));
    return S_OK;
}

void EnsureCookedUrl(const RequestState *cst)
{
    auto *st = const_cast<RequestState *>(cst);
    if (!st->in.raw.CookedUrl.pFullUrl) {
        (void)CookUrl(st); // out of memory leaves it empty, and the next use tries again
    }
}

// CERT_TRUST_IS_UNTRUSTED_ROOT, the chain error HTTP.sys reports for a client certificate whose
// root the server does not trust.
constexpr ULONG kCertTrustIsUntrustedRoot = 0x20;

static HRESULT LoadTls(RequestState *st, const iis_request_meta *m, const char *p, const char *end);

// LoadRequest copies a request from Go into the state, once.
HRESULT LoadRequest(RequestState *st, const iis_request_meta *m, const char *s, size_t n)
{
    Arena &a = st->arena;
    size_t fixed = size_t(m->method_len) + m->raw_url_len + m->path_len + m->query_len + m->host_len + m->remote_len +
                   m->refuse_reason_len + m->refuse_page_len;
    if (fixed > n) {
        return E_INVALIDARG;
    }
    const char *p = s;
    if (m->raw_url_len > kMaxUshort) {
        return kUrlTooLong;
    }
    HRESULT hr = SetMethod(st, p, m->method_len);
    if (FAILED(hr)) {
        return hr;
    }
    p += m->method_len;
    st->in.raw.pRawUrl = a.CopyString(p, m->raw_url_len);
    st->in.raw.RawUrlLength = static_cast<USHORT>(m->raw_url_len);
    p += m->raw_url_len;
    st->in.path = a.CopyString(p, m->path_len);
    st->in.pathLen = m->path_len;
    if (m->site >= st->host->sites.size()) {
        return E_INVALIDARG;
    }
    st->site = st->host->sites[m->site].get();
    st->app = ApplicationFor(st->site, st->in.path, st->in.pathLen);
    st->mapping.scope = ScopeFor(st->site, st->in.path, st->in.pathLen);
    p += m->path_len;
    st->in.query = a.CopyString(p, m->query_len);
    st->in.queryLen = m->query_len;
    p += m->query_len;
    st->in.hostName = a.CopyString(p, m->host_len);
    st->in.hostNameLen = m->host_len;
    p += m->host_len;
    st->in.remoteText = a.CopyString(p, m->remote_len);
    st->in.remoteTextLen = m->remote_len;
    p += m->remote_len;
    if (m->refuse_status) {
        st->in.refusal.status = m->refuse_status;
        st->in.refusal.substatus = m->refuse_substatus;
        st->in.refusal.close = m->refuse_close != 0;
        st->in.refusal.reason = a.CopyString(p, m->refuse_reason_len);
        st->in.refusal.reasonLen = m->refuse_reason_len;
        p += m->refuse_reason_len;
        st->in.refusal.page = a.CopyString(p, m->refuse_page_len);
        st->in.refusal.pageLen = m->refuse_page_len;
        p += m->refuse_page_len;
        if (!st->in.refusal.reason || !st->in.refusal.page) {
            return E_OUTOFMEMORY;
        }
    }
    st->in.https = m->https != 0;
    st->in.localPort = m->local_port;
    st->in.contentLength = m->content_length;
    st->in.connectionId = m->connection_id;
    st->in.startTick = TickCountMs();
    st->in.raw.Version.MajorVersion = m->proto_major;
    st->in.raw.Version.MinorVersion = m->proto_minor;
    st->in.raw.BytesReceived = 0;
    FillAddress(&st->in.localAddress, m->local_ip, m->local_is_v6, m->local_port);
    st->in.raw.Address.pRemoteAddress = reinterpret_cast<PSOCKADDR>(&st->in.remoteAddress);
    st->in.raw.Address.pLocalAddress = reinterpret_cast<PSOCKADDR>(&st->in.localAddress);
    const char *end = s + n;
    for (uint32_t i = 0; i < m->header_count; i++) {
        uint32_t nameLen, valueLen;
        if (end - p < 8) {
            return E_INVALIDARG;
        }
        memcpy(&nameLen, p, 4);
        memcpy(&valueLen, p + 4, 4);
        p += 8;
        if (size_t(end - p) < size_t(nameLen) + valueLen) {
            return E_INVALIDARG;
        }
        // net/http has validated the bytes; append keeps repeated fields as one joined value.
        hr = st->in.requestHeaders.SetValidated(a, p, nameLen, p + nameLen, valueLen, false);
        if (FAILED(hr)) {
            return hr;
        }
        p += nameLen + valueLen;
    }
    if (st->in.https) {
        hr = LoadTls(st, m, p, end);
        if (FAILED(hr)) {
            return hr;
        }
    }
    return CookedUrlFits(st) ? S_OK : kUrlTooLong;
}

// LoadTls copies a TLS request's facts from after the headers and lays out HTTP_SSL_INFO.
static HRESULT LoadTls(RequestState *st, const iis_request_meta *m, const char *p, const char *end)
{
    Arena &a = st->arena;
    TlsFacts *t = static_cast<TlsFacts *>(a.Allocate(sizeof(TlsFacts)));
    if (!t) {
        return E_OUTOFMEMORY;
    }
    memset(t, 0, sizeof(*t));
    for (int i = 0; i < IIS_TLS_STRINGS; i++) {
        if (size_t(end - p) < m->tls_len[i]) {
            return E_INVALIDARG;
        }
        t->text[i] = a.CopyString(p, m->tls_len[i]);
        if (!t->text[i]) {
            return E_OUTOFMEMORY;
        }
        t->len[i] = m->tls_len[i];
        p += m->tls_len[i];
    }
    t->keyBits = m->tls_key_bits;
    t->serverKeyBits = m->tls_server_key_bits;
    t->clientFlags = m->tls_client_flags;
    HTTP_SSL_INFO &ssl = t->ssl;
    ssl.ServerCertKeySize = t->serverKeyBits;
    ssl.ConnectionKeySize = t->keyBits;
    // ULONG sizes: every length came in a uint32_t.
    ssl.ServerCertIssuerSize = t->len[IIS_TLS_SERVER_ISSUER];
    ssl.pServerCertIssuer = t->text[IIS_TLS_SERVER_ISSUER];
    ssl.ServerCertSubjectSize = t->len[IIS_TLS_SERVER_SUBJECT];
    ssl.pServerCertSubject = t->text[IIS_TLS_SERVER_SUBJECT];
    ssl.SslClientCertNegotiated = (t->clientFlags & IIS_TLS_CLIENT_ASKED) ? 1 : 0;
    if ((t->clientFlags & 1) && t->len[IIS_TLS_CLIENT_DER] > 0) {
        HTTP_SSL_CLIENT_CERT_INFO &c = t->clientCert;
        // HTTP.sys's CertFlags are the chain's trust errors: 0 when it verified.
        c.CertFlags = (t->clientFlags & 2) ? kCertTrustIsUntrustedRoot : 0;
        c.CertEncodedSize = t->len[IIS_TLS_CLIENT_DER];
        c.pCertEncoded = reinterpret_cast<PUCHAR>(const_cast<char *>(t->text[IIS_TLS_CLIENT_DER]));
        c.Token = nullptr;
        c.CertDeniedByMapper = FALSE;
        ssl.pClientCertInfo = &c;
        ssl.SslClientCertNegotiated = 1; // a certificate came, so one was negotiated
    }
    st->in.tls = t;
    st->in.raw.pSslInfo = &ssl;
    return S_OK;
}

HRESULT HostRequest::GetClientCertificate(HTTP_SSL_CLIENT_CERT_INFO **info, BOOL *negotiated)
{
    if (!info || !negotiated) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER);
    }
    *info = nullptr;
    *negotiated = FALSE;
    const TlsFacts *t = st->in.tls;
    if (!t || !t->ssl.pClientCertInfo) {
        // Asked for and not given is negotiated all the same; plain HTTP negotiates nothing.
        *negotiated = t && t->ssl.SslClientCertNegotiated ? TRUE : FALSE;
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    *info = t->ssl.pClientCertInfo;
    *negotiated = TRUE;
    return S_OK;
}

HTTP_REQUEST *HostRequest::GetRawHttpRequest()
{
    st->in.requestHeaders.ExposeRaw();
    EnsureAddresses(st);
    EnsureCookedUrl(st);
    return &st->in.raw;
}

const HTTP_REQUEST *HostRequest::GetRawHttpRequest() const
{
    EnsureAddresses(st);
    EnsureCookedUrl(st);
    return &st->in.raw;
}

PCSTR HostRequest::GetHeader(PCSTR name, USHORT *length) const { return st->in.requestHeaders.Get(name, length); }

PCSTR HostRequest::GetHeader(HTTP_HEADER_ID id, USHORT *length) const { return st->in.requestHeaders.Get(EnumValue(id), length); }

HRESULT HostRequest::SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace)
{
    if (!name) {
        return E_INVALIDARG;
    }
    TraceHeader(st, false, replace ? "set" : "append", name, strlen(name), value, length);
    return st->in.requestHeaders.Set(st->arena, name, strlen(name), value, length, replace);
}

HRESULT HostRequest::SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace)
{
    if (!InRange(id, HttpHeaderRequestMaximum)) {
        return E_INVALIDARG;
    }
    TraceHeaderId(st, false, replace ? "set" : "append", EnumValue(id), value, length);
    return st->in.requestHeaders.Set(st->arena, EnumValue(id), value, length, replace);
}

HRESULT HostRequest::DeleteHeader(PCSTR name)
{
    TraceHeader(st, false, "delete", name, name ? strlen(name) : 0, nullptr, 0);
    return st->in.requestHeaders.Delete(name, name ? strlen(name) : 0);
}

HRESULT HostRequest::DeleteHeader(HTTP_HEADER_ID id)
{
    if (!InRange(id, HttpHeaderRequestMaximum)) {
        return E_INVALIDARG;
    }
    TraceHeaderId(st, false, "delete", EnumValue(id), nullptr, 0);
    return st->in.requestHeaders.Delete(EnumValue(id));
}

PCSTR HostRequest::GetHttpMethod() const { return st->in.method; }

HRESULT HostRequest::SetHttpMethod(PCSTR method)
{
    if (!method || !ValidHeaderName(method, strlen(method))) {
        return E_INVALIDARG;
    }
    return SetMethod(st, method, strlen(method));
}

// SetUrlBytes applies a new URL: a query in it replaces the old one; otherwise the old query
// stays unless resetQuery asks to drop it.
static HRESULT SetUrlBytes(RequestState *st, const char *url, size_t len, BOOL resetQuery)
{
    if (!url || len == 0 || url[0] != '/') {
        return E_INVALIDARG;
    }
    const char *q = static_cast<const char *>(memchr(url, '?', len));
    size_t pathLen = q ? size_t(q - url) : len;
    // The new path is held to the rule the client's was (a rewrite must not reach above the
    // site's root, nor bring back a '\' the file layer would read as a separator).
    std::string clean;
    if (!CanonicalUrlPath(url, pathLen, &clean)) {
        return E_INVALIDARG;
    }
    st->in.path = st->arena.CopyString(clean.data(), clean.size());
    st->in.pathLen = clean.size();
    if (q) {
        st->in.query = st->arena.CopyString(q + 1, len - pathLen - 1);
        st->in.queryLen = len - pathLen - 1;
    } else if (resetQuery) {
        st->in.query = "";
        st->in.queryLen = 0;
    }
    st->in.urlChanged = true;
    size_t rawLen = st->in.pathLen + (st->in.queryLen ? st->in.queryLen + 1 : 0);
    if (rawLen > kMaxUshort || !CookedUrlFits(st)) {
        return kUrlTooLong;
    }
    char *raw = static_cast<char *>(st->arena.Allocate(rawLen + 1));
    if (!raw) {
        return E_OUTOFMEMORY;
    }
    memcpy(raw, st->in.path, st->in.pathLen);
    if (st->in.queryLen) {
        raw[st->in.pathLen] = '?';
        memcpy(raw + st->in.pathLen + 1, st->in.query, st->in.queryLen);
    }
    raw[rawLen] = 0;
    st->in.raw.pRawUrl = raw;
    st->in.raw.RawUrlLength = static_cast<USHORT>(rawLen);
    memset(&st->in.raw.CookedUrl, 0, sizeof(st->in.raw.CookedUrl)); // cooked again on next use
    return S_OK;
}

HRESULT HostRequest::SetUrl(PCWSTR url, DWORD length, BOOL resetQuery)
{
    if (!url) {
        return E_INVALIDARG;
    }
    size_t n;
    char *narrow = Narrow(st->arena, url, length ? length : wcslen(url), &n);
    if (!narrow) {
        return E_OUTOFMEMORY;
    }
    return SetUrlBytes(st, narrow, n, resetQuery);
}

HRESULT HostRequest::SetUrl(PCSTR url, DWORD length, BOOL resetQuery)
{
    if (!url) {
        return E_INVALIDARG;
    }
    return SetUrlBytes(st, url, length ? length : strlen(url), resetQuery);
}

BOOL HostRequest::GetUrlChanged() const { return st->in.urlChanged; }

PSOCKADDR HostRequest::GetLocalAddress() const { return reinterpret_cast<PSOCKADDR>(&st->in.localAddress); }

PSOCKADDR HostRequest::GetRemoteAddress() const
{
    EnsureAddresses(st);
    return reinterpret_cast<PSOCKADDR>(&st->in.remoteAddress);
}

void HostRequest::GetHttpVersion(USHORT *major, USHORT *minor) const
{
    if (major) {
        *major = st->in.raw.Version.MajorVersion;
    }
    if (minor) {
        *minor = st->in.raw.Version.MinorVersion;
    }
}

DWORD HostRequest::GetSiteId() const { return st->site->id; }

} // namespace iishost
