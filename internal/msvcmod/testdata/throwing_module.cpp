// throwing_module.cpp: an MSVC-ABI module whose exports throw C++ exceptions out of the DLL.
#include <httpserv.h>

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
    return 0;
}

extern "C" __declspec(dllexport) int __cdecl ThrowThroughFrames(int v)
{
    CountsDestruction c;
    return Deep(v) + 1;
}
extern "C" __declspec(dllexport) int __cdecl CatchInside(int v)
{
    try {
        Deep(v);
    } catch (int x) {
        return x + 1;
    }
    return 0;
}
extern "C" __declspec(dllexport) int __cdecl DestructorsRun(int) { return destructorsRun; }

HRESULT WINAPI RegisterModule(DWORD, IHttpModuleRegistrationInfo *, IHttpServer *) { return S_OK; }
