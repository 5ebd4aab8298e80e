// What the overloads that take a PFN_ASYNC_COMPLETION (IHttpRequest3/4 in http_request_body.cpp,
// IHttpResponse2 in http_response*.cpp) share: the same operations, whose asynchronous
// completion calls the given function instead of the module's OnAsyncCompletion.
#include <functional>

#include "forward.h"
#include "pipeline.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

// WithCallback runs an async operation started with a PFN_ASYNC_COMPLETION: the callback is
// recorded first (the completion may arrive before the call returns) and dropped again when the
// operation failed or completed at once, which calls no callback.
HRESULT WithCallback(RequestState *st, BOOL async, PFN_ASYNC_COMPLETION callback, void *context, BOOL *pending,
                     const std::function<HRESULT()> &start)
{
    bool useCallback = async && callback && pending;
    if (useCallback) {
        st->async.ioCallback = callback;
        st->async.ioCallbackContext = context;
    }
    HRESULT hr = start();
    if (useCallback && (FAILED(hr) || !*pending)) {
        st->async.ioCallback = nullptr;
        st->async.ioCallbackContext = nullptr;
    }
    return hr;
}

} // namespace iishost
