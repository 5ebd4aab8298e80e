/*
 * kernel32.c - the kernel32 layer (iishost/kernel32.h) as a C module uses
 * it, in strict ISO C with windows.h before any C library header: last
 * error, Interlocked*, critical sections, SRW locks, condition variables,
 * one-time init (all under contention from pthreads), clocks and sleeping,
 * FILETIME/SYSTEMTIME, heap and Local/Global memory, UTF-8 code pages and
 * lstr*.
 */
#include <windows.h>

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

#define THREADS 8
#define ROUNDS 20000

/* ---- last error ---- */

static void *last_error_thread(void *arg)
{
    (void)arg;
    CHECK_EQ(GetLastError(), 0); /* a new thread starts clean */
    SetLastError(ERROR_ACCESS_DENIED);
    CHECK_EQ(GetLastError(), ERROR_ACCESS_DENIED);
    return NULL;
}

static void test_last_error(void)
{
    pthread_t t;
    SetLastError(ERROR_FILE_NOT_FOUND);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    pthread_create(&t, NULL, last_error_thread, NULL);
    pthread_join(t, NULL);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND); /* per thread */
    CHECK_EQ(HRESULT_FROM_WIN32(GetLastError()), (HRESULT)0x80070002);
}

/* ---- Interlocked ---- */

static volatile LONG counter32;
static volatile LONG64 counter64;
static volatile LONG cas_counter;
static volatile LONG added;

static void *interlocked_thread(void *arg)
{
    int i;
    (void)arg;
    for (i = 0; i < ROUNDS; i++) {
        LONG seen;
        InterlockedIncrement(&counter32);
        InterlockedIncrement64(&counter64);
        InterlockedExchangeAdd(&added, 3);
        do {
            seen = InterlockedCompareExchange(&cas_counter, 0, 0); /* an atomic read */
        } while (InterlockedCompareExchange(&cas_counter, seen + 1, seen) != seen);
    }
    for (i = 0; i < ROUNDS; i++)
        InterlockedDecrement64(&counter64);
    return NULL;
}

static void test_interlocked(void)
{
    LONG v = 5;
    LONG64 w = 1LL << 40;
    PVOID p = NULL;
    int x, y;
    pthread_t t[THREADS];

    CHECK_EQ(InterlockedIncrement(&v), 6);
    CHECK_EQ(InterlockedDecrement(&v), 5);
    CHECK_EQ(InterlockedExchange(&v, 9), 5);
    CHECK_EQ(v, 9);
    CHECK_EQ(InterlockedCompareExchange(&v, 1, 2), 9); /* no match: unchanged */
    CHECK_EQ(v, 9);
    CHECK_EQ(InterlockedCompareExchange(&v, 1, 9), 9);
    CHECK_EQ(v, 1);
    CHECK_EQ(InterlockedExchangeAdd(&v, 10), 1);
    CHECK_EQ(InterlockedAdd(&v, 10), 21);
    CHECK_EQ(InterlockedAnd(&v, 0x11), 21);
    CHECK_EQ(v, 0x11);
    CHECK_EQ(InterlockedOr(&v, 0x100), 0x11);
    CHECK_EQ(InterlockedXor(&v, 0x1), 0x111);
    CHECK_EQ(v, 0x110);
    v = 0x7FFFFFFF;
    CHECK_EQ(InterlockedIncrement(&v), (LONG)0x80000000); /* 32-bit wraparound, as on Windows */
    CHECK_EQ(sizeof(v), 4);

    CHECK_EQ(InterlockedIncrement64(&w), (1LL << 40) + 1);
    CHECK_EQ(InterlockedExchangeAdd64(&w, -1), (1LL << 40) + 1);
    CHECK_EQ(InterlockedCompareExchange64(&w, 7, 1LL << 40), 1LL << 40);
    CHECK_EQ(InterlockedExchange64(&w, 8), 7);
    CHECK_EQ(InterlockedAdd64(&w, 2), 10);
    CHECK_EQ(InterlockedOr64(&w, 1LL << 50), 10);
    CHECK_EQ(InterlockedAnd64(&w, 1LL << 50), (1LL << 50) | 10);
    CHECK_EQ(InterlockedXor64(&w, 1LL << 50), 1LL << 50);
    CHECK_EQ(w, 0);

    CHECK(InterlockedExchangePointer(&p, &x) == NULL);
    CHECK(InterlockedCompareExchangePointer(&p, &y, NULL) == &x); /* no match */
    CHECK(InterlockedCompareExchangePointer(&p, &y, &x) == &x);
    CHECK(p == &y);
    v = 0;
    CHECK_EQ(InterlockedIncrementAcquire(&v), 1);
    MemoryBarrier();
    YieldProcessor();

    for (x = 0; x < THREADS; x++)
        pthread_create(&t[x], NULL, interlocked_thread, NULL);
    for (x = 0; x < THREADS; x++)
        pthread_join(t[x], NULL);
    CHECK_EQ(counter32, THREADS * ROUNDS);
    CHECK_EQ(counter64, 0);
    CHECK_EQ(cas_counter, THREADS * ROUNDS);
    CHECK_EQ(added, 3 * THREADS * ROUNDS);
}

