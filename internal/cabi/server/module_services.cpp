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

// What a module's event log, OutputDebugString and CoCreateInstance become, on every platform.
static void LogEvent(const ModuleServices *m, const char *source, uint16_t type, uint16_t category, uint32_t eventId,
                     uint16_t numStrings, const char *const *strings, uint32_t dataSize)
{
    iisgoEventLog(m->goHost, const_cast<char *>(m->module.c_str()), const_cast<char *>(source ? source : ""), type,
                  category, eventId, numStrings, const_cast<char **>(strings), dataSize);
}

static void LogDebugString(const ModuleServices *m, const char *text)
{
    iisgoDebugString(m->goHost, const_cast<char *>(m->module.c_str()), const_cast<char *>(text ? text : ""));
}

static HRESULT CreateInstance(const ModuleServices *m, const GUID *clsid, const GUID *iid, void **ppv)
{
    return CreateAdminInstance(m->admin, clsid, iid, ppv);
}

} // namespace iishost

using namespace iishost;

// Tables are never freed: a library stays loaded for the life of the process and may be shared
// by several hosts (the last one to load it receives its records), so a module may use its
// table after the host that installed it has gone.
static std::mutex tablesLock;
static std::vector<std::unique_ptr<ModuleServices>> tables;

static ModuleServices *NewModuleServices(iis_host *h, const char *module)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    auto services = std::make_unique<ModuleServices>();
    services->goHost = host->goId;
    services->admin = host->admin;
    services->module = module;
    std::lock_guard<std::mutex> lock(tablesLock);
    tables.push_back(std::move(services));
    return tables.back().get();
}

#ifndef _WIN32

// Linux: the module's inline functions (include/iishost/host_services.h) call through its table.
static const ModuleServices *From(const iishost_services_t *self)
{
    return reinterpret_cast<const ModuleServices *>(self);
}

static void ReportEventToHost(const iishost_services_t *self, const char *source, uint16_t type, uint16_t category,
                              uint32_t eventId, uint16_t numStrings, const char *const *strings, uint32_t dataSize)
{
    LogEvent(From(self), source, type, category, eventId, numStrings, strings, dataSize);
}

static void DebugStringToHost(const iishost_services_t *self, const char *text)
{
    LogDebugString(From(self), text);
}

static HRESULT CreateInstanceForModule(const iishost_services_t *self, const GUID *clsid, const GUID *iid, void **ppv)
{
    return CreateInstance(From(self), clsid, iid, ppv);
}

extern "C" void iis_module_install_services(iis_host *h, const char *module, void *slot)
{
    ModuleServices *services = NewModuleServices(h, module);
    services->table.size = sizeof(iishost_services_t);
    services->table.report_event = ReportEventToHost;
    services->table.debug_string = DebugStringToHost;
    services->table.create_instance = CreateInstanceForModule;
    *static_cast<const iishost_services_t **>(slot) = &services->table;
}

#else

// Windows: the module calls advapi32, kernel32 and ole32, and its imports are diverted here.
static void EventFromModule(void *owner, const char *source, WORD type, WORD category, DWORD eventId, WORD numStrings,
                            const char *const *strings, DWORD dataSize)
{
    LogEvent(static_cast<const ModuleServices *>(owner), source, type, category, eventId, numStrings, strings,
             dataSize);
}

static void DebugStringFromModule(void *owner, const char *text)
{
    LogDebugString(static_cast<const ModuleServices *>(owner), text);
}

// The admin manager is the host's; every other class is Windows' to create.
static int CreateInstanceFromModule(void *owner, const GUID *clsid, const GUID *iid, void **ppv, HRESULT *hr)
{
    if (*clsid != CLSID_AppHostAdminManager) {
        return 0;
    }
    *hr = CreateInstance(static_cast<const ModuleServices *>(owner), clsid, iid, ppv);
    return 1;
}

extern "C" int iis_module_hook_imports(iis_host *h, const char *module, void *library, char *error, size_t errorLen)
{
    ModuleServices *services = NewModuleServices(h, module);
    services->sink = iishost_import_sink{services, EventFromModule, DebugStringFromModule, CreateInstanceFromModule};
    return iishost_hook_imports(static_cast<HMODULE>(library), &services->sink, error, errorLen);
}

#endif
