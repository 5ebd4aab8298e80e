/*
 * kernel32.cpp - the kernel32 layer from C++17, with the C and C++ library
 * headers before windows.h: the SDK's C++ Interlocked overloads for
 * unsigned and long types, locks and condition variables under std::thread,
 * aggregate initializers in C++ ({0}, SRWLOCK_INIT), time-zone conversion
 * against a fixed TZ, and code-page round trips through std::wstring.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include <atomic>
#include <clocale>
#include <string>
#include <thread>
#include <vector>

#include <windows.h>

#include "check.h"

namespace {

const int kThreads = 6;
const int kRounds = 20000;

template <typename Fn> void RunThreads(int count, Fn fn)
{
    std::vector<std::thread> threads;
    for (int i = 0; i < count; i++)
        threads.emplace_back(fn, i);
    for (auto &t : threads)
        t.join();
}

void TestInterlockedOverloads()
{
    DWORD refs = 1; /* a DWORD reference count, as many modules keep */
    CHECK_EQ(InterlockedIncrement(&refs), 2u);
    CHECK_EQ(InterlockedDecrement(&refs), 1u);
    CHECK_EQ(InterlockedExchange(&refs, 0xFFFFFFFFu), 1u);
    CHECK_EQ(InterlockedIncrement(&refs), 0u); /* unsigned 32-bit wraparound */
    CHECK_EQ(InterlockedCompareExchange(&refs, 5u, 0u), 0u);
    CHECK_EQ(InterlockedExchangeAdd(&refs, 5u), 5u);
    CHECK_EQ(InterlockedOr(&refs, 0x100u), 10u);
    CHECK_EQ(InterlockedAnd(&refs, 0xFu), 0x10Au);
    CHECK_EQ(InterlockedXor(&refs, 0xFu), 0xAu);
    CHECK_EQ(refs, 5u);

    long native = 1L << 40; /* long is 64-bit on Linux: the overload keeps all of it */
    CHECK_EQ(InterlockedIncrement(&native), (1L << 40) + 1);
    unsigned long unative = 0;
    CHECK_EQ(InterlockedDecrement(&unative), (unsigned long)-1);
    ULONGLONG big = 0;
    CHECK_EQ(InterlockedIncrement64(&big), 1u);
    CHECK_EQ(InterlockedExchangeAdd64(&big, 1ULL << 63), 1u);
    CHECK(big == (1ULL << 63) + 1);
    CHECK_EQ(InterlockedIncrement(&big), (long long)((1ULL << 63) + 2));

    LONG plain = 0;
    CHECK_EQ(InterlockedIncrement(&plain), 1); /* the LONG form still wins for LONG */
    void *slot = nullptr;
    int target = 0;
    CHECK(InterlockedCompareExchangePointer(&slot, &target, nullptr) == nullptr);
    CHECK(slot == &target);

    DWORD shared = 0;
    RunThreads(kThreads, [&](int) {
        for (int i = 0; i < kRounds; i++)
            InterlockedIncrement(&shared);
    });
    CHECK_EQ(shared, (DWORD)(kThreads * kRounds));
}

