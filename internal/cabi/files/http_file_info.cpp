// IHttpFileInfo, the per-host file cache, GL_CACHE_OPERATION and GL_CACHE_CLEANUP.
//
// The cache maps absolute paths to opened files. Every use stats the file: an entry whose
// device, inode, size or modification time changed is flushed (SetFlushed, then
// CACHE_OPERATION_DELETE) and opened again. The scavenger (iis_cache_cleanup, on the host's
// timer and at shutdown) also drops entries unused for kFileCacheTTL rounds, then raises
// GL_CACHE_CLEANUP. GL_CACHE_OPERATION is raised outside the cache lock, so a global module
// may use the cache from its handler.
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <functional>

#include "bridge.h"
#include "forward.h"
#include "host_instance.h"
#include "http_file_info.h"
#include "module_guard.h"
#include "module_registration.h"
#include "request_state.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

namespace {

// RFC 1123 date in GMT, with the English names HTTP requires whatever the locale.
std::string HttpDate(time_t t)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[40];
    snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
             tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

} // namespace

bool IsFileKey(IHttpCacheKey *key)
{
    PCWSTR name = key ? key->GetCacheName() : nullptr;
    return name && wcscmp(name, FILE_CACHE_NAME) == 0;
}

// ---------------------------------------------------------------- key

bool HostFileKey::GetIsEqual(IHttpCacheKey *other) const
{
    return IsFileKey(other) && wcscmp(static_cast<IFileKey *>(other)->GetPath(), widePath.c_str()) == 0;
}

bool HostFileKey::GetIsPrefix(IHttpCacheKey *other) const
{
    return IsFileKey(other) && wcsncmp(static_cast<IFileKey *>(other)->GetPath(), widePath.c_str(), widePath.size()) == 0;
}

// ---------------------------------------------------------------- file info

HRESULT HostFileInfo::Open(const std::string &path, HostFileInfo **out)
{
    *out = nullptr;
    FileFacts st;
    HostFile file = kNoFile;
    HRESULT hr = StatPath(path, &st);
    if (FAILED(hr)) {
        return hr;
    }
    if (!st.directory) {
        hr = OpenFileForReading(path, &file, &st); // describes the file opened
        if (FAILED(hr)) {
            return hr;
        }
    }
    auto *info = new (std::nothrow) HostFileInfo();
    if (!info) {
        CloseFile(file);
        return E_OUTOFMEMORY;
    }
    info->file_ = file;
    info->key_.path = path;
    info->key_.widePath = WidenString(path);
    info->key_.hash = static_cast<DWORD>(std::hash<std::string>()(path));
    info->stamp_ = FileStamp(st);
    info->attributes_ = st.attributes;
    info->size_ = st.directory ? 0 : st.size;
    uint64_t ticks = static_cast<uint64_t>(info->stamp_.mtimeNs / 100) + 116444736000000000ULL; // 1601 epoch
    info->modified_.dwLowDateTime = static_cast<DWORD>(ticks);
    info->modified_.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
    char etag[48];
    snprintf(etag, sizeof(etag), "\"%llx:%llx\"", static_cast<unsigned long long>(ticks),
             static_cast<unsigned long long>(info->size_));
    info->etag_ = etag;
    info->lastModified_ = HttpDate(static_cast<time_t>(st.mtimeNs / 1000000000));
    if (file != kNoFile && info->size_ > 0 && info->size_ <= kFileBufferLimit) {
        info->buffer_.resize(info->size_);
        size_t n = 0;
        if (FAILED(ReadFileAt(file, info->buffer_.data(), info->size_, 0, &n)) || n != info->size_) {
            info->buffer_.clear(); // changed under us: no buffer, the handle still serves it
        }
    }
    *out = info;
    return S_OK;
}

HostFileInfo::~HostFileInfo()
{
    CloseFile(file_);
}

void HostFileInfo::DereferenceCacheData()
{
    if (refs_.fetch_sub(1) == 1) {
        delete this;
    }
}

void HostFileInfo::DecrementTTL(BOOL *expired)
{
    int left = ttl_.fetch_sub(1) - 1;
    if (expired) {
        *expired = left <= 0 ? TRUE : FALSE;
    }
}

void HostFileInfo::GetSize(ULARGE_INTEGER *size) const
{
    if (size) {
        size->QuadPart = size_;
    }
}

PCSTR HostFileInfo::GetETag(USHORT *length) const
{
    if (length) {
        *length = static_cast<USHORT>(etag_.size());
    }
    return etag_.c_str();
}

void HostFileInfo::GetLastModifiedTime(FILETIME *time) const
{
    if (time) {
        *time = modified_;
    }
}

BOOL HostFileInfo::GetHttpCacheAllowed(DWORD *secondsToLive) const
{
    if (secondsToLive) {
        *secondsToLive = 0;
    }
    return FALSE;
}

BOOL HostFileInfo::CheckIfFileHasChanged(HANDLE token)
{
    (void)token; // no Windows tokens: every caller sees the same file
    FileFacts st;
    return FAILED(StatPath(key_.path, &st)) || !(FileStamp(st) == stamp_) ? TRUE : FALSE;
}

// ---------------------------------------------------------------- cache

FileCache::~FileCache()
{
    for (auto &e : entries_) {
        e.second->SetFlushed();
        e.second->DereferenceCacheData();
    }
}

