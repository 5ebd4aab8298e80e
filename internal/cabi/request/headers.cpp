#include "headers.h"

#include <strings.h>

#include <vector>

namespace iishost {

#define IIS_NAME(s) iis_bytes{s, sizeof(s) - 1}

const iis_bytes kRequestHeaderNames[HttpHeaderRequestMaximum] = {
    IIS_NAME("Cache-Control"), IIS_NAME("Connection"), IIS_NAME("Date"), IIS_NAME("Keep-Alive"),
    IIS_NAME("Pragma"), IIS_NAME("Trailer"), IIS_NAME("Transfer-Encoding"), IIS_NAME("Upgrade"),
    IIS_NAME("Via"), IIS_NAME("Warning"), IIS_NAME("Allow"), IIS_NAME("Content-Length"),
    IIS_NAME("Content-Type"), IIS_NAME("Content-Encoding"), IIS_NAME("Content-Language"),
    IIS_NAME("Content-Location"), IIS_NAME("Content-MD5"), IIS_NAME("Content-Range"), IIS_NAME("Expires"),
    IIS_NAME("Last-Modified"), IIS_NAME("Accept"), IIS_NAME("Accept-Charset"), IIS_NAME("Accept-Encoding"),
    IIS_NAME("Accept-Language"), IIS_NAME("Authorization"), IIS_NAME("Cookie"), IIS_NAME("Expect"),
    IIS_NAME("From"), IIS_NAME("Host"), IIS_NAME("If-Match"), IIS_NAME("If-Modified-Since"),
    IIS_NAME("If-None-Match"), IIS_NAME("If-Range"), IIS_NAME("If-Unmodified-Since"),
    IIS_NAME("Max-Forwards"), IIS_NAME("Proxy-Authorization"), IIS_NAME("Referer"), IIS_NAME("Range"),
    IIS_NAME("TE"), IIS_NAME("Translate"), IIS_NAME("User-Agent"),
};

const iis_bytes kResponseHeaderNames[HttpHeaderResponseMaximum] = {
    IIS_NAME("Cache-Control"), IIS_NAME("Connection"), IIS_NAME("Date"), IIS_NAME("Keep-Alive"),
    IIS_NAME("Pragma"), IIS_NAME("Trailer"), IIS_NAME("Transfer-Encoding"), IIS_NAME("Upgrade"),
    IIS_NAME("Via"), IIS_NAME("Warning"), IIS_NAME("Allow"), IIS_NAME("Content-Length"),
    IIS_NAME("Content-Type"), IIS_NAME("Content-Encoding"), IIS_NAME("Content-Language"),
    IIS_NAME("Content-Location"), IIS_NAME("Content-MD5"), IIS_NAME("Content-Range"), IIS_NAME("Expires"),
    IIS_NAME("Last-Modified"), IIS_NAME("Accept-Ranges"), IIS_NAME("Age"), IIS_NAME("ETag"),
    IIS_NAME("Location"), IIS_NAME("Proxy-Authenticate"), IIS_NAME("Retry-After"), IIS_NAME("Server"),
    IIS_NAME("Set-Cookie"), IIS_NAME("Vary"), IIS_NAME("WWW-Authenticate"),
};

// kToken marks the RFC 9110 token characters, the only ones allowed in a header name.
static const struct TokenTable {
    bool allowed[256] = {};
    TokenTable()
    {
        for (int c = 33; c < 127; c++) {
            allowed[c] = !strchr("\"(),/:;<=>?@[\\]{}", c);
        }
    }
} kToken;

bool ValidHeaderName(const char *name, size_t len)
{
    if (!name || len == 0) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!kToken.allowed[static_cast<unsigned char>(name[i])]) {
            return false;
        }
    }
    return true;
}

bool ValidHeaderValue(const char *value, size_t len)
{
    if (!value && len) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (value[i] == '\r' || value[i] == '\n' || value[i] == 0) {
            return false;
        }
    }
    return true;
}

void HeaderStore::Bind(HTTP_KNOWN_HEADER *known, int knownCount, const iis_bytes *names, USHORT *unknownCount,
                       PHTTP_UNKNOWN_HEADER *unknown)
{
    known_ = known;
    knownCount_ = knownCount;
    names_ = names;
    unknownCount_ = unknownCount;
    unknown_ = unknown;
}

void HeaderStore::Reset()
{
    // The owner zeroes the raw structure; only the bookkeeping lives here.
    unknownCapacity_ = 0;
    present_ = 0;
    rawExposed_ = false;
    arena_ = nullptr;
    index_ = nullptr;
    indexMask_ = 0;
    indexedArray_ = nullptr;
    indexedCount_ = 0;
}

// NameIndex groups the known names by length, so a lookup compares against one or two names.
struct NameIndex {
    static const size_t kMaxLength = 24;
    std::vector<int> byLength[kMaxLength];
    NameIndex(const iis_bytes *names, int count)
    {
        for (int i = 0; i < count; i++) {
            byLength[names[i].len].push_back(i);
        }
    }
};

