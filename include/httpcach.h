/*
 * httpcach.h - the cache keys of IIS's built-in global caches. A module that
 * handles GL_CACHE_OPERATION / GL_CACHE_CLEANUP gets an IHttpCacheKey* and
 * may downcast it when GetCacheName() returns one of the names below.
 *
 * These classes are not in api/interfaces.tsv. Methods and signatures are
 * from the IIS docs (ifilekey-*, iurikey-*, ihttptokenkey-* pages). The docs
 * list methods alphabetically, so the declaration order (hence the vtable
 * slots) and the IIDs come from a public copy of the SDK header found by
 * code search. Its methods and signatures match the docs; the order and the
 * IIDs are unverified against an official SDK. Slots 0-4 are
 * IHttpCacheKey's; each class overrides GetCacheName (slot 1) and adds its
 * own methods from slot 5.
 */
#ifndef IISHOST_HTTPCACH_H
#define IISHOST_HTTPCACH_H

#include <httpserv.h>

/* Values of IHttpCacheKey::GetCacheName that identify the key's class. */
#define URI_CACHE_NAME L"URI"
#define FILE_CACHE_NAME L"FILE"
#define TOKEN_CACHE_NAME L"TOKEN"

#ifdef __cplusplus

/* Key of the URI cache (slots 5-9). */
class IUriKey : public IHttpCacheKey
{
public:
    PCWSTR STDMETHODCALLTYPE GetCacheName(VOID) const { return URI_CACHE_NAME; }

    /* URL of the cached entry, e.g. L"/default.htm". */
    virtual PCWSTR STDMETHODCALLTYPE GetUrl(VOID) const = 0;
    virtual PCWSTR STDMETHODCALLTYPE GetSiteName(VOID) const = 0;
    virtual DWORD STDMETHODCALLTYPE GetSiteId(VOID) const = 0;
    /* Counts hits so the cache can tell frequently requested URIs. */
    virtual VOID STDMETHODCALLTYPE UpdateFrequentlyHitTickCount(DWORD dwTicks) = 0;
    /* Configuration path the entry was resolved under. */
    virtual PCWSTR STDMETHODCALLTYPE GetConfigPath(VOID) const = 0;
};

/* Key of the file cache (slot 5). */
class IFileKey : public IHttpCacheKey
{
public:
    PCWSTR STDMETHODCALLTYPE GetCacheName(VOID) const { return FILE_CACHE_NAME; }

    /* Absolute physical path of the file. */
    virtual PCWSTR STDMETHODCALLTYPE GetPath(VOID) const = 0;
};

/* Key of the token (logged-on user) cache (slots 5-7). */
class IHttpTokenKey : public IHttpCacheKey
{
public:
    PCWSTR STDMETHODCALLTYPE GetCacheName(VOID) const { return TOKEN_CACHE_NAME; }

    virtual PCWSTR STDMETHODCALLTYPE GetUserName(VOID) const = 0;
    /* One-way hash of the password, as a string. */
    virtual PCWSTR STDMETHODCALLTYPE GetPasswordHash(VOID) const = 0;
    /* The LOGON32_LOGON_* value the user logged on with. */
    virtual DWORD STDMETHODCALLTYPE GetLogonMethod(VOID) const = 0;
};

#else /* C: opaque; reach the IHttpCacheKey part through a cast. */

typedef struct IUriKey IUriKey;
typedef struct IFileKey IFileKey;
typedef struct IHttpTokenKey IHttpTokenKey;

#endif /* __cplusplus */

/* IIDs (not in api/guids.tsv; see the top of this file). */
DEFINE_GUID(IID_IUriKey,
    0xF1BC4F8C, 0x6BF8, 0x42C0, 0xB7, 0x45, 0x4F, 0xBE, 0x1A, 0x67, 0xE5, 0xA7);
DEFINE_GUID(IID_IFileKey,
    0x7377F6A4, 0x266C, 0x4043, 0xB6, 0x2A, 0x9E, 0xA9, 0x55, 0xA5, 0xE9, 0x7A);
DEFINE_GUID(IID_IHttpTokenKey,
    0x1D3DC8CB, 0xFC52, 0x42BC, 0x97, 0xE1, 0x1B, 0xF0, 0x21, 0x36, 0xE8, 0xBA);

#ifdef __cplusplus
template <> struct IisUuidOf<IUriKey> { static const GUID &Get() { return IID_IUriKey; } };
template <> struct IisUuidOf<IFileKey> { static const GUID &Get() { return IID_IFileKey; } };
template <> struct IisUuidOf<IHttpTokenKey> { static const GUID &Get() { return IID_IHttpTokenKey; } };
#endif

#endif /* IISHOST_HTTPCACH_H */
