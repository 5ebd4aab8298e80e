// IHttpContext, the request's connection, user and context container, and the providers.
#include <string.h>

#include "callbacks.h"
#include "host.h"
#include "request_trace.h"
#include "upgrade_doors.h"

namespace iishost {

static AnonymousUser &Anonymous()
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

IHttpSite *HostContext::GetSite() { return &st->site->object; }
IHttpApplication *HostContext::GetApplication() { return st->app; }
IHttpConnection *HostContext::GetConnection() { return &st->connection; }
IHttpRequest *HostContext::GetRequest() { return &st->request; }
IHttpResponse *HostContext::GetResponse() { return &st->response; }
BOOL HostContext::GetResponseHeadersSent() const { return st->headersSent; }
IHttpUser *HostContext::GetUser() const { return st->user; }
IHttpModuleContextContainer *HostContext::GetModuleContextContainer() { return &st->contexts; }

void HostContext::DisableNotifications(DWORD notifications, DWORD postNotifications)
{
    if (st->currentModule < 0) {
        return;
    }
    st->disabled[st->currentModule] |= notifications;
    st->disabledPost[st->currentModule] |= postNotifications;
}

BOOL HostContext::GetIsLastNotification(REQUEST_NOTIFICATION_STATUS status)
{
    // Documented: TRUE when this module has more notifications pending on this request.
    int me = st->currentModule;
    if (me < 0 || st->currentNotification == RQ_SEND_RESPONSE) {
        return FALSE;
    }
    const int logStage = 10; // RQ_LOG_REQUEST: where a finished request goes next
    // A FINISH returned now ends this stage; one from an earlier stage only skipped to LOG.
    bool finishingNow = EnumValue(status) == RQ_NOTIFICATION_FINISH_REQUEST;
    bool finishing = finishingNow || st->finishRequested;
    const ModuleEntry *m = st->host->modules[me];
    DWORD pre = m->requestMask & ~st->disabled[me];
    DWORD post = m->postMask & ~st->disabledPost[me];
    for (int pos = st->stage * 2 + (st->currentIsPost ? 1 : 0) + 1; pos < IIS_STAGE_COUNT * 2; pos++) {
        int stage = pos / 2;
        if ((finishing && stage < logStage) || (finishingNow && stage == st->stage)) {
            continue;
        }
        if (((pos % 2) ? post : pre) & (1u << stage)) {
            return TRUE;
        }
    }
    return (pre & RQ_SEND_RESPONSE) ? TRUE : FALSE;
}

// ModuleMemory hands a module size bytes of request memory, zeroed: the arena is reused
// without clearing, and a module must never read another request's bytes. It stops at the
// host's cap, so a module asking for 4 GiB gets NULL instead of the host committing it.
static void *ModuleMemory(RequestState *st, DWORD size)
{
    if (size == 0) {
        return nullptr;
    }
    uint64_t cap = st->host->maxRequestMemory;
    bool capped = st->moduleMemory > cap || size > cap - st->moduleMemory;
    void *p = capped ? nullptr : st->arena.Allocate(size);
    if (!p) {
        if (!st->moduleMemoryRefused) {
            st->moduleMemoryRefused = true; // once per request: a module may retry in a loop
            std::string why = capped ? "it would pass the cap of " + std::to_string(cap) + " bytes per request"
                                     : "memory is exhausted";
            Log(st->host, 2, st->currentModule >= 0 ? st->host->modules[st->currentModule]->name : "",
                "AllocateRequestMemory of " + std::to_string(size) + " bytes refused: " + why);
        }
        return nullptr;
    }
    st->moduleMemory += size;
    memset(p, 0, size);
    return p;
}

void *HostContext::AllocateRequestMemory(DWORD size) { return ModuleMemory(st, size); }

void HostContext::SetRequestHandled() { st->requestHandled = true; }

void HostContext::IndicateCompletion(REQUEST_NOTIFICATION_STATUS status)
{
    Completion c;
    c.status = status;
    c.reenter = EnumValue(status) == RQ_NOTIFICATION_PENDING; // documented: PENDING reenters the notification
    SignalCompletion(st, c);
}

HRESULT HostContext::PostCompletion(DWORD bytes)
{
    Completion c;
    c.reenter = true;
    c.bytes = bytes;
    SignalCompletion(st, c);
    return S_OK;
}

HRESULT HostContext::CancelIo()
{
    // The read or send in progress completes with ERROR_OPERATION_ABORTED.
    if (st->upgrade.active) {
        iisgoUpCancel(st->slot); // the upgraded stream's reads and writes, as CancelOutstandingIO
        return S_OK;
    }
    return iisgoCancelIo(st->slot) ? S_OK : HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
}

HRESULT HostContext::PostCompletion(DWORD bytes, LPOVERLAPPED_COMPLETION_ROUTINE routine, void *context)
{
    if (!routine) {
        return PostCompletion(bytes);
    }
    // The routine runs on a host thread, as a thread-pool completion would; the request itself is
    // not resumed by it: the module completes it as usual.
    iisgoPostRoutine(st->host->goId, reinterpret_cast<void *>(routine), bytes, context);
    return S_OK;
}

BOOL HostConnection::IsConnected() const { return !RootOf(st)->clientGone; }

IHttpStoredContext *RequestContextContainer::GetModuleContext(HTTP_MODULE_ID id) { return slots.Get(st->host, id); }

HRESULT RequestContextContainer::SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id)
{
    return slots.Set(st->host, context, id);
}

