// RequestState: one request's memory and objects, made once per slot and reset between requests.
#include "forward.h"
#include "host_instance.h"
#include "http_context.h"
#include "http_response.h"
#include "request_state.h"
#include "request_trace.h"
#include "upgrade.h"

namespace iishost {

AnonymousUser &Anonymous()
{
    static AnonymousUser user;
    return user;
}

RequestState::RequestState(uintptr_t slotNumber, HostInstance *owner) : slot(slotNumber), host(owner)
{
    context.st = this;
    request.st = this;
    response.st = this;
    connection.st = this;
    contexts.st = this;
    namedContexts.st = this;
    eventProvider.st = this;
    authProvider.st = this;
    mapHandlerProvider.st = this;
    sendProvider.st = this;
    preBeginProvider.st = this;
    cachePolicy.st = this;
    trace.st = this;
    trace.host = owner;
    memset(&raw, 0, sizeof(raw));
    memset(&rawResponse, 0, sizeof(rawResponse));
    requestHeaders.Bind(raw.Headers.KnownHeaders, HttpHeaderRequestMaximum, kRequestHeaderNames,
                        &raw.Headers.UnknownHeaderCount, &raw.Headers.pUnknownHeaders);
    responseHeaders.Bind(rawResponse.Headers.KnownHeaders, HttpHeaderResponseMaximum, kResponseHeaderNames,
                         &rawResponse.Headers.UnknownHeaderCount, &rawResponse.Headers.pUnknownHeaders);
    trailers.Bind(nullptr, 0, kResponseHeaderNames, &trailerCount, &trailerList);
    Reset();
}

// Reset readies the state for its next request; vectors keep their capacity.
void RequestState::Reset()
{
    arena.Reset();
    delete tracing;
    tracing = nullptr;
    memset(&raw, 0, sizeof(raw));
    memset(&rawResponse, 0, sizeof(rawResponse));
    requestHeaders.Reset();
    responseHeaders.Reset();
    rawResponse.Version.MajorVersion = 1;
    rawResponse.Version.MinorVersion = 1;
    size_t n = host->modules.size();
    modules.assign(n, nullptr);
    disabled.assign(n, 0);
    disabledPost.assign(n, 0);
    contexts.slots.Reset(n);
    namedContexts.entries.clear();
    cachePolicy.Reset();
    trace.haveActivity = false;
    urlInfo.reset();
    scope = nullptr;
    scriptMap = nullptr;
    handlerMapped = false;
    handlerRuns = nullptr;
    scriptNameOverride = nullptr;
    scriptNameOverrideLen = 0;
    connectionId = 0;
    tls = nullptr;
    moduleMemory = 0;
    moduleMemoryRefused = false;
    connectionState.reset(); // may release a closed connection's contexts
    currentModule = -1;
    currentNotification = 0;
    currentIsPost = false;
    stage = 0;
    pos = Position{};
    jumped = false;
    sendProvider.finalSend = false;
    sendProvider.logData = nullptr;
    sendProvider.logSetBy = -1;
    ioCallback = nullptr;
    ioCallbackContext = nullptr;
    completion = Completion{};
    parked = false;
    finishRequested = requestHandled = headersSent = clientGone = urlChanged = bodyDone = remoteParsed = false;
    memset(&remoteAddress, 0, sizeof(remoteAddress));
    bodyRead = 0;
    bodyBroken = false;
    refusal = {};
    inserted.clear();
    contentLength = -1;
    user = &Anonymous();
    status = 200;
    subStatus = 0;
    reason = "OK";
    reasonLen = 2;
    errorToReport = S_OK;
    errorReported = false;
    trySkipCustomErrors = FALSE;
    statusModule = -1;
    statusNotification = 0;
    errorDescription = nullptr;
    errorDescriptionLen = 0;
    body.clear();
    bodyLength = 0;
    ReleaseRequestFiles(this);
    needDisconnect = suppressHeaders = bufferingDisabled = false;
    trailerList = nullptr;
    trailerCount = 0;
    trailers.Reset();
    serverVariables.clear();
    executeFlags = 0;
    executed = ended = syncChain = headersTransferred = false;
    clones.clear();
    runningChild = nullptr;
    upgrade.Reset(this);
    viewHeaders.clear();
    memset(&view, 0, sizeof(view));
}

} // namespace iishost
