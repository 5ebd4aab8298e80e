// Which API methods the host implements, read from the compiled vtables: a slot whose entry
// differs from the generated stub's has a real implementation. docs/coverage.md is
// generated from this, so it cannot drift from the code.
#include <string.h>

#include "admin.h"
#include "bridge.h"
#include "forward.h"
#include "global_events.h"
#include "http_application.h"
#include "http_cache_policy.h"
#include "http_connection.h"
#include "http_context.h"
#include "http_file_info.h"
#include "http_file_monitor.h"
#include "http_perf_counters.h"
#include "http_request.h"
#include "http_response.h"
#include "http_server.h"
#include "http_site.h"
#include "http_trace_context.h"
#include "metadata_info.h"
#include "module_context_containers.h"
#include "module_registration.h"
#include "providers.h"
#include "request_state.h"
#include "script_map_info.h"
#include "upgrade.h"

namespace iishost {

template <class Host, class Stub> static int Implemented(int slot)
{
    Host host;
    Stub stub;
    void **hostTable = *reinterpret_cast<void ***>(static_cast<void *>(&host));
    void **stubTable = *reinterpret_cast<void ***>(static_cast<void *>(&stub));
    return hostTable[slot] != stubTable[slot] ? 1 : 0;
}

struct CoverageEntry {
    const char *interfaceName;
    int (*implemented)(int slot);
};

// One row per host class, named by the most derived interface it implements.
static const CoverageEntry kCoverage[] = {
    {"IHttpModuleRegistrationInfo2", Implemented<RegistrationInfo, IHttpModuleRegistrationInfo2Stub>},
    {"IHttpServer3", Implemented<HostServer, IHttpServer3Stub>},
    {"IHttpSite", Implemented<HostSite, IHttpSiteStub>},
    {"IHttpApplication2", Implemented<HostApplication, IHttpApplication2Stub>},
    {"IHttpContext4", Implemented<HostContext, IHttpContext4Stub>},
    {"IHttpRequest4", Implemented<HostRequest, IHttpRequest4Stub>},
    {"IHttpResponse4", Implemented<HostResponse, IHttpResponse4Stub>},
    {"IHttpConnection", Implemented<HostConnection, IHttpConnectionStub>},
    {"IHttpUser", Implemented<AnonymousUser, IHttpUserStub>},
    {"IHttpModuleContextContainer", Implemented<RequestContextContainer, IHttpModuleContextContainerStub>},
    {"IHttpEventProvider", Implemented<Provider<IHttpEventProviderStub>, IHttpEventProviderStub>},
    {"IAuthenticationProvider", Implemented<AuthenticationProvider, IAuthenticationProviderStub>},
    {"IMapHandlerProvider", Implemented<MapHandlerProvider, IMapHandlerProviderStub>},
    {"ISendResponseProvider", Implemented<SendResponseProvider, ISendResponseProviderStub>},
    {"IPreBeginRequestProvider", Implemented<PreBeginRequestProvider, IPreBeginRequestProviderStub>},
    {"IHttpFileInfo", Implemented<HostFileInfo, IHttpFileInfoStub>},
    {"ICacheProvider", Implemented<CacheProvider, ICacheProviderStub>},
    // The file cache's key implements IFileKey (httpcach.h), whose first part is IHttpCacheKey.
    {"IHttpCacheKey", Implemented<HostFileKey, IHttpCacheKeyStub>},
    {"IMapPathProvider", Implemented<MapPathProvider, IMapPathProviderStub>},
    {"IReadEntityProvider", Implemented<ReadEntityProvider, IReadEntityProviderStub>},
    {"IHttpCompletionInfo2", Implemented<CompletionInfo, IHttpCompletionInfo2Stub>},
    {"INamedContextContainer", Implemented<NamedContextContainer, INamedContextContainerStub>},
    {"IHttpApplicationProvider", Implemented<ApplicationProvider, IHttpApplicationProviderStub>},
    {"IHttpApplicationResolveModulesProvider", Implemented<ResolveModulesProvider, IHttpApplicationResolveModulesProviderStub>},
    {"IGlobalStopListeningProvider", Implemented<StopListeningProvider, IGlobalStopListeningProviderStub>},
    {"IModuleAllocator", Implemented<RequestAllocator, IModuleAllocatorStub>},
    {"IDispensedHttpModuleContextContainer", Implemented<SharedContextContainer, IDispensedHttpModuleContextContainerStub>},
    {"IWebSocketContext", Implemented<WebSocketContext, IWebSocketContextStub>},
    {"IAppHostAdminManager", Implemented<AdminManager, IAppHostAdminManagerStub>},
    {"IAppHostElement", Implemented<AdminElement, IAppHostElementStub>},
    {"IAppHostProperty", Implemented<AdminProperty, IAppHostPropertyStub>},
    {"IAppHostPropertyCollection", Implemented<AdminPropertyCollection, IAppHostPropertyCollectionStub>},
    {"IAppHostElementCollection", Implemented<AdminElementCollection, IAppHostElementCollectionStub>},
    {"IAppHostChildElementCollection", Implemented<AdminChildElementCollection, IAppHostChildElementCollectionStub>},
    {"IHttpCachePolicy2", Implemented<HostCachePolicy, IHttpCachePolicy2Stub>},
    {"IHttpTraceContext", Implemented<HostTraceContext, IHttpTraceContextStub>},
    {"IGlobalTraceEventProvider", Implemented<TraceEventProvider, IGlobalTraceEventProviderStub>},
    {"IGlobalConfigurationChangeProvider", Implemented<ConfigurationChangeProvider, IGlobalConfigurationChangeProviderStub>},
    {"IGlobalFileChangeProvider", Implemented<FileChangeProvider, IGlobalFileChangeProviderStub>},
    {"IGlobalThreadCleanupProvider", Implemented<ThreadCleanupProvider, IGlobalThreadCleanupProviderStub>},
    {"IHttpPerfCounterInfo", Implemented<HostPerfCounters, IHttpPerfCounterInfoStub>},
    {"IMetadataInfo", Implemented<HostMetadata, IMetadataInfoStub>},
    {"IReferencedMetadataInfo", Implemented<ReferencedMetadata, IReferencedMetadataInfoStub>},
    {"IHttpUrlInfo", Implemented<UrlInfo, IHttpUrlInfoStub>},
    {"IScriptMapInfo", Implemented<HostScriptMap, IScriptMapInfoStub>},
    {"IHttpConnectionModuleContextContainer", Implemented<ConnectionState, IHttpConnectionModuleContextContainerStub>},
    {"IHttpFileMonitor", Implemented<FileMonitor, IHttpFileMonitorStub>},
};

} // namespace iishost

// slot: in the layout this build's compiler gives the host's vtables (Itanium with g++ on
// Linux, MSVC's on Windows).
extern "C" int iis_coverage(const char *interfaceName, int slot)
{
    for (const auto &e : iishost::kCoverage) {
        if (strcmp(e.interfaceName, interfaceName) == 0) {
            return e.implemented(slot);
        }
    }
    return -1;
}
