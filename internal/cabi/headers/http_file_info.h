// IHttpFileInfo over the site's files, and the per-host file cache behind
// IHttpServer::GetFileInfo and IHttpContext::GetFileInfo (http_file_info.cpp).
#pragma once

#include <atomic>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include <httpcach.h>

#include "forward.h"
#include "host_files.h"
#include "host_instance.h"
#include "providers.h"

namespace iishost {

// Files up to this size are read into memory and offered by GetFileBuffer, as IIS's file cache
// keeps only small files in memory; larger ones are read through their handle.
const uint64_t kFileBufferLimit = 256 * 1024;

// Scavenger rounds an unused cache entry survives (ResetTTL restarts the count on every use).
const int kFileCacheTTL = 2;

// The key of one file in the cache: the file cache's name (FILE_CACHE_NAME) and the path.
class HostFileKey final : public IFileKey {
public:
    std::string path;
    std::wstring widePath;
    DWORD hash = 0;
    DWORD GetHash() const override { return hash; }
    bool GetIsEqual(IHttpCacheKey *other) const override;
    // Another key of the file cache whose path starts with this one's (a folder and its files).
    bool GetIsPrefix(IHttpCacheKey *other) const override;
    // Enumeration belongs to CACHE_OPERATION_ENUM, which this cache does not offer.
    void Enum(IHttpCacheSpecificData *) override {}
    PCWSTR GetPath() const override { return widePath.c_str(); }
};

// Whether a cache key is the file cache's (FILE_CACHE_NAME).
bool IsFileKey(IHttpCacheKey *key);

// What stat says of a file, to tell whether it changed.
struct FileStamp {
    uint64_t volume = 0, index = 0, size = 0;
    int64_t mtimeNs = 0;
    explicit FileStamp(const FileFacts &f = FileFacts()) : volume(f.volume), index(f.index), size(f.size), mtimeNs(f.mtimeNs) {}
    bool operator==(const FileStamp &o) const
    {
        return volume == o.volume && index == o.index && size == o.size && mtimeNs == o.mtimeNs;
    }
};

// One opened file (or folder): reference counted, freed when the count reaches zero.
class HostFileInfo final : public IHttpFileInfoStub {
public:
    // Opens a file by absolute path; a folder has attributes but no handle or buffer.
    static HRESULT Open(const std::string &path, HostFileInfo **out);
    HostFileInfo() = default; // Open builds real ones; DereferenceCacheData frees them
    ~HostFileInfo();

    IHttpCacheKey *GetCacheKey() const override { return const_cast<HostFileKey *>(&key_); }
    void ReferenceCacheData() override { refs_.fetch_add(1); }
    void DereferenceCacheData() override;
    void ResetTTL() override { ttl_ = kFileCacheTTL; }
    void DecrementTTL(BOOL *expired) override;
    void SetFlushed() override { flushed_ = true; }
    BOOL GetFlushed() const override { return flushed_ ? TRUE : FALSE; }
    DWORD GetAttributes() const override { return attributes_; }
    void GetSize(ULARGE_INTEGER *size) const override;
    const BYTE *GetFileBuffer() const override { return buffer_.empty() ? nullptr : buffer_.data(); }
    HANDLE GetFileHandle() const override { return file_ == kNoFile ? INVALID_HANDLE_VALUE : ModuleHandleOf(file_); }
    PCWSTR GetFilePath() const override { return key_.widePath.c_str(); }
    PCSTR GetETag(USHORT *length) const override;
    void GetLastModifiedTime(FILETIME *time) const override;
    PCSTR GetLastModifiedString() const override { return lastModified_.c_str(); }
    // There is no kernel-mode (HTTP.sys) cache here, so no file is allowed into it.
    BOOL GetHttpCacheAllowed(DWORD *secondsToLive) const override;
    BOOL CheckIfFileHasChanged(HANDLE token) override;

    const std::string &Path() const { return key_.path; }
    const FileStamp &Stamp() const { return stamp_; }
    int References() const { return refs_.load(); }

private:
    HostFileKey key_;
    std::atomic<int> refs_{1};
    std::atomic<int> ttl_{kFileCacheTTL};
    std::atomic<bool> flushed_{false};
    FileStamp stamp_;
    DWORD attributes_ = 0;
    uint64_t size_ = 0;
    HostFile file_ = kNoFile;
    std::vector<BYTE> buffer_;
    std::string etag_, lastModified_;
    FILETIME modified_ = {0, 0};
};

// ICacheProvider of one GL_CACHE_OPERATION.
class CacheProvider final : public Provider<ICacheProviderStub> {
public:
    CACHE_OPERATION operation = CACHE_OPERATION_RETRIEVE;
    IHttpCacheKey *key = nullptr;
    IHttpCacheSpecificData *record = nullptr;
    CACHE_OPERATION GetCacheOperation() const override { return operation; }
    IHttpCacheKey *GetCacheKey() const override { return key; }
    IHttpCacheSpecificData *GetCacheRecord() const override { return record; }
    // SetCacheRecord stays a stub: a record offered by a module would have to be one of this
    // host's file infos to be served, and nothing can tell that from a foreign pointer.
};

// The host's file cache: entries by path, checked against stat on every use.
class FileCache {
public:
    explicit FileCache(HostInstance *host) : host_(host) {}
    ~FileCache();
    // A referenced file info for path; from the cache when `cache` (adding it on a miss).
    HRESULT Get(const std::string &path, bool cache, HostFileInfo **out);
    // A cached entry for path, referenced, or null; stale entries are dropped.
    HostFileInfo *Find(const std::string &path);
    // Drops one path (DELETE) or every path under a prefix (FLUSH_PREFIX); returns how many.
    size_t Remove(const std::string &path, bool prefix);
    // One scavenger round: drops flushed, changed and expired unused entries.
    void Scavenge();

private:
    void Drop(HostFileInfo *info, CACHE_OPERATION op);
    HostInstance *host_;
    std::mutex mu_;
    std::unordered_map<std::string, HostFileInfo *> entries_;
};

// Raises GL_CACHE_OPERATION to subscribed global modules.
void RaiseCacheOperation(HostInstance *host, CACHE_OPERATION op, IHttpCacheKey *key, IHttpCacheSpecificData *record);

} // namespace iishost
