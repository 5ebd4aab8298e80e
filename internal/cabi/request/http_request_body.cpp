// The request body: IHttpRequest's reads (synchronous and asynchronous), inserted data and
// RQ_READ_ENTITY. Reads from the client go through Go, which owns the connection.
#include <string.h>

#include "callbacks.h"
#include "forward.h"
#include "http_request.h"
#include "pipeline.h"
#include "providers.h"
#include "request_state.h"
#include "script_map_info.h"
#include "upgrade.h"

namespace iishost {

// ReadInserted hands out data modules inserted with InsertEntityBody, which comes before
// whatever the client has not sent yet.
static DWORD ReadInserted(RequestState *st, void *buffer, DWORD size)
{
    DWORD n = 0;
    while (n < size && !st->in.inserted.empty()) {
        iis_bytes &front = st->in.inserted.front();
        uint32_t take = front.len < size - n ? front.len : size - n;
        memcpy(static_cast<char *>(buffer) + n, front.data, take);
        n += take;
        front.data += take;
        front.len -= take;
        if (front.len == 0) {
            st->in.inserted.erase(st->in.inserted.begin());
        }
    }
    return n;
}

// RaiseReadEntity shows the bytes just read to RQ_READ_ENTITY subscribers; a replacement longer
// than the reader's buffer is kept for its next read, so nothing is lost.
static void RaiseReadEntity(RequestState *st, void *buffer, DWORD size, DWORD *received)
{
    if (RequestPlan(st, IIS_LIST_READ_ENTITY).empty() || st->pipeline.currentNotification == RQ_READ_ENTITY) {
        return;
    }
    ReadEntityProvider &p = st->readEntityProvider;
    p.buffer = buffer;
    p.data = *received;
    p.capacity = size;
    RaiseNotification(st, IIS_LIST_READ_ENTITY, RQ_READ_ENTITY,
                      [st](CHttpModule *m) { return m->OnReadEntity(&st->context, &st->readEntityProvider); });
    if (p.buffer == buffer) {
        *received = p.data < size ? p.data : size;
        return;
    }
    DWORD take = p.data < size ? p.data : size;
    if (p.buffer && take) {
        memmove(buffer, p.buffer, take);
    }
    if (p.buffer && p.data > take) {
        const char *rest = st->arena.CopyString(static_cast<const char *>(p.buffer) + take, p.data - take);
        if (rest) {
            st->in.inserted.insert(st->in.inserted.begin(), iis_bytes{rest, p.data - take});
        }
    }
    *received = take;
}

HRESULT AfterBodyRead(RequestState *st, int32_t code, uint32_t n, void *buffer, DWORD size, DWORD *received)
{
    *received = 0;
    if (code == kIoTooLarge) {
        // A chunked body passed the configured limit.
        st->in.bodyDone = true;
        if (!st->out.headersSent && st->out.status == 200) {
            st->out.status = 413;
            st->out.reason = "Request Entity Too Large";
            st->out.reasonLen = strlen(st->out.reason);
        }
        return HRESULT_FROM_WIN32(ERROR_FILE_TOO_LARGE);
    }
    if (code == kIoCancelled) {
        return HRESULT_FROM_WIN32(ERROR_OPERATION_ABORTED);
    }
    if (code == kIoBadBody) {
        // Truncated or malformed: no further read may report a clean end of body. The host
        // answers 400 unless the response has started (internal/cabi/doors_request.go).
        st->in.bodyDone = true;
        st->in.bodyBroken = true;
        st->out.needDisconnect = true;
        if (!st->out.headersSent) {
            st->out.status = 400;
            st->out.reason = "Bad Request";
            st->out.reasonLen = strlen(st->out.reason);
        }
        return HRESULT_FROM_WIN32(ERROR_INVALID_DATA);
    }
    if (code < 0) {
        st->async.clientGone = true;
        return HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);
    }
    st->in.bodyRead += n;
    st->in.raw.BytesReceived += n;
    *received = n;
    if (code == kIoEndOfBody) {
        st->in.bodyDone = true;
        if (n == 0) {
            return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
        }
    }
    RaiseReadEntity(st, buffer, size, received);
    return S_OK;
}

