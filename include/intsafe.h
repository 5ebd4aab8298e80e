/*
 * intsafe.h - the Windows safe integer functions: <Type>Add, <Type>Sub and
 * <Type>Mult for the common unsigned and signed types, and <From>To<To>
 * conversions. Each returns S_OK with the exact result, or
 * INTSAFE_E_ARITHMETIC_OVERFLOW with the result set to the target type's
 * *_ERROR value (all bits set for unsigned types, -1 for signed ones), as
 * Windows documents.
 *
 * Types keep their Windows widths (ULONG, LONG and DWORD are 32-bit; see
 * wintypes.h), so overflow happens where it happens on Windows. The checks
 * are the compiler's __builtin_*_overflow, which computes in infinite
 * precision and so also decides whether a value fits another type.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <intsafe.h>
#else
#ifndef IISHOST_INTSAFE_H
#define IISHOST_INTSAFE_H

#include <stddef.h>

#include "iishost/wintypes.h"
#include "iishost/winerror.h"

#define INTSAFE_E_ARITHMETIC_OVERFLOW ((HRESULT)0x80070216L)

#ifndef BYTE_ERROR
#define BYTE_ERROR 0xff
#endif
#ifndef SHORT_ERROR
#define SHORT_ERROR (-1)
#endif
#ifndef USHORT_ERROR
#define USHORT_ERROR 0xffff
#endif
#ifndef WORD_ERROR
#define WORD_ERROR USHORT_ERROR
#endif
#ifndef INT_ERROR
#define INT_ERROR (-1)
#endif
#ifndef UINT_ERROR
#define UINT_ERROR 0xffffffffU
#endif
#ifndef LONG_ERROR
#define LONG_ERROR (-1)
#endif
#ifndef ULONG_ERROR
#define ULONG_ERROR 0xffffffffU
#endif
#ifndef DWORD_ERROR
#define DWORD_ERROR ULONG_ERROR
#endif
#ifndef LONGLONG_ERROR
#define LONGLONG_ERROR (-1LL)
#endif
#ifndef ULONGLONG_ERROR
#define ULONGLONG_ERROR 0xffffffffffffffffULL
#endif
#ifndef INT_PTR_ERROR
#define INT_PTR_ERROR (-1LL)
#endif
#ifndef LONG_PTR_ERROR
#define LONG_PTR_ERROR (-1LL)
#endif
#ifndef UINT_PTR_ERROR
#define UINT_PTR_ERROR 0xffffffffffffffffULL
#endif
#ifndef ULONG_PTR_ERROR
#define ULONG_PTR_ERROR 0xffffffffffffffffULL
#endif
#ifndef DWORD_PTR_ERROR
#define DWORD_PTR_ERROR ULONG_PTR_ERROR
#endif
#ifndef SIZET_ERROR
#define SIZET_ERROR ULONG_PTR_ERROR
#endif
#ifndef SIZE_T_ERROR
#define SIZE_T_ERROR ULONG_PTR_ERROR
#endif

/* Add, Sub and Mult for one type T named N, with the error value E. */
#define IISHOST_INTSAFE_MATH(N, T, E)                                         \
    static __inline__ HRESULT N##Add(T Augend, T Addend, T *pResult)          \
    {                                                                         \
        if (__builtin_add_overflow(Augend, Addend, pResult)) {                \
            *pResult = (T)(E);                                                \
            return INTSAFE_E_ARITHMETIC_OVERFLOW;                             \
        }                                                                     \
        return S_OK;                                                          \
    }                                                                         \
    static __inline__ HRESULT N##Sub(T Minuend, T Subtrahend, T *pResult)     \
    {                                                                         \
        if (__builtin_sub_overflow(Minuend, Subtrahend, pResult)) {           \
            *pResult = (T)(E);                                                \
            return INTSAFE_E_ARITHMETIC_OVERFLOW;                             \
        }                                                                     \
        return S_OK;                                                          \
    }                                                                         \
    static __inline__ HRESULT N##Mult(T Multiplicand, T Multiplier, T *pResult) \
    {                                                                         \
        if (__builtin_mul_overflow(Multiplicand, Multiplier, pResult)) {      \
            *pResult = (T)(E);                                                \
            return INTSAFE_E_ARITHMETIC_OVERFLOW;                             \
        }                                                                     \
        return S_OK;                                                          \
    }

