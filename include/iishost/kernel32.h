/*
 * iishost/kernel32.h - the kernel32 functions IIS modules call, on Linux:
 * last error, Interlocked*, critical sections, SRW locks, condition
 * variables, one-time init, sleeping and clocks, FILETIME/SYSTEMTIME,
 * thread and process ids, process-heap and Local/Global memory, code-page
 * conversion (UTF-8), the lstr* string functions and wsprintf; plus TCHAR/TEXT, which
 * the SDK keeps in winnt.h.
 *
 * Header-only (static inline), so a module links no library of ours. Where
 * Linux cannot give the Windows behaviour, the comment at the function says
 * what differs. Kernel objects and handles (CloseHandle, events, mutexes,
 * semaphores, CreateThread, WaitFor*Object(s)) are in kernel_objects.h, the
 * thread pool and timer queues in threadpool.h, file handles in fileapi.h.
 * Not provided:
 *  - private heaps (HeapCreate/HeapDestroy), alertable waits and APCs;
 *  - moveable memory and the reallocation of Local/Global blocks;
 *
 * 64-bit Linux only (x86-64, arm64): the lock words rely on 64-bit pointers.
 */
#ifndef IISHOST_KERNEL32_H
#define IISHOST_KERNEL32_H

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "wintypes.h"
#include "winerror.h"
#include "winbase_types.h"
#include "crt_secure.h"

#if UINTPTR_MAX != 0xFFFFFFFFFFFFFFFFu
#error "iishost/kernel32.h supports 64-bit targets only"
#endif

/*
 * Strict ISO C (-std=c99/c11, no _GNU_SOURCE or _POSIX_C_SOURCE) makes glibc
 * hide the POSIX functions used below, and by the time this header runs
 * <features.h> has been read, so a feature macro would come too late. The
 * few needed are declared here with their glibc prototypes instead; C++ and
 * the gnu* C modes see glibc's own declarations.
 */
#if !defined(__cplusplus) && defined(__GLIBC__)
#ifndef __USE_POSIX199309
extern int clock_gettime(__clockid_t, struct timespec *);
extern int nanosleep(const struct timespec *, struct timespec *);
#endif
#ifndef __USE_POSIX
extern struct tm *localtime_r(const time_t *__restrict, struct tm *__restrict);
#endif
#ifndef __USE_MISC
extern long syscall(long, ...);
#endif
#endif

/* Linux ABI values, spelled out because glibc hides the names in strict ISO C. */
#define IISHOST_CLOCK_REALTIME 0
#define IISHOST_CLOCK_MONOTONIC 1
#define IISHOST_CLOCK_BOOTTIME 7
#define IISHOST_FUTEX_WAIT_PRIVATE 128
#define IISHOST_FUTEX_WAKE_PRIVATE 129

/* ---- TCHAR and TEXT (winnt.h), chosen by UNICODE ------------------------ */

#ifdef UNICODE
typedef WCHAR TCHAR, TBYTE;
#define __TEXT(quote) L##quote
#else
typedef char TCHAR;
typedef unsigned char TBYTE;
#define __TEXT(quote) quote
#endif
#ifndef TEXT
#define TEXT(quote) __TEXT(quote)
#endif
typedef TCHAR *PTCHAR, *LPTCH, *PTCH, *PTSTR, *LPTSTR;
typedef const TCHAR *LPCTSTR, *PCTSTR, *LPCTCH, *PCTCH;
typedef TBYTE *PTBYTE;

/* ---- last error ----------------------------------------------------------- */

/*
 * One value per thread for the whole module: the variable is weak, so every
 * translation unit's copy merges into one, and hidden, so each module (and
 * the host) keeps its own. Unlike Windows, a value set by another module is
 * not seen here.
 */
#ifdef __cplusplus
extern "C" {
#endif
__attribute__((__weak__, __visibility__("hidden"))) __thread DWORD iishost_last_error = 0;
#ifdef __cplusplus
}
#endif

static __inline__ DWORD GetLastError(void)
{
    return iishost_last_error;
}

static __inline__ VOID SetLastError(DWORD dwErrCode)
{
    iishost_last_error = dwErrCode;
}

/* ---- Interlocked* ------------------------------------------------------- */

/*
 * All with full (sequentially consistent) barriers, as on Windows. The
 * Acquire/Release/NoFence variants map to the full-barrier forms, which is
 * always at least as strong. In C++ the SDK's overloads for unsigned types
 * exist too (so a DWORD reference count works); here they also cover
 * `long` and `unsigned long`, which are 64-bit on Linux.
 */
