// The host side of the IIS API: C++ objects derived from our own httpserv.h, so modules reach
// them through ordinary virtual calls (DESIGN §1). Per-request state lives in C++ memory.
#pragma once

#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "admin.h"
#include "arena.h"
#include "bridge.h"
#include "headers.h"
#include "stubs_gen.h"
#include "upgrade.h"

namespace iishost {

struct ModuleEntry;
struct RequestState;
struct HostInstance;
class SharedContextContainer;

// ---------------------------------------------------------------- strings

// UTF-8 to WCHAR and back, into request memory. Lengths are in characters, without the NUL.
WCHAR *Widen(Arena &arena, const char *s, size_t len, size_t *outLen = nullptr);
char *Narrow(Arena &arena, const WCHAR *s, size_t len, size_t *outLen = nullptr);
// How many WCHARs Widen makes of s.
size_t WideLength(const char *s, size_t len);
std::wstring WidenString(const std::string &s);
std::string NarrowString(const WCHAR *s);

// Logs through the Go host's logger (the default one when host is null).
// level: 0 debug, 1 info, 2 warn, 3 error.
void Log(HostInstance *host, int level, const std::string &module, const std::string &message);

// ---------------------------------------------------------------- modules and server

// RegistrationInfo is what RegisterModule receives: it records the module's subscriptions.
class RegistrationInfo : public IHttpModuleRegistrationInfo2Stub {
public:
    ModuleEntry *entry = nullptr;
    PCWSTR GetName() const override;
    HTTP_MODULE_ID GetId() const override;
    HRESULT SetRequestNotifications(IHttpModuleFactory *factory, DWORD notifications, DWORD postNotifications) override;
    HRESULT SetGlobalNotifications(CGlobalModule *module, DWORD notifications) override;
    HRESULT SetPriorityForRequestNotification(DWORD notification, PCWSTR priority) override;
    HRESULT SetPriorityForGlobalNotification(DWORD notification, PCWSTR priority) override;
    HRESULT SetPriorityForPostRequestNotification(DWORD notification, PCWSTR priority) override;
};

// ModuleEntry is one loaded module, as registered; read-only once serving starts.
struct ModuleEntry {
    HostInstance *host = nullptr;
    int index = 0;
    std::string name;
    std::wstring wideName;
    RegistrationInfo info;
    IHttpModuleFactory *factory = nullptr;
    CGlobalModule *global = nullptr;
    DWORD requestMask = 0, postMask = 0, globalMask = 0;
    uint8_t requestPriority[IIS_MASK_BITS] = {}, postPriority[IIS_MASK_BITS] = {}, globalPriority[IIS_MASK_BITS] = {};
};

// Site-wide facts from the configuration.
struct SiteConfig {
    std::string name, physicalPath, appPoolName, configPath;
    std::wstring wideName, widePhysicalPath, wideAppPoolName, wideConfigPath, wideAppId;
    DWORD id = 1;
};

class HostServer : public IHttpServer3Stub {
public:
    HostInstance *host = nullptr;
    IDispensedHttpModuleContextContainer *DispenseContainer() override;
    void ReportUnhealthy(PCWSTR reason, HRESULT hr) override;
    void RecycleProcess(PCWSTR reason) override;
    BOOL IsCommandLineLaunch() const override;
    PCWSTR GetAppPoolName() const override;
    IAppHostAdminManager *GetAdminManager() const override;
    HRESULT GetExtendedInterface(HTTP_SERVER_INTERFACE_VERSION version, PVOID *ppInterface) override;
    HRESULT GetExtendedInterface(const GUID &inputType, PVOID input, const GUID &outputType, PVOID *output) override;
    GLOBAL_NOTIFICATION_STATUS NotifyCustomNotification(ICustomNotificationProvider *provider) override;
};

class HostSite : public IHttpSiteStub {
public:
    HostInstance *host = nullptr;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    DWORD GetSiteId() const override;
    PCWSTR GetSiteName() const override;
};

class HostApplication : public IHttpApplication2Stub {
public:
    HostInstance *host = nullptr;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    PCWSTR GetApplicationPhysicalPath() const override;
    PCWSTR GetApplicationId() const override;
    PCWSTR GetAppConfigPath() const override;
};
// ModuleServices is the services table one module holds (services.cpp), with who it belongs to.
struct ModuleServices {
    iishost_services_t table; // first, so the module's pointer is the whole record's
    uintptr_t goHost;
    // CoCreateInstance's configuration: held here, since a module may outlive its host.
    std::shared_ptr<AdminConfig> admin;
    std::string module;
};

// HostInstance is one configured server: its modules, compiled plan and site. Several can live
// in one process, which is what lets tests run many configurations side by side.
struct HostInstance {
    HostInstance();
    ~HostInstance();
    std::vector<ModuleEntry *> modules;
    std::vector<int32_t> plan[IIS_LIST_COUNT];
    SiteConfig site;
    uintptr_t goId = 0; // names the Go Host for log callbacks
    SharedContextContainer *siteContexts; // live until the modules terminate
    SharedContextContainer *applicationContexts;
    std::shared_ptr<AdminConfig> admin;
    IAppHostAdminManager *adminManager; // GetAdminManager's; the host holds its one reference
    HostServer server;
    HostSite siteObject;
    HostApplication application;
};

// ---------------------------------------------------------------- request objects

class HostContext : public IHttpContext4Stub {
public:
    RequestState *st = nullptr;
    IHttpSite *GetSite() override;
    IHttpApplication *GetApplication() override;
    IHttpConnection *GetConnection() override;
    IHttpRequest *GetRequest() override;
    IHttpResponse *GetResponse() override;
    BOOL GetResponseHeadersSent() const override;
    IHttpUser *GetUser() const override;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    void DisableNotifications(DWORD notifications, DWORD postNotifications) override;
    BOOL GetIsLastNotification(REQUEST_NOTIFICATION_STATUS status) override;
    HRESULT GetServerVariable(PCSTR name, PCWSTR *value, DWORD *length) override;
    HRESULT GetServerVariable(PCSTR name, PCSTR *value, DWORD *length) override;
    HRESULT SetServerVariable(PCSTR name, PCWSTR value) override;
    void *AllocateRequestMemory(DWORD size) override;
    void SetRequestHandled() override;
    void IndicateCompletion(REQUEST_NOTIFICATION_STATUS status) override;
    HRESULT PostCompletion(DWORD bytes) override;
    PCWSTR GetPhysicalPath(DWORD *length) override;
    PCWSTR GetScriptName(DWORD *length) const override;
    PCWSTR GetScriptTranslated(DWORD *length) override;
    HRESULT MapPath(PCWSTR url, PWSTR physical, DWORD *bytes) override;
    HRESULT NotifyCustomNotification(ICustomNotificationProvider *provider, BOOL *completionExpected) override;
    DWORD GetExecuteFlags() const override;
    IHttpContext *GetParentContext() const override;
    IHttpContext *GetRootContext() const override;
    IHttpUser *GetOriginalUser() const override;
    INamedContextContainer *GetNamedContextContainer() override;
    void EnableFullDuplex() override;
};

class HostRequest : public IHttpRequest4Stub {
public:
    RequestState *st = nullptr;
    HTTP_REQUEST *GetRawHttpRequest() override;
    const HTTP_REQUEST *GetRawHttpRequest() const override;
    PCSTR GetHeader(PCSTR name, USHORT *length) const override;
    PCSTR GetHeader(HTTP_HEADER_ID id, USHORT *length) const override;
    HRESULT SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT DeleteHeader(PCSTR name) override;
    HRESULT DeleteHeader(HTTP_HEADER_ID id) override;
    PCSTR GetHttpMethod() const override;
    HRESULT SetHttpMethod(PCSTR method) override;
    HRESULT SetUrl(PCWSTR url, DWORD length, BOOL resetQuery) override;
    HRESULT SetUrl(PCSTR url, DWORD length, BOOL resetQuery) override;
    BOOL GetUrlChanged() const override;
    PSOCKADDR GetLocalAddress() const override;
    PSOCKADDR GetRemoteAddress() const override;
    HRESULT ReadEntityBody(void *buffer, DWORD size, BOOL async, DWORD *received, BOOL *pending) override;
    HRESULT InsertEntityBody(void *buffer, DWORD size) override;
    DWORD GetRemainingEntityBytes() override;
    void GetHttpVersion(USHORT *major, USHORT *minor) const override;
    DWORD GetSiteId() const override;
};

class HostResponse : public IHttpResponse4Stub {
public:
    RequestState *st = nullptr;
    HTTP_RESPONSE *GetRawHttpResponse() override;
    const HTTP_RESPONSE *GetRawHttpResponse() const override;
    HRESULT SetStatus(USHORT status, PCSTR reason, USHORT subStatus, HRESULT error, IAppHostConfigException *exception,
                      BOOL trySkipCustomErrors) override;
    void GetStatus(USHORT *status, USHORT *subStatus, PCSTR *reason, USHORT *reasonLength, HRESULT *error,
                   PCWSTR *module, DWORD *notification, IAppHostConfigException **exception,
                   BOOL *trySkipCustomErrors) override;
    HRESULT SetHeader(PCSTR name, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT SetHeader(HTTP_HEADER_ID id, PCSTR value, USHORT length, BOOL replace) override;
    HRESULT DeleteHeader(PCSTR name) override;
    HRESULT DeleteHeader(HTTP_HEADER_ID id) override;
    PCSTR GetHeader(PCSTR name, USHORT *length) const override;
    PCSTR GetHeader(HTTP_HEADER_ID id, USHORT *length) const override;
    void Clear() override;
    void ClearHeaders() override;
    HRESULT Flush(BOOL async, BOOL moreData, DWORD *sent, BOOL *completionExpected) override;
    HRESULT Redirect(PCSTR url, BOOL resetStatus, BOOL includeQuery) override;
    HRESULT WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData, DWORD *sent,
                              BOOL *completionExpected) override;
    HRESULT SetErrorDescription(PCWSTR description, DWORD length, BOOL htmlEncode) override;
    PCWSTR GetErrorDescription(DWORD *length) override;
    void SetNeedDisconnect() override;
    void ResetConnection() override;
    void CloseConnection() override;
    void SuppressHeaders() override;
    BOOL GetHeadersSuppressed() const override;
    void DisableBuffering() override;
    void DisableKernelCache(ULONG reason) override;
    BOOL GetKernelCacheEnabled() const override;
    HRESULT SetTrailer(PCSTR name, PCSTR value, USHORT length, BOOL replace) override;
    PCSTR GetTrailer(PCSTR name, USHORT *length) const override;
    HRESULT DeleteTrailer(PCSTR name) override;
};

class HostConnection : public IHttpConnectionStub {
public:
    RequestState *st = nullptr;
    BOOL IsConnected() const override;
};

// The anonymous user every request has until an authentication module sets one.
class AnonymousUser : public IHttpUserStub {
public:
    PCWSTR GetRemoteUserName() override { return L""; }
    PCWSTR GetUserName() override { return L""; }
    PCWSTR GetAuthenticationType() override { return L""; }
    PCWSTR GetPassword() override { return L""; }
    // The anonymous user is owned by the host and never freed, so counting is not needed.
    void ReferenceUser() override {}
    void DereferenceUser() override {}
    BOOL SupportsIsInRole() override { return FALSE; }
};

// ContextSlots holds one stored context per module of a host (scopes.cpp).
class ContextSlots {
public:
    // Index of a module id of this host, or -1: ids come from modules and are checked, not trusted.
    static int IndexOf(const HostInstance *host, HTTP_MODULE_ID id);
    IHttpStoredContext *Get(const HostInstance *host, HTTP_MODULE_ID id) const;
    HRESULT Set(const HostInstance *host, IHttpStoredContext *context, HTTP_MODULE_ID id);
    // Empties every slot, calling cleanup(moduleIndex, context) for each context that was set.
    template <class Fn> void Drain(Fn cleanup)
    {
        for (size_t i = 0; i < slots_.size(); i++) {
            if (IHttpStoredContext *c = slots_[i]) {
                slots_[i] = nullptr;
                cleanup(static_cast<int>(i), c);
            }
        }
    }
    void Reset(size_t modules) { slots_.assign(modules, nullptr); }

private:
    std::vector<IHttpStoredContext *> slots_;
};

// A request's container: used by one request at a time, so it needs no lock.
class RequestContextContainer : public IHttpModuleContextContainerStub {
public:
    RequestState *st = nullptr;
    ContextSlots slots;
    IHttpStoredContext *GetModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id) override;
};

