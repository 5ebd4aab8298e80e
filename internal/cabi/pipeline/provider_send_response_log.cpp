// ISendResponseProvider's log data: the fields HTTP.sys would log for the request, which
// RQ_SEND_RESPONSE subscribers read and may replace. iishost has no HTTP.sys log, so a
// replacement is written as a host log record when the response is sent.
#include "socket_addresses.h"
#include <stdio.h>
#include <string.h>

#include <string>

#include "forward.h"
#include "headers.h"
#include "host_instance.h"
#include "http_request.h"
#include "http_site.h"
#include "providers.h"
#include "request_state.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

// Narrow copies a field into request memory, with its length in bytes.
static PCHAR Field(RequestState *st, const char *s, size_t n, USHORT *length)
{
    n = n > 0xFFFF ? 0xFFFF : n;
    *length = static_cast<USHORT>(n);
    return st->arena.CopyString(s ? s : "", s ? n : 0);
}

static PCHAR Field(RequestState *st, const std::string &s, USHORT *length) { return Field(st, s.data(), s.size(), length); }

// Wide copies a UTF-8 field as WCHARs; its length is in bytes, as the API gives them.
static PWCHAR WideField(RequestState *st, const char *s, size_t n, USHORT *length)
{
    size_t chars = 0;
    WCHAR *w = Widen(st->arena, s ? s : "", s ? n : 0, &chars);
    size_t bytes = chars * sizeof(WCHAR);
    *length = static_cast<USHORT>(bytes > 0xFFFF ? 0xFFFF - 0xFFFF % sizeof(WCHAR) : bytes);
    return w;
}

static std::string AddressText(const sockaddr_storage &a)
{
    char text[INET6_ADDRSTRLEN] = "";
    if (a.ss_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in &>(a).sin_addr, text, sizeof(text));
    } else if (a.ss_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6 &>(a).sin6_addr, text, sizeof(text));
    }
    return text;
}

static std::string Header(RequestState *st, HTTP_HEADER_ID id)
{
    USHORT n = 0;
    PCSTR v = st->in.requestHeaders.Get(EnumValue(id), &n);
    return v ? std::string(v, n) : std::string();
}

HTTP_LOG_DATA *SendResponseProvider::GetLogData() const
{
    auto *self = const_cast<SendResponseProvider *>(this);
    if (self->logData) {
        return &self->logData->Base;
    }
    auto *d = static_cast<HTTP_LOG_FIELDS_DATA *>(st->arena.Allocate(sizeof(HTTP_LOG_FIELDS_DATA)));
    if (!d) {
        return nullptr;
    }
    memset(d, 0, sizeof(*d));
    d->Base.Type = HttpLogDataTypeFields;
    EnsureAddresses(st);
    std::string user = NarrowString(st->user->GetUserName());
    d->UserName = WideField(st, user.data(), user.size(), &d->UserNameLength);
    d->UriStem = WideField(st, st->in.path, st->in.pathLen, &d->UriStemLength);
    d->ClientIp = Field(st, AddressText(st->in.remoteAddress), &d->ClientIpLength);
    d->ServerName = Field(st, st->site->name, &d->ServerNameLength);
    d->ServiceName = Field(st, "W3SVC" + std::to_string(st->site->id), &d->ServiceNameLength);
    d->ServerIp = Field(st, AddressText(st->in.localAddress), &d->ServerIpLength);
    d->Method = Field(st, st->in.method, st->in.methodLen, &d->MethodLength);
    d->UriQuery = Field(st, st->in.query, st->in.queryLen, &d->UriQueryLength);
    d->Host = Field(st, st->in.hostName, st->in.hostNameLen, &d->HostLength);
    d->UserAgent = Field(st, Header(st, HttpHeaderUserAgent), &d->UserAgentLength);
    d->Cookie = Field(st, Header(st, HttpHeaderCookie), &d->CookieLength);
    d->Referrer = Field(st, Header(st, HttpHeaderReferer), &d->ReferrerLength);
    d->ServerPort = st->in.localPort;
    d->ProtocolStatus = st->out.status;
    d->SubStatus = st->out.subStatus;
    d->Win32Status = Win32Status(st->out.errorToReport);
    d->MethodNum = st->in.raw.Verb;
    self->logData = d;
    return &d->Base;
}

HRESULT SendResponseProvider::SetLogData(HTTP_LOG_DATA *data)
{
    if (!data || EnumValue(data->Type) != HttpLogDataTypeFields) {
        return E_INVALIDARG; // the fields layout is the only one HTTP.sys defines
    }
    // Kept as given: the module's memory must live until the response is sent, as under IIS.
    logData = reinterpret_cast<HTTP_LOG_FIELDS_DATA *>(data);
    logSetBy = st->pipeline.currentModule;
    return S_OK;
}

// Text of a narrow field, length-bounded.
static std::string Text(PCSTR s, USHORT n) { return s ? std::string(s, n) : std::string(); }

static std::string WideText(PCWSTR s, USHORT bytes)
{
    if (!s) {
        return std::string();
    }
    std::wstring w(s, bytes / sizeof(WCHAR));
    return NarrowString(w.c_str());
}

void LogSendData(RequestState *st)
{
    SendResponseProvider &p = st->sendProvider;
    if (p.logSetBy < 0 || !p.logData) {
        return; // not replaced: nothing for the host to log
    }
    const HTTP_LOG_FIELDS_DATA *d = p.logData;
    char status[32];
    snprintf(status, sizeof(status), "%u.%u", d->ProtocolStatus, d->SubStatus);
    std::string line = "log data: " + Text(d->Method, d->MethodLength) + " " + WideText(d->UriStem, d->UriStemLength);
    std::string query = Text(d->UriQuery, d->UriQueryLength);
    if (!query.empty()) {
        line += "?" + query;
    }
    line += " " + std::string(status) + " client=" + Text(d->ClientIp, d->ClientIpLength) +
            " user=" + WideText(d->UserName, d->UserNameLength) +
            " agent=" + Text(d->UserAgent, d->UserAgentLength);
    Log(st->host, 1, st->host->modules[p.logSetBy]->name, line);
}

} // namespace iishost
