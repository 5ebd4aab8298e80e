// The request engine: the plan compiled at startup is walked stage by stage, IIS's integrated
// pipeline order (docs/design.md §5). Module calls are guarded so that no exception reaches Go.
#include <algorithm>
#include <exception>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <string.h>

#include "callbacks.h"
#include "forward.h"
#include "http_context.h"
#include "http_context_children.h"
#include "http_request.h"
#include "http_response.h"
#include "module_calls.h"
#include "module_context_containers.h"
#include "module_guard.h"
#include "module_registration.h"
#include "pipeline.h"
#include "pipeline_turn.h"
#include "providers.h"
#include "request_state.h"
#include "request_trace.h"
#include "script_map_info.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

static const int kLogStage = 10;

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

std::string NotificationName(RequestState *st)
{
    return NotificationName(st->pipeline.currentNotification, st->pipeline.currentIsPost, st->pipeline.stage);
}

void FailRequest(RequestState *st, const std::string &module, const std::string &what)
{
    Log(st->host, 3, module, "exception escaped " + NotificationName(st) + ": " + what);
    TraceError(st, st->pipeline.currentModule, "exception escaped " + NotificationName(st) + ": " + what);
    if (!st->out.headersSent) {
        SetErrorResponse(st);
    }
    st->pipeline.finishRequested = true;
}

void SetErrorResponse(RequestState *st)
{
    st->response.Clear();
    st->out.status = 500;
    st->out.reason = "Internal Server Error";
    st->out.reasonLen = strlen(st->out.reason);
    st->out.statusModule = st->pipeline.currentModule;
    st->out.statusNotification = st->pipeline.currentNotification;
    st->out.responseHeaders.Set(st->arena, HttpHeaderContentType, "text/plain", 10, true);
    static const char text[] = "500 Internal Server Error\n";
    st->out.body.push_back(iis_bytes{text, sizeof(text) - 1});
    st->out.bodyLength = sizeof(text) - 1;
}

// ApplyErrorStatus turns an error a module reported with SetErrorStatus into a 500, as IIS does,
// unless the module already chose a status or the headers are out.
static void ApplyErrorStatus(RequestState *st, int index)
{
    if (!st->out.errorReported) {
        return;
    }
    st->out.errorReported = false;
    if (st->out.headersSent || st->out.status != 200) {
        return;
    }
    HRESULT hr = st->out.errorToReport;
    char text[128];
    snprintf(text, sizeof(text), "%s reported error 0x%08X", NotificationName(st).c_str(), static_cast<unsigned>(hr));
    Log(st->host, 2, st->host->modules[index]->name, text);
    TraceError(st, index, text);
    SetErrorResponse(st);
    st->out.errorToReport = hr;
}

