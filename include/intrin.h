/*
 * intrin.h - the MSVC compiler intrinsics that performance-minded IIS
 * modules use, on gcc and clang: the underscore _Interlocked* family,
 * _BitScanForward/_BitScanReverse (+64), _byteswap_*, _rotl/_rotr (+64),
 * __popcnt, __debugbreak, _ReadWriteBarrier and friends, _ReturnAddress,
 * __rdtsc and _mm_pause. On x86-64 the compiler's <x86intrin.h> is
 * included, as MSVC's intrin.h brings in the SSE/AVX intrinsics; its own
 * __rdtsc, _mm_pause, _rotl and _rotr are used as they are.
 *
 * Widths are MSVC's: `long` in an MSVC signature is LONG (32-bit) here,
 * since `long` is 64-bit on Linux. C++ also gets overloads for `long`,
 * `unsigned long` and `unsigned int` operands, so counters declared with
 * those types keep compiling. _BitScanForward/_BitScanReverse are macros
 * that store through an index of any unsigned integer type (MSVC code
 * passes `unsigned long *`).
 *
 * The _Interlocked* functions are full barriers, like kernel32.h's
 * Interlocked* (the names without the underscore, which these do not
 * touch). On arm64, __rdtsc reads the virtual counter (CNTVCT_EL0), which
 * ticks at a constant rate (CNTFRQ_EL0), not at the CPU clock; _mm_pause is
 * the YIELD hint.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <intrin.h>
#else
#ifndef IISHOST_INTRIN_H
#define IISHOST_INTRIN_H

#include <stdint.h>

#include "iishost/msvc_keywords.h"
#include "iishost/wintypes.h"

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

/* ---- _Interlocked* ------------------------------------------------------------ */

/* Each returns what its kernel32 namesake returns: the new value for Increment/Decrement, the
 * previous value for the others. */
#define IISHOST_MSVC_INTERLOCKED(T, SUFFIX)                                                         \
    static __inline__ T _InterlockedIncrement##SUFFIX(T volatile *Addend)                           \
    {                                                                                               \
        return __atomic_add_fetch(Addend, (T)1, __ATOMIC_SEQ_CST);                                  \
    }                                                                                               \
    static __inline__ T _InterlockedDecrement##SUFFIX(T volatile *Addend)                           \
    {                                                                                               \
        return __atomic_sub_fetch(Addend, (T)1, __ATOMIC_SEQ_CST);                                  \
    }                                                                                               \
    static __inline__ T _InterlockedExchange##SUFFIX(T volatile *Target, T Value)                   \
    {                                                                                               \
        return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);                                \
    }                                                                                               \
    static __inline__ T _InterlockedCompareExchange##SUFFIX(T volatile *Destination, T Exchange,    \
                                                            T Comparand)                            \
    {                                                                                               \
        __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,          \
                                    __ATOMIC_SEQ_CST);                                              \
        return Comparand;                                                                           \
    }                                                                                               \
    static __inline__ T _InterlockedExchangeAdd##SUFFIX(T volatile *Addend, T Value)                \
    {                                                                                               \
        return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);                                 \
    }                                                                                               \
    static __inline__ T _InterlockedAnd##SUFFIX(T volatile *Destination, T Value)                   \
    {                                                                                               \
        return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);                            \
    }                                                                                               \
    static __inline__ T _InterlockedOr##SUFFIX(T volatile *Destination, T Value)                    \
    {                                                                                               \
        return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);                             \
    }                                                                                               \
    static __inline__ T _InterlockedXor##SUFFIX(T volatile *Destination, T Value)                   \
    {                                                                                               \
        return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);                            \
    }

IISHOST_MSVC_INTERLOCKED(LONG, )
IISHOST_MSVC_INTERLOCKED(short, 16)
IISHOST_MSVC_INTERLOCKED(long long, 64)
#ifdef __cplusplus
extern "C++" {
IISHOST_MSVC_INTERLOCKED(long, )
IISHOST_MSVC_INTERLOCKED(unsigned long, )
IISHOST_MSVC_INTERLOCKED(unsigned int, )
IISHOST_MSVC_INTERLOCKED(unsigned long long, 64)
}
#endif
#undef IISHOST_MSVC_INTERLOCKED