// Named contexts of one request (IHttpContext3::GetNamedContextContainer): stored contexts
// by name, cleaned up at request end like module contexts.
class NamedContextContainer : public INamedContextContainerStub {
public:
    RequestState *st = nullptr;
    IHttpStoredContext *GetNamedContext(LPCWSTR name) override;
    HRESULT SetNamedContext(IHttpStoredContext *context, LPCWSTR name) override;
    struct Entry {
        const WCHAR *name;
        IHttpStoredContext *context;
    };
    std::vector<Entry> entries;
};

// A container every request of a site or application shares, and one dispensed by
// IHttpServer::DispenseContainer: locked, and cleaned up when its scope ends.
class SharedContextContainer final : public IDispensedHttpModuleContextContainerStub {
public:
    HostInstance *host = nullptr;
    bool dispensed = false; // ReleaseContainer frees it
    IHttpStoredContext *GetModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id) override;
    void ReleaseContainer() override;
    void Cleanup();

private:
    std::mutex lock_;
    ContextSlots slots_;
};

// Every provider records SetErrorStatus the same way; st is null outside a request.
void RecordErrorStatus(RequestState *st, HRESULT hr);
template <class Stub> class Provider : public Stub {
public:
    RequestState *st = nullptr;
    void SetErrorStatus(HRESULT hr) override { RecordErrorStatus(st, hr); }
};

