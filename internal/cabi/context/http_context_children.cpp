// Child requests: IHttpContext::CloneContext, ExecuteRequest and ReleaseClonedContext.
//
// A clone is a RequestState of its own (own arena, module instances and response) that shares
// its parent's slot, so the Go callbacks (body reads, the fallback handler) reach the same
// client. A child runs the whole pipeline on the thread that executes it. What it sends goes
// into its parent's response: its status and headers too unless EXECUTE_FLAG_NO_HEADERS, and
// flushed at once unless EXECUTE_FLAG_BUFFER_RESPONSE.
#include <string.h>

#include <new>

#include "forward.h"
#include "host_files.h"
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
    while (st->family.parent) {
        st = st->family.parent;
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
        m.method_len = add(p->in.method, p->in.methodLen);
        m.raw_url_len = add(p->in.raw.pRawUrl, p->in.raw.RawUrlLength);
        m.path_len = add(p->in.path, p->in.pathLen);
        m.query_len = add(p->in.query, p->in.queryLen);
    } else {
        // No basics: a GET of the site root until the module sets its own URL and method.
        m.method_len = add("GET", 3);
        m.raw_url_len = add("/", 1);
        m.path_len = add("/", 1);
    }
    m.host_len = add(p->in.hostName, p->in.hostNameLen);
    m.remote_len = add(p->in.remoteText, p->in.remoteTextLen);
    if (flags & CLONE_FLAG_HEADERS) {
        p->in.requestHeaders.ForEach([&](iis_bytes name, iis_bytes value) {
            AppendHeader(buf, name, value);
            m.header_count++;
        });
    }
    m.proto_major = p->in.raw.Version.MajorVersion;
    m.proto_minor = p->in.raw.Version.MinorVersion;
    m.local_port = p->in.localPort;
    m.https = p->in.https;
    m.site = p->site->index;
    m.content_length = 0;
    HRESULT hr = LoadRequest(c, &m, buf.data(), buf.size());
    if (FAILED(hr)) {
        return hr;
    }
    c->in.localAddress = p->in.localAddress;
    c->in.remoteAddress = p->in.remoteAddress;
    c->in.remoteParsed = p->in.remoteParsed;
    c->in.tls = p->in.tls; // the parent's arena outlives the child
    c->in.raw.pSslInfo = p->in.raw.pSslInfo;
    if (flags & CLONE_FLAG_ENTITY) {
        // The child reads what the parent has not: inserted data, then the client's rest.
        c->in.inserted = p->in.inserted;
        c->in.bodyDone = p->in.bodyDone;
        c->in.contentLength = p->in.contentLength < 0 ? -1 : p->in.contentLength - static_cast<int64_t>(p->in.bodyRead);
    } else {
        c->in.bodyDone = true;
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
    c->family.parent = st;
    c->family.depth = st->family.depth + 1;
    HRESULT hr = LoadClone(c, st, flags);
    if (FAILED(hr)) {
        delete c;
        return hr;
    }
    st->family.clones.push_back(c);
    *child = &c->context;
    return S_OK;
}

// FindClone accepts only a context this request cloned: a module's pointer is checked, not trusted.
static RequestState *FindClone(RequestState *st, IHttpContext *child)
{
    for (RequestState *c : st->family.clones) {
        if (&c->context == child) {
            return c;
        }
    }
    return nullptr;
}

// TransferOutput moves what a child produced into its parent's response.
static void TransferOutput(RequestState *c)
{
    RequestState *p = c->family.parent;
    if (!(c->family.executeFlags & EXECUTE_FLAG_NO_HEADERS) && !c->family.headersTransferred && !p->out.headersSent) {
        c->family.headersTransferred = true;
        p->out.status = c->out.status;
        p->out.subStatus = c->out.subStatus;
        p->out.reason = p->arena.CopyString(c->out.reason, c->out.reasonLen);
        p->out.reasonLen = p->out.reason ? c->out.reasonLen : 0;
        p->out.responseHeaders.Clear();
        c->out.responseHeaders.ForEach([p](iis_bytes name, iis_bytes value) {
            p->out.responseHeaders.Set(p->arena, name.data, name.len, value.data, value.len, false);
        });
    }
    // The child's memory and descriptors go when it is released, which may be before the
    // parent sends: bytes are copied, file ranges get descriptors of the parent's own.
    for (const iis_bytes &b : c->out.body) {
        if (!b.data) {
            iis_file_range range = c->out.bodyFiles[b.len];
            if (FAILED(DuplicateFile(range.fd, &range.fd))) {
                continue;
            }
            p->out.ownedFds.push_back(range.fd);
            p->out.body.push_back(iis_bytes{nullptr, static_cast<uint32_t>(p->out.bodyFiles.size())});
            p->out.bodyFiles.push_back(range);
            p->out.bodyLength += range.length;
            continue;
        }
        char *copy = p->arena.CopyString(b.data, b.len);
        if (copy) {
            p->out.body.push_back(iis_bytes{copy, b.len});
            p->out.bodyLength += b.len;
        }
    }
    ClearBody(c);
}

