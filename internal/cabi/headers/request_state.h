// RequestState: one request's memory, the objects modules reach it through, and where it is in
// the pipeline (request_state.cpp).
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "arena.h"
#include "bridge.h"
#include "headers.h"
#include "http_cache_policy.h"
#include "http_connection.h"
#include "http_context.h"
#include "http_request.h"
#include "http_response.h"
#include "http_trace_context.h"
#include "module_context_containers.h"
#include "providers.h"
#include "socket_addresses.h"
#include "upgrade.h"

namespace iishost {

// What a module reported when its asynchronous work finished.
struct Completion {
    bool arrived = false;
    bool reenter = false; // call OnAsyncCompletion (PostCompletion) or not (IndicateCompletion)
    REQUEST_NOTIFICATION_STATUS status = RQ_NOTIFICATION_CONTINUE;
    DWORD bytes = 0;
    HRESULT hr = S_OK;
};

class CompletionInfo : public IHttpCompletionInfo2Stub {
public:
    DWORD bytes = 0;
    HRESULT status = S_OK;
    DWORD GetCompletionBytes() const override { return bytes; }
    HRESULT GetCompletionStatus() const override { return status; }
    // Documented as "the number of bytes completed", the same figure as GetCompletionBytes.
    DWORD GetCompletedOperation() const override { return bytes; }
};

// An asynchronous read or write that the request's goroutine performs after the module went
// pending, outside any cgo call, so that waiting on the client holds no OS thread.
enum AsyncIoKind { kIoNone = 0, kIoRead = 1, kIoWrite = 2 };

struct AsyncIo {
    int kind = kIoNone;
    void *buffer = nullptr; // kIoRead: the module's buffer
    DWORD size = 0;
};

// Where a request is in the plan: the resumable position a PENDING parks it at.
struct Position {
    int stage = 0;
    int post = 0;
    size_t index = 0;
};

struct ServerVariableOverride {
    const char *name;
    const char *narrow;
    size_t narrowLen;
};

// What a request over TLS shows modules, computed once when it loads; in its arena (a child
// request points at its parent's).
struct TlsFacts {
    const char *text[IIS_TLS_STRINGS]; // NUL-terminated copies
    uint32_t len[IIS_TLS_STRINGS];
    USHORT keyBits, serverKeyBits;
    uint32_t clientFlags; // CERT_FLAGS
    HTTP_SSL_INFO ssl;
    HTTP_SSL_CLIENT_CERT_INFO clientCert; // used when clientFlags is non-zero
};

// The request as received and as modules rewrite it: the raw structure, its headers and
// addresses, the request line, and how much of the client's body has been read.
struct InboundRequest {
    uint64_t connectionId = 0; // 0: the host does not know the connection
    uint64_t startTick = 0;    // TickCountMs when the request entered the pipeline
    HTTP_REQUEST raw;
    HeaderStore requestHeaders;
    sockaddr_storage localAddress, remoteAddress;
    // The request line as modules see it now.
    const char *method = nullptr;
    size_t methodLen = 0;
    const char *path = nullptr; // decoded, no query
    size_t pathLen = 0;
    const char *query = nullptr; // without '?'
    size_t queryLen = 0;
    const char *hostName = nullptr; // the Host header: name[:port]
    size_t hostNameLen = 0;
    const char *remoteText = nullptr; // "ip:port", parsed into remoteAddress on first use
    size_t remoteTextLen = 0;
    bool remoteParsed = false;
    bool https = false;
    const TlsFacts *tls = nullptr; // set when https
    USHORT localPort = 0;
    bool urlChanged = false;
    int64_t contentLength = -1;
    uint64_t bodyRead = 0;   // from the client
    bool bodyDone = false;   // the client's body is exhausted
    bool bodyBroken = false; // it ended short or malformed: every read fails, none sees EOF
    // The host's refusal before any module (iis_request_meta's refuse_*); status 0: none.
    struct {
        uint16_t status = 0, substatus = 0;
        bool close = false;
        const char *reason = nullptr, *page = nullptr;
        size_t reasonLen = 0, pageLen = 0;
    } refusal;
    std::vector<iis_bytes> inserted; // InsertEntityBody data not read yet; front is next
};

// The response being built: status, headers, buffered body, trailers, and how it is to go out.
struct OutboundResponse {
    HTTP_RESPONSE rawResponse;
    HeaderStore responseHeaders;
    bool headersSent = false;
    USHORT status = 200, subStatus = 0;
    const char *reason = "OK";
    size_t reasonLen = 2;
    HRESULT errorToReport = S_OK;
    bool errorReported = false; // SetErrorStatus with a failure, not yet acted on
    BOOL trySkipCustomErrors = FALSE;
    int statusModule = -1;
    DWORD statusNotification = 0;
    const WCHAR *errorDescription = nullptr;
    size_t errorDescriptionLen = 0;
    std::vector<iis_bytes> body;
    uint64_t bodyLength = 0;
    std::vector<iis_file_range> bodyFiles; // file chunks of body point here (http_response_chunks.cpp)
    std::vector<int> ownedFds;             // files (host_files.h) the request closes when it ends
    IHttpFileInfo *fileInfo = nullptr;     // IHttpContext::GetFileInfo's, referenced until the end
    bool needDisconnect = false;
    bool suppressHeaders = false;
    bool bufferingDisabled = false;
    HTTP_UNKNOWN_HEADER *trailerList = nullptr; // trailers: a header store with no known names
    USHORT trailerCount = 0;
    HeaderStore trailers;
};

// Where the request is in the plan, and the module instances its notifications go to.
struct PipelineState {
    std::vector<CHttpModule *> modules;
    std::vector<DWORD> disabled, disabledPost;
    int currentModule = -1;
    DWORD currentNotification = 0;
    bool currentIsPost = false;
    int stage = 0;
    Position pos;
    bool jumped = false; // GetNextNotification moved pos during the current module call
    bool finishRequested = false;
    bool requestHandled = false;
};

// Module calls as the watchdog on another thread reads them (watch.cpp).
struct ModuleCallWatch {
    // The module call running now, for the watchdog on another thread (watch.cpp): one packed
    // word, 0 when none runs; runningReported is the word the watchdog reported as long.
    std::atomic<uint64_t> running{0}, runningReported{0};
    // The word of the last module call that returned on the pipeline thread, and while the
    // request is parked, the word of the call that went pending (the status page's "in module").
    uint64_t lastCall = 0;
    std::atomic<uint64_t> parkedCall{0};
};

// A pending notification and asynchronous I/O: what completes it and on which thread it resumes.
struct AsyncState {
    std::mutex asyncLock; // completion and parked are shared with module threads
    Completion completion;
    bool parked = false;
    CompletionInfo completionInfo;
    AsyncIo io;
    // The PFN_ASYNC_COMPLETION of the async operation in progress, if it was started with one:
    // its completion calls it instead of OnAsyncCompletion.
    PFN_ASYNC_COMPLETION ioCallback = nullptr;
    void *ioCallbackContext = nullptr;
    // The thread running the pipeline for the request's goroutine (0 when none) and whether the
    // module call in progress can park the request; async I/O is deferred to Go only then.
    std::atomic<uintptr_t> pipelineThread{0};
    bool resumable = false;
    std::atomic<bool> clientGone{false}; // set by Go while a module thread may read it
};

// Handler mapping (script_map_info.cpp): the chosen script map and the modules it runs.
struct HandlerMapping {
    const UrlScope *scope = nullptr; // the <location> in force for the URL; null: the host's lists
    IScriptMapInfo *scriptMap = nullptr;
    bool handlerMapped = false;
    const std::vector<uint8_t> *handlerRuns = nullptr;
    std::vector<uint8_t> customRuns;
    const WCHAR *scriptNameOverride = nullptr; // IMapHandlerProvider::SetScriptName
    size_t scriptNameOverrideLen = 0;
};

// Child requests (http_context_children.cpp): a clone belongs to its parent until
// ReleaseClonedContext or the parent's end; it shares the parent's slot, so Go's callbacks reach the
// same client.
struct RequestFamily {
    RequestState *parent = nullptr;
    int depth = 0;
    DWORD executeFlags = 0;
    bool executed = false;          // ExecuteRequest ran (or runs) it: once only
    bool ended = false;             // its pipeline finished and its output went to the parent
    bool syncChain = false;         // executed synchronously: waits on asyncWake, never wakes Go
    bool headersTransferred = false;
    std::condition_variable asyncWake;
    std::vector<RequestState *> clones;
    RequestState *runningChild = nullptr; // an asynchronous ExecuteRequest still parked
};

// The last send and the request's headers as Go reads them (bridge.h).
struct ViewsForGo {
    std::vector<iis_bytes> viewHeaders;
    std::vector<iis_bytes> requestView; // request headers for the Go fallback
    std::vector<iis_bytes> trailerView;
    iis_send_view view;
};

// One request: its memory, the objects modules reach it through, and its parts above.
struct RequestState {
    RequestState(uintptr_t slot, HostInstance *host);
    void Reset();

