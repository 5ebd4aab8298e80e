// IHttpResponse over the request state. The body is buffered in request memory until a Flush
// or the final send (docs/design.md §5).
#include <string.h>

#include "callbacks.h"
#include "forward.h"
#include "headers.h"
#include "host_instance.h"
#include "http_response.h"
#include "pipeline.h"
#include "request_state.h"
#include "request_trace.h"
#include "upgrade.h"

namespace iishost {

// RawResponse brings the raw structure's status line in step with SetStatus before handing it out.
static HTTP_RESPONSE *RawResponse(RequestState *st)
{
    st->out.rawResponse.StatusCode = st->out.status;
    st->out.rawResponse.pReason = st->out.reason;
    st->out.rawResponse.ReasonLength = static_cast<USHORT>(st->out.reasonLen);
    return &st->out.rawResponse;
}

HTTP_RESPONSE *HostResponse::GetRawHttpResponse()
{
    st->out.responseHeaders.ExposeRaw(); // the module may now edit known headers in place
    return RawResponse(st);
}

const HTTP_RESPONSE *HostResponse::GetRawHttpResponse() const { return RawResponse(st); }

HRESULT HostResponse::SetStatus(USHORT status, PCSTR reason, USHORT subStatus, HRESULT error,
                                IAppHostConfigException *exception, BOOL trySkipCustomErrors)
{
    (void)exception; // no configuration exceptions exist without the admin API
    if (status < 100 || status > 999) {
        return E_INVALIDARG;
    }
    if (reason && !ValidHeaderValue(reason, strlen(reason))) {
        return E_INVALIDARG;
    }
    TraceStatus(st, status, subStatus, error, reason);
    st->out.status = status;
    st->out.subStatus = subStatus;
    st->out.reason = reason ? st->arena.CopyString(reason, strlen(reason)) : "";
    st->out.reasonLen = reason ? strlen(reason) : 0;
    st->out.errorToReport = error;
    st->out.trySkipCustomErrors = trySkipCustomErrors;
    st->out.statusModule = st->pipeline.currentModule;
    st->out.statusNotification = st->pipeline.currentNotification;
    return S_OK;
}

void HostResponse::GetStatus(USHORT *status, USHORT *subStatus, PCSTR *reason, USHORT *reasonLength, HRESULT *error,
                             PCWSTR *module, DWORD *notification, IAppHostConfigException **exception,
                             BOOL *trySkipCustomErrors)
{
    if (status) {
        *status = st->out.status;
    }
    if (subStatus) {
        *subStatus = st->out.subStatus;
    }
    if (reason) {
        *reason = st->out.reason;
    }
    if (reasonLength) {
        *reasonLength = static_cast<USHORT>(st->out.reasonLen);
    }
    if (error) {
        *error = st->out.errorToReport;
    }
    if (module) {
        *module = st->out.statusModule >= 0 ? st->host->modules[st->out.statusModule]->wideName.c_str() : nullptr;
    }
    if (notification) {
        *notification = st->out.statusNotification;
    }
    if (exception) {
        *exception = nullptr;
    }
    if (trySkipCustomErrors) {
        *trySkipCustomErrors = st->out.trySkipCustomErrors;
    }
}

HRESULT HostResponse::SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace)
{
    if (!name) {
        return E_INVALIDARG;
    }
    TraceHeader(st, true, replace ? "set" : "append", name, strlen(name), value, length);
    return st->out.responseHeaders.Set(st->arena, name, strlen(name), value, length, replace);
}

HRESULT HostResponse::SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace)
{
    if (!InRange(id, HttpHeaderResponseMaximum)) {
        return E_INVALIDARG;
    }
    TraceHeaderId(st, true, replace ? "set" : "append", EnumValue(id), value, length);
    return st->out.responseHeaders.Set(st->arena, EnumValue(id), value, length, replace);
}

HRESULT HostResponse::DeleteHeader(PCSTR name)
{
    TraceHeader(st, true, "delete", name, name ? strlen(name) : 0, nullptr, 0);
    return st->out.responseHeaders.Delete(name, name ? strlen(name) : 0);
}

HRESULT HostResponse::DeleteHeader(HTTP_HEADER_ID id)
{
    if (!InRange(id, HttpHeaderResponseMaximum)) {
        return E_INVALIDARG;
    }
    TraceHeaderId(st, true, "delete", EnumValue(id), nullptr, 0);
    return st->out.responseHeaders.Delete(EnumValue(id));
}

PCSTR HostResponse::GetHeader(PCSTR name, USHORT *length) const { return st->out.responseHeaders.Get(name, length); }

PCSTR HostResponse::GetHeader(HTTP_HEADER_ID id, USHORT *length) const
{
    if (!InRange(id, HttpHeaderResponseMaximum)) {
        if (length) {
            *length = 0;
        }
        return nullptr;
    }
    return st->out.responseHeaders.Get(EnumValue(id), length);
}

