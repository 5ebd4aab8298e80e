// IHttpServer (IHttpServer2/3): the server-wide object every module receives. Its fragment-cache
// methods are in http_server_fragments.cpp.
#include "callbacks.h"
#include "forward.h"
#include "global_events.h"
#include "headers.h"
#include "host_files.h"
#include "http_file_info.h"
#include "http_file_monitor.h"
#include "http_server.h"
#include "http_site.h"
#include "metadata_info.h"
#include "module_calls.h"
#include "module_context_containers.h"
#include "module_guard.h"
#include "module_registration.h"
#include "script_map_info.h"
#include "wide_strings.h"

namespace iishost {

BOOL HostServer::IsCommandLineLaunch() const { return TRUE; }

PCWSTR HostServer::GetAppPoolName() const { return host->config.wideAppPoolName.c_str(); }

// Not AddRef'd: IIS documents no reference for the caller, and modules use the pointer without
// releasing it. It stays valid for the life of the host.
IAppHostAdminManager *HostServer::GetAdminManager() const { return host->adminManager; }

HRESULT HostServer::GetExtendedInterface(HTTP_SERVER_INTERFACE_VERSION version, PVOID *ppInterface)
{
    if (!ppInterface) {
        return E_INVALIDARG;
    }
    switch (EnumValue(version)) {
    case HTTP_SERVER_INTERFACE_V2:
        *ppInterface = static_cast<IHttpServer2 *>(this);
        return S_OK;
    case HTTP_SERVER_INTERFACE_V3:
        *ppInterface = static_cast<IHttpServer3 *>(this);
        return S_OK;
    }
    *ppInterface = nullptr;
    return E_NOINTERFACE;
}

// Every host object implements the newest version of its interface, so a newer interface of an
// object is the object itself; these are the families that holds for.
static const GUID *const kInterfaceFamilies[][4] = {
    {&IID_IHttpContext, &IID_IHttpContext2, &IID_IHttpContext3, &IID_IHttpContext4},
    {&IID_IHttpRequest, &IID_IHttpRequest2, &IID_IHttpRequest3, &IID_IHttpRequest4},
    {&IID_IHttpResponse, &IID_IHttpResponse2, &IID_IHttpResponse3, &IID_IHttpResponse4},
    {&IID_IHttpServer, &IID_IHttpServer2, &IID_IHttpServer3, nullptr},
    {&IID_IHttpModuleRegistrationInfo, &IID_IHttpModuleRegistrationInfo2, nullptr, nullptr},
    {&IID_IHttpApplication, &IID_IHttpApplication2, nullptr, nullptr},
};

static int FamilyOf(const GUID &iid)
{
    for (size_t f = 0; f < sizeof(kInterfaceFamilies) / sizeof(kInterfaceFamilies[0]); f++) {
        for (const GUID *g : kInterfaceFamilies[f]) {
            if (g && memcmp(g, &iid, sizeof(GUID)) == 0) {
                return static_cast<int>(f);
            }
        }
    }
    return -1;
}

HRESULT HostServer::GetExtendedInterface(const GUID &inputType, PVOID input, const GUID &outputType, PVOID *output)
{
    if (!input || !output) {
        return E_INVALIDARG;
    }
    int family = FamilyOf(inputType);
    if (family < 0 || family != FamilyOf(outputType)) {
        *output = nullptr;
        return E_NOINTERFACE;
    }
    *output = input;
    return S_OK;
}

GLOBAL_NOTIFICATION_STATUS HostServer::NotifyCustomNotification(ICustomNotificationProvider *provider)
{
    if (!provider) {
        return GL_NOTIFICATION_CONTINUE;
    }
    int bit = __builtin_ctz(GL_CUSTOM_NOTIFICATION);
    for (int32_t index : host->plan[IIS_LIST_GLOBAL + bit]) {
        ModuleEntry *m = host->modules[index];
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        CrashScope named(m, GL_CUSTOM_NOTIFICATION);
        try {
            status = ModuleCall([&] { return m->global->OnGlobalCustomNotification(provider); });
        } catch (...) {
            Log(host, 3, m->name, "exception escaped OnGlobalCustomNotification");
        }
        if (status == GL_NOTIFICATION_HANDLED) {
            return GL_NOTIFICATION_HANDLED;
        }
    }
    return GL_NOTIFICATION_CONTINUE;
}

IDispensedHttpModuleContextContainer *HostServer::DispenseContainer()
{
    auto *c = new (std::nothrow) SharedContextContainer();
    if (c) {
        c->host = host;
        c->dispensed = true;
    }
    return c;
}

// Both are logged, then handed to the Go host, which recycles the worker when it runs in one
// (host.Options.OnRecycle).
void HostServer::ReportUnhealthy(PCWSTR reason, HRESULT hr)
{
    char text[64];
    snprintf(text, sizeof(text), " (HRESULT 0x%08X)", static_cast<unsigned>(hr));
    std::string why = reason ? NarrowString(reason) : std::string();
    Log(host, 2, "", "a module reported the server unhealthy: " + why + text);
    iisgoRecycle(host->goId, 1, const_cast<char *>(why.c_str()), static_cast<uint32_t>(hr));
}

void HostServer::RecycleProcess(PCWSTR reason)
{
    std::string why = reason ? NarrowString(reason) : std::string();
    Log(host, 2, "", "a module asked to recycle the process: " + why);
    iisgoRecycle(host->goId, 0, const_cast<char *>(why.c_str()), 0);
}

IHttpPerfCounterInfo *HostServer::GetPerfCounterInfo() { return &host->serverCounters; }

IHttpTraceContext *HostServer::GetTraceContext() const { return &host->serverTrace; }

// The configuration file the host was started with ("" when it came from flags).
PCWSTR HostServer::GetAppPoolConfigFile(DWORD *length) const
{
    if (length) {
        *length = static_cast<DWORD>(host->config.wideConfigPath.size());
    }
    return host->config.wideConfigPath.c_str();
}

BOOL HostServer::SatisfiesPrecondition(PCWSTR precondition, BOOL *unknownPrecondition) const
{
    bool unknown = false;
    bool ok = EvaluatePrecondition(precondition ? NarrowString(precondition) : std::string(), &unknown);
    if (unknownPrecondition) {
        *unknownPrecondition = unknown ? TRUE : FALSE;
    }
    return ok ? TRUE : FALSE;
}

// Each call hands out a new reference the caller releases with DereferenceMetadata. The site
// is named as configured (case-insensitively); the URL must be a path of it.
HRESULT HostServer::GetMetadata(PCWSTR siteName, PCWSTR url, IReferencedMetadataInfo **out)
{
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    if (!siteName || !url || url[0] != L'/') {
        return E_INVALIDARG;
    }
    SiteRecord *site = FindSite(host, 0, siteName);
    if (!site) {
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    std::string narrow = NarrowString(url);
    auto *m = new (std::nothrow) ReferencedMetadata();
    if (!m) {
        return E_OUTOFMEMORY;
    }
    m->metadata = &ApplicationFor(site, narrow.data(), narrow.size())->metadata;
    *out = m;
    return S_OK;
}

// A module's own report of a change reaches every subscriber, as the host's does. A NULL path
// has nothing to report.
void HostServer::NotifyConfigurationChange(PCWSTR path)
{
    if (path) {
        RaiseConfigurationChange(host, path);
    }
}

void HostServer::NotifyFileChange(PCWSTR fileName)
{
    if (fileName) {
        RaiseFileChange(host, fileName);
    }
}

// iishost has no kernel-mode cache, so it is never enabled; disabling it has nothing to change,
// and flushing it (HostServer::FlushKernelCache) leaves nothing cached: both are complete as they are.
HRESULT HostServer::FlushKernelCache(PCWSTR url) { return url ? S_OK : E_INVALIDARG; }

HRESULT HostServer::GetFileInfo(PCWSTR physicalPath, HANDLE userToken, PSID sid, PCWSTR changeNotificationPath,
                                HANDLE changeNotificationToken, BOOL cache, IHttpFileInfo **fileInfo,
                                IHttpTraceContext *trace)
{
    // Tokens, SIDs and change notification paths are Windows security and file-watching
    // facilities; the file's own stat is what decides whether it changed.
    (void)userToken, (void)sid, (void)changeNotificationPath, (void)changeNotificationToken, (void)trace;
    if (!fileInfo) {
        return E_INVALIDARG;
    }
    *fileInfo = nullptr;
    if (!physicalPath || !*physicalPath) {
        return E_INVALIDARG;
    }
    std::string path;
    HRESULT hr = PathFromWide(physicalPath, &path);
    if (FAILED(hr)) {
        return hr;
    }
    if (!IsAbsolutePath(path.c_str())) {
        return E_INVALIDARG; // a physical path is absolute
    }
    HostFileInfo *info = nullptr;
    hr = host->fileCache->Get(path, cache != FALSE, &info);
    *fileInfo = info;
    return hr;
}

HRESULT HostServer::DoCacheOperation(CACHE_OPERATION operation, IHttpCacheKey *key, IHttpCacheSpecificData **data,
                                     IHttpTraceContext *trace)
{
    (void)trace;
    if (!key) {
        return E_INVALIDARG;
    }
    if (!IsFileKey(key)) {
        return HRESULT_FROM_WIN32(ERROR_NOT_SUPPORTED); // the file cache is the only cache here
    }
    std::string path = NarrowString(static_cast<IFileKey *>(key)->GetPath());
    switch (EnumValue(operation)) {
    case CACHE_OPERATION_RETRIEVE: {
        if (!data) {
            return E_INVALIDARG;
        }
        *data = host->fileCache->Find(path);
        return *data ? S_OK : HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    case CACHE_OPERATION_DELETE:
        return host->fileCache->Remove(path, false) ? S_OK : HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    case CACHE_OPERATION_FLUSH_PREFIX:
        host->fileCache->Remove(path, true);
        return S_OK;
    default:
        // ADD would take a record this host did not make; ENUM has no consumer here.
        return E_NOTIMPL;
    }
}

HRESULT HostServer::RegisterFileChangeMonitor(PCWSTR path, HANDLE token, IHttpFileMonitor **out)
{
    (void)token; // no Windows identity to monitor as
    if (!out) {
        return E_INVALIDARG;
    }
    *out = nullptr;
    if (!path || !*path) {
        return E_INVALIDARG;
    }
    std::string narrow = NarrowString(path);
    FileFacts info;
    if (FAILED(StatPath(narrow, &info))) {
        return HRESULT_FROM_WIN32(ERROR_PATH_NOT_FOUND);
    }
    if (!info.directory) {
        return HRESULT_FROM_WIN32(ERROR_DIRECTORY); // documented: a directory is monitored
    }
    auto *m = new (std::nothrow) FileMonitor(host);
    if (!m) {
        return E_OUTOFMEMORY;
    }
    m->path = narrow;
    {
        std::lock_guard<std::mutex> guard(host->monitorLock);
        m->id = ++host->lastMonitorId;
        host->monitors.push_back(m);
    }
    *out = m;
    return S_OK;
}

} // namespace iishost