/* ---- critical sections ---- */

static CRITICAL_SECTION cs;
static long protected_count;

static void *cs_thread(void *arg)
{
    int i;
    (void)arg;
    for (i = 0; i < ROUNDS; i++) {
        EnterCriticalSection(&cs);
        EnterCriticalSection(&cs); /* recursive */
        protected_count++;
        LeaveCriticalSection(&cs);
        LeaveCriticalSection(&cs);
    }
    return NULL;
}

static void *cs_try_thread(void *arg)
{
    BOOL got = TryEnterCriticalSection(&cs);
    if (got)
        LeaveCriticalSection(&cs);
    *(BOOL *)arg = got;
    return NULL;
}

static void test_critical_section(void)
{
    pthread_t t[THREADS];
    BOOL got = TRUE;
    int i;
    InitializeCriticalSection(&cs);
    EnterCriticalSection(&cs);
    EnterCriticalSection(&cs);
    CHECK_EQ(cs.RecursionCount, 2);
    CHECK(cs.OwningThread == (HANDLE)(ULONG_PTR)GetCurrentThreadId());
    CHECK(TryEnterCriticalSection(&cs)); /* the owner may re-enter */
    LeaveCriticalSection(&cs);
    pthread_create(&t[0], NULL, cs_try_thread, &got);
    pthread_join(t[0], NULL);
    CHECK(!got); /* held by this thread */
    LeaveCriticalSection(&cs);
    LeaveCriticalSection(&cs);
    CHECK(cs.OwningThread == NULL);
    pthread_create(&t[0], NULL, cs_try_thread, &got);
    pthread_join(t[0], NULL);
    CHECK(got); /* free now */
    DeleteCriticalSection(&cs);

    CHECK(InitializeCriticalSectionAndSpinCount(&cs, 0x80000000 | 4000));
    CHECK_EQ(SetCriticalSectionSpinCount(&cs, 100), 4000);
    for (i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, cs_thread, NULL);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(protected_count, THREADS * ROUNDS);
    DeleteCriticalSection(&cs);
}

/* ---- SRW locks ---- */

static SRWLOCK srw = SRWLOCK_INIT; /* usable without any init call */
static long srw_value;
static volatile LONG writers_inside, readers_inside, srw_violations;

static void *srw_thread(void *arg)
{
    int i, id = (int)(intptr_t)arg;
    for (i = 0; i < ROUNDS / 4; i++) {
        if ((i + id) % 4 == 0) {
            AcquireSRWLockExclusive(&srw);
            if (InterlockedIncrement(&writers_inside) != 1 || InterlockedOr(&readers_inside, 0) != 0)
                InterlockedIncrement(&srw_violations);
            srw_value++;
            InterlockedDecrement(&writers_inside);
            ReleaseSRWLockExclusive(&srw);
        } else {
            AcquireSRWLockShared(&srw);
            InterlockedIncrement(&readers_inside);
            if (InterlockedOr(&writers_inside, 0) != 0)
                InterlockedIncrement(&srw_violations);
            InterlockedDecrement(&readers_inside);
            ReleaseSRWLockShared(&srw);
        }
    }
    return NULL;
}

