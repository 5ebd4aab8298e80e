/*
 * wtypes.h - OLE automation's scalar types: BSTR and OLECHAR, VARIANT_BOOL,
 * VARTYPE, DATE, CY and DECIMAL, plus the VARENUM (VT_*) values and
 * VARIANT_TRUE/VARIANT_FALSE from the generated iishost/oaidl_constants.h.
 * Layouts follow api/structs.tsv (scripts/check-layout.sh asserts them).
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <wtypes.h>
#else
#ifndef IISHOST_WTYPES_H
#define IISHOST_WTYPES_H

#include "iishost/wintypes.h"

/* OLECHAR follows WCHAR: 4 bytes on Linux, so a BSTR holds wchar_t characters
 * here (its length prefix still counts bytes). */
typedef WCHAR OLECHAR;
typedef OLECHAR *LPOLESTR;
typedef const OLECHAR *LPCOLESTR;
typedef OLECHAR *BSTR;
typedef BSTR *LPBSTR;

/* 16 bits, TRUE is -1: neither BOOL (4 bytes) nor bool. */
typedef short VARIANT_BOOL;
typedef unsigned short VARTYPE;
/* Days since 1899-12-30; the fraction is the time of day. */
typedef double DATE;
typedef LONG SCODE;
typedef SCODE *PSCODE;

/* Currency: a 64-bit integer scaled by 10,000. */
typedef union tagCY {
    IISHOST_NAMELESS struct {
        ULONG Lo;
        LONG Hi;
    };
    LONGLONG int64;
} CY, CURRENCY;

/* A 96-bit integer (Hi32:Mid32:Lo32) with a sign and a decimal scale. */
typedef struct tagDEC {
    USHORT wReserved;
    IISHOST_NAMELESS union {
        IISHOST_NAMELESS struct {
            BYTE scale;
            BYTE sign;
        };
        USHORT signscale;
    };
    ULONG Hi32;
    IISHOST_NAMELESS union {
        IISHOST_NAMELESS struct {
            ULONG Lo32;
            ULONG Mid32;
        };
        ULONGLONG Lo64;
    };
} DECIMAL, *LPDECIMAL;
#define DECIMAL_NEG ((BYTE)0x80)

#include "iishost/oaidl_constants.h"

#endif /* IISHOST_WTYPES_H */
#endif /* _WIN32 */