void HostResponse::Clear()
{
    // Documented: status, headers and body all return to their defaults.
    ClearBody(st);
    st->out.responseHeaders.Clear();
    st->out.status = 200;
    st->out.subStatus = 0;
    st->out.reason = "OK";
    st->out.reasonLen = 2;
    st->out.statusModule = -1;
    st->out.statusNotification = 0;
}

void HostResponse::ClearHeaders() { st->out.responseHeaders.Clear(); }

// SendAsync starts a send whose result arrives through OnAsyncCompletion. Writing to the client
// is left to the request's goroutine once the module returns PENDING; a call from the module's
// own thread sends at once and then signals the completion.
static HRESULT SendAsync(RequestState *st, DWORD *sent, BOOL *completionExpected)
{
    if (st->async.clientGone) {
        return HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);
    }
    if (CanDeferIo(st)) {
        PrepareSend(st, false);
        st->async.io = AsyncIo{kIoWrite, nullptr, 0};
        *completionExpected = TRUE;
        return S_OK;
    }
    if (!OnPipelineThread(st)) {
        DWORD n = 0;
        HRESULT hr = SendNow(st, false, &n);
        SignalIoCompletion(st, n, hr);
        *completionExpected = TRUE;
        return S_OK;
    }
    return SendNow(st, false, sent); // a notification that cannot park: synchronous
}

HRESULT HostResponse::Flush(BOOL async, BOOL moreData, DWORD *sent, BOOL *completionExpected)
{
    if (st->upgrade.active || (st->out.status == 101 && !st->out.headersSent)) {
        return UpgradeFlush(st, async, sent, completionExpected);
    }
    (void)moreData; // the Go side always keeps the connection able to carry more
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (sent) {
        *sent = 0;
    }
    if (async && completionExpected) {
        return SendAsync(st, sent, completionExpected);
    }
    return SendNow(st, false, sent);
}

// Absolute makes a relative redirect target absolute within the request's own scheme and host.
static std::string Absolute(RequestState *st, const char *url)
{
    if (strstr(url, "://")) {
        return url;
    }
    std::string base = std::string(st->in.https ? "https://" : "http://") + std::string(st->in.hostName, st->in.hostNameLen);
    if (url[0] == '/') {
        return base + url;
    }
    std::string dir(st->in.path, st->in.pathLen);
    dir.erase(dir.rfind('/') + 1);
    return base + dir + url;
}

// HtmlEscaped makes text inert inside an element or a quoted attribute, as IIS's own redirect
// page does: the target may carry the client's query, which must never be read as markup.
static std::string HtmlEscaped(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
    return out;
}

HRESULT HostResponse::Redirect(PCSTR url, BOOL resetStatus, BOOL includeQuery)
{
    if (!url || !*url || !ValidHeaderValue(url, strlen(url))) {
        return E_INVALIDARG;
    }
    if (st->out.headersSent) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_STATE);
    }
    std::string target = Absolute(st, url);
    if (includeQuery && st->in.queryLen) {
        target += strchr(url, '?') ? "&" : "?";
        target.append(st->in.query, st->in.queryLen);
    }
    ClearBody(st);
    HRESULT hr = st->out.responseHeaders.Set(st->arena, HttpHeaderLocation, target.data(), target.size(), true);
    if (FAILED(hr)) {
        return hr;
    }
    if (resetStatus) {
        SetStatus(302, "Redirect", 0, S_OK, nullptr, FALSE);
    }
    // A short page for clients that do not follow Location by themselves. With resetStatus FALSE
    // a browser renders it, so the target is escaped; Location keeps it as it is.
    std::string shown = HtmlEscaped(target);
    std::string html = "<html><body>Moved to <a href=\"" + shown + "\">" + shown + "</a>.</body></html>";
    st->out.responseHeaders.Set(st->arena, HttpHeaderContentType, "text/html; charset=UTF-8", 24, true);
    char *copy = st->arena.CopyString(html.data(), html.size());
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    st->out.body.push_back(iis_bytes{copy, static_cast<uint32_t>(html.size())});
    st->out.bodyLength += html.size();
    return S_OK;
}

void HostResponse::SetNeedDisconnect() { st->out.needDisconnect = true; }

void HostResponse::ResetConnection()
{
    if (st->async.clientGone) {
        return;
    }
    // Documented: the reset is immediate; the pipeline goes on, but nothing more reaches the client.
    iisgoResetConnection(st->slot);
    st->async.clientGone = true;
}

void HostResponse::CloseConnection() { ResetConnection(); }

void HostResponse::SuppressHeaders() { st->out.suppressHeaders = true; }
BOOL HostResponse::GetHeadersSuppressed() const { return st->out.suppressHeaders; }

void HostResponse::DisableBuffering() { st->out.bufferingDisabled = true; }

