// module_runtime.cpp: the pieces a Visual C++ build of a module links statically from the VC
// runtime's import library, which an MSVC-ABI module built by clang and lld-link gets from here
// instead. Everything else (malloc, memcpy, the C++ exception machinery: _CxxThrowException,
// __CxxFrameHandler3, __C_specific_handler, __std_terminate) is imported from ucrtbase.dll.
// Compiled by internal/msvcmod into every module it links, with -ffunction-sections, so a
// module carries only the pieces it uses.
#include <windows.h>
#include <limits.h>
#include <stdlib.h>

#include <exception>
#include <new>

// Set by MSVC-ABI compilers' output whenever a module uses floating point.
extern "C" int _fltused = 0;

// --- operator new/delete (malloc/free of ucrtbase.dll), std::nothrow and std::bad_alloc ---

namespace std {
const nothrow_t nothrow{};
exception::~exception() noexcept {}
const char *exception::what() const noexcept { return "unknown exception"; }
bad_alloc::~bad_alloc() noexcept {}
const char *bad_alloc::what() const noexcept { return "bad allocation"; }
}  // namespace std

void *operator new(size_t size)
{
    void *p = malloc(size != 0 ? size : 1);
    if (p == nullptr) {
        throw std::bad_alloc();
    }
    return p;
}
void *operator new[](size_t size) { return operator new(size); }
void *operator new(size_t size, const std::nothrow_t &) noexcept { return malloc(size != 0 ? size : 1); }
void *operator new[](size_t size, const std::nothrow_t &) noexcept { return malloc(size != 0 ? size : 1); }
void operator delete(void *p) noexcept { free(p); }
void operator delete[](void *p) noexcept { free(p); }
void operator delete(void *p, size_t) noexcept { free(p); }
void operator delete[](void *p, size_t) noexcept { free(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { free(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { free(p); }

// --- type_info's vftable: every RTTI type descriptor points at it (polymorphic classes,
// thrown types). The runtime compares type descriptors by name, never calls through it; its one
// entry, the deleting destructor, is never called on a descriptor, which is static data. ---

extern "C" void *iishost_type_info_deleting_dtor(void *self, unsigned int) { return self; }
__asm__(".section .rdata,\"dr\"\n"
        ".globl \"??_7type_info@@6B@\"\n"
        ".p2align 3\n"
        "\"??_7type_info@@6B@\":\n"
        ".quad iishost_type_info_deleting_dtor\n"
        ".text\n");

// --- __chkstk: called with the frame size in rax by every function whose frame passes a page;
// touches each page from the top down so the stack's guard page grows it in order. It may
// clobber only r10, r11 and the flags. ---

__asm__(".text\n"
        ".globl __chkstk\n"
        "__chkstk:\n"
        "    leaq 8(%rsp), %r10\n"      // the caller's rsp
        "    movq %r10, %r11\n"
        "    subq %rax, %r11\n"         // the lowest address the frame will use
        "    jae 1f\n"
        "    xorl %r11d, %r11d\n"
        "1:  subq $0x1000, %r10\n"
        "    cmpq %r11, %r10\n"
        "    jb 2f\n"
        "    testq %r10, (%r10)\n"
        "    jmp 1b\n"
        "2:  testq %r11, (%r11)\n"
        "    ret\n");

// --- Thread-safe function-local statics, as MSVC's code calls for them. A guard is 0 before
// initialization, -1 while one thread runs it, then the epoch at which it completed. A thread
// skips the calls once its own epoch (thread-local) has caught up with the guard. ---

extern "C" {
__declspec(thread) int _Init_thread_epoch = INT_MIN;
int _Init_global_epoch = INT_MIN;
}

namespace {
SRWLOCK initLock = SRWLOCK_INIT;
CONDITION_VARIABLE initDone = CONDITION_VARIABLE_INIT;
}  // namespace

// Returns with *guard == -1 when the caller is to initialize, else once another thread has.
extern "C" void __cdecl _Init_thread_header(int *guard)
{
    AcquireSRWLockExclusive(&initLock);
    for (;;) {
        if (*guard == 0) {
            *guard = -1;
            break;
        }
        if (*guard != -1) {
            _Init_thread_epoch = _Init_global_epoch;
            break;
        }
        SleepConditionVariableSRW(&initDone, &initLock, INFINITE, 0);
    }
    ReleaseSRWLockExclusive(&initLock);
}

extern "C" void __cdecl _Init_thread_footer(int *guard)
{
    AcquireSRWLockExclusive(&initLock);
    *guard = ++_Init_global_epoch;
    _Init_thread_epoch = _Init_global_epoch;
    ReleaseSRWLockExclusive(&initLock);
    WakeAllConditionVariable(&initDone);
}

// The initializer threw: the next caller tries again.
extern "C" void __cdecl _Init_thread_abort(int *guard)
{
    AcquireSRWLockExclusive(&initLock);
    *guard = 0;
    ReleaseSRWLockExclusive(&initLock);
    WakeAllConditionVariable(&initDone);
}

// --- The TLS directory, which the loader reads to give each thread a copy of the .tls data
// above (_Init_thread_epoch and the module's own thread_local variables). The linker sorts
// .tls$* between the start and end markers and points the image's TLS entry at _tls_used. ---

#pragma section(".tls", read, write)
#pragma section(".tls$ZZZ", read, write)
#pragma section(".CRT$XLA", read)
#pragma section(".CRT$XLZ", read)
extern "C" {
ULONG _tls_index = 0;
__declspec(allocate(".tls")) char _tls_start = 0;
__declspec(allocate(".tls$ZZZ")) char _tls_end = 0;
__declspec(allocate(".CRT$XLA")) PIMAGE_TLS_CALLBACK __xl_a = nullptr;
__declspec(allocate(".CRT$XLZ")) PIMAGE_TLS_CALLBACK __xl_z = nullptr;
extern const IMAGE_TLS_DIRECTORY64 _tls_used = {
    reinterpret_cast<ULONGLONG>(&_tls_start), reinterpret_cast<ULONGLONG>(&_tls_end),
    reinterpret_cast<ULONGLONG>(&_tls_index), reinterpret_cast<ULONGLONG>(&__xl_a + 1), 0, 0};
}

// --- DLL start and stop: C++ static initializers and the module's atexit list ---

typedef void(__cdecl *InitFn)(void);

// The linker sorts .CRT$XC* sections by name: the compiler's initializers (.CRT$XCU) land
// between these two markers.
#pragma section(".CRT$XCA", read)
#pragma section(".CRT$XCZ", read)
extern "C" __declspec(allocate(".CRT$XCA")) const InitFn iishost_initializers_begin = nullptr;
extern "C" __declspec(allocate(".CRT$XCZ")) const InitFn iishost_initializers_end = nullptr;

namespace {
// Functions registered with atexit (static destructors among them), run when the DLL unloads,
// as Visual C++ runs a DLL's own list.
SRWLOCK exitLock = SRWLOCK_INIT;
InitFn *exitFns;
size_t exitCount, exitCapacity;
}  // namespace

extern "C" int __cdecl atexit(void(__cdecl *fn)(void))
{
    int rc = 0;
    AcquireSRWLockExclusive(&exitLock);
    if (exitCount == exitCapacity) {
        size_t grown = exitCapacity != 0 ? exitCapacity * 2 : 32;
        InitFn *fns = static_cast<InitFn *>(realloc(exitFns, grown * sizeof(InitFn)));
        if (fns == nullptr) {
            rc = -1;
        } else {
            exitFns = fns;
            exitCapacity = grown;
        }
    }
    if (rc == 0) {
        exitFns[exitCount++] = fn;
    }
    ReleaseSRWLockExclusive(&exitLock);
    return rc;
}

// A module that defines no DllMain gets this one.
extern "C" BOOL WINAPI iishost_DefaultDllMain(HINSTANCE, DWORD, LPVOID) { return TRUE; }
#pragma comment(linker, "/alternatename:DllMain=iishost_DefaultDllMain")
extern "C" BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved);

extern "C" BOOL WINAPI _DllMainCRTStartup(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    if (reason == DLL_PROCESS_ATTACH) {
        for (const InitFn *fn = &iishost_initializers_begin + 1; fn < &iishost_initializers_end; fn++) {
            if (*fn != nullptr) {
                (*fn)();
            }
        }
    }
    BOOL ok = DllMain(instance, reason, reserved);
    if (reason == DLL_PROCESS_DETACH) {
        while (exitCount > 0) {
            exitFns[--exitCount]();
        }
        free(exitFns);
    }
    return ok;
}