static __inline__ LONG InterlockedIncrement(LONG volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static __inline__ LONG InterlockedDecrement(LONG volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
/* Returns the previous value. */
static __inline__ LONG InterlockedExchange(LONG volatile *Target, LONG Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
/* Stores Exchange if *Destination equals Comperand; returns the previous value. */
static __inline__ LONG InterlockedCompareExchange(LONG volatile *Destination, LONG Exchange, LONG Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return Comperand;
}
/* Returns the previous value. */
static __inline__ LONG InterlockedExchangeAdd(LONG volatile *Addend, LONG Value)
{
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
/* Returns the new value. */
static __inline__ LONG InterlockedAdd(LONG volatile *Addend, LONG Value)
{
    return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
/* The bitwise operations return the previous value. */
static __inline__ LONG InterlockedAnd(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG InterlockedOr(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG InterlockedXor(LONG volatile *Destination, LONG Value)
{
    return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}

static __inline__ LONG64 InterlockedIncrement64(LONG64 volatile *Addend)
{
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedDecrement64(LONG64 volatile *Addend)
{
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedExchange64(LONG64 volatile *Target, LONG64 Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedCompareExchange64(LONG64 volatile *Destination, LONG64 Exchange,
                                                      LONG64 Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return Comperand;
}
static __inline__ LONG64 InterlockedExchangeAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedAdd64(LONG64 volatile *Addend, LONG64 Value)
{
    return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedAnd64(LONG64 volatile *Destination, LONG64 Value)
{
    return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedOr64(LONG64 volatile *Destination, LONG64 Value)
{
    return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);
}
static __inline__ LONG64 InterlockedXor64(LONG64 volatile *Destination, LONG64 Value)
{
    return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);
}

static __inline__ PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value)
{
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}
static __inline__ PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination, PVOID Exchange,
                                                          PVOID Comperand)
{
    __atomic_compare_exchange_n(Destination, &Comperand, Exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    return Comperand;
}

#ifdef __cplusplus
extern "C++" {
#define IISHOST_INTERLOCKED_OVERLOADS(T, SUFFIX)                                                  \
    static inline T InterlockedIncrement##SUFFIX(T volatile *p)                                   \
    {                                                                                             \
        return __atomic_add_fetch(p, (T)1, __ATOMIC_SEQ_CST);                                     \
    }                                                                                             \
    static inline T InterlockedDecrement##SUFFIX(T volatile *p)                                   \
    {                                                                                             \
        return __atomic_sub_fetch(p, (T)1, __ATOMIC_SEQ_CST);                                     \
    }                                                                                             \
    static inline T InterlockedExchange##SUFFIX(T volatile *p, T v)                               \
    {                                                                                             \
        return __atomic_exchange_n(p, v, __ATOMIC_SEQ_CST);                                       \
    }                                                                                             \
    static inline T InterlockedCompareExchange##SUFFIX(T volatile *p, T exchange, T comperand)    \
    {                                                                                             \
        __atomic_compare_exchange_n(p, &comperand, exchange, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
        return comperand;                                                                         \
    }                                                                                             \
    static inline T InterlockedExchangeAdd##SUFFIX(T volatile *p, T v)                            \
    {                                                                                             \
        return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);                                        \
    }                                                                                             \
    static inline T InterlockedAnd##SUFFIX(T volatile *p, T v)                                    \
    {                                                                                             \
        return __atomic_fetch_and(p, v, __ATOMIC_SEQ_CST);                                        \
    }                                                                                             \
    static inline T InterlockedOr##SUFFIX(T volatile *p, T v)                                     \
    {                                                                                             \
        return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);                                         \
    }                                                                                             \
    static inline T InterlockedXor##SUFFIX(T volatile *p, T v)                                    \
    {                                                                                             \
        return __atomic_fetch_xor(p, v, __ATOMIC_SEQ_CST);                                        \
    }
IISHOST_INTERLOCKED_OVERLOADS(unsigned int, )
IISHOST_INTERLOCKED_OVERLOADS(long, )
IISHOST_INTERLOCKED_OVERLOADS(unsigned long, )
IISHOST_INTERLOCKED_OVERLOADS(unsigned long long, )
IISHOST_INTERLOCKED_OVERLOADS(unsigned long long, 64)
#undef IISHOST_INTERLOCKED_OVERLOADS
}
#endif

#define InterlockedIncrementAcquire InterlockedIncrement
#define InterlockedIncrementRelease InterlockedIncrement
#define InterlockedIncrementNoFence InterlockedIncrement
#define InterlockedDecrementAcquire InterlockedDecrement
#define InterlockedDecrementRelease InterlockedDecrement
#define InterlockedDecrementNoFence InterlockedDecrement
#define InterlockedExchangeAcquire InterlockedExchange
#define InterlockedExchangeNoFence InterlockedExchange
#define InterlockedCompareExchangeAcquire InterlockedCompareExchange
#define InterlockedCompareExchangeRelease InterlockedCompareExchange
#define InterlockedCompareExchangeNoFence InterlockedCompareExchange
#define InterlockedCompareExchangeAcquire64 InterlockedCompareExchange64
#define InterlockedCompareExchangeRelease64 InterlockedCompareExchange64
#define InterlockedCompareExchangePointerAcquire InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerRelease InterlockedCompareExchangePointer
#define InterlockedCompareExchangePointerNoFence InterlockedCompareExchangePointer
#define InterlockedExchangePointerAcquire InterlockedExchangePointer
#define InterlockedExchangePointerNoFence InterlockedExchangePointer

/* A full fence. gcc rejects fences under ThreadSanitizer, so there a locked
 * read-modify-write (what Windows' x64 MemoryBarrier itself uses) stands in. */
static __inline__ VOID iishost_memory_barrier(void)
{
#if defined(__SANITIZE_THREAD__)
    LONG word = 0;
    __atomic_fetch_or(&word, 0, __ATOMIC_SEQ_CST);
#else
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}
#define MemoryBarrier() iishost_memory_barrier()

/* The CPU's spin-wait hint (PAUSE on x86, YIELD on arm64). */
static __inline__ VOID iishost_yield_processor(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield" ::: "memory");
#endif
}
#define YieldProcessor() iishost_yield_processor()

/* ---- threads, processes, sleeping and clocks ---------------------------- */

/* The kernel thread id (what ps -L and gdb show), cached per thread. A
 * forked child's threads would keep the parent's cached ids; modules do
 * not fork. */
static __inline__ DWORD GetCurrentThreadId(void)
{
    static __thread DWORD cached;
    if (cached == 0)
        cached = (DWORD)syscall(SYS_gettid);
    return cached;
}

static __inline__ DWORD GetCurrentProcessId(void)
{
    return (DWORD)getpid();
}

static __inline__ BOOL SwitchToThread(void)
{
    return sched_yield() == 0;
}

/* Nanoseconds on a Linux clock (the monotonic one if the requested clock
 * is missing, as CLOCK_BOOTTIME is before Linux 2.6.39). */
static __inline__ ULONGLONG iishost_clock_ns(int clockId)
{
    struct timespec ts;
    if (clock_gettime(clockId, &ts) != 0)
        clock_gettime(IISHOST_CLOCK_MONOTONIC, &ts);
    return (ULONGLONG)ts.tv_sec * 1000000000u + (ULONGLONG)ts.tv_nsec;
}

/* Sleep(0) gives up the rest of the time slice; INFINITE never returns.
 * Signals do not shorten the sleep. */
static __inline__ VOID Sleep(DWORD dwMilliseconds)
{
    struct timespec left;
    if (dwMilliseconds == 0) {
        sched_yield();
        return;
    }
    for (;;) {
        left.tv_sec = (time_t)(dwMilliseconds / 1000);
        left.tv_nsec = (long)(dwMilliseconds % 1000) * 1000000L;
        while (nanosleep(&left, &left) != 0 && errno == EINTR) {
        }
        if (dwMilliseconds != INFINITE)
            return;
    }
}

#define WAIT_IO_COMPLETION 0x000000C0
/* There are no APCs or alertable I/O here, so an alertable sleep is a plain
 * sleep and always returns 0 (never WAIT_IO_COMPLETION). */
static __inline__ DWORD SleepEx(DWORD dwMilliseconds, BOOL bAlertable)
{
    (void)bAlertable;
    Sleep(dwMilliseconds);
    return 0;
}

/* Milliseconds since boot, counting time suspended (CLOCK_BOOTTIME), as
 * Windows does. The 32-bit form wraps after 49.7 days, as on Windows. */
static __inline__ ULONGLONG GetTickCount64(void)
{
    return iishost_clock_ns(IISHOST_CLOCK_BOOTTIME) / 1000000u;
}
static __inline__ DWORD GetTickCount(void)
{
    return (DWORD)GetTickCount64();
}

/* A 10 MHz counter (100-ns ticks of CLOCK_MONOTONIC): the frequency modern
 * Windows reports, so tick arithmetic written for Windows keeps its range. */
static __inline__ BOOL QueryPerformanceFrequency(LARGE_INTEGER *lpFrequency)
{
    lpFrequency->QuadPart = 10000000;
    return TRUE;
}
static __inline__ BOOL QueryPerformanceCounter(LARGE_INTEGER *lpPerformanceCount)
{
    lpPerformanceCount->QuadPart = (LONGLONG)(iishost_clock_ns(IISHOST_CLOCK_MONOTONIC) / 100u);
    return TRUE;
}

/* ---- FILETIME and SYSTEMTIME ------------------------------------------------ */

/* FILETIME counts 100-ns ticks since 1601-01-01 UTC. */
#define IISHOST_TICKS_PER_SECOND 10000000ULL
#define IISHOST_TICKS_PER_DAY 864000000000ULL
/* Seconds from 1601-01-01 to the Unix epoch, 1970-01-01. */
#define IISHOST_SECONDS_1601_TO_1970 11644473600LL
#define IISHOST_FILETIME_MAX 0x7FFFFFFFFFFFFFFFULL

static __inline__ ULONGLONG iishost_filetime_get(const FILETIME *ft)
{
    return ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
}
static __inline__ VOID iishost_filetime_set(FILETIME *ft, ULONGLONG ticks)
{
    ft->dwLowDateTime = (DWORD)ticks;
    ft->dwHighDateTime = (DWORD)(ticks >> 32);
}

/*
 * Days from 1601-01-01 to a date of the proleptic Gregorian calendar.
 * Counting from 1600-03-01 puts leap days at the end of each year and 1600
 * starts a 400-year cycle, so the arithmetic stays small and unsigned.
 */
static __inline__ ULONGLONG iishost_days_from_civil(unsigned year, unsigned month, unsigned day)
{
    unsigned y = year - 1600 - (month <= 2 ? 1 : 0);
    unsigned cycle = y / 400, yearInCycle = y % 400;
    unsigned dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1; /* from March 1 */
    unsigned dayInCycle = yearInCycle * 365 + yearInCycle / 4 - yearInCycle / 100 + dayOfYear;
    return (ULONGLONG)cycle * 146097 + dayInCycle - 306; /* 306 days from 1600-03-01 to 1601-01-01 */
}

/* The inverse: the date `days` days after 1601-01-01. */
static __inline__ VOID iishost_civil_from_days(ULONGLONG days, WORD *year, WORD *month, WORD *day)
{
    ULONGLONG z = days + 306;
    ULONGLONG cycle = z / 146097;
    unsigned dayInCycle = (unsigned)(z % 146097);
    unsigned yearInCycle = (dayInCycle - dayInCycle / 1460 + dayInCycle / 36524 - dayInCycle / 146096) / 365;
    unsigned dayOfYear = dayInCycle - (365 * yearInCycle + yearInCycle / 4 - yearInCycle / 100);
    unsigned mp = (5 * dayOfYear + 2) / 153; /* 0 = March */
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    *day = (WORD)(dayOfYear - (153 * mp + 2) / 5 + 1);
    *month = (WORD)m;
    *year = (WORD)(cycle * 400 + yearInCycle + 1600 + (m <= 2 ? 1 : 0));
}

static __inline__ unsigned iishost_days_in_month(unsigned year, unsigned month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

/* Fails (ERROR_INVALID_PARAMETER) for times at or past 2^63 ticks, as on Windows. */
static __inline__ BOOL FileTimeToSystemTime(const FILETIME *lpFileTime, LPSYSTEMTIME lpSystemTime)
{
    ULONGLONG t = iishost_filetime_get(lpFileTime), days, rest;
    if (t > IISHOST_FILETIME_MAX) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    days = t / IISHOST_TICKS_PER_DAY;
    rest = t % IISHOST_TICKS_PER_DAY;
    iishost_civil_from_days(days, &lpSystemTime->wYear, &lpSystemTime->wMonth, &lpSystemTime->wDay);
    lpSystemTime->wDayOfWeek = (WORD)((days + 1) % 7); /* 1601-01-01 was a Monday; 0 is Sunday */
    lpSystemTime->wHour = (WORD)(rest / (3600 * IISHOST_TICKS_PER_SECOND));
    lpSystemTime->wMinute = (WORD)(rest / (60 * IISHOST_TICKS_PER_SECOND) % 60);
    lpSystemTime->wSecond = (WORD)(rest / IISHOST_TICKS_PER_SECOND % 60);
    lpSystemTime->wMilliseconds = (WORD)(rest / 10000 % 1000);
    return TRUE;
}

/* Validates every field (years 1601..30827) except wDayOfWeek, which is ignored. */
static __inline__ BOOL SystemTimeToFileTime(const SYSTEMTIME *lpSystemTime, LPFILETIME lpFileTime)
{
    const SYSTEMTIME *st = lpSystemTime;
    ULONGLONG t;
    if (st->wYear < 1601 || st->wYear > 30827 || st->wMonth < 1 || st->wMonth > 12 || st->wDay < 1 ||
        st->wDay > iishost_days_in_month(st->wYear, st->wMonth) || st->wHour > 23 || st->wMinute > 59 ||
        st->wSecond > 59 || st->wMilliseconds > 999) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    t = iishost_days_from_civil(st->wYear, st->wMonth, st->wDay) * IISHOST_TICKS_PER_DAY +
        ((ULONGLONG)st->wHour * 3600 + (ULONGLONG)st->wMinute * 60 + st->wSecond) * IISHOST_TICKS_PER_SECOND +
        (ULONGLONG)st->wMilliseconds * 10000;
    iishost_filetime_set(lpFileTime, t);
    return TRUE;
}

static __inline__ VOID GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    ULONGLONG ns = iishost_clock_ns(IISHOST_CLOCK_REALTIME);
    iishost_filetime_set(lpSystemTimeAsFileTime,
                         ns / 100 + (ULONGLONG)IISHOST_SECONDS_1601_TO_1970 * IISHOST_TICKS_PER_SECOND);
}
/* The clock already has nanosecond resolution. */
static __inline__ VOID GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime)
{
    GetSystemTimeAsFileTime(lpSystemTimeAsFileTime);
}

static __inline__ VOID GetSystemTime(LPSYSTEMTIME lpSystemTime)
{
    FILETIME ft;
    GetSystemTimeAsFileTime(&ft);
    FileTimeToSystemTime(&ft, lpSystemTime);
}

/* The local time zone's current offset from UTC, in seconds (from the TZ
 * environment variable or /etc/localtime, via localtime_r). */
static __inline__ LONGLONG iishost_local_bias_seconds(time_t at)
{
    struct tm tm;
    LONGLONG local;
    if (localtime_r(&at, &tm) == NULL)
        return 0;
    local = (LONGLONG)iishost_days_from_civil((unsigned)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
                                              (unsigned)tm.tm_mday) * 86400 +
            tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
    return local - ((LONGLONG)at + IISHOST_SECONDS_1601_TO_1970);
}

static __inline__ VOID GetLocalTime(LPSYSTEMTIME lpSystemTime)
{
    FILETIME ft;
    ULONGLONG ns = iishost_clock_ns(IISHOST_CLOCK_REALTIME);
    time_t now = (time_t)(ns / 1000000000u);
    LONGLONG local = (LONGLONG)(ns / 100) + ((LONGLONG)IISHOST_SECONDS_1601_TO_1970 + iishost_local_bias_seconds(now)) *
                                                (LONGLONG)IISHOST_TICKS_PER_SECOND;
    iishost_filetime_set(&ft, (ULONGLONG)local);
    FileTimeToSystemTime(&ft, lpSystemTime);
}

/* Shifts by the time zone's offset NOW, not the one in force at the given
 * time: Windows documents exactly this (a summer date converted in winter
 * gets the winter offset). */
static __inline__ BOOL iishost_filetime_shift(const FILETIME *in, LPFILETIME out, LONGLONG seconds)
{
    LONGLONG t = (LONGLONG)iishost_filetime_get(in);
    LONGLONG shift = seconds * (LONGLONG)IISHOST_TICKS_PER_SECOND;
    if (t < 0 || (shift < 0 && t < -shift) || (shift > 0 && t > (LONGLONG)IISHOST_FILETIME_MAX - shift)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    iishost_filetime_set(out, (ULONGLONG)(t + shift));
    return TRUE;
}
static __inline__ BOOL FileTimeToLocalFileTime(const FILETIME *lpFileTime, LPFILETIME lpLocalFileTime)
{
    return iishost_filetime_shift(lpFileTime, lpLocalFileTime, iishost_local_bias_seconds(time(NULL)));
}
static __inline__ BOOL LocalFileTimeToFileTime(const FILETIME *lpLocalFileTime, LPFILETIME lpFileTime)
{
    return iishost_filetime_shift(lpLocalFileTime, lpFileTime, -iishost_local_bias_seconds(time(NULL)));
}

/* -1, 0 or 1 as the first time is earlier than, equal to or later than the second. */
static __inline__ LONG CompareFileTime(const FILETIME *lpFileTime1, const FILETIME *lpFileTime2)
{
    ULONGLONG a = iishost_filetime_get(lpFileTime1), b = iishost_filetime_get(lpFileTime2);
    return a < b ? -1 : a > b ? 1 : 0;
}

/* ---- futex helpers for the pointer-sized lock words ----------------------- */

/*
 * SRWLOCK, CONDITION_VARIABLE and INIT_ONCE are, as on Windows, one pointer
 * that starts as zero ({0} static initializers) and is never destroyed. Their
 * state lives in the low 32 bits of that pointer, which is also the futex
 * word threads sleep on; the pointer is only ever accessed atomically as a
 * whole.
 */
static __inline__ void *iishost_futex_word(PVOID *ptr)
{
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return (char *)ptr + 4;
#else
    return ptr;
#endif
}
static __inline__ uintptr_t iishost_word_load(PVOID *ptr)
{
    return (uintptr_t)__atomic_load_n(ptr, __ATOMIC_ACQUIRE);
}
/* On failure *expected gets the current value. */
static __inline__ int iishost_word_cas(PVOID *ptr, uintptr_t *expected, uintptr_t desired)
{
    PVOID seen = (PVOID)*expected;
    int ok = __atomic_compare_exchange_n(ptr, &seen, (PVOID)desired, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    *expected = (uintptr_t)seen;
    return ok;
}
/* Sleeps while the word holds `expected`; returns 0 when woken, or
 * EAGAIN, EINTR or ETIMEDOUT. errno is preserved. */
static __inline__ int iishost_futex_wait(PVOID *ptr, uint32_t expected, const struct timespec *timeout)
{
    int saved = errno, result = 0;
    if (syscall(SYS_futex, iishost_futex_word(ptr), IISHOST_FUTEX_WAIT_PRIVATE, expected, timeout, NULL, 0) != 0)
        result = errno;
    errno = saved;
    return result;
}
static __inline__ void iishost_futex_wake(PVOID *ptr, int count)
{
    int saved = errno;
    syscall(SYS_futex, iishost_futex_word(ptr), IISHOST_FUTEX_WAKE_PRIVATE, count, NULL, NULL, 0);
    errno = saved;
}

/* ---- critical sections -------------------------------------------------- */

/*
 * Recursive, as on Windows: a plain pthread mutex plus the owner's thread id
 * and a recursion count, kept in the fields Windows also has (OwningThread
 * holds the thread id). Leaving a section the thread does not own is
 * undefined, as on Windows. The spin count is honoured: Enter tries that
 * many times before it blocks.
 */
typedef struct _RTL_CRITICAL_SECTION {
    pthread_mutex_t iishost_mutex;
    HANDLE OwningThread;
    LONG RecursionCount;
    ULONG_PTR SpinCount;
} RTL_CRITICAL_SECTION, CRITICAL_SECTION, *PRTL_CRITICAL_SECTION, *PCRITICAL_SECTION, *LPCRITICAL_SECTION;

#define CRITICAL_SECTION_NO_DEBUG_INFO 0x01000000
/* The SDK's "preallocate the event" bit of a spin count; meaningless here. */
#define IISHOST_CS_SPIN_MASK 0x00FFFFFFu

static __inline__ BOOL InitializeCriticalSectionEx(LPCRITICAL_SECTION cs, DWORD dwSpinCount, DWORD Flags)
{
    (void)Flags;
    cs->OwningThread = NULL;
    cs->RecursionCount = 0;
    cs->SpinCount = dwSpinCount & IISHOST_CS_SPIN_MASK;
    if (pthread_mutex_init(&cs->iishost_mutex, NULL) != 0) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}
static __inline__ BOOL InitializeCriticalSectionAndSpinCount(LPCRITICAL_SECTION cs, DWORD dwSpinCount)
{
    return InitializeCriticalSectionEx(cs, dwSpinCount, 0);
}
static __inline__ VOID InitializeCriticalSection(LPCRITICAL_SECTION cs)
{
    InitializeCriticalSectionEx(cs, 0, 0);
}
/* Returns the previous spin count. */
static __inline__ DWORD SetCriticalSectionSpinCount(LPCRITICAL_SECTION cs, DWORD dwSpinCount)
{
    DWORD previous = (DWORD)cs->SpinCount;
    cs->SpinCount = dwSpinCount & IISHOST_CS_SPIN_MASK;
    return previous;
}

static __inline__ HANDLE iishost_thread_handle_id(void)
{
    return (HANDLE)(ULONG_PTR)GetCurrentThreadId();
}
/* True if the calling thread holds cs; then it just counts one more entry.
 * Only the owner ever stores its own id, so a relaxed read is enough. */
static __inline__ BOOL iishost_cs_reenter(LPCRITICAL_SECTION cs)
{
    if (__atomic_load_n(&cs->OwningThread, __ATOMIC_RELAXED) != iishost_thread_handle_id())
        return FALSE;
    cs->RecursionCount++;
    return TRUE;
}
static __inline__ VOID iishost_cs_owned(LPCRITICAL_SECTION cs)
{
    __atomic_store_n(&cs->OwningThread, iishost_thread_handle_id(), __ATOMIC_RELAXED);
    cs->RecursionCount = 1;
}

static __inline__ VOID EnterCriticalSection(LPCRITICAL_SECTION cs)
{
    ULONG_PTR spin;
    if (iishost_cs_reenter(cs))
        return;
    for (spin = cs->SpinCount; spin > 0; spin--) {
        if (pthread_mutex_trylock(&cs->iishost_mutex) == 0) {
            iishost_cs_owned(cs);
            return;
        }
        YieldProcessor();
    }
    pthread_mutex_lock(&cs->iishost_mutex);
    iishost_cs_owned(cs);
}

static __inline__ BOOL TryEnterCriticalSection(LPCRITICAL_SECTION cs)
{
    if (iishost_cs_reenter(cs))
        return TRUE;
    if (pthread_mutex_trylock(&cs->iishost_mutex) != 0)
        return FALSE;
    iishost_cs_owned(cs);
    return TRUE;
}

static __inline__ VOID LeaveCriticalSection(LPCRITICAL_SECTION cs)
{
    if (--cs->RecursionCount > 0)
        return;
    __atomic_store_n(&cs->OwningThread, (HANDLE)NULL, __ATOMIC_RELAXED);
    pthread_mutex_unlock(&cs->iishost_mutex);
}

static __inline__ VOID DeleteCriticalSection(LPCRITICAL_SECTION cs)
{
    pthread_mutex_destroy(&cs->iishost_mutex);
}

/* ---- slim reader/writer locks ---------------------------------------------- */

/*
 * State bits of the low word: WRITER (held exclusively), WRITER_WAITING (a
 * writer sleeps: new readers wait, so writers are not starved), SLEEPERS
 * (someone sleeps on the word: the release that frees the lock must wake
 * them), and a reader count above. Each release that frees the lock while
 * SLEEPERS is set clears it and wakes every sleeper; those that lose the
 * race set it again and sleep. Not recursive, as on Windows: a thread that
 * takes the lock shared twice can deadlock with a waiting writer.
 */
typedef struct _RTL_SRWLOCK {
    PVOID Ptr;
} RTL_SRWLOCK, SRWLOCK, *PRTL_SRWLOCK, *PSRWLOCK;
#define RTL_SRWLOCK_INIT {0}
#define SRWLOCK_INIT RTL_SRWLOCK_INIT

#define IISHOST_SRW_WRITER ((uintptr_t)1)
#define IISHOST_SRW_WRITER_WAITING ((uintptr_t)2)
#define IISHOST_SRW_SLEEPERS ((uintptr_t)4)
#define IISHOST_SRW_READER ((uintptr_t)8)
#define IISHOST_SRW_HELD ((uintptr_t)0xFFFFFFF9u) /* the writer bit and the reader count */

static __inline__ VOID InitializeSRWLock(PSRWLOCK SRWLock)
{
    __atomic_store_n(&SRWLock->Ptr, (PVOID)NULL, __ATOMIC_RELEASE);
}

static __inline__ VOID AcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    uintptr_t s = iishost_word_load(&SRWLock->Ptr), want;
    for (;;) {
        if ((s & IISHOST_SRW_HELD) == 0) {
            if (iishost_word_cas(&SRWLock->Ptr, &s, (s & IISHOST_SRW_SLEEPERS) | IISHOST_SRW_WRITER))
                return;
            continue;
        }
        want = s | IISHOST_SRW_WRITER_WAITING | IISHOST_SRW_SLEEPERS;
        if (want != s && !iishost_word_cas(&SRWLock->Ptr, &s, want))
            continue;
        iishost_futex_wait(&SRWLock->Ptr, (uint32_t)want, NULL);
        s = iishost_word_load(&SRWLock->Ptr);
    }
}

static __inline__ BOOLEAN TryAcquireSRWLockExclusive(PSRWLOCK SRWLock)
{
    uintptr_t s = iishost_word_load(&SRWLock->Ptr);
    while ((s & IISHOST_SRW_HELD) == 0) {
        if (iishost_word_cas(&SRWLock->Ptr, &s, s | IISHOST_SRW_WRITER))
            return TRUE;
    }
    return FALSE;
}

static __inline__ VOID ReleaseSRWLockExclusive(PSRWLOCK SRWLock)
{
    uintptr_t s = iishost_word_load(&SRWLock->Ptr);
    while (!iishost_word_cas(&SRWLock->Ptr, &s, s & ~(IISHOST_SRW_WRITER | IISHOST_SRW_SLEEPERS))) {
    }
    if (s & IISHOST_SRW_SLEEPERS)
        iishost_futex_wake(&SRWLock->Ptr, INT_MAX);
}

static __inline__ VOID AcquireSRWLockShared(PSRWLOCK SRWLock)
{
    uintptr_t s = iishost_word_load(&SRWLock->Ptr), want;
    for (;;) {
        if ((s & (IISHOST_SRW_WRITER | IISHOST_SRW_WRITER_WAITING)) == 0) {
            if (iishost_word_cas(&SRWLock->Ptr, &s, s + IISHOST_SRW_READER))
                return;
            continue;
        }
        want = s | IISHOST_SRW_SLEEPERS;
        if (want != s && !iishost_word_cas(&SRWLock->Ptr, &s, want))
            continue;
        iishost_futex_wait(&SRWLock->Ptr, (uint32_t)want, NULL);
        s = iishost_word_load(&SRWLock->Ptr);
    }
}

static __inline__ BOOLEAN TryAcquireSRWLockShared(PSRWLOCK SRWLock)
{
    uintptr_t s = iishost_word_load(&SRWLock->Ptr);
    while ((s & (IISHOST_SRW_WRITER | IISHOST_SRW_WRITER_WAITING)) == 0) {
        if (iishost_word_cas(&SRWLock->Ptr, &s, s + IISHOST_SRW_READER))
            return TRUE;
    }
    return FALSE;
}

static __inline__ VOID ReleaseSRWLockShared(PSRWLOCK SRWLock)
{
    uintptr_t s = iishost_word_load(&SRWLock->Ptr), next;
    int wake;
    do {
        next = s - IISHOST_SRW_READER;
        wake = (next & IISHOST_SRW_HELD) == 0 && (next & IISHOST_SRW_SLEEPERS) != 0;
        if (wake)
            next &= ~IISHOST_SRW_SLEEPERS;
    } while (!iishost_word_cas(&SRWLock->Ptr, &s, next));
    if (wake)
        iishost_futex_wake(&SRWLock->Ptr, INT_MAX);
}

/* ---- condition variables -------------------------------------------------- */

/*
 * The low word is a wake sequence number and the high word counts sleepers
 * (so a wake with nobody waiting makes no system call). A sleeper registers
 * and reads the sequence in one atomic step, before it releases the lock,
 * so a wake that follows cannot be lost. Spurious wakeups can happen, as on
 * Windows; callers re-check their condition.
 */
typedef struct _RTL_CONDITION_VARIABLE {
    PVOID Ptr;
} RTL_CONDITION_VARIABLE, CONDITION_VARIABLE, *PRTL_CONDITION_VARIABLE, *PCONDITION_VARIABLE;
#define RTL_CONDITION_VARIABLE_INIT {0}
#define CONDITION_VARIABLE_INIT RTL_CONDITION_VARIABLE_INIT
#define CONDITION_VARIABLE_LOCKMODE_SHARED 0x1

#define IISHOST_CV_SLEEPER ((uintptr_t)1 << 32)

static __inline__ VOID InitializeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    __atomic_store_n(&ConditionVariable->Ptr, (PVOID)NULL, __ATOMIC_RELEASE);
}

/* Registers a sleeper; returns the sequence number to sleep on. */
static __inline__ uint32_t iishost_cv_enter(PCONDITION_VARIABLE cv)
{
    uintptr_t v = iishost_word_load(&cv->Ptr);
    while (!iishost_word_cas(&cv->Ptr, &v, v + IISHOST_CV_SLEEPER)) {
    }
    return (uint32_t)v;
}

/* Sleeps until woken or timed out, then deregisters. */
static __inline__ BOOL iishost_cv_sleep(PCONDITION_VARIABLE cv, uint32_t seq, DWORD dwMilliseconds)
{
    struct timespec timeout;
    uintptr_t v;
    int result;
    timeout.tv_sec = (time_t)(dwMilliseconds / 1000);
    timeout.tv_nsec = (long)(dwMilliseconds % 1000) * 1000000L;
    result = iishost_futex_wait(&cv->Ptr, seq, dwMilliseconds == INFINITE ? NULL : &timeout);
    v = iishost_word_load(&cv->Ptr);
    while (!iishost_word_cas(&cv->Ptr, &v, v - IISHOST_CV_SLEEPER)) {
    }
    if (result == ETIMEDOUT) {
        SetLastError(ERROR_TIMEOUT);
        return FALSE;
    }
    return TRUE;
}

static __inline__ VOID iishost_cv_wake(PCONDITION_VARIABLE cv, int count)
{
    uintptr_t v = iishost_word_load(&cv->Ptr);
    do {
        if ((v >> 32) == 0)
            return; /* nobody sleeps */
    } while (!iishost_word_cas(&cv->Ptr, &v, (v & ~(uintptr_t)0xFFFFFFFFu) | (uint32_t)(v + 1)));
    iishost_futex_wake(&cv->Ptr, count);
}
static __inline__ VOID WakeConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    iishost_cv_wake(ConditionVariable, 1);
}
static __inline__ VOID WakeAllConditionVariable(PCONDITION_VARIABLE ConditionVariable)
{
    iishost_cv_wake(ConditionVariable, INT_MAX);
}

/* Returns FALSE with ERROR_TIMEOUT when the time runs out. A section
 * entered recursively is released fully and re-entered to the same depth. */
static __inline__ BOOL SleepConditionVariableCS(PCONDITION_VARIABLE ConditionVariable,
                                                PCRITICAL_SECTION CriticalSection, DWORD dwMilliseconds)
{
    uint32_t seq = iishost_cv_enter(ConditionVariable);
    LONG depth = CriticalSection->RecursionCount;
    BOOL woken;
    CriticalSection->RecursionCount = 1;
    LeaveCriticalSection(CriticalSection);
    woken = iishost_cv_sleep(ConditionVariable, seq, dwMilliseconds);
    EnterCriticalSection(CriticalSection);
    CriticalSection->RecursionCount = depth;
    return woken;
}

static __inline__ BOOL SleepConditionVariableSRW(PCONDITION_VARIABLE ConditionVariable, PSRWLOCK SRWLock,
                                                 DWORD dwMilliseconds, ULONG Flags)
{
    uint32_t seq = iishost_cv_enter(ConditionVariable);
    BOOL woken;
    if (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED)
        ReleaseSRWLockShared(SRWLock);
    else
        ReleaseSRWLockExclusive(SRWLock);
    woken = iishost_cv_sleep(ConditionVariable, seq, dwMilliseconds);
    if (Flags & CONDITION_VARIABLE_LOCKMODE_SHARED)
        AcquireSRWLockShared(SRWLock);
    else
        AcquireSRWLockExclusive(SRWLock);
    return woken;
}

/* ---- one-time initialization ---------------------------------------------- */

/*
 * InitOnceExecuteOnce runs the callback once; concurrent callers sleep until
 * it finishes. A callback that fails leaves the object uninitialized, so the
 * next caller tries again. The context the callback returns is kept in the
 * same pointer, so its low INIT_ONCE_CTX_RESERVED_BITS bits must be zero; a
 * context that breaks this makes the call fail with ERROR_INVALID_PARAMETER.
 * The asynchronous InitOnceBeginInitialize/InitOnceComplete are not provided.
 */
typedef union _RTL_RUN_ONCE {
    PVOID Ptr;
} RTL_RUN_ONCE, INIT_ONCE, *PRTL_RUN_ONCE, *PINIT_ONCE, *LPINIT_ONCE;
#define RTL_RUN_ONCE_INIT {0}
#define INIT_ONCE_STATIC_INIT RTL_RUN_ONCE_INIT
#define INIT_ONCE_CTX_RESERVED_BITS 2
typedef BOOL(WINAPI *PINIT_ONCE_FN)(PINIT_ONCE InitOnce, PVOID Parameter, PVOID *Context);

#define IISHOST_ONCE_RUNNING ((uintptr_t)1)
#define IISHOST_ONCE_DONE ((uintptr_t)2)
#define IISHOST_ONCE_STATE ((uintptr_t)3)

static __inline__ VOID InitOnceInitialize(PINIT_ONCE InitOnce)
{
    __atomic_store_n(&InitOnce->Ptr, (PVOID)NULL, __ATOMIC_RELEASE);
}

static __inline__ BOOL InitOnceExecuteOnce(PINIT_ONCE InitOnce, PINIT_ONCE_FN InitFn, PVOID Parameter,
                                           LPVOID *Context)
{
    uintptr_t v = iishost_word_load(&InitOnce->Ptr);
    for (;;) {
        if ((v & IISHOST_ONCE_STATE) == IISHOST_ONCE_DONE) {
            if (Context != NULL)
                *Context = (PVOID)(v & ~IISHOST_ONCE_STATE);
            return TRUE;
        }
        if (v == 0) {
            PVOID ctx = NULL;
            BOOL ok;
            if (!iishost_word_cas(&InitOnce->Ptr, &v, IISHOST_ONCE_RUNNING))
                continue;
            ok = InitFn(InitOnce, Parameter, &ctx);
            if (ok && ((uintptr_t)ctx & IISHOST_ONCE_STATE) != 0) {
                SetLastError(ERROR_INVALID_PARAMETER);
                ok = FALSE;
            }
            __atomic_store_n(&InitOnce->Ptr, ok ? (PVOID)((uintptr_t)ctx | IISHOST_ONCE_DONE) : (PVOID)NULL,
                             __ATOMIC_RELEASE);
            iishost_futex_wake(&InitOnce->Ptr, INT_MAX);
            if (ok && Context != NULL)
                *Context = ctx;
            return ok;
        }
        iishost_futex_wait(&InitOnce->Ptr, (uint32_t)IISHOST_ONCE_RUNNING, NULL);
        v = iishost_word_load(&InitOnce->Ptr);
    }
}

/* ---- process heap and Local/Global memory --------------------------------- */

#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GROWABLE 0x00000002
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010
#define MEMORY_ALLOCATION_ALIGNMENT 16

/*
 * Heap blocks come from malloc with a 16-byte header in front that records
 * the requested size, so HeapReAlloc can zero exactly the grown part and
 * HeapSize is exact, and a check word, so HeapFree and HeapSize refuse a
 * pointer that HeapAlloc did not return instead of corrupting malloc.
 * Blocks keep the 16-byte alignment Windows guarantees. Consequences:
 * free() must not be used on heap blocks (as on Windows), and
 * HEAP_GENERATE_EXCEPTIONS is ignored (there are no SEH exceptions: a
 * failure returns NULL). Every heap handle is the process heap.
 */
typedef struct iishost_heap_header {
    SIZE_T size;
    SIZE_T check;
} iishost_heap_header;
#define IISHOST_HEAP_CHECK(size) ((SIZE_T)(size) ^ (SIZE_T)0x4949534845415021ULL)

static __inline__ HANDLE GetProcessHeap(void)
{
    return (HANDLE)(ULONG_PTR)0x1150000;
}

static __inline__ iishost_heap_header *iishost_heap_block(LPCVOID lpMem)
{
    iishost_heap_header *h = (iishost_heap_header *)((uintptr_t)lpMem - sizeof(iishost_heap_header));
    return h->check == IISHOST_HEAP_CHECK(h->size) ? h : NULL;
}

static __inline__ LPVOID HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes)
{
    iishost_heap_header *h;
    if (hHeap == NULL || dwBytes > SIZE_MAX - sizeof(*h))
        return NULL;
    h = (iishost_heap_header *)((dwFlags & HEAP_ZERO_MEMORY) ? calloc(1, sizeof(*h) + dwBytes)
                                                             : malloc(sizeof(*h) + dwBytes));
    if (h == NULL)
        return NULL;
    h->size = dwBytes;
    h->check = IISHOST_HEAP_CHECK(dwBytes);
    return h + 1;
}

/* HEAP_REALLOC_IN_PLACE_ONLY succeeds only when shrinking (or keeping) the size. */
static __inline__ LPVOID HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes)
{
    iishost_heap_header *h, *grown;
    SIZE_T old;
    if (hHeap == NULL || lpMem == NULL || (h = iishost_heap_block(lpMem)) == NULL ||
        dwBytes > SIZE_MAX - sizeof(*h)) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    old = h->size;
    if (dwFlags & HEAP_REALLOC_IN_PLACE_ONLY) {
        if (dwBytes > old) {
            SetLastError(ERROR_NOT_ENOUGH_MEMORY);
            return NULL;
        }
        h->size = dwBytes;
        h->check = IISHOST_HEAP_CHECK(dwBytes);
        return lpMem;
    }
    grown = (iishost_heap_header *)realloc(h, sizeof(*h) + dwBytes);
    if (grown == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if ((dwFlags & HEAP_ZERO_MEMORY) && dwBytes > old)
        memset((char *)(grown + 1) + old, 0, dwBytes - old);
    grown->size = dwBytes;
    grown->check = IISHOST_HEAP_CHECK(dwBytes);
    return grown + 1;
}

/* Freeing NULL succeeds; a pointer HeapAlloc did not return fails with
 * ERROR_INVALID_PARAMETER. */
static __inline__ BOOL HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem)
{
    iishost_heap_header *h;
    (void)dwFlags;
    if (lpMem == NULL)
        return TRUE;
    if (hHeap == NULL || (h = iishost_heap_block(lpMem)) == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    h->check = 0; /* a second HeapFree of this block now fails */
    free(h);
    return TRUE;
}

/* The size requested, or (SIZE_T)-1 for a pointer HeapAlloc did not return. */
static __inline__ SIZE_T HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem)
{
    iishost_heap_header *h;
    (void)dwFlags;
    if (hHeap == NULL || lpMem == NULL || (h = iishost_heap_block(lpMem)) == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return (SIZE_T)-1;
    }
    return h->size;
}

#define LMEM_FIXED 0x0000
#define LMEM_MOVEABLE 0x0002
#define LMEM_ZEROINIT 0x0040
#define LPTR (LMEM_FIXED | LMEM_ZEROINIT)
#define LHND (LMEM_MOVEABLE | LMEM_ZEROINIT)
#define GMEM_FIXED 0x0000
#define GMEM_MOVEABLE 0x0002
#define GMEM_ZEROINIT 0x0040
#define GPTR (GMEM_FIXED | GMEM_ZEROINIT)
#define GHND (GMEM_MOVEABLE | GMEM_ZEROINIT)

/*
 * Local and Global memory are fixed blocks straight from malloc, so
 * LocalFree/GlobalFree is free() and memory the host hands out "to be freed
 * with LocalFree" is plain malloc memory. Moveable memory (LMEM_MOVEABLE,
 * GMEM_MOVEABLE, with its Lock/Unlock calls) is not supported: it fails
 * with ERROR_INVALID_PARAMETER.
 */
static __inline__ HLOCAL iishost_local_alloc(UINT uFlags, SIZE_T uBytes)
{
    void *p;
    if (uFlags & ~(UINT)LMEM_ZEROINIT) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    p = (uFlags & LMEM_ZEROINIT) ? calloc(1, uBytes ? uBytes : 1) : malloc(uBytes ? uBytes : 1);
    if (p == NULL)
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
    return p;
}
static __inline__ HLOCAL LocalAlloc(UINT uFlags, SIZE_T uBytes)
{
    return iishost_local_alloc(uFlags, uBytes);
}
/* Returns NULL on success, as on Windows. */
static __inline__ HLOCAL LocalFree(HLOCAL hMem)
{
    free(hMem);
    return NULL;
}
static __inline__ HGLOBAL GlobalAlloc(UINT uFlags, SIZE_T dwBytes)
{
    return iishost_local_alloc(uFlags, dwBytes);
}
static __inline__ HGLOBAL GlobalFree(HGLOBAL hMem)
{
    free(hMem);
    return NULL;
}

/* ---- code pages ------------------------------------------------------------ */

#define CP_ACP 0
#define CP_OEMCP 1
#define CP_MACCP 2
#define CP_THREAD_ACP 3
#define CP_SYMBOL 42
#define CP_UTF7 65000
#define CP_UTF8 65001

#define MB_PRECOMPOSED 0x00000001
#define MB_COMPOSITE 0x00000002
#define MB_USEGLYPHCHARS 0x00000004
#define MB_ERR_INVALID_CHARS 0x00000008

#define WC_COMPOSITECHECK 0x00000200
#define WC_DISCARDNS 0x00000010
#define WC_SEPCHARS 0x00000020
#define WC_DEFAULTCHAR 0x00000040
#define WC_ERR_INVALID_CHARS 0x00000080
#define WC_NO_BEST_FIT_CHARS 0x00000400

/*
 * Linux has no ANSI or OEM code page: text is UTF-8. So CP_ACP, CP_OEMCP and
 * CP_THREAD_ACP convert as UTF-8 and GetACP/GetOEMCP report CP_UTF8 (as on a
 * Windows system set to use UTF-8). Other code pages are not available and
 * fail with ERROR_INVALID_PARAMETER.
 *
 * WCHAR is 32-bit here: one WCHAR holds one code point, so characters above
 * U+FFFF take one WCHAR, not a surrogate pair, and counts of such text are
 * smaller than on Windows. A WCHAR that is not a Unicode scalar value (a
 * surrogate, or above U+10FFFF) is invalid input.
 */
static __inline__ UINT GetACP(void)
{
    return CP_UTF8;
}
static __inline__ UINT GetOEMCP(void)
{
    return CP_UTF8;
}
static __inline__ int iishost_cp_utf8(UINT CodePage)
{
    return CodePage == CP_UTF8 || CodePage == CP_ACP || CodePage == CP_OEMCP || CodePage == CP_THREAD_ACP;
}
static __inline__ BOOL IsValidCodePage(UINT CodePage)
{
    return CodePage != CP_ACP && CodePage != CP_OEMCP && CodePage != CP_THREAD_ACP && iishost_cp_utf8(CodePage);
}

/*
 * UTF-8 to wide. cbMultiByte -1 (any negative) means NUL-terminated and the
 * terminator is converted and counted; otherwise exactly that many bytes.
 * cchWideChar 0 returns the size needed. Invalid UTF-8 becomes U+FFFD per
 * ill-formed sequence, or with MB_ERR_INVALID_CHARS fails with
 * ERROR_NO_UNICODE_TRANSLATION. A short buffer fails with
 * ERROR_INSUFFICIENT_BUFFER. For the CP_ACP family MB_PRECOMPOSED and
 * MB_USEGLYPHCHARS are accepted and change nothing; MB_COMPOSITE (which
 * would need decomposition tables) fails with ERROR_INVALID_FLAGS.
 */
static __inline__ int MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr, int cbMultiByte,
                                          LPWSTR lpWideCharStr, int cchWideChar)
{
    const unsigned char *s = (const unsigned char *)lpMultiByteStr;
    DWORD allowed = MB_ERR_INVALID_CHARS;
    size_t n, i = 0, used;
    int out = 0;
    if (!iishost_cp_utf8(CodePage) || s == NULL || cbMultiByte == 0 || cchWideChar < 0 ||
        (lpWideCharStr == NULL && cchWideChar != 0) || (const void *)lpWideCharStr == (const void *)s) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (CodePage != CP_UTF8)
        allowed |= MB_PRECOMPOSED | MB_USEGLYPHCHARS;
    if (dwFlags & ~allowed) {
        SetLastError(ERROR_INVALID_FLAGS);
        return 0;
    }
    n = cbMultiByte < 0 ? strlen(lpMultiByteStr) + 1 : (size_t)cbMultiByte;
    while (i < n) {
        uint32_t c = iishost_utf8_decode(s + i, n - i, &used);
        if (c == IISHOST_UTF8_BAD) {
            if (dwFlags & MB_ERR_INVALID_CHARS) {
                SetLastError(ERROR_NO_UNICODE_TRANSLATION);
                return 0;
            }
            c = 0xFFFD;
        }
        i += used;
        if (out == INT_MAX) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return 0;
        }
        if (cchWideChar != 0) {
            if (out == cchWideChar) {
                SetLastError(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            lpWideCharStr[out] = (WCHAR)c;
        }
        out++;
    }
    return out;
}

/*
 * Wide to UTF-8, with the same length rules (cbMultiByte 0 returns the bytes
 * needed). An invalid WCHAR becomes U+FFFD (EF BF BD), or with
 * WC_ERR_INVALID_CHARS fails with ERROR_NO_UNICODE_TRANSLATION. CP_UTF8
 * requires lpDefaultChar and lpUsedDefaultChar to be NULL, as on Windows.
 * The CP_ACP family accepts them (code written for a single-byte ANSI code
 * page passes them): an invalid WCHAR then becomes the default character
 * ('?' when none is given) and *lpUsedDefaultChar reports it; flags that
 * only affect characters the code page cannot represent are accepted and
 * change nothing, since UTF-8 represents them all.
 */
static __inline__ int WideCharToMultiByte(UINT CodePage, DWORD dwFlags, LPCWCH lpWideCharStr, int cchWideChar,
                                          LPSTR lpMultiByteStr, int cbMultiByte, LPCCH lpDefaultChar,
                                          LPBOOL lpUsedDefaultChar)
{
    DWORD allowed = WC_ERR_INVALID_CHARS;
    size_t n, i;
    int out = 0, usedDefault = 0;
    if (!iishost_cp_utf8(CodePage) || lpWideCharStr == NULL || cchWideChar == 0 || cbMultiByte < 0 ||
        (lpMultiByteStr == NULL && cbMultiByte != 0) || (const void *)lpWideCharStr == (const void *)lpMultiByteStr ||
        (CodePage == CP_UTF8 && (lpDefaultChar != NULL || lpUsedDefaultChar != NULL))) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return 0;
    }
    if (CodePage != CP_UTF8)
        allowed = WC_NO_BEST_FIT_CHARS | WC_COMPOSITECHECK | WC_DISCARDNS | WC_SEPCHARS | WC_DEFAULTCHAR;
    if (dwFlags & ~allowed) {
        SetLastError(ERROR_INVALID_FLAGS);
        return 0;
    }
    n = cchWideChar < 0 ? wcslen(lpWideCharStr) + 1 : (size_t)cchWideChar;
    for (i = 0; i < n; i++) {
        char bytes[4];
        size_t len;
        if (iishost_is_scalar(lpWideCharStr[i])) {
            len = iishost_utf8_encode((uint32_t)lpWideCharStr[i], bytes);
        } else if (dwFlags & WC_ERR_INVALID_CHARS) {
            SetLastError(ERROR_NO_UNICODE_TRANSLATION);
            return 0;
        } else if (CodePage == CP_UTF8) {
            len = iishost_utf8_encode(0xFFFD, bytes);
        } else {
            bytes[0] = lpDefaultChar != NULL ? lpDefaultChar[0] : '?';
            len = 1;
            usedDefault = 1;
        }
        if ((size_t)(INT_MAX - out) < len) {
            SetLastError(ERROR_INVALID_PARAMETER);
            return 0;
        }
        if (cbMultiByte != 0) {
            if ((size_t)(cbMultiByte - out) < len) {
                SetLastError(ERROR_INSUFFICIENT_BUFFER);
                return 0;
            }
            memcpy(lpMultiByteStr + out, bytes, len);
        }
        out += (int)len;
    }
    if (lpUsedDefaultChar != NULL)
        *lpUsedDefaultChar = usedDefault;
    return out;
}

/* ---- lstr* ------------------------------------------------------------------- */

/*
 * As on Windows, NULL arguments do not crash: lengths are 0, copies return
 * NULL, and NULL sorts before any string. lstrcmp/lstrcmpi return -1, 0 or
 * 1. Difference: Windows compares linguistically (CompareString with the
 * user's locale: "a" < "B" < "b"); these compare code points, case-folded
 * with the C library's tolower/towlower for lstrcmpi. Equality results
 * agree; the order of mixed-case or punctuated strings can differ.
 */
static __inline__ int lstrlenA(LPCSTR lpString)
{
    return lpString != NULL ? (int)strlen(lpString) : 0;
}
static __inline__ int lstrlenW(LPCWSTR lpString)
{
    return lpString != NULL ? (int)wcslen(lpString) : 0;
}

static __inline__ LPSTR lstrcpyA(LPSTR lpString1, LPCSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL)
        return NULL;
    return (LPSTR)memmove(lpString1, lpString2, strlen(lpString2) + 1);
}
static __inline__ LPWSTR lstrcpyW(LPWSTR lpString1, LPCWSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL)
        return NULL;
    return (LPWSTR)memmove(lpString1, lpString2, (wcslen(lpString2) + 1) * sizeof(WCHAR));
}

/* Copies at most iMaxLength - 1 characters and always terminates (when
 * iMaxLength > 0; with 0 nothing is written). */
static __inline__ LPSTR lstrcpynA(LPSTR lpString1, LPCSTR lpString2, int iMaxLength)
{
    int i = 0;
    if (lpString1 == NULL || lpString2 == NULL)
        return NULL;
    if (iMaxLength <= 0)
        return lpString1;
    for (; i < iMaxLength - 1 && lpString2[i] != 0; i++)
        lpString1[i] = lpString2[i];
    lpString1[i] = 0;
    return lpString1;
}
static __inline__ LPWSTR lstrcpynW(LPWSTR lpString1, LPCWSTR lpString2, int iMaxLength)
{
    int i = 0;
    if (lpString1 == NULL || lpString2 == NULL)
        return NULL;
    if (iMaxLength <= 0)
        return lpString1;
    for (; i < iMaxLength - 1 && lpString2[i] != 0; i++)
        lpString1[i] = lpString2[i];
    lpString1[i] = 0;
    return lpString1;
}

static __inline__ LPSTR lstrcatA(LPSTR lpString1, LPCSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL)
        return NULL;
    lstrcpyA(lpString1 + strlen(lpString1), lpString2);
    return lpString1;
}
static __inline__ LPWSTR lstrcatW(LPWSTR lpString1, LPCWSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL)
        return NULL;
    lstrcpyW(lpString1 + wcslen(lpString1), lpString2);
    return lpString1;
}

