// The host side of the IIS API: C++ objects derived from our own httpserv.h, so modules reach
// them through ordinary virtual calls (docs/design.md §1). Per-request state lives in C++ memory.
#pragma once

#define _WINSOCKAPI_
#include <windows.h>
#include <httpserv.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "admin.h"
#include "arena.h"
#include "bridge.h"
#include "headers.h"
#include "stubs_gen.h"
#include "upgrade.h"

namespace iishost {

struct ModuleEntry;
class RequestTrace;
struct RequestState;
struct HostInstance;
class SharedContextContainer;
class FileCache;
class ConnectionState;
class FileMonitor;

// ---------------------------------------------------------------- strings

// UTF-8 to WCHAR and back, into request memory. Lengths are in characters, without the NUL.
WCHAR *Widen(Arena &arena, const char *s, size_t len, size_t *outLen = nullptr);
char *Narrow(Arena &arena, const WCHAR *s, size_t len, size_t *outLen = nullptr);
// How many WCHARs Widen makes of s.
size_t WideLength(const char *s, size_t len);
std::wstring WidenString(const std::string &s);
std::string NarrowString(const WCHAR *s);
// The Win32 code an HRESULT carries, as HTTP.sys logs it (sc-win32-status); 0 for success and
// for errors of other facilities.
inline uint32_t Win32Status(HRESULT hr)
{
    return FAILED(hr) && HRESULT_FACILITY(hr) == FACILITY_WIN32 ? HRESULT_CODE(hr) : 0;
}

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
// CallTiming accumulates how long one module's notification calls take, for metrics: a count
// and nanoseconds per notification slot (IIS_TIMING_SLOTS, call_timing.cpp), in shards picked
// per thread so that cores do not contend for a line; relaxed adds, summed when read.
struct CallTiming {
    static const int kShards = 8;
    struct alignas(64) Shard {
        std::atomic<uint64_t> calls[IIS_TIMING_SLOTS] = {}, nanos[IIS_TIMING_SLOTS] = {};
    };
    Shard shards[kShards];
    static int SlotOf(DWORD notification, bool post, bool global);
    void Add(int slot, uint64_t nanos);
};
// A CLOCK_MONOTONIC reading in nanoseconds (vDSO: no system call).
uint64_t MonotonicNs();

struct ModuleEntry {
    HostInstance *host = nullptr;
    CallTiming timing;
    int index = 0;
    std::string name;
    std::wstring wideName;
    RegistrationInfo info;
    IHttpModuleFactory *factory = nullptr;
    CGlobalModule *global = nullptr;
    DWORD requestMask = 0, postMask = 0, globalMask = 0;
    uint8_t requestPriority[IIS_MASK_BITS] = {}, postPriority[IIS_MASK_BITS] = {}, globalPriority[IIS_MASK_BITS] = {};
};

struct SiteRecord;

// Server-wide facts from the configuration.
struct ServerConfig {
    std::string appPoolName, configPath;
    std::wstring wideAppPoolName, wideConfigPath;
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
    HRESULT GetFileInfo(PCWSTR physicalPath, HANDLE userToken, PSID sid, PCWSTR changeNotificationPath,
                        HANDLE changeNotificationToken, BOOL cache, IHttpFileInfo **fileInfo,
                        IHttpTraceContext *trace) override;
    HRESULT DoCacheOperation(CACHE_OPERATION operation, IHttpCacheKey *key, IHttpCacheSpecificData **data,
                             IHttpTraceContext *trace) override;
    HRESULT FlushKernelCache(PCWSTR url) override;
    IHttpTraceContext *GetTraceContext() const override;
    HRESULT AddFragmentToCache(HTTP_DATA_CHUNK *chunk, PCWSTR name) override;
    HRESULT ReadFragmentFromCache(PCWSTR name, BYTE *buffer, DWORD size, DWORD *copied) override;
    HRESULT RemoveFragmentFromCache(PCWSTR name) override;
    void NotifyConfigurationChange(PCWSTR path) override;
    void NotifyFileChange(PCWSTR fileName) override;
    IHttpPerfCounterInfo *GetPerfCounterInfo() override;
    HRESULT GetMetadata(PCWSTR siteName, PCWSTR url, IReferencedMetadataInfo **out) override;
    BOOL SatisfiesPrecondition(PCWSTR precondition, BOOL *unknownPrecondition) const override;
    PCWSTR GetAppPoolConfigFile(DWORD *length) const override;
    HRESULT RegisterFileChangeMonitor(PCWSTR path, HANDLE token, IHttpFileMonitor **out) override;
};

class HostSite : public IHttpSiteStub {
public:
    SiteRecord *site = nullptr;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    DWORD GetSiteId() const override;
    PCWSTR GetSiteName() const override;
    IHttpPerfCounterInfo *GetPerfCounterInfo() override;
};

class HostApplication;

// An application's configuration metadata (metadata.cpp).
class HostMetadata : public IMetadataInfoStub {
public:
    HostApplication *app = nullptr;
    std::unique_ptr<SharedContextContainer> contexts; // the configuration path's module contexts
    PCWSTR GetMetaPath() const override;
    PCWSTR GetVrPath() const override;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
};

// One <application> of a site; its module contexts live until the modules terminate.
class HostApplication : public IHttpApplication2Stub {
public:
    SiteRecord *site = nullptr;
    std::string url;          // "" for the site's root application, else "/app"
    std::string physicalPath; // its root virtual directory's folder
    std::wstring widePhysicalPath, wideAppId, wideConfigPath;
    std::unique_ptr<SharedContextContainer> contexts;
    HostMetadata metadata;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    PCWSTR GetApplicationPhysicalPath() const override;
    PCWSTR GetApplicationId() const override;
    PCWSTR GetAppConfigPath() const override;
};

// A <virtualDirectory>: a site URL path and the folder it maps to.
struct VirtualDirectory {
    std::string url;          // site-relative, no trailing '/'; "" for the site root
    std::string physicalPath; // no trailing '/'
    HostApplication *application = nullptr;
};

// One module's subscription to a trace provider (IHttpTraceContext::SetTraceConfiguration).
struct TraceSubscription {
    HTTP_MODULE_ID module;
    GUID provider;
    DWORD areas, verbosity;
};

// A trace context: the server's (st null) or a request's (trace.cpp).
class HostTraceContext : public IHttpTraceContextStub {
public:
    HostInstance *host = nullptr;
    RequestState *st = nullptr;
    GUID activity{};
    bool haveActivity = false;
    HRESULT GetTraceConfiguration(HTTP_TRACE_CONFIGURATION *config) override;
    HRESULT SetTraceConfiguration(HTTP_MODULE_ID module, HTTP_TRACE_CONFIGURATION *configs, DWORD count) override;
    HRESULT RaiseTraceEvent(HTTP_TRACE_EVENT *event) override;
    LPCGUID GetTraceActivityId() override;
    HRESULT QuickTrace(PCWSTR data1, PCWSTR data2, HRESULT lastError, UCHAR level) override;
};

// Counters modules keep through IHttpPerfCounterInfo, for the server or the site (perf.cpp).
constexpr DWORD kPerfCounterCount = IIS_PERF_COUNTER_COUNT;
class HostPerfCounters : public IHttpPerfCounterInfoStub {
public:
    std::atomic<int64_t> values[kPerfCounterCount] = {};
    void IncrementCounter(DWORD index, DWORD value) override;
    void DecrementCounter(DWORD index, DWORD value) override;
};

// One reference-counted reference from IHttpServer2::GetMetadata; freed at its last release.
class ReferencedMetadata final : public IReferencedMetadataInfoStub {
public:
    HostMetadata *metadata = nullptr;
    std::atomic<int> refs{1};
    PCWSTR GetMetaPath() const override;
    PCWSTR GetVrPath() const override;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    void ReferenceMetadata() override;
    void DereferenceMetadata() override;
};

// What the host remembers about one URL (IHttpContext::GetUrlInfo).
class UrlInfo : public IHttpUrlInfoStub {
public:
    explicit UrlInfo(HostInstance *host = nullptr);
    ~UrlInfo();
    std::unique_ptr<SharedContextContainer> contexts; // cleaned up when the URL is forgotten
    int64_t windowStart = 0;         // guarded by the table's lock
    uint32_t hits = 0;
    std::atomic<bool> frequent{false};
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    BOOL IsFrequentlyHit() const override;
};

// The URLs requests asked about, bounded; entries live while a request holds them.
class UrlInfoTable {
public:
    std::shared_ptr<UrlInfo> Hit(HostInstance *host, const std::string &url);
    void Clear();

private:
    void Trim(int64_t now);
    std::mutex lock_;
    std::unordered_map<std::string, std::shared_ptr<UrlInfo>> entries_;
};

// One <handlers> entry (handlers.cpp); runs[i] says module i handles its requests.
class HostScriptMap : public IScriptMapInfoStub {
public:
    std::wstring name, path, modules, scriptProcessor, managedType;
    std::string narrowPath, verbs;
    DWORD requireAccess = 3, resourceType = 3, responseBufferLimit = 4194304;
    BOOL allowPathInfo = FALSE;
    bool usable = true; // its preCondition holds here
    std::vector<uint8_t> runs;
    PCWSTR GetPath() const override;
    PCSTR GetAllowedVerbs() const override;
    PCWSTR GetModules(DWORD *length) const override;
    PCWSTR GetScriptProcessor(DWORD *length) const override;
    PCWSTR GetManagedType(DWORD *length) const override;
    BOOL GetAllowPathInfoForScriptMappings() const override;
    DWORD GetRequiredAccess() const override;
    DWORD GetResourceType() const override;
    BOOL GetIsStarScriptMap() const override;
    DWORD GetResponseBufferLimit() const override;
    PCWSTR GetName() const override;
};

using HandlerList = std::vector<std::unique_ptr<HostScriptMap>>;

// A URL scope: the request plan lists and handler mappings a <location path="Site/url"> puts in
// force for the URLs under it (host/config.go). Made at startup, immutable while serving.
struct UrlScope {
    std::string prefix; // "/sub": matched case-insensitively, at a segment boundary; "" the whole site
    std::vector<int32_t> plan[IIS_LIST_GLOBAL];
    HandlerList handlers;
    bool handlersConfigured = false;
};

// One <site>: its objects, applications, virtual directories and URL scopes. Made at startup,
// immutable while serving (its containers and tables lock themselves).
struct SiteRecord {
    explicit SiteRecord(HostInstance *host);
    HostInstance *host;
    uint32_t index = 0; // in HostInstance::sites
    std::string name;
    std::wstring wideName;
    std::wstring wideMetaPath; // MACHINE/WEBROOT/APPHOST/<name>
    DWORD id = 1;
    HostSite object;
    std::unique_ptr<SharedContextContainer> contexts; // live until the modules terminate
    HostPerfCounters counters;
    UrlInfoTable urls;
    std::vector<std::unique_ptr<HostApplication>> applications; // longest URL first
    std::vector<VirtualDirectory> directories;                  // longest URL first
    std::vector<std::unique_ptr<UrlScope>> scopes;              // longest prefix first
    HostApplication *root = nullptr;                            // the "/" application
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
    ServerConfig config;
    std::vector<std::unique_ptr<SiteRecord>> sites; // in configuration order; the first is the default
    uintptr_t goId = 0; // names the Go Host for log callbacks
    std::shared_ptr<AdminConfig> admin;
    IAppHostAdminManager *adminManager; // GetAdminManager's; the host holds its one reference
    FileCache *fileCache;               // GetFileInfo's (fileinfo.cpp), one per process as in IIS
    std::once_flag fragmentsOnce;       // the fragment cache (fragments.cpp), made on first use
    std::shared_ptr<struct FragmentCache> fragments;
    HostServer server;
    std::mutex traceLock;
    std::vector<TraceSubscription> traceSubscriptions;
    HostTraceContext serverTrace;
    HostPerfCounters serverCounters;
    HandlerList handlers; // in match order
    bool handlersConfigured = false;
    std::mutex connectionLock;
    std::unordered_map<uint64_t, std::shared_ptr<ConnectionState>> connections; // those modules asked about
    std::mutex monitorLock;
    std::vector<FileMonitor *> monitors; // RegisterFileChangeMonitor's, not yet released
    uint64_t lastMonitorId = 0;
    // The most one request hands its modules (AllocateRequestMemory, IModuleAllocator); set
    // before serving (iis_host_set_request_memory_limit).
    uint64_t maxRequestMemory = IIS_DEFAULT_MAX_REQUEST_MEMORY;
};

// The site with this configuration id or name (case-insensitively); null when none has it.
SiteRecord *FindSite(const HostInstance *host, DWORD id, PCWSTR name);
// The application, and the virtual directory, a site URL path lies in (longest prefix).
HostApplication *ApplicationFor(const SiteRecord *site, const char *path, size_t len);
const VirtualDirectory *DirectoryFor(const SiteRecord *site, const char *path, size_t len);
// Whether path is prefix or under it, case-insensitively, at a segment boundary.
bool UnderPrefix(const char *path, size_t len, const std::string &prefix);

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
    BOOL GetNextNotification(REQUEST_NOTIFICATION_STATUS status, DWORD *notification, BOOL *isPost,
                             CHttpModule **module, IHttpEventProvider **provider) override;
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
    HRESULT CancelIo() override;
    HRESULT PostCompletion(DWORD bytes, LPOVERLAPPED_COMPLETION_ROUTINE routine, void *context) override;
    HRESULT ExecuteRequest(BOOL async, IHttpContext *child, DWORD flags, IHttpUser *user, BOOL *completionExpected) override;
    DWORD GetExecuteFlags() const override;
    IHttpContext *GetParentContext() const override;
    IHttpContext *GetRootContext() const override;
    HRESULT CloneContext(DWORD flags, IHttpContext **child) override;
    HRESULT InheritServerVariable(PCSTR name, BOOL failIfNotExist) override;
    HRESULT ReleaseClonedContext() override;
    IHttpUser *GetOriginalUser() const override;
    INamedContextContainer *GetNamedContextContainer() override;
    IHttpFileInfo *GetFileInfo() const override;
    IHttpTraceContext *GetTraceContext() const override;
    IMetadataInfo *GetMetadata() override;
    IHttpUrlInfo *GetUrlInfo() override;
    IScriptMapInfo *GetScriptMap() const override;
    ULONGLONG GetRequestStartTime() override;
    ULONGLONG GetRequestElapsedTime() override;
    HRESULT MapHandler(DWORD siteId, PCWSTR siteName, PCWSTR url, PCSTR verb, IScriptMapInfo **out, BOOL ignoreWildcards) override;
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
    HRESULT ReadEntityBody(void *buffer, DWORD size, BOOL async, PFN_ASYNC_COMPLETION callback, void *context,
                           DWORD *received, BOOL *pending) override;
    HRESULT ReadEntityBody(void *buffer, DWORD size, BOOL async, ULONG flags, DWORD *received, BOOL *pending) override;
    HRESULT InsertEntityBody(void *buffer, DWORD size) override;
    DWORD GetRemainingEntityBytes() override;
    void GetHttpVersion(USHORT *major, USHORT *minor) const override;
    HRESULT GetClientCertificate(HTTP_SSL_CLIENT_CERT_INFO **info, BOOL *negotiated) override;
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
    HRESULT WriteEntityChunks(HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, BOOL moreData,
                              PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent, BOOL *completionExpected) override;
    HRESULT Flush(BOOL async, BOOL moreData, PFN_ASYNC_COMPLETION callback, void *context, DWORD *sent,
                  BOOL *completionExpected) override;
    HRESULT WriteEntityChunkByReference(HTTP_DATA_CHUNK *chunk, LONG insertPosition) override;
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
    IHttpCachePolicy *GetCachePolicy() override;
};

