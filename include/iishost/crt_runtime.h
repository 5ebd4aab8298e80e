/*
 * iishost/crt_runtime.h - MSVC CRT functions outside the string family:
 * aligned allocation (_aligned_malloc, _aligned_realloc, _aligned_free),
 * environment copies (_dupenv_s, _wdupenv_s) and the checked time
 * conversions (localtime_s, gmtime_s, their _*64_s names, asctime_s,
 * ctime_s).
 *
 * localtime_s and gmtime_s take MSVC's argument order, the struct first:
 * localtime_s(&tm, &t). C11's Annex K spells them the other way round;
 * glibc has neither, so Windows sources get the order they were written
 * for. Errors follow the CRT documentation without the invalid-parameter
 * handler, as in crt_secure.h: the error code is returned and errno set.
 */
#ifndef IISHOST_CRT_RUNTIME_H
#define IISHOST_CRT_RUNTIME_H

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crt_secure.h"
#include "formatmessage.h"

/* Strict ISO C hides these POSIX functions; declared with their glibc prototypes (see kernel32.h). */
#if !defined(__cplusplus) && defined(__GLIBC__)
#ifndef __USE_XOPEN2K
extern int posix_memalign(void **, size_t, size_t);
#endif
#ifndef __USE_POSIX
extern struct tm *gmtime_r(const time_t *__restrict, struct tm *__restrict);
#endif
#endif

/* ---- aligned allocation ------------------------------------------------------- */

/* Memory at a multiple of alignment, a power of two; freed with _aligned_free only. */
static __inline__ void *_aligned_malloc(size_t size, size_t alignment)
{
    void *p = NULL;
    int err;
    if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
        errno = EINVAL;
        return NULL;
    }
    /* posix_memalign wants at least pointer alignment; a stricter one serves any smaller. */
    if (alignment < sizeof(void *))
        alignment = sizeof(void *);
    err = posix_memalign(&p, alignment, size != 0 ? size : 1);
    if (err != 0) {
        errno = err;
        return NULL;
    }
    return p;
}

static __inline__ void _aligned_free(void *memblock)
{
    free(memblock);
}

/* Moves the block to a new size at the same alignment, keeping its contents; a NULL block
 * allocates and a zero size frees (returning NULL), as the CRT does. */
static __inline__ void *_aligned_realloc(void *memblock, size_t size, size_t alignment)
{
    void *p;
    size_t keep;
    if (memblock == NULL)
        return _aligned_malloc(size, alignment);
    if (size == 0) {
        _aligned_free(memblock);
        return NULL;
    }
    p = _aligned_malloc(size, alignment);
    if (p == NULL)
        return NULL;
    /* malloc_usable_size is at least the old size and lies inside the old block. */
    keep = malloc_usable_size(memblock);
    memcpy(p, memblock, keep < size ? keep : size);
    _aligned_free(memblock);
    return p;
}

/* ---- environment copies ------------------------------------------------------- */

/*
 * A malloc'd copy of an environment variable in *buffer and its size in characters with the
 * terminator in *numberOfElements; a variable that is not set gives NULL and 0 and succeeds.
 * Names are case-sensitive on Linux.
 */
static __inline__ errno_t _dupenv_s(char **buffer, size_t *numberOfElements, const char *varname)
{
    const char *value;
    size_t n;
    if (buffer == NULL || varname == NULL)
        return iishost_crt_fail(EINVAL);
    *buffer = NULL;
    if (numberOfElements != NULL)
        *numberOfElements = 0;
    value = getenv(varname);
    if (value == NULL)
        return 0;
    n = strlen(value) + 1;
    *buffer = (char *)malloc(n);
    if (*buffer == NULL)
        return iishost_crt_fail(ENOMEM);
    memcpy(*buffer, value, n);
    if (numberOfElements != NULL)
        *numberOfElements = n;
    return 0;
}

/* The wide form: the name and value pass through UTF-8, as in GetEnvironmentVariableW. */
static __inline__ errno_t _wdupenv_s(wchar_t **buffer, size_t *numberOfElements, const wchar_t *varname)
{
    char *name;
    const char *value;
    if (buffer == NULL || varname == NULL)
        return iishost_crt_fail(EINVAL);
    *buffer = NULL;
    if (numberOfElements != NULL)
        *numberOfElements = 0;
    name = iishost_wide_to_utf8(varname);
    if (name == NULL)
        return iishost_crt_fail(EINVAL);
    value = getenv(name);
    free(name);
    if (value == NULL)
        return 0;
    *buffer = iishost_widen(value, -1);
    if (*buffer == NULL)
        return iishost_crt_fail(ENOMEM);
    if (numberOfElements != NULL)
        *numberOfElements = wcslen(*buffer) + 1;
    return 0;
}

