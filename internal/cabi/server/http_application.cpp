// IHttpApplication (IHttpApplication2): one <application> of a site.
#include "forward.h"
#include "http_application.h"
#include "module_context_containers.h"

namespace iishost {

PCWSTR HostApplication::GetApplicationPhysicalPath() const { return widePhysicalPath.c_str(); }

PCWSTR HostApplication::GetApplicationId() const { return wideAppId.c_str(); }

// The application's configuration path, as IIS names it: MACHINE/WEBROOT/APPHOST/<site>[/app].
PCWSTR HostApplication::GetAppConfigPath() const { return wideConfigPath.c_str(); }

IHttpModuleContextContainer *HostApplication::GetModuleContextContainer() { return contexts.get(); }

} // namespace iishost
