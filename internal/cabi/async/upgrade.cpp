// The upgrade to another protocol (HTTP/1.1 101) and the raw stream it leaves: a module answers
// with SetStatus(101) and Flush, the host sends the 101 on the connection it takes from net/http,
// and from then on ReadEntityBody and WriteEntityChunks move raw bytes, synchronously or through
// OnAsyncCompletion.
#include <new>
#include <string.h>

#include "callbacks.h"
#include "forward.h"
#include "headers.h"
#include "host_instance.h"
#include "http_response.h"
#include "request_state.h"
#include "upgrade.h"
#include "upgrade_doors.h"
#include "wide_strings.h"

namespace iishost {

void UpgradeState::Reset(RequestState *st)
{
    active = false;
    fullDuplex = false;
    reading = writing = false;
    queued.clear();
    if (ws) {
        ws->st = st;
        ws->Reset();
    }
}

bool UpgradeState::Begin(int op)
{
    std::lock_guard<std::mutex> guard(ioLock);
    bool &mine = op == IIS_IO_READ ? reading : writing;
    bool other = op == IIS_IO_READ ? writing : reading;
    if (mine || (other && !fullDuplex)) {
        return false;
    }
    mine = true;
    return true;
}

void UpgradeState::End(int op)
{
    std::lock_guard<std::mutex> guard(ioLock);
    (op == IIS_IO_READ ? reading : writing) = false;
}

static const HRESULT kInvalidState = HRESULT_FROM_WIN32(ERROR_INVALID_STATE);
static const HRESULT kAborted = HRESULT_FROM_WIN32(ERROR_CONNECTION_ABORTED);

// The value of a request header as a string ("" when absent).
static std::string RequestHeader(RequestState *st, const char *name)
{
    USHORT len = 0;
    const char *v = st->in.requestHeaders.Get(name, &len);
    return v ? std::string(v, len) : std::string();
}

// True when a comma-separated header value lists token (case-insensitive).
static bool HasToken(const std::string &value, const char *token)
{
    size_t n = strlen(token);
    size_t i = 0;
    while (i < value.size()) {
        size_t end = value.find(',', i);
        if (end == std::string::npos) {
            end = value.size();
        }
        size_t a = i, b = end;
        while (a < b && (value[a] == ' ' || value[a] == '\t')) {
            a++;
        }
        while (b > a && (value[b - 1] == ' ' || value[b - 1] == '\t')) {
            b--;
        }
        if (b - a == n && EqualFold(value.data() + a, token, n)) {
            return true;
        }
        i = end + 1;
    }
    return false;
}

// CheckUpgrade says whether the request can be upgraded, and to a WebSocket or not: HTTP/1.1,
// Upgrade listed in Connection; for a WebSocket (RFC 6455 §4.2.1) also GET, a 16-byte key in
// base64 and version 13. What is missing goes to the log.
static HRESULT CheckUpgrade(RequestState *st, bool *websocket)
{
    const char *why = nullptr;
    std::string upgrade = RequestHeader(st, "Upgrade");
    *websocket = HasToken(upgrade, "websocket");
    std::string key = RequestHeader(st, "Sec-WebSocket-Key");
    if (st->in.raw.Version.MajorVersion != 1 || st->in.raw.Version.MinorVersion != 1) {
        why = "a 101 needs an HTTP/1.1 request";
    } else if (upgrade.empty()) {
        why = "the request has no Upgrade header";
    } else if (!HasToken(RequestHeader(st, "Connection"), "upgrade")) {
        why = "the request's Connection header does not list Upgrade";
    } else if (*websocket && (st->in.methodLen != 3 || memcmp(st->in.method, "GET", 3) != 0)) {
        why = "a WebSocket upgrade needs a GET request";
    } else if (*websocket && (key.size() != 24 || key[22] != '=' || key[23] != '=')) {
        why = "the request has no valid Sec-WebSocket-Key";
    } else if (*websocket && RequestHeader(st, "Sec-WebSocket-Version") != "13") {
        why = "the request's Sec-WebSocket-Version is not 13";
    }
    if (why) {
        std::string module = st->pipeline.currentModule >= 0 ? st->host->modules[st->pipeline.currentModule]->name : "";
        Log(st->host, 2, module, std::string("upgrade refused: ") + why);
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED);
    }
    return S_OK;
}

