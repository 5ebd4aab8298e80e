// IReferencedMetadataInfo and IHttpUrlInfo (metadata_info.cpp).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "forward.h"

namespace iishost {

// One reference-counted reference from IHttpServer2::GetMetadata; freed at its last release.
class ReferencedMetadata final : public IReferencedMetadataInfoStub {
public:
    HostMetadata *metadata = nullptr;
    std::atomic<int> refs{1};
    PCWSTR GetMetaPath() const override;
    PCWSTR GetVrPath() const override;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    void ReferenceMetadata() override;
    void DereferenceMetadata() override;
};

// What the host remembers about one URL (IHttpContext::GetUrlInfo).
class UrlInfo : public IHttpUrlInfoStub {
public:
    explicit UrlInfo(HostInstance *host = nullptr);
    ~UrlInfo();
    std::unique_ptr<SharedContextContainer> contexts; // cleaned up when the URL is forgotten
    int64_t windowStart = 0;         // guarded by the table's lock
    uint32_t hits = 0;
    std::atomic<bool> frequent{false};
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    BOOL IsFrequentlyHit() const override;
};

// The URLs requests asked about, bounded; entries live while a request holds them.
class UrlInfoTable {
public:
    std::shared_ptr<UrlInfo> Hit(HostInstance *host, const std::string &url);
    void Clear();

private:
    void Trim(int64_t now);
    std::mutex lock_;
    std::unordered_map<std::string, std::shared_ptr<UrlInfo>> entries_;
};

} // namespace iishost