static const NameIndex kRequestIndex(kRequestHeaderNames, HttpHeaderRequestMaximum);
static const NameIndex kResponseIndex(kResponseHeaderNames, HttpHeaderResponseMaximum);

int HeaderStore::IdOf(const char *name, size_t len) const
{
    if (knownCount_ == 0 || len >= NameIndex::kMaxLength) {
        return -1; // a store of unknown names only, such as trailers
    }
    const NameIndex &index = names_ == kRequestHeaderNames ? kRequestIndex : kResponseIndex;
    for (int i : index.byLength[len]) {
        if (EqualFold(names_[i].data, name, len)) {
            return i;
        }
    }
    return -1;
}

// Below this many unknown headers a scan is cheaper than keeping an index.
static const USHORT kIndexFrom = 16;

static uint32_t FoldHash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 16777619u;
    }
    return h;
}

bool HeaderStore::IndexCurrent() const
{
    // A module holding the raw structure may rename entries in place, so no index is trusted then.
    return index_ && !rawExposed_ && indexedArray_ == *unknown_ && indexedCount_ == *unknownCount_;
}

void HeaderStore::IndexAdd(Arena *arena, USHORT position) const
{
    if ((uint32_t(indexedCount_) + 1) * 2 > indexMask_ + 1) {
        IndexRebuild(arena); // also covers position
        return;
    }
    const HTTP_UNKNOWN_HEADER &h = (*unknown_)[position];
    uint32_t i = FoldHash(h.pName, h.NameLength) & indexMask_;
    while (index_[i]) {
        i = (i + 1) & indexMask_;
    }
    index_[i] = static_cast<USHORT>(position + 1);
    indexedCount_++;
}

void HeaderStore::IndexRebuild(Arena *arena) const
{
    index_ = nullptr;
    USHORT count = *unknownCount_;
    if (!arena || rawExposed_ || count < kIndexFrom) {
        return;
    }
    uint32_t capacity = 64;
    while (capacity < uint32_t(count) * 4) {
        capacity *= 2;
    }
    auto *table = static_cast<USHORT *>(arena->Allocate(capacity * sizeof(USHORT)));
    if (!table) {
        return; // lookups fall back to scanning
    }
    memset(table, 0, capacity * sizeof(USHORT));
    index_ = table;
    indexMask_ = capacity - 1;
    indexedArray_ = *unknown_;
    indexedCount_ = 0;
    for (USHORT i = 0; i < count; i++) {
        IndexAdd(arena, i);
    }
}

int HeaderStore::FindUnknown(const char *name, size_t len) const
{
    if (*unknownCount_ >= kIndexFrom && !IndexCurrent()) {
        IndexRebuild(arena_);
    }
    if (IndexCurrent()) {
        for (uint32_t i = FoldHash(name, len) & indexMask_; index_[i]; i = (i + 1) & indexMask_) {
            const HTTP_UNKNOWN_HEADER &h = (*unknown_)[index_[i] - 1];
            if (h.NameLength == len && EqualFold(h.pName, name, len)) {
                return index_[i] - 1;
            }
        }
        return -1;
    }
    for (USHORT i = 0; i < *unknownCount_; i++) {
        const HTTP_UNKNOWN_HEADER &h = (*unknown_)[i];
        if (h.NameLength == len && EqualFold(h.pName, name, len)) {
            return i;
        }
    }
    return -1;
}

PCSTR HeaderStore::Get(int id, USHORT *len) const
{
    if (id < 0 || id >= knownCount_ || !known_[id].pRawValue) {
        if (len) {
            *len = 0;
        }
        return nullptr;
    }
    if (len) {
        *len = known_[id].RawValueLength;
    }
    return known_[id].pRawValue;
}

PCSTR HeaderStore::Get(const char *name, USHORT *len) const
{
    if (len) {
        *len = 0;
    }
    if (!name) {
        return nullptr;
    }
    size_t n = strlen(name);
    int id = IdOf(name, n);
    if (id >= 0) {
        return Get(id, len);
    }
    int u = FindUnknown(name, n);
    if (u < 0) {
        return nullptr;
    }
    if (len) {
        *len = (*unknown_)[u].RawValueLength;
    }
    return (*unknown_)[u].pRawValue;
}

HRESULT HeaderStore::Store(Arena &arena, PCSTR *slot, USHORT *slotLen, const char *value, size_t len, bool replace)
{
    if (!replace && *slot) {
        // IIS joins a second value onto the first, as HTTP lists do.
        size_t total = *slotLen + 2 + len;
        if (total > 0xFFFF) {
            return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
        }
        char *p = static_cast<char *>(arena.Allocate(total + 1));
        if (!p) {
            return E_OUTOFMEMORY;
        }
        memcpy(p, *slot, *slotLen);
        memcpy(p + *slotLen, ", ", 2);
        memcpy(p + *slotLen + 2, value ? value : "", len); // a NULL value of length 0 appends nothing
        p[total] = 0;
        *slot = p;
        *slotLen = static_cast<USHORT>(total);
        return S_OK;
    }
    char *p = arena.CopyString(value ? value : "", len);
    if (!p) {
        return E_OUTOFMEMORY;
    }
    *slot = p;
    *slotLen = static_cast<USHORT>(len);
    return S_OK;
}

