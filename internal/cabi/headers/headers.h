// Header storage for requests and responses. The raw HTTP_REQUEST/HTTP_RESPONSE structures are
// the only copy, so GetRawHttpRequest and GetHeader always agree, as they do in IIS.
#pragma once

#include <httpserv.h> // brings windows.h, after winsock2.h on Windows

#include <string.h>

#include "arena.h"
#include "bridge.h"

namespace iishost {

// Known-header names, indexed by HTTP_HEADER_ID. Ids from 20 on differ between the two.
extern const iis_bytes kRequestHeaderNames[HttpHeaderRequestMaximum];
extern const iis_bytes kResponseHeaderNames[HttpHeaderResponseMaximum];

// EnumValue reads an enum a module passed as the integer it is: modules may pass values
// outside the enumerators, and loading those as the enum type is undefined behaviour.
template <class E> inline int EnumValue(const E &e)
{
    int v;
    static_assert(sizeof(E) == sizeof(int), "IIS enums are int-sized");
    memcpy(&v, &e, sizeof(v));
    return v;
}

template <class E> inline bool InRange(const E &e, int limit)
{
    int v = EnumValue(e);
    return v >= 0 && v < limit;
}

// True when a header name is a token and a value has no CR, LF or NUL (docs/design.md §7).
bool ValidHeaderName(const char *name, size_t len);
bool ValidHeaderValue(const char *value, size_t len);

// HeaderStore edits one known-header array plus its unknown-header list in place.
class HeaderStore {
public:
    void Bind(HTTP_KNOWN_HEADER *known, int knownCount, const iis_bytes *names, USHORT *unknownCount,
              PHTTP_UNKNOWN_HEADER *unknown);
    void Reset(); // after the owner zeroed the raw structure: forget the list's arena capacity

    // Known-header id for a name, or -1.
    int IdOf(const char *name, size_t len) const;
    PCSTR Get(int id, USHORT *len) const;
    PCSTR Get(const char *name, USHORT *len) const;
    HRESULT Set(Arena &arena, int id, const char *value, size_t len, bool replace);
    HRESULT Set(Arena &arena, const char *name, size_t nameLen, const char *value, size_t len, bool replace);
    // Set for bytes net/http has already validated: the request as it arrived.
    HRESULT SetValidated(Arena &arena, const char *name, size_t nameLen, const char *value, size_t len, bool replace);
    HRESULT Delete(int id);
    HRESULT Delete(const char *name, size_t len);
    void Clear();

    // Modules that hold the raw structure may edit known headers behind the store's back; from
    // then on every walk looks at all of them instead of trusting the present-bits.
    void ExposeRaw() { rawExposed_ = true; }

    // Calls fn(name, value) for every header present, known ones first.
    template <class Fn> void ForEach(Fn fn) const
    {
        uint64_t bits = rawExposed_ ? (knownCount_ == 64 ? ~0ull : (1ull << knownCount_) - 1) : present_;
        for (; bits; bits &= bits - 1) {
            int i = __builtin_ctzll(bits);
            if (known_[i].pRawValue) {
                fn(names_[i], iis_bytes{known_[i].pRawValue, known_[i].RawValueLength});
            }
        }
        for (USHORT i = 0; i < *unknownCount_; i++) {
            const HTTP_UNKNOWN_HEADER &h = (*unknown_)[i];
            fn(iis_bytes{h.pName, h.NameLength}, iis_bytes{h.pRawValue, h.RawValueLength});
        }
    }

private:
    int FindUnknown(const char *name, size_t len) const;
    // The unknown-name index keeps lookups O(1), so storing n headers costs O(n), not O(n^2).
    bool IndexCurrent() const;
    void IndexAdd(Arena *arena, USHORT position) const;
    void IndexRebuild(Arena *arena) const;
    static HRESULT Store(Arena &arena, PCSTR *slot, USHORT *slotLen, const char *value, size_t len, bool replace);

    HTTP_KNOWN_HEADER *known_ = nullptr;
    int knownCount_ = 0;
    const iis_bytes *names_ = nullptr;
    USHORT *unknownCount_ = nullptr;
    PHTTP_UNKNOWN_HEADER *unknown_ = nullptr;
    USHORT unknownCapacity_ = 0;
    uint64_t present_ = 0; // bit i: known header i was stored through this class
    bool rawExposed_ = false;
    Arena *arena_ = nullptr; // where the index lives; set by the first Set

    // Open-addressed table of unknown-header positions + 1 (0 is empty), valid for the array and
    // count it was built for. Mutable: a lookup may rebuild it.
    mutable USHORT *index_ = nullptr;
    mutable uint32_t indexMask_ = 0; // capacity - 1; capacity is a power of two
    mutable PHTTP_UNKNOWN_HEADER indexedArray_ = nullptr;
    mutable USHORT indexedCount_ = 0;
};

// EqualFold compares ASCII letters case-insensitively and everything else exactly, which is
// what header names need, without the locale work strncasecmp does.
inline bool EqualFold(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char x = a[i] >= 'A' && a[i] <= 'Z' ? char(a[i] + 32) : a[i];
        char y = b[i] >= 'A' && b[i] <= 'Z' ? char(b[i] + 32) : b[i];
        if (x != y) {
            return false;
        }
    }
    return true;
}

} // namespace iishost
