// The doors a request crosses by (bridge.h): doors_request.go's serve calls iis_request_run once per
// request, and the request stays in C++ until it finishes, parks, or needs Go for I/O; the rest
// are Go's calls back in (resume, I/O done, the fallback handler's writes, what the host reads).
#include <algorithm>
#include <exception>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <string.h>

#include "bridge.h"
#include "callbacks.h"
#include "forward.h"
#include "global_events.h"
#include "host_files.h"
#include "host_instance.h"
#include "http_context_paths.h"
#include "http_request.h"
#include "http_response.h"
#include "http_site.h"
#include "module_calls.h"
#include "module_guard.h"
#include "pipeline.h"
#include "pipeline_turn.h"
#include "request_state.h"
#include "request_trace.h"
#include "upgrade.h"
#include "wide_strings.h"

using namespace iishost;

static RequestState *State(iis_request *req) { return reinterpret_cast<RequestState *>(req); }

// EndRequest finishes a request once Go is done with it, or, with keepMemory, once its
// pipeline is done while Go has yet to write the send view (which lives in its memory): the
// memory is then kept until the state's next run or iis_request_finish.
static void EndRequest(RequestState *st, bool keepMemory)
{
    try {
        ModuleCall([st, keepMemory] {
            if (keepMemory) {
                ReleaseModules(st);
                st->memoryHeld = true;
            } else {
                ReleaseRequest(st);
            }
            RaiseThreadCleanup(st->host, st->app); // this thread is done with the request
        });
    } catch (...) {
        Log(st->host, 3, "", "host error while finishing a request");
    }
}

// ReleasableEarly: the request ended in one call and the view Go writes needs nothing but the
// state's own memory block: no files, no trace to read back, no upgraded connection.
static bool ReleasableEarly(const RequestState *st, const iis_send_view *view)
{
    return view == &st->views.view && !view->pending && !st->family.parent && !st->tracing && st->out.ownedFds.empty() &&
           st->out.bodyFiles.empty() && !st->out.fileInfo && !st->upgrade.active && !st->arena.Overflowed();
}

// KeepBodyInRequestMemory copies the body chunks that point at a module's own memory into the
// request's, since the modules are released before Go writes them and a module may free its
// buffers then. False, copying nothing, when they do not fit the block the request is in: the
// request is then finished the usual way, after Go has written it.
static bool KeepBodyInRequestMemory(RequestState *st)
{
    auto rounded = [](size_t len) { return len ? (len + 15) & ~size_t(15) : 16; };
    size_t need = 0;
    for (const iis_bytes &b : st->out.body) {
        if (b.data && !st->arena.Owns(b.data)) {
            need += rounded(b.len);
        }
    }
    if (need > st->arena.Available()) {
        return false;
    }
    for (iis_bytes &b : st->out.body) {
        if (b.data && !st->arena.Owns(b.data)) {
            char *copy = static_cast<char *>(st->arena.Allocate(b.len));
            memcpy(copy, b.data, b.len);
            b.data = copy;
        }
    }
    return true;
}

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
    ReclaimHeldMemory(st);
    const iis_send_view *view = Turn(st, [&]() -> const iis_send_view * {
        if (FAILED(LoadRequest(st, meta, strings, n))) {
            st->out.status = 400;
            st->out.reason = "Bad Request";
            st->out.reasonLen = strlen(st->out.reason);
            return BuildSendView(st, true);
        }
        return RunPipeline(st);
    });
    if (meta->release_early && ReleasableEarly(st, view) && KeepBodyInRequestMemory(st)) {
        EndRequest(st, true);
        st->views.view.released = 1;
    }
    return view;
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
        AsyncIo io = st->async.io;
        st->async.io = AsyncIo{};
        DWORD done = bytes;
        HRESULT hr = io.kind == kIoRead ? AfterBodyRead(st, code, bytes, io.buffer, io.size, &done)
                                        : AfterSend(st, code, &done);
        {
            std::lock_guard<std::mutex> guard(st->async.asyncLock);
            st->async.completion = Completion{true, true, RQ_NOTIFICATION_CONTINUE, done, hr};
        }
        return Finalize(st, Resume(st));
    });
}