// Runs fn, turning an escaping exception into a 500 for this request. Returns false then.
template <class Fn> static bool Guarded(RequestState *st, int module, Fn fn)
{
    try {
        ModuleCall(fn);
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
    if (st->pipeline.modules[index]) {
        return st->pipeline.modules[index];
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
    st->pipeline.modules[index] = module;
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
    int savedModule = st->pipeline.currentModule;
    DWORD savedNotification = st->pipeline.currentNotification;
    bool savedPost = st->pipeline.currentIsPost;
    bool savedResumable = st->async.resumable;
    st->async.resumable = false; // these notifications cannot park: their async I/O completes at once
    for (int32_t index : RequestPlan(st, list)) {
        if (st->pipeline.disabled[index] & bit) {
            continue;
        }
        CHttpModule *m = ModuleFor(st, index);
        if (!m) {
            break;
        }
        st->pipeline.currentModule = index;
        st->pipeline.currentNotification = bit;
        st->pipeline.currentIsPost = false;
        REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
        if (!Watched(st, index, bit, false, false, [&] { return status = call(m); }) || status == RQ_NOTIFICATION_FINISH_REQUEST) {
            break;
        }
    }
    st->pipeline.currentModule = savedModule;
    st->pipeline.currentNotification = savedNotification;
    st->pipeline.currentIsPost = savedPost;
    st->async.resumable = savedResumable;
}

// The Go fallback handler stands in for IIS's static file handler when no module answered.
static void RunFallbackIfUnhandled(RequestState *st)
{
    if (st->pipeline.requestHandled || st->pipeline.finishRequested || st->out.headersSent || st->out.bodyLength || st->out.status != 200) {
        return;
    }
    st->pipeline.requestHandled = true;
    st->pipeline.currentModule = -1;
    iisgoFallback(st->slot, reinterpret_cast<iis_request *>(st));
}

IHttpEventProvider *ProviderFor(RequestState *st, int stage, bool post)
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
    if (st->async.io.kind == kIoNone) {
        return;
    }
    st->async.io = AsyncIo{};
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
    st->async.completionInfo.bytes = c.bytes;
    st->async.completionInfo.status = c.hr;
    REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
    int stage = st->pipeline.pos.stage;
    bool post = st->pipeline.pos.post != 0;
    PFN_ASYNC_COMPLETION callback = st->async.ioCallback;
    void *callbackContext = st->async.ioCallbackContext;
    st->async.ioCallback = nullptr;
    st->async.resumable = true;
    bool ok = Watched(st, st->pipeline.currentModule, st->pipeline.currentNotification, post, false, [&] {
        if (callback) {
            // Started with a PFN_ASYNC_COMPLETION (IHttpRequest3, IHttpResponse2): it takes the
            // completion in place of OnAsyncCompletion.
            return status = callback(&st->context, &st->async.completionInfo, callbackContext);
        }
        return status = m->OnAsyncCompletion(&st->context, st->pipeline.currentNotification, post, ProviderFor(st, stage, post),
                                             &st->async.completionInfo);
    });
    st->async.resumable = false;
    if (!ok) {
        DropDeferredIo(st, st->pipeline.currentModule);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
    return status;
}

// Settle turns a PENDING into the status the pipeline goes on with, completing it at once when
// the completion already arrived; false means the request parks until it does.
static bool Settle(RequestState *st, CHttpModule *m, REQUEST_NOTIFICATION_STATUS *status)
{
    if (*status != RQ_NOTIFICATION_PENDING) {
        DropDeferredIo(st, st->pipeline.currentModule);
    }
    while (*status == RQ_NOTIFICATION_PENDING) {
        Completion c;
        {
            std::lock_guard<std::mutex> guard(st->async.asyncLock);
            if (!st->async.completion.arrived) {
                // A deferred I/O is done by the goroutine right away; anything else waits for
                // the module's own completion.
                st->async.parked = st->async.io.kind == kIoNone;
                st->watch.parkedCall.store(st->watch.lastCall, std::memory_order_release);
                return false;
            }
            c = st->async.completion;
            st->async.completion.arrived = false;
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
    Position &p = st->pipeline.pos;
    for (; p.stage < IIS_STAGE_COUNT; p.stage++, p.post = 0, p.index = 0) {
        if (st->pipeline.finishRequested && p.stage < kLogStage) {
            continue;
        }
        DWORD bit = 1u << p.stage;
        st->pipeline.stage = p.stage;
        bool endStage = false;
        for (; p.post < 2 && !endStage; p.post++, p.index = 0) {
            const std::vector<int32_t> &list = RequestPlan(st, p.stage * 2 + p.post);
            for (; p.index < list.size(); p.index++) {
                int32_t index = list[p.index];
                if (p.stage == kExecuteStage && !p.post && st->pipeline.requestHandled) {
                    break; // SetRequestHandled: no further handlers run
                }
                if ((p.post ? st->pipeline.disabledPost[index] : st->pipeline.disabled[index]) & bit) {
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
                st->pipeline.currentModule = index;
                st->pipeline.currentNotification = bit;
                st->pipeline.currentIsPost = p.post != 0;
                REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
                st->async.resumable = true;
                bool ok = Watched(st, index, bit, p.post != 0, false, [&] { return status = Dispatch(st, m, p.stage, p.post != 0); });
                st->async.resumable = false;
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
                    st->pipeline.finishRequested = true;
                    endStage = true;
                    break;
                }
                if (st->pipeline.jumped) {
                    // GetNextNotification moved the position, maybe to another list: go on
                    // after the notification the module handled last.
                    st->pipeline.jumped = false;
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
bool Resume(RequestState *st)
{
    if (st->family.runningChild && !ResumeRunningChild(st)) {
        return false;
    }
    Completion c;
    {
        std::lock_guard<std::mutex> guard(st->async.asyncLock);
        if (!st->async.completion.arrived) {
            st->async.parked = true; // woken for a completion not ours (a child's, already consumed)
            return false;
        }
        c = st->async.completion;
        st->async.completion.arrived = false;
    }
    st->watch.parkedCall.store(0, std::memory_order_release);
    Position &p = st->pipeline.pos;
    int32_t index = RequestPlan(st, p.stage * 2 + p.post)[p.index];
    CHttpModule *m = st->pipeline.modules[index];
    REQUEST_NOTIFICATION_STATUS status = Complete(st, m, c);
    if (!Settle(st, m, &status)) {
        return false;
    }
    ApplyErrorStatus(st, index);
    st->pipeline.jumped = false; // the position already names the notification handled last
    if (status == RQ_NOTIFICATION_FINISH_REQUEST) {
        st->pipeline.finishRequested = true;
        p.stage++, p.post = 0, p.index = 0; // the rest of this stage is skipped
    } else {
        p.index++;
    }
    return RunStages(st);
}

static void RunPreBeginRequest(RequestState *st)
{
    int bit = __builtin_ctz(GL_PRE_BEGIN_REQUEST);
    for (int32_t index : st->host->plan[IIS_LIST_GLOBAL + bit]) {
        st->pipeline.currentModule = index;
        st->pipeline.currentNotification = GL_PRE_BEGIN_REQUEST;
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        bool ok = Watched(st, index, GL_PRE_BEGIN_REQUEST, false, true,
                          [&] { return status = st->host->modules[index]->global->OnGlobalPreBeginRequest(&st->preBeginProvider); });
        if (!ok || status == GL_NOTIFICATION_HANDLED) {
            break;
        }
    }
    // A global module that marks the request handled ends it before the pipeline, as
    // FINISH_REQUEST would: log and end still run, then the response goes out.
    if (st->pipeline.requestHandled) {
        st->pipeline.finishRequested = true;
    }
    st->pipeline.currentModule = -1;
    st->pipeline.currentNotification = 0;
}

// Finalize sends what the pipeline produced, or says the request is parked.
const iis_send_view *Finalize(RequestState *st, bool done)
{
    if (!done) {
        if (st->async.io.kind != kIoWrite) { // a write's view was built when the module asked for it
            memset(&st->views.view, 0, sizeof(st->views.view));
        }
        st->views.view.pending = 1;
        st->views.view.io_kind = st->async.io.kind;
        st->views.view.io_buffer = st->async.io.buffer;
        st->views.view.io_size = st->async.io.size;
        return &st->views.view;
    }
    if (st->async.clientGone) {
        return nullptr;
    }
    SendNow(st, true, nullptr);
    return &st->views.view;
}

const iis_send_view *RunPipeline(RequestState *st)
{
    st->watch.parkedCall.store(0, std::memory_order_release);
    RunPreBeginRequest(st);
    if (st->in.refusal.status && !st->pipeline.finishRequested) {
        // As a module that ends the request at RQ_BEGIN_REQUEST: logging and cleanup modules
        // still see it in RQ_LOG_REQUEST and RQ_END_REQUEST.
        TraceStatus(st, st->in.refusal.status, st->in.refusal.substatus, S_OK, st->in.refusal.reason);
        st->out.status = st->in.refusal.status;
        st->out.subStatus = st->in.refusal.substatus;
        st->out.reason = st->in.refusal.reason;
        st->out.reasonLen = st->in.refusal.reasonLen;
        st->out.responseHeaders.Set(st->arena, HttpHeaderContentType, "text/html; charset=utf-8", 24, true);
        st->out.body.push_back(iis_bytes{st->in.refusal.page, static_cast<uint32_t>(st->in.refusal.pageLen)});
        st->out.bodyLength = st->in.refusal.pageLen;
        st->out.needDisconnect = st->out.needDisconnect || st->in.refusal.close;
        st->pipeline.finishRequested = true;
    }
    st->pipeline.pos = Position{};
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

bool OnPipelineThread(const RequestState *st) { return st->async.pipelineThread.load() == ThisThread(); }

// Children complete asynchronous I/O at once: only the root's goroutine can wait on the client.
bool CanDeferIo(const RequestState *st) { return st->async.resumable && !st->family.parent && OnPipelineThread(st); }

void SignalCompletion(RequestState *st, const Completion &c)
{
    bool wake;
    {
        std::lock_guard<std::mutex> guard(st->async.asyncLock);
        st->async.completion = c;
        st->async.completion.arrived = true;
        wake = st->async.parked && !st->family.syncChain;
        st->async.parked = false;
        if (st->family.syncChain) {
            st->family.asyncWake.notify_all(); // a synchronous ExecuteRequest waits for it
        }
    }

    if (wake) {
        QueueResume(st->slot); // the request's goroutine runs the rest
    }
}

iis_send_view *PrepareSend(RequestState *st, bool final)
{
    // RQ_SEND_RESPONSE is raised once per send; a send started from inside it does not nest.
    if (st->pipeline.currentNotification != RQ_SEND_RESPONSE) {
        st->sendProvider.headersBeingSent = !st->out.headersSent;
        st->sendProvider.flags = final ? 0 : HTTP_SEND_RESPONSE_FLAG_MORE_DATA;
        st->sendProvider.finalSend = final;
        RaiseNotification(st, IIS_LIST_SEND_RESPONSE, RQ_SEND_RESPONSE,
                          [st](CHttpModule *m) { return m->OnSendResponse(&st->context, &st->sendProvider); });
        if (st->sendProvider.flags & HTTP_SEND_RESPONSE_FLAG_DISCONNECT) {
            st->out.needDisconnect = true; // SetFlags asked for the connection to close after this response
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
        st->async.clientGone = true;
        return HRESULT_FROM_WIN32(code == kIoCancelled ? ERROR_OPERATION_ABORTED : ERROR_CONNECTION_ABORTED);
    }
    uint64_t length = st->out.bodyLength;
    st->out.headersSent = true;
    st->out.body.clear();
    st->out.bodyLength = 0;
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
    if (st->family.parent) {
        return ChildSend(st, sent);
    }
    if (st->async.clientGone) {
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
    child->pipeline.pos = Position{};
    return RunStages(child);
}

bool ResumeStages(RequestState *st)
{
    PipelineTurn turn(st);
    return Resume(st);
}

// ReleaseModules releases what the request's modules hold: clones, stored contexts, module
// objects, the user, the connection's state; the request's memory and files stay.
void ReleaseModules(RequestState *st)
{
    ReleaseClones(st);
    st->contexts.slots.Drain([st](int module, IHttpStoredContext *c) { Guarded(st, module, [c] { c->CleanupStoredContext(); }); });
    for (const NamedContextContainer::Entry &e : st->namedContexts.entries) {
        IHttpStoredContext *c = e.context;
        Guarded(st, -1, [c] { c->CleanupStoredContext(); });
    }
    st->namedContexts.entries.clear();
    for (size_t i = 0; i < st->pipeline.modules.size(); i++) {
        if (CHttpModule *m = st->pipeline.modules[i]) {
            st->pipeline.modules[i] = nullptr;
            Guarded(st, static_cast<int>(i), [m] { m->Dispose(); });
        }
    }
    if (st->user) {
        st->user->DereferenceUser();
    }
    st->connectionState.reset(); // may release a closed connection's contexts
}

// ReleaseRequest releases what the request held: what its modules hold, then its memory.
void ReleaseRequest(RequestState *st)
{
    ReleaseModules(st);
    st->Reset();
}

void ReclaimHeldMemory(RequestState *st)
{
    if (st->memoryHeld) {
        st->memoryHeld = false;
        st->Reset();
    }
}

} // namespace iishost
