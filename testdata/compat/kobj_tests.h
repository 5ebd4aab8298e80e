/*
 * kobj_tests.h - the kernel-object checks kobj.c (C) and kobj.cpp (C++) both
 * run: events, mutexes, semaphores, threads, waits, CloseHandle and
 * DuplicateHandle, the thread pool and timer queues. Written in the common
 * subset of C and C++, after windows.h, process.h and check.h. Timeouts are
 * either a short WAIT_TIMEOUT on something never signalled or a long hang
 * guard; no duration is asserted.
 */
#ifndef IISHOST_COMPAT_KOBJ_TESTS_H
#define IISHOST_COMPAT_KOBJ_TESTS_H

#include <fcntl.h>
#include <unistd.h>

#define GUARD_MS 20000 /* a hang guard, never a measurement */

/* ---- events ---- */

static void test_events(void)
{
    HANDLE autoEv = CreateEventA(NULL, FALSE, FALSE, NULL);
    HANDLE manual = CreateEventW(NULL, TRUE, FALSE, L"Global\\iishost-named-is-ignored");
    HANDLE ex;
    CHECK(autoEv != NULL);
    CHECK(manual != NULL);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    CHECK_EQ(WaitForSingleObject(autoEv, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(autoEv, 20), WAIT_TIMEOUT);
    CHECK(SetEvent(autoEv));
    CHECK_EQ(WaitForSingleObject(autoEv, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(autoEv, 0), WAIT_TIMEOUT); /* auto reset */
    CHECK(SetEvent(autoEv));
    CHECK(ResetEvent(autoEv));
    CHECK_EQ(WaitForSingleObjectEx(autoEv, 0, TRUE), WAIT_TIMEOUT);

    CHECK(SetEvent(manual));
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(manual, INFINITE), WAIT_OBJECT_0); /* stays set */
    CHECK(ResetEvent(manual));
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_TIMEOUT);

    ex = CreateEventExA(NULL, NULL, CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET, EVENT_ALL_ACCESS);
    CHECK_EQ(WaitForSingleObject(ex, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ex, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(ex));
    ex = CreateEventExW(NULL, L"name", 0, SYNCHRONIZE | EVENT_MODIFY_STATE);
    CHECK_EQ(WaitForSingleObject(ex, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(ex));
    ex = CreateEventA(NULL, FALSE, TRUE, "initially-set");
    CHECK_EQ(WaitForSingleObject(ex, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ex, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(ex));
    CHECK(CreateEventExA(NULL, NULL, 0x100, 0) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* A pulse with nobody waiting leaves the event reset. */
    CHECK(PulseEvent(manual));
    CHECK_EQ(WaitForSingleObject(manual, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(autoEv));
    CHECK(CloseHandle(manual));
}

/* ---- named objects (shared within the module) ---- */

static void test_named(void)
{
    HANDLE a, b, c, m, s1, s2;
    LONG prev = -1;
    a = CreateEventA(NULL, TRUE, FALSE, "kobj-\xC3\xA9vent");
    CHECK(a != NULL);
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    b = CreateEventW(NULL, FALSE, TRUE, L"kobj-\u00E9vent"); /* the same name in UTF-16/32 */
    CHECK(b == a);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK_EQ(WaitForSingleObject(a, 0), WAIT_TIMEOUT); /* the second call's arguments were ignored */
    c = OpenEventA(EVENT_MODIFY_STATE | SYNCHRONIZE, FALSE, "kobj-\xC3\xA9vent");
    CHECK(c == a);
    CHECK(SetEvent(c));
    CHECK_EQ(WaitForSingleObject(b, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(a, 0), WAIT_OBJECT_0); /* manual reset, from the first creation */

    /* One name, one type. */
    CHECK(CreateMutexA(NULL, FALSE, "kobj-\xC3\xA9vent") == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(OpenMutexW(SYNCHRONIZE, FALSE, L"kobj-\u00E9vent") == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);

    /* The name lives while any handle is open. */
    CHECK(CloseHandle(a));
    CHECK(CloseHandle(b));
    CHECK(OpenEventW(SYNCHRONIZE, FALSE, L"kobj-\u00E9vent") == c);
    CHECK(CloseHandle(c));
    CHECK(CloseHandle(c));
    CHECK(OpenEventA(SYNCHRONIZE, FALSE, "kobj-\xC3\xA9vent") == NULL);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
    CHECK(OpenEventA(SYNCHRONIZE, FALSE, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    a = CreateEventExW(NULL, L"kobj-\u00E9vent", 0, EVENT_ALL_ACCESS); /* a new object under the old name */
    CHECK_EQ(GetLastError(), ERROR_SUCCESS);
    CHECK_EQ(WaitForSingleObject(a, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(a));

    /* A named mutex opened by its creator is not taken again; a named semaphore keeps its count. */
    m = CreateMutexW(NULL, TRUE, L"Global\\kobj-mutex");
    CHECK(CreateMutexExA(NULL, "Global\\kobj-mutex", CREATE_MUTEX_INITIAL_OWNER, MUTEX_ALL_ACCESS) == m);
    CHECK_EQ(GetLastError(), ERROR_ALREADY_EXISTS);
    CHECK(ReleaseMutex(m));
    CHECK(!ReleaseMutex(m)); /* owned once only */
    CHECK(OpenMutexA(SYNCHRONIZE, FALSE, "Local\\kobj-mutex") == NULL); /* prefixes are part of the name */
    CHECK(CloseHandle(m));
    CHECK(CloseHandle(m));
    s1 = CreateSemaphoreA(NULL, 1, 5, "kobj-sem");
    s2 = CreateSemaphoreExW(NULL, 0, 1, L"kobj-sem", 0, SEMAPHORE_ALL_ACCESS);
    CHECK(s1 == s2);
    CHECK(ReleaseSemaphore(s2, 2, &prev));
    CHECK_EQ(prev, 1);
    CHECK(OpenSemaphoreW(SEMAPHORE_MODIFY_STATE, FALSE, L"kobj-sem") == s1);
    CHECK(OpenSemaphoreA(SEMAPHORE_MODIFY_STATE, FALSE, "kobj-sem") == s1);
    CHECK(CloseHandle(s1));
    CHECK(CloseHandle(s1));
    CHECK(CloseHandle(s1));
    CHECK(CloseHandle(s1));
    CHECK(OpenSemaphoreA(SYNCHRONIZE, FALSE, "kobj-sem") == NULL);
    CHECK_EQ(GetLastError(), ERROR_FILE_NOT_FOUND);
}

/* ---- threads that wait ---- */

typedef struct waiter_args {
    HANDLE wait_on;
    DWORD timeout;
    DWORD result;
} waiter_args;

static DWORD WINAPI waiter_thread(LPVOID p)
{
    waiter_args *a = (waiter_args *)p;
    a->result = WaitForSingleObject(a->wait_on, a->timeout);
    return a->result == WAIT_OBJECT_0 ? 7 : 8;
}

static void test_event_wakes_thread(void)
{
    waiter_args a;
    DWORD code = 0, id = 0;
    HANDLE ev = CreateEventA(NULL, FALSE, FALSE, NULL), th;
    a.wait_on = ev;
    a.timeout = INFINITE;
    a.result = 99;
    th = CreateThread(NULL, 0, waiter_thread, &a, 0, &id);
    CHECK(th != NULL);
    CHECK(id != 0);
    CHECK_EQ(GetThreadId(th), id);
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, STILL_ACTIVE); /* blocked on ev */
    CHECK_EQ(WaitForSingleObject(th, 10), WAIT_TIMEOUT);
    CHECK(SetEvent(ev));
    CHECK_EQ(WaitForSingleObject(th, GUARD_MS), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(th, 0), WAIT_OBJECT_0); /* an ended thread stays signalled */
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, 7);
    CHECK_EQ(a.result, WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT); /* the waiter took the auto-reset signal */
    CHECK(CloseHandle(th));

    /* PulseEvent releases a thread that is waiting: pulse until it has been released. */
    ResetEvent(ev);
    a.result = 99;
    th = CreateThread(NULL, 0, waiter_thread, &a, 0, NULL);
    while (WaitForSingleObject(th, 5) == WAIT_TIMEOUT)
        CHECK(PulseEvent(ev));
    CHECK_EQ(a.result, WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_TIMEOUT);
    CHECK(CloseHandle(th));
    CHECK(CloseHandle(ev));
}

/* ---- mutexes ---- */

static DWORD WINAPI try_mutex_thread(LPVOID p)
{
    HANDLE m = (HANDLE)p;
    DWORD r = WaitForSingleObject(m, 0);
    BOOL released = ReleaseMutex(m);
    return r == WAIT_TIMEOUT && !released && GetLastError() == ERROR_NOT_OWNER ? 1 : 0;
}

static DWORD WINAPI abandon_thread(LPVOID p)
{
    return WaitForSingleObject((HANDLE)p, 0) == WAIT_OBJECT_0 ? 1 : 0; /* and ends holding it */
}

static LONG mutex_counter;
static DWORD WINAPI mutex_hammer(LPVOID p)
{
    int i;
    for (i = 0; i < 2000; i++) {
        if (WaitForSingleObject((HANDLE)p, INFINITE) != WAIT_OBJECT_0)
            return 1;
        mutex_counter = mutex_counter + 1; /* plain read-modify-write: only the mutex protects it */
        if (!ReleaseMutex((HANDLE)p))
            return 1;
    }
    return 0;
}

static DWORD run_thread(LPTHREAD_START_ROUTINE fn, LPVOID arg)
{
    DWORD code = 12345;
    HANDLE th = CreateThread(NULL, 0, fn, arg, 0, NULL);
    CHECK_EQ(WaitForSingleObject(th, GUARD_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(th, &code));
    CHECK(CloseHandle(th));
    return code;
}

static void test_mutexes(void)
{
    HANDLE m = CreateMutexA(NULL, FALSE, NULL), owned, hs[4];
    int i;
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(m, INFINITE), WAIT_OBJECT_0); /* recursive */
    CHECK_EQ(run_thread(try_mutex_thread, m), 1);              /* held by us: others time out, cannot release */
    CHECK(ReleaseMutex(m));
    CHECK_EQ(run_thread(try_mutex_thread, m), 1); /* still held once */
    CHECK(ReleaseMutex(m));
    CHECK(!ReleaseMutex(m));
    CHECK_EQ(GetLastError(), ERROR_NOT_OWNER);

    owned = CreateMutexW(NULL, TRUE, L"owned");
    CHECK_EQ(run_thread(try_mutex_thread, owned), 1);
    CHECK(ReleaseMutex(owned));
    CHECK(CloseHandle(owned));
    owned = CreateMutexExA(NULL, NULL, CREATE_MUTEX_INITIAL_OWNER, MUTEX_ALL_ACCESS);
    CHECK(ReleaseMutex(owned));
    CHECK(CloseHandle(owned));
    owned = CreateMutexExW(NULL, NULL, 0, MUTEX_ALL_ACCESS);
    CHECK(!ReleaseMutex(owned));
    CHECK(CloseHandle(owned));

    /* A thread ends holding the mutex: the next owner learns it was abandoned, once. */
    CHECK_EQ(run_thread(abandon_thread, m), 1);
    CHECK_EQ(WaitForSingleObject(m, GUARD_MS), WAIT_ABANDONED);
    CHECK(ReleaseMutex(m));
    CHECK_EQ(WaitForSingleObject(m, 0), WAIT_OBJECT_0);
    CHECK(ReleaseMutex(m));

    mutex_counter = 0;
    for (i = 0; i < 4; i++)
        hs[i] = CreateThread(NULL, 0, mutex_hammer, m, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(4, hs, TRUE, GUARD_MS), WAIT_OBJECT_0);
    for (i = 0; i < 4; i++) {
        DWORD code = 9;
        CHECK(GetExitCodeThread(hs[i], &code));
        CHECK_EQ(code, 0);
        CHECK(CloseHandle(hs[i]));
    }
    CHECK_EQ(mutex_counter, 8000);
    CHECK(CloseHandle(m));
}

/* ---- semaphores ---- */

static void test_semaphores(void)
{
    LONG prev = -1;
    HANDLE s = CreateSemaphoreA(NULL, 2, 3, NULL), w;
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(s, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(s, 10), WAIT_TIMEOUT);
    CHECK(ReleaseSemaphore(s, 2, &prev));
    CHECK_EQ(prev, 0);
    prev = -1;
    CHECK(!ReleaseSemaphore(s, 2, &prev)); /* 2 + 2 > 3 */
    CHECK_EQ(GetLastError(), ERROR_TOO_MANY_POSTS);
    CHECK_EQ(prev, -1);
    CHECK(ReleaseSemaphore(s, 1, &prev));
    CHECK_EQ(prev, 2);
    CHECK(!ReleaseSemaphore(s, 0, NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(CloseHandle(s));

    CHECK(CreateSemaphoreW(NULL, 4, 3, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(CreateSemaphoreA(NULL, 0, 0, NULL) == NULL);
    CHECK(CreateSemaphoreA(NULL, -1, 2, NULL) == NULL);
    w = CreateSemaphoreExW(NULL, 0, 1, L"sem", 0, SEMAPHORE_ALL_ACCESS);
    CHECK_EQ(WaitForSingleObject(w, 0), WAIT_TIMEOUT);
    CHECK(ReleaseSemaphore(w, 1, NULL));
    CHECK_EQ(WaitForSingleObject(w, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(w));
    w = CreateSemaphoreExA(NULL, 1, 1, NULL, 0, SEMAPHORE_MODIFY_STATE);
    CHECK_EQ(WaitForSingleObject(w, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(w));
}

/* ---- threads ---- */

static LONG ran;
static DWORD WINAPI mark_thread(LPVOID p)
{
    InterlockedIncrement(&ran);
    return (DWORD)(ULONG_PTR)p;
}

static void deep_exit(DWORD code)
{
    ExitThread(code);
}
static DWORD WINAPI exit_thread(LPVOID p)
{
    (void)p;
    deep_exit(77);
    return 1; /* not reached */
}

#define BIG_STACK (16u << 20)
static DWORD WINAPI big_stack_thread(LPVOID p)
{
    /* More than the 8 MiB default stack: only a stack of the requested size holds it. */
    volatile char big[12u << 20];
    size_t i;
    (void)p;
    for (i = 0; i < sizeof(big); i += 4096)
        big[i] = (char)i;
    return big[4096] == (char)4096 ? 5 : 6;
}

static DWORD WINAPI self_thread(LPVOID p)
{
    HANDLE real = NULL;
    DWORD code = 0;
    DWORD ok = 1;
    (void)p;
    ok &= GetExitCodeThread(GetCurrentThread(), &code) && code == STILL_ACTIVE;
    ok &= GetThreadId(GetCurrentThread()) == GetCurrentThreadId();
    ok &= DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &real, 0, FALSE,
                          DUPLICATE_SAME_ACCESS);
    ok &= GetThreadId(real) == GetCurrentThreadId();
    ok &= WaitForSingleObject(real, 0) == WAIT_TIMEOUT; /* we are still running */
    ok &= WaitForSingleObject(GetCurrentThread(), 0) == WAIT_TIMEOUT;
    ok &= CloseHandle(real);
    ok &= CloseHandle(GetCurrentThread()); /* a pseudo-handle: no effect */
    return ok ? 3 : 4;
}

static void test_threads(void)
{
    DWORD code = 0, id = 0;
    HANDLE th;
    ran = 0;
    th = CreateThread(NULL, 0, mark_thread, (LPVOID)(ULONG_PTR)42, CREATE_SUSPENDED, &id);
    CHECK(th != NULL);
    CHECK(id != 0);
    CHECK_EQ(WaitForSingleObject(th, 20), WAIT_TIMEOUT);
    CHECK_EQ(ran, 0); /* suspended: the routine has not run */
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(ResumeThread(th), 1);
    CHECK_EQ(WaitForSingleObject(th, GUARD_MS), WAIT_OBJECT_0);
    CHECK_EQ(ran, 1);
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, 42);
    CHECK_EQ(ResumeThread(th), 0);
    CHECK(CloseHandle(th));

    CHECK_EQ(run_thread(exit_thread, NULL), 77);
    CHECK_EQ(run_thread(self_thread, NULL), 3);

    th = CreateThread(NULL, BIG_STACK, big_stack_thread, NULL, STACK_SIZE_PARAM_IS_A_RESERVATION, NULL);
    CHECK_EQ(WaitForSingleObject(th, GUARD_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, 5);
    CHECK(CloseHandle(th));

    CHECK(CreateThread(NULL, 0, NULL, NULL, 0, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(CreateThread(NULL, 0, mark_thread, NULL, 0x80000000u, NULL) == NULL);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(GetExitCodeThread(GetCurrentThread(), &code));
    CHECK_EQ(code, STILL_ACTIVE);
    CHECK_EQ(GetThreadId(GetCurrentThread()), GetCurrentThreadId());
}

/* ---- _beginthreadex and _beginthread ---- */

static unsigned __stdcall crt_thread(void *p)
{
    if (p != NULL)
        _endthreadex(31);
    return 30;
}
static void __cdecl crt_plain_thread(void *p)
{
    SetEvent((HANDLE)p);
    _endthread();
}

static void test_crt_threads(void)
{
    unsigned id = 0;
    DWORD code = 0;
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL);
    uintptr_t h = _beginthreadex(NULL, 0, crt_thread, NULL, 0, &id);
    CHECK(h != 0);
    CHECK(id != 0);
    CHECK_EQ(WaitForSingleObject((HANDLE)h, GUARD_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread((HANDLE)h, &code));
    CHECK_EQ(code, 30);
    CHECK(CloseHandle((HANDLE)h));
    h = _beginthreadex(NULL, 65536, crt_thread, &id, CREATE_SUSPENDED, NULL);
    CHECK_EQ(ResumeThread((HANDLE)h), 1);
    CHECK_EQ(WaitForSingleObject((HANDLE)h, GUARD_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread((HANDLE)h, &code));
    CHECK_EQ(code, 31);
    CHECK(CloseHandle((HANDLE)h));
    errno = 0;
    CHECK_EQ(_beginthreadex(NULL, 0, NULL, NULL, 0, NULL), 0);
    CHECK_EQ(errno, EINVAL);

    CHECK(_beginthread(crt_plain_thread, 0, ev) != (uintptr_t)-1);
    CHECK_EQ(WaitForSingleObject(ev, GUARD_MS), WAIT_OBJECT_0);
    CHECK_EQ(_beginthread(NULL, 0, NULL), (uintptr_t)-1);
    CHECK(CloseHandle(ev));
}

/* ---- WaitForMultipleObjects ---- */

typedef struct setter_args {
    HANDLE events[3];
} setter_args;
static DWORD WINAPI set_later_thread(LPVOID p)
{
    setter_args *a = (setter_args *)p;
    int i;
    for (i = 0; i < 3; i++) {
        Sleep(2);
        SetEvent(a->events[i]);
    }
    return 0;
}

static void test_wait_multiple(void)
{
    HANDLE ev[MAXIMUM_WAIT_OBJECTS + 1];
    HANDLE two[2];
    setter_args a;
    HANDLE th;
    int i;
    for (i = 0; i < MAXIMUM_WAIT_OBJECTS + 1; i++)
        ev[i] = CreateEventA(NULL, FALSE, FALSE, NULL);

    CHECK_EQ(WaitForMultipleObjects(2, ev, FALSE, 0), WAIT_TIMEOUT);
    CHECK_EQ(WaitForMultipleObjects(2, ev, TRUE, 10), WAIT_TIMEOUT);
    SetEvent(ev[1]);
    CHECK_EQ(WaitForMultipleObjects(2, ev, FALSE, 0), WAIT_OBJECT_0 + 1);
    CHECK_EQ(WaitForSingleObject(ev[1], 0), WAIT_TIMEOUT); /* taken */

    /* Wait-all takes nothing until every object is signalled. */
    SetEvent(ev[1]);
    CHECK_EQ(WaitForMultipleObjects(2, ev, TRUE, 10), WAIT_TIMEOUT);
    CHECK_EQ(WaitForSingleObject(ev[1], 0), WAIT_OBJECT_0); /* still there */
    SetEvent(ev[0]);
    SetEvent(ev[1]);
    CHECK_EQ(WaitForMultipleObjectsEx(2, ev, TRUE, 0, FALSE), WAIT_OBJECT_0);
    CHECK_EQ(WaitForMultipleObjects(2, ev, FALSE, 0), WAIT_TIMEOUT); /* both taken */

    /* The lowest signalled index wins. */
    SetEvent(ev[2]);
    SetEvent(ev[5]);
    CHECK_EQ(WaitForMultipleObjects(8, ev, FALSE, 0), WAIT_OBJECT_0 + 2);
    CHECK_EQ(WaitForMultipleObjects(8, ev, FALSE, 0), WAIT_OBJECT_0 + 5);

    /* Blocking wait-all while another thread sets the events one by one. */
    for (i = 0; i < 3; i++)
        a.events[i] = ev[10 + i];
    th = CreateThread(NULL, 0, set_later_thread, &a, 0, NULL);
    CHECK_EQ(WaitForMultipleObjects(3, a.events, TRUE, GUARD_MS), WAIT_OBJECT_0);
    two[0] = ev[20];
    two[1] = th;
    CHECK_EQ(WaitForMultipleObjects(2, two, FALSE, GUARD_MS), WAIT_OBJECT_0 + 1); /* the thread ends */
    CHECK(CloseHandle(th));

    /* All 64 at once. */
    for (i = 0; i < MAXIMUM_WAIT_OBJECTS; i++)
        SetEvent(ev[i]);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS, ev, TRUE, 0), WAIT_OBJECT_0);
    CHECK_EQ(WaitForMultipleObjects(MAXIMUM_WAIT_OBJECTS + 1, ev, FALSE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(WaitForMultipleObjects(0, ev, FALSE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    two[0] = ev[0];
    two[1] = ev[0];
    CHECK_EQ(WaitForMultipleObjects(2, two, TRUE, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    for (i = 0; i < MAXIMUM_WAIT_OBJECTS + 1; i++)
        CHECK(CloseHandle(ev[i]));
}

/* ---- SignalObjectAndWait ---- */

typedef struct pingpong {
    HANDLE ping, pong;
    int rounds;
} pingpong;
static DWORD WINAPI pong_thread(LPVOID p)
{
    pingpong *pp = (pingpong *)p;
    int i;
    for (i = 0; i < pp->rounds; i++) {
        if (WaitForSingleObject(pp->ping, GUARD_MS) != WAIT_OBJECT_0)
            return 1;
        SetEvent(pp->pong);
    }
    return 0;
}

static void test_signal_and_wait(void)
{
    pingpong pp;
    HANDLE th, m, s;
    int i;
    pp.ping = CreateEventA(NULL, FALSE, FALSE, NULL);
    pp.pong = CreateEventA(NULL, FALSE, FALSE, NULL);
    pp.rounds = 200;
    th = CreateThread(NULL, 0, pong_thread, &pp, 0, NULL);
    for (i = 0; i < pp.rounds; i++)
        CHECK_EQ(SignalObjectAndWait(pp.ping, pp.pong, GUARD_MS, FALSE), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(th, GUARD_MS), WAIT_OBJECT_0);
    CHECK(CloseHandle(th));

    m = CreateMutexA(NULL, TRUE, NULL);
    s = CreateSemaphoreA(NULL, 0, 1, NULL);
    CHECK_EQ(SignalObjectAndWait(m, pp.pong, 0, FALSE), WAIT_TIMEOUT);
    CHECK(!ReleaseMutex(m)); /* released by SignalObjectAndWait */
    CHECK_EQ(SignalObjectAndWait(s, s, 0, FALSE), WAIT_OBJECT_0);
    CHECK_EQ(SignalObjectAndWait(m, s, 0, FALSE), WAIT_FAILED); /* not the owner */
    CHECK_EQ(GetLastError(), ERROR_NOT_OWNER);
    CHECK(CloseHandle(m));
    CHECK(CloseHandle(s));
    CHECK(CloseHandle(pp.ping));
    CHECK(CloseHandle(pp.pong));
}

/* ---- CloseHandle, DuplicateHandle and bad handles ---- */

static DWORD WINAPI wait_stop_thread(LPVOID p)
{
    return WaitForSingleObject((HANDLE)p, GUARD_MS) == WAIT_OBJECT_0 ? 11 : 12;
}

static void test_handles(void)
{
    HANDLE ev = CreateEventA(NULL, TRUE, FALSE, NULL), dup = NULL, stop, th, timer = NULL, file, filedup = NULL;
    struct {
        unsigned long long words[16];
    } fake;
    LONG prev;
    DWORD code;
    memset(&fake, 0, sizeof(fake));

    /* A duplicate names the same object and is closed on its own. */
    CHECK(DuplicateHandle(GetCurrentProcess(), ev, GetCurrentProcess(), &dup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(SetEvent(dup));
    CHECK_EQ(WaitForSingleObject(ev, 0), WAIT_OBJECT_0);
    CHECK(CloseHandle(ev));
    CHECK(ResetEvent(dup)); /* still open through the duplicate */
    CHECK_EQ(WaitForSingleObject(dup, 0), WAIT_TIMEOUT);
    CHECK(DuplicateHandle(GetCurrentProcess(), dup, GetCurrentProcess(), &ev, 0, FALSE,
                          DUPLICATE_SAME_ACCESS | DUPLICATE_CLOSE_SOURCE));
    CHECK(SetEvent(ev));
    CHECK(CloseHandle(ev));
    CHECK(!DuplicateHandle(GetCurrentProcess(), GetCurrentThread(), GetCurrentProcess(), &dup, 0, FALSE,
                           DUPLICATE_SAME_ACCESS)); /* main was not made by CreateThread */
    CHECK_EQ(GetLastError(), ERROR_NOT_SUPPORTED);

    /* A thread's handle closed while it runs: the object lives on, the handle is gone. */
    stop = CreateEventA(NULL, TRUE, FALSE, NULL);
    th = CreateThread(NULL, 0, wait_stop_thread, stop, 0, NULL);
    CHECK(CloseHandle(th));
    CHECK(!CloseHandle(th));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(WaitForSingleObject(th, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(!GetExitCodeThread(th, &code));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    th = CreateThread(NULL, 0, wait_stop_thread, stop, 0, NULL);
    CHECK(SetEvent(stop));
    CHECK_EQ(WaitForSingleObject(th, GUARD_MS), WAIT_OBJECT_0);
    CHECK(GetExitCodeThread(th, &code));
    CHECK_EQ(code, 11);
    CHECK(CloseHandle(th));

    /* A descriptor past 65535 (a busy server has them) is a file handle: closed as a
       descriptor, never read as an object (reading this address would crash). */
    CHECK(!CloseHandle((HANDLE)(uintptr_t)0x12340));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK_EQ(WaitForSingleObject((HANDLE)(uintptr_t)0x12340, 0), WAIT_FAILED);

    /* Values that are no handle of the right kind. */
    SetLastError(0);
    CHECK(!CloseHandle(NULL));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!CloseHandle(INVALID_HANDLE_VALUE));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!CloseHandle((HANDLE)&fake));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!SetEvent(GetProcessHeap()));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!SetEvent((HANDLE)&fake));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK_EQ(WaitForSingleObject(NULL, 0), WAIT_FAILED);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!ReleaseMutex(stop)); /* an event is no mutex */
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!ReleaseSemaphore(stop, 1, &prev));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK_EQ(ResumeThread(stop), (DWORD)-1);
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    SetLastError(0);
    CHECK(!ResetEvent((HANDLE)(ULONG_PTR)0x12345674)); /* misaligned: refused without reading it */
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(CloseHandle(stop));

    /* Timer handles are freed by DeleteTimerQueueTimer, not CloseHandle. */
    CHECK(CreateTimerQueueTimer(&timer, NULL, (WAITORTIMERCALLBACK)NULL, NULL, 0, 0, 0) == FALSE);
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);

    /* Small values are file descriptors (fileapi.h's file handles). */
    file = (HANDLE)(intptr_t)open("/dev/null", O_RDONLY);
    CHECK((intptr_t)file > 2);
    CHECK(DuplicateHandle(GetCurrentProcess(), file, GetCurrentProcess(), &filedup, 0, FALSE, DUPLICATE_SAME_ACCESS));
    CHECK(filedup != file);
    CHECK(CloseHandle(file));
    CHECK(CloseHandle(filedup));
    SetLastError(0);
    CHECK(!CloseHandle(file));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
}

/* ---- thread pool ---- */

static LONG pool_count;
static DWORD WINAPI queued_item(LPVOID p)
{
    if (InterlockedIncrement(&pool_count) == 16)
        SetEvent((HANDLE)p);
    return 0;
}

static VOID CALLBACK simple_item(PTP_CALLBACK_INSTANCE instance, PVOID p)
{
    CHECK(CallbackMayRunLong(instance));
    SetEventWhenCallbackReturns(instance, (HANDLE)p);
}

static LONG work_count;
static VOID CALLBACK work_item(PTP_CALLBACK_INSTANCE instance, PVOID context, PTP_WORK work)
{
    (void)instance;
    (void)work;
    Sleep(1);
    InterlockedExchangeAdd(&work_count, (LONG)(ULONG_PTR)context);
}

static void test_thread_pool(void)
{
    HANDLE done = CreateEventA(NULL, TRUE, FALSE, NULL);
    TP_CALLBACK_ENVIRON env;
    PTP_WORK work;
    LONG seen;
    int i;
    pool_count = 0;
    for (i = 0; i < 16; i++)
        CHECK(QueueUserWorkItem(queued_item, done, i % 2 ? WT_EXECUTELONGFUNCTION : WT_EXECUTEDEFAULT));
    CHECK_EQ(WaitForSingleObject(done, GUARD_MS), WAIT_OBJECT_0);
    CHECK_EQ(pool_count, 16);
    CHECK(!QueueUserWorkItem(NULL, NULL, 0));

    ResetEvent(done);
    InitializeThreadpoolEnvironment(&env);
    CHECK(TrySubmitThreadpoolCallback(simple_item, done, &env));
    CHECK_EQ(WaitForSingleObject(done, GUARD_MS), WAIT_OBJECT_0);

    work_count = 0;
    work = CreateThreadpoolWork(work_item, (PVOID)(ULONG_PTR)3, &env);
    CHECK(work != NULL);
    for (i = 0; i < 20; i++)
        SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, FALSE);
    CHECK_EQ(work_count, 60); /* every run finished */
    for (i = 0; i < 20; i++)
        SubmitThreadpoolWork(work);
    WaitForThreadpoolWorkCallbacks(work, TRUE); /* runs not yet started are dropped */
    seen = work_count;
    CHECK(seen >= 60 && seen <= 120 && seen % 3 == 0);
    Sleep(20);
    CHECK_EQ(work_count, seen); /* nothing runs after the wait */
    CloseThreadpoolWork(work);
    DestroyThreadpoolEnvironment(&env);
    CHECK(CreateThreadpoolWork(NULL, NULL, NULL) == NULL);
    CHECK(CloseHandle(done));
}

/* ---- timer queues ---- */

typedef struct timer_state {
    LONG fired;
    LONG target;
    HANDLE reached;
    HANDLE gate;    /* when set, the callback blocks on it */
    HANDLE entered; /* set when the callback starts */
} timer_state;

static VOID CALLBACK count_timer(PVOID p, BOOLEAN timerFired)
{
    timer_state *s = (timer_state *)p;
    CHECK(timerFired);
    if (s->entered != NULL)
        SetEvent(s->entered);
    if (s->gate != NULL)
        WaitForSingleObject(s->gate, GUARD_MS);
    if (InterlockedIncrement(&s->fired) == s->target)
        SetEvent(s->reached);
}

/* A one-shot timer whose callback deletes the timer itself (the handle comes through the parameter). */
typedef struct self_delete {
    HANDLE timer;
    HANDLE stored;   /* set once the creator has stored the handle */
    HANDLE finished; /* set by the callback after the delete */
    BOOL result;
    DWORD error;
} self_delete;
static VOID CALLBACK self_deleting_timer(PVOID p, BOOLEAN timerFired)
{
    self_delete *s = (self_delete *)p;
    (void)timerFired;
    WaitForSingleObject(s->stored, GUARD_MS);
    SetLastError(0);
    s->result = DeleteTimerQueueTimer(NULL, s->timer, NULL);
    s->error = GetLastError();
    SetEvent(s->finished);
}

static void timer_state_init(timer_state *s, LONG target)
{
    memset(s, 0, sizeof(*s));
    s->target = target;
    s->reached = CreateEventA(NULL, TRUE, FALSE, NULL);
}

static void test_timers(void)
{
    /* Static: a timer's thread may still be returning from the callback when a test ends. */
    static timer_state one, periodic, q1, q2, slow, changed;
    static self_delete selfDelete;
    HANDLE t1 = NULL, t2 = NULL, t3 = NULL, t4 = NULL, queue, completion, other;
    LONG seen;

    /* One-shot. */
    timer_state_init(&one, 1);
    CHECK(CreateTimerQueueTimer(&t1, NULL, count_timer, &one, 5, 1000, WT_EXECUTEONLYONCE));
    CHECK_EQ(WaitForSingleObject(one.reached, GUARD_MS), WAIT_OBJECT_0);
    SetLastError(0);
    CHECK(!CloseHandle(t1));
    CHECK_EQ(GetLastError(), ERROR_INVALID_HANDLE);
    CHECK(DeleteTimerQueueTimer(NULL, t1, INVALID_HANDLE_VALUE));
    CHECK_EQ(one.fired, 1);

    /* Periodic: count, delete waiting for callbacks, then nothing more runs. */
    timer_state_init(&periodic, 5);
    CHECK(CreateTimerQueueTimer(&t2, NULL, count_timer, &periodic, 0, 2, WT_EXECUTEDEFAULT));
    CHECK_EQ(WaitForSingleObject(periodic.reached, GUARD_MS), WAIT_OBJECT_0);
    CHECK(DeleteTimerQueueTimer(NULL, t2, INVALID_HANDLE_VALUE));
    seen = periodic.fired;
    CHECK(seen >= 5);
    Sleep(20);
    CHECK_EQ(periodic.fired, seen);

    /* ChangeTimerQueueTimer brings a far-off timer forward. */
    timer_state_init(&changed, 1);
    CHECK(CreateTimerQueueTimer(&t3, NULL, count_timer, &changed, 3600000, 0, 0));
    CHECK_EQ(WaitForSingleObject(changed.reached, 10), WAIT_TIMEOUT);
    CHECK(ChangeTimerQueueTimer(NULL, t3, 1, 0));
    CHECK_EQ(WaitForSingleObject(changed.reached, GUARD_MS), WAIT_OBJECT_0);
    completion = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(DeleteTimerQueueTimer(NULL, t3, completion)); /* an event: set once the timer is gone */
    CHECK_EQ(WaitForSingleObject(completion, GUARD_MS), WAIT_OBJECT_0);
    CHECK(CloseHandle(completion));

    /* A queue with two periodic timers, deleted as a whole. */
    queue = CreateTimerQueue();
    CHECK(queue != NULL);
    timer_state_init(&q1, 3);
    timer_state_init(&q2, 3);
    CHECK(CreateTimerQueueTimer(&t1, queue, count_timer, &q1, 1, 2, WT_EXECUTEINTIMERTHREAD));
    CHECK(CreateTimerQueueTimer(&t2, queue, count_timer, &q2, 1, 3, WT_EXECUTELONGFUNCTION));
    CHECK_EQ(WaitForSingleObject(q1.reached, GUARD_MS), WAIT_OBJECT_0);
    CHECK_EQ(WaitForSingleObject(q2.reached, GUARD_MS), WAIT_OBJECT_0);
    other = CreateTimerQueue();
    CHECK(!DeleteTimerQueueTimer(other, t1, NULL)); /* not its queue */
    CHECK_EQ(GetLastError(), ERROR_INVALID_PARAMETER);
    CHECK(DeleteTimerQueueEx(other, NULL));
    CHECK(DeleteTimerQueueEx(queue, INVALID_HANDLE_VALUE));
    seen = q1.fired + q2.fired;
    Sleep(20);
    CHECK_EQ(q1.fired + q2.fired, seen);

    /* A queue deleted with an event; DeleteTimerQueue. */
    queue = CreateTimerQueue();
    CHECK(CreateTimerQueueTimer(&t1, queue, count_timer, &q1, 3600000, 0, 0));
    completion = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(DeleteTimerQueueEx(queue, completion));
    CHECK_EQ(WaitForSingleObject(completion, GUARD_MS), WAIT_OBJECT_0);
    CHECK(CloseHandle(completion));
    queue = CreateTimerQueue();
    CHECK(DeleteTimerQueue(queue));

    /* Deleting without waiting while a callback runs: ERROR_IO_PENDING, and it still finishes. */
    timer_state_init(&slow, 1);
    slow.gate = CreateEventA(NULL, TRUE, FALSE, NULL);
    slow.entered = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(CreateTimerQueueTimer(&t4, NULL, count_timer, &slow, 0, 0, 0));
    CHECK_EQ(WaitForSingleObject(slow.entered, GUARD_MS), WAIT_OBJECT_0);
    SetLastError(0);
    CHECK(!DeleteTimerQueueTimer(NULL, t4, NULL));
    CHECK_EQ(GetLastError(), ERROR_IO_PENDING);
    SetEvent(slow.gate);
    CHECK_EQ(WaitForSingleObject(slow.reached, GUARD_MS), WAIT_OBJECT_0);

    /* Deleted from its own callback: the callback is running, so ERROR_IO_PENDING, as documented. */
    memset(&selfDelete, 0, sizeof(selfDelete));
    selfDelete.stored = CreateEventA(NULL, TRUE, FALSE, NULL);
    selfDelete.finished = CreateEventA(NULL, TRUE, FALSE, NULL);
    CHECK(CreateTimerQueueTimer(&selfDelete.timer, NULL, self_deleting_timer, &selfDelete, 0, 0, 0));
    SetEvent(selfDelete.stored);
    CHECK_EQ(WaitForSingleObject(selfDelete.finished, GUARD_MS), WAIT_OBJECT_0);
    CHECK(!selfDelete.result);
    CHECK_EQ(selfDelete.error, ERROR_IO_PENDING);
}

static void run_kobj_tests(void)
{
    test_events();
    test_named();
    test_event_wakes_thread();
    test_mutexes();
    test_semaphores();
    test_threads();
    test_crt_threads();
    test_wait_multiple();
    test_signal_and_wait();
    test_handles();
    test_thread_pool();
    test_timers();
}

#endif /* IISHOST_COMPAT_KOBJ_TESTS_H */