static __inline__ void *_InterlockedExchangePointer(void *volatile *Target, void *Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static __inline__ void *_InterlockedCompareExchangePointer(void *volatile *Destination, void *Exchange,
                                                           void *Comparand)
{
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return Comparand;
}

/* ---- bit scans, byte swaps, rotations, population counts ------------------------------ */

/* Stores the index of the lowest (forward) or highest (reverse) set bit through an index of width
 * `size` bytes and returns 1; returns 0 (index unchanged) when mask is 0. */
static __inline__ unsigned char iishost_bit_scan(void *index, size_t size, ULONG64 mask, int reverse)
{
    unsigned long long at;
    if (mask == 0)
        return 0;
    at = reverse ? 63u - (unsigned)__builtin_clzll(mask) : (unsigned)__builtin_ctzll(mask);
    if (size == sizeof(ULONG64))
        *(ULONG64 *)index = at;
    else if (size == sizeof(ULONG))
        *(ULONG *)index = (ULONG)at;
    else if (size == sizeof(unsigned short))
        *(unsigned short *)index = (unsigned short)at;
    else
        *(unsigned char *)index = (unsigned char)at;
    return 1;
}
#define _BitScanForward(Index, Mask) iishost_bit_scan((void *)(Index), sizeof(*(Index)), (ULONG)(Mask), 0)
#define _BitScanReverse(Index, Mask) iishost_bit_scan((void *)(Index), sizeof(*(Index)), (ULONG)(Mask), 1)
#define _BitScanForward64(Index, Mask) iishost_bit_scan((void *)(Index), sizeof(*(Index)), (ULONG64)(Mask), 0)
#define _BitScanReverse64(Index, Mask) iishost_bit_scan((void *)(Index), sizeof(*(Index)), (ULONG64)(Mask), 1)

static __inline__ unsigned short _byteswap_ushort(unsigned short Value)
{
    return __builtin_bswap16(Value);
}
static __inline__ ULONG _byteswap_ulong(ULONG Value)
{
    return __builtin_bswap32(Value);
}
static __inline__ unsigned __int64 _byteswap_uint64(unsigned __int64 Value)
{
    return __builtin_bswap64(Value);
}

/* The shift is taken modulo the width, as MSVC does. */
#ifndef _rotl
static __inline__ unsigned int _rotl(unsigned int Value, int Shift)
{
    unsigned s = (unsigned)Shift & 31u;
    return s == 0 ? Value : (Value << s) | (Value >> (32u - s));
}
#endif
#ifndef _rotr
static __inline__ unsigned int _rotr(unsigned int Value, int Shift)
{
    unsigned s = (unsigned)Shift & 31u;
    return s == 0 ? Value : (Value >> s) | (Value << (32u - s));
}
#endif
static __inline__ unsigned __int64 _rotl64(unsigned __int64 Value, int Shift)
{
    unsigned s = (unsigned)Shift & 63u;
    return s == 0 ? Value : (Value << s) | (Value >> (64u - s));
}
static __inline__ unsigned __int64 _rotr64(unsigned __int64 Value, int Shift)
{
    unsigned s = (unsigned)Shift & 63u;
    return s == 0 ? Value : (Value >> s) | (Value << (64u - s));
}

static __inline__ unsigned short __popcnt16(unsigned short Value)
{
    return (unsigned short)__builtin_popcount(Value);
}
static __inline__ unsigned int __popcnt(unsigned int Value)
{
    return (unsigned int)__builtin_popcount(Value);
}
static __inline__ unsigned __int64 __popcnt64(unsigned __int64 Value)
{
    return (unsigned __int64)__builtin_popcountll(Value);
}

/* ---- barriers, breakpoints, counters ---------------------------------------------------- */

/* Compiler-only barriers: they stop the compiler from moving memory accesses across them. */
static __inline__ void _ReadWriteBarrier(void)
{
    __asm__ __volatile__("" ::: "memory");
}
static __inline__ void _ReadBarrier(void)
{
    __asm__ __volatile__("" ::: "memory");
}
static __inline__ void _WriteBarrier(void)
{
    __asm__ __volatile__("" ::: "memory");
}

/* A breakpoint trap: SIGTRAP, which stops a debugger here and ends the process without one (as an
 * unhandled breakpoint exception ends it on Windows). */
static __inline__ void __debugbreak(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __asm__ __volatile__("int3");
#elif defined(__aarch64__)
    __asm__ __volatile__("brk #0xf000");
#else
    __builtin_trap();
#endif
}

/* The caller's return address; a macro, since it must be read in the caller's own frame. */
#define _ReturnAddress() __builtin_return_address(0)

#if !defined(__x86_64__) && !defined(__i386__)
static __inline__ unsigned __int64 __rdtsc(void)
{
#if defined(__aarch64__)
    unsigned __int64 v;
    __asm__ __volatile__("mrs %0, cntvct_el0" : "=r"(v));
    return v;
#else
#error "intrin.h: __rdtsc needs x86-64 or arm64"
#endif
}
static __inline__ void _mm_pause(void)
{
#if defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}
#endif

#endif /* IISHOST_INTRIN_H */
#endif /* _WIN32 */