HostFileInfo *FileCache::Find(const std::string &path)
{
    HostFileInfo *stale = nullptr, *found = nullptr;
    FileFacts st;
    bool exists = SUCCEEDED(StatPath(path, &st));
    {
        std::lock_guard<std::mutex> guard(mu_);
        auto it = entries_.find(path);
        if (it != entries_.end()) {
            if (exists && FileStamp(st) == it->second->Stamp() && !it->second->GetFlushed()) {
                found = it->second;
                found->ReferenceCacheData();
                found->ResetTTL();
            } else {
                stale = it->second;
                entries_.erase(it);
            }
        }
    }
    if (stale) {
        Drop(stale, CACHE_OPERATION_DELETE);
    }
    if (found) {
        RaiseCacheOperation(host_, CACHE_OPERATION_RETRIEVE, found->GetCacheKey(), found);
    }
    return found;
}

HRESULT FileCache::Get(const std::string &path, bool cache, HostFileInfo **out)
{
    if (cache && (*out = Find(path))) {
        return S_OK;
    }
    HRESULT hr = HostFileInfo::Open(path, out);
    if (FAILED(hr) || !cache) {
        return hr;
    }
    HostFileInfo *info = *out, *replaced = nullptr;
    {
        std::lock_guard<std::mutex> guard(mu_);
        HostFileInfo *&slot = entries_[path];
        replaced = slot; // another request added it meanwhile: the newer open wins
        slot = info;
        info->ReferenceCacheData(); // the cache's own reference
    }
    if (replaced) {
        Drop(replaced, CACHE_OPERATION_DELETE);
    }
    RaiseCacheOperation(host_, CACHE_OPERATION_ADD, info->GetCacheKey(), info);
    return S_OK;
}

size_t FileCache::Remove(const std::string &path, bool prefix)
{
    std::vector<HostFileInfo *> removed;
    {
        std::lock_guard<std::mutex> guard(mu_);
        for (auto it = entries_.begin(); it != entries_.end();) {
            if (prefix ? it->first.compare(0, path.size(), path) == 0 : it->first == path) {
                removed.push_back(it->second);
                it = entries_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (HostFileInfo *info : removed) {
        Drop(info, prefix ? CACHE_OPERATION_FLUSH_PREFIX : CACHE_OPERATION_DELETE);
    }
    return removed.size();
}

void FileCache::Scavenge()
{
    std::vector<HostFileInfo *> removed;
    {
        std::lock_guard<std::mutex> guard(mu_);
        for (auto it = entries_.begin(); it != entries_.end();) {
            HostFileInfo *info = it->second;
            BOOL expired = FALSE;
            info->DecrementTTL(&expired);
            // Entries a module still holds stay while they are current; unused ones expire.
            if (info->GetFlushed() || info->CheckIfFileHasChanged(nullptr) || (expired && info->References() == 1)) {
                removed.push_back(info);
                it = entries_.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (HostFileInfo *info : removed) {
        Drop(info, CACHE_OPERATION_DELETE);
    }
}

// Drop tells subscribers an entry left the cache, marks it flushed for whoever still holds it,
// and releases the cache's reference.
void FileCache::Drop(HostFileInfo *info, CACHE_OPERATION op)
{
    info->SetFlushed();
    RaiseCacheOperation(host_, op, info->GetCacheKey(), info);
    info->DereferenceCacheData();
}

void RaiseCacheOperation(HostInstance *host, CACHE_OPERATION op, IHttpCacheKey *key, IHttpCacheSpecificData *record)
{
    int bit = __builtin_ctz(GL_CACHE_OPERATION);
    if (host->plan[IIS_LIST_GLOBAL + bit].empty()) {
        return;
    }
    CacheProvider provider;
    provider.operation = op;
    provider.key = key;
    provider.record = record;
    for (int32_t index : host->plan[IIS_LIST_GLOBAL + bit]) {
        ModuleEntry *m = host->modules[index];
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        try {
            status = ModuleCall([&] { return m->global->OnGlobalCacheOperation(&provider); });
        } catch (...) {
            Log(host, 3, m->name, "exception escaped OnGlobalCacheOperation");
        }
        if (status == GL_NOTIFICATION_HANDLED) {
            return;
        }
    }
}

// ---------------------------------------------------------------- API entry points

} // namespace iishost

extern "C" {

// iis_cache_cleanup runs one scavenger round over the file cache, then raises GL_CACHE_CLEANUP.
void iis_cache_cleanup(iis_host *h)
{
    auto *host = reinterpret_cast<iishost::HostInstance *>(h);
    try {
        host->fileCache->Scavenge();
    } catch (...) {
        iishost::Log(host, 3, "", "host error while scavenging the file cache");
    }
    iis_global_notify(h, GL_CACHE_CLEANUP);
}

// iis_request_cache_file reads the file a fallback serves through the file cache, as IIS's
// static file handler does, so GL_CACHE_OPERATION subscribers see the add and the later hits.
// The request keeps the entry as IHttpContext::GetFileInfo's unless a module already asked.
void iis_request_cache_file(iis_request *req, const char *path, size_t len)
{
    auto *st = reinterpret_cast<iishost::RequestState *>(req);
    iishost::HostFileInfo *info = nullptr;
    try {
        if (FAILED(st->host->fileCache->Get(std::string(path, len), true, &info))) {
            return;
        }
    } catch (...) {
        iishost::Log(st->host, 3, "", "host error while caching a static file");
        return;
    }
    if (!st->out.fileInfo) {
        st->out.fileInfo = info; // released when the request ends
    } else {
        info->DereferenceCacheData();
    }
}

} // extern "C"