    uintptr_t slot;
    HostInstance *host;
    Arena arena;

    HostContext context;
    HostRequest request;
    HostResponse response;
    HostConnection connection;
    RequestContextContainer contexts;
    NamedContextContainer namedContexts;
    Provider<IHttpEventProviderStub> eventProvider;
    AuthenticationProvider authProvider;
    MapHandlerProvider mapHandlerProvider;
    SendResponseProvider sendProvider;
    PreBeginRequestProvider preBeginProvider;
    ReadEntityProvider readEntityProvider;
    HostCachePolicy cachePolicy;
    HostTraceContext trace;
    RequestTrace *tracing = nullptr; // a failed-request trace's record (request_trace.h); null: not traced
    std::shared_ptr<UrlInfo> urlInfo; // GetUrlInfo's, once asked
    SiteRecord *site = nullptr;      // the site the request came to (LoadRequest)
    HostApplication *app = nullptr;  // the application its URL lies in
    uint64_t moduleMemory = 0; // bytes its modules took from the arena, against maxRequestMemory
    bool moduleMemoryRefused = false; // the cap was hit and logged once
    // memoryHeld: iis_request_run released the modules early; the memory (and the send view
    // in it) waits for the next run or iis_request_finish.
    bool memoryHeld = false;
    std::shared_ptr<ConnectionState> connectionState; // once a module asked

    IHttpUser *user = nullptr;

    std::vector<ServerVariableOverride> serverVariables;
    UpgradeState upgrade; // the connection once a 101 went out (upgrade.cpp)

    InboundRequest in;
    OutboundResponse out;
    PipelineState pipeline;
    ModuleCallWatch watch;
    AsyncState async;
    HandlerMapping mapping;
    RequestFamily family;
    ViewsForGo views;
};

} // namespace iishost