void RecordErrorStatus(RequestState *st, HRESULT hr)
{
    // It does not stop the pipeline by itself; when the notification returns, a failure with no
    // status of the module's own becomes a 500 (pipeline.cpp, ApplyErrorStatus).
    if (st) {
        st->errorToReport = hr;
        st->errorReported = FAILED(hr);
    } else {
        char text[64];
        snprintf(text, sizeof(text), "global notification reported error 0x%08X", static_cast<unsigned>(hr));
        Log(nullptr, 2, "", text);
    }
}

void AuthenticationProvider::SetUser(IHttpUser *user)
{
    if (!user) {
        return;
    }
    user->ReferenceUser();
    if (st->user) {
        st->user->DereferenceUser();
    }
    st->user = user;
}

void *RequestAllocator::AllocateMemory(DWORD size) { return ModuleMemory(st, size); }

IHttpUser *HostContext::GetOriginalUser() const
{
    // Authentication may replace the user; the one the request arrived as is anonymous here.
    return &Anonymous();
}

INamedContextContainer *HostContext::GetNamedContextContainer() { return &st->namedContexts; }

// Documented as needed before reading and writing at once: the upgraded stream then takes one
// read and one write together instead of one operation at a time.
void HostContext::EnableFullDuplex() { st->upgrade.fullDuplex = true; }

IHttpStoredContext *NamedContextContainer::GetNamedContext(LPCWSTR name)
{
    if (!name) {
        return nullptr;
    }
    for (const Entry &e : entries) {
        if (wcscmp(e.name, name) == 0) {
            return e.context;
        }
    }
    return nullptr;
}

HRESULT NamedContextContainer::SetNamedContext(IHttpStoredContext *context, LPCWSTR name)
{
    if (!context || !name || !*name) {
        return E_INVALIDARG;
    }
    if (GetNamedContext(name)) {
        return HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED);
    }
    size_t n = wcslen(name);
    WCHAR *copy = static_cast<WCHAR *>(st->arena.Allocate((n + 1) * sizeof(WCHAR)));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    wmemcpy(copy, name, n + 1);
    entries.push_back(Entry{copy, context});
    return S_OK;
}

IHttpContext *PreBeginRequestProvider::GetHttpContext() { return &st->context; }

} // namespace iishost