// The output-cache policy of one request (cache_policy.cpp).
class HostCachePolicy : public IHttpCachePolicy2Stub {
public:
    RequestState *st = nullptr;
    HTTP_CACHE_POLICY kernel{}, user{};
    const char *varyHeaders = "", *varyQueries = ""; // comma-separated, in request memory
    const char *varyValue = nullptr;
    BOOL userCacheEnabled = TRUE, cached = FALSE, invalidatorSet = FALSE, forceUpdate = FALSE;
    void Reset();
    HTTP_CACHE_POLICY *GetKernelCachePolicy() override;
    void SetKernelCacheInvalidatorSet() override;
    HTTP_CACHE_POLICY *GetUserCachePolicy() override;
    HRESULT AppendVaryByHeader(PCSTR header) override;
    PCSTR GetVaryByHeaders() const override;
    HRESULT AppendVaryByQueryString(PCSTR param) override;
    PCSTR GetVaryByQueryStrings() const override;
    HRESULT SetVaryByValue(PCSTR value) override;
    PCSTR GetVaryByValue() const override;
    BOOL IsUserCacheEnabled() const override;
    void DisableUserCache() override;
    BOOL IsCached() const override;
    void SetIsCached() override;
    BOOL GetKernelCacheInvalidatorSet() const override;
    BOOL IsForceUpdateSet() const override;
    void SetForceUpdate() override;
};