static void *srw_try_shared(void *arg)
{
    BOOLEAN got = TryAcquireSRWLockShared(&srw);
    if (got)
        ReleaseSRWLockShared(&srw);
    *(BOOLEAN *)arg = got;
    return NULL;
}

static void test_srwlock(void)
{
    pthread_t t[THREADS];
    BOOLEAN got = FALSE;
    SRWLOCK local;
    int i, writes = 0;
    CHECK_EQ(sizeof(SRWLOCK), sizeof(void *));

    AcquireSRWLockShared(&srw);
    pthread_create(&t[0], NULL, srw_try_shared, &got);
    pthread_join(t[0], NULL);
    CHECK(got); /* readers share */
    CHECK(!TryAcquireSRWLockExclusive(&srw));
    ReleaseSRWLockShared(&srw);
    CHECK(TryAcquireSRWLockExclusive(&srw));
    pthread_create(&t[0], NULL, srw_try_shared, &got);
    pthread_join(t[0], NULL);
    CHECK(!got); /* a writer excludes readers */
    ReleaseSRWLockExclusive(&srw);

    InitializeSRWLock(&local);
    AcquireSRWLockExclusive(&local);
    ReleaseSRWLockExclusive(&local);
    CHECK(local.Ptr == NULL);

    for (i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, srw_thread, (void *)(intptr_t)i);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    for (i = 0; i < THREADS * (ROUNDS / 4); i++)
        writes += (i % (ROUNDS / 4) + i / (ROUNDS / 4)) % 4 == 0;
    CHECK_EQ(srw_value, writes);
    CHECK_EQ(srw_violations, 0);
    CHECK(srw.Ptr == NULL); /* back to the initial state */
}

/* ---- condition variables: a bounded queue ---- */

#define QUEUE_SIZE 4
#define ITEMS 5000
static CONDITION_VARIABLE not_empty = CONDITION_VARIABLE_INIT;
static CONDITION_VARIABLE not_full = CONDITION_VARIABLE_INIT;
static SRWLOCK queue_lock = SRWLOCK_INIT;
static CRITICAL_SECTION queue_cs;
static int use_cs;
static int queue[QUEUE_SIZE], queue_len;
static long long consumed_sum;

static void queue_lock_acquire(void)
{
    if (use_cs)
        EnterCriticalSection(&queue_cs);
    else
        AcquireSRWLockExclusive(&queue_lock);
}
static void queue_lock_release(void)
{
    if (use_cs)
        LeaveCriticalSection(&queue_cs);
    else
        ReleaseSRWLockExclusive(&queue_lock);
}
static void queue_wait(PCONDITION_VARIABLE cv)
{
    if (use_cs)
        SleepConditionVariableCS(cv, &queue_cs, INFINITE);
    else
        SleepConditionVariableSRW(cv, &queue_lock, INFINITE, 0);
}

static void *producer(void *arg)
{
    int i;
    (void)arg;
    for (i = 1; i <= ITEMS; i++) {
        queue_lock_acquire();
        while (queue_len == QUEUE_SIZE)
            queue_wait(&not_full);
        queue[queue_len++] = i;
        queue_lock_release();
        WakeConditionVariable(&not_empty);
    }
    return NULL;
}

static void *consumer(void *arg)
{
    int i;
    (void)arg;
    for (i = 0; i < ITEMS; i++) {
        int item;
        queue_lock_acquire();
        while (queue_len == 0)
            queue_wait(&not_empty);
        item = queue[--queue_len];
        consumed_sum += item;
        queue_lock_release();
        WakeAllConditionVariable(&not_full);
    }
    return NULL;
}

