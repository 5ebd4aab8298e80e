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
    memset(&in.raw, 0, sizeof(in.raw));
    memset(&out.rawResponse, 0, sizeof(out.rawResponse));
    in.requestHeaders.Bind(in.raw.Headers.KnownHeaders, HttpHeaderRequestMaximum, kRequestHeaderNames,
                           &in.raw.Headers.UnknownHeaderCount, &in.raw.Headers.pUnknownHeaders);
    out.responseHeaders.Bind(out.rawResponse.Headers.KnownHeaders, HttpHeaderResponseMaximum, kResponseHeaderNames,
                             &out.rawResponse.Headers.UnknownHeaderCount, &out.rawResponse.Headers.pUnknownHeaders);
    out.trailers.Bind(nullptr, 0, kResponseHeaderNames, &out.trailerCount, &out.trailerList);
    Reset();
}

// Reset readies the state for its next request; vectors keep their capacity.
void RequestState::Reset()
{
    arena.Reset();
    delete tracing;
    tracing = nullptr;
    memset(&in.raw, 0, sizeof(in.raw));
    memset(&out.rawResponse, 0, sizeof(out.rawResponse));
    in.requestHeaders.Reset();
    out.responseHeaders.Reset();
    out.rawResponse.Version.MajorVersion = 1;
    out.rawResponse.Version.MinorVersion = 1;
    size_t n = host->modules.size();
    pipeline.modules.assign(n, nullptr);
    pipeline.disabled.assign(n, 0);
    pipeline.disabledPost.assign(n, 0);
    contexts.slots.Reset(n);
    namedContexts.entries.clear();
    cachePolicy.Reset();
    trace.haveActivity = false;
    urlInfo.reset();
    mapping.scope = nullptr;
    mapping.scriptMap = nullptr;
    mapping.handlerMapped = false;
    mapping.handlerRuns = nullptr;
    mapping.scriptNameOverride = nullptr;
    mapping.scriptNameOverrideLen = 0;
    in.connectionId = 0;
    in.tls = nullptr;
    moduleMemory = 0;
    moduleMemoryRefused = false;
    connectionState.reset(); // may release a closed connection's contexts
    pipeline.currentModule = -1;
    pipeline.currentNotification = 0;
    pipeline.currentIsPost = false;
    pipeline.stage = 0;
    pipeline.pos = Position{};
    pipeline.jumped = false;
    sendProvider.finalSend = false;
    sendProvider.logData = nullptr;
    sendProvider.logSetBy = -1;
    async.ioCallback = nullptr;
    async.ioCallbackContext = nullptr;
    async.completion = Completion{};
    async.parked = false;
    pipeline.finishRequested = pipeline.requestHandled = out.headersSent = async.clientGone = in.urlChanged = in.bodyDone = in.remoteParsed = false;
    memset(&in.remoteAddress, 0, sizeof(in.remoteAddress));
    in.bodyRead = 0;
    in.bodyBroken = false;
    in.refusal = {};
    in.inserted.clear();
    in.contentLength = -1;
    user = &Anonymous();
    out.status = 200;
    out.subStatus = 0;
    out.reason = "OK";
    out.reasonLen = 2;
    out.errorToReport = S_OK;
    out.errorReported = false;
    out.trySkipCustomErrors = FALSE;
    out.statusModule = -1;
    out.statusNotification = 0;
    out.errorDescription = nullptr;
    out.errorDescriptionLen = 0;
    out.body.clear();
    out.bodyLength = 0;
    ReleaseRequestFiles(this);
    out.needDisconnect = out.suppressHeaders = out.bufferingDisabled = false;
    out.trailerList = nullptr;
    out.trailerCount = 0;
    out.trailers.Reset();
    serverVariables.clear();
    family.executeFlags = 0;
    family.executed = family.ended = family.syncChain = family.headersTransferred = false;
    family.clones.clear();
    family.runningChild = nullptr;
    upgrade.Reset(this);
    views.viewHeaders.clear();
    memset(&views.view, 0, sizeof(views.view));
}

} // namespace iishost