IISHOST_INTSAFE_MATH(UShort, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_MATH(Word, WORD, WORD_ERROR)
IISHOST_INTSAFE_MATH(UInt, UINT, UINT_ERROR)
IISHOST_INTSAFE_MATH(ULong, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_MATH(DWord, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_MATH(ULongLong, ULONGLONG, ULONGLONG_ERROR)
IISHOST_INTSAFE_MATH(DWord64, DWORD64, ULONGLONG_ERROR)
IISHOST_INTSAFE_MATH(SizeT, size_t, SIZET_ERROR)
IISHOST_INTSAFE_MATH(SIZET, SIZE_T, SIZET_ERROR)
IISHOST_INTSAFE_MATH(UIntPtr, UINT_PTR, UINT_PTR_ERROR)
IISHOST_INTSAFE_MATH(ULongPtr, ULONG_PTR, ULONG_PTR_ERROR)
IISHOST_INTSAFE_MATH(DWordPtr, DWORD_PTR, DWORD_PTR_ERROR)
IISHOST_INTSAFE_MATH(Short, SHORT, SHORT_ERROR)
IISHOST_INTSAFE_MATH(Int, INT, INT_ERROR)
IISHOST_INTSAFE_MATH(Long, LONG, LONG_ERROR)
IISHOST_INTSAFE_MATH(LongLong, LONGLONG, LONGLONG_ERROR)
IISHOST_INTSAFE_MATH(IntPtr, INT_PTR, INT_PTR_ERROR)
IISHOST_INTSAFE_MATH(LongPtr, LONG_PTR, LONG_PTR_ERROR)
#undef IISHOST_INTSAFE_MATH

/* A conversion named N from F to T, with T's error value E. */
#define IISHOST_INTSAFE_CONV(N, F, T, E)                            \
    static __inline__ HRESULT N(F Operand, T *pResult)              \
    {                                                               \
        if (__builtin_add_overflow(Operand, (F)0, pResult)) {       \
            *pResult = (T)(E);                                      \
            return INTSAFE_E_ARITHMETIC_OVERFLOW;                   \
        }                                                           \
        return S_OK;                                                \
    }

/* From unsigned 64-bit. */
IISHOST_INTSAFE_CONV(ULongLongToULong, ULONGLONG, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToDWord, ULONGLONG, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToUInt, ULONGLONG, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToUShort, ULONGLONG, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToSizeT, ULONGLONG, size_t, SIZET_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToLong, ULONGLONG, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToInt, ULONGLONG, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToLongLong, ULONGLONG, LONGLONG, LONGLONG_ERROR)
IISHOST_INTSAFE_CONV(ULongLongToLongPtr, ULONGLONG, LONG_PTR, LONG_PTR_ERROR)
/* From signed 64-bit. */
IISHOST_INTSAFE_CONV(LongLongToLong, LONGLONG, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(LongLongToInt, LONGLONG, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(LongLongToULong, LONGLONG, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(LongLongToDWord, LONGLONG, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(LongLongToUInt, LONGLONG, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(LongLongToULongLong, LONGLONG, ULONGLONG, ULONGLONG_ERROR)
IISHOST_INTSAFE_CONV(LongLongToSizeT, LONGLONG, size_t, SIZET_ERROR)
/* From size_t and the pointer-sized types. */
IISHOST_INTSAFE_CONV(SizeTToDWord, size_t, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(SizeTToULong, size_t, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(SizeTToUInt, size_t, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(SizeTToUShort, size_t, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_CONV(SizeTToInt, size_t, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(SizeTToLong, size_t, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(SizeTToLongLong, size_t, LONGLONG, LONGLONG_ERROR)
IISHOST_INTSAFE_CONV(SIZETToDWord, SIZE_T, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(SIZETToULong, SIZE_T, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(ULongPtrToULong, ULONG_PTR, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(ULongPtrToUInt, ULONG_PTR, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(ULongPtrToLong, ULONG_PTR, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(DWordPtrToDWord, DWORD_PTR, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(LongPtrToLong, LONG_PTR, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(LongPtrToULong, LONG_PTR, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(LongPtrToInt, LONG_PTR, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(LongPtrToUInt, LONG_PTR, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(LongPtrToSizeT, LONG_PTR, size_t, SIZET_ERROR)
IISHOST_INTSAFE_CONV(IntPtrToInt, INT_PTR, INT, INT_ERROR)
/* Between the 32-bit types. */
IISHOST_INTSAFE_CONV(ULongToLong, ULONG, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(ULongToInt, ULONG, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(ULongToUShort, ULONG, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_CONV(DWordToInt, DWORD, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(DWordToLong, DWORD, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(UIntToInt, UINT, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(UIntToLong, UINT, LONG, LONG_ERROR)
IISHOST_INTSAFE_CONV(UIntToUShort, UINT, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_CONV(IntToUInt, INT, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(IntToULong, INT, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(IntToDWord, INT, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(IntToSizeT, INT, size_t, SIZET_ERROR)
IISHOST_INTSAFE_CONV(IntToUShort, INT, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_CONV(IntToShort, INT, SHORT, SHORT_ERROR)
IISHOST_INTSAFE_CONV(IntToULongLong, INT, ULONGLONG, ULONGLONG_ERROR)
IISHOST_INTSAFE_CONV(LongToUInt, LONG, UINT, UINT_ERROR)
IISHOST_INTSAFE_CONV(LongToULong, LONG, ULONG, ULONG_ERROR)
IISHOST_INTSAFE_CONV(LongToDWord, LONG, DWORD, DWORD_ERROR)
IISHOST_INTSAFE_CONV(LongToInt, LONG, INT, INT_ERROR)
IISHOST_INTSAFE_CONV(LongToSizeT, LONG, size_t, SIZET_ERROR)
IISHOST_INTSAFE_CONV(LongToUShort, LONG, USHORT, USHORT_ERROR)
IISHOST_INTSAFE_CONV(LongToULongLong, LONG, ULONGLONG, ULONGLONG_ERROR)
#undef IISHOST_INTSAFE_CONV

#endif /* IISHOST_INTSAFE_H */
#endif /* _WIN32 */