class HostConnection : public IHttpConnectionStub {
public:
    RequestState *st = nullptr;
    BOOL IsConnected() const override;
    void *AllocateMemory(DWORD size) override;
    IHttpConnectionModuleContextContainer *GetModuleContextContainer() override;
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

// One TCP connection's module contexts and memory (connection.cpp). Requests of the
// connection share it; it is released when the connection has closed and no request holds it.
class ConnectionState final : public IHttpConnectionModuleContextContainerStub {
public:
    HostInstance *host = nullptr;
    ~ConnectionState();
    IHttpStoredContext *GetModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id) override;
    IHttpConnectionStoredContext *GetConnectionModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetConnectionModuleContext(IHttpConnectionStoredContext *context, HTTP_MODULE_ID id) override;
    void *Allocate(size_t size);
    void Disconnected();

private:
    std::mutex lock_;
    ContextSlots plain_;
    std::vector<IHttpConnectionStoredContext *> connection_;
    Arena arena_;
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
    bool finalSend = false;                 // the log data is complete only for the last send
    HTTP_LOG_FIELDS_DATA *logData = nullptr; // built on first ask (send_log.cpp)
    int logSetBy = -1;                      // the module that replaced it with SetLogData
    BOOL GetHeadersBeingSent() const override { return headersBeingSent; }
    DWORD GetFlags() const override { return flags; }
    void SetFlags(DWORD value) override { flags = value; }
    HTTP_LOG_DATA *GetLogData() const override;
    HRESULT SetLogData(HTTP_LOG_DATA *data) override;
    BOOL GetReadyToLogData() const override { return finalSend; }
};
// Writes the log data a module set with SetLogData as a host log record (send_log.cpp).
void LogSendData(RequestState *st);

