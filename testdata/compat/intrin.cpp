// intrin.cpp - intrin.h in C++: the _Interlocked* overloads for counters
// declared `long`, `unsigned long` and `unsigned int` (64-bit `long` on
// Linux), and the intrinsics in constant-free template code.
#include <windows.h>
#include <intrin.h>

#include "check.h"

template <typename T> static T bump(volatile T *p)
{
    return _InterlockedIncrement(p);
}

int main()
{
    volatile long l = 1L << 40;
    volatile unsigned long ul = 0xFFFFFFFFUL;
    volatile unsigned int ui = 0xFFFFFFFFu;
    volatile LONG L = 1;
    CHECK(bump(&l) == (1L << 40) + 1);
    CHECK(bump(&ul) == 0x100000000UL);
    CHECK(bump(&ui) == 0u);
    CHECK(bump(&L) == 2);
    CHECK(_InterlockedCompareExchange(&l, 3L, (1L << 40) + 1) == (1L << 40) + 1);
    CHECK(l == 3);
    CHECK(_InterlockedExchangeAdd(&ul, 1UL) == 0x100000000UL);
    unsigned long idx = 0;
    CHECK(_BitScanReverse(&idx, 0x10u) == 1);
    CHECK(idx == 4);
    // kernel32's InterlockedIncrement is a different function on the same word.
    CHECK(InterlockedIncrement(&L) == 3);
    return check_finish();
}
