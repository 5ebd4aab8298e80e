/*
 * iishost/libloader.h - DllMain and the module functions of kernel32 (libloaderapi), on Linux.
 *
 * DllMain: a module that defines it gets it exported (the declaration below has default
 * visibility and C linkage, as RegisterModule's does), and the host calls it once per process
 * with DLL_PROCESS_ATTACH before the first RegisterModule; FALSE fails the load. hModule is the
 * address the library is loaded at. DLL_THREAD_ATTACH/DETACH are never sent (as if
 * DisableThreadLibraryCalls had been called), and neither is DLL_PROCESS_DETACH: iishost never
 * unloads a module, and Linux runs no DllMain at exit.
 *
 * HMODULE is the load address of a library (the executable's for GetModuleHandle(NULL)). The
 * functions find libraries in /proc/self/maps, so they need nothing beyond POSIX dlopen/dlsym.
 * Library names compare by file name without extension and case, so "MyModule.dll" finds
 * libMyModule.so or mymodule.so; LoadLibrary tries the name as given, then with .dll replaced
 * by .so.
 */
#ifndef IISHOST_LIBLOADER_H
#define IISHOST_LIBLOADER_H

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <wchar.h>

/* Strict ISO C hides readlink; declared with its glibc prototype, as kernel32.h does for others. */
#if !defined(__cplusplus) && defined(__GLIBC__) && !defined(__USE_XOPEN_EXTENDED) && !defined(__USE_XOPEN2K)
extern ssize_t readlink(const char *__restrict, char *__restrict, size_t);
#endif

#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH 2
#define DLL_THREAD_DETACH 3

#define GET_MODULE_HANDLE_EX_FLAG_PIN 0x00000001
#define GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT 0x00000002
#define GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS 0x00000004

#define LOAD_LIBRARY_SEARCH_DEFAULT_DIRS 0x00001000

typedef INT_PTR(WINAPI *FARPROC)(void);

#ifdef __cplusplus
extern "C" {
#endif

#ifndef IISHOST_DLLMAIN_EXPORT
#if defined(__GNUC__)
#define IISHOST_DLLMAIN_EXPORT __attribute__((visibility("default")))
#else
#define IISHOST_DLLMAIN_EXPORT
#endif
#endif

/* Declared so that a module's definition, with or without extern "C", is exported unmangled. */
IISHOST_DLLMAIN_EXPORT BOOL WINAPI DllMain(HINSTANCE hinstDLL, DWORD fdwReason, LPVOID lpvReserved);

#ifdef __cplusplus
}
#endif

/* Thread notifications are never sent, so there is nothing to turn off. */
static inline BOOL DisableThreadLibraryCalls(HMODULE hLibModule)
{
    if (hLibModule == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

/* iishost_module_find scans /proc/self/maps for the library that holds address (when name is
   NULL) or whose file name matches name; it stores the lowest address mapped from that file and
   its path. Returns 1 when found. */
static inline int iishost_module_find(const void *address, const char *name, uintptr_t *base, char *path, size_t cap)
{
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[4352], found[4096] = "";
    uintptr_t foundBase = 0;
    if (!maps) {
        return 0;
    }
    while (fgets(line, sizeof line, maps)) {
        unsigned long long start = 0, end = 0;
        int pathAt = 0;
        if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %n", &start, &end, &pathAt) < 2 || pathAt <= 0 ||
            line[pathAt] != '/') {
            continue;
        }
        char *file = line + pathAt;
        file[strcspn(file, "\n")] = 0;
        int match;
        if (name == NULL) {
            match = (uintptr_t)address >= start && (uintptr_t)address < end;
        } else {
            const char *slash = strrchr(file, '/'), *base1 = slash ? slash + 1 : file;
            const char *want = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
            const char *wantBs = strrchr(want, '\\');
            size_t wl, bl;
            if (wantBs) {
                want = wantBs + 1;
            }
            wl = strcspn(want, ".");
            if (strncmp(base1, "lib", 3) == 0 && strncasecmp(base1 + 3, want, wl) == 0 && (base1[3 + wl] == '.' || base1[3 + wl] == 0)) {
                base1 += 3;
            }
            bl = strcspn(base1, ".");
            match = bl == wl && strncasecmp(base1, want, wl) == 0;
        }
        if (match && found[0] == 0) {
            snprintf(found, sizeof found, "%s", file);
        }
    }
    if (found[0] == 0) {
        fclose(maps);
        return 0;
    }
    /* The base is the first mapping of that file. */
    rewind(maps);
    while (fgets(line, sizeof line, maps)) {
        unsigned long long start = 0, end = 0;
        int pathAt = 0;
        if (sscanf(line, "%llx-%llx %*s %*s %*s %*s %n", &start, &end, &pathAt) >= 2 && pathAt > 0) {
            char *file = line + pathAt;
            file[strcspn(file, "\n")] = 0;
            if (strcmp(file, found) == 0 && (foundBase == 0 || start < foundBase)) {
                foundBase = (uintptr_t)start;
            }
        }
    }
    fclose(maps);
    if (base) {
        *base = foundBase;
    }
    if (path && cap) {
        snprintf(path, cap, "%s", found);
    }
    return 1;
}

/* The executable's path and load address. */
static inline int iishost_module_self(uintptr_t *base, char *path, size_t cap)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        return 0;
    }
    exe[n] = 0;
    return iishost_module_find(NULL, exe, base, path, cap) || (snprintf(path, cap, "%s", exe), *base = 0, 1);
}

