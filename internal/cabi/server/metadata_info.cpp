// IMetadataInfo and IReferencedMetadataInfo, the configuration metadata IHttpContext::GetMetadata
// and IHttpServer2::GetMetadata hand out, and IHttpUrlInfo (IHttpContext::GetUrlInfo).
//
// A URL's metadata is its application's: the configuration path MACHINE/WEBROOT/APPHOST/<site>
// [/app], the application's folder, and one module context container for that path.
// GetVrToken stays unimplemented: there is no Windows token for a virtual directory.
#include <chrono>
#include <string.h>
#include <wctype.h>

#include "forward.h"
#include "host_instance.h"
#include "http_application.h"
#include "metadata_info.h"
#include "module_context_containers.h"

namespace iishost {

PCWSTR HostMetadata::GetMetaPath() const { return app->wideConfigPath.c_str(); }
PCWSTR HostMetadata::GetVrPath() const { return app->widePhysicalPath.c_str(); }
IHttpModuleContextContainer *HostMetadata::GetModuleContextContainer() { return contexts.get(); }

PCWSTR ReferencedMetadata::GetMetaPath() const { return metadata->GetMetaPath(); }
PCWSTR ReferencedMetadata::GetVrPath() const { return metadata->GetVrPath(); }
IHttpModuleContextContainer *ReferencedMetadata::GetModuleContextContainer() { return metadata->GetModuleContextContainer(); }
void ReferencedMetadata::ReferenceMetadata() { refs.fetch_add(1, std::memory_order_relaxed); }

void ReferencedMetadata::DereferenceMetadata()
{
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        delete this;
    }
}

// ---------------------------------------------------------------- URL info

// IIS's defaults for serverRuntime's frequentHitThreshold and frequentHitTimePeriod.
static const uint32_t kFrequentHitThreshold = 2;
static const int64_t kFrequentHitPeriodMs = 10000;
// How many URLs the table remembers; beyond it, entries no request holds are dropped.
static const size_t kUrlTableLimit = 4096;

static int64_t NowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

UrlInfo::UrlInfo(HostInstance *host) : contexts(new SharedContextContainer())
{
    contexts->host = host;
}
UrlInfo::~UrlInfo() { contexts->Cleanup(); }
IHttpModuleContextContainer *UrlInfo::GetModuleContextContainer() { return contexts.get(); }
BOOL UrlInfo::IsFrequentlyHit() const { return frequent.load(std::memory_order_relaxed) ? TRUE : FALSE; }

std::shared_ptr<UrlInfo> UrlInfoTable::Hit(HostInstance *host, const std::string &url)
{
    int64_t now = NowMs();
    std::lock_guard<std::mutex> guard(lock_);
    auto it = entries_.find(url);
    if (it == entries_.end()) {
        if (entries_.size() >= kUrlTableLimit) {
            Trim(now);
        }
        auto e = std::make_shared<UrlInfo>(host);
        e->windowStart = now;
        it = entries_.emplace(url, std::move(e)).first;
    }
    UrlInfo &e = *it->second;
    if (now - e.windowStart > kFrequentHitPeriodMs) {
        e.windowStart = now;
        e.hits = 0;
    }
    e.hits++;
    e.frequent.store(e.hits >= kFrequentHitThreshold, std::memory_order_relaxed);
    return it->second;
}

// Trim drops the URLs no request holds, stale ones first; the caller holds the lock.
void UrlInfoTable::Trim(int64_t now)
{
    for (int pass = 0; pass < 2 && entries_.size() >= kUrlTableLimit; pass++) {
        for (auto it = entries_.begin(); it != entries_.end();) {
            bool stale = now - it->second->windowStart > kFrequentHitPeriodMs;
            if (it->second.use_count() == 1 && (stale || pass == 1)) {
                it = entries_.erase(it);
            } else {
                ++it;
            }
        }
    }
}

void UrlInfoTable::Clear()
{
    std::lock_guard<std::mutex> guard(lock_);
    entries_.clear();
}

} // namespace iishost
