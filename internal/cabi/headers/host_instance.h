// HostInstance: one configured server and everything it owns (host_instance.cpp, doors_host.cpp).
#pragma once

#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "admin.h"
#include "forward.h"
#include "http_perf_counters.h"
#include "http_server.h"
#include "http_site.h"
#include "http_trace_context.h"
#include "module_registration.h"
#include "script_map_info.h"

namespace iishost {

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
    FileCache *fileCache;               // GetFileInfo's (http_file_info.cpp), one per process as in IIS
    std::once_flag fragmentsOnce;       // the fragment cache (http_server_fragments.cpp), made on first use
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

} // namespace iishost
