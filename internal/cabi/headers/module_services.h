// The services table one module holds (module_services.cpp).
#pragma once

#include <memory>
#include <string>

#include "admin.h"
#include "bridge.h"
#ifdef _WIN32
#include "import_hooks.h"
#endif

namespace iishost {

// ModuleServices is the services table one module holds (module_services.cpp), with who it belongs to.
struct ModuleServices {
#ifdef _WIN32
    iishost_import_sink sink; // for the module's import hooks; its owner is this record
#else
    iishost_services_t table; // first, so the module's pointer is the whole record's
#endif
    uintptr_t goHost;
    // CoCreateInstance's configuration: held here, since a module may outlive its host.
    std::shared_ptr<AdminConfig> admin;
    std::string module;
};

} // namespace iishost
