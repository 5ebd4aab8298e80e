/*
 * iishost/winbase_types.h - the kernel32-level structures the IIS API passes
 * around: 64-bit integer unions, file times, OVERLAPPED and
 * SECURITY_ATTRIBUTES. Types only; the functions that use them come from the
 * host's compatibility layer.
 */
#ifndef IISHOST_WINBASE_TYPES_H
#define IISHOST_WINBASE_TYPES_H

#include "wintypes.h"

/* A 64-bit value also reachable as two 32-bit halves, by nameless members
 * (li.LowPart) and through `u` (li.u.LowPart). Little-endian: low half first. */
typedef union _LARGE_INTEGER {
    IISHOST_NAMELESS struct {
        DWORD LowPart;
        LONG HighPart;
    };
    struct {
        DWORD LowPart;
        LONG HighPart;
    } u;
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    IISHOST_NAMELESS struct {
        DWORD LowPart;
        DWORD HighPart;
    };
    struct {
        DWORD LowPart;
        DWORD HighPart;
    } u;
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

/* 100-ns intervals since 1601-01-01 UTC, split in two DWORDs (so 4-byte aligned). */
typedef struct _FILETIME {
    DWORD dwLowDateTime;
    DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

typedef struct _SYSTEMTIME {
    WORD wYear;
    WORD wMonth;
    WORD wDayOfWeek;
    WORD wDay;
    WORD wHour;
    WORD wMinute;
    WORD wSecond;
    WORD wMilliseconds;
} SYSTEMTIME, *PSYSTEMTIME, *LPSYSTEMTIME;

typedef struct _SECURITY_ATTRIBUTES {
    DWORD nLength;
    LPVOID lpSecurityDescriptor;
    BOOL bInheritHandle;
} SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;

/* The Windows x64 layout (32 bytes): modules embed it in their own request
 * state and recover that state with CONTAINING_RECORD. */
typedef struct _OVERLAPPED {
    ULONG_PTR Internal;
    ULONG_PTR InternalHigh;
    IISHOST_NAMELESS union {
        IISHOST_NAMELESS struct {
            DWORD Offset;
            DWORD OffsetHigh;
        };
        PVOID Pointer;
    };
    HANDLE hEvent;
} OVERLAPPED, *LPOVERLAPPED;

typedef VOID (WINAPI *LPOVERLAPPED_COMPLETION_ROUTINE)(
    DWORD dwErrorCode, DWORD dwNumberOfBytesTransfered, LPOVERLAPPED lpOverlapped);

#endif /* IISHOST_WINBASE_TYPES_H */