/* ---- time conversions ---------------------------------------------------------- */

/* MSVC's 64-bit time type is time_t here. glibc declares its own __time64_t only where time_t
 * is 32-bit, which iishost does not support. */
#if !defined(__time64_t) && (!defined(__GLIBC__) || (defined(__TIMESIZE) && __TIMESIZE == 64))
typedef time_t __time64_t;
#endif
/* The CRT's last valid time: 3000-12-31 23:59:59 UTC. */
#define _MAX__TIME64_T 0x793406fffLL

/* Shared checks: a NULL or out-of-range time fails with the CRT's nine fields set to -1. */
static __inline__ errno_t iishost_time_s(struct tm *tmDest, const time_t *sourceTime, int local)
{
    if (tmDest == NULL)
        return iishost_crt_fail(EINVAL);
    if (sourceTime == NULL || *sourceTime < 0 || (long long)*sourceTime > _MAX__TIME64_T ||
        (local ? localtime_r(sourceTime, tmDest) : gmtime_r(sourceTime, tmDest)) == NULL) {
        memset(tmDest, 0, sizeof *tmDest);
        tmDest->tm_sec = tmDest->tm_min = tmDest->tm_hour = tmDest->tm_mday = tmDest->tm_mon = -1;
        tmDest->tm_year = tmDest->tm_wday = tmDest->tm_yday = tmDest->tm_isdst = -1;
        return iishost_crt_fail(EINVAL);
    }
    return 0;
}

/* *sourceTime as local time (TZ or /etc/localtime) into *tmDest. */
static __inline__ errno_t localtime_s(struct tm *tmDest, const time_t *sourceTime)
{
    return iishost_time_s(tmDest, sourceTime, 1);
}
/* *sourceTime as UTC into *tmDest. */
static __inline__ errno_t gmtime_s(struct tm *tmDest, const time_t *sourceTime)
{
    return iishost_time_s(tmDest, sourceTime, 0);
}
static __inline__ errno_t _localtime64_s(struct tm *tmDest, const __time64_t *sourceTime)
{
    return iishost_time_s(tmDest, sourceTime, 1);
}
static __inline__ errno_t _gmtime64_s(struct tm *tmDest, const __time64_t *sourceTime)
{
    return iishost_time_s(tmDest, sourceTime, 0);
}

/*
 * "Wed Jan 02 02:03:55 1980\n" into buffer (26 characters with the terminator); fields out of
 * their ranges, or a buffer under 26, fail with EINVAL and an empty buffer.
 */
static __inline__ errno_t asctime_s(char *buffer, size_t numberOfElements, const struct tm *tmSource)
{
    static const char days[] = "SunMonTueWedThuFriSat", months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    if (buffer == NULL || numberOfElements == 0)
        return iishost_crt_fail(EINVAL);
    buffer[0] = 0;
    if (numberOfElements < 26 || tmSource == NULL || tmSource->tm_sec < 0 || tmSource->tm_sec > 59 ||
        tmSource->tm_min < 0 || tmSource->tm_min > 59 || tmSource->tm_hour < 0 || tmSource->tm_hour > 23 ||
        tmSource->tm_mday < 1 || tmSource->tm_mday > 31 || tmSource->tm_mon < 0 || tmSource->tm_mon > 11 ||
        tmSource->tm_year < 0 || tmSource->tm_year > 8099 || tmSource->tm_wday < 0 || tmSource->tm_wday > 6)
        return iishost_crt_fail(EINVAL);
    snprintf(buffer, numberOfElements, "%.3s %.3s %02d %02d:%02d:%02d %d\n", days + 3 * tmSource->tm_wday,
             months + 3 * tmSource->tm_mon, tmSource->tm_mday, tmSource->tm_hour, tmSource->tm_min,
             tmSource->tm_sec, tmSource->tm_year + 1900);
    return 0;
}

/* asctime_s of localtime_s. */
static __inline__ errno_t ctime_s(char *buffer, size_t numberOfElements, const time_t *sourceTime)
{
    struct tm tm;
    errno_t err;
    if (buffer == NULL || numberOfElements == 0)
        return iishost_crt_fail(EINVAL);
    buffer[0] = 0;
    if (numberOfElements < 26)
        return iishost_crt_fail(EINVAL);
    err = localtime_s(&tm, sourceTime);
    return err != 0 ? err : asctime_s(buffer, numberOfElements, &tm);
}
static __inline__ errno_t _ctime64_s(char *buffer, size_t numberOfElements, const __time64_t *sourceTime)
{
    return ctime_s(buffer, numberOfElements, sourceTime);
}

#endif /* IISHOST_CRT_RUNTIME_H */
