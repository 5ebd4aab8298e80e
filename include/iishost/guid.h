/*
 * iishost/guid.h - GUID, IID and CLSID, their reference types, comparison,
 * and DEFINE_GUID.
 */
#ifndef IISHOST_GUID_H
#define IISHOST_GUID_H

#include <string.h>

#include "wintypes.h"

typedef struct _GUID {
    uint32_t Data1;
    uint16_t Data2;
    uint16_t Data3;
    uint8_t Data4[8];
} GUID, *PGUID, *LPGUID;
typedef const GUID *LPCGUID;
typedef GUID IID, *LPIID;
typedef GUID CLSID, *LPCLSID;
typedef GUID FMTID, *LPFMTID;

/* By reference in C++, by pointer in C: the SDK's spelling, and the ABI of both. */
#ifdef __cplusplus
#define REFGUID const GUID &
#define REFIID const IID &
#define REFCLSID const CLSID &
#define REFFMTID const FMTID &
#else
#define REFGUID const GUID *
#define REFIID const IID *
#define REFCLSID const CLSID *
#define REFFMTID const FMTID *
#endif

#ifdef __cplusplus
extern "C++" {
inline int IsEqualGUID(REFGUID a, REFGUID b)
{
    return memcmp(&a, &b, sizeof(GUID)) == 0;
}
inline int InlineIsEqualGUID(REFGUID a, REFGUID b)
{
    return memcmp(&a, &b, sizeof(GUID)) == 0;
}
inline bool operator==(REFGUID a, REFGUID b)
{
    return IsEqualGUID(a, b) != 0;
}
inline bool operator!=(REFGUID a, REFGUID b)
{
    return !(a == b);
}
}
#else
#define IsEqualGUID(a, b) (memcmp((a), (b), sizeof(GUID)) == 0)
#define InlineIsEqualGUID(a, b) IsEqualGUID(a, b)
#endif
#define IsEqualIID(a, b) IsEqualGUID(a, b)
#define IsEqualCLSID(a, b) IsEqualGUID(a, b)
#define IsEqualFMTID(a, b) IsEqualGUID(a, b)

/*
 * DEFINE_GUID always defines the GUID here, with or without INITGUID.
 *
 * On Windows it only declares `extern const GUID` unless INITGUID is set,
 * and the definition comes from one translation unit or from a library
 * such as uuid.lib. A module here links no library of ours, so a GUID that
 * no translation unit of the module defines would be an undefined symbol
 * that makes the module fail to load. Instead every use defines it:
 *  - weak, so the copies in several translation units (and the one a
 *    `#define INITGUID` unit would make) merge into one, as MSVC's
 *    selectany does;
 *  - hidden, so the name never leaves the module: two modules, or a module
 *    and the host, that define the same GUID keep their own copies instead
 *    of one silently replacing the other when the library is loaded.
 * External C linkage keeps `extern const GUID X;` declarations elsewhere in
 * the module valid. INITGUID is accepted and changes nothing.
 */
#ifdef __cplusplus
#define IISHOST_GUID_LINKAGE extern "C"
#else
#define IISHOST_GUID_LINKAGE
#endif
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    IISHOST_GUID_LINKAGE const GUID name __attribute__((weak, visibility("hidden"))) = \
        { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#define EXTERN_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8)
/* COM's own GUIDs end in C0 00 00 00 00 00 00 46. */
#define DEFINE_OLEGUID(name, l, w1, w2) \
    DEFINE_GUID(name, l, w1, w2, 0xC0, 0, 0, 0, 0, 0, 0, 0x46)

#endif /* IISHOST_GUID_H */