class AuthenticationProvider : public Provider<IAuthenticationProviderStub> {
public:
    void SetUser(IHttpUser *user) override;
};

class SendResponseProvider : public Provider<ISendResponseProviderStub> {
public:
    BOOL headersBeingSent = FALSE;
    DWORD flags = 0;
    BOOL GetHeadersBeingSent() const override { return headersBeingSent; }
    DWORD GetFlags() const override { return flags; }
    void SetFlags(DWORD value) override { flags = value; }
};

class PreBeginRequestProvider : public Provider<IPreBeginRequestProviderStub> {
public:
    IHttpContext *GetHttpContext() override;
};

// The provider of RQ_MAP_PATH: the URL being mapped and the path, which a module may replace.
class MapPathProvider : public Provider<IMapPathProviderStub> {
public:
    PCWSTR url = nullptr;
    PCWSTR physicalPath = nullptr;
    PCWSTR GetUrl() const override { return url; }
    PCWSTR GetPhysicalPath() const override { return physicalPath; }
    HRESULT SetPhysicalPath(PCWSTR path, DWORD length) override;
};

class RequestAllocator : public IModuleAllocatorStub {
public:
    RequestState *st = nullptr;
    void *AllocateMemory(DWORD size) override;
};

// Providers for the global notifications that carry no request.
class ApplicationProvider : public Provider<IHttpApplicationProviderStub> {
public:
    HostInstance *host = nullptr;
    IHttpApplication *GetApplication() override { return &host->application; }
};