static __inline__ int iishost_lstrcmp_nulls(const void *a, const void *b)
{
    return a == NULL ? (b == NULL ? 0 : -1) : 1;
}
static __inline__ int lstrcmpA(LPCSTR lpString1, LPCSTR lpString2)
{
    int r;
    if (lpString1 == NULL || lpString2 == NULL)
        return iishost_lstrcmp_nulls(lpString1, lpString2);
    r = strcmp(lpString1, lpString2);
    return r < 0 ? -1 : r > 0;
}
static __inline__ int lstrcmpiA(LPCSTR lpString1, LPCSTR lpString2)
{
    int r;
    if (lpString1 == NULL || lpString2 == NULL)
        return iishost_lstrcmp_nulls(lpString1, lpString2);
    r = _stricmp(lpString1, lpString2);
    return r < 0 ? -1 : r > 0;
}
static __inline__ int lstrcmpW(LPCWSTR lpString1, LPCWSTR lpString2)
{
    if (lpString1 == NULL || lpString2 == NULL)
        return iishost_lstrcmp_nulls(lpString1, lpString2);
    for (; *lpString1 == *lpString2; lpString1++, lpString2++)
        if (*lpString1 == 0)
            return 0;
    return (uint32_t)*lpString1 < (uint32_t)*lpString2 ? -1 : 1;
}
static __inline__ int lstrcmpiW(LPCWSTR lpString1, LPCWSTR lpString2)
{
    int r;
    if (lpString1 == NULL || lpString2 == NULL)
        return iishost_lstrcmp_nulls(lpString1, lpString2);
    r = _wcsicmp(lpString1, lpString2);
    return r < 0 ? -1 : r > 0;
}

