// Child requests: IHttpContext::CloneContext, ExecuteRequest and ReleaseClonedContext.
//
// A clone is a RequestState of its own (own arena, module instances and response) that shares
// its parent's slot, so the Go callbacks (body reads, the fallback handler) reach the same
// client. A child runs the whole pipeline on the thread that executes it. What it sends goes
// into its parent's response: its status and headers too unless EXECUTE_FLAG_NO_HEADERS, and
// flushed at once unless EXECUTE_FLAG_BUFFER_RESPONSE.
#include <fcntl.h>
#include <string.h>

#include <new>

#include "forward.h"
#include "http_context.h"
#include "http_context_children.h"
#include "http_context_server_variables.h"
#include "http_response.h"
#include "pipeline.h"
#include "pipeline_turn.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

// Documented limit of nested child requests.
static const int kMaxChildDepth = 10;

const RequestState *RootOf(const RequestState *st)
{
    while (st->parent) {
        st = st->parent;
    }
    return st;
}

// AppendHeader lays out one [name_len][value_len][name][value] entry of a request meta buffer.
static void AppendHeader(std::string &buf, iis_bytes name, iis_bytes value)
{
    buf.append(reinterpret_cast<const char *>(&name.len), 4);
    buf.append(reinterpret_cast<const char *>(&value.len), 4);
    buf.append(name.data, name.len);
    buf.append(value.data, value.len);
}

HRESULT LoadRequest(RequestState *st, const iis_request_meta *m, const char *s, size_t n);

// LoadClone fills a new child from its parent as the parent stands now (URL rewrites and
// header changes included), copying what the CLONE_FLAG_* bits ask for.
static HRESULT LoadClone(RequestState *c, RequestState *p, DWORD flags)
{
    iis_request_meta m;
    memset(&m, 0, sizeof(m));
    std::string buf;
    auto add = [&buf](const char *s, size_t len) -> uint32_t {
        buf.append(s ? s : "", s ? len : 0);
        return static_cast<uint32_t>(s ? len : 0);
    };
    if (flags & CLONE_FLAG_BASICS) {
        m.method_len = add(p->method, p->methodLen);
        m.raw_url_len = add(p->raw.pRawUrl, p->raw.RawUrlLength);
        m.path_len = add(p->path, p->pathLen);
        m.query_len = add(p->query, p->queryLen);
    } else {
        // No basics: a GET of the site root until the module sets its own URL and method.
        m.method_len = add("GET", 3);
        m.raw_url_len = add("/", 1);
        m.path_len = add("/", 1);
    }
    m.host_len = add(p->hostName, p->hostNameLen);
    m.remote_len = add(p->remoteText, p->remoteTextLen);
    if (flags & CLONE_FLAG_HEADERS) {
        p->requestHeaders.ForEach([&](iis_bytes name, iis_bytes value) {
            AppendHeader(buf, name, value);
            m.header_count++;
        });
    }
    m.proto_major = p->raw.Version.MajorVersion;
    m.proto_minor = p->raw.Version.MinorVersion;
    m.local_port = p->localPort;
    m.https = p->https;
    m.site = p->site->index;
    m.content_length = 0;
    HRESULT hr = LoadRequest(c, &m, buf.data(), buf.size());
    if (FAILED(hr)) {
        return hr;
    }
    c->localAddress = p->localAddress;
    c->remoteAddress = p->remoteAddress;
    c->remoteParsed = p->remoteParsed;
    c->tls = p->tls; // the parent's arena outlives the child
    c->raw.pSslInfo = p->raw.pSslInfo;
    if (flags & CLONE_FLAG_ENTITY) {
        // The child reads what the parent has not: inserted data, then the client's rest.
        c->inserted = p->inserted;
        c->bodyDone = p->bodyDone;
        c->contentLength = p->contentLength < 0 ? -1 : p->contentLength - static_cast<int64_t>(p->bodyRead);
    } else {
        c->bodyDone = true;
    }
    if (flags & CLONE_FLAG_SERVER_VARIABLE) {
        c->serverVariables = p->serverVariables; // strings live in the parent's memory, which outlives it
    }
    c->user = p->user;
    c->user->ReferenceUser();
    return S_OK;
}

