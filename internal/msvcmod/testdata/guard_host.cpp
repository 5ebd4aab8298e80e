// guard_host.cpp: a MinGW program calling throwing_module.dll through seh_guard.S.
// "catchall" as argument: call without the guard, inside g++'s try/catch (...), instead.
#include <windows.h>
#include <cstdio>
#include <cstring>

typedef int(__cdecl *Fn)(int);
extern "C" int GuardedCall(Fn fn, int arg, int *caught);

// Stops MSVC C++ exceptions only; anything else (an access violation) goes on as unhandled.
extern "C" LONG GuardFilter(EXCEPTION_POINTERS *info, void *)
{
    return info->ExceptionRecord->ExceptionCode == 0xE06D7363 ? EXCEPTION_EXECUTE_HANDLER : EXCEPTION_CONTINUE_SEARCH;
}

int main(int argc, char **argv)
{
    HMODULE dll = LoadLibraryA("throwing_module.dll");
    if (dll == NULL) {
        std::printf("LoadLibrary: error %lu\n", GetLastError());
        return 2;
    }
    Fn throwing = reinterpret_cast<Fn>(GetProcAddress(dll, "ThrowThroughFrames"));
    Fn inside = reinterpret_cast<Fn>(GetProcAddress(dll, "CatchInside"));
    Fn destructors = reinterpret_cast<Fn>(GetProcAddress(dll, "DestructorsRun"));
    if (argc > 1 && std::strcmp(argv[1], "catchall") == 0) {
        try {
            throwing(7);
            std::printf("catch (...): returned\n");
        } catch (...) {
            std::printf("catch (...): caught\n");
        }
        return 0;
    }
    int caught = 0;
    std::printf("inside: %d\n", GuardedCall(inside, 41, &caught));
    std::printf("no throw: %d caught %d\n", GuardedCall(throwing, 0, &caught), caught);
    int rounds = 0;
    for (; rounds < 10000; rounds++) {
        if (GuardedCall(throwing, 7, &caught) != -1 || caught != 1) {
            break;
        }
    }
    std::printf("stopped %d of 10000, destructors run %d\n", rounds, destructors(0));
    try {
        throw 5;
    } catch (int x) {
        std::printf("own exception: %d\n", x);
    }
    return 0;
}
