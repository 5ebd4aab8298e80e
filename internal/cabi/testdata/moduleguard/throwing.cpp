// throwing.cpp: exports built into one MSVC-ABI DLL (by internal/msvcmod) with
// internal/msvcmod/testdata/throwing_module.cpp, which throws an int through frames that count
// their destructors; these throw a standard exception and fault, for harness.cpp.
#include <windows.h>

#include <stdexcept>

extern "C" __declspec(dllexport) void __cdecl ThrowRuntimeError() { throw std::runtime_error("module says no"); }
extern "C" __declspec(dllexport) void __cdecl Fault(int *p) { *p = 1; }