void TestLocks()
{
    CRITICAL_SECTION cs;
    CHECK(InitializeCriticalSectionEx(&cs, 1000, CRITICAL_SECTION_NO_DEBUG_INFO));
    long count = 0;
    RunThreads(kThreads, [&](int) {
        for (int i = 0; i < kRounds; i++) {
            EnterCriticalSection(&cs);
            if (TryEnterCriticalSection(&cs)) { /* re-entry by the owner always succeeds */
                count++;
                LeaveCriticalSection(&cs);
            }
            LeaveCriticalSection(&cs);
        }
    });
    CHECK_EQ(count, kThreads * kRounds);
    DeleteCriticalSection(&cs);

    SRWLOCK zero = {0}; /* the Windows spelling, warning-free in C++ too */
    SRWLOCK init = SRWLOCK_INIT;
    CHECK(TryAcquireSRWLockExclusive(&zero));
    ReleaseSRWLockExclusive(&zero);
    CHECK(TryAcquireSRWLockShared(&init));
    CHECK(TryAcquireSRWLockShared(&init));
    CHECK(!TryAcquireSRWLockExclusive(&init));
    ReleaseSRWLockShared(&init);
    ReleaseSRWLockShared(&init);
    CHECK(TryAcquireSRWLockExclusive(&init));
    ReleaseSRWLockExclusive(&init);

    /* A writer waiting for readers is let in once they leave. */
    std::atomic<int> phase(0);
    AcquireSRWLockShared(&init);
    std::thread writer([&] {
        phase = 1;
        AcquireSRWLockExclusive(&init);
        phase = 2;
        ReleaseSRWLockExclusive(&init);
    });
    /* Once the writer waits, new readers queue behind it. */
    bool queued = false;
    for (int i = 0; i < 5000 && !queued; i++) {
        if (TryAcquireSRWLockShared(&init)) {
            ReleaseSRWLockShared(&init);
            Sleep(1);
        } else {
            queued = true;
        }
    }
    CHECK(queued);
    CHECK_EQ(phase.load(), 1); /* still waiting for this thread's shared hold */
    ReleaseSRWLockShared(&init);
    writer.join();
    CHECK_EQ(phase.load(), 2);
}

void TestConditionVariable()
{
    CONDITION_VARIABLE cv = CONDITION_VARIABLE_INIT;
    CRITICAL_SECTION cs;
    InitializeCriticalSection(&cs);
    std::vector<int> queue;
    bool done = false;
    long long sum = 0;
    std::thread consumer([&] {
        EnterCriticalSection(&cs);
        for (;;) {
            while (queue.empty() && !done)
                SleepConditionVariableCS(&cv, &cs, INFINITE);
            if (queue.empty())
                break;
            sum += queue.back();
            queue.pop_back();
        }
        LeaveCriticalSection(&cs);
    });
    for (int i = 1; i <= 10000; i++) {
        EnterCriticalSection(&cs);
        queue.push_back(i);
        LeaveCriticalSection(&cs);
        WakeConditionVariable(&cv);
    }
    EnterCriticalSection(&cs);
    done = true;
    LeaveCriticalSection(&cs);
    WakeAllConditionVariable(&cv);
    consumer.join();
    CHECK_EQ(sum, 10000LL * 10001 / 2);
    DeleteCriticalSection(&cs);

    CONDITION_VARIABLE quiet;
    InitializeConditionVariable(&quiet);
    WakeAllConditionVariable(&quiet); /* nobody waits: nothing happens */
    CHECK(quiet.Ptr == nullptr);
}

INIT_ONCE g_once = INIT_ONCE_STATIC_INIT;

BOOL CALLBACK InitTable(PINIT_ONCE, PVOID parameter, PVOID *context)
{
    static int table[4];
    ++*static_cast<std::atomic<int> *>(parameter);
    *context = table;
    return TRUE;
}

void TestInitOnce()
{
    std::atomic<int> calls(0);
    std::atomic<int> agree(0);
    RunThreads(kThreads, [&](int) {
        void *ctx = nullptr;
        if (InitOnceExecuteOnce(&g_once, InitTable, &calls, &ctx) && ctx != nullptr)
            agree++;
    });
    CHECK_EQ(calls.load(), 1);
    CHECK_EQ(agree.load(), kThreads);
}

ULONGLONG Ticks(const FILETIME &ft)
{
    return (ULONGLONG)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
}

FILETIME FromTicks(ULONGLONG t)
{
    FILETIME ft;
    ft.dwLowDateTime = (DWORD)t;
    ft.dwHighDateTime = (DWORD)(t >> 32);
    return ft;
}