// SetIfAbsent adds a response header the module did not set itself.
static HRESULT SetIfAbsent(RequestState *st, const char *name, const std::string &value)
{
    USHORT len = 0;
    if (st->out.responseHeaders.Get(name, &len)) {
        return S_OK;
    }
    return st->out.responseHeaders.Set(st->arena, name, strlen(name), value.data(), value.size(), true);
}

// PostUpgradeCompletion hands a finished asynchronous operation to the pipeline, like
// SignalCompletion, except that it waits in the queue while an earlier one is not taken yet: in
// full duplex a read and a write may finish together, and each gets its OnAsyncCompletion.
static void PostUpgradeCompletion(RequestState *st, DWORD bytes, HRESULT hr)
{
    bool wake = false;
    {
        std::lock_guard<std::mutex> guard(st->async.asyncLock);
        if (st->async.completion.arrived) {
            st->upgrade.queued.push_back(QueuedIo{bytes, hr});
            return;
        }
        st->async.completion = Completion{};
        st->async.completion.arrived = true;
        st->async.completion.reenter = true;
        st->async.completion.bytes = bytes;
        st->async.completion.hr = hr;
        wake = st->async.parked;
        st->async.parked = false;
    }
    if (wake) {
        iisgoResume(st->slot);
    }
}

void UpgradeCompletionTaken(RequestState *st)
{
    std::lock_guard<std::mutex> guard(st->async.asyncLock);
    std::vector<QueuedIo> &q = st->upgrade.queued;
    if (st->async.completion.arrived || q.empty()) {
        return;
    }
    // The request is running (it just took a completion), so nobody is parked to wake.
    st->async.completion = Completion{};
    st->async.completion.arrived = true;
    st->async.completion.reenter = true;
    st->async.completion.bytes = q.front().bytes;
    st->async.completion.hr = q.front().hr;
    q.erase(q.begin());
}

HRESULT UpgradeFlush(RequestState *st, BOOL async, DWORD *sent, BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (sent) {
        *sent = 0;
    }
    if (async && !completionExpected) {
        return E_INVALIDARG; // the module could not tell that a completion will come
    }
    if (st->async.clientGone) {
        return kAborted;
    }
    if (st->upgrade.active) {
        // Writes after the upgrade are not buffered: there is nothing left to send.
        if (async) {
            HRESULT flushed = iisgoUpFlush(st->slot);
            *completionExpected = SUCCEEDED(flushed);
            return flushed;
        }
        return S_OK;
    }
    bool websocket = false;
    HRESULT hr = CheckUpgrade(st, &websocket);
    if (FAILED(hr)) {
        return hr;
    }
    if (websocket && !st->upgrade.ws) { // before the 101 goes out, so a failure can still be said
        st->upgrade.ws.reset(new (std::nothrow) WebSocketContext);
        if (!st->upgrade.ws) {
            return E_OUTOFMEMORY;
        }
        st->upgrade.ws->st = st;
    }
    if (iisgoUpgrade(st->slot) != 0) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED);
    }
    // What the module did not set, the host does (RFC 6455 §4.2.2 for the accept value).
    std::string upgrade = websocket ? "websocket" : RequestHeader(st, "Upgrade");
    if (FAILED(hr = SetIfAbsent(st, "Upgrade", upgrade)) || FAILED(hr = SetIfAbsent(st, "Connection", "Upgrade"))) {
        return hr;
    }
    if (websocket) {
        std::string key = RequestHeader(st, "Sec-WebSocket-Key");
        char accept[28];
        iisgoWebSocketAccept(&key[0], static_cast<uint32_t>(key.size()), accept);
        if (FAILED(hr = SetIfAbsent(st, "Sec-WebSocket-Accept", std::string(accept, sizeof(accept))))) {
            return hr;
        }
    }
    hr = SendNow(st, false, sent);
    if (FAILED(hr)) {
        return hr;
    }
    st->upgrade.active = true;
    if (websocket) {
        // The IIS WebSocket module reads and writes a WebSocket at once: full duplex by nature.
        st->upgrade.fullDuplex = true;
        st->upgrade.ws->live = true;
        hr = st->namedContexts.SetNamedContext(st->upgrade.ws.get(), IIS_WEBSOCKET);
        if (FAILED(hr)) {
            Log(st->host, 2, "", "the named context \"websockets\" was taken; the WebSocket context is not available");
        }
    }
    if (async) {
        *completionExpected = TRUE;
        PostUpgradeCompletion(st, sent ? *sent : 0, S_OK);
    }
    return S_OK;
}

