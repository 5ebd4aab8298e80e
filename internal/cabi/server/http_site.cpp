// IHttpSite, and the lookups that place a request in a site: its application and virtual directory.
#include "forward.h"
#include "host_instance.h"
#include "http_application.h"
#include "http_site.h"
#include "module_context_containers.h"
#include "wide_strings.h"

namespace iishost {

SiteRecord::SiteRecord(HostInstance *owner) : host(owner), contexts(new SharedContextContainer())
{
    object.site = this;
    contexts->host = host;
}

DWORD HostSite::GetSiteId() const { return site->id; }

PCWSTR HostSite::GetSiteName() const { return site->wideName.c_str(); }

bool UnderPrefix(const char *path, size_t len, const std::string &prefix)
{
    return len >= prefix.size() && strncasecmp(path, prefix.data(), prefix.size()) == 0 &&
           (len == prefix.size() || path[prefix.size()] == '/');
}

SiteRecord *FindSite(const HostInstance *host, DWORD id, PCWSTR name)
{
    for (const std::unique_ptr<SiteRecord> &s : host->sites) {
        if ((id && s->id == id) || (!id && name && WideEqualFold(name, s->wideName.c_str()))) {
            return s.get();
        }
    }
    return nullptr;
}

HostApplication *ApplicationFor(const SiteRecord *site, const char *path, size_t len)
{
    for (const std::unique_ptr<HostApplication> &a : site->applications) {
        if (UnderPrefix(path, len, a->url)) {
            return a.get();
        }
    }
    return site->root;
}

const VirtualDirectory *DirectoryFor(const SiteRecord *site, const char *path, size_t len)
{
    for (const VirtualDirectory &d : site->directories) {
        if (UnderPrefix(path, len, d.url)) {
            return &d;
        }
    }
    return nullptr;
}

IHttpPerfCounterInfo *HostSite::GetPerfCounterInfo() { return &site->counters; }

IHttpModuleContextContainer *HostSite::GetModuleContextContainer() { return site->contexts.get(); }

} // namespace iishost
