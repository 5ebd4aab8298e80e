// IHttpApplication and the application's configuration metadata (http_application.cpp,
// metadata_info.cpp).
#pragma once

#include <memory>
#include <string>

#include "forward.h"

namespace iishost {

// An application's configuration metadata (metadata_info.cpp).
class HostMetadata : public IMetadataInfoStub {
public:
    HostApplication *app = nullptr;
    std::unique_ptr<SharedContextContainer> contexts; // the configuration path's module contexts
    PCWSTR GetMetaPath() const override;
    PCWSTR GetVrPath() const override;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
};

// One <application> of a site; its module contexts live until the modules terminate.
class HostApplication : public IHttpApplication2Stub {
public:
    SiteRecord *site = nullptr;
    std::string url;          // "" for the site's root application, else "/app"
    std::string physicalPath; // its root virtual directory's folder
    std::wstring widePhysicalPath, wideAppId, wideConfigPath;
    std::unique_ptr<SharedContextContainer> contexts;
    HostMetadata metadata;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    PCWSTR GetApplicationPhysicalPath() const override;
    PCWSTR GetApplicationId() const override;
    PCWSTR GetAppConfigPath() const override;
};

} // namespace iishost