HRESULT UpgradedRead(RequestState *st, void *buffer, DWORD size, BOOL async, DWORD *received, BOOL *pending)
{
    if (pending) {
        *pending = FALSE;
    }
    if (!buffer || size == 0 || !received || (async && !pending)) {
        return E_INVALIDARG;
    }
    *received = 0;
    if (!st->upgrade.Begin(IIS_IO_READ)) {
        return kInvalidState;
    }
    uint32_t n = 0;
    HRESULT hr = iisgoUpRead(st->slot, buffer, size, async, &n);
    if (async && SUCCEEDED(hr)) {
        *pending = TRUE; // iis_upgrade_done ends the read
        return S_OK;
    }
    st->upgrade.End(IIS_IO_READ);
    if (hr == kAborted) {
        st->async.clientGone = true;
    }
    *received = n;
    return hr;
}

HRESULT UpgradedWrite(RequestState *st, HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, DWORD *sent,
                      BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE;
    }
    if (sent) {
        *sent = 0;
    }
    if (!chunks || count == 0 || (async && !completionExpected)) {
        return E_INVALIDARG;
    }
    std::vector<iis_bytes> bytes;
    bytes.reserve(count);
    for (DWORD i = 0; i < count; i++) {
        int type = EnumValue(chunks[i].DataChunkType);
        if (type != HttpDataChunkFromMemory) {
            return type >= 0 && type < HttpDataChunkMaximum ? E_NOTIMPL : E_INVALIDARG;
        }
        if (!chunks[i].FromMemory.pBuffer && chunks[i].FromMemory.BufferLength) {
            return E_INVALIDARG;
        }
        bytes.push_back(iis_bytes{static_cast<const char *>(chunks[i].FromMemory.pBuffer), chunks[i].FromMemory.BufferLength});
    }
    if (!st->upgrade.Begin(IIS_IO_WRITE)) {
        return kInvalidState;
    }
    uint32_t n = 0;
    HRESULT hr = iisgoUpWrite(st->slot, bytes.data(), count, async, &n);
    if (async && SUCCEEDED(hr)) {
        *completionExpected = TRUE; // iis_upgrade_done ends the write
        return S_OK;
    }
    st->upgrade.End(IIS_IO_WRITE);
    if (hr == kAborted) {
        st->async.clientGone = true;
    }
    if (sent) {
        *sent = n;
    }
    return hr;
}

} // namespace iishost

using namespace iishost;

extern "C" void iis_upgrade_done(iis_request *req, int32_t op, int32_t hr, uint32_t bytes)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    try {
        if (op != IIS_IO_FLUSH) {
            st->upgrade.End(op);
        }
        if (hr == kAborted) {
            st->async.clientGone = true;
        }
        PostUpgradeCompletion(st, bytes, hr);
    } catch (...) {
        Log(st->host, 3, "", "host error completing an upgraded stream operation");
    }
}
