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
    st->rawResponse.StatusCode = st->status;
    st->rawResponse.pReason = st->reason;
    st->rawResponse.ReasonLength = static_cast<USHORT>(st->reasonLen);
    return &st->rawResponse;
}

HTTP_RESPONSE *HostResponse::GetRawHttpResponse()
{
    st->responseHeaders.ExposeRaw(); // the module may now edit known headers in place
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
    st->status = status;
    st->subStatus = subStatus;
    st->reason = reason ? st->arena.CopyString(reason, strlen(reason)) : "";
    st->reasonLen = reason ? strlen(reason) : 0;
    st->errorToReport = error;
    st->trySkipCustomErrors = trySkipCustomErrors;
    st->statusModule = st->currentModule;
    st->statusNotification = st->currentNotification;
    return S_OK;
}

void HostResponse::GetStatus(USHORT *status, USHORT *subStatus, PCSTR *reason, USHORT *reasonLength, HRESULT *error,
                             PCWSTR *module, DWORD *notification, IAppHostConfigException **exception,
                             BOOL *trySkipCustomErrors)
{
    if (status) {
        *status = st->status;
    }
    if (subStatus) {
        *subStatus = st->subStatus;
    }
    if (reason) {
        *reason = st->reason;
    }
    if (reasonLength) {
        *reasonLength = static_cast<USHORT>(st->reasonLen);
    }
    if (error) {
        *error = st->errorToReport;
    }
    if (module) {
        *module = st->statusModule >= 0 ? st->host->modules[st->statusModule]->wideName.c_str() : nullptr;
    }
    if (notification) {
        *notification = st->statusNotification;
    }
    if (exception) {
        *exception = nullptr;
    }
    if (trySkipCustomErrors) {
        *trySkipCustomErrors = st->trySkipCustomErrors;
    }
}

HRESULT HostResponse::SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace)
{
    if (!name) {
        return E_INVALIDARG;
    }
    TraceHeader(st, true, replace ? "set" : "append", name, strlen(name), value, length);
    return st->responseHeaders.Set(st->arena, name, strlen(name), value, length, replace);
}

HRESULT HostResponse::SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace)
{
    if (!InRange(id, HttpHeaderResponseMaximum)) {
        return E_INVALIDARG;
    }
    TraceHeaderId(st, true, replace ? "set" : "append", EnumValue(id), value, length);
    return st->responseHeaders.Set(st->arena, EnumValue(id), value, length, replace);
}

HRESULT HostResponse::DeleteHeader(PCSTR name)
{
    TraceHeader(st, true, "delete", name, name ? strlen(name) : 0, nullptr, 0);
    return st->responseHeaders.Delete(name, name ? strlen(name) : 0);
}

HRESULT HostResponse::DeleteHeader(HTTP_HEADER_ID id)
{
    if (!InRange(id, HttpHeaderResponseMaximum)) {
        return E_INVALIDARG;
    }
    TraceHeaderId(st, true, "delete", EnumValue(id), nullptr, 0);
    return st->responseHeaders.Delete(EnumValue(id));
}

PCSTR HostResponse::GetHeader(PCSTR name, USHORT *length) const { return st->responseHeaders.Get(name, length); }

PCSTR HostResponse::GetHeader(HTTP_HEADER_ID id, USHORT *length) const
{
    if (!InRange(id, HttpHeaderResponseMaximum)) {
        if (length) {
            *length = 0;
        }
        return nullptr;
    }
    return st->responseHeaders.Get(EnumValue(id), length);
}

void HostResponse::Clear()
{
    // Documented: status, headers and body all return to their defaults.
    ClearBody(st);
    st->responseHeaders.Clear();
    st->status = 200;
    st->subStatus = 0;
    st->reason = "OK";
    st->reasonLen = 2;
    st->statusModule = -1;
    st->statusNotification = 0;
}

void HostResponse::ClearHeaders() { st->responseHeaders.Clear(); }

