// call_host.cpp: a MinGW program that loads a DLL and prints what int f(int) exports return:
//   call_host.exe MODULE.dll NAME=ARG...
#include <windows.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>

typedef int(__cdecl *Fn)(int);

int main(int argc, char **argv)
{
    HMODULE dll = argc > 1 ? LoadLibraryA(argv[1]) : NULL;
    if (dll == NULL) {
        std::printf("LoadLibrary: error %lu\n", GetLastError());
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        char name[128];
        const char *eq = std::strchr(argv[i], '=');
        size_t n = eq != NULL ? static_cast<size_t>(eq - argv[i]) : std::strlen(argv[i]);
        if (n >= sizeof name) {
            return 2;
        }
        std::memcpy(name, argv[i], n);
        name[n] = '\0';
        Fn fn = reinterpret_cast<Fn>(reinterpret_cast<void *>(GetProcAddress(dll, name)));
        if (fn == NULL) {
            std::printf("%s: not exported\n", name);
            return 2;
        }
        std::printf("%s=%d\n", name, fn(eq != NULL ? std::atoi(eq + 1) : 0));
    }
    return 0;
}
