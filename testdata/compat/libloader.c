/*
 * libloader.c - the module functions of kernel32 (iishost/libloader.h) as a C module uses them:
 * module handles and file names, GetProcAddress, LoadLibrary/FreeLibrary, and their errors.
 */
#include <windows.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"

static int local_marker(void) { return 42; }

int main(void)
{
    char exe[4096], path[4096], small[8];
    WCHAR wide[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    HMODULE self, libc, fromAddress = NULL, libm;
    typedef int (*getpid_fn)(void);
    typedef double (*cos_fn)(double);
    FARPROC proc;
    CHECK(n > 0);
    exe[n > 0 ? n : 0] = 0;

    /* The program itself. */
    CHECK_EQ(GetModuleFileNameA(NULL, path, sizeof path), strlen(exe));
    CHECK_STR(path, exe);
    CHECK_EQ(GetModuleFileNameW(NULL, wide, 4096), strlen(exe));
    CHECK(wide[0] == L'/');
    self = GetModuleHandleA(NULL);
    CHECK(self != NULL);
    CHECK(GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCSTR)(void *)local_marker, &fromAddress));
    CHECK(fromAddress == self);
    CHECK(local_marker() == 42);

    /* Truncation, as Windows 7 and later do it. */
    CHECK_EQ(GetModuleFileNameA(NULL, small, sizeof small), sizeof small);
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(strlen(small), sizeof small - 1);

    /* A library by name, with or without lib prefix and extension, any case. */
    libc = GetModuleHandleA("libc.so.6");
    CHECK(libc != NULL);
    CHECK(GetModuleHandleA("LIBC.DLL") == libc);
    CHECK(GetModuleHandleW(L"c.dll") == libc);
    CHECK(GetModuleFileNameA(libc, path, sizeof path) > 0);
    CHECK(strstr(path, "libc") != NULL);
    proc = GetProcAddress(libc, "getpid");
    CHECK(proc != NULL);
    if (proc != NULL) {
        getpid_fn fn;
        memcpy(&fn, &proc, sizeof fn);
        CHECK_EQ(fn(), getpid());
    }
    SetLastError(0);
    CHECK(GetProcAddress(libc, "no_such_function_here") == NULL);
    CHECK_EQ(GetLastError(), ERROR_PROC_NOT_FOUND);
    CHECK(GetProcAddress(libc, (LPCSTR)(UINT_PTR)7) == NULL); /* ordinals */

    SetLastError(0);
    CHECK(GetModuleHandleA("no-such-module.dll") == NULL);
    CHECK_EQ(GetLastError(), ERROR_MOD_NOT_FOUND);

    /* LoadLibrary keeps a library loaded until FreeLibrary. */
    libm = LoadLibraryA("libm.so.6");
    CHECK(libm != NULL);
    if (libm != NULL) {
        cos_fn fn;
        proc = GetProcAddress(libm, "cos");
        CHECK(proc != NULL);
        memcpy(&fn, &proc, sizeof fn);
        CHECK(proc != NULL && fn(0.0) == 1.0);
        CHECK(DisableThreadLibraryCalls(libm));
        CHECK(FreeLibrary(libm));
    }
    SetLastError(0);
    CHECK(LoadLibraryW(L"/no/such/library.dll") == NULL);
    CHECK_EQ(GetLastError(), ERROR_MOD_NOT_FOUND);
    CHECK(!FreeLibrary(NULL));
    CHECK(!DisableThreadLibraryCalls(NULL));
    return check_finish();
}
