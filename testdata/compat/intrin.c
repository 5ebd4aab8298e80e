/*
 * intrin.c - the MSVC intrinsics of intrin.h in strict ISO C: the
 * _Interlocked* family (32-, 16- and 64-bit and pointers, with their return
 * values), bit scans, byte swaps, rotations, population counts, barriers,
 * __rdtsc and _mm_pause, next to kernel32.h's Interlocked* names.
 */
#include <windows.h>
#include <intrin.h>

#include <pthread.h>

#include "check.h"

static volatile LONG counter;
static volatile __int64 counter64;

static void *hammer(void *arg)
{
    int i;
    (void)arg;
    for (i = 0; i < 100000; i++) {
        _InterlockedIncrement(&counter);
        _InterlockedExchangeAdd64(&counter64, 2);
        InterlockedDecrement(&counter); /* kernel32's name, same word */
        _InterlockedIncrement(&counter);
    }
    return NULL;
}

static void test_interlocked(void)
{
    volatile LONG v = 5;
    volatile short s = 7;
    volatile __int64 w = 1LL << 40;
    void *volatile p = NULL;
    int x, y;
    pthread_t t[4];
    int i;

    CHECK_EQ(_InterlockedIncrement(&v), 6);
    CHECK_EQ(_InterlockedDecrement(&v), 5);
    CHECK_EQ(_InterlockedExchange(&v, 9), 5);
    CHECK_EQ(_InterlockedCompareExchange(&v, 1, 8), 9); /* no match: unchanged */
    CHECK_EQ(v, 9);
    CHECK_EQ(_InterlockedCompareExchange(&v, 1, 9), 9);
    CHECK_EQ(v, 1);
    CHECK_EQ(_InterlockedExchangeAdd(&v, 10), 1);
    CHECK_EQ(v, 11);
    CHECK_EQ(_InterlockedAnd(&v, 3), 11);
    CHECK_EQ(_InterlockedOr(&v, 8), 3);
    CHECK_EQ(_InterlockedXor(&v, 1), 11);
    CHECK_EQ(v, 10);
    v = 0x7FFFFFFF;
    CHECK_EQ(_InterlockedIncrement(&v), (LONG)0x80000000); /* 32-bit wrap, as MSVC's long */

    CHECK_EQ(_InterlockedIncrement16(&s), 8);
    CHECK_EQ(_InterlockedCompareExchange16(&s, 3, 8), 8);
    CHECK_EQ(s, 3);

    CHECK_EQ(_InterlockedIncrement64(&w), (1LL << 40) + 1);
    CHECK_EQ(_InterlockedDecrement64(&w), 1LL << 40);
    CHECK_EQ(_InterlockedExchange64(&w, -1), 1LL << 40);
    CHECK_EQ(_InterlockedCompareExchange64(&w, 5, -1), -1);
    CHECK_EQ(_InterlockedExchangeAdd64(&w, 1LL << 33), 5);
    CHECK_EQ(w, (1LL << 33) + 5);

    CHECK(_InterlockedExchangePointer(&p, &x) == NULL);
    CHECK(_InterlockedCompareExchangePointer(&p, &y, NULL) == &x);
    CHECK(p == &x);
    CHECK(_InterlockedCompareExchangePointer(&p, &y, &x) == &x);
    CHECK(p == &y);

    counter = 0;
    counter64 = 0;
    for (i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, hammer, NULL) == 0);
    for (i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(counter, 400000);
    CHECK_EQ(counter64, 800000);
}

static void test_bits(void)
{
    DWORD index = 99;
    unsigned long wide = 99; /* 64-bit on Linux: MSVC code declares the index so */
    unsigned __int64 big = 0x8000000000000010ULL;

    CHECK_EQ(_BitScanForward(&index, 0x50u), 1);
    CHECK_EQ(index, 4);
    CHECK_EQ(_BitScanReverse(&index, 0x50u), 1);
    CHECK_EQ(index, 6);
    CHECK_EQ(_BitScanReverse(&index, 0x80000000u), 1);
    CHECK_EQ(index, 31);
    index = 77;
    CHECK_EQ(_BitScanForward(&index, 0), 0);
    CHECK_EQ(_BitScanReverse(&index, 0), 0);
    CHECK_EQ(index, 77);
    CHECK_EQ(_BitScanForward(&wide, 1u), 1);
    CHECK_EQ(wide, 0);
    CHECK_EQ(_BitScanForward64(&index, big), 1);
    CHECK_EQ(index, 4);
    CHECK_EQ(_BitScanReverse64(&wide, big), 1);
    CHECK_EQ(wide, 63);
    CHECK_EQ(_BitScanReverse64(&index, 0), 0);

    CHECK_EQ(_byteswap_ushort(0x1234), 0x3412);
    CHECK_EQ(_byteswap_ulong(0x12345678u), 0x78563412u);
    CHECK(_byteswap_uint64(0x0102030405060708ULL) == 0x0807060504030201ULL);

    CHECK_EQ(_rotl(0x80000001u, 1), 3);
    CHECK_EQ(_rotr(0x80000001u, 1), 0xC0000000u);
    CHECK_EQ(_rotl(0x12345678u, 0), 0x12345678u);
    CHECK_EQ(_rotl(0x12345678u, 32), 0x12345678u);
    CHECK(_rotl64(0x8000000000000001ULL, 4) == 0x18ULL);
    CHECK(_rotr64(0x1ULL, 1) == 0x8000000000000000ULL);
    CHECK(_rotr64(0x1234ULL, 64) == 0x1234ULL);

    CHECK_EQ(__popcnt16(0xFFFF), 16);
    CHECK_EQ(__popcnt(0xF0F0F0F0u), 16);
    CHECK_EQ(__popcnt64(0xFFFFFFFFFFFFFFFFULL), 64);
}

static void test_misc(void)
{
    unsigned __int64 a, b;
    int i;
    _ReadWriteBarrier();
    _ReadBarrier();
    _WriteBarrier();
    a = __rdtsc();
    for (i = 0; i < 1000; i++)
        _mm_pause();
    b = __rdtsc();
    CHECK(b >= a); /* a counter that never runs backwards on one thread */
    CHECK(b != 0);
    CHECK(_ReturnAddress() != NULL);
}

int main(void)
{
    test_interlocked();
    test_bits();
    test_misc();
    return check_finish();
}
