/*
 * iishost/sysinfo.h - the process environment and system information of
 * kernel32 on Linux: Get/SetEnvironmentVariableA/W,
 * ExpandEnvironmentStringsA/W, GetEnvironmentStringsW and its free,
 * GetComputerName(Ex)A/W, Get/SetCurrentDirectoryA/W, GetTempPathA/W and
 * GetSystemInfo/GetNativeSystemInfo.
 *
 * The environment is the process's C environment (getenv/setenv), shared
 * with the host, as a DLL shares its process's environment on Windows.
 * What differs from Windows:
 *  - names are case-sensitive (Path and PATH are two variables);
 *  - setenv is not thread-safe in glibc: do not change variables while
 *    other threads read them (modules usually set them once, at load);
 *  - A strings are UTF-8, counts in bytes;
 *  - GetComputerName gives the host name's first label, upper-cased and cut
 *    to MAX_COMPUTERNAME_LENGTH, as a NetBIOS name is; the DNS forms come
 *    from gethostname (the domain is what follows its first dot);
 *  - GetTempPath reads TMPDIR (else /tmp) and ends with '/'; directories
 *    are Linux paths with '/' ('\\' in a path given is read as '/');
 *  - only the wide environment block exists (GetEnvironmentStringsW): the
 *    ANSI GetEnvironmentStrings is not provided.
 */
#ifndef IISHOST_SYSINFO_H
#define IISHOST_SYSINFO_H

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "wintypes.h"
#include "winerror.h"
#include "msvc_keywords.h"
#include "kernel32.h"
#include "fileapi.h"

/* Strict ISO C hides these POSIX functions; declared with their glibc prototypes (see kernel32.h). */
#if !defined(__cplusplus) && defined(__GLIBC__)
#ifndef __USE_XOPEN2K
extern int setenv(const char *, const char *, int);
extern int unsetenv(const char *);
#endif
#if !defined(__USE_MISC) && !defined(__USE_UNIX98)
extern int gethostname(char *, size_t);
#endif
#endif
#ifdef __cplusplus
extern "C" {
#endif
extern char **environ;
#ifdef __cplusplus
}
#endif

#define MAX_COMPUTERNAME_LENGTH 15

typedef enum _COMPUTER_NAME_FORMAT {
    ComputerNameNetBIOS,
    ComputerNameDnsHostname,
    ComputerNameDnsDomain,
    ComputerNameDnsFullyQualified,
    ComputerNamePhysicalNetBIOS,
    ComputerNamePhysicalDnsHostname,
    ComputerNamePhysicalDnsDomain,
    ComputerNamePhysicalDnsFullyQualified,
    ComputerNameMax
} COMPUTER_NAME_FORMAT;

/* ---- helpers: results in caller buffers ----------------------------------------- */

/*
 * The usual kernel32 contract for a string result of len units: when it fits in size units
 * with its terminator, copy it and return len; otherwise return len + 1, the size needed.
 */
static __inline__ DWORD iishost_copy_out_a(const char *s, size_t len, LPSTR buf, DWORD size)
{
    if (len + 1 > size || buf == NULL)
        return (DWORD)len + 1;
    memcpy(buf, s, len + 1);
    return (DWORD)len;
}
static __inline__ DWORD iishost_copy_out_w(const char *utf8, LPWSTR buf, DWORD size)
{
    int n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, NULL, 0); /* counts the terminator */
    if (n <= 0) {
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return 0;
    }
    if ((DWORD)n > size || buf == NULL)
        return (DWORD)n;
    MultiByteToWideChar(CP_UTF8, 0, utf8, -1, buf, n);
    return (DWORD)n - 1;
}

/* A malloc'd UTF-8 copy of a wide string (no path conversion), or NULL with the last error set. */
static __inline__ char *iishost_narrow(LPCWSTR s)
{
    int n;
    char *out;
    if (s == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    if (*s == 0)
        return (char *)calloc(1, 1);
    n = WideCharToMultiByte(CP_UTF8, 0, s, -1, NULL, 0, NULL, NULL);
    if (n <= 0) {
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return NULL;
    }
    out = (char *)malloc((size_t)n);
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    WideCharToMultiByte(CP_UTF8, 0, s, -1, out, n, NULL, NULL);
    return out;
}

/* ---- environment variables --------------------------------------------------------- */

/* A name Windows accepts: not empty and no '=' (except a leading one, which Linux cannot hold). */
static __inline__ int iishost_env_name_ok(const char *name)
{
    return name != NULL && *name != 0 && strchr(name, '=') == NULL;
}

/*
 * Returns the value's length without the terminator when it fits in nSize characters with it,
 * else the size needed including it. A missing variable returns 0 with ERROR_ENVVAR_NOT_FOUND;
 * an empty one returns 0 with ERROR_SUCCESS.
 */
static __inline__ DWORD GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize)
{
    const char *v = iishost_env_name_ok(lpName) ? getenv(lpName) : NULL;
    if (v == NULL) {
        SetLastError(ERROR_ENVVAR_NOT_FOUND);
        return 0;
    }
    if (*v == 0) {
        if (lpBuffer != NULL && nSize > 0)
            lpBuffer[0] = 0;
        SetLastError(ERROR_SUCCESS);
        return 0;
    }
    return iishost_copy_out_a(v, strlen(v), lpBuffer, nSize);
}