static void test_condition_variable(void)
{
    pthread_t t[4];
    int round, i;
    ULONGLONG start;
    BOOL woken;
    InitializeCriticalSection(&queue_cs);
    for (round = 0; round < 2; round++) {
        use_cs = round;
        consumed_sum = 0;
        for (i = 0; i < 2; i++) {
            pthread_create(&t[i], NULL, producer, NULL);
            pthread_create(&t[2 + i], NULL, consumer, NULL);
        }
        for (i = 0; i < 4; i++)
            pthread_join(t[i], NULL);
        CHECK_EQ(consumed_sum, 2LL * ITEMS * (ITEMS + 1) / 2);
        CHECK_EQ(queue_len, 0);
    }

    /* Timeouts: FALSE with ERROR_TIMEOUT, the lock held again on return. */
    AcquireSRWLockShared(&queue_lock);
    start = GetTickCount64();
    SetLastError(0);
    woken = SleepConditionVariableSRW(&not_empty, &queue_lock, 50, CONDITION_VARIABLE_LOCKMODE_SHARED);
    CHECK(!woken);
    CHECK_EQ(GetLastError(), ERROR_TIMEOUT);
    CHECK(GetTickCount64() - start >= 45);
    CHECK(!TryAcquireSRWLockExclusive(&queue_lock));
    ReleaseSRWLockShared(&queue_lock);

    EnterCriticalSection(&queue_cs);
    EnterCriticalSection(&queue_cs);
    CHECK(!SleepConditionVariableCS(&not_empty, &queue_cs, 10));
    CHECK_EQ(queue_cs.RecursionCount, 2);
    LeaveCriticalSection(&queue_cs);
    LeaveCriticalSection(&queue_cs);
    DeleteCriticalSection(&queue_cs);
}

/* ---- one-time initialization ---- */

static INIT_ONCE once = INIT_ONCE_STATIC_INIT;
static volatile LONG once_calls;
static int once_target;

static BOOL CALLBACK init_callback(PINIT_ONCE InitOnce, PVOID Parameter, PVOID *Context)
{
    CHECK(InitOnce == &once);
    InterlockedIncrement(&once_calls);
    Sleep(20); /* let the other threads pile up */
    *(int *)Parameter = 42;
    *Context = &once_target;
    return TRUE;
}

static void *once_thread(void *arg)
{
    PVOID ctx = NULL;
    (void)arg;
    CHECK(InitOnceExecuteOnce(&once, init_callback, &once_target, &ctx));
    CHECK(ctx == &once_target);
    CHECK_EQ(once_target, 42);
    return NULL;
}

static BOOL CALLBACK failing_callback(PINIT_ONCE InitOnce, PVOID Parameter, PVOID *Context)
{
    (void)InitOnce;
    (void)Context;
    InterlockedIncrement((LONG *)Parameter);
    SetLastError(ERROR_NOT_READY);
    return FALSE;
}