// SendAsync starts a send whose result arrives through OnAsyncCompletion. Writing to the client
// is left to the request's goroutine once the module returns PENDING; a call from the module's
// own thread sends at once and then signals the completion.
static HRESULT SendAsync(RequestState *st, DWORD *sent, BOOL *completionExpected)
{
    if (st->clientGone) {
        return HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);
    }
    if (CanDeferIo(st)) {
        PrepareSend(st, false);
        st->io = AsyncIo{kIoWrite, nullptr, 0};
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
    if (st->upgrade.active || (st->status == 101 && !st->headersSent)) {
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
    std::string base = std::string(st->https ? "https://" : "http://") + std::string(st->hostName, st->hostNameLen);
    if (url[0] == '/') {
        return base + url;
    }
    std::string dir(st->path, st->pathLen);
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
    if (st->headersSent) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_STATE);
    }
    std::string target = Absolute(st, url);
    if (includeQuery && st->queryLen) {
        target += strchr(url, '?') ? "&" : "?";
        target.append(st->query, st->queryLen);
    }
    ClearBody(st);
    HRESULT hr = st->responseHeaders.Set(st->arena, HttpHeaderLocation, target.data(), target.size(), true);
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
    st->responseHeaders.Set(st->arena, HttpHeaderContentType, "text/html; charset=UTF-8", 24, true);
    char *copy = st->arena.CopyString(html.data(), html.size());
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    st->body.push_back(iis_bytes{copy, static_cast<uint32_t>(html.size())});
    st->bodyLength += html.size();
    return S_OK;
}

void HostResponse::SetNeedDisconnect() { st->needDisconnect = true; }

void HostResponse::ResetConnection()
{
    if (st->clientGone) {
        return;
    }
    // Documented: the reset is immediate; the pipeline goes on, but nothing more reaches the client.
    iisgoResetConnection(st->slot);
    st->clientGone = true;
}

void HostResponse::CloseConnection() { ResetConnection(); }

void HostResponse::SuppressHeaders() { st->suppressHeaders = true; }
BOOL HostResponse::GetHeadersSuppressed() const { return st->suppressHeaders; }

void HostResponse::DisableBuffering() { st->bufferingDisabled = true; }

void HostResponse::DisableKernelCache(ULONG reason) { (void)reason; }
BOOL HostResponse::GetKernelCacheEnabled() const { return FALSE; }

HRESULT HostResponse::SetTrailer(PCSTR name, PCSTR value, USHORT length, BOOL replace)
{
    if (!name) {
        return E_INVALIDARG;
    }
    return st->trailers.Set(st->arena, name, strlen(name), value, length, replace);
}

PCSTR HostResponse::GetTrailer(PCSTR name, USHORT *length) const { return st->trailers.Get(name, length); }

HRESULT HostResponse::DeleteTrailer(PCSTR name) { return st->trailers.Delete(name, name ? strlen(name) : 0); }

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
        if (st->bufferingDisabled) {
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
    if (st->bufferingDisabled) {
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
    st->errorDescription = copy;
    st->errorDescriptionLen = n;
    return S_OK;
}

PCWSTR HostResponse::GetErrorDescription(DWORD *length)
{
    if (length) {
        *length = static_cast<DWORD>(st->errorDescriptionLen);
    }
    return st->errorDescription;
}

void ClearBody(RequestState *st)
{
    st->body.clear();
    st->bodyLength = 0;
    // The descriptors of file chunks are closed when the request ends (ReleaseRequestFiles).
}

iis_send_view *BuildSendView(RequestState *st, bool final)
{
    iis_send_view &v = st->view;
    ApplyCachePolicy(st);
    v.status = st->status;
    v.sub_status = st->subStatus;
    v.reason = iis_bytes{st->reason, static_cast<uint32_t>(st->reasonLen)};
    v.headers_already_sent = st->headersSent;
    v.final_send = final;
    v.pending = 0;
    v.suppress_headers = st->suppressHeaders;
    v.need_disconnect = st->needDisconnect;
    st->viewHeaders.clear();
    if (!st->headersSent) {
        st->responseHeaders.ForEach([st](iis_bytes name, iis_bytes value) {
            st->viewHeaders.push_back(name);
            st->viewHeaders.push_back(value);
        });
    }
    v.headers = st->viewHeaders.data();
    v.header_count = static_cast<uint32_t>(st->viewHeaders.size() / 2);
    v.chunks = st->body.data();
    v.chunk_count = static_cast<uint32_t>(st->body.size());
    v.body_length = st->bodyLength;
    v.files = st->bodyFiles.data();
    st->trailerView.clear();
    if (final) {
        st->trailers.ForEach([st](iis_bytes name, iis_bytes value) {
            st->trailerView.push_back(name);
            st->trailerView.push_back(value);
        });
    }
    v.trailers = st->trailerView.data();
    v.trailer_count = static_cast<uint32_t>(st->trailerView.size() / 2);
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
