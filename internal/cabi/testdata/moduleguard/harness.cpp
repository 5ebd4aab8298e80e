// harness.cpp: module_guard.h's ModuleCall, built with MinGW as the Windows host is, calling
// throwing.dll (MSVC ABI: throwing.cpp and internal/msvcmod/testdata/throwing_module.cpp). "fault" as argument: a module's access violation, which the guard
// must let go on.
#include <stdio.h>
#include <string.h>

#include <stdexcept>

#include "module_guard.h"

using iishost::ModuleCall;

// An export as the function type it has (through void *, as -Wcast-function-type asks).
template <class Fn> static Fn Export(HMODULE dll, const char *name)
{
    return reinterpret_cast<Fn>(reinterpret_cast<void *>(GetProcAddress(dll, name)));
}

template <class Fn> static void Report(const char *name, Fn fn)
{
    try {
        fn();
        printf("%s: returned\n", name);
    } catch (const std::runtime_error &e) {
        printf("%s: host runtime_error: %s\n", name, e.what());
    } catch (const std::exception &e) {
        printf("%s: caught: %s\n", name, e.what());
    } catch (...) {
        printf("%s: caught something else\n", name);
    }
}

int main(int argc, char **argv)
{
    HMODULE dll = LoadLibraryA("throwing.dll");
    if (!dll) {
        printf("LoadLibrary: error %lu\n", GetLastError());
        return 2;
    }
    auto throwThroughFrames = Export<int(__cdecl *)(int)>(dll, "ThrowThroughFrames");
    auto throwRuntimeError = Export<void(__cdecl *)()>(dll, "ThrowRuntimeError");
    auto fault = Export<void(__cdecl *)(int *)>(dll, "Fault");
    auto destructorsRun = Export<int(__cdecl *)(int)>(dll, "DestructorsRun");
    if (argc > 1 && strcmp(argv[1], "fault") == 0) {
        Report("fault", [&] { ModuleCall([&] { fault(nullptr); }); });
        return 0;
    }
    Report("value", [&] { printf("value %d\n", ModuleCall([&] { return throwThroughFrames(0); })); });
    Report("int", [&] { ModuleCall([&] { return throwThroughFrames(7); }); });
    printf("destructors run %d\n", destructorsRun(0));
    Report("runtime_error", [&] { ModuleCall(throwRuntimeError); });
    Report("host exception", [&] { ModuleCall([] { throw std::runtime_error("host says no"); }); });
    Report("nested", [&] {
        ModuleCall([&] {
            Report("inner", [&] { ModuleCall([&] { return throwThroughFrames(1); }); });
            throwRuntimeError();
        });
    });
    int stopped = 0;
    for (int i = 0; i < 10000; i++) {
        try {
            ModuleCall([&] { return throwThroughFrames(i + 1); });
        } catch (const iishost::ModuleException &) {
            stopped++;
        }
    }
    printf("stopped %d of 10000, destructors run %d\n", stopped, destructorsRun(0));
    return 0;
}