static void test_init_once(void)
{
    pthread_t t[THREADS];
    INIT_ONCE failing;
    LONG calls = 0;
    int i;
    for (i = 0; i < THREADS; i++)
        pthread_create(&t[i], NULL, once_thread, NULL);
    for (i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    CHECK_EQ(once_calls, 1);

    InitOnceInitialize(&failing);
    CHECK(!InitOnceExecuteOnce(&failing, failing_callback, &calls, NULL));
    CHECK_EQ(GetLastError(), ERROR_NOT_READY);
    CHECK(!InitOnceExecuteOnce(&failing, failing_callback, &calls, NULL));
    CHECK_EQ(calls, 2); /* a failure leaves it uninitialized */
}

/* ---- clocks, sleeping, ids ---- */

static void *tid_thread(void *arg)
{
    *(DWORD *)arg = GetCurrentThreadId();
    return NULL;
}

static void test_clocks(void)
{
    ULONGLONG t0 = GetTickCount64(), t1;
    LARGE_INTEGER f, c0, c1;
    FILETIME ft;
    ULONGLONG now;
    DWORD other = 0;
    pthread_t t;

    Sleep(0);
    Sleep(30);
    CHECK_EQ(SleepEx(10, TRUE), 0);
    t1 = GetTickCount64();
    CHECK(t1 - t0 >= 40 && t1 - t0 < 5000);
    CHECK((DWORD)(GetTickCount() - (DWORD)t1) < 1000);

    CHECK(QueryPerformanceFrequency(&f));
    CHECK_EQ(f.QuadPart, 10000000);
    CHECK(QueryPerformanceCounter(&c0));
    Sleep(20);
    QueryPerformanceCounter(&c1);
    CHECK(c1.QuadPart - c0.QuadPart >= 19 * 10000 && c1.QuadPart - c0.QuadPart < 50000000);

    GetSystemTimeAsFileTime(&ft);
    now = ((ULONGLONG)ft.dwHighDateTime << 32 | ft.dwLowDateTime) / 10000000 - 11644473600ULL;
    CHECK(now + 2 >= (ULONGLONG)time(NULL) && now <= (ULONGLONG)time(NULL) + 2);

    CHECK(GetCurrentThreadId() != 0);
    CHECK_EQ(GetCurrentThreadId(), GetCurrentThreadId());
    pthread_create(&t, NULL, tid_thread, &other);
    pthread_join(t, NULL);
    CHECK(other != 0 && other != GetCurrentThreadId());
    CHECK(GetCurrentProcessId() != 0);
    SwitchToThread();
}

/* ---- FILETIME and SYSTEMTIME ---- */

static FILETIME ticks_to_ft(ULONGLONG t)
{
    FILETIME ft;
    ft.dwLowDateTime = (DWORD)t;
    ft.dwHighDateTime = (DWORD)(t >> 32);
    return ft;
}
static ULONGLONG ft_to_ticks(FILETIME ft)
{
    return (ULONGLONG)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
}

static void check_date(ULONGLONG ticks, int y, int mo, int dow, int d, int h, int mi, int s, int ms)
{
    FILETIME ft = ticks_to_ft(ticks), back;
    SYSTEMTIME st;
    CHECK(FileTimeToSystemTime(&ft, &st));
    CHECK_EQ(st.wYear, y);
    CHECK_EQ(st.wMonth, mo);
    CHECK_EQ(st.wDayOfWeek, dow);
    CHECK_EQ(st.wDay, d);
    CHECK_EQ(st.wHour, h);
    CHECK_EQ(st.wMinute, mi);
    CHECK_EQ(st.wSecond, s);
    CHECK_EQ(st.wMilliseconds, ms);
    if (y > 30827) { /* SYSTEMTIME years stop at 30827, though FILETIME goes further */
        CHECK(!SystemTimeToFileTime(&st, &back));
        return;
    }
    CHECK(SystemTimeToFileTime(&st, &back));
    CHECK_EQ(ft_to_ticks(back), ticks - ticks % 10000); /* below 1 ms is dropped */
}

static void test_filetime(void)
{
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    SYSTEMTIME st, local, utc;
    FILETIME ft, ft2, lft;
    ULONGLONG day = 0;
    int y, m, d, bad = 0;

    check_date(0, 1601, 1, 1, 1, 0, 0, 0, 0); /* a Monday */
    check_date(116444736000000000ULL, 1970, 1, 4, 1, 0, 0, 0, 0);
    check_date(125911584000000000ULL, 2000, 1, 6, 1, 0, 0, 0, 0);
    check_date(125911584000000000ULL + 59 * 864000000000ULL + 452967891234ULL, 2000, 2, 2, 29, 12, 34, 56, 789);
    check_date(0x7FFFFFFFFFFFFFFFULL, 30828, 9, 4, 14, 2, 48, 5, 477); /* the largest valid FILETIME */

    ft = ticks_to_ft(0x8000000000000000ULL);
    SetLastError(0);
    CHECK(!FileTimeToSystemTime(&ft, &st));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* Every day from 1601 to 2400 against a day-by-day count. */
    for (y = 1601; y <= 2400; y++)
        for (m = 1; m <= 12; m++) {
            int days = month_days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
            for (d = 1; d <= days; d++, day++) {
                memset(&st, 0, sizeof(st));
                st.wYear = (WORD)y;
                st.wMonth = (WORD)m;
                st.wDay = (WORD)d;
                if (!SystemTimeToFileTime(&st, &ft) || ft_to_ticks(ft) != day * 864000000000ULL)
                    bad++;
                if (!FileTimeToSystemTime(&ft, &st) || st.wYear != y || st.wMonth != m || st.wDay != d ||
                    st.wDayOfWeek != (day + 1) % 7)
                    bad++;
            }
        }
    CHECK_EQ(bad, 0);

    memset(&st, 0, sizeof(st));
    st.wYear = 2023;
    st.wMonth = 2;
    st.wDay = 29; /* not a leap year */
    SetLastError(0);
    CHECK(!SystemTimeToFileTime(&st, &ft));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    st.wYear = 1900;
    CHECK(!SystemTimeToFileTime(&st, &ft));
    st.wYear = 2000;
    CHECK(SystemTimeToFileTime(&st, &ft));
    st.wMonth = 13;
    CHECK(!SystemTimeToFileTime(&st, &ft));
    st.wMonth = 1;
    st.wYear = 1600;
    CHECK(!SystemTimeToFileTime(&st, &ft));
    st.wYear = 2000;
    st.wHour = 24;
    CHECK(!SystemTimeToFileTime(&st, &ft));
    st.wHour = 0;
    st.wMilliseconds = 1000;
    CHECK(!SystemTimeToFileTime(&st, &ft));
    st.wMilliseconds = 0;
    st.wDayOfWeek = 6; /* wrong, and ignored */
    CHECK(SystemTimeToFileTime(&st, &ft));

    ft = ticks_to_ft(5);
    ft2 = ticks_to_ft(6);
    CHECK_EQ(CompareFileTime(&ft, &ft2), -1);
    CHECK_EQ(CompareFileTime(&ft2, &ft), 1);
    CHECK_EQ(CompareFileTime(&ft, &ft), 0);
    ft = ticks_to_ft(1ULL << 32);
    CHECK_EQ(CompareFileTime(&ft, &ft2), 1); /* high part counts first */

    /* Local time agrees with UTC shifted by the zone's offset. */
    GetSystemTime(&utc);
    GetLocalTime(&local);
    CHECK(SystemTimeToFileTime(&utc, &ft));
    CHECK(FileTimeToLocalFileTime(&ft, &lft));
    CHECK(LocalFileTimeToFileTime(&lft, &ft2));
    CHECK_EQ(ft_to_ticks(ft2), ft_to_ticks(ft));
    CHECK(SystemTimeToFileTime(&local, &ft2));
    CHECK(ft_to_ticks(ft2) + 20000000 >= ft_to_ticks(lft) && ft_to_ticks(ft2) <= ft_to_ticks(lft) + 20000000);
    CHECK(utc.wYear >= 2024 && utc.wMilliseconds < 1000);
}

/* ---- heap and Local/Global memory ---- */

static void test_memory(void)
{
    HANDLE heap = GetProcessHeap();
    unsigned char *p, *q;
    void *foreign;
    SIZE_T i;
    int zero = 1;
    CHECK(heap != NULL);

    p = (unsigned char *)HeapAlloc(heap, HEAP_ZERO_MEMORY, 100);
    CHECK(p != NULL && ((uintptr_t)p % MEMORY_ALLOCATION_ALIGNMENT) == 0);
    for (i = 0; i < 100; i++)
        zero &= p[i] == 0;
    CHECK(zero);
    CHECK_EQ(HeapSize(heap, 0, p), 100);
    memset(p, 0xAB, 100);
    q = (unsigned char *)HeapReAlloc(heap, HEAP_ZERO_MEMORY, p, 5000);
    CHECK(q != NULL);
    CHECK_EQ(HeapSize(heap, 0, q), 5000);
    CHECK(q[0] == 0xAB && q[99] == 0xAB);
    for (zero = 1, i = 100; i < 5000; i++)
        zero &= q[i] == 0;
    CHECK(zero); /* the grown part is zeroed */
    SetLastError(0);
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 6000) == NULL);
    CHECK_EQ(GetLastError(), ERROR_NOT_ENOUGH_MEMORY);
    CHECK(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, q, 10) == q);
    CHECK_EQ(HeapSize(heap, 0, q), 10);
    CHECK(HeapFree(heap, 0, q));
    CHECK(HeapFree(heap, 0, NULL));

    foreign = malloc(64);
    memset(foreign, 0, 64);
    SetLastError(0);
    CHECK(!HeapFree(heap, 0, (char *)foreign + 32)); /* not from HeapAlloc */
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(HeapSize(heap, 0, (char *)foreign + 32), (SIZE_T)-1);
    free(foreign);
    p = (unsigned char *)HeapAlloc(heap, 0, 0);
    CHECK(p != NULL);
    CHECK_EQ(HeapSize(heap, 0, p), 0);
    HeapFree(heap, 0, p);

    p = (unsigned char *)LocalAlloc(LPTR, 32);
    CHECK(p != NULL && p[0] == 0 && p[31] == 0);
    CHECK(LocalFree(p) == NULL);
    p = (unsigned char *)GlobalAlloc(GMEM_FIXED, 32);
    CHECK(p != NULL);
    CHECK(GlobalFree(p) == NULL);
    SetLastError(0);
    CHECK(LocalAlloc(LHND, 32) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(GlobalAlloc(GMEM_MOVEABLE, 32) == NULL);
    p = (unsigned char *)malloc(8); /* LocalFree frees malloc memory handed out by others */
    CHECK(LocalFree(p) == NULL);
}