void HostResponse::DisableKernelCache(ULONG reason) { (void)reason; }
BOOL HostResponse::GetKernelCacheEnabled() const { return FALSE; }

HRESULT HostResponse::SetTrailer(PCSTR name, PCSTR value, USHORT length, BOOL replace)
{
    if (!name) {
        return E_INVALIDARG;
    }
    return st->out.trailers.Set(st->arena, name, strlen(name), value, length, replace);
}

PCSTR HostResponse::GetTrailer(PCSTR name, USHORT *length) const { return st->out.trailers.Get(name, length); }

HRESULT HostResponse::DeleteTrailer(PCSTR name) { return st->out.trailers.Delete(name, name ? strlen(name) : 0); }

HRESULT HostResponse::WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData, DWORD *sent,
                                        BOOL *completionExpected)
{
    if (st->upgrade.active) {
        return UpgradedWrite(st, chunks, count, async, sent, completionExpected);
    }
    (void)moreData; // only meaningful to a send, which happens later
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (sent) {
        *sent = 0;
    }
    uint64_t total = 0;
    HRESULT hr = AddBodyChunks(st, chunks, count, false, -1, &total);
    if (FAILED(hr)) {
        return hr;
    }
    if (async && completionExpected) {
        if (st->out.bufferingDisabled) {
            return SendAsync(st, nullptr, completionExpected);
        }
        // Buffered: done already; the completion still comes through OnAsyncCompletion.
        if (CanDeferIo(st) || !OnPipelineThread(st)) {
            SignalIoCompletion(st, total, S_OK);
            *completionExpected = TRUE;
            return S_OK;
        }
    }
    if (sent) {
        *sent = total > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<DWORD>(total); // file ranges may pass 4 GiB
    }
    if (st->out.bufferingDisabled) {
        // Unbuffered: every write goes out at once.
        return SendNow(st, false, nullptr);
    }
    return S_OK;
}

HRESULT HostResponse::SetErrorDescription(PCWSTR description, DWORD length, BOOL htmlEncode)
{
    (void)htmlEncode; // the description is stored as given; no error page renders it yet
    if (!description) {
        return E_INVALIDARG;
    }
    size_t n = length ? length : wcslen(description);
    WCHAR *copy = static_cast<WCHAR *>(st->arena.Allocate((n + 1) * sizeof(WCHAR)));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    wmemcpy(copy, description, n);
    copy[n] = 0;
    st->out.errorDescription = copy;
    st->out.errorDescriptionLen = n;
    return S_OK;
}

PCWSTR HostResponse::GetErrorDescription(DWORD *length)
{
    if (length) {
        *length = static_cast<DWORD>(st->out.errorDescriptionLen);
    }
    return st->out.errorDescription;
}

void ClearBody(RequestState *st)
{
    st->out.body.clear();
    st->out.bodyLength = 0;
    // The descriptors of file chunks are closed when the request ends (ReleaseRequestFiles).
}

iis_send_view *BuildSendView(RequestState *st, bool final)
{
    iis_send_view &v = st->views.view;
    ApplyCachePolicy(st);
    v.status = st->out.status;
    v.sub_status = st->out.subStatus;
    v.reason = iis_bytes{st->out.reason, static_cast<uint32_t>(st->out.reasonLen)};
    v.headers_already_sent = st->out.headersSent;
    v.final_send = final;
    v.pending = 0;
    v.suppress_headers = st->out.suppressHeaders;
    v.need_disconnect = st->out.needDisconnect;
    st->views.viewHeaders.clear();
    if (!st->out.headersSent) {
        st->out.responseHeaders.ForEach([st](iis_bytes name, iis_bytes value) {
            st->views.viewHeaders.push_back(name);
            st->views.viewHeaders.push_back(value);
        });
    }
    v.headers = st->views.viewHeaders.data();
    v.header_count = static_cast<uint32_t>(st->views.viewHeaders.size() / 2);
    v.chunks = st->out.body.data();
    v.chunk_count = static_cast<uint32_t>(st->out.body.size());
    v.body_length = st->out.bodyLength;
    v.files = st->out.bodyFiles.data();
    st->views.trailerView.clear();
    if (final) {
        st->out.trailers.ForEach([st](iis_bytes name, iis_bytes value) {
            st->views.trailerView.push_back(name);
            st->views.trailerView.push_back(value);
        });
    }
    v.trailers = st->views.trailerView.data();
    v.trailer_count = static_cast<uint32_t>(st->views.trailerView.size() / 2);
    return &v;
}

HRESULT HostResponse::Flush(BOOL async, BOOL moreData, PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent,
                            BOOL *completionExpected)
{
    return WithCallback(st, async, callback, context, completionExpected,
                        [&] { return Flush(async, moreData, sent, completionExpected); });
}

IHttpCachePolicy *HostResponse::GetCachePolicy() { return &st->cachePolicy; }

} // namespace iishost