HRESULT ChildSend(RequestState *c, DWORD *sent)
{
    if (RootOf(c)->async.clientGone) {
        return HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);
    }
    uint64_t length = c->out.bodyLength;
    PrepareSend(c, false); // the child's RQ_SEND_RESPONSE
    TransferOutput(c);
    c->out.headersSent = true;
    if (sent) {
        *sent = static_cast<DWORD>(length);
    }
    if (c->family.executeFlags & EXECUTE_FLAG_BUFFER_RESPONSE) {
        return S_OK;
    }
    return SendNow(c->family.parent, false, nullptr);
}

// EndChild finishes an executed child: its response goes to the parent.
static HRESULT EndChild(RequestState *c)
{
    c->family.ended = true;
    if (RootOf(c)->async.clientGone) {
        return S_OK;
    }
    TransferOutput(c);
    if (c->family.executeFlags & EXECUTE_FLAG_BUFFER_RESPONSE) {
        return S_OK;
    }
    return SendNow(c->family.parent, false, nullptr);
}

// WaitChild runs a synchronously executed child to its end, blocking this thread while the
// child is pending.
static void WaitChild(RequestState *c)
{
    for (;;) {
        {
            std::unique_lock<std::mutex> lock(c->async.asyncLock);
            c->family.asyncWake.wait(lock, [c] { return c->async.completion.arrived; });
        }
        if (ResumeStages(c)) {
            return;
        }
    }
}

bool ResumeRunningChild(RequestState *st)
{
    RequestState *c = st->family.runningChild;
    if (!ResumeStages(c)) {
        return false;
    }
    st->family.runningChild = nullptr;
    HRESULT hr = EndChild(c);
    std::lock_guard<std::mutex> guard(st->async.asyncLock);
    st->async.completion = Completion{true, true, RQ_NOTIFICATION_CONTINUE, 0, hr};
    return true;
}

HRESULT HostContext::ExecuteRequest(BOOL async, IHttpContext *child, DWORD flags, IHttpUser *user,
                                    BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    RequestState *c = FindClone(st, child);
    if (!c || c->family.executed) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); // not our clone, or run already
    }
    if (c->family.depth > kMaxChildDepth) {
        return HRESULT_FROM_WIN32(ERROR_STACK_OVERFLOW);
    }
    if (st->family.runningChild) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_STATE); // one asynchronous child at a time
    }
    c->family.executed = true;
    c->family.executeFlags = flags;
    if (user) {
        // A given user skips authentication (documented).
        user->ReferenceUser();
        c->user->DereferenceUser();
        c->user = user;
        for (DWORD &d : c->pipeline.disabled) {
            d |= RQ_AUTHENTICATE_REQUEST;
        }
    }
    if (flags & EXECUTE_FLAG_SAME_URL) {
        std::string url(st->in.path, st->in.pathLen);
        if (st->in.queryLen) {
            url.append("?").append(st->in.query, st->in.queryLen);
        }
        c->request.SetUrl(url.c_str(), static_cast<DWORD>(url.size()), TRUE);
    }
    // Synchronous unless the caller can be told to wait and the root's goroutine can resume
    // it: a call from a module's own thread, or inside a synchronous child, waits here.
    c->family.syncChain = !async || !completionExpected || st->family.syncChain || !OnPipelineThread(st);
    if (RunChildStages(c)) {
        return EndChild(c);
    }
    if (c->family.syncChain) {
        WaitChild(c);
        return EndChild(c);
    }
    st->family.runningChild = c;
    *completionExpected = TRUE;
    return S_OK;
}

HRESULT HostContext::ReleaseClonedContext()
{
    RequestState *p = st->family.parent;
    if (!p) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); // only clones are released this way
    }
    if (st->family.executed && !st->family.ended) {
        return HRESULT_FROM_WIN32(ERROR_INVALID_STATE); // still running
    }
    for (size_t i = 0; i < p->family.clones.size(); i++) {
        if (p->family.clones[i] == st) {
            p->family.clones.erase(p->family.clones.begin() + static_cast<long>(i));
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
    clones.swap(st->family.clones);
    for (RequestState *c : clones) {
        if (c->family.executed && !c->family.ended) {
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
    RequestState *p = st->family.parent;
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

DWORD HostContext::GetExecuteFlags() const { return st->family.executeFlags; }

IHttpContext *HostContext::GetParentContext() const { return st->family.parent ? &st->family.parent->context : nullptr; }

IHttpContext *HostContext::GetRootContext() const { return &const_cast<RequestState *>(RootOf(st))->context; }

} // namespace iishost
