// The fragment cache: named byte strings a module stores with IHttpServer::AddFragmentToCache
// and sends with HttpDataChunkFromFragmentCache(Ex) chunks, as HTTP.sys's fragment cache serves
// them under IIS. It lives as long as the host and is shared by its requests.
#include <string.h>

#include <mutex>
#include <string>
#include <unordered_map>

#include "forward.h"
#include "headers.h"
#include "host_files.h"
#include "host_instance.h"
#include "http_response.h"
#include "http_server.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

// Fragments larger than this are refused: they live in memory for the host's lifetime.
static const uint64_t kMaxFragment = 64ull << 20;

struct FragmentCache {
    std::mutex lock;
    std::unordered_map<std::wstring, std::shared_ptr<const std::string>> entries;
};

static FragmentCache &Fragments(HostInstance *host)
{
    // One per host, made on first use and kept with it.
    std::call_once(host->fragmentsOnce, [host] { host->fragments = std::make_shared<FragmentCache>(); });
    return *host->fragments;
}

static std::shared_ptr<const std::string> Find(HostInstance *host, const std::wstring &name)
{
    FragmentCache &cache = Fragments(host);
    std::lock_guard<std::mutex> guard(cache.lock);
    auto it = cache.entries.find(name);
    return it == cache.entries.end() ? nullptr : it->second;
}

// ChunkBytes reads what a memory or file-handle chunk holds.
static HRESULT ChunkBytes(const HTTP_DATA_CHUNK &c, std::string *out)
{
    switch (EnumValue(c.DataChunkType)) {
    case HttpDataChunkFromMemory:
        if (!c.FromMemory.pBuffer && c.FromMemory.BufferLength) {
            return E_INVALIDARG;
        }
        out->assign(static_cast<const char *>(c.FromMemory.pBuffer), c.FromMemory.BufferLength);
        return S_OK;
    case HttpDataChunkFromFileHandle: {
        HostFile file = FileOfModuleHandle(c.FromFileHandle.FileHandle);
        if (file == kNoFile) {
            return HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE);
        }
        uint64_t offset = c.FromFileHandle.ByteRange.StartingOffset.QuadPart;
        uint64_t length = c.FromFileHandle.ByteRange.Length.QuadPart;
        char buf[65536];
        out->clear();
        while (length == HTTP_BYTE_RANGE_TO_EOF || out->size() < length) {
            size_t want = sizeof(buf);
            if (length != HTTP_BYTE_RANGE_TO_EOF && length - out->size() < want) {
                want = static_cast<size_t>(length - out->size());
            }
            size_t n = 0;
            HRESULT hr = ReadFileAt(file, buf, want, offset + out->size(), &n);
            if (FAILED(hr)) {
                return hr;
            }
            if (n == 0) {
                break;
            }
            out->append(buf, n);
            if (out->size() > kMaxFragment) {
                return HRESULT_FROM_WIN32(ERROR_NOT_ENOUGH_MEMORY);
            }
        }
        if (length != HTTP_BYTE_RANGE_TO_EOF && out->size() < length) {
            return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF); // the range must lie within the file
        }
        return S_OK;
    }
    default:
        return E_INVALIDARG; // a fragment is made of bytes: memory or a file range
    }
}

HRESULT HostServer::AddFragmentToCache(HTTP_DATA_CHUNK *chunk, PCWSTR name)
{
    if (!chunk || !name || !*name) {
        return E_INVALIDARG;
    }
    std::string bytes;
    HRESULT hr = ChunkBytes(*chunk, &bytes);
    if (FAILED(hr)) {
        return hr;
    }
    if (bytes.size() > kMaxFragment) {
        return HRESULT_FROM_WIN32(ERROR_NOT_ENOUGH_MEMORY);
    }
    FragmentCache &cache = Fragments(host);
    std::lock_guard<std::mutex> guard(cache.lock);
    cache.entries[name] = std::make_shared<const std::string>(std::move(bytes)); // replaces an older one
    return S_OK;
}

HRESULT HostServer::ReadFragmentFromCache(PCWSTR name, BYTE *buffer, DWORD size, DWORD *copied)
{
    if (!name || !copied || (!buffer && size)) {
        return E_INVALIDARG;
    }
    *copied = 0;
    std::shared_ptr<const std::string> bytes = Find(host, name);
    if (!bytes) {
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    if (bytes->size() > size) {
        *copied = static_cast<DWORD>(bytes->size()); // what it takes
        return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
    }
    if (!bytes->empty()) {
        memcpy(buffer, bytes->data(), bytes->size()); // an empty fragment may be read into no buffer
    }
    *copied = static_cast<DWORD>(bytes->size());
    return S_OK;
}

HRESULT HostServer::RemoveFragmentFromCache(PCWSTR name)
{
    if (!name) {
        return E_INVALIDARG;
    }
    FragmentCache &cache = Fragments(host);
    std::lock_guard<std::mutex> guard(cache.lock);
    return cache.entries.erase(name) ? S_OK : HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
}

// Pointers below the first page Linux ever maps are not names: a chunk of another type
// relabelled, most likely. Refused before they are read.
static bool Plausible(const void *p) { return reinterpret_cast<uintptr_t>(p) >= 0x10000; }

HRESULT FragmentChunk(RequestState *st, const HTTP_DATA_CHUNK &c, iis_bytes *out)
{
    std::wstring name;
    uint64_t offset = 0, length = HTTP_BYTE_RANGE_TO_EOF;
    if (EnumValue(c.DataChunkType) == HttpDataChunkFromFragmentCache) {
        if (!Plausible(c.FromFragmentCache.pFragmentName)) {
            return E_INVALIDARG;
        }
        size_t chars = c.FromFragmentCache.FragmentNameLength / sizeof(WCHAR);
        name.assign(c.FromFragmentCache.pFragmentName, chars ? chars : wcslen(c.FromFragmentCache.pFragmentName));
    } else {
        if (!Plausible(c.FromFragmentCacheEx.pFragmentName)) {
            return E_INVALIDARG;
        }
        name = c.FromFragmentCacheEx.pFragmentName;
        offset = c.FromFragmentCacheEx.ByteRange.StartingOffset.QuadPart;
        length = c.FromFragmentCacheEx.ByteRange.Length.QuadPart;
    }
    std::shared_ptr<const std::string> bytes = Find(st->host, name);
    if (!bytes) {
        return HRESULT_FROM_WIN32(ERROR_NOT_FOUND);
    }
    if (offset > bytes->size()) {
        return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
    }
    if (length == HTTP_BYTE_RANGE_TO_EOF) {
        length = bytes->size() - offset;
    } else if (length > bytes->size() - offset) {
        return HRESULT_FROM_WIN32(ERROR_HANDLE_EOF);
    }
    // Copied: the fragment may be replaced or removed before this response goes out.
    char *copy = st->arena.CopyString(bytes->data() + offset, static_cast<size_t>(length));
    if (!copy && length) {
        return E_OUTOFMEMORY;
    }
    *out = iis_bytes{copy ? copy : "", static_cast<uint32_t>(length)};
    return S_OK;
}

} // namespace iishost
