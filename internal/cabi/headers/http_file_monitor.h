// IHttpFileMonitor (http_file_monitor.cpp).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "forward.h"

namespace iishost {

// A monitored directory (http_file_monitor.cpp), reference counted; the caller of
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

} // namespace iishost