static inline DWORD iishost_module_path(HMODULE hModule, char *path, size_t cap)
{
    uintptr_t base = 0;
    int ok = hModule == NULL ? iishost_module_self(&base, path, cap)
                             : iishost_module_find((const void *)hModule, NULL, &base, path, cap);
    if (!ok) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return 0;
    }
    return (DWORD)strlen(path);
}

/* Copies the path (truncated to nSize - 1 characters and ERROR_INSUFFICIENT_BUFFER when it does
   not fit, as Windows 7 and later do). */
static inline DWORD GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize)
{
    char path[4096];
    DWORD n = iishost_module_path(hModule, path, sizeof path);
    if (n == 0 || nSize == 0) {
        return 0;
    }
    if (n >= nSize) {
        memcpy(lpFilename, path, nSize - 1);
        lpFilename[nSize - 1] = 0;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return nSize;
    }
    memcpy(lpFilename, path, (size_t)n + 1);
    SetLastError(ERROR_SUCCESS);
    return n;
}

static inline DWORD GetModuleFileNameW(HMODULE hModule, LPWSTR lpFilename, DWORD nSize)
{
    char path[4096];
    WCHAR wide[4096];
    int n;
    if (iishost_module_path(hModule, path, sizeof path) == 0 || nSize == 0) {
        return 0;
    }
    n = MultiByteToWideChar(CP_UTF8, 0, path, -1, wide, 4096);
    if (n <= 0) {
        return 0;
    }
    if ((DWORD)n > nSize) {
        memcpy(lpFilename, wide, (nSize - 1) * sizeof(WCHAR));
        lpFilename[nSize - 1] = 0;
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return nSize;
    }
    memcpy(lpFilename, wide, (size_t)n * sizeof(WCHAR));
    SetLastError(ERROR_SUCCESS);
    return (DWORD)n - 1;
}

static inline HMODULE GetModuleHandleA(LPCSTR lpModuleName)
{
    uintptr_t base = 0;
    char path[4096];
    int ok = lpModuleName == NULL ? iishost_module_self(&base, path, sizeof path)
                                  : iishost_module_find(NULL, lpModuleName, &base, path, sizeof path);
    if (!ok) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    return (HMODULE)base;
}

static inline HMODULE GetModuleHandleW(LPCWSTR lpModuleName)
{
    char name[4096];
    if (lpModuleName == NULL) {
        return GetModuleHandleA(NULL);
    }
    if (WideCharToMultiByte(CP_UTF8, 0, lpModuleName, -1, name, sizeof name, NULL, NULL) <= 0) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    return GetModuleHandleA(name);
}

/* FROM_ADDRESS finds the library holding an address; reference counts are not kept, so PIN and
   UNCHANGED_REFCOUNT change nothing. */
static inline BOOL GetModuleHandleExA(DWORD dwFlags, LPCSTR lpModuleName, HMODULE *phModule)
{
    uintptr_t base = 0;
    char path[4096];
    if (phModule == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    *phModule = NULL;
    if (dwFlags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) {
        if (!iishost_module_find((const void *)lpModuleName, NULL, &base, path, sizeof path)) {
            SetLastError(ERROR_MOD_NOT_FOUND);
            return FALSE;
        }
        *phModule = (HMODULE)base;
        return TRUE;
    }
    *phModule = GetModuleHandleA(lpModuleName);
    return *phModule != NULL;
}

static inline BOOL GetModuleHandleExW(DWORD dwFlags, LPCWSTR lpModuleName, HMODULE *phModule)
{
    char name[4096];
    if ((dwFlags & GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS) || lpModuleName == NULL) {
        return GetModuleHandleExA(dwFlags, (LPCSTR)lpModuleName, phModule);
    }
    if (WideCharToMultiByte(CP_UTF8, 0, lpModuleName, -1, name, sizeof name, NULL, NULL) <= 0) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return FALSE;
    }
    return GetModuleHandleExA(dwFlags, name, phModule);
}