class StopListeningProvider : public Provider<IGlobalStopListeningProviderStub> {
public:
    BOOL DrainRequestsGracefully() const override { return TRUE; }
};

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
    DWORD operation = 0;
    DWORD GetCompletionBytes() const override { return bytes; }
    HRESULT GetCompletionStatus() const override { return status; }
    DWORD GetCompletedOperation() const override { return operation; }
};

// Where a request is in the plan: the resumable position a PENDING parks it at.
struct Position {
    int stage = 0;
    int post = 0;
    size_t index = 0;
};

// ---------------------------------------------------------------- request state

struct ServerVariableOverride {
    const char *name;
    const char *narrow;
    size_t narrowLen;
};

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
    Provider<IMapHandlerProviderStub> mapHandlerProvider;
    SendResponseProvider sendProvider;
    PreBeginRequestProvider preBeginProvider;

    HTTP_REQUEST raw;
    HTTP_RESPONSE rawResponse;
    HeaderStore requestHeaders;
    HeaderStore responseHeaders;
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
    USHORT localPort = 0;
    bool urlChanged = false;
    int64_t contentLength = -1;
    uint64_t bodyRead = 0;   // from the client
    bool bodyDone = false;   // the client's body is exhausted
    bool bodyTooLarge = false;
    std::vector<iis_bytes> inserted; // InsertEntityBody data not read yet; front is next

    // Pipeline position and per-module state.
    std::vector<CHttpModule *> modules;
    std::vector<DWORD> disabled, disabledPost;
    int currentModule = -1;
    DWORD currentNotification = 0;
    bool currentIsPost = false;
    int stage = 0;
    Position pos;
    std::mutex asyncLock; // completion and parked are shared with module threads
    Completion completion;
    bool parked = false;
    CompletionInfo completionInfo;
    bool finishRequested = false;
    bool requestHandled = false;
    bool headersSent = false;
    std::atomic<bool> clientGone{false}; // set by Go while a module thread may read it
    IHttpUser *user = nullptr;

    // Response.
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
    bool needDisconnect = false;
    bool suppressHeaders = false;
    bool bufferingDisabled = false;
    HTTP_UNKNOWN_HEADER *trailerList = nullptr; // trailers: a header store with no known names
    USHORT trailerCount = 0;
    HeaderStore trailers;

    std::vector<ServerVariableOverride> serverVariables;
    UpgradeState upgrade; // the connection once a 101 went out (upgrade.cpp)

    // The last send, as Go reads it.
    std::vector<iis_bytes> viewHeaders;
    std::vector<iis_bytes> requestView; // request headers for the Go fallback
    std::vector<iis_bytes> trailerView;
    iis_send_view view;
};