// ReadNow reads synchronously on the calling thread.
static HRESULT ReadNow(RequestState *st, void *buffer, DWORD size, DWORD *received)
{
    if (!st->in.inserted.empty()) {
        *received = ReadInserted(st, buffer, size);
        return S_OK;
    }
    if (st->in.bodyDone) {
        *received = 0;
        return st->in.bodyBroken ? HRESULT_FROM_WIN32(ERROR_INVALID_DATA) : HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
    }
    uint32_t n = 0;
    int32_t code = iisgoReadBody(st->slot, buffer, size, &n);
    return AfterBodyRead(st, code, n, buffer, size, received);
}

HRESULT HostRequest::ReadEntityBody(void *buffer, DWORD size, BOOL async, DWORD *received, BOOL *pending)
{
    if (st->upgrade.active) {
        return UpgradedRead(st, buffer, size, async, received, pending);
    }
    if (pending) {
        *pending = FALSE;
    }
    if (!buffer || size == 0 || !received) {
        return E_INVALIDARG;
    }
    *received = 0;
    if (!async || !pending) {
        return ReadNow(st, buffer, size, received);
    }
    // Asynchronous: the bytes and result arrive through OnAsyncCompletion. Waiting on the client
    // is left to the request's goroutine once the module returns PENDING; data already at hand,
    // or a call from the module's own thread, completes at once.
    if (CanDeferIo(st) && st->in.inserted.empty() && !st->in.bodyDone) {
        st->async.io = AsyncIo{kIoRead, buffer, size};
        *pending = TRUE;
        return S_OK;
    }
    if (CanDeferIo(st) || !OnPipelineThread(st)) {
        DWORD n = 0;
        HRESULT hr = ReadNow(st, buffer, size, &n);
        SignalIoCompletion(st, n, hr);
        *pending = TRUE;
        return S_OK;
    }
    return ReadNow(st, buffer, size, received); // a notification that cannot park: synchronous
}

HRESULT HostRequest::InsertEntityBody(void *buffer, DWORD size)
{
    if (!buffer && size) {
        return E_INVALIDARG;
    }
    if (size) {
        // Documented: not copied (the module keeps it alive for the request), and placed before
        // everything still unread. Content-Length is the module's to update.
        st->in.inserted.insert(st->in.inserted.begin(), iis_bytes{static_cast<const char *>(buffer), size});
    }
    return S_OK;
}

DWORD HostRequest::GetRemainingEntityBytes()
{
    uint64_t left = 0;
    for (const iis_bytes &b : st->in.inserted) {
        left += b.len;
    }
    // Chunked bodies have no known length; IIS reports only what it knows for them too.
    if (!st->in.bodyDone && st->in.contentLength >= 0 && st->in.contentLength > static_cast<int64_t>(st->in.bodyRead)) {
        left += static_cast<uint64_t>(st->in.contentLength) - st->in.bodyRead;
    }
    return left > 0xFFFFFFFFu ? 0xFFFFFFFFu : static_cast<DWORD>(left);
}

HRESULT HostRequest::ReadEntityBody(void *buffer, DWORD size, BOOL async, PFN_ASYNC_COMPLETION callback, void *context,
                                    DWORD *received, BOOL *pending)
{
    return WithCallback(st, async, callback, context, pending,
                        [&] { return ReadEntityBody(buffer, size, async, received, pending); });
}

HRESULT HostRequest::ReadEntityBody(void *buffer, DWORD size, BOOL async, ULONG flags, DWORD *received, BOOL *pending)
{
    // The flags of HTTP.sys receives (fill the buffer, ...): reads here always fill the buffer
    // unless the body ends first, so none changes the result.
    (void)flags;
    return ReadEntityBody(buffer, size, async, received, pending);
}

} // namespace iishost