// The provider of RQ_READ_ENTITY: the bytes just read from the client, which a module may replace.
class ReadEntityProvider : public Provider<IReadEntityProviderStub> {
public:
    void *buffer = nullptr;
    DWORD data = 0, capacity = 0;
    void GetEntity(PVOID *buffer, DWORD *data, DWORD *capacity) override;
    void SetEntity(PVOID buffer, DWORD data, DWORD capacity) override;
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

// The provider of RQ_MAP_REQUEST_HANDLER: modules may rename the script or choose the handler.
class MapHandlerProvider : public Provider<IMapHandlerProviderStub> {
public:
    HRESULT SetScriptName(PCWSTR name, DWORD length) override;
    void SetScriptMap(IScriptMapInfo *map) override;
};

class RequestAllocator : public IModuleAllocatorStub {
public:
    RequestState *st = nullptr;
    void *AllocateMemory(DWORD size) override;
};

// Providers for the global notifications that carry no request.
class ApplicationProvider : public Provider<IHttpApplicationProviderStub> {
public:
    HostApplication *application = nullptr;
    IHttpApplication *GetApplication() override { return application; }
};

// GL_APPLICATION_RESOLVE_MODULES' provider: the application only. Registering request modules
// through it stays E_NOTIMPL: the request plan is compiled from the configuration at load.
class ResolveModulesProvider : public Provider<IHttpApplicationResolveModulesProviderStub> {
public:
    HostApplication *application = nullptr;
    IHttpApplication *GetApplication() override { return application; }
};

class StopListeningProvider : public Provider<IGlobalStopListeningProviderStub> {
public:
    BOOL DrainRequestsGracefully() const override { return TRUE; }
};

// Providers of GL_CONFIGURATION_CHANGE, GL_FILE_CHANGE and GL_THREAD_CLEANUP (global_events.cpp).
class ConfigurationChangeProvider : public Provider<IGlobalConfigurationChangeProviderStub> {
public:
    PCWSTR path = nullptr;
    PCWSTR GetChangePath() const override;
};

// GetFileMonitor is the monitor that saw the change; NULL for NotifyFileChange's.
class FileChangeProvider : public Provider<IGlobalFileChangeProviderStub> {
public:
    PCWSTR fileName = nullptr;
    IHttpFileMonitor *monitor = nullptr;
    PCWSTR GetFileName() const override;
    IHttpFileMonitor *GetFileMonitor() override;
};

// A monitored directory (file_monitor.cpp), reference counted; the caller of
// RegisterFileChangeMonitor holds the first reference.
class FileMonitor final : public IHttpFileMonitorStub {
public:
    explicit FileMonitor(HostInstance *owner = nullptr);
    HostInstance *host;
    uint64_t id = 0;
    std::string path;
    std::atomic<int> refs{1};
    std::unique_ptr<SharedContextContainer> contexts;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    void DereferenceFileMonitor() override;
};
// Clean up the contexts of monitors left registered (before Terminate), then free them (after).
void CleanupFileMonitors(HostInstance *host);
void FreeFileMonitors(HostInstance *host);

class ThreadCleanupProvider : public Provider<IGlobalThreadCleanupProviderStub> {
public:
    HostApplication *application = nullptr;
    IHttpApplication *GetApplication() override;
};

// Raise GL_CONFIGURATION_CHANGE / GL_FILE_CHANGE; true when a module handled it.
bool RaiseConfigurationChange(HostInstance *host, PCWSTR path);
bool RaiseFileChange(HostInstance *host, PCWSTR fileName);
// Raises GL_THREAD_CLEANUP on the calling thread, if any module subscribed.
void RaiseThreadCleanup(HostInstance *host, HostApplication *application);

// The provider OnGlobalTraceEvent receives: the event, and whose subscription it matches.
class TraceEventProvider : public Provider<IGlobalTraceEventProviderStub> {
public:
    HostInstance *host = nullptr;
    RequestState *request = nullptr; // null for an event from the server's trace context
    HTTP_TRACE_EVENT *event = nullptr;
    HRESULT GetTraceEvent(HTTP_TRACE_EVENT **out) override;
    BOOL CheckSubscription(HTTP_MODULE_ID module) override;
    HRESULT GetCurrentHttpRequestContext(IHttpContext **out) override;
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

// ---------------------------------------------------------------- request state

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
    // Handler mapping (handlers.cpp): the chosen script map and the modules it runs.
    const UrlScope *scope = nullptr; // the <location> in force for the URL; null: the host's lists
    SiteRecord *site = nullptr;      // the site the request came to (LoadRequest)
    HostApplication *app = nullptr;  // the application its URL lies in
    IScriptMapInfo *scriptMap = nullptr;
    bool handlerMapped = false;
    const std::vector<uint8_t> *handlerRuns = nullptr;
    std::vector<uint8_t> customRuns;
    const WCHAR *scriptNameOverride = nullptr; // IMapHandlerProvider::SetScriptName
    size_t scriptNameOverrideLen = 0;
    uint64_t connectionId = 0; // 0: the host does not know the connection
    uint64_t startTick = 0;    // TickCountMs when the request entered the pipeline
    uint64_t moduleMemory = 0; // bytes its modules took from the arena, against maxRequestMemory
    bool moduleMemoryRefused = false; // the cap was hit and logged once
    std::shared_ptr<ConnectionState> connectionState; // once a module asked

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

