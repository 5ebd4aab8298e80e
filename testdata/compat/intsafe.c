/*
 * intsafe.c - intsafe.h in strict ISO C: sums, differences and products at
 * and past the limits of each width, the conversions between widths and
 * signs, the HRESULT and the documented error value of every overflow.
 */
#include <windows.h>
#include <intsafe.h>

#include <stdint.h>

#include "check.h"

static void test_math(void)
{
    UINT u;
    ULONG ul;
    DWORD dw;
    size_t st;
    SIZE_T sz;
    ULONGLONG ull;
    LONG l;
    INT i;
    LONGLONG ll;
    USHORT us;
    ULONG_PTR up;

    CHECK_EQ(UIntAdd(0xFFFFFFFEu, 1, &u), S_OK);
    CHECK_EQ(u, 0xFFFFFFFFu);
    CHECK_EQ(UIntAdd(0xFFFFFFFFu, 1, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(u, UINT_ERROR);
    CHECK_EQ(INTSAFE_E_ARITHMETIC_OVERFLOW, HRESULT_FROM_WIN32(ERROR_ARITHMETIC_OVERFLOW));
    CHECK_EQ((DWORD)INTSAFE_E_ARITHMETIC_OVERFLOW, 0x80070216u);
    /* ULONG and DWORD are 32-bit, as on Windows. */
    CHECK_EQ(ULongAdd(0x80000000u, 0x80000000u, &ul), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(ul, ULONG_ERROR);
    CHECK_EQ(ULongAdd(0x7FFFFFFFu, 0x80000000u, &ul), S_OK);
    CHECK_EQ(ul, 0xFFFFFFFFu);
    CHECK_EQ(DWordAdd(1, 2, &dw), S_OK);
    CHECK_EQ(dw, 3);
    CHECK_EQ(DWordSub(1, 2, &dw), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(dw, DWORD_ERROR);
    CHECK_EQ(DWordSub(2, 2, &dw), S_OK);
    CHECK_EQ(dw, 0);
    CHECK_EQ(SizeTAdd(SIZE_MAX - 1, 1, &st), S_OK);
    CHECK(st == SIZE_MAX);
    CHECK_EQ(SizeTAdd(SIZE_MAX, 1, &st), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK(st == SIZET_ERROR);
    CHECK_EQ(SIZETAdd(5, 6, &sz), S_OK);
    CHECK_EQ(sz, 11);

    CHECK_EQ(UIntMult(65536, 65535, &u), S_OK);
    CHECK_EQ(u, 0xFFFF0000u);
    CHECK_EQ(UIntMult(65536, 65536, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(u, UINT_ERROR);
    CHECK_EQ(ULongMult(0x10000u, 0x10000u, &ul), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(DWordMult(0, 0xFFFFFFFFu, &dw), S_OK);
    CHECK_EQ(dw, 0);
    CHECK_EQ(DWordMult(3, 0x55555555u, &dw), S_OK);
    CHECK_EQ(dw, 0xFFFFFFFFu);
    CHECK_EQ(DWordMult(3, 0x55555556u, &dw), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(SizeTMult(SIZE_MAX / 2, 2, &st), S_OK);
    CHECK_EQ(SizeTMult(SIZE_MAX / 2 + 1, 2, &st), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK(st == SIZET_ERROR);
    CHECK_EQ(SIZETMult(1ULL << 32, 1ULL << 32, &sz), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(ULongLongMult(1ULL << 32, 1ULL << 31, &ull), S_OK);
    CHECK(ull == 1ULL << 63);
    CHECK_EQ(ULongLongAdd(ULONGLONG_ERROR, 1, &ull), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(UShortAdd(0xFFFF, 1, &us), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(us, USHORT_ERROR);
    CHECK_EQ(ULongPtrAdd(1, 2, &up), S_OK);
    CHECK_EQ(up, 3);

    /* Signed: LONG is 32-bit; the error value is -1. */
    CHECK_EQ(LongAdd(0x7FFFFFFF, 1, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(l, LONG_ERROR);
    CHECK_EQ(LongAdd(-5, 3, &l), S_OK);
    CHECK_EQ(l, -2);
    CHECK_EQ(LongSub(-0x7FFFFFFF - 1, 1, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(LongMult(-65536, 32768, &l), S_OK);
    CHECK_EQ(l, -0x7FFFFFFF - 1);
    CHECK_EQ(LongMult(65536, 32768, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(IntMult(-1, -0x7FFFFFFF - 1, &i), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(i, INT_ERROR);
    CHECK_EQ(LongLongAdd(0x7FFFFFFFFFFFFFFFLL, 0, &ll), S_OK);
    CHECK_EQ(LongLongAdd(0x7FFFFFFFFFFFFFFFLL, 1, &ll), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(ll, LONGLONG_ERROR);
}

static void test_conversions(void)
{
    ULONG ul;
    DWORD dw;
    LONG l;
    INT i;
    UINT u;
    size_t st;
    USHORT us;
    ULONGLONG ull;

    CHECK_EQ(ULongLongToULong(0xFFFFFFFFULL, &ul), S_OK);
    CHECK_EQ(ul, 0xFFFFFFFFu);
    CHECK_EQ(ULongLongToULong(0x100000000ULL, &ul), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(ul, ULONG_ERROR);
    CHECK_EQ(ULongLongToDWord(42, &dw), S_OK);
    CHECK_EQ(dw, 42);
    CHECK_EQ(ULongLongToDWord(1ULL << 40, &dw), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(SizeTToDWord((size_t)0xFFFFFFFFu, &dw), S_OK);
    CHECK_EQ(SizeTToDWord((size_t)1 << 32, &dw), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(dw, DWORD_ERROR);
    CHECK_EQ(SizeTToInt((size_t)0x80000000u, &i), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(i, INT_ERROR);
    CHECK_EQ(SizeTToInt(7, &i), S_OK);
    CHECK_EQ(i, 7);

    CHECK_EQ(LongLongToLong(-0x80000000LL, &l), S_OK);
    CHECK_EQ(l, -0x7FFFFFFF - 1);
    CHECK_EQ(LongLongToLong(-0x80000001LL, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(l, LONG_ERROR);
    CHECK_EQ(LongLongToLong(0x80000000LL, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(LongLongToULong(-1, &ul), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(ul, ULONG_ERROR);
    CHECK_EQ(LongLongToSizeT(-1, &st), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(LongLongToULongLong(5, &ull), S_OK);

    /* Sign changes at the same width. */
    CHECK_EQ(ULongToLong(0x7FFFFFFFu, &l), S_OK);
    CHECK_EQ(ULongToLong(0x80000000u, &l), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(DWordToInt(0xFFFFFFFFu, &i), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(IntToUInt(-1, &u), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(u, UINT_ERROR);
    CHECK_EQ(IntToUInt(0, &u), S_OK);
    CHECK_EQ(u, 0);
    CHECK_EQ(LongToDWord(-2, &dw), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(LongToSizeT(-1, &st), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(LongToSizeT(123, &st), S_OK);
    CHECK_EQ(st, 123);
    CHECK_EQ(UIntToUShort(0x10000u, &us), INTSAFE_E_ARITHMETIC_OVERFLOW);
    CHECK_EQ(us, USHORT_ERROR);
    CHECK_EQ(IntToUShort(65535, &us), S_OK);
    CHECK_EQ(us, 65535);
}

int main(void)
{
    test_math();
    test_conversions();
    return check_finish();
}
