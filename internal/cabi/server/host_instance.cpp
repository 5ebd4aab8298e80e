// HostInstance: one configured server, made by iis_host_new (doors_host.cpp).
#include "admin.h"
#include "forward.h"
#include "host_instance.h"
#include "http_file_info.h"
#include "module_context_containers.h"
#include "module_registration.h"

namespace iishost {

HostInstance::HostInstance()
    : admin(std::make_shared<AdminConfig>()), adminManager(NewAdminManager(admin)), fileCache(new FileCache(this))
{
    server.host = this;
    serverTrace.host = this;
}

HostInstance::~HostInstance()
{
    delete fileCache;
    sites.clear();
    adminManager->Release();
    for (ModuleEntry *m : modules) {
        delete m;
    }
}

} // namespace iishost