HRESULT HeaderStore::Set(Arena &arena, int id, const char *value, size_t len, bool replace)
{
    if (id < 0 || id >= knownCount_ || !ValidHeaderValue(value, len) || len > 0xFFFF) {
        return E_INVALIDARG;
    }
    present_ |= 1ull << id;
    return Store(arena, &known_[id].pRawValue, &known_[id].RawValueLength, value, len, replace);
}

HRESULT HeaderStore::Set(Arena &arena, const char *name, size_t nameLen, const char *value, size_t len, bool replace)
{
    if (!ValidHeaderName(name, nameLen) || nameLen > 0xFFFF || !ValidHeaderValue(value, len) || len > 0xFFFF) {
        return E_INVALIDARG;
    }
    return SetValidated(arena, name, nameLen, value, len, replace);
}

HRESULT HeaderStore::SetValidated(Arena &arena, const char *name, size_t nameLen, const char *value, size_t len, bool replace)
{
    if (nameLen > 0xFFFF || len > 0xFFFF) {
        return E_INVALIDARG;
    }
    arena_ = &arena;
    int id = IdOf(name, nameLen);
    if (id >= 0) {
        present_ |= 1ull << id;
        return Store(arena, &known_[id].pRawValue, &known_[id].RawValueLength, value, len, replace);
    }
    int u = FindUnknown(name, nameLen);
    if (u >= 0) {
        HTTP_UNKNOWN_HEADER &h = (*unknown_)[u];
        return Store(arena, &h.pRawValue, &h.RawValueLength, value, len, replace);
    }
    if (*unknownCount_ == unknownCapacity_) {
        if (unknownCapacity_ == 0xFFFF) {
            return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
        }
        USHORT capacity = unknownCapacity_ ? static_cast<USHORT>(unknownCapacity_ * 2 > 0xFFFF ? 0xFFFF : unknownCapacity_ * 2) : 16;
        auto *grown = static_cast<PHTTP_UNKNOWN_HEADER>(arena.Allocate(sizeof(HTTP_UNKNOWN_HEADER) * capacity));
        if (!grown) {
            return E_OUTOFMEMORY;
        }
        if (*unknownCount_) {
            memcpy(grown, *unknown_, sizeof(HTTP_UNKNOWN_HEADER) * *unknownCount_);
        }
        if (IndexCurrent()) {
            indexedArray_ = grown; // same entries, same positions
        }
        *unknown_ = grown;
        unknownCapacity_ = capacity;
    }
    HTTP_UNKNOWN_HEADER &h = (*unknown_)[*unknownCount_];
    h.pName = arena.CopyString(name, nameLen);
    h.NameLength = static_cast<USHORT>(nameLen);
    h.pRawValue = nullptr;
    h.RawValueLength = 0;
    if (!h.pName) {
        return E_OUTOFMEMORY;
    }
    HRESULT hr = Store(arena, &h.pRawValue, &h.RawValueLength, value, len, true);
    if (SUCCEEDED(hr)) {
        bool indexed = IndexCurrent();
        (*unknownCount_)++;
        if (indexed) {
            IndexAdd(&arena, static_cast<USHORT>(*unknownCount_ - 1));
        }
    }
    return hr;
}

HRESULT HeaderStore::Delete(int id)
{
    if (id < 0 || id >= knownCount_) {
        return E_INVALIDARG;
    }
    known_[id].pRawValue = nullptr;
    known_[id].RawValueLength = 0;
    return S_OK;
}

HRESULT HeaderStore::Delete(const char *name, size_t len)
{
    if (!name || len == 0) {
        return E_INVALIDARG;
    }
    int id = IdOf(name, len);
    if (id >= 0) {
        return Delete(id);
    }
    int u = FindUnknown(name, len);
    if (u >= 0) {
        memmove(&(*unknown_)[u], &(*unknown_)[u + 1], sizeof(HTTP_UNKNOWN_HEADER) * (*unknownCount_ - u - 1));
        (*unknownCount_)--;
        index_ = nullptr; // positions moved; the next lookup rebuilds it

    }
    // Deleting a header that is not there is not an error in IIS.
    return S_OK;
}

void HeaderStore::Clear()
{
    if (rawExposed_ && knownCount_) {
        memset(known_, 0, sizeof(HTTP_KNOWN_HEADER) * knownCount_);
    } else {
        for (uint64_t bits = present_; bits; bits &= bits - 1) {
            int i = __builtin_ctzll(bits);
            known_[i].pRawValue = nullptr;
            known_[i].RawValueLength = 0;
        }
    }
    present_ = 0;
    *unknownCount_ = 0;
    index_ = nullptr;
}

} // namespace iishost