void TestTimeZones()
{
    const ULONGLONG hour = 36000000000ULL;
    const ULONGLONG jan = 133485408000000000ULL; /* 2024-01-01 00:00 UTC */
    const ULONGLONG jul = jan + 182 * 24 * hour; /* 2024-07-01 */

    setenv("TZ", "XYZ-3", 1); /* three hours east of UTC, no daylight saving */
    tzset();
    FILETIME in = FromTicks(jan), out;
    CHECK(FileTimeToLocalFileTime(&in, &out));
    CHECK(Ticks(out) == jan + 3 * hour);
    CHECK(LocalFileTimeToFileTime(&out, &in));
    CHECK(Ticks(in) == jan);
    SYSTEMTIME utc, local;
    FILETIME utcFt, localFt;
    GetSystemTime(&utc);
    GetLocalTime(&local);
    CHECK(SystemTimeToFileTime(&utc, &utcFt) && SystemTimeToFileTime(&local, &localFt));
    LONGLONG delta = (LONGLONG)(Ticks(localFt) - Ticks(utcFt)) - (LONGLONG)(3 * hour);
    CHECK(delta > -20000000 && delta < 20000000); /* three hours ahead, give or take the call gap */

    /* With daylight saving, every conversion uses the offset in force now. */
    setenv("TZ", "EST5EDT,M3.2.0,M11.1.0", 1);
    tzset();
    FILETIME a = FromTicks(jan), b = FromTicks(jul);
    CHECK(FileTimeToLocalFileTime(&a, &a));
    CHECK(FileTimeToLocalFileTime(&b, &b));
    CHECK(jan - Ticks(a) == jul - Ticks(b));
    CHECK(jan - Ticks(a) == 4 * hour || jan - Ticks(a) == 5 * hour);

    FILETIME edge = FromTicks(0);
    SetLastError(0);
    CHECK(!FileTimeToLocalFileTime(&edge, &edge)); /* would go before 1601 */
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    unsetenv("TZ");
    tzset();
}

void TestCodePages()
{
    const std::wstring wide = L"Gr\u00fc\u00dfe \u4e16\u754c \U0001F680";
    int bytes = WideCharToMultiByte(CP_UTF8, 0, wide.c_str(), (int)wide.size(), nullptr, 0, nullptr, nullptr);
    CHECK_EQ(bytes, 19);
    std::string utf8(bytes, '\0');
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, wide.c_str(), (int)wide.size(), &utf8[0], bytes, nullptr, nullptr),
             bytes);
    int chars = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), (int)utf8.size(), nullptr, 0);
    CHECK_EQ(chars, (int)wide.size());
    std::wstring back(chars, L'\0');
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, utf8.data(), (int)utf8.size(), &back[0], chars), chars);
    CHECK(back == wide);

    /* Case-insensitive wide comparison follows the C library's locale. */
    if (setlocale(LC_CTYPE, "C.UTF-8") != nullptr) {
        CHECK_EQ(lstrcmpiW(L"\u00c9T\u00c9", L"\u00e9t\u00e9"), 0);
        CHECK_EQ(_wcsicmp(L"\u00c9", L"\u00e9"), 0);
        setlocale(LC_CTYPE, "C");
    }
}

void TestHeap()
{
    HANDLE heap = GetProcessHeap();
    auto *words = static_cast<DWORD *>(HeapAlloc(heap, HEAP_ZERO_MEMORY, 16 * sizeof(DWORD)));
    CHECK(words != nullptr && words[15] == 0);
    words = static_cast<DWORD *>(HeapReAlloc(heap, HEAP_ZERO_MEMORY, words, 64 * sizeof(DWORD)));
    CHECK(words != nullptr && words[63] == 0);
    CHECK(HeapFree(heap, 0, words));
    SetLastError(0);
    CHECK(HeapReAlloc(heap, 0, nullptr, 8) == nullptr);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
}

} // namespace

int main()
{
    TestInterlockedOverloads();
    TestLocks();
    TestConditionVariable();
    TestInitOnce();
    TestTimeZones();
    TestCodePages();
    TestHeap();
    return check_finish();
}
