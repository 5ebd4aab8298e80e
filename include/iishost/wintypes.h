/*
 * iishost/wintypes.h - the Windows base types (BYTE, DWORD, HANDLE, PCWSTR,
 * ...) with their Windows widths, plus the constants that go with them.
 *
 * Widths follow Windows, not the host: DWORD, ULONG, LONG, BOOL and HRESULT
 * are 32-bit everywhere (never `long`, which is 64-bit on Linux).
 * Choices where Windows and Linux spell a width differently:
 *  - 64-bit types are `long long`, as MSVC's __int64, so "%lld"/"%llu" print them;
 *  - pointer-sized types are intptr_t/uintptr_t and SIZE_T is size_t, so they
 *    pass straight to libc (Windows spells them __int64 on x64: same width);
 *  - WCHAR is the platform wchar_t (4 bytes on Linux), so L"..." literals and
 *    the wcs* functions work on it; lengths in bytes are chars * sizeof(WCHAR).
 */
#ifndef IISHOST_WINTYPES_H
#define IISHOST_WINTYPES_H

#include <stddef.h>
#include <stdint.h>

#include "msvc_keywords.h"

#ifndef VOID
#define VOID void
#endif
#define CONST const
/* Parameter-direction markers of old SDK prototypes; documentation only. */
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

typedef char CHAR, CCHAR;
typedef unsigned char UCHAR, BYTE, BOOLEAN;
typedef short SHORT;
typedef unsigned short USHORT, WORD;
typedef int INT, BOOL;
typedef unsigned int UINT;
typedef int32_t LONG;
typedef uint32_t ULONG, DWORD;
typedef long long LONGLONG, LONG64, INT64;
typedef unsigned long long ULONGLONG, ULONG64, DWORD64, UINT64, DWORDLONG;
typedef signed char INT8;
typedef unsigned char UINT8;
typedef short INT16;
typedef unsigned short UINT16;
typedef int INT32, LONG32;
typedef unsigned int UINT32, ULONG32, DWORD32;
typedef float FLOAT;
typedef double DOUBLE;

typedef intptr_t INT_PTR, LONG_PTR, SSIZE_T;
typedef uintptr_t UINT_PTR, ULONG_PTR, DWORD_PTR;
typedef size_t SIZE_T;
typedef UINT_PTR WPARAM;
typedef LONG_PTR LPARAM, LRESULT;

typedef LONG HRESULT;
typedef WORD ATOM, LANGID;
typedef DWORD LCID;

typedef wchar_t WCHAR;

/* Pointer typedefs. Windows' LP and P spellings name the same types. */
typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID, *PCVOID;
typedef CHAR *PCHAR, *LPCH, *PCH, *PSTR, *LPSTR, *NPSTR, *PSZ;
typedef const CHAR *LPCCH, *PCCH, *PCSTR, *LPCSTR, *PCSZ;
typedef WCHAR *PWCHAR, *LPWCH, *PWCH, *PWSTR, *LPWSTR, *NWPSTR;
typedef const WCHAR *LPCWCH, *PCWCH, *PCWSTR, *LPCWSTR;
typedef UCHAR *PUCHAR;
typedef BYTE *PBYTE, *LPBYTE;
typedef BOOLEAN *PBOOLEAN;
typedef SHORT *PSHORT;
typedef USHORT *PUSHORT;
typedef WORD *PWORD, *LPWORD;
typedef INT *PINT, *LPINT;
typedef UINT *PUINT;
typedef BOOL *PBOOL, *LPBOOL;
typedef LONG *PLONG, *LPLONG;
typedef ULONG *PULONG;
typedef DWORD *PDWORD, *LPDWORD;
typedef LONGLONG *PLONGLONG, *PLONG64, *PINT64;
typedef ULONGLONG *PULONGLONG, *PULONG64, *PDWORD64, *PUINT64, *PDWORDLONG;
typedef FLOAT *PFLOAT;
typedef INT_PTR *PINT_PTR;
typedef UINT_PTR *PUINT_PTR;
typedef LONG_PTR *PLONG_PTR;
typedef ULONG_PTR *PULONG_PTR;
typedef DWORD_PTR *PDWORD_PTR;
typedef SIZE_T *PSIZE_T;
typedef SSIZE_T *PSSIZE_T;
typedef HRESULT *PHRESULT;
typedef LCID *PLCID;

/* Handles are opaque pointers. Like the SDK's STRICT mode (its default),
 * each named handle kind is its own pointer type, so mixing kinds is an error. */
typedef void *HANDLE;
typedef HANDLE *PHANDLE, *LPHANDLE;
#define DECLARE_HANDLE(name) \
    struct name##__ { int unused; }; \
    typedef struct name##__ *name
DECLARE_HANDLE(HINSTANCE);
typedef HINSTANCE HMODULE;
DECLARE_HANDLE(HKEY);
typedef HKEY *PHKEY;
DECLARE_HANDLE(HWND);
typedef HANDLE HGLOBAL, HLOCAL;
typedef PVOID PSID;

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif

#define MAX_PATH 260
#define INFINITE 0xFFFFFFFF
#define INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1)
/* Size of the trailing variable-length arrays in SDK structures. */
#define ANYSIZE_ARRAY 1

#endif /* IISHOST_WINTYPES_H */