/* ---- code pages ---- */

static void test_code_pages(void)
{
    const char *text = "h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"; /* h é llo € 😀 */
    WCHAR w[32];
    char b[32];
    BOOL used = 7;
    int n;

    CHECK_EQ(GetACP(), CP_UTF8);
    CHECK_EQ(GetOEMCP(), CP_UTF8);
    CHECK(IsValidCodePage(CP_UTF8));
    CHECK(!IsValidCodePage(1252));

    n = MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 0);
    CHECK_EQ(n, 10); /* 9 code points and the terminator; the emoji is one WCHAR here */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, text, -1, w, 32), 10);
    CHECK(w[0] == L'h' && w[1] == 0xE9 && w[6] == 0x20AC && w[8] == 0x1F600 && w[9] == 0);
    CHECK_EQ(MultiByteToWideChar(CP_ACP, MB_PRECOMPOSED, text, 3, w, 32), 2); /* no terminator */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "a\0b", 3, w, 32), 3);
    CHECK(w[1] == 0 && w[2] == L'b');

    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, text, -1, w, 9), 0);
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, text, 0, w, 32), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, NULL, -1, w, 32), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, text, -1, NULL, 5), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(1252, 0, text, -1, w, 32), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, MB_PRECOMPOSED, text, -1, w, 32), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_FLAGS);
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_ACP, MB_COMPOSITE, text, -1, w, 32), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_FLAGS);

    /* Ill-formed input: one U+FFFD per maximal ill-formed subpart. */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "a\xFF" "b", 3, w, 32), 3);
    CHECK(w[0] == L'a' && w[1] == 0xFFFD && w[2] == L'b');
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xC0\xAF", 2, w, 32), 2); /* overlong */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xED\xA0\x80", 3, w, 32), 3); /* encoded surrogate */
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xE2\x82", 2, w, 32), 1); /* cut short */
    CHECK(w[0] == 0xFFFD);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, 0, "\xF4\x90\x80\x80", 4, w, 32), 4); /* above U+10FFFF */
    SetLastError(0);
    CHECK_EQ(MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, "a\xFF", 2, w, 32), 0);
    CHECK_EQ(GetLastError(), ERROR_NO_UNICODE_TRANSLATION);

    n = WideCharToMultiByte(CP_UTF8, 0, L"h\u00e9llo \u20ac \U0001F600", -1, NULL, 0, NULL, NULL);
    CHECK_EQ(n, (int)strlen(text) + 1);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, L"h\u00e9llo \u20ac \U0001F600", -1, b, 32, NULL, NULL), n);
    CHECK_STR(b, text);
    SetLastError(0);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, L"h\u00e9", 2, b, 2, NULL, NULL), 0); /* é needs 2 more bytes */
    CHECK_EQ(GetLastError(), ERROR_INSUFFICIENT_BUFFER);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, L"h\u00e9", 2, b, 3, NULL, NULL), 3);
    w[0] = L'a';
    w[1] = (WCHAR)0xD800; /* a lone surrogate */
    w[2] = L'b';
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, w, 3, b, 32, NULL, NULL), 5);
    CHECK(memcmp(b, "a\xEF\xBF\xBD" "b", 5) == 0);
    SetLastError(0);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, 3, b, 32, NULL, NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_NO_UNICODE_TRANSLATION);
    SetLastError(0);
    CHECK_EQ(WideCharToMultiByte(CP_UTF8, 0, w, 3, b, 32, NULL, &used), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER); /* CP_UTF8 takes no default char */
    CHECK_EQ(WideCharToMultiByte(CP_ACP, WC_NO_BEST_FIT_CHARS, w, 3, b, 32, "#", &used), 3);
    CHECK(memcmp(b, "a#b", 3) == 0 && used == TRUE);
    CHECK_EQ(WideCharToMultiByte(CP_ACP, 0, L"ok", -1, b, 32, NULL, &used), 3);
    CHECK(used == FALSE);
    SetLastError(0);
    CHECK_EQ(WideCharToMultiByte(CP_ACP, WC_ERR_INVALID_CHARS, L"ok", -1, b, 32, NULL, NULL), 0);
    CHECK_EQ(GetLastError(), ERROR_INVALID_FLAGS);
}