static __inline__ DWORD GetEnvironmentVariableW(LPCWSTR lpName, LPWSTR lpBuffer, DWORD nSize)
{
    char *name = iishost_narrow(lpName);
    const char *v = name != NULL && iishost_env_name_ok(name) ? getenv(name) : NULL;
    free(name);
    if (v == NULL) {
        SetLastError(ERROR_ENVVAR_NOT_FOUND);
        return 0;
    }
    if (*v == 0) {
        if (lpBuffer != NULL && nSize > 0)
            lpBuffer[0] = 0;
        SetLastError(ERROR_SUCCESS);
        return 0;
    }
    return iishost_copy_out_w(v, lpBuffer, nSize);
}

/* A NULL value deletes the variable (deleting one that is not there succeeds). */
static __inline__ BOOL SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue)
{
    int rc;
    if (!iishost_env_name_ok(lpName)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    rc = lpValue == NULL ? unsetenv(lpName) : setenv(lpName, lpValue, 1);
    if (rc != 0) {
        SetLastError(errno == ENOMEM ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    return TRUE;
}

static __inline__ BOOL SetEnvironmentVariableW(LPCWSTR lpName, LPCWSTR lpValue)
{
    char *name = iishost_narrow(lpName), *value = NULL;
    BOOL ok;
    if (name == NULL || (lpValue != NULL && (value = iishost_narrow(lpValue)) == NULL)) {
        free(name);
        return FALSE;
    }
    ok = SetEnvironmentVariableA(name, value);
    free(name);
    free(value);
    return ok;
}

/*
 * Replaces each %NAME% with the variable's value; a name that is not set (and a lone '%') is left
 * as it is. The result is UTF-8 in a malloc'd string, or NULL when out of memory.
 */
static __inline__ char *iishost_expand_env(const char *src)
{
    size_t len = 0, cap = strlen(src) + 1;
    char *out = (char *)malloc(cap);
    const char *p = src;
    while (out != NULL && *p) {
        const char *piece = p, *v = NULL;
        size_t n = 1;
        if (*p == '%') {
            const char *end = strchr(p + 1, '%');
            if (end != NULL && end > p + 1) {
                char *name = (char *)malloc((size_t)(end - p));
                if (name == NULL) {
                    free(out);
                    return NULL;
                }
                memcpy(name, p + 1, (size_t)(end - p - 1));
                name[end - p - 1] = 0;
                v = iishost_env_name_ok(name) ? getenv(name) : NULL;
                free(name);
                if (v != NULL) {
                    piece = v;
                    n = strlen(v);
                    p = end + 1;
                } else {
                    n = (size_t)(end - p); /* keep "%NAME" and look again from the closing '%' */
                    p = end;
                }
            } else {
                p++;
            }
        } else {
            p++;
        }
        if (len + n + 1 > cap) {
            char *grown;
            while (len + n + 1 > cap)
                cap *= 2;
            grown = (char *)realloc(out, cap);
            if (grown == NULL) {
                free(out);
                return NULL;
            }
            out = grown;
        }
        memcpy(out + len, piece, n);
        len += n;
    }
    if (out != NULL)
        out[len] = 0;
    return out;
}

/*
 * Returns the size of the expanded string in characters including its terminator, whether or
 * not it fitted in nSize (it is written only when it fits); 0 on failure.
 */
static __inline__ DWORD ExpandEnvironmentStringsA(LPCSTR lpSrc, LPSTR lpDst, DWORD nSize)
{
    char *s;
    size_t len;
    if (lpSrc == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    s = iishost_expand_env(lpSrc);
    if (s == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    len = strlen(s);
    if (lpDst != NULL && len + 1 <= nSize)
        memcpy(lpDst, s, len + 1);
    free(s);
    return (DWORD)len + 1;
}

static __inline__ DWORD ExpandEnvironmentStringsW(LPCWSTR lpSrc, LPWSTR lpDst, DWORD nSize)
{
    char *src = iishost_narrow(lpSrc), *s;
    int n;
    if (src == NULL)
        return 0;
    s = iishost_expand_env(src);
    free(src);
    if (s == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return 0;
    }
    n = MultiByteToWideChar(CP_UTF8, 0, s, -1, NULL, 0);
    if (n > 0 && lpDst != NULL && (DWORD)n <= nSize)
        MultiByteToWideChar(CP_UTF8, 0, s, -1, lpDst, n);
    free(s);
    if (n <= 0) {
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return 0;
    }
    return (DWORD)n;
}

/*
 * A copy of the whole environment: "NAME=value\0" strings one after another, ended by an empty
 * string. Free it with FreeEnvironmentStringsW. Entries that are not valid UTF-8 are skipped.
 */
static __inline__ LPWCH GetEnvironmentStringsW(void)
{
    size_t total = 1, at = 0;
    char **e;
    WCHAR *block;
    for (e = environ; e != NULL && *e != NULL; e++) {
        int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, *e, -1, NULL, 0);
        if (n > 1)
            total += (size_t)n;
    }
    block = (WCHAR *)malloc(total * sizeof(WCHAR));
    if (block == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    for (e = environ; e != NULL && *e != NULL; e++) {
        int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, *e, -1, NULL, 0);
        if (n > 1 && at + (size_t)n < total) {
            MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, *e, -1, block + at, n);
            at += (size_t)n;
        }
    }
    block[at] = 0;
    return block;
}

static __inline__ BOOL FreeEnvironmentStringsW(LPWCH penv)
{
    free(penv);
    return TRUE;
}

/* ---- computer names ------------------------------------------------------------------- */

/* The name of the given format, UTF-8, into buf (at least 256 bytes); 0 on success. */
static __inline__ int iishost_computer_name(COMPUTER_NAME_FORMAT format, char *buf, size_t size)
{
    char host[256];
    char *dot;
    if (gethostname(host, sizeof(host)) != 0)
        return -1;
    host[sizeof(host) - 1] = 0;
    dot = strchr(host, '.');
    switch (format) {
    case ComputerNameNetBIOS:
    case ComputerNamePhysicalNetBIOS: {
        size_t i;
        if (dot != NULL)
            *dot = 0;
        for (i = 0; host[i] && i < MAX_COMPUTERNAME_LENGTH && i + 1 < size; i++)
            buf[i] = (char)toupper((unsigned char)host[i]);
        buf[i] = 0;
        return 0;
    }
    case ComputerNameDnsHostname:
    case ComputerNamePhysicalDnsHostname:
        if (dot != NULL)
            *dot = 0;
        break;
    case ComputerNameDnsDomain:
    case ComputerNamePhysicalDnsDomain:
        memmove(host, dot != NULL ? dot + 1 : "", dot != NULL ? strlen(dot + 1) + 1 : 1);
        break;
    case ComputerNameDnsFullyQualified:
    case ComputerNamePhysicalDnsFullyQualified:
        break;
    default:
        return -1;
    }
    strncpy(buf, host, size - 1);
    buf[size - 1] = 0;
    return 0;
}

static __inline__ BOOL iishost_get_computer_name_a(COMPUTER_NAME_FORMAT format, LPSTR lpBuffer, LPDWORD nSize,
                                                    DWORD tooSmall)
{
    char name[256];
    size_t len;
    if (nSize == NULL || (lpBuffer == NULL && *nSize != 0) || iishost_computer_name(format, name, sizeof(name)) != 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    len = strlen(name);
    if (len + 1 > *nSize) {
        *nSize = (DWORD)len + 1;
        SetLastError(tooSmall);
        return FALSE;
    }
    memcpy(lpBuffer, name, len + 1);
    *nSize = (DWORD)len;
    return TRUE;
}

static __inline__ BOOL iishost_get_computer_name_w(COMPUTER_NAME_FORMAT format, LPWSTR lpBuffer, LPDWORD nSize,
                                                    DWORD tooSmall)
{
    char name[256];
    int n;
    if (nSize == NULL || (lpBuffer == NULL && *nSize != 0) || iishost_computer_name(format, name, sizeof(name)) != 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    n = MultiByteToWideChar(CP_UTF8, 0, name, -1, NULL, 0);
    if (n <= 0) {
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return FALSE;
    }
    if ((DWORD)n > *nSize) {
        *nSize = (DWORD)n;
        SetLastError(tooSmall);
        return FALSE;
    }
    MultiByteToWideChar(CP_UTF8, 0, name, -1, lpBuffer, n);
    *nSize = (DWORD)n - 1;
    return TRUE;
}

/* On success *nSize is the length without the terminator; a short buffer fails with
 * ERROR_BUFFER_OVERFLOW and *nSize the size needed, terminator included. */
static __inline__ BOOL GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize)
{
    return iishost_get_computer_name_a(ComputerNameNetBIOS, lpBuffer, nSize, ERROR_BUFFER_OVERFLOW);
}
static __inline__ BOOL GetComputerNameW(LPWSTR lpBuffer, LPDWORD nSize)
{
    return iishost_get_computer_name_w(ComputerNameNetBIOS, lpBuffer, nSize, ERROR_BUFFER_OVERFLOW);
}
/* The same, but a short buffer (or a NULL one to ask the size) fails with ERROR_MORE_DATA. */
static __inline__ BOOL GetComputerNameExA(COMPUTER_NAME_FORMAT NameType, LPSTR lpBuffer, LPDWORD nSize)
{
    return iishost_get_computer_name_a(NameType, lpBuffer, nSize, ERROR_MORE_DATA);
}
static __inline__ BOOL GetComputerNameExW(COMPUTER_NAME_FORMAT NameType, LPWSTR lpBuffer, LPDWORD nSize)
{
    return iishost_get_computer_name_w(NameType, lpBuffer, nSize, ERROR_MORE_DATA);
}

/* ---- current and temporary directories ------------------------------------------------- */

/* A malloc'd current directory, or NULL with the last error set. */
static __inline__ char *iishost_getcwd(void)
{
    size_t size = 256;
    for (;;) {
        char *buf = (char *)malloc(size);
        if (buf == NULL) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        if (getcwd(buf, size) != NULL)
            return buf;
        free(buf);
        if (errno != ERANGE || size > 65536) {
            iishost_fail_errno();
            return NULL;
        }
        size *= 2;
    }
}

/* Returns the length without the terminator, or the size needed with it when nBufferLength is
 * too small (nothing is written then); 0 on failure. */
static __inline__ DWORD GetCurrentDirectoryA(DWORD nBufferLength, LPSTR lpBuffer)
{
    char *cwd = iishost_getcwd();
    DWORD n;
    if (cwd == NULL)
        return 0;
    n = iishost_copy_out_a(cwd, strlen(cwd), lpBuffer, nBufferLength);
    free(cwd);
    return n;
}
static __inline__ DWORD GetCurrentDirectoryW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    char *cwd = iishost_getcwd();
    DWORD n;
    if (cwd == NULL)
        return 0;
    n = iishost_copy_out_w(cwd, lpBuffer, nBufferLength);
    free(cwd);
    return n;
}

/* Changes the process's directory, as on Windows (for the host too). A file is ERROR_DIRECTORY. */
static __inline__ BOOL iishost_chdir(char *path)
{
    int rc;
    if (path == NULL)
        return FALSE;
    rc = chdir(path);
    if (rc != 0) {
        if (errno == ENOTDIR) {
            struct stat st;
            if (stat(path, &st) == 0)
                SetLastError(ERROR_DIRECTORY);
            else
                SetLastError(ERROR_PATH_NOT_FOUND);
        } else {
            iishost_set_path_error(path, errno);
            if (GetLastError() == ERROR_FILE_NOT_FOUND)
                SetLastError(ERROR_PATH_NOT_FOUND); /* Windows names a missing directory so */
        }
    }
    free(path);
    return rc == 0;
}
static __inline__ BOOL SetCurrentDirectoryA(LPCSTR lpPathName)
{
    return iishost_chdir(iishost_path_from_narrow(lpPathName));
}
static __inline__ BOOL SetCurrentDirectoryW(LPCWSTR lpPathName)
{
    return iishost_chdir(iishost_path_from_wide(lpPathName));
}

/* TMPDIR (when set and absolute), else /tmp, always with one trailing '/'. */
static __inline__ char *iishost_temp_path(void)
{
    const char *dir = getenv("TMPDIR");
    size_t n;
    char *out;
    if (dir == NULL || dir[0] != '/')
        dir = "/tmp";
    n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    out = (char *)malloc(n + 2);
    if (out == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    memcpy(out, dir, n);
    if (n == 1) {
        out[1] = 0; /* "/" stays "/" */
    } else {
        out[n] = '/';
        out[n + 1] = 0;
    }
    return out;
}
/* Same return contract as GetCurrentDirectory (the directory is not checked, as on Windows). */
static __inline__ DWORD GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer)
{
    char *dir = iishost_temp_path();
    DWORD n;
    if (dir == NULL)
        return 0;
    n = iishost_copy_out_a(dir, strlen(dir), lpBuffer, nBufferLength);
    free(dir);
    return n;
}
static __inline__ DWORD GetTempPathW(DWORD nBufferLength, LPWSTR lpBuffer)
{
    char *dir = iishost_temp_path();
    DWORD n;
    if (dir == NULL)
        return 0;
    n = iishost_copy_out_w(dir, lpBuffer, nBufferLength);
    free(dir);
    return n;
}

/* ---- system information ------------------------------------------------------------------ */

#define PROCESSOR_ARCHITECTURE_INTEL 0
#define PROCESSOR_ARCHITECTURE_ARM 5
#define PROCESSOR_ARCHITECTURE_AMD64 9
#define PROCESSOR_ARCHITECTURE_ARM64 12
#define PROCESSOR_ARCHITECTURE_UNKNOWN 0xffff
#define PROCESSOR_AMD_X8664 8664

typedef struct _SYSTEM_INFO {
    IISHOST_NAMELESS union {
        DWORD dwOemId;
        IISHOST_NAMELESS struct {
            WORD wProcessorArchitecture;
            WORD wReserved;
        } DUMMYSTRUCTNAME;
    } DUMMYUNIONNAME;
    DWORD dwPageSize;
    LPVOID lpMinimumApplicationAddress;
    LPVOID lpMaximumApplicationAddress;
    DWORD_PTR dwActiveProcessorMask;
    DWORD dwNumberOfProcessors;
    DWORD dwProcessorType;
    DWORD dwAllocationGranularity;
    WORD wProcessorLevel;
    WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

/*
 * Processors online and the page size from sysconf. The allocation granularity is the page size
 * (what mmap offsets must be aligned to on Linux; Windows says 64 KiB). The processor mask has a
 * bit for each of the first 64 processors; level and revision are 0.
 */
static __inline__ VOID GetSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN), page = sysconf(_SC_PAGESIZE);
    if (cpus < 1)
        cpus = 1;
    if (page < 1)
        page = 4096;
    memset(lpSystemInfo, 0, sizeof(*lpSystemInfo));
#if defined(__x86_64__)
    lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_AMD64;
    lpSystemInfo->dwProcessorType = PROCESSOR_AMD_X8664;
#elif defined(__aarch64__)
    lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_ARM64;
#else
    lpSystemInfo->wProcessorArchitecture = PROCESSOR_ARCHITECTURE_UNKNOWN;
#endif
    lpSystemInfo->dwPageSize = (DWORD)page;
    lpSystemInfo->dwAllocationGranularity = (DWORD)page;
    lpSystemInfo->lpMinimumApplicationAddress = (LPVOID)(uintptr_t)page;
    lpSystemInfo->lpMaximumApplicationAddress = (LPVOID)(uintptr_t)0x00007FFFFFFEFFFFull;
    lpSystemInfo->dwNumberOfProcessors = (DWORD)cpus;
    lpSystemInfo->dwActiveProcessorMask = cpus >= 64 ? ~(DWORD_PTR)0 : (((DWORD_PTR)1 << cpus) - 1);
}
static __inline__ VOID GetNativeSystemInfo(LPSYSTEM_INFO lpSystemInfo)
{
    GetSystemInfo(lpSystemInfo);
}

#ifdef UNICODE
#define GetEnvironmentVariable GetEnvironmentVariableW
#define SetEnvironmentVariable SetEnvironmentVariableW
#define ExpandEnvironmentStrings ExpandEnvironmentStringsW
#define GetEnvironmentStrings GetEnvironmentStringsW
#define FreeEnvironmentStrings FreeEnvironmentStringsW
#define GetComputerName GetComputerNameW
#define GetComputerNameEx GetComputerNameExW
#define GetCurrentDirectory GetCurrentDirectoryW
#define SetCurrentDirectory SetCurrentDirectoryW
#define GetTempPath GetTempPathW
#else
#define GetEnvironmentVariable GetEnvironmentVariableA
#define SetEnvironmentVariable SetEnvironmentVariableA
#define ExpandEnvironmentStrings ExpandEnvironmentStringsA
#define GetComputerName GetComputerNameA
#define GetComputerNameEx GetComputerNameExA
#define GetCurrentDirectory GetCurrentDirectoryA
#define SetCurrentDirectory SetCurrentDirectoryA
#define GetTempPath GetTempPathA
#endif

#endif /* IISHOST_SYSINFO_H */
