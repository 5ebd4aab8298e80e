/* slist.c - slist_tests.h from C: the hammer runs on HAMMER_THREADS threads from CreateThread. */
#include <windows.h>

#include "check.h"
#include "slist_tests.h"

static long emptyRounds[HAMMER_THREADS];

static DWORD WINAPI hammer_thread(LPVOID param)
{
    long *empty = (long *)param;
    *empty = hammer_run();
    return 0;
}

int main(void)
{
    HANDLE threads[HAMMER_THREADS];
    long empty = 0;
    int i;

    test_slist_basics();
    hammer_setup();
    for (i = 0; i < HAMMER_THREADS; i++) {
        threads[i] = CreateThread(NULL, 0, hammer_thread, &emptyRounds[i], 0, NULL);
        CHECK(threads[i] != NULL);
    }
    CHECK_EQ(WaitForMultipleObjects(HAMMER_THREADS, threads, TRUE, 60000), WAIT_OBJECT_0);
    for (i = 0; i < HAMMER_THREADS; i++) {
        CloseHandle(threads[i]);
        empty += emptyRounds[i];
    }
    hammer_check(empty);
    return check_finish();
}
