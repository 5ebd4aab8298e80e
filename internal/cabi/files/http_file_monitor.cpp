// IHttpFileMonitor, the monitors IHttpServer::RegisterFileChangeMonitor (http_server.cpp) makes. The host keeps the list of
// monitored directories; the Go side polls them (stdlib only) and reports each changed file
// here, which raises GL_FILE_CHANGE with the monitor as the provider's GetFileMonitor.
#include <string.h>

#include "bridge.h"
#include "forward.h"
#include "global_events.h"
#include "host_instance.h"
#include "http_file_monitor.h"
#include "module_context_containers.h"
#include "wide_strings.h"

namespace iishost {

FileMonitor::FileMonitor(HostInstance *owner) : host(owner), contexts(new SharedContextContainer())
{
    contexts->host = owner;
}

IHttpModuleContextContainer *FileMonitor::GetModuleContextContainer() { return contexts.get(); }

// The caller's reference ends the monitoring when it is the last one (documented: releasing
// the monitor may stop file-change monitoring).
void FileMonitor::DereferenceFileMonitor()
{
    if (refs.fetch_sub(1, std::memory_order_acq_rel) != 1) {
        return;
    }
    {
        std::lock_guard<std::mutex> guard(host->monitorLock);
        auto &list = host->monitors;
        for (size_t i = 0; i < list.size(); i++) {
            if (list[i] == this) {
                list.erase(list.begin() + static_cast<long>(i));
                break;
            }
        }
    }
    contexts->Cleanup();
    delete this;
}

IHttpFileMonitor *FileChangeProvider::GetFileMonitor() { return monitor; }

// Monitors still registered when the modules terminate: their contexts are cleaned up before
// Terminate, their objects deleted after it (a module may release its monitor in Terminate).
void CleanupFileMonitors(HostInstance *host)
{
    std::lock_guard<std::mutex> guard(host->monitorLock);
    for (FileMonitor *m : host->monitors) {
        m->contexts->Cleanup();
    }
}

void FreeFileMonitors(HostInstance *host)
{
    std::vector<FileMonitor *> left;
    {
        std::lock_guard<std::mutex> guard(host->monitorLock);
        left.swap(host->monitors);
    }
    for (FileMonitor *m : left) {
        delete m;
    }
}

} // namespace iishost

using namespace iishost;

extern "C" {

size_t iis_file_monitors(iis_host *h, char *buf, size_t cap)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    std::string list;
    {
        std::lock_guard<std::mutex> guard(host->monitorLock);
        for (FileMonitor *m : host->monitors) {
            list += std::to_string(m->id) + "\t" + m->path + "\n";
        }
    }
    if (list.size() <= cap) {
        memcpy(buf, list.data(), list.size());
    }
    return list.size();
}

int iis_file_monitor_changed(iis_host *h, uint64_t id, const char *file)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    FileMonitor *m = nullptr;
    {
        std::lock_guard<std::mutex> guard(host->monitorLock);
        for (FileMonitor *each : host->monitors) {
            if (each->id == id) {
                m = each;
                m->refs.fetch_add(1, std::memory_order_relaxed); // held through the notification
                break;
            }
        }
    }
    if (!m) {
        return -1; // released since the poll listed it
    }
    std::wstring wide = WidenString(file);
    FileChangeProvider provider;
    provider.fileName = wide.c_str();
    provider.monitor = m;
    bool handled = RaiseGlobal(host, GL_FILE_CHANGE, [&](CGlobalModule *g) { return g->OnGlobalFileChange(&provider); });
    m->DereferenceFileMonitor();
    return handled ? 1 : 0;
}

} // extern "C"