    // Pipeline position and per-module state.
    std::vector<CHttpModule *> modules;
    std::vector<DWORD> disabled, disabledPost;
    int currentModule = -1;
    DWORD currentNotification = 0;
    bool currentIsPost = false;
    int stage = 0;
    Position pos;
    // The module call running now, for the watchdog on another thread (watch.cpp): one packed
    // word, 0 when none runs; runningReported is the word the watchdog reported as long.
    std::atomic<uint64_t> running{0}, runningReported{0};
    // The word of the last module call that returned on the pipeline thread, and while the
    // request is parked, the word of the call that went pending (the status page's "in module").
    uint64_t lastCall = 0;
    std::atomic<uint64_t> parkedCall{0};
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
    bool jumped = false; // GetNextNotification moved pos during the current module call
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
    std::vector<iis_file_range> bodyFiles; // file chunks of body point here (filechunks.cpp)
    std::vector<int> ownedFds;             // descriptors the request closes when it ends
    IHttpFileInfo *fileInfo = nullptr;     // IHttpContext::GetFileInfo's, referenced until the end
    bool needDisconnect = false;
    bool suppressHeaders = false;
    bool bufferingDisabled = false;
    HTTP_UNKNOWN_HEADER *trailerList = nullptr; // trailers: a header store with no known names
    USHORT trailerCount = 0;
    HeaderStore trailers;