/* ---- lstr* ---- */

static void test_lstr(void)
{
    char a[16];
    WCHAR w[16];
    CHECK_EQ(sizeof(TCHAR), 1); /* no UNICODE here */
    CHECK_EQ(sizeof(TEXT("ab")), 3);
    CHECK_EQ(lstrlenA("hello"), 5);
    CHECK_EQ(lstrlenA(NULL), 0);
    CHECK_EQ(lstrlenW(L"hello"), 5);
    CHECK_EQ(lstrlen("abc"), 3);
    CHECK(lstrcpyA(a, "hello") == a);
    CHECK_STR(a, "hello");
    CHECK(lstrcatA(a, " you") == a);
    CHECK_STR(a, "hello you");
    CHECK(lstrcpyA(NULL, "x") == NULL);
    CHECK(lstrcpynA(a, "hello", 3) == a);
    CHECK_STR(a, "he");
    CHECK_STR(lstrcpynA(a, "hi", 10), "hi");
    CHECK_STR(lstrcpynA(a, "hello", 1), "");
    CHECK(lstrcpyW(w, L"wide") == w);
    CHECK(lstrcatW(w, L"!") == w);
    CHECK_WSTR(w, L"wide!");
    CHECK_WSTR(lstrcpynW(w, L"abcdef", 4), L"abc");
    CHECK_EQ(lstrcmpA("a", "b"), -1);
    CHECK_EQ(lstrcmpA("b", "a"), 1);
    CHECK_EQ(lstrcmpA("same", "same"), 0);
    CHECK_EQ(lstrcmpA(NULL, "a"), -1);
    CHECK_EQ(lstrcmpA("a", NULL), 1);
    CHECK_EQ(lstrcmpA(NULL, NULL), 0);
    CHECK_EQ(lstrcmpiA("HeLLo", "hello"), 0);
    CHECK_EQ(lstrcmpiA("abc", "ABD"), -1);
    CHECK_EQ(lstrcmpW(L"abc", L"abd"), -1);
    CHECK_EQ(lstrcmpW(L"\U0001F600", L"a"), 1);
    CHECK_EQ(lstrcmpiW(L"Wide", L"wIDE"), 0);
    CHECK_EQ(lstrcmpiW(L"b", L"A"), 1);
}

int main(void)
{
    test_last_error();
    test_interlocked();
    test_critical_section();
    test_srwlock();
    test_condition_variable();
    test_init_once();
    test_clocks();
    test_filetime();
    test_memory();
    test_code_pages();
    test_lstr();
    return check_finish();
}
