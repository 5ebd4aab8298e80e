/*
 * iishost/winmacros.h - the SDK's small utility macros: unused-parameter
 * markers, element counts, word packing, memory fills and struct offsets.
 */
#ifndef IISHOST_WINMACROS_H
#define IISHOST_WINMACROS_H

#include <stddef.h>
#include <string.h>

#include "wintypes.h"

/* A cast to void counts as a use for -Wunused-parameter and does not trip
 * -Wunused-value the way the SDK's bare `(P)` would. */
#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))

/*
 * Element count of an array. In C++ it only accepts real arrays (a pointer
 * fails to compile, as with the SDK); in C it is the usual sizeof division.
 */
#ifdef __cplusplus
extern "C++" {
template <typename T, size_t N>
char (*iishost_countof_helper(T (&)[N]))[N];
}
#define _countof(a) (sizeof(*iishost_countof_helper(a)))
#else
#define _countof(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define ARRAYSIZE(a) _countof(a)
#define RTL_NUMBER_OF(a) (sizeof(a) / sizeof((a)[0]))

/*
 * min and max, unless NOMINMAX. In C they are the SDK's macros (and __min,
 * __max as stdlib.h's). In C++ they are function templates instead: a macro
 * named min breaks every standard header included after it (libstdc++,
 * unlike MSVC's library, does not shield std::min, std::max or
 * numeric_limits<T>::max() from it), while these work in any include order.
 * Like the macros they take two arguments of different types and return
 * their common type, so min(dwLeft, sizeof(buf)) compiles as on Windows; for
 * two arguments of one type, std::min is the better match under `using
 * namespace std`, so no call becomes ambiguous. A min or max macro the
 * module defined first is left alone.
 */
#ifndef NOMINMAX
#ifdef __cplusplus
extern "C++" {
/* A prvalue of T in unevaluated operands; never defined. (No <type_traits>: windows.h may sit
 * inside an extern "C" block, where a standard C++ header cannot be included.) */
template <class T> T iishost_minmax_value();
#define IISHOST_MINMAX_TYPE(A, B) decltype(true ? iishost_minmax_value<A>() : iishost_minmax_value<B>())
#ifndef min
template <class A, class B> constexpr IISHOST_MINMAX_TYPE(A, B) min(A a, B b)
{
    return a < b ? a : b;
}
#endif
#ifndef max
template <class A, class B> constexpr IISHOST_MINMAX_TYPE(A, B) max(A a, B b)
{
    return a > b ? a : b;
}
#endif
#undef IISHOST_MINMAX_TYPE
}
#else
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#ifndef __min
#define __min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#ifndef __max
#define __max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#endif
#endif

#define MAKEWORD(lo, hi) \
    ((WORD)(((BYTE)(((DWORD_PTR)(lo)) & 0xff)) | ((WORD)((BYTE)(((DWORD_PTR)(hi)) & 0xff))) << 8))
#define MAKELONG(lo, hi) \
    ((LONG)(((WORD)(((DWORD_PTR)(lo)) & 0xffff)) | ((DWORD)((WORD)(((DWORD_PTR)(hi)) & 0xffff))) << 16))
#define LOWORD(l) ((WORD)(((DWORD_PTR)(l)) & 0xffff))
#define HIWORD(l) ((WORD)((((DWORD_PTR)(l)) >> 16) & 0xffff))
#define LOBYTE(w) ((BYTE)(((DWORD_PTR)(w)) & 0xff))
#define HIBYTE(w) ((BYTE)((((DWORD_PTR)(w)) >> 8) & 0xff))

#define RtlEqualMemory(a, b, n) (memcmp((a), (b), (n)) == 0)
#define RtlCopyMemory(dst, src, n) memcpy((dst), (src), (n))
#define RtlMoveMemory(dst, src, n) memmove((dst), (src), (n))
#define RtlFillMemory(dst, n, fill) memset((dst), (fill), (n))
#define RtlZeroMemory(dst, n) memset((dst), 0, (n))
#define EqualMemory RtlEqualMemory
#define CopyMemory RtlCopyMemory
#define MoveMemory RtlMoveMemory
#define FillMemory RtlFillMemory
#define ZeroMemory RtlZeroMemory

/*
 * SecureZeroMemory must survive dead-store elimination (it wipes secrets
 * just before the buffer dies), which a memset does not: hence the volatile
 * stores. Returns its argument, as the SDK's does.
 */
static __inline__ PVOID iishost_secure_zero_memory(PVOID ptr, SIZE_T cnt)
{
    volatile unsigned char *p = (volatile unsigned char *)ptr;
    while (cnt--)
        *p++ = 0;
    return ptr;
}
#define SecureZeroMemory(dst, n) iishost_secure_zero_memory((dst), (n))
#define RtlSecureZeroMemory(dst, n) iishost_secure_zero_memory((dst), (n))

#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
/* The structure that holds `field` at `address` (e.g. the request state
 * around an OVERLAPPED). */
#define CONTAINING_RECORD(address, type, field) \
    ((type *)((char *)(address) - offsetof(type, field)))

#ifdef __cplusplus
#define C_ASSERT(e) static_assert((e), #e)
#else
#define C_ASSERT(e) _Static_assert((e), #e)
#endif

#endif /* IISHOST_WINMACROS_H */
