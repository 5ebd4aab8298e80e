// The request engine: the plan compiled at startup is walked stage by stage, IIS's integrated
// pipeline order (docs/design.md §5). Module calls are guarded so that no exception reaches Go.
#include <algorithm>
#include <exception>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <string.h>

#include "callbacks.h"
#include "host.h"
#include "request_trace.h"

namespace iishost {

HRESULT LoadRequest(RequestState *st, const iis_request_meta *m, const char *s, size_t n);

static const int kLogStage = 10;
static const int kExecuteStage = 7;

static const char *const kStageNames[IIS_STAGE_COUNT] = {
    "BeginRequest",  "AuthenticateRequest",     "AuthorizeRequest",      "ResolveRequestCache",
    "MapRequestHandler", "AcquireRequestState", "PreExecuteRequestHandler", "ExecuteRequestHandler",
    "ReleaseRequestState", "UpdateRequestCache", "LogRequest",            "EndRequest",
};
static const char *const kPostStageNames[IIS_STAGE_COUNT] = {
    "PostBeginRequest",  "PostAuthenticateRequest",     "PostAuthorizeRequest",      "PostResolveRequestCache",
    "PostMapRequestHandler", "PostAcquireRequestState", "PostPreExecuteRequestHandler", "PostExecuteRequestHandler",
    "PostReleaseRequestState", "PostUpdateRequestCache", "PostLogRequest",            "PostEndRequest",
};

const char *NotificationName(DWORD notification, bool post, int stage)
{
    if (notification != 0 && notification != 1u << stage) {
        switch (notification) {
        case RQ_SEND_RESPONSE: return "SendResponse";
        case GL_PRE_BEGIN_REQUEST: return "GlobalPreBeginRequest";
        case RQ_MAP_PATH: return "MapPath";
        case RQ_READ_ENTITY: return "ReadEntity";
        case RQ_CUSTOM_NOTIFICATION: return "CustomRequestNotification";
        }
    }
    return (post ? kPostStageNames : kStageNames)[stage];
}

static std::string NotificationName(RequestState *st)
{
    return NotificationName(st->currentNotification, st->currentIsPost, st->stage);
}

void FailRequest(RequestState *st, const std::string &module, const std::string &what)
{
    Log(st->host, 3, module, "exception escaped " + NotificationName(st) + ": " + what);
    TraceError(st, st->currentModule, "exception escaped " + NotificationName(st) + ": " + what);
    if (!st->headersSent) {
        SetErrorResponse(st);
    }
    st->finishRequested = true;
}

void SetErrorResponse(RequestState *st)
{
    st->response.Clear();
    st->status = 500;
    st->reason = "Internal Server Error";
    st->reasonLen = strlen(st->reason);
    st->statusModule = st->currentModule;
    st->statusNotification = st->currentNotification;
    st->responseHeaders.Set(st->arena, HttpHeaderContentType, "text/plain", 10, true);
    static const char text[] = "500 Internal Server Error\n";
    st->body.push_back(iis_bytes{text, sizeof(text) - 1});
    st->bodyLength = sizeof(text) - 1;
}

// ApplyErrorStatus turns an error a module reported with SetErrorStatus into a 500, as IIS does,
// unless the module already chose a status or the headers are out.
static void ApplyErrorStatus(RequestState *st, int index)
{
    if (!st->errorReported) {
        return;
    }
    st->errorReported = false;
    if (st->headersSent || st->status != 200) {
        return;
    }
    HRESULT hr = st->errorToReport;
    char text[128];
    snprintf(text, sizeof(text), "%s reported error 0x%08X", NotificationName(st).c_str(), static_cast<unsigned>(hr));
    Log(st->host, 2, st->host->modules[index]->name, text);
    TraceError(st, index, text);
    SetErrorResponse(st);
    st->errorToReport = hr;
}

// Runs fn, turning an escaping exception into a 500 for this request. Returns false then.
template <class Fn> static bool Guarded(RequestState *st, int module, Fn fn)
{
    try {
        fn();
        return true;
    } catch (...) {
        FailRequest(st, module >= 0 ? st->host->modules[module]->name : "", DescribeCurrentException());
    }
    return false;
}

// Watched is Guarded for a notification call, marked for the watchdog while it runs.
// fn returns the module's status, which a failed-request trace records.
template <class Fn> static bool Watched(RequestState *st, int module, DWORD notification, bool post, bool global, Fn fn)
{
    WatchedCall watch(st, module, notification, post, global);
    if (!st->tracing) {
        return Guarded(st, module, fn);
    }
    RecordCall(st, module, notification, post, global);
    int status = 0;
    bool ok = Guarded(st, module, [&] { status = static_cast<int>(fn()); });
    RecordReturn(st, module, notification, post, global, ok, status);
    return ok;
}

// ModuleFor creates the module's per-request object the first time it is needed (docs/design.md §6).
static CHttpModule *ModuleFor(RequestState *st, int index)
{
    if (st->modules[index]) {
        return st->modules[index];
    }
    ModuleEntry *m = st->host->modules[index];
    RequestAllocator allocator;
    allocator.st = st;
    CHttpModule *module = nullptr;
    HRESULT hr = E_FAIL;
    if (!Guarded(st, index, [&] { hr = m->factory->GetHttpModule(&module, &allocator); })) {
        return nullptr;
    }
    if (FAILED(hr) || !module) {
        char text[96];
        snprintf(text, sizeof(text), "GetHttpModule failed with HRESULT 0x%08X", static_cast<unsigned>(hr));
        FailRequest(st, m->name, text);
        return nullptr;
    }
    st->modules[index] = module;
    return module;
}

static REQUEST_NOTIFICATION_STATUS Dispatch(RequestState *st, CHttpModule *m, int stage, bool post)
{
    IHttpContext *c = &st->context;
    IHttpEventProvider *p = &st->eventProvider;
    switch (stage * 2 + (post ? 1 : 0)) {
    case 0: return m->OnBeginRequest(c, p);
    case 1: return m->OnPostBeginRequest(c, p);
    case 2: return m->OnAuthenticateRequest(c, &st->authProvider);
    case 3: return m->OnPostAuthenticateRequest(c, p);
    case 4: return m->OnAuthorizeRequest(c, p);
    case 5: return m->OnPostAuthorizeRequest(c, p);
    case 6: return m->OnResolveRequestCache(c, p);
    case 7: return m->OnPostResolveRequestCache(c, p);
    case 8: return m->OnMapRequestHandler(c, &st->mapHandlerProvider);
    case 9: return m->OnPostMapRequestHandler(c, p);
    case 10: return m->OnAcquireRequestState(c, p);
    case 11: return m->OnPostAcquireRequestState(c, p);
    case 12: return m->OnPreExecuteRequestHandler(c, p);
    case 13: return m->OnPostPreExecuteRequestHandler(c, p);
    case 14: return m->OnExecuteRequestHandler(c, p);
    case 15: return m->OnPostExecuteRequestHandler(c, p);
    case 16: return m->OnReleaseRequestState(c, p);
    case 17: return m->OnPostReleaseRequestState(c, p);
    case 18: return m->OnUpdateRequestCache(c, p);
    case 19: return m->OnPostUpdateRequestCache(c, p);
    case 20: return m->OnLogRequest(c, p);
    case 21: return m->OnPostLogRequest(c, p);
    case 22: return m->OnEndRequest(c, p);
    default: return m->OnPostEndRequest(c, p);
    }
}

void RaiseNotification(RequestState *st, int list, DWORD bit,
                       const std::function<REQUEST_NOTIFICATION_STATUS(CHttpModule *)> &call)
{
    int savedModule = st->currentModule;
    DWORD savedNotification = st->currentNotification;
    bool savedPost = st->currentIsPost;
    bool savedResumable = st->resumable;
    st->resumable = false; // these notifications cannot park: their async I/O completes at once
    for (int32_t index : RequestPlan(st, list)) {
        if (st->disabled[index] & bit) {
            continue;
        }
        CHttpModule *m = ModuleFor(st, index);
        if (!m) {
            break;
        }
        st->currentModule = index;
        st->currentNotification = bit;
        st->currentIsPost = false;
        REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
        if (!Watched(st, index, bit, false, false, [&] { return status = call(m); }) || status == RQ_NOTIFICATION_FINISH_REQUEST) {
            break;
        }
    }
    st->currentModule = savedModule;
    st->currentNotification = savedNotification;
    st->currentIsPost = savedPost;
    st->resumable = savedResumable;
}

// The Go fallback handler stands in for IIS's static file handler when no module answered.
static void RunFallbackIfUnhandled(RequestState *st)
{
    if (st->requestHandled || st->finishRequested || st->headersSent || st->bodyLength || st->status != 200) {
        return;
    }
    st->requestHandled = true;
    st->currentModule = -1;
    iisgoFallback(st->slot, reinterpret_cast<iis_request *>(st));
}

static IHttpEventProvider *ProviderFor(RequestState *st, int stage, bool post)
{
    if (!post && stage == 1) {
        return &st->authProvider;
    }
    if (!post && stage == 4) {
        return &st->mapHandlerProvider;
    }
    return &st->eventProvider;
}

// A module that started async I/O but did not return PENDING broke the contract: the I/O is
// not done, and its completion would reach the wrong notification.
static void DropDeferredIo(RequestState *st, int module)
{
    if (st->io.kind == kIoNone) {
        return;
    }
    st->io = AsyncIo{};
    Log(st->host, 2, module >= 0 ? st->host->modules[module]->name : "",
        "asynchronous I/O started but the notification did not return RQ_NOTIFICATION_PENDING; the I/O was dropped");
}

// Completes a pending notification: PostCompletion (or IndicateCompletion with PENDING) reenters
// the module through OnAsyncCompletion; IndicateCompletion with another status continues with
// that status and no reentry (documented).
static REQUEST_NOTIFICATION_STATUS Complete(RequestState *st, CHttpModule *m, const Completion &c)
{
    UpgradeCompletionTaken(st);
    TraceCompletion(st, c);
    if (!c.reenter) {
        return c.status;
    }
    st->completionInfo.bytes = c.bytes;
    st->completionInfo.status = c.hr;
    REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
    int stage = st->pos.stage;
    bool post = st->pos.post != 0;
    PFN_ASYNC_COMPLETION callback = st->ioCallback;
    void *callbackContext = st->ioCallbackContext;
    st->ioCallback = nullptr;
    st->resumable = true;
    bool ok = Watched(st, st->currentModule, st->currentNotification, post, false, [&] {
        if (callback) {
            // Started with a PFN_ASYNC_COMPLETION (IHttpRequest3, IHttpResponse2): it takes the
            // completion in place of OnAsyncCompletion.
            return status = callback(&st->context, &st->completionInfo, callbackContext);
        }
        return status = m->OnAsyncCompletion(&st->context, st->currentNotification, post, ProviderFor(st, stage, post),
                                             &st->completionInfo);
    });
    st->resumable = false;
    if (!ok) {
        DropDeferredIo(st, st->currentModule);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
    return status;
}

// Settle turns a PENDING into the status the pipeline goes on with, completing it at once when
// the completion already arrived; false means the request parks until it does.
static bool Settle(RequestState *st, CHttpModule *m, REQUEST_NOTIFICATION_STATUS *status)
{
    if (*status != RQ_NOTIFICATION_PENDING) {
        DropDeferredIo(st, st->currentModule);
    }
    while (*status == RQ_NOTIFICATION_PENDING) {
        Completion c;
        {
            std::lock_guard<std::mutex> guard(st->asyncLock);
            if (!st->completion.arrived) {
                // A deferred I/O is done by the goroutine right away; anything else waits for
                // the module's own completion.
                st->parked = st->io.kind == kIoNone;
                st->parkedCall.store(st->lastCall, std::memory_order_release);
                return false;
            }
            c = st->completion;
            st->completion.arrived = false;
        }
        *status = Complete(st, m, c);
    }
    return true;
}

// RunStages walks the plan from the saved position to the end of RQ_END_REQUEST's
// post-notifications, like nginx's phase index; false means a module went pending and the
// request is parked at that position.
static bool RunStages(RequestState *st)
{
    Position &p = st->pos;
    for (; p.stage < IIS_STAGE_COUNT; p.stage++, p.post = 0, p.index = 0) {
        if (st->finishRequested && p.stage < kLogStage) {
            continue;
        }
        DWORD bit = 1u << p.stage;
        st->stage = p.stage;
        bool endStage = false;
        for (; p.post < 2 && !endStage; p.post++, p.index = 0) {
            const std::vector<int32_t> &list = RequestPlan(st, p.stage * 2 + p.post);
            for (; p.index < list.size(); p.index++) {
                int32_t index = list[p.index];
                if (p.stage == kExecuteStage && !p.post && st->requestHandled) {
                    break; // SetRequestHandled: no further handlers run
                }
                if ((p.post ? st->disabledPost[index] : st->disabled[index]) & bit) {
                    continue;
                }
                if (p.stage == kExecuteStage && !p.post && !HandlerRuns(st, index)) {
                    continue; // not a module of the request's handler
                }
                CHttpModule *m = ModuleFor(st, index);
                if (!m) {
                    endStage = true;
                    break;
                }
                st->currentModule = index;
                st->currentNotification = bit;
                st->currentIsPost = p.post != 0;
                REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
                st->resumable = true;
                bool ok = Watched(st, index, bit, p.post != 0, false, [&] { return status = Dispatch(st, m, p.stage, p.post != 0); });
                st->resumable = false;
                if (!ok) {
                    DropDeferredIo(st, index);
                    endStage = true;
                    break;
                }
                if (!Settle(st, m, &status)) {
                    return false;
                }
                ApplyErrorStatus(st, index);
                if (status == RQ_NOTIFICATION_FINISH_REQUEST) {
                    st->finishRequested = true;
                    endStage = true;
                    break;
                }
                if (st->jumped) {
                    // GetNextNotification moved the position, maybe to another list: go on
                    // after the notification the module handled last.
                    st->jumped = false;
                    p.index++;
                    return RunStages(st);
                }
            }
            if (!endStage && p.stage == kExecuteStage && !p.post) {
                RunFallbackIfUnhandled(st);
            }
        }
    }
    return true;
}

// Resume finishes the parked notification with the completion that woke the request, then
// walks on from there.
static bool Resume(RequestState *st)
{
    if (st->runningChild && !ResumeRunningChild(st)) {
        return false;
    }
    Completion c;
    {
        std::lock_guard<std::mutex> guard(st->asyncLock);
        if (!st->completion.arrived) {
            st->parked = true; // woken for a completion not ours (a child's, already consumed)
            return false;
        }
        c = st->completion;
        st->completion.arrived = false;
    }
    st->parkedCall.store(0, std::memory_order_release);
    Position &p = st->pos;
    int32_t index = RequestPlan(st, p.stage * 2 + p.post)[p.index];
    CHttpModule *m = st->modules[index];
    REQUEST_NOTIFICATION_STATUS status = Complete(st, m, c);
    if (!Settle(st, m, &status)) {
        return false;
    }
    ApplyErrorStatus(st, index);
    st->jumped = false; // the position already names the notification handled last
    if (status == RQ_NOTIFICATION_FINISH_REQUEST) {
        st->finishRequested = true;
        p.stage++, p.post = 0, p.index = 0; // the rest of this stage is skipped
    } else {
        p.index++;
    }
    return RunStages(st);
}

// GetNextNotification lets a module handle its own next notification in place when nothing
// else would run in between (documented as merging notifications within one module host). The
// position moves to that notification, so the pipeline goes on after it.
BOOL HostContext::GetNextNotification(REQUEST_NOTIFICATION_STATUS status, DWORD *notification, BOOL *isPost,
                                      CHttpModule **module, IHttpEventProvider **provider)
{
    if (!notification || !isPost || !module || !provider) {
        return FALSE;
    }
    // Only from a stage notification the engine is running now, going on normally.
    if (!st->resumable || !OnPipelineThread(st) || st->currentModule < 0 || st->finishRequested ||
        EnumValue(status) != RQ_NOTIFICATION_CONTINUE || st->io.kind != kIoNone) {
        return FALSE;
    }
    Position p = st->pos;
    p.index++;
    for (;;) {
        const std::vector<int32_t> &list = RequestPlan(st, p.stage * 2 + p.post);
        if (p.index < list.size()) {
            int32_t next = list[p.index];
            DWORD bit = 1u << p.stage;
            if (((p.post ? st->disabledPost[next] : st->disabled[next]) & bit) ||
                (p.stage == kExecuteStage && !p.post && !HandlerRuns(st, next))) {
                p.index++;
                continue;
            }
            if (next != st->currentModule) {
                return FALSE; // another module runs first
            }
            break;
        }
        if (p.stage == kExecuteStage && !p.post) {
            return FALSE; // the fallback handler may run at the end of this list
        }
        if (p.post) {
            p.stage++, p.post = 0;
        } else {
            p.post = 1;
        }
        p.index = 0;
        if (p.stage >= IIS_STAGE_COUNT) {
            return FALSE;
        }
    }
    st->pos = p;
    st->stage = p.stage;
    st->currentNotification = 1u << p.stage;
    st->currentIsPost = p.post != 0;
    st->jumped = true;
    *notification = st->currentNotification;
    *isPost = st->currentIsPost;
    *module = st->modules[st->currentModule];
    *provider = ProviderFor(st, p.stage, p.post != 0);
    return TRUE;
}

static void RunPreBeginRequest(RequestState *st)
{
    int bit = __builtin_ctz(GL_PRE_BEGIN_REQUEST);
    for (int32_t index : st->host->plan[IIS_LIST_GLOBAL + bit]) {
        st->currentModule = index;
        st->currentNotification = GL_PRE_BEGIN_REQUEST;
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        bool ok = Watched(st, index, GL_PRE_BEGIN_REQUEST, false, true,
                          [&] { return status = st->host->modules[index]->global->OnGlobalPreBeginRequest(&st->preBeginProvider); });
        if (!ok || status == GL_NOTIFICATION_HANDLED) {
            break;
        }
    }
    // A global module that marks the request handled ends it before the pipeline, as
    // FINISH_REQUEST would: log and end still run, then the response goes out.
    if (st->requestHandled) {
        st->finishRequested = true;
    }
    st->currentModule = -1;
    st->currentNotification = 0;
}

// Finalize sends what the pipeline produced, or says the request is parked.
static const iis_send_view *Finalize(RequestState *st, bool done)
{
    if (!done) {
        if (st->io.kind != kIoWrite) { // a write's view was built when the module asked for it
            memset(&st->view, 0, sizeof(st->view));
        }
        st->view.pending = 1;
        st->view.io_kind = st->io.kind;
        st->view.io_buffer = st->io.buffer;
        st->view.io_size = st->io.size;
        return &st->view;
    }
    if (st->clientGone) {
        return nullptr;
    }
    SendNow(st, true, nullptr);
    return &st->view;
}

const iis_send_view *RunPipeline(RequestState *st)
{
    st->parkedCall.store(0, std::memory_order_release);
    RunPreBeginRequest(st);
    if (st->refusal.status && !st->finishRequested) {
        // As a module that ends the request at RQ_BEGIN_REQUEST: logging and cleanup modules
        // still see it in RQ_LOG_REQUEST and RQ_END_REQUEST.
        TraceStatus(st, st->refusal.status, st->refusal.substatus, S_OK, st->refusal.reason);
        st->status = st->refusal.status;
        st->subStatus = st->refusal.substatus;
        st->reason = st->refusal.reason;
        st->reasonLen = st->refusal.reasonLen;
        st->responseHeaders.Set(st->arena, HttpHeaderContentType, "text/html; charset=utf-8", 24, true);
        st->body.push_back(iis_bytes{st->refusal.page, static_cast<uint32_t>(st->refusal.pageLen)});
        st->bodyLength = st->refusal.pageLen;
        st->needDisconnect = st->needDisconnect || st->refusal.close;
        st->finishRequested = true;
    }
    st->pos = Position{};
    return Finalize(st, RunStages(st));
}

void SignalIoCompletion(RequestState *st, DWORD bytes, HRESULT hr)
{
    Completion c;
    c.reenter = true;
    c.bytes = bytes;
    c.hr = hr;
    SignalCompletion(st, c);
}

static uintptr_t ThisThread() { return static_cast<uintptr_t>(pthread_self()); }

bool OnPipelineThread(const RequestState *st) { return st->pipelineThread.load() == ThisThread(); }

// Children complete asynchronous I/O at once: only the root's goroutine can wait on the client.
bool CanDeferIo(const RequestState *st) { return st->resumable && !st->parent && OnPipelineThread(st); }

// PipelineTurn marks the calling thread as the request's pipeline thread while Go's call lasts.
struct PipelineTurn {
    RequestState *st;
    explicit PipelineTurn(RequestState *s) : st(s) { st->pipelineThread = ThisThread(); }
    ~PipelineTurn() { st->pipelineThread = 0; }
};

void SignalCompletion(RequestState *st, const Completion &c)
{
    bool wake;
    {
        std::lock_guard<std::mutex> guard(st->asyncLock);
        st->completion = c;
        st->completion.arrived = true;
        wake = st->parked && !st->syncChain;
        st->parked = false;
        if (st->syncChain) {
            st->asyncWake.notify_all(); // a synchronous ExecuteRequest waits for it
        }
    }

    if (wake) {
        QueueResume(st->slot); // the request's goroutine runs the rest
    }
}

iis_send_view *PrepareSend(RequestState *st, bool final)
{
    // RQ_SEND_RESPONSE is raised once per send; a send started from inside it does not nest.
    if (st->currentNotification != RQ_SEND_RESPONSE) {
        st->sendProvider.headersBeingSent = !st->headersSent;
        st->sendProvider.flags = final ? 0 : HTTP_SEND_RESPONSE_FLAG_MORE_DATA;
        st->sendProvider.finalSend = final;
        RaiseNotification(st, IIS_LIST_SEND_RESPONSE, RQ_SEND_RESPONSE,
                          [st](CHttpModule *m) { return m->OnSendResponse(&st->context, &st->sendProvider); });
        if (st->sendProvider.flags & HTTP_SEND_RESPONSE_FLAG_DISCONNECT) {
            st->needDisconnect = true; // SetFlags asked for the connection to close after this response
        }
        if (final) {
            LogSendData(st);
        }
    }
    return BuildSendView(st, final);
}

HRESULT AfterSend(RequestState *st, int32_t code, DWORD *sent)
{
    if (code != kIoDone) {
        // Part of the send may be out: nothing more can follow it on this connection.
        st->clientGone = true;
        return HRESULT_FROM_WIN32(code == kIoCancelled ? ERROR_OPERATION_ABORTED : ERROR_CONNECTION_ABORTED);
    }
    uint64_t length = st->bodyLength;
    st->headersSent = true;
    st->body.clear();
    st->bodyLength = 0;
    if (sent) {
        *sent = static_cast<DWORD>(length);
    }
    return S_OK;
}

HRESULT SendNow(RequestState *st, bool final, DWORD *sent)
{
    if (sent) {
        *sent = 0;
    }
    if (st->parent) {
        return ChildSend(st, sent);
    }
    if (st->clientGone) {
        return HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);
    }
    iis_send_view *view = PrepareSend(st, final);
    if (final) {
        return S_OK; // Go writes the final view when the pipeline returns
    }
    return AfterSend(st, iisgoFlush(st->slot, view), sent);
}

bool RunChildStages(RequestState *child)
{
    PipelineTurn turn(child);
    child->pos = Position{};
    return RunStages(child);
}

bool ResumeStages(RequestState *st)
{
    PipelineTurn turn(st);
    return Resume(st);
}

// ReleaseRequest releases what the request held: clones, stored contexts, module objects, the
// user, memory.
void ReleaseRequest(RequestState *st)
{
    ReleaseClones(st);
    st->contexts.slots.Drain([st](int module, IHttpStoredContext *c) { Guarded(st, module, [c] { c->CleanupStoredContext(); }); });
    for (const NamedContextContainer::Entry &e : st->namedContexts.entries) {
        IHttpStoredContext *c = e.context;
        Guarded(st, -1, [c] { c->CleanupStoredContext(); });
    }
    st->namedContexts.entries.clear();
    for (size_t i = 0; i < st->modules.size(); i++) {
        if (CHttpModule *m = st->modules[i]) {
            st->modules[i] = nullptr;
            Guarded(st, static_cast<int>(i), [m] { m->Dispose(); });
        }
    }
    if (st->user) {
        st->user->DereferenceUser();
    }
    st->Reset();
}

// Turn runs one of Go's calls into the pipeline on this thread; a host error becomes a 500 and
// never unwinds into Go.
template <class Fn> static const iis_send_view *Turn(RequestState *st, Fn fn)
{
    PipelineTurn turn(st);
    try {
        return fn();
    } catch (...) {
        FailRequest(st, "", "host error: " + DescribeCurrentException());
    }
    return st->clientGone ? nullptr : BuildSendView(st, true);
}

} // namespace iishost

