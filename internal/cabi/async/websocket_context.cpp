// IWebSocketContext: the IIS WebSocket module's object, named "websockets" in the request's
// named contexts once the 101 of a WebSocket request went out. The frame codec is Go's
// (websocket.go); this side checks arguments, keeps one read and one write at a time, and runs
// the module's completion callbacks.
#include <exception>
#include <string.h>

#include "forward.h"
#include "host_instance.h"
#include "module_guard.h"
#include "request_state.h"
#include "upgrade.h"
#include "upgrade_doors.h"
#include "wide_strings.h"

namespace iishost {

static const HRESULT kInvalidState = HRESULT_FROM_WIN32(ERROR_INVALID_STATE);
static const HRESULT kAborted = HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);

void WebSocketContext::Reset()
{
    live = false;
    callback[0] = callback[1] = nullptr;
    callbackContext[0] = callbackContext[1] = nullptr;
    closeReceived = false;
    closeCode = 0;
    closeReason[0] = 0;
    closeReasonLength = 0;
}

// The host owns this object (it lives in the request state); cleanup only retires it.
void WebSocketContext::CleanupStoredContext() { live = false; }

void WebSocketContext::Record(const iis_ws_result &r)
{
    if (!r.close) {
        return;
    }
    std::lock_guard<std::mutex> guard(lock);
    if (closeReceived) {
        return;
    }
    closeReceived = true;
    closeCode = r.has_code ? r.close_code : 1005; // RFC 6455 §7.1.5: no status code present
    std::string reason(r.close_reason, r.close_reason_len < sizeof(r.close_reason) ? r.close_reason_len : 0);
    std::wstring wide = WidenString(reason);
    size_t n = wide.size() < 123 ? wide.size() : 123;
    wmemcpy(closeReason, wide.data(), n);
    closeReason[n] = 0;
    closeReasonLength = static_cast<USHORT>(n);
}

void WebSocketContext::Done(int op, HRESULT hr, const iis_ws_result &r)
{
    PFN_WEBSOCKET_COMPLETION fn;
    void *context;
    {
        std::lock_guard<std::mutex> guard(lock);
        fn = callback[op];
        context = callbackContext[op];
    }
    if (op == IIS_IO_READ) {
        Record(r);
    }
    if (hr == kAborted) {
        st->async.clientGone = true;
    }
    // The side is free before the callback runs, so that it can start the next operation.
    st->upgrade.End(op);
    if (!fn) {
        return;
    }
    HostInstance *host = st->host; // the slot's host: stays when the callback ends the request
    try {
        ModuleCall([&] { fn(hr, context, r.bytes, r.utf8, r.final_fragment, r.close); });
    } catch (const std::exception &e) {
        Log(host, 3, "", std::string("exception escaped a WebSocket completion callback: ") + e.what());
    } catch (...) {
        Log(host, 3, "", "exception escaped a WebSocket completion callback");
    }
    // The callback may have ended the request: nothing here touches it any more.
}

// Start claims a side for an operation and keeps its callback; false when the side is busy.
static HRESULT Start(WebSocketContext *ws, int op, BOOL async, PFN_WEBSOCKET_COMPLETION fn, void *context)
{
    if (!ws->live) {
        return kInvalidState;
    }
    if (!ws->st->upgrade.Begin(op)) {
        return kInvalidState;
    }
    std::lock_guard<std::mutex> guard(ws->lock);
    ws->callback[op] = async ? fn : nullptr;
    ws->callbackContext[op] = async ? context : nullptr;
    return S_OK;
}

HRESULT WebSocketContext::ReadFragment(VOID *data, DWORD *size, BOOL async, BOOL *utf8, BOOL *final, BOOL *connectionClose,
                                       PFN_WEBSOCKET_COMPLETION completion, VOID *context, BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (!data || !size || *size == 0 || !utf8 || !final || !connectionClose) {
        return E_INVALIDARG;
    }
    if (async && (!completion || !completionExpected)) {
        return E_INVALIDARG; // an asynchronous read reports only through its callback
    }
    HRESULT hr = Start(this, IIS_IO_READ, async, completion, context);
    if (FAILED(hr)) {
        return hr;
    }
    iis_ws_result r;
    memset(&r, 0, sizeof(r));
    hr = iisgoWsRead(st->slot, data, *size, async, &r);
    if (async && SUCCEEDED(hr)) {
        *completionExpected = TRUE;
        return S_OK;
    }
    Record(r);
    st->upgrade.End(IIS_IO_READ);
    if (hr == kAborted) {
        st->async.clientGone = true;
    }
    *size = r.bytes;
    *utf8 = r.utf8;
    *final = r.final_fragment;
    *connectionClose = r.close;
    return hr;
}

