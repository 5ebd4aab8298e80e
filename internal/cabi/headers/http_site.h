// IHttpSite and the site record: its applications, virtual directories and URL scopes
// (http_site.cpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "forward.h"
#include "http_application.h"
#include "http_perf_counters.h"
#include "metadata_info.h"
#include "script_map_info.h"

namespace iishost {

class HostSite : public IHttpSiteStub {
public:
    SiteRecord *site = nullptr;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    DWORD GetSiteId() const override;
    PCWSTR GetSiteName() const override;
    IHttpPerfCounterInfo *GetPerfCounterInfo() override;
};

// A <virtualDirectory>: a site URL path and the folder it maps to.
struct VirtualDirectory {
    std::string url;          // site-relative, no trailing '/'; "" for the site root
    std::string physicalPath; // no trailing '/'
    HostApplication *application = nullptr;
};

// One <site>: its objects, applications, virtual directories and URL scopes. Made at startup,
// immutable while serving (its containers and tables lock themselves).
struct SiteRecord {
    explicit SiteRecord(HostInstance *host);
    HostInstance *host;
    uint32_t index = 0; // in HostInstance::sites
    std::string name;
    std::wstring wideName;
    std::wstring wideMetaPath; // MACHINE/WEBROOT/APPHOST/<name>
    DWORD id = 1;
    HostSite object;
    std::unique_ptr<SharedContextContainer> contexts; // live until the modules terminate
    HostPerfCounters counters;
    UrlInfoTable urls;
    std::vector<std::unique_ptr<HostApplication>> applications; // longest URL first
    std::vector<VirtualDirectory> directories;                  // longest URL first
    std::vector<std::unique_ptr<UrlScope>> scopes;              // longest prefix first
    HostApplication *root = nullptr;                            // the "/" application
};

// The site with this configuration id or name (case-insensitively); null when none has it.
SiteRecord *FindSite(const HostInstance *host, DWORD id, PCWSTR name);

// The application, and the virtual directory, a site URL path lies in (longest prefix).
HostApplication *ApplicationFor(const SiteRecord *site, const char *path, size_t len);

const VirtualDirectory *DirectoryFor(const SiteRecord *site, const char *path, size_t len);

// Whether path is prefix or under it, case-insensitively, at a segment boundary.
bool UnderPrefix(const char *path, size_t len, const std::string &prefix);

} // namespace iishost
