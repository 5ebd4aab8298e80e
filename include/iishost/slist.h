/*
 * iishost/slist.h - interlocked singly linked lists (SLIST_HEADER,
 * SLIST_ENTRY, InitializeSListHead, InterlockedPushEntrySList,
 * InterlockedPopEntrySList, InterlockedFlushSList, QueryDepthSList, ...),
 * safe to use from any number of threads at once.
 *
 * The header has the Windows x64 layout (16 bytes, 16-aligned; the first
 * quadword holds Depth:16 and Sequence:48, the second the first entry, so
 * HeaderX64.NextEntry << 4 is that entry as on Windows). Where Windows swaps
 * the header with one 16-byte compare-exchange, here the top bit of
 * Sequence is a spin lock held for a few instructions. That costs nothing
 * in the uncontended case, needs no libatomic or -mcx16, and lets Pop read
 * the first entry's Next only while that entry is still on the list: a
 * lock-free pop may read an entry another thread has already popped and
 * freed, which Windows survives through an exception handler in the kernel.
 */
#ifndef IISHOST_SLIST_H
#define IISHOST_SLIST_H

#include <sched.h>

#include "wintypes.h"
#include "kernel32.h"

typedef struct DECLSPEC_ALIGN(16) _SLIST_ENTRY {
    struct _SLIST_ENTRY *Next;
} SLIST_ENTRY, *PSLIST_ENTRY;

IISHOST_NAMELESS typedef union DECLSPEC_ALIGN(16) _SLIST_HEADER {
    IISHOST_NAMELESS struct {
        ULONGLONG Alignment; /* Depth, Sequence and the lock bit */
        ULONGLONG Region;    /* the first entry */
    };
    struct {
        ULONGLONG Depth : 16;
        ULONGLONG Sequence : 48;
        ULONGLONG Reserved : 4;
        ULONGLONG NextEntry : 60;
    } HeaderX64;
} SLIST_HEADER, *PSLIST_HEADER;

/* The plain list these functions build on, as in the SDK. */
typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

#define IISHOST_SLIST_LOCK 0x8000000000000000ull
#define IISHOST_SLIST_DEPTH 0xFFFFull
#define IISHOST_SLIST_SEQUENCE_ONE 0x10000ull

/* Takes the header's lock and returns the Alignment word as it was. */
static __inline__ ULONGLONG iishost_slist_lock(PSLIST_HEADER head)
{
    unsigned spins = 0;
    for (;;) {
        ULONGLONG word = __atomic_load_n(&head->Alignment, __ATOMIC_RELAXED);
        if ((word & IISHOST_SLIST_LOCK) == 0 &&
            __atomic_compare_exchange_n(&head->Alignment, &word, word | IISHOST_SLIST_LOCK, 1, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return word;
        /* The holder runs a few instructions; past a short spin it has lost its CPU. */
        if (++spins < 64)
            YieldProcessor();
        else
            sched_yield();
    }
}

/* Stores the new first entry and depth, bumps the sequence, and releases the lock. */
static __inline__ void iishost_slist_unlock(PSLIST_HEADER head, ULONGLONG word, PSLIST_ENTRY first, ULONGLONG depth)
{
    ULONGLONG sequence = (word + IISHOST_SLIST_SEQUENCE_ONE) & ~(IISHOST_SLIST_LOCK | IISHOST_SLIST_DEPTH);
    __atomic_store_n(&head->Region, (ULONGLONG)(ULONG_PTR)first, __ATOMIC_RELAXED);
    __atomic_store_n(&head->Alignment, sequence | (depth & IISHOST_SLIST_DEPTH), __ATOMIC_RELEASE);
}

static __inline__ PSLIST_ENTRY iishost_slist_first(PSLIST_HEADER head)
{
    return (PSLIST_ENTRY)(ULONG_PTR)__atomic_load_n(&head->Region, __ATOMIC_RELAXED);
}

/* An empty list. Not thread-safe: call it before the list is shared. */
static __inline__ VOID InitializeSListHead(PSLIST_HEADER ListHead)
{
    ListHead->Alignment = 0;
    ListHead->Region = 0;
}

/* Puts ListEntry first; returns the entry that was first (NULL for an empty list). */
static __inline__ PSLIST_ENTRY InterlockedPushEntrySList(PSLIST_HEADER ListHead, PSLIST_ENTRY ListEntry)
{
    ULONGLONG word = iishost_slist_lock(ListHead);
    PSLIST_ENTRY old = iishost_slist_first(ListHead);
    ListEntry->Next = old;
    iishost_slist_unlock(ListHead, word, ListEntry, (word & IISHOST_SLIST_DEPTH) + 1);
    return old;
}

/* Puts the chain List..ListEnd (Count entries, linked through Next) first, in one step. */
static __inline__ PSLIST_ENTRY InterlockedPushListSListEx(PSLIST_HEADER ListHead, PSLIST_ENTRY List,
                                                          PSLIST_ENTRY ListEnd, ULONG Count)
{
    ULONGLONG word = iishost_slist_lock(ListHead);
    PSLIST_ENTRY old = iishost_slist_first(ListHead);
    ListEnd->Next = old;
    iishost_slist_unlock(ListHead, word, List, (word & IISHOST_SLIST_DEPTH) + Count);
    return old;
}

/* Takes the first entry off the list; NULL when the list is empty. */
static __inline__ PSLIST_ENTRY InterlockedPopEntrySList(PSLIST_HEADER ListHead)
{
    ULONGLONG word = iishost_slist_lock(ListHead);
    PSLIST_ENTRY first = iishost_slist_first(ListHead);
    if (first == NULL)
        iishost_slist_unlock(ListHead, word, NULL, 0);
    else
        iishost_slist_unlock(ListHead, word, first->Next, (word & IISHOST_SLIST_DEPTH) - 1);
    return first;
}

/* Takes every entry off the list at once; returns the former first entry, still chained. */
static __inline__ PSLIST_ENTRY InterlockedFlushSList(PSLIST_HEADER ListHead)
{
    ULONGLONG word = iishost_slist_lock(ListHead);
    PSLIST_ENTRY first = iishost_slist_first(ListHead);
    iishost_slist_unlock(ListHead, word, NULL, 0);
    return first;
}

/* The number of entries, modulo 65536 as on Windows; a snapshot when other threads change it. */
static __inline__ USHORT QueryDepthSList(PSLIST_HEADER ListHead)
{
    return (USHORT)(__atomic_load_n(&ListHead->Alignment, __ATOMIC_ACQUIRE) & IISHOST_SLIST_DEPTH);
}

/* The first entry without removing it; a snapshot when other threads change the list. */
static __inline__ PSLIST_ENTRY RtlFirstEntrySList(const SLIST_HEADER *ListHead)
{
    return (PSLIST_ENTRY)(ULONG_PTR)__atomic_load_n(&ListHead->Region, __ATOMIC_ACQUIRE);
}

#define InterlockedPushListSList(head, list, end, count) InterlockedPushListSListEx((head), (list), (end), (count))
#define RtlInitializeSListHead InitializeSListHead
#define RtlInterlockedPushEntrySList InterlockedPushEntrySList
#define RtlInterlockedPopEntrySList InterlockedPopEntrySList
#define RtlInterlockedFlushSList InterlockedFlushSList
#define RtlQueryDepthSList QueryDepthSList

#endif /* IISHOST_SLIST_H */
