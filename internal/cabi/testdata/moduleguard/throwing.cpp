// throwing.cpp: an MSVC-ABI module (built by internal/msvcmod) whose exports throw C++
// exceptions, or fault, out of the DLL, for harness.cpp.
#include <httpserv.h>

#include <stdexcept>

static int destructorsRun;
struct CountsDestruction {
    ~CountsDestruction() { destructorsRun++; }
};

static __declspec(noinline) int Deep(int v)
{
    CountsDestruction c;
    if (v != 0) {
        throw v;
    }
    return 41;
}

extern "C" __declspec(dllexport) int __cdecl ThrowInt(int v)
{
    CountsDestruction c;
    return Deep(v) + 1;
}
extern "C" __declspec(dllexport) void __cdecl ThrowRuntimeError() { throw std::runtime_error("module says no"); }
extern "C" __declspec(dllexport) void __cdecl Fault(int *p) { *p = 1; }
extern "C" __declspec(dllexport) int __cdecl DestructorsRun() { return destructorsRun; }

HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *, IHttpServer *) { return S_OK; }
