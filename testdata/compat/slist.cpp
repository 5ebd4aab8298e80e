/*
 * slist.cpp - slist_tests.h from C++17: the hammer on std::thread, then producers pushing
 * while a consumer pops and flushes, each entry arriving exactly once.
 */
#include <atomic>
#include <thread>
#include <vector>

#include <windows.h>

#include "check.h"
#include "slist_tests.h"

int main()
{
    test_slist_basics();

    hammer_setup();
    std::atomic<long> empty{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < HAMMER_THREADS; i++)
        threads.emplace_back([&empty] { empty += hammer_run(); });
    for (auto &t : threads)
        t.join();
    hammer_check(empty);

    // Producers hand their own entries over; the consumer mixes pops and flushes.
    const int producers = 3, perProducer = 20000;
    static SLIST_HEADER queue;
    InitializeSListHead(&queue);
    std::vector<Node> nodes(producers * perProducer);
    std::vector<int> received(nodes.size());
    std::atomic<int> done{0};
    std::vector<std::thread> workers;
    for (int p = 0; p < producers; p++)
        workers.emplace_back([&, p] {
            for (int i = 0; i < perProducer; i++) {
                Node &n = nodes[p * perProducer + i];
                n.id = p * perProducer + i;
                InterlockedPushEntrySList(&queue, &n.entry);
            }
            done++;
        });
    size_t got = 0;
    for (int round = 0; got < nodes.size() && round < 100000000; round++) {
        PSLIST_ENTRY e = round % 8 == 0 ? InterlockedFlushSList(&queue) : InterlockedPopEntrySList(&queue);
        PSLIST_ENTRY next;
        for (; e != nullptr && got <= nodes.size(); e = next) {
            next = round % 8 == 0 ? e->Next : nullptr;
            received[CONTAINING_RECORD(e, Node, entry)->id]++;
            got++;
        }
        if (done == producers && QueryDepthSList(&queue) == 0 && got < nodes.size()) {
            CHECK(false); // an entry went missing
            break;
        }
    }
    for (auto &w : workers)
        w.join();
    CHECK_EQ(got, nodes.size());
    int wrong = 0;
    for (int r : received)
        wrong += r != 1;
    CHECK_EQ(wrong, 0);
    CHECK(InterlockedPopEntrySList(&queue) == nullptr);
    return check_finish();
}
