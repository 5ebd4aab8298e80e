// guard_host.cpp: a MinGW program calling throwing_module.dll's throwing export inside g++'s
// try/catch (...), which does not stop an MSVC C++ exception: the reason the Windows host
// guards module calls with an SEH scope (internal/cabi/headers/module_guard.h, tested by
// internal/cabi's TestModuleGuardUnderWine).
#include <windows.h>
#include <cstdio>

typedef int(__cdecl *Fn)(int);

int main()
{
    HMODULE dll = LoadLibraryA("throwing_module.dll");
    if (dll == NULL) {
        std::printf("LoadLibrary: error %lu\n", GetLastError());
        return 2;
    }
    Fn throwing = reinterpret_cast<Fn>(GetProcAddress(dll, "ThrowThroughFrames"));
    try {
        throwing(7);
        std::printf("catch (...): returned\n");
    } catch (...) {
        std::printf("catch (...): caught\n");
    }
    return 0;
}