HRESULT WebSocketContext::WriteFragment(VOID *data, DWORD *sent, BOOL async, BOOL utf8, BOOL final,
                                        PFN_WEBSOCKET_COMPLETION completion, VOID *context, BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (!sent || (!data && *sent)) {
        return E_INVALIDARG;
    }
    if (async && (!completion || !completionExpected)) {
        return E_INVALIDARG;
    }
    HRESULT hr = Start(this, IIS_IO_WRITE, async, completion, context);
    if (FAILED(hr)) {
        return hr;
    }
    uint32_t n = 0;
    hr = iisgoWsWrite(st->slot, data, *sent, utf8, final, 0, 0, async, &n);
    if (async && SUCCEEDED(hr)) {
        *completionExpected = TRUE;
        return S_OK;
    }
    st->upgrade.End(IIS_IO_WRITE);
    if (hr == kAborted) {
        st->async.clientGone = true;
    }
    *sent = n;
    return hr;
}

// ValidCloseCode: the codes an endpoint may send (RFC 6455 §7.4): not the reserved ones that only
// describe a connection (1004-1006, 1015) and not those outside the registered ranges.
static bool ValidCloseCode(USHORT code)
{
    if (code >= 3000 && code <= 4999) {
        return true;
    }
    return code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
}

HRESULT WebSocketContext::SendConnectionClose(BOOL async, USHORT status, LPCWSTR reason, PFN_WEBSOCKET_COMPLETION completion,
                                              VOID *context, BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (!ValidCloseCode(status) || (async && (!completion || !completionExpected))) {
        return E_INVALIDARG;
    }
    std::string text = reason ? NarrowString(reason) : std::string();
    if (text.size() > 123) {
        return E_INVALIDARG; // a control frame carries at most 125 bytes, 2 of them the code
    }
    HRESULT hr = Start(this, IIS_IO_WRITE, async, completion, context);
    if (FAILED(hr)) {
        return hr;
    }
    uint32_t n = 0;
    hr = iisgoWsWrite(st->slot, text.empty() ? nullptr : &text[0], static_cast<uint32_t>(text.size()), 0, 1, 1, status, async, &n);
    if (async && SUCCEEDED(hr)) {
        *completionExpected = TRUE;
        return S_OK;
    }
    st->upgrade.End(IIS_IO_WRITE);
    if (hr == kAborted) {
        st->async.clientGone = true;
    }
    return hr;
}

HRESULT WebSocketContext::GetCloseStatus(USHORT *status, LPCWSTR *reason, USHORT *reasonLength)
{
    if (!status) {
        return E_INVALIDARG;
    }
    std::lock_guard<std::mutex> guard(lock);
    if (!closeReceived) {
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND); // the client has not sent a close frame
    }
    *status = closeCode;
    if (reason) {
        *reason = closeReason;
    }
    if (reasonLength) {
        *reasonLength = closeReasonLength;
    }
    return S_OK;
}

VOID WebSocketContext::CloseTcpConnection()
{
    if (live) {
        iisgoUpClose(st->slot);
        st->async.clientGone = true; // IsConnected says so, and nothing more is sent
    }
}

VOID WebSocketContext::CancelOutstandingIO()
{
    if (live) {
        iisgoUpCancel(st->slot);
    }
}

} // namespace iishost

using namespace iishost;

extern "C" void iis_ws_done(iis_request *req, int32_t op, int32_t hr, const iis_ws_result *result)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    try {
        if (st->upgrade.ws) { // Go completes WebSocket operations only after a WebSocket upgrade
            st->upgrade.ws->Done(op, hr, *result);
        }
    } catch (...) {
        Log(st->host, 3, "", "host error completing a WebSocket operation");
    }
}