HRESULT HostContext::CloneContext(DWORD flags, IHttpContext **child)
{
    if (!child) {
        return E_INVALIDARG;
    }
    *child = nullptr;
    // CLONE_FLAG_NO_PRECONDITION, CLONE_FLAG_NO_DAV and CLONE_FLAG_USER_CACHE_VARY_BY concern
    // preconditions, WebDAV and the output cache, none of which iishost has: accepted, no effect.
    RequestState *c = new (std::nothrow) RequestState(st->slot, st->host);
    if (!c) {
        return E_OUTOFMEMORY;
    }
    c->parent = st;
    c->depth = st->depth + 1;
    HRESULT hr = LoadClone(c, st, flags);
    if (FAILED(hr)) {
        delete c;
        return hr;
    }
    st->clones.push_back(c);
    *child = &c->context;
    return S_OK;
}

// FindClone accepts only a context this request cloned: a module's pointer is checked, not trusted.
static RequestState *FindClone(RequestState *st, IHttpContext *child)
{
    for (RequestState *c : st->clones) {
        if (&c->context == child) {
            return c;
        }
    }
    return nullptr;
}

// TransferOutput moves what a child produced into its parent's response.
static void TransferOutput(RequestState *c)
{
    RequestState *p = c->parent;
    if (!(c->executeFlags & EXECUTE_FLAG_NO_HEADERS) && !c->headersTransferred && !p->headersSent) {
        c->headersTransferred = true;
        p->status = c->status;
        p->subStatus = c->subStatus;
        p->reason = p->arena.CopyString(c->reason, c->reasonLen);
        p->reasonLen = p->reason ? c->reasonLen : 0;
        p->responseHeaders.Clear();
        c->responseHeaders.ForEach([p](iis_bytes name, iis_bytes value) {
            p->responseHeaders.Set(p->arena, name.data, name.len, value.data, value.len, false);
        });
    }
    // The child's memory and descriptors go when it is released, which may be before the
    // parent sends: bytes are copied, file ranges get descriptors of the parent's own.
    for (const iis_bytes &b : c->body) {
        if (!b.data) {
            iis_file_range range = c->bodyFiles[b.len];
            range.fd = fcntl(range.fd, F_DUPFD_CLOEXEC, 0);
            if (range.fd < 0) {
                continue;
            }
            p->ownedFds.push_back(range.fd);
            p->body.push_back(iis_bytes{nullptr, static_cast<uint32_t>(p->bodyFiles.size())});
            p->bodyFiles.push_back(range);
            p->bodyLength += range.length;
            continue;
        }
        char *copy = p->arena.CopyString(b.data, b.len);
        if (copy) {
            p->body.push_back(iis_bytes{copy, b.len});
            p->bodyLength += b.len;
        }
    }
    ClearBody(c);
}

HRESULT ChildSend(RequestState *c, DWORD *sent)
{
    if (RootOf(c)->clientGone) {
        return HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);
    }
    uint64_t length = c->bodyLength;
    PrepareSend(c, false); // the child's RQ_SEND_RESPONSE
    TransferOutput(c);
    c->headersSent = true;
    if (sent) {
        *sent = static_cast<DWORD>(length);
    }
    if (c->executeFlags & EXECUTE_FLAG_BUFFER_RESPONSE) {
        return S_OK;
    }
    return SendNow(c->parent, false, nullptr);
}

// EndChild finishes an executed child: its response goes to the parent.
static HRESULT EndChild(RequestState *c)
{
    c->ended = true;
    if (RootOf(c)->clientGone) {
        return S_OK;
    }
    TransferOutput(c);
    if (c->executeFlags & EXECUTE_FLAG_BUFFER_RESPONSE) {
        return S_OK;
    }
    return SendNow(c->parent, false, nullptr);
}

// WaitChild runs a synchronously executed child to its end, blocking this thread while the
// child is pending.
static void WaitChild(RequestState *c)
{
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(c->asyncLock);
            c->asyncWake.wait(lock, [c] { return c->completion.arrived; });
        }
        if (ResumeStages(c)) {
            return;
        }
    }
}

