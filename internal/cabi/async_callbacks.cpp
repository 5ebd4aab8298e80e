// The overloads that take a PFN_ASYNC_COMPLETION (IHttpRequest3/4, IHttpResponse2): the same
// operations, whose asynchronous completion calls the given function instead of the module's
// OnAsyncCompletion.
#include <functional>

#include "host.h"

namespace iishost {

// WithCallback runs an async operation started with a PFN_ASYNC_COMPLETION: the callback is
// recorded first (the completion may arrive before the call returns) and dropped again when the
// operation failed or completed at once, which calls no callback.
HRESULT WithCallback(RequestState *st, BOOL async, PFN_ASYNC_COMPLETION callback, void *context, BOOL *pending,
                     const std::function<HRESULT()> &start)
{
    bool useCallback = async && callback && pending;
    if (useCallback) {
        st->ioCallback = callback;
        st->ioCallbackContext = context;
    }
    HRESULT hr = start();
    if (useCallback && (FAILED(hr) || !*pending)) {
        st->ioCallback = nullptr;
        st->ioCallbackContext = nullptr;
    }
    return hr;
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

HRESULT HostResponse::WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData,
                                        PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent,
                                        BOOL *completionExpected)
{
    return WithCallback(st, async, callback, context, completionExpected,
                        [&] { return WriteEntityChunks(chunks, count, async, moreData, sent, completionExpected); });
}

HRESULT HostResponse::Flush(BOOL async, BOOL moreData, PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent,
                            BOOL *completionExpected)
{
    return WithCallback(st, async, callback, context, completionExpected,
                        [&] { return Flush(async, moreData, sent, completionExpected); });
}

} // namespace iishost