// Runs a request through the whole pipeline (pipeline.cpp).
const iis_send_view *RunPipeline(RequestState *st);
// Records a completion from any thread and wakes the parked request (pipeline.cpp).
void SignalCompletion(RequestState *st, const Completion &c);
// Raises a notification outside the stage order (send, map path, custom) through one plan list,
// guarded, restoring the current position afterwards; a FINISH or a failure ends the chain.
void RaiseNotification(RequestState *st, int list, DWORD bit,
                       const std::function<REQUEST_NOTIFICATION_STATUS(CHttpModule *)> &call);
// Raises RQ_SEND_RESPONSE and sends what is buffered now; used by Flush and the final send.
HRESULT SendNow(RequestState *st, bool final, DWORD *sent);
// Drops the buffered body.
void ClearBody(RequestState *st);
// Builds the view of status, headers and body that Go writes.
iis_send_view *BuildSendView(RequestState *st, bool final);
// Replaces the response with a plain 500.
void SetErrorResponse(RequestState *st);
// Answers 500 after a module failed (exception escaped) and ends the request's main stages.
void FailRequest(RequestState *st, const std::string &module, const std::string &what);

// Maps a URL path (absolute, or relative to the request's) under the site's physical path.
std::string PhysicalPathOf(const RequestState *st, const char *url, size_t len);
// PhysicalPathOf, then RQ_MAP_PATH, whose subscribers may change the answer.
std::string MapUrl(RequestState *st, const char *url, size_t len);

// Parses the client's address the first time anything needs it.
void EnsureAddresses(const RequestState *st);

// Server variables (server_variables.cpp).
HRESULT LookupServerVariable(RequestState *st, const char *name, const char **narrow, size_t *narrowLen);

} // namespace iishost