/*
 * wsprintf: at most 1024 characters, terminator included, as Windows documents; longer output is
 * cut to 1023. Formats follow MSVC's rules through _vsnprintf/_vsnwprintf (in the wide form %s
 * takes a wide string).
 */
#define IISHOST_WSPRINTF_MAX 1024
static __inline__ int wvsprintfA(LPSTR buf, LPCSTR fmt, va_list ap)
{
    int n;
    if (buf == NULL) {
        return 0;
    }
    n = fmt != NULL ? _vsnprintf(buf, IISHOST_WSPRINTF_MAX, fmt, ap) : 0;
    if (n < 0 || n >= IISHOST_WSPRINTF_MAX) {
        n = IISHOST_WSPRINTF_MAX - 1;
    }
    buf[n] = 0;
    return n;
}
static __inline__ int wvsprintfW(LPWSTR buf, LPCWSTR fmt, va_list ap)
{
    int n;
    if (buf == NULL) {
        return 0;
    }
    n = fmt != NULL ? _vsnwprintf(buf, IISHOST_WSPRINTF_MAX, fmt, ap) : 0;
    if (n < 0 || n >= IISHOST_WSPRINTF_MAX) {
        n = IISHOST_WSPRINTF_MAX - 1;
    }
    buf[n] = 0;
    return n;
}
static __inline__ int wsprintfA(LPSTR buf, LPCSTR fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = wvsprintfA(buf, fmt, ap);
    va_end(ap);
    return n;
}
static __inline__ int wsprintfW(LPWSTR buf, LPCWSTR fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = wvsprintfW(buf, fmt, ap);
    va_end(ap);
    return n;
}

#ifdef UNICODE
#define wsprintf wsprintfW
#define wvsprintf wvsprintfW
#else
#define wsprintf wsprintfA
#define wvsprintf wvsprintfA
#endif

#ifdef UNICODE
#define lstrlen lstrlenW
#define lstrcpy lstrcpyW
#define lstrcpyn lstrcpynW
#define lstrcat lstrcatW
#define lstrcmp lstrcmpW
#define lstrcmpi lstrcmpiW
#else
#define lstrlen lstrlenA
#define lstrcpy lstrcpyA
#define lstrcpyn lstrcpynA
#define lstrcat lstrcatA
#define lstrcmp lstrcmpA
#define lstrcmpi lstrcmpiA
#endif

#endif /* IISHOST_KERNEL32_H */