bool ResumeRunningChild(RequestState *st)
{
    RequestState *c = st->runningChild;
    if (!ResumeStages(c)) {
        return false;
    }
    st->runningChild = nullptr;
    HRESULT hr = EndChild(c);
    std::lock_guard<std::mutex> guard(st->asyncLock);
    st->completion = Completion{true, true, RQ_NOTIFICATION_CONTINUE, 0, hr};
    return true;
}

HRESULT HostContext::ExecuteRequest(BOOL async, IHttpContext *child, DWORD flags, IHttpUser *user,
                                    BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    RequestState *c = FindClone(st, child);
    if (!c || c->executed) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); // not our clone, or run already
    }
    if (c->depth > kMaxChildDepth) {
        return HRESULT_FROM_WIN32(ERROR_STACK_OVERFLOW);
    }
    if (st->runningChild) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_STATE); // one asynchronous child at a time
    }
    c->executed = true;
    c->executeFlags = flags;
    if (user) {
        // A given user skips authentication (documented).
        user->ReferenceUser();
        c->user->DereferenceUser();
        c->user = user;
        for (DWORD &d : c->disabled) {
            d |= RQ_AUTHENTICATE_REQUEST;
        }
    }
    if (flags & EXECUTE_FLAG_SAME_URL) {
        std::string url(st->path, st->pathLen);
        if (st->queryLen) {
            url.append("?").append(st->query, st->queryLen);
        }
        c->request.SetUrl(url.c_str(), static_cast<DWORD>(url.size()), TRUE);
    }
    // Synchronous unless the caller can be told to wait and the root's goroutine can resume
    // it: a call from a module's own thread, or inside a synchronous child, waits here.
    c->syncChain = !async || !completionExpected || st->syncChain || !OnPipelineThread(st);
    if (RunChildStages(c)) {
        return EndChild(c);
    }
    if (c->syncChain) {
        WaitChild(c);
        return EndChild(c);
    }
    st->runningChild = c;
    *completionExpected = TRUE;
    return S_OK;
}

HRESULT HostContext::ReleaseClonedContext()
{
    RequestState *p = st->parent;
    if (!p) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); // only clones are released this way
    }
    if (st->executed && !st->ended) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_STATE); // still running
    }
    for (size_t i = 0; i < p->clones.size(); i++) {
        if (p->clones[i] == st) {
            p->clones.erase(p->clones.begin() + static_cast<long>(i));
            break;
        }
    }
    RequestState *self = st;
    ReleaseRequest(self);
    delete self; // this object is part of it: nothing may touch members from here
    return S_OK;
}

void ReleaseClones(RequestState *st)
{
    std::vector<RequestState *> clones;
    clones.swap(st->clones);
    for (RequestState *c : clones) {
        if (c->executed && !c->ended) {
            continue; // still parked (the request was abandoned): a late completion must find it
        }
        ReleaseRequest(c);
        delete c;
    }
}

HRESULT HostContext::InheritServerVariable(PCSTR name, BOOL failIfNotExist)
{
    if (!name || !*name) {
        return E_INVALIDARG;
    }
    RequestState *p = st->parent;
    if (!p) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); // only a child has a request to inherit from
    }
    const char *value = nullptr;
    size_t len = 0;
    HRESULT hr = LookupServerVariable(p, name, &value, &len);
    if (FAILED(hr) || !value) {
        return failIfNotExist ? (FAILED(hr) ? hr : HRESULT_FROM_WIN32(ERROR_INVALID_INDEX)) : S_OK;
    }
    char *copy = st->arena.CopyString(value, len);
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    return SetServerVariableOverride(st, name, copy, len);
}

DWORD HostContext::GetExecuteFlags() const { return st->executeFlags; }

IHttpContext *HostContext::GetParentContext() const { return st->parent ? &st->parent->context : nullptr; }

IHttpContext *HostContext::GetRootContext() const { return &const_cast<RequestState *>(RootOf(st))->context; }

} // namespace iishost
