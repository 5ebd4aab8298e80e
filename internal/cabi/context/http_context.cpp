// IHttpContext (IHttpContext2/3/4): the request object modules receive. Child requests are in
// http_context_children.cpp, paths and MapPath in http_context_paths.cpp, server variables in
// http_context_server_variables.cpp.
#include <string.h>

#include "callbacks.h"
#include "clocks.h"
#include "forward.h"
#include "headers.h"
#include "http_context.h"
#include "http_context_paths.h"
#include "http_file_info.h"
#include "http_site.h"
#include "module_registration.h"
#include "pipeline.h"
#include "request_state.h"
#include "request_trace.h"
#include "script_map_info.h"
#include "upgrade.h"
#include "upgrade_doors.h"
#include "wide_strings.h"

namespace iishost {

IHttpSite *HostContext::GetSite() { return &st->site->object; }
IHttpApplication *HostContext::GetApplication() { return st->app; }
IHttpConnection *HostContext::GetConnection() { return &st->connection; }
IHttpRequest *HostContext::GetRequest() { return &st->request; }
IHttpResponse *HostContext::GetResponse() { return &st->response; }
BOOL HostContext::GetResponseHeadersSent() const { return st->out.headersSent; }
IHttpUser *HostContext::GetUser() const { return st->user; }
IHttpModuleContextContainer *HostContext::GetModuleContextContainer() { return &st->contexts; }

void HostContext::DisableNotifications(DWORD notifications, DWORD postNotifications)
{
    if (st->pipeline.currentModule < 0) {
        return;
    }
    st->pipeline.disabled[st->pipeline.currentModule] |= notifications;
    st->pipeline.disabledPost[st->pipeline.currentModule] |= postNotifications;
}

BOOL HostContext::GetIsLastNotification(REQUEST_NOTIFICATION_STATUS status)
{
    // Documented: TRUE when this module has more notifications pending on this request.
    int me = st->pipeline.currentModule;
    if (me < 0 || st->pipeline.currentNotification == RQ_SEND_RESPONSE) {
        return FALSE;
    }
    const int logStage = 10; // RQ_LOG_REQUEST: where a finished request goes next
    // A FINISH returned now ends this stage; one from an earlier stage only skipped to LOG.
    bool finishingNow = EnumValue(status) == RQ_NOTIFICATION_FINISH_REQUEST;
    bool finishing = finishingNow || st->pipeline.finishRequested;
    const ModuleEntry *m = st->host->modules[me];
    DWORD pre = m->requestMask & ~st->pipeline.disabled[me];
    DWORD post = m->postMask & ~st->pipeline.disabledPost[me];
    for (int pos = st->pipeline.stage * 2 + (st->pipeline.currentIsPost ? 1 : 0) + 1; pos < IIS_STAGE_COUNT * 2; pos++) {
        int stage = pos / 2;
        if ((finishing && stage < logStage) || (finishingNow && stage == st->pipeline.stage)) {
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
            Log(st->host, 2, st->pipeline.currentModule >= 0 ? st->host->modules[st->pipeline.currentModule]->name : "",
                "AllocateRequestMemory of " + std::to_string(size) + " bytes refused: " + why);
        }
        return nullptr;
    }
    st->moduleMemory += size;
    memset(p, 0, size);
    return p;
}

void *HostContext::AllocateRequestMemory(DWORD size) { return ModuleMemory(st, size); }

void HostContext::SetRequestHandled() { st->pipeline.requestHandled = true; }

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

IHttpFileInfo *HostContext::GetFileInfo() const
{
    if (!st->out.fileInfo) {
        std::string path = MapUrl(st, st->in.path, st->in.pathLen);
        HostFileInfo *info = nullptr;
        if (SUCCEEDED(st->host->fileCache->Get(path, true, &info))) {
            st->out.fileInfo = info; // released when the request ends
        }
    }
    return st->out.fileInfo;
}

// Before RQ_MAP_REQUEST_HANDLER has run, no handler is chosen yet: NULL, unless a module set one.
IScriptMapInfo *HostContext::GetScriptMap() const
{
    const int mapStage = 4;
    if (st->pipeline.stage > mapStage || (st->pipeline.stage == mapStage && st->pipeline.currentIsPost)) {
        EnsureHandlerMapped(st);
    }
    return st->mapping.scriptMap;
}

HRESULT HostContext::MapHandler(DWORD siteId, PCWSTR siteName, PCWSTR url, PCSTR verb, IScriptMapInfo **out, BOOL ignoreWildcards)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    if (!url || url[0] != L'/' || !verb || !*verb) {
        return E_INVALIDARG;
    }
    // The site is named by id, else by name, else it is the request's.
    SiteRecord *site = st->site;
    if (siteId || (siteName && *siteName)) {
        site = FindSite(st->host, siteId, siteName);
    }
    if (!site || (siteName && *siteName && !WideEqualFold(siteName, site->wideName.c_str()))) {
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    std::string narrow = NarrowString(url);
    const UrlScope *scope = ScopeFor(site, narrow.data(), narrow.size());
    HostScriptMap *h = MatchHandler(scope ? scope->handlers : st->host->handlers, narrow, verb, strlen(verb), ignoreWildcards != FALSE);
    if (!h) {
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    *out = h;
    return S_OK;
}

IMetadataInfo *HostContext::GetMetadata() { return &st->app->metadata; }

// The URL info of the request's current path, counted as one hit the first time a request
// asks: requests that never ask cost nothing.
IHttpUrlInfo *HostContext::GetUrlInfo()
{
    if (!st->urlInfo) {
        st->urlInfo = st->site->urls.Hit(st->host, std::string(st->in.path, st->in.pathLen));
    }
    return st->urlInfo.get();
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
    if (!st->async.resumable || !OnPipelineThread(st) || st->pipeline.currentModule < 0 || st->pipeline.finishRequested ||
        EnumValue(status) != RQ_NOTIFICATION_CONTINUE || st->async.io.kind != kIoNone) {
        return FALSE;
    }
    Position p = st->pipeline.pos;
    p.index++;
    for (;;) {
        const std::vector<int32_t> &list = RequestPlan(st, p.stage * 2 + p.post);
        if (p.index < list.size()) {
            int32_t next = list[p.index];
            DWORD bit = 1u << p.stage;
            if (((p.post ? st->pipeline.disabledPost[next] : st->pipeline.disabled[next]) & bit) ||
                (p.stage == kExecuteStage && !p.post && !HandlerRuns(st, next))) {
                p.index++;
                continue;
            }
            if (next != st->pipeline.currentModule) {
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
    st->pipeline.pos = p;
    st->pipeline.stage = p.stage;
    st->pipeline.currentNotification = 1u << p.stage;
    st->pipeline.currentIsPost = p.post != 0;
    st->pipeline.jumped = true;
    *notification = st->pipeline.currentNotification;
    *isPost = st->pipeline.currentIsPost;
    *module = st->pipeline.modules[st->pipeline.currentModule];
    *provider = ProviderFor(st, p.stage, p.post != 0);
    return TRUE;
}

ULONGLONG HostContext::GetRequestStartTime() { return st->in.startTick; }

ULONGLONG HostContext::GetRequestElapsedTime() { return TickCountMs() - st->in.startTick; }

IHttpTraceContext *HostContext::GetTraceContext() const { return &st->trace; }

} // namespace iishost