using namespace iishost;

static RequestState *State(iis_request *req) { return reinterpret_cast<RequestState *>(req); }

extern "C" {

iis_request *iis_request_new(iis_host *host, uintptr_t slot)
{
    try {
        return reinterpret_cast<iis_request *>(new RequestState(slot, reinterpret_cast<HostInstance *>(host)));
    } catch (...) {
        return nullptr;
    }
}

void iis_request_free(iis_request *req) { delete State(req); }

const iis_send_view *iis_request_run(iis_request *req, const iis_request_meta *meta, const char *strings, size_t n)
{
    RequestState *st = State(req);
    return Turn(st, [&]() -> const iis_send_view * {
        if (FAILED(LoadRequest(st, meta, strings, n))) {
            st->status = 400;
            st->reason = "Bad Request";
            st->reasonLen = strlen(st->reason);
            return BuildSendView(st, true);
        }
        return RunPipeline(st);
    });
}

const iis_send_view *iis_request_resume(iis_request *req)
{
    RequestState *st = State(req);
    return Turn(st, [st] { return Finalize(st, Resume(st)); });
}

const iis_send_view *iis_request_io_done(iis_request *req, uint32_t bytes, int32_t code)
{
    RequestState *st = State(req);
    return Turn(st, [=] {
        AsyncIo io = st->io;
        st->io = AsyncIo{};
        DWORD done = bytes;
        HRESULT hr = io.kind == kIoRead ? AfterBodyRead(st, code, bytes, io.buffer, io.size, &done)
                                        : AfterSend(st, code, &done);
        {
            std::lock_guard<std::mutex> guard(st->asyncLock);
            st->completion = Completion{true, true, RQ_NOTIFICATION_CONTINUE, done, hr};
        }
        return Finalize(st, Resume(st));
    });
}

void iis_request_client_gone(iis_request *req) { State(req)->clientGone = true; }

// Abandoned requests stay reachable from here until reclaimed, so that a leak checker sees them
// as kept on purpose; the list itself is never freed.
static std::mutex abandonedLock;
static std::vector<RequestState *> *abandoned = new std::vector<RequestState *>;

uint64_t iis_request_footprint(iis_request *req)
{
    RequestState *st = State(req);
    return sizeof(RequestState) + st->arena.OverflowBytes();
}

void iis_request_abandon(iis_request *req, uint64_t held, uint64_t cap)
{
    RequestState *st = State(req);
    std::string module = st->currentModule >= 0 ? st->host->modules[st->currentModule]->name : "";
    std::string text = NotificationName(st) + " never completed after the client left; the request is abandoned and its state kept";
    if (held >= cap) {
        text += "; abandoned requests hold " + std::to_string(held) + " bytes, the cap of " + std::to_string(cap) +
                " is reached: new requests are answered 503 until late completions free some";
    }
    Log(st->host, 3, module, text);
    std::lock_guard<std::mutex> guard(abandonedLock);
    abandoned->push_back(st);
}

void iis_request_reclaimed(iis_request *req)
{
    std::lock_guard<std::mutex> guard(abandonedLock);
    abandoned->erase(std::remove(abandoned->begin(), abandoned->end(), State(req)), abandoned->end());
}

void iis_run_completion_routine(void *routine, uint32_t bytes, void *context)
{
    auto fn = reinterpret_cast<LPOVERLAPPED_COMPLETION_ROUTINE>(routine);
    try {
        fn(ERROR_SUCCESS, bytes, static_cast<LPOVERLAPPED>(context));
    } catch (...) {
        Log(nullptr, 3, "", "an exception escaped a completion routine posted with PostCompletion");
    }
}

void iis_request_finish(iis_request *req)
{
    try {
        ReleaseRequest(State(req));
        RaiseThreadCleanup(State(req)->host, State(req)->app); // this thread is done with the request
    } catch (...) {
        Log(State(req)->host, 3, "", "host error while finishing a request");
    }
}

void iis_fallback_set_status(iis_request *req, uint16_t status, const char *reason, uint32_t reasonLen)
{
    RequestState *st = State(req);
    TraceStatus(st, status, 0, S_OK, nullptr);
    st->status = status;
    st->reason = st->arena.CopyString(reason, reasonLen);
    st->reasonLen = reasonLen;
}

int32_t iis_fallback_set_header(iis_request *req, const char *name, uint32_t nameLen, const char *value, uint32_t valueLen, int replace)
{
    RequestState *st = State(req);
    return st->responseHeaders.Set(st->arena, name, nameLen, value, valueLen, replace != 0);
}

int32_t iis_fallback_write(iis_request *req, const char *data, uint32_t len)
{
    RequestState *st = State(req);
    char *copy = static_cast<char *>(st->arena.Allocate(len));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    memcpy(copy, data, len);
    st->body.push_back(iis_bytes{copy, len});
    st->bodyLength += len;
    return S_OK;
}

uint32_t iis_request_inserted_body(iis_request *req, const iis_bytes **chunks)
{
    RequestState *st = State(req);
    *chunks = st->inserted.data();
    return static_cast<uint32_t>(st->inserted.size());
}

uint64_t iis_request_body_read(iis_request *req) { return State(req)->bodyRead; }

uint32_t iis_request_headers(iis_request *req, const iis_bytes **headers)
{
    RequestState *st = State(req);
    st->requestView.clear();
    st->requestHeaders.ForEach([st](iis_bytes name, iis_bytes value) {
        st->requestView.push_back(name);
        st->requestView.push_back(value);
    });
    *headers = st->requestView.data();
    return static_cast<uint32_t>(st->requestView.size() / 2);
}

iis_bytes iis_request_current_path(iis_request *req)
{
    RequestState *st = State(req);
    return iis_bytes{st->path, static_cast<uint32_t>(st->pathLen)};
}

iis_bytes iis_request_physical_path(iis_request *req)
{
    RequestState *st = State(req);
    std::string path = MapUrl(st, st->path, st->pathLen);
    char *copy = st->arena.CopyString(path.data(), path.size());
    return copy ? iis_bytes{copy, static_cast<uint32_t>(path.size())} : iis_bytes{"", 0};
}

static iis_bytes ArenaBytes(RequestState *st, const std::string &s)
{
    char *copy = st->arena.CopyString(s.data(), s.size());
    return copy ? iis_bytes{copy, static_cast<uint32_t>(s.size())} : iis_bytes{"", 0};
}

iis_bytes iis_request_directory(iis_request *req, iis_bytes *root)
{
    RequestState *st = State(req);
    *root = iis_bytes{"", 0};
    std::string clean;
    if (!CanonicalUrlPath(st->path, st->pathLen, &clean)) {
        return iis_bytes{"", 0};
    }
    const VirtualDirectory *dir = DirectoryFor(st->site, clean.data(), clean.size());
    if (!dir) {
        return iis_bytes{"", 0};
    }
    *root = ArenaBytes(st, dir->physicalPath.empty() ? std::string("/") : dir->physicalPath);
    return ArenaBytes(st, PhysicalPathOf(st, st->path, st->pathLen));
}

int32_t iis_fallback_write_file(iis_request *req, int fd, uint64_t offset, uint64_t length)
{
    HTTP_DATA_CHUNK chunk = {};
    chunk.DataChunkType = HttpDataChunkFromFileHandle;
    chunk.FromFileHandle.FileHandle = iishost_fd_handle(fd);
    chunk.FromFileHandle.ByteRange.StartingOffset.QuadPart = offset;
    chunk.FromFileHandle.ByteRange.Length.QuadPart = length;
    return AddBodyChunks(State(req), &chunk, 1, false, -1, nullptr);
}

iis_bytes iis_request_current_query(iis_request *req)
{
    RequestState *st = State(req);
    return iis_bytes{st->query, static_cast<uint32_t>(st->queryLen)};
}

iis_bytes iis_request_current_method(iis_request *req)
{
    RequestState *st = State(req);
    return iis_bytes{st->method, static_cast<uint32_t>(st->methodLen)};
}

} // extern "C"
