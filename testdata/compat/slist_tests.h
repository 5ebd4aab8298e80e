/*
 * slist_tests.h - the interlocked-list checks slist.c (C, CreateThread) and slist.cpp (C++,
 * std::thread) both run: layout and single-thread behaviour here, and a hammer body that the
 * two programs run on several threads at once. Written in the common subset of C and C++,
 * after windows.h and check.h.
 */
#ifndef IISHOST_COMPAT_SLIST_TESTS_H
#define IISHOST_COMPAT_SLIST_TESTS_H

#include <stddef.h>
#include <stdint.h>

/* An entry with a payload, the SLIST_ENTRY first as Windows code lays it out. */
typedef struct Node {
    SLIST_ENTRY entry;
    long visits; /* changed only by the thread that popped the node */
    int id;
} Node;

#define HAMMER_NODES 64
#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 500000

static SLIST_HEADER hammerList;
static LONG hammerReady; /* threads waiting at the gate; all start together for contention */
static Node hammerNodes[HAMMER_NODES];

static void test_slist_basics(void)
{
    SLIST_HEADER head;
    Node a, b, c, chain1, chain2;
    PSLIST_ENTRY e;

    CHECK_EQ(sizeof(SLIST_HEADER), 16);
    CHECK_EQ(sizeof(SLIST_ENTRY), 16);
    CHECK_EQ(offsetof(SLIST_HEADER, Region), 8);
    CHECK(((uintptr_t)&head % 16) == 0 && ((uintptr_t)&a.entry % 16) == 0);

    InitializeSListHead(&head);
    CHECK_EQ(QueryDepthSList(&head), 0);
    CHECK(InterlockedPopEntrySList(&head) == NULL);
    CHECK(InterlockedFlushSList(&head) == NULL);

    a.id = 1, b.id = 2, c.id = 3;
    CHECK(InterlockedPushEntrySList(&head, &a.entry) == NULL);
    CHECK(InterlockedPushEntrySList(&head, &b.entry) == &a.entry); /* returns the old first */
    CHECK(InterlockedPushEntrySList(&head, &c.entry) == &b.entry);
    CHECK_EQ(QueryDepthSList(&head), 3);
    CHECK(RtlFirstEntrySList(&head) == &c.entry);
    CHECK((PSLIST_ENTRY)(uintptr_t)(head.HeaderX64.NextEntry << 4) == &c.entry); /* the x64 view */
    CHECK_EQ(head.HeaderX64.Depth, 3);

    e = InterlockedPopEntrySList(&head); /* last in, first out */
    CHECK(e == &c.entry && CONTAINING_RECORD(e, Node, entry)->id == 3);
    CHECK_EQ(QueryDepthSList(&head), 2);

    e = InterlockedFlushSList(&head); /* the rest, still chained */
    CHECK(e == &b.entry && e->Next == &a.entry && e->Next->Next == NULL);
    CHECK_EQ(QueryDepthSList(&head), 0);
    CHECK(InterlockedPopEntrySList(&head) == NULL);

    /* A chain pushed in one step. */
    chain1.entry.Next = &chain2.entry;
    CHECK(InterlockedPushEntrySList(&head, &a.entry) == NULL);
    CHECK(InterlockedPushListSListEx(&head, &chain1.entry, &chain2.entry, 2) == &a.entry);
    CHECK_EQ(QueryDepthSList(&head), 3);
    CHECK(InterlockedPopEntrySList(&head) == &chain1.entry);
    CHECK(InterlockedPopEntrySList(&head) == &chain2.entry);
    CHECK(InterlockedPopEntrySList(&head) == &a.entry);
}

/* Fills the shared list with every node. */
static void hammer_setup(void)
{
    int i;
    InitializeSListHead(&hammerList);
    hammerReady = 0;
    for (i = 0; i < HAMMER_NODES; i++) {
        hammerNodes[i].visits = 0;
        hammerNodes[i].id = i;
        InterlockedPushEntrySList(&hammerList, &hammerNodes[i].entry);
    }
}

/* One thread's share: pop a node, count a visit on it, push it back. A node that two threads
 * popped at once would lose a visit. Returns the rounds that found the list empty. */
static long hammer_run(void)
{
    long i, empty = 0;
    InterlockedIncrement(&hammerReady);
    while (InterlockedCompareExchange(&hammerReady, 0, 0) < HAMMER_THREADS)
        YieldProcessor();
    for (i = 0; i < HAMMER_ROUNDS; i++) {
        PSLIST_ENTRY e = InterlockedPopEntrySList(&hammerList);
        if (e == NULL) {
            empty++;
            continue;
        }
        CONTAINING_RECORD(e, Node, entry)->visits++;
        InterlockedPushEntrySList(&hammerList, e);
    }
    return empty;
}

/* After every thread finished: every visit counted and every node back exactly once. */
static void hammer_check(long emptyRounds)
{
    long visits = 0;
    int seen[HAMMER_NODES] = {0}, i, count = 0;
    PSLIST_ENTRY e;
    CHECK_EQ(QueryDepthSList(&hammerList), HAMMER_NODES);
    for (i = 0; i < HAMMER_NODES; i++)
        visits += hammerNodes[i].visits;
    CHECK_EQ(visits + emptyRounds, (long)HAMMER_THREADS * HAMMER_ROUNDS);
    /* Bounded, so a list broken into a cycle fails instead of hanging. */
    for (e = InterlockedFlushSList(&hammerList); e != NULL && count <= HAMMER_NODES; e = e->Next, count++)
        seen[CONTAINING_RECORD(e, Node, entry)->id]++;
    CHECK_EQ(count, HAMMER_NODES);
    for (i = 0; i < HAMMER_NODES; i++)
        CHECK_EQ(seen[i], 1);
}

#endif /* IISHOST_COMPAT_SLIST_TESTS_H */
