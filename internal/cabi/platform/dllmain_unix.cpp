//go:build unix

// DllMain emulation for modules loaded with dlopen (load_unix.go); on Windows the loader calls
// DllMain itself.
#include <dlfcn.h>
#include <windows.h>

#include <cstdio>
#include <cstring>

#include "bridge.h"

// DllMain is called as Windows calls it on the first load, exceptions kept from Go.
extern "C" int iis_module_dllmain(void *dllmain, char *error, size_t errorLen)
{
    Dl_info info;
    memset(&info, 0, sizeof(info));
    if (!dladdr(dllmain, &info) || !info.dli_fbase) {
        snprintf(error, errorLen, "cannot find the library that holds DllMain");
        return 0;
    }
    typedef BOOL(WINAPI * DllMainFn)(HINSTANCE, DWORD, LPVOID);
    DllMainFn fn = reinterpret_cast<DllMainFn>(dllmain);
    try {
        if (fn(reinterpret_cast<HINSTANCE>(info.dli_fbase), DLL_PROCESS_ATTACH, nullptr)) {
            return 1;
        }
        snprintf(error, errorLen, "DllMain returned FALSE for DLL_PROCESS_ATTACH");
    } catch (...) {
        snprintf(error, errorLen, "DllMain threw an exception for DLL_PROCESS_ATTACH");
    }
    return 0;
}