    std::vector<ServerVariableOverride> serverVariables;
    UpgradeState upgrade; // the connection once a 101 went out (upgrade.cpp)

    // Child requests (children.cpp): a clone belongs to its parent until ReleaseClonedContext or
    // the parent's end; it shares the parent's slot, so Go's callbacks reach the same client.
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

    // The last send, as Go reads it.
    std::vector<iis_bytes> viewHeaders;
    std::vector<iis_bytes> requestView; // request headers for the Go fallback
    std::vector<iis_bytes> trailerView;
    iis_send_view view;
};

// Raises a global notification through its plan list, each call guarded; true when a module
// answered GL_NOTIFICATION_HANDLED, which ends the chain (global_events.cpp).
// request: the request that raised it, whose failed-request trace records the calls; or null.
bool RaiseGlobal(HostInstance *host, DWORD event, const std::function<GLOBAL_NOTIFICATION_STATUS(CGlobalModule *)> &call,
                 RequestState *request = nullptr);
// A GUID as text, upper case, without braces.
std::string GuidText(const GUID &g);

// Whether module runs RQ_EXECUTE_REQUEST_HANDLER for this request under handler mapping.
bool HandlerRuns(RequestState *st, int module);
// The first usable handler entry matching a URL path and verb, or null.
HostScriptMap *MatchHandler(const HandlerList &handlers, const std::string &url, const char *verb, size_t verbLen, bool ignoreWildcards);
// The scope a URL path falls under, or null for the host's own lists.
const UrlScope *ScopeFor(const SiteRecord *site, const char *path, size_t len);
// A request's plan list, handler mappings and whether <handlers> applies, from its scope.
const std::vector<int32_t> &RequestPlan(const RequestState *st, int list);
const HandlerList &RequestHandlers(const RequestState *st);
bool RequestHandlersConfigured(const RequestState *st);
// Evaluates an IIS preCondition list for this host; unknown names fail and set *unknown.
bool EvaluatePrecondition(const std::string &list, bool *unknown);

// GetTickCount64's clock, in milliseconds (request_time.cpp).
uint64_t TickCountMs();
// Disconnects and releases every connection state, before the modules terminate.
void CloseConnections(HostInstance *host);

// Runs a request through the whole pipeline (pipeline.cpp).
const iis_send_view *RunPipeline(RequestState *st);
// Records a completion from any thread and wakes the parked request (pipeline.cpp).
void SignalCompletion(RequestState *st, const Completion &c);
// Hands a parked request's wake-up to Go's completion pump; any thread (completion_pump.cpp).
void QueueResume(uintptr_t slot);
// Signals an asynchronous operation's completion: bytes and HRESULT, reentering the module.
void SignalIoCompletion(RequestState *st, DWORD bytes, HRESULT hr);
// Result codes of body reads and sends done by Go (bridge.h, iis_request_io_done).
enum IoResult { kIoDone = 0, kIoEndOfBody = 1, kIoFailed = -1, kIoTooLarge = -2, kIoCancelled = -3, kIoBadBody = -4 };
// Accounts for n bytes Go read from the client into buffer (code an IoResult) and raises
// RQ_READ_ENTITY; *received is what the reader gets.
HRESULT AfterBodyRead(RequestState *st, int32_t code, uint32_t n, void *buffer, DWORD size, DWORD *received);
// Whether the calling thread is the one running this request's pipeline now.
bool OnPipelineThread(const RequestState *st);
// Whether an async operation started now can be deferred to the request's goroutine.
bool CanDeferIo(const RequestState *st);

// WatchedCall marks a module call on the request's pipeline thread for the watchdog
// (watchdog.go) while it runs: a coarse clock read (vDSO, no system call) and one atomic store
// at each end. It also times every call it wraps into its module's CallTiming (two monotonic
// clock reads and two relaxed adds); a call's time includes notifications raised inside it. A nested call (a SendResponse raised by a Flush) puts the outer one back when it
// returns. Calls on a module's own thread are not watched: the word has one writer.
// CrashContext is what a crash handler says of the module call running on its thread
// (crash_context.cpp): pointers into strings that outlive the call, so setting it allocates
// nothing. module is null between calls.
struct CrashContext {
    const char *module, *notification, *url;
    size_t urlLen;
};
extern thread_local CrashContext tCrashContext;
// The context of a call about to run on this thread.
CrashContext CallContext(const RequestState *st, int module, DWORD notification, bool post, bool global);
// The name of a notification by its bit number, as a WatchedCall packs it.
const char *CallNotificationName(int bit, bool post, bool global);

// Remembers the address range of the loaded image holding address (a module's RegisterModule),
// so that a fault on a thread running no module call (one the module started) still names it.
void NoteModuleImage(const char *module, const void *address);

// CrashScope names a module call outside a request (a global notification, event its GL_* bit;
// RegisterModule) for the crash reporter while it runs; a request's calls are named by their
// WatchedCall.
// A global notification's call is also timed into its module's CallTiming.
class CrashScope {
public:
    CrashScope(ModuleEntry *module, DWORD event);
    CrashScope(const ModuleEntry *module, const char *call);
    ~CrashScope()
    {
        tCrashContext = outer_;
        if (timing_) {
            timing_->Add(slot_, MonotonicNs() - startNs_);
        }
    }
    CrashScope(const CrashScope &) = delete;
    CrashScope &operator=(const CrashScope &) = delete;

private:
    CrashContext outer_;
    CallTiming *timing_ = nullptr;
    int slot_ = 0;
    uint64_t startNs_ = 0;
};
// The name of a global notification by its GL_* bit, as log lines and metrics give it.
const char *GlobalNotificationName(DWORD event);

class WatchedCall {
public:
    // notification: its RQ_* bit, or GL_PRE_BEGIN_REQUEST with global set.
    WatchedCall(RequestState *st, int module, DWORD notification, bool post, bool global)
        : st_(OnPipelineThread(st) ? st : nullptr), outerCrash_(tCrashContext)
    {
        tCrashContext = CallContext(st, module, notification, post, global);
        const auto &mods = st->host->modules;
        if (module >= 0 && size_t(module) < mods.size()) {
            timing_ = &mods[module]->timing;
            slot_ = CallTiming::SlotOf(notification, post, global);
            startNs_ = MonotonicNs();
        }
        if (st_) {
            outer_ = st_->running.load(std::memory_order_relaxed);
            word_ = Pack(module, notification, post, global);
            st_->running.store(word_, std::memory_order_release);
        }
    }
    ~WatchedCall()
    {
        tCrashContext = outerCrash_;
        if (timing_) {
            timing_->Add(slot_, MonotonicNs() - startNs_);
        }
        if (!st_) {
            return;
        }
        if (st_->runningReported.load(std::memory_order_relaxed) == word_) {
            Returned(); // the watchdog warned about this call: say how long it took
        }
        st_->lastCall = word_;
        st_->running.store(outer_, std::memory_order_release);
    }
    WatchedCall(const WatchedCall &) = delete;
    WatchedCall &operator=(const WatchedCall &) = delete;

