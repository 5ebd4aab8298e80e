// The services table the host installs in each module (include/iishost/host_services.h): the
// event log and OutputDebugString, turned into records of the Go host's logger, and
// CoCreateInstance of the admin manager.
#include <memory>
#include <mutex>

#include "admin.h"
#include "bridge.h"
#include "callbacks.h"
#include "forward.h"
#include "host_instance.h"
#include "module_services.h"

namespace iishost {

static const ModuleServices *From(const iishost_services_t *self)
{
    return reinterpret_cast<const ModuleServices *>(self);
}

static void ReportEventToHost(const iishost_services_t *self, const char *source, uint16_t type, uint16_t category,
                              uint32_t eventId, uint16_t numStrings, const char *const *strings, uint32_t dataSize)
{
    const ModuleServices *m = From(self);
    iisgoEventLog(m->goHost, const_cast<char *>(m->module.c_str()), const_cast<char *>(source ? source : ""), type,
                  category, eventId, numStrings, const_cast<char **>(strings), dataSize);
}

static void DebugStringToHost(const iishost_services_t *self, const char *text)
{
    const ModuleServices *m = From(self);
    iisgoDebugString(m->goHost, const_cast<char *>(m->module.c_str()), const_cast<char *>(text ? text : ""));
}

static HRESULT CreateInstanceForModule(const iishost_services_t *self, const GUID *clsid, const GUID *iid, void **ppv)
{
    return CreateAdminInstance(From(self)->admin, clsid, iid, ppv);
}

} // namespace iishost

using namespace iishost;

// Tables are never freed: a library stays loaded for the life of the process and may be shared
// by several hosts (the last one to load it receives its records), so a module may use its
// table after the host that installed it has gone.
static std::mutex tablesLock;
static std::vector<std::unique_ptr<ModuleServices>> tables;

extern "C" void iis_module_install_services(iis_host *h, const char *module, void *slot)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    auto services = std::make_unique<ModuleServices>();
    services->table.size = sizeof(iishost_services_t);
    services->table.report_event = ReportEventToHost;
    services->table.debug_string = DebugStringToHost;
    services->table.create_instance = CreateInstanceForModule;
    services->goHost = host->goId;
    services->admin = host->admin;
    services->module = module;
    std::lock_guard<std::mutex> lock(tablesLock);
    *static_cast<const iishost_services_t **>(slot) = &services->table;
    tables.push_back(std::move(services));
}