void iis_request_client_gone(iis_request *req) { State(req)->async.clientGone = true; }

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
    std::string module = st->pipeline.currentModule >= 0 ? st->host->modules[st->pipeline.currentModule]->name : "";
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
        ModuleCall([&] { fn(ERROR_SUCCESS, bytes, static_cast<LPOVERLAPPED>(context)); });
    } catch (...) {
        Log(nullptr, 3, "", "an exception escaped a completion routine posted with PostCompletion");
    }
}

void iis_request_finish(iis_request *req)
{
    RequestState *st = State(req);
    if (st->memoryHeld) { // released early: only the memory is left
        ReclaimHeldMemory(st);
        return;
    }
    EndRequest(st, false);
}

void iis_fallback_set_status(iis_request *req, uint16_t status, const char *reason, uint32_t reasonLen)
{
    RequestState *st = State(req);
    TraceStatus(st, status, 0, S_OK, nullptr);
    st->out.status = status;
    st->out.reason = st->arena.CopyString(reason, reasonLen);
    st->out.reasonLen = reasonLen;
}

int32_t iis_fallback_set_header(iis_request *req, const char *name, uint32_t nameLen, const char *value, uint32_t valueLen, int replace)
{
    RequestState *st = State(req);
    return st->out.responseHeaders.Set(st->arena, name, nameLen, value, valueLen, replace != 0);
}

int32_t iis_fallback_write(iis_request *req, const char *data, uint32_t len)
{
    RequestState *st = State(req);
    char *copy = static_cast<char *>(st->arena.Allocate(len));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    memcpy(copy, data, len);
    st->out.body.push_back(iis_bytes{copy, len});
    st->out.bodyLength += len;
    return S_OK;
}

uint32_t iis_request_inserted_body(iis_request *req, const iis_bytes **chunks)
{
    RequestState *st = State(req);
    *chunks = st->in.inserted.data();
    return static_cast<uint32_t>(st->in.inserted.size());
}

uint64_t iis_request_body_read(iis_request *req) { return State(req)->in.bodyRead; }

uint32_t iis_request_headers(iis_request *req, const iis_bytes **headers)
{
    RequestState *st = State(req);
    st->views.requestView.clear();
    st->in.requestHeaders.ForEach([st](iis_bytes name, iis_bytes value) {
        st->views.requestView.push_back(name);
        st->views.requestView.push_back(value);
    });
    *headers = st->views.requestView.data();
    return static_cast<uint32_t>(st->views.requestView.size() / 2);
}

iis_bytes iis_request_current_path(iis_request *req)
{
    RequestState *st = State(req);
    return iis_bytes{st->in.path, static_cast<uint32_t>(st->in.pathLen)};
}

iis_bytes iis_request_physical_path(iis_request *req)
{
    RequestState *st = State(req);
    std::string path = MapUrl(st, st->in.path, st->in.pathLen);
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
    if (!CanonicalUrlPath(st->in.path, st->in.pathLen, &clean)) {
        return iis_bytes{"", 0};
    }
    const VirtualDirectory *dir = DirectoryFor(st->site, clean.data(), clean.size());
    if (!dir) {
        return iis_bytes{"", 0};
    }
    *root = ArenaBytes(st, dir->physicalPath.empty() ? std::string("/") : dir->physicalPath);
    return ArenaBytes(st, PhysicalPathOf(st, st->in.path, st->in.pathLen));
}

int32_t iis_fallback_write_file(iis_request *req, int fd, uint64_t offset, uint64_t length)
{
    HTTP_DATA_CHUNK chunk = {};
    chunk.DataChunkType = HttpDataChunkFromFileHandle;
    chunk.FromFileHandle.FileHandle = ModuleHandleOf(fd);
    chunk.FromFileHandle.ByteRange.StartingOffset.QuadPart = offset;
    chunk.FromFileHandle.ByteRange.Length.QuadPart = length;
    return AddBodyChunks(State(req), &chunk, 1, false, -1, nullptr);
}

iis_bytes iis_request_current_query(iis_request *req)
{
    RequestState *st = State(req);
    return iis_bytes{st->in.query, static_cast<uint32_t>(st->in.queryLen)};
}

iis_bytes iis_request_current_method(iis_request *req)
{
    RequestState *st = State(req);
    return iis_bytes{st->in.method, static_cast<uint32_t>(st->in.methodLen)};
}

} // extern "C"