/* iishost_module_open gets a dlopen handle for the library at hModule (NULL: the program). */
static inline void *iishost_module_open(HMODULE hModule)
{
    char path[4096];
    if (hModule == NULL) {
        return dlopen(NULL, RTLD_LAZY);
    }
    if (!iishost_module_find((const void *)hModule, NULL, NULL, path, sizeof path)) {
        return NULL;
    }
    return dlopen(path, RTLD_LAZY | RTLD_NOLOAD);
}

/* Finds an exported function; ordinals (names below 0x10000) have no Linux meaning. */
static inline FARPROC GetProcAddress(HMODULE hModule, LPCSTR lpProcName)
{
    void *lib, *sym;
    FARPROC fn;
    if ((uintptr_t)lpProcName < 0x10000) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    lib = iishost_module_open(hModule);
    if (lib == NULL) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    sym = dlsym(lib, lpProcName);
    dlclose(lib);
    if (sym == NULL) {
        SetLastError(ERROR_PROC_NOT_FOUND);
        return NULL;
    }
    memcpy(&fn, &sym, sizeof fn);
    return fn;
}

static inline HMODULE LoadLibraryExA(LPCSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    char so[4096];
    void *lib;
    uintptr_t base = 0;
    size_t n;
    (void)hFile;
    (void)dwFlags;
    if (lpLibFileName == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    lib = dlopen(lpLibFileName, RTLD_NOW | RTLD_LOCAL);
    n = strlen(lpLibFileName);
    if (lib == NULL && n > 4 && n < sizeof so && strcasecmp(lpLibFileName + n - 4, ".dll") == 0) {
        memcpy(so, lpLibFileName, n - 4);
        memcpy(so + n - 4, ".so", 4);
        lib = dlopen(so, RTLD_NOW | RTLD_LOCAL);
    }
    if (lib == NULL) {
        SetLastError(ERROR_MOD_NOT_FOUND);
        return NULL;
    }
    /* The library stays open (FreeLibrary closes it); its handle is its load address. */
    {
        const char *name = strrchr(lpLibFileName, '/');
        if (!iishost_module_find(NULL, name ? name + 1 : lpLibFileName, &base, so, sizeof so)) {
            dlclose(lib);
            SetLastError(ERROR_MOD_NOT_FOUND);
            return NULL;
        }
    }
    return (HMODULE)base;
}

static inline HMODULE LoadLibraryA(LPCSTR lpLibFileName) { return LoadLibraryExA(lpLibFileName, NULL, 0); }

static inline HMODULE LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags)
{
    char name[4096];
    if (lpLibFileName == NULL ||
        WideCharToMultiByte(CP_UTF8, 0, lpLibFileName, -1, name, sizeof name, NULL, NULL) <= 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return LoadLibraryExA(name, hFile, dwFlags);
}

static inline HMODULE LoadLibraryW(LPCWSTR lpLibFileName) { return LoadLibraryExW(lpLibFileName, NULL, 0); }

/* Drops the reference LoadLibrary took. */
static inline BOOL FreeLibrary(HMODULE hLibModule)
{
    void *lib = hLibModule ? iishost_module_open(hLibModule) : NULL;
    if (lib == NULL) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    dlclose(lib); /* the reference iishost_module_open took */
    dlclose(lib); /* LoadLibrary's */
    return TRUE;
}

/* The generic names, as the SDK spells them, chosen by UNICODE. */
#ifdef UNICODE
#define GetModuleFileName GetModuleFileNameW
#define GetModuleHandle GetModuleHandleW
#define GetModuleHandleEx GetModuleHandleExW
#define LoadLibrary LoadLibraryW
#define LoadLibraryEx LoadLibraryExW
#else
#define GetModuleFileName GetModuleFileNameA
#define GetModuleHandle GetModuleHandleA
#define GetModuleHandleEx GetModuleHandleExA
#define LoadLibrary LoadLibraryA
#define LoadLibraryEx LoadLibraryExA
#endif

#endif /* IISHOST_LIBLOADER_H */