    static uint64_t Pack(int module, DWORD notification, bool post, bool global);

private:
    void Returned();
    RequestState *st_;
    uint64_t outer_ = 0, word_ = 0;
    CrashContext outerCrash_;
    CallTiming *timing_ = nullptr; // its module's; null for an index out of range
    int slot_ = 0;
    uint64_t startNs_ = 0;
};

// Names a notification for log lines (pipeline.cpp). A stage's own bit names the stage, as
// does 0 (between calls); GL_PRE_BEGIN_REQUEST shares its value with RQ_RELEASE_REQUEST_STATE.
const char *NotificationName(DWORD notification, bool post, int stage);

// Raises RQ_SEND_RESPONSE and builds the view of what is buffered, for a send not yet made.
iis_send_view *PrepareSend(RequestState *st, bool final);
// Settles a send made by Go (code an IoResult): once done, the headers are out and the sent
// body is dropped.
HRESULT AfterSend(RequestState *st, int32_t code, DWORD *sent);
// Raises a notification outside the stage order (send, map path, custom) through one plan list,
// guarded, restoring the current position afterwards; a FINISH or a failure ends the chain.
void RaiseNotification(RequestState *st, int list, DWORD bit,
                       const std::function<REQUEST_NOTIFICATION_STATUS(CHttpModule *)> &call);
// Raises RQ_SEND_RESPONSE and sends what is buffered now; used by Flush and the final send.
HRESULT SendNow(RequestState *st, bool final, DWORD *sent);
// Child requests (children.cpp). ChildSend replaces a child's send: its output goes into its
// parent's response, flushed unless EXECUTE_FLAG_BUFFER_RESPONSE. ResumeRunningChild continues
// a parked asynchronous child; false while it is still parked. ReleaseClones frees a request's
// clones at its end.
HRESULT ChildSend(RequestState *child, DWORD *sent);
bool ResumeRunningChild(RequestState *st);
void ReleaseClones(RequestState *st);
const RequestState *RootOf(const RequestState *st);
// Pipeline entry points children.cpp uses (pipeline.cpp): run a child from its first stage,
// resume one, and release a request's modules, contexts and memory.
bool RunChildStages(RequestState *child);
bool ResumeStages(RequestState *st);
void ReleaseRequest(RequestState *st);
// Drops the buffered body.
void ClearBody(RequestState *st);
// Adds HTTP_DATA_CHUNKs to the body (filechunks.cpp): memory copied into request memory, or
// kept by reference (WriteEntityChunkByReference) at chunk index `at` (-1 appends); file
// handles as byte ranges. All chunks are checked first, so a failure changes nothing.
HRESULT AddBodyChunks(RequestState *st, const HTTP_DATA_CHUNK *chunks, DWORD count, bool byReference, LONG at,
                      uint64_t *added);
// The bytes a fragment-cache chunk names, copied into request memory (fragments.cpp).
HRESULT FragmentChunk(RequestState *st, const HTTP_DATA_CHUNK &c, iis_bytes *out);
// Closes the descriptors the request's file chunks held and drops its file info.
void ReleaseRequestFiles(RequestState *st);
// Adds the Vary header the cache policy implies, unless a module set one (cache_policy.cpp).
void ApplyCachePolicy(RequestState *st);
// Builds the view of status, headers and body that Go writes.
iis_send_view *BuildSendView(RequestState *st, bool final);
// Replaces the response with a plain 500.
void SetErrorResponse(RequestState *st);
// Describes the exception being handled (call it inside a catch block): the HRESULT and message
// of a _com_error or CAtlException, what() of a std::exception.
std::string DescribeCurrentException();
// Answers 500 after a module failed (exception escaped) and ends the request's main stages.
void FailRequest(RequestState *st, const std::string &module, const std::string &what);

// Maps a URL path (absolute, or relative to the request's) under the site's physical path.
std::string PhysicalPathOf(const RequestState *st, const char *url, size_t len);
// HTTP.sys's canonical form of a URL path; false when it climbs above the root.
bool CanonicalUrlPath(const char *url, size_t len, std::string *out);
// PhysicalPathOf, then RQ_MAP_PATH, whose subscribers may change the answer.
std::string MapUrl(RequestState *st, const char *url, size_t len);

// Parses the client's address the first time anything needs it.
void EnsureAddresses(const RequestState *st);

// Server variables (server_variables.cpp).
HRESULT LookupServerVariable(RequestState *st, const char *name, const char **narrow, size_t *narrowLen);
// Sets a custom server variable (not a header one) to a value in request memory.
HRESULT SetServerVariableOverride(RequestState *st, const char *name, const char *value, size_t len);

} // namespace iishost
