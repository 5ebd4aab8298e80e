/*
 * iishost/kernel_objects.h - Win32 kernel objects for modules that complete
 * requests from their own threads: events, mutexes, semaphores, threads
 * (CreateThread, with _beginthreadex in process.h), WaitForSingleObject /
 * WaitForMultipleObjects, CloseHandle and DuplicateHandle. The thread pool
 * and timer queues are in threadpool.h, on the same objects.
 *
 * Header-only (static inline), so a module links no library of ours.
 *
 * Handles. A kernel-object HANDLE is a pointer to a heap object that starts
 * with a magic word and its type, and counts its open handles apart from its
 * internal references (a waiting thread, the running thread of a thread
 * object), so closing a handle while a thread waits on it, or closing a
 * thread's handle while it runs, is safe. Every operation checks the magic,
 * the type and that a handle is still open, and fails with
 * ERROR_INVALID_HANDLE otherwise. NULL, the pseudo-handles and values below
 * 0x400000 are recognised without reading memory; any other pointer is read,
 * so a pointer that was never a handle, or one whose last handle was closed
 * and the object freed, is undefined behaviour, as using freed memory is.
 * An object's state lives in the object, so a handle made in one translation
 * unit (or module) works in every other. The only module-wide variables, the
 * list of names and the calling thread's own object, are weak and hidden
 * like iishost_last_error: one per module, shared by all its units.
 *
 * CloseHandle serves file handles too: a value below 0x400000 is a file
 * descriptor (fileapi.h's representation) and is close()d. NULL is not
 * (it fails, as on Windows, rather than closing standard input).
 *
 * What differs from Windows:
 *  - named events, mutexes and semaphores are shared within one module
 *    only (a per-module list, like the last error): Create* with the name
 *    of a live object returns it with ERROR_ALREADY_EXISTS (its arguments
 *    then ignored, as on Windows) and Open* find it; another module, or
 *    another process, has its own names. Names are compared exactly, as
 *    UTF-8 (an A name and the W name of the same text are one name), and
 *    the Global\ and Local\ prefixes are part of the name;
 *  - security attributes and access masks are ignored;
 *  - alertable waits (the *Ex forms' bAlertable) are plain waits: there are
 *    no APCs, so WAIT_IO_COMPLETION never comes back;
 *  - waiters are woken in no particular order (no FIFO fairness);
 *  - a mutex whose owner thread ended is found abandoned by its waiters
 *    (they look every 50 ms while the owner lives), whoever created the
 *    thread; thread ids are kernel ids, reused only after a long while;
 *  - SignalObjectAndWait signals, then waits: not one atomic step;
 *  - PulseEvent releases the threads waiting at that moment (one of them
 *    for an auto-reset event) and leaves the event reset; a wait-all waiter
 *    is released only if its other objects are signalled at that moment;
 *  - SuspendThread and TerminateThread are not provided (Linux cannot stop
 *    a running thread from outside); CREATE_SUSPENDED and ResumeThread work;
 *  - ExitThread finds the caller's thread object through a per-module
 *    thread-local variable, so it must be called by code of the module whose
 *    CreateThread started the thread; on any other thread it just ends the
 *    thread with pthread_exit, which a module must never do to a host thread.
 *
 * 64-bit Linux only, like kernel32.h.
 */
#ifndef IISHOST_KERNEL_OBJECTS_H
#define IISHOST_KERNEL_OBJECTS_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wintypes.h"
#include "winerror.h"
#include "winbase_types.h"
#include "kernel32.h"

/* ---- constants and types ------------------------------------------------- */

#define WAIT_OBJECT_0 0x00000000
#define WAIT_ABANDONED 0x00000080
#define WAIT_ABANDONED_0 0x00000080
#define WAIT_FAILED 0xFFFFFFFF
#define MAXIMUM_WAIT_OBJECTS 64
#define STILL_ACTIVE 259

#define CREATE_SUSPENDED 0x00000004
#define STACK_SIZE_PARAM_IS_A_RESERVATION 0x00010000

#define CREATE_EVENT_MANUAL_RESET 0x00000001
#define CREATE_EVENT_INITIAL_SET 0x00000002
#define CREATE_MUTEX_INITIAL_OWNER 0x00000001

#define DELETE 0x00010000
#define READ_CONTROL 0x00020000
#define SYNCHRONIZE 0x00100000
#define STANDARD_RIGHTS_REQUIRED 0x000F0000
#define EVENT_MODIFY_STATE 0x0002
#define EVENT_ALL_ACCESS 0x1F0003
#define MUTEX_MODIFY_STATE 0x0001
#define MUTEX_ALL_ACCESS 0x1F0001
#define SEMAPHORE_MODIFY_STATE 0x0002
#define SEMAPHORE_ALL_ACCESS 0x1F0003
#define THREAD_ALL_ACCESS 0x1FFFFF

#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS 0x00000002

typedef DWORD(WINAPI *PTHREAD_START_ROUTINE)(LPVOID lpThreadParameter);
typedef PTHREAD_START_ROUTINE LPTHREAD_START_ROUTINE;

/* The pseudo-handles: they name the caller and need no closing. */
static __inline__ HANDLE GetCurrentProcess(void)
{
    return (HANDLE)(LONG_PTR)-1;
}
static __inline__ HANDLE GetCurrentThread(void)
{
    return (HANDLE)(LONG_PTR)-2;
}

/* ---- the object ------------------------------------------------------------ */

#define IISHOST_KOBJ_MAGIC 0x4B4F424Au
#define IISHOST_KOBJ_EVENT 1u
#define IISHOST_KOBJ_MUTEX 2u
#define IISHOST_KOBJ_SEMAPHORE 3u
#define IISHOST_KOBJ_THREAD 4u
#define IISHOST_KOBJ_WORK 5u       /* threadpool.h: TP_WORK */
#define IISHOST_KOBJ_TIMER_QUEUE 6u /* threadpool.h */
#define IISHOST_KOBJ_TIMER 7u      /* threadpool.h */
/* Below: file descriptors. 4 MiB is above any descriptor Linux hands out (nr_open is at most
   about a million by default) and below any heap address (a non-PIE program loads at 4 MiB,
   its heap after it; PIE programs and mmap sit far higher), so a busy server's descriptors
   past 65535 still close as files. */
#define IISHOST_KOBJ_FIRST_FD_FREE ((uintptr_t)0x400000)
#define IISHOST_MUTEX_POLL_MS 50

struct iishost_kobj;
struct _TP_CALLBACK_INSTANCE; /* threadpool.h */
struct _TP_WORK;

/* One waiting thread; its futex word changes whenever an object it waits on does. */
typedef struct iishost_kwaiter {
    uint32_t seq;
} iishost_kwaiter;

/* A waiter's entry in one object's list of waiters. */
typedef struct iishost_kwait_node {
    struct iishost_kwait_node *next, *prev;
    iishost_kwaiter *waiter;
    int linked;
    int pulsed; /* PulseEvent released this waiter */
} iishost_kwait_node;

/*
 * Every kind of object in one structure: the fields a kind does not use stay
 * zero. Fields under `lock` unless said otherwise.
 */
typedef struct iishost_kobj {
    uint32_t magic; /* IISHOST_KOBJ_MAGIC while alive */
    uint32_t type;
    LONG handles; /* open handles (atomic) */
    LONG refs;    /* open handles plus internal references (atomic) */
    pthread_mutex_t lock;
    iishost_kwait_node *waiters;
    struct iishost_kobj *completion; /* an event to set when this object is freed */
    int signaled;                    /* event: set; thread: ended */
    int manual_reset;                /* event */
    LONG count, maximum;             /* semaphore */
    DWORD owner;                     /* mutex: owner's thread id, 0 when free */
    LONG recursion;                  /* mutex */
    int abandoned;                   /* mutex: its owner ended while holding it */
    DWORD tid;                       /* thread: its id, once started */
    DWORD exit_code;                 /* thread */
    DWORD suspend_count;             /* thread */
    uint32_t started;                /* thread: futex word, 1 once the id is known */
    uint32_t wake;                   /* thread (resume), timer, work: futex word */
    LPTHREAD_START_ROUTINE start;    /* thread, QueueUserWorkItem */
    LPVOID param;
    /* threadpool.h */
    void(CALLBACK *work_callback)(struct _TP_CALLBACK_INSTANCE *, PVOID, struct _TP_WORK *);
    uint32_t outstanding;            /* work: submitted callbacks not finished (atomic futex word) */
    uint32_t cancel_gen;             /* work: bumped to cancel callbacks not started (atomic) */
    VOID(CALLBACK *timer_callback)(PVOID, BOOLEAN);
    ULONGLONG due_ns;                /* timer: next due time, monotonic clock */
    DWORD period_ms;                 /* timer: 0 = one-shot */
    int armed, deleted, running;     /* timer */
    uint32_t done;                   /* timer: futex word, 1 once its thread has finished */
    DWORD timer_tid;                 /* timer: its thread's id */
    struct iishost_kobj *queue;      /* timer: its queue (a reference), or NULL */
    struct iishost_kobj *next_timer, *prev_timer; /* timer: in its queue's list, under the queue's lock */
    int in_queue;
    struct iishost_kobj *timers;     /* timer queue: its list, each holding a reference */
    char *name;                      /* a named object's name (UTF-8), or NULL */
    struct iishost_kobj *next_named, *prev_named; /* in the module's list of names, under its lock */
    int named_linked;
} iishost_kobj;

/*
 * The calling thread's own object when CreateThread made the thread. Like
 * iishost_last_error the variable is weak and hidden, so one per module.
 */
#ifdef __cplusplus
extern "C" {
#endif
__attribute__((__weak__, __visibility__("hidden"))) __thread iishost_kobj *iishost_kthread_self = 0;
/* The module's named objects (weak and hidden the same way), under an SRW lock. */
__attribute__((__weak__, __visibility__("hidden"))) SRWLOCK iishost_knames_lock = {0};
__attribute__((__weak__, __visibility__("hidden"))) iishost_kobj *iishost_knames = 0;
#ifdef __cplusplus
}
#endif

static __inline__ int iishost_kfutex_wait(uint32_t *word, uint32_t expected, const struct timespec *timeout)
{
    int saved = errno, result = 0;
    if (syscall(SYS_futex, word, IISHOST_FUTEX_WAIT_PRIVATE, expected, timeout, NULL, 0) != 0)
        result = errno;
    errno = saved;
    return result;
}
static __inline__ void iishost_kfutex_wake(uint32_t *word)
{
    int saved = errno;
    syscall(SYS_futex, word, IISHOST_FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    errno = saved;
}
/* Bumps a futex word and wakes everyone sleeping on it. */
static __inline__ void iishost_kfutex_bump(uint32_t *word)
{
    __atomic_add_fetch(word, 1, __ATOMIC_SEQ_CST);
    iishost_kfutex_wake(word);
}
/* Sleeps until *word is no longer `value` (spurious returns are fine for callers that loop). */
static __inline__ void iishost_kfutex_wait_while(uint32_t *word, uint32_t value)
{
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == value)
        iishost_kfutex_wait(word, value, NULL);
}

static __inline__ iishost_kobj *iishost_kobj_new(uint32_t type)
{
    iishost_kobj *o = (iishost_kobj *)calloc(1, sizeof(iishost_kobj));
    if (o == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (pthread_mutex_init(&o->lock, NULL) != 0) {
        free(o);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    o->type = type;
    o->handles = 1;
    o->refs = 1;
    __atomic_store_n(&o->magic, IISHOST_KOBJ_MAGIC, __ATOMIC_RELEASE);
    return o;
}

static __inline__ void iishost_kobj_ref(iishost_kobj *o)
{
    __atomic_add_fetch(&o->refs, 1, __ATOMIC_SEQ_CST);
}

static __inline__ void iishost_kobj_release(iishost_kobj *o);

/* Wakes every thread waiting on o; called with o->lock held. */
static __inline__ void iishost_kobj_wake_waiters(iishost_kobj *o)
{
    iishost_kwait_node *n;
    for (n = o->waiters; n != NULL; n = n->next)
        iishost_kfutex_bump(&n->waiter->seq);
}

/* Sets an event object, whether or not a handle to it is still open. */
static __inline__ void iishost_event_set(iishost_kobj *o)
{
    pthread_mutex_lock(&o->lock);
    o->signaled = 1;
    iishost_kobj_wake_waiters(o);
    pthread_mutex_unlock(&o->lock);
}

/* Frees an object whose last reference went: clears the magic first, so a
 * stale handle read before the memory is reused fails cleanly. */
static __inline__ void iishost_kobj_destroy(iishost_kobj *o)
{
    iishost_kobj *completion = o->completion, *queue = o->queue;
    __atomic_store_n(&o->magic, 0u, __ATOMIC_RELEASE);
    pthread_mutex_destroy(&o->lock);
    free(o->name);
    free(o);
    if (queue != NULL)
        iishost_kobj_release(queue);
    if (completion != NULL) {
        iishost_event_set(completion);
        iishost_kobj_release(completion);
    }
}

static __inline__ void iishost_kobj_release(iishost_kobj *o)
{
    if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_SEQ_CST) == 0)
        iishost_kobj_destroy(o);
}

/*
 * The object behind an open handle of the given type (0: any type), or NULL
 * with ERROR_INVALID_HANDLE. Values that cannot be objects are refused
 * without touching memory: NULL, descriptors, pseudo-handles, misaligned
 * values and the process heap.
 */
static __inline__ iishost_kobj *iishost_kobj_get(HANDLE h, uint32_t type)
{
    uintptr_t v = (uintptr_t)h;
    iishost_kobj *o = (iishost_kobj *)h;
    if (v < IISHOST_KOBJ_FIRST_FD_FREE || v > (uintptr_t)-IISHOST_KOBJ_FIRST_FD_FREE || (v & 7) != 0 ||
        h == GetProcessHeap() || __atomic_load_n(&o->magic, __ATOMIC_ACQUIRE) != IISHOST_KOBJ_MAGIC ||
        (type != 0 && o->type != type) || __atomic_load_n(&o->handles, __ATOMIC_ACQUIRE) <= 0) {
        SetLastError(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return o;
}

/* Takes one open handle away; fails if none is left (a second close). */
static __inline__ BOOL iishost_kobj_close(iishost_kobj *o)
{
    LONG n = __atomic_load_n(&o->handles, __ATOMIC_ACQUIRE);
    do {
        if (n <= 0) {
            SetLastError(ERROR_INVALID_HANDLE);
            return FALSE;
        }
    } while (!__atomic_compare_exchange_n(&o->handles, &n, n - 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_ACQUIRE));
    if (n == 1 && o->name != NULL) { /* the last handle: the name goes (lookups skip it already) */
        AcquireSRWLockExclusive(&iishost_knames_lock);
        if (o->named_linked) {
            if (o->prev_named != NULL)
                o->prev_named->next_named = o->next_named;
            else
                iishost_knames = o->next_named;
            if (o->next_named != NULL)
                o->next_named->prev_named = o->prev_named;
            o->named_linked = 0;
        }
        ReleaseSRWLockExclusive(&iishost_knames_lock);
    }
    iishost_kobj_release(o);
    return TRUE;
}

/* ---- names -------------------------------------------------------------------- */

/* A malloc'ed UTF-8 copy of a name; NULL for no name, an empty one, or no memory (*failed set). */
static __inline__ char *iishost_kname_a(LPCSTR name, int *failed)
{
    size_t n;
    char *copy;
    *failed = 0;
    if (name == NULL || *name == 0)
        return NULL;
    n = strlen(name) + 1;
    copy = (char *)malloc(n);
    if (copy == NULL) {
        *failed = 1;
        return NULL;
    }
    return (char *)memcpy(copy, name, n);
}
static __inline__ char *iishost_kname_w(LPCWSTR name, int *failed)
{
    int n;
    char *copy;
    *failed = 0;
    if (name == NULL || *name == 0)
        return NULL;
    n = WideCharToMultiByte(CP_UTF8, 0, name, -1, NULL, 0, NULL, NULL);
    copy = n > 0 ? (char *)malloc((size_t)n) : NULL;
    if (copy == NULL || WideCharToMultiByte(CP_UTF8, 0, name, -1, copy, n, NULL, NULL) != n) {
        free(copy);
        *failed = 1;
        return NULL;
    }
    return copy;
}

/* The live object of that name; under iishost_knames_lock. */
static __inline__ iishost_kobj *iishost_kname_find(const char *name)
{
    iishost_kobj *o;
    for (o = iishost_knames; o != NULL; o = o->next_named)
        if (__atomic_load_n(&o->handles, __ATOMIC_ACQUIRE) > 0 && strcmp(o->name, name) == 0)
            return o;
    return NULL;
}

/*
 * Hands out a freshly made object under its name (owned, may be NULL): a
 * live object of that name wins (ERROR_ALREADY_EXISTS; another type fails
 * with ERROR_INVALID_HANDLE) and the fresh one is dropped.
 */
static __inline__ HANDLE iishost_kobj_publish(iishost_kobj *fresh, char *name, int nameFailed)
{
    iishost_kobj *o;
    DWORD error = ERROR_SUCCESS;
    if (fresh == NULL || nameFailed) {
        if (fresh != NULL)
            iishost_kobj_release(fresh);
        free(name);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return NULL;
    }
    if (name == NULL) {
        SetLastError(ERROR_SUCCESS);
        return (HANDLE)fresh;
    }
    AcquireSRWLockExclusive(&iishost_knames_lock);
    o = iishost_kname_find(name);
    if (o == NULL) {
        o = fresh;
        fresh = NULL;
        o->name = name;
        name = NULL;
        o->prev_named = NULL;
        o->next_named = iishost_knames;
        if (iishost_knames != NULL)
            iishost_knames->prev_named = o;
        iishost_knames = o;
        o->named_linked = 1;
    } else if (o->type == fresh->type) {
        __atomic_add_fetch(&o->handles, 1, __ATOMIC_SEQ_CST);
        iishost_kobj_ref(o);
        error = ERROR_ALREADY_EXISTS;
    } else {
        o = NULL;
        error = ERROR_INVALID_HANDLE;
    }
    ReleaseSRWLockExclusive(&iishost_knames_lock);
    if (fresh != NULL)
        iishost_kobj_release(fresh);
    free(name);
    SetLastError(error);
    return (HANDLE)o;
}

/* Open*: a new handle to the live object of that name and type, else NULL with ERROR_FILE_NOT_FOUND
 * (no such name) or ERROR_INVALID_HANDLE (another type). */
static __inline__ HANDLE iishost_kobj_open(uint32_t type, char *name, int nameFailed)
{
    iishost_kobj *o = NULL;
    DWORD error = ERROR_FILE_NOT_FOUND;
    if (name == NULL) {
        SetLastError(nameFailed ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return NULL;
    }
    AcquireSRWLockExclusive(&iishost_knames_lock);
    o = iishost_kname_find(name);
    if (o != NULL && o->type != type) {
        o = NULL;
        error = ERROR_INVALID_HANDLE;
    } else if (o != NULL) {
        __atomic_add_fetch(&o->handles, 1, __ATOMIC_SEQ_CST);
        iishost_kobj_ref(o);
    }
    ReleaseSRWLockExclusive(&iishost_knames_lock);
    free(name);
    if (o == NULL)
        SetLastError(error);
    return (HANDLE)o;
}

/* ---- events ------------------------------------------------------------------ */

static __inline__ HANDLE iishost_create_event(BOOL manual, BOOL initial, char *name, int nameFailed)
{
    iishost_kobj *o = iishost_kobj_new(IISHOST_KOBJ_EVENT);
    if (o != NULL) {
        o->manual_reset = manual != 0;
        o->signaled = initial != 0;
    }
    return iishost_kobj_publish(o, name, nameFailed);
}
static __inline__ HANDLE CreateEventA(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCSTR lpName)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)lpEventAttributes;
    return iishost_create_event(bManualReset, bInitialState, name, failed);
}
static __inline__ HANDLE CreateEventW(LPSECURITY_ATTRIBUTES lpEventAttributes, BOOL bManualReset,
                                      BOOL bInitialState, LPCWSTR lpName)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)lpEventAttributes;
    return iishost_create_event(bManualReset, bInitialState, name, failed);
}
/* Flags other than CREATE_EVENT_MANUAL_RESET and CREATE_EVENT_INITIAL_SET fail with ERROR_INVALID_PARAMETER. */
static __inline__ HANDLE iishost_create_event_ex(DWORD dwFlags, char *name, int nameFailed)
{
    if (dwFlags & ~(DWORD)(CREATE_EVENT_MANUAL_RESET | CREATE_EVENT_INITIAL_SET)) {
        free(name);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return iishost_create_event((dwFlags & CREATE_EVENT_MANUAL_RESET) != 0, (dwFlags & CREATE_EVENT_INITIAL_SET) != 0,
                                name, nameFailed);
}
static __inline__ HANDLE CreateEventExA(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)lpEventAttributes;
    (void)dwDesiredAccess;
    return iishost_create_event_ex(dwFlags, name, failed);
}
static __inline__ HANDLE CreateEventExW(LPSECURITY_ATTRIBUTES lpEventAttributes, LPCWSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)lpEventAttributes;
    (void)dwDesiredAccess;
    return iishost_create_event_ex(dwFlags, name, failed);
}
static __inline__ HANDLE OpenEventA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    return iishost_kobj_open(IISHOST_KOBJ_EVENT, name, failed);
}
static __inline__ HANDLE OpenEventW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    return iishost_kobj_open(IISHOST_KOBJ_EVENT, name, failed);
}

static __inline__ BOOL SetEvent(HANDLE hEvent)
{
    iishost_kobj *o = iishost_kobj_get(hEvent, IISHOST_KOBJ_EVENT);
    if (o == NULL)
        return FALSE;
    iishost_event_set(o);
    return TRUE;
}

static __inline__ BOOL ResetEvent(HANDLE hEvent)
{
    iishost_kobj *o = iishost_kobj_get(hEvent, IISHOST_KOBJ_EVENT);
    if (o == NULL)
        return FALSE;
    pthread_mutex_lock(&o->lock);
    o->signaled = 0;
    pthread_mutex_unlock(&o->lock);
    return TRUE;
}

/* Windows documents PulseEvent as unreliable; see the top comment for what it does here. */
static __inline__ BOOL PulseEvent(HANDLE hEvent)
{
    iishost_kwait_node *n;
    iishost_kobj *o = iishost_kobj_get(hEvent, IISHOST_KOBJ_EVENT);
    if (o == NULL)
        return FALSE;
    pthread_mutex_lock(&o->lock);
    for (n = o->waiters; n != NULL; n = n->next) {
        n->pulsed = 1;
        iishost_kfutex_bump(&n->waiter->seq);
        if (!o->manual_reset)
            break;
    }
    o->signaled = 0;
    pthread_mutex_unlock(&o->lock);
    return TRUE;
}

/* ---- mutexes ------------------------------------------------------------------ */

/* An existing mutex of the same name is opened, not taken, whatever bInitialOwner says (as on Windows). */
static __inline__ HANDLE iishost_create_mutex(BOOL owned, char *name, int nameFailed)
{
    iishost_kobj *o = iishost_kobj_new(IISHOST_KOBJ_MUTEX);
    if (o != NULL && owned) {
        o->owner = GetCurrentThreadId();
        o->recursion = 1;
    }
    return iishost_kobj_publish(o, name, nameFailed);
}
static __inline__ HANDLE CreateMutexA(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner, LPCSTR lpName)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)lpMutexAttributes;
    return iishost_create_mutex(bInitialOwner, name, failed);
}
static __inline__ HANDLE CreateMutexW(LPSECURITY_ATTRIBUTES lpMutexAttributes, BOOL bInitialOwner, LPCWSTR lpName)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)lpMutexAttributes;
    return iishost_create_mutex(bInitialOwner, name, failed);
}
static __inline__ HANDLE iishost_create_mutex_ex(DWORD dwFlags, char *name, int nameFailed)
{
    if (dwFlags & ~(DWORD)CREATE_MUTEX_INITIAL_OWNER) {
        free(name);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    return iishost_create_mutex((dwFlags & CREATE_MUTEX_INITIAL_OWNER) != 0, name, nameFailed);
}
static __inline__ HANDLE CreateMutexExA(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)lpMutexAttributes;
    (void)dwDesiredAccess;
    return iishost_create_mutex_ex(dwFlags, name, failed);
}
static __inline__ HANDLE CreateMutexExW(LPSECURITY_ATTRIBUTES lpMutexAttributes, LPCWSTR lpName, DWORD dwFlags,
                                        DWORD dwDesiredAccess)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)lpMutexAttributes;
    (void)dwDesiredAccess;
    return iishost_create_mutex_ex(dwFlags, name, failed);
}
static __inline__ HANDLE OpenMutexA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    return iishost_kobj_open(IISHOST_KOBJ_MUTEX, name, failed);
}
static __inline__ HANDLE OpenMutexW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    return iishost_kobj_open(IISHOST_KOBJ_MUTEX, name, failed);
}

/* Fails with ERROR_NOT_OWNER unless the calling thread owns the mutex. */
static __inline__ BOOL ReleaseMutex(HANDLE hMutex)
{
    BOOL ok = TRUE;
    iishost_kobj *o = iishost_kobj_get(hMutex, IISHOST_KOBJ_MUTEX);
    if (o == NULL)
        return FALSE;
    pthread_mutex_lock(&o->lock);
    if (o->owner != GetCurrentThreadId() || o->recursion <= 0) {
        ok = FALSE;
    } else if (--o->recursion == 0) {
        o->owner = 0;
        iishost_kobj_wake_waiters(o);
    }
    pthread_mutex_unlock(&o->lock);
    if (!ok)
        SetLastError(ERROR_NOT_OWNER);
    return ok;
}

/* True when no thread has the id any more (the owner of a mutex ended). */
static __inline__ int iishost_thread_gone(DWORD tid)
{
    int saved = errno, gone = syscall(SYS_tgkill, (long)getpid(), (long)tid, 0L) != 0 && errno == ESRCH;
    errno = saved;
    return gone;
}

/* ---- semaphores ----------------------------------------------------------------- */

/* Fails with ERROR_INVALID_PARAMETER unless 0 <= lInitialCount <= lMaximumCount and lMaximumCount > 0. */
static __inline__ HANDLE iishost_create_semaphore(LONG initial, LONG maximum, DWORD flags, char *name, int nameFailed)
{
    iishost_kobj *o;
    if (maximum <= 0 || initial < 0 || initial > maximum || flags != 0) {
        free(name);
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    o = iishost_kobj_new(IISHOST_KOBJ_SEMAPHORE);
    if (o != NULL) {
        o->count = initial;
        o->maximum = maximum;
    }
    return iishost_kobj_publish(o, name, nameFailed);
}
static __inline__ HANDLE CreateSemaphoreA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                          LONG lMaximumCount, LPCSTR lpName)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)lpSemaphoreAttributes;
    return iishost_create_semaphore(lInitialCount, lMaximumCount, 0, name, failed);
}
static __inline__ HANDLE CreateSemaphoreW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                          LONG lMaximumCount, LPCWSTR lpName)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)lpSemaphoreAttributes;
    return iishost_create_semaphore(lInitialCount, lMaximumCount, 0, name, failed);
}
/* dwFlags must be 0 (it is reserved). */
static __inline__ HANDLE CreateSemaphoreExA(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                            LONG lMaximumCount, LPCSTR lpName, DWORD dwFlags, DWORD dwDesiredAccess)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)lpSemaphoreAttributes;
    (void)dwDesiredAccess;
    return iishost_create_semaphore(lInitialCount, lMaximumCount, dwFlags, name, failed);
}
static __inline__ HANDLE CreateSemaphoreExW(LPSECURITY_ATTRIBUTES lpSemaphoreAttributes, LONG lInitialCount,
                                            LONG lMaximumCount, LPCWSTR lpName, DWORD dwFlags, DWORD dwDesiredAccess)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)lpSemaphoreAttributes;
    (void)dwDesiredAccess;
    return iishost_create_semaphore(lInitialCount, lMaximumCount, dwFlags, name, failed);
}
static __inline__ HANDLE OpenSemaphoreA(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCSTR lpName)
{
    int failed;
    char *name = iishost_kname_a(lpName, &failed);
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    return iishost_kobj_open(IISHOST_KOBJ_SEMAPHORE, name, failed);
}
static __inline__ HANDLE OpenSemaphoreW(DWORD dwDesiredAccess, BOOL bInheritHandle, LPCWSTR lpName)
{
    int failed;
    char *name = iishost_kname_w(lpName, &failed);
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    return iishost_kobj_open(IISHOST_KOBJ_SEMAPHORE, name, failed);
}

/* Adds lReleaseCount (> 0); past the maximum it changes nothing and fails with ERROR_TOO_MANY_POSTS. */
static __inline__ BOOL ReleaseSemaphore(HANDLE hSemaphore, LONG lReleaseCount, LPLONG lpPreviousCount)
{
    DWORD error = ERROR_SUCCESS;
    iishost_kobj *o = iishost_kobj_get(hSemaphore, IISHOST_KOBJ_SEMAPHORE);
    if (o == NULL)
        return FALSE;
    if (lReleaseCount <= 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    pthread_mutex_lock(&o->lock);
    if (lReleaseCount > o->maximum - o->count) {
        error = ERROR_TOO_MANY_POSTS;
    } else {
        if (lpPreviousCount != NULL)
            *lpPreviousCount = o->count;
        o->count += lReleaseCount;
        iishost_kobj_wake_waiters(o);
    }
    pthread_mutex_unlock(&o->lock);
    if (error != ERROR_SUCCESS) {
        SetLastError(error);
        return FALSE;
    }
    return TRUE;
}

/* ---- waiting --------------------------------------------------------------------- */

/* Whether the waiter could take o now; under o->lock. A mutex whose owner ended becomes free and abandoned. */
static __inline__ int iishost_kobj_ready(iishost_kobj *o, const iishost_kwait_node *node, DWORD self)
{
    switch (o->type) {
    case IISHOST_KOBJ_EVENT:
        return o->signaled || node->pulsed;
    case IISHOST_KOBJ_SEMAPHORE:
        return o->count > 0;
    case IISHOST_KOBJ_MUTEX:
        if (o->owner != 0 && o->owner != self && iishost_thread_gone(o->owner)) {
            o->owner = 0;
            o->recursion = 0;
            o->abandoned = 1;
        }
        return o->owner == 0 || o->owner == self;
    default: /* a thread: signalled once it ended */
        return o->signaled;
    }
}

/* Takes a ready object (consumes the event, a count, the mutex); returns 1 if the mutex was abandoned. */
static __inline__ int iishost_kobj_take(iishost_kobj *o, iishost_kwait_node *node, DWORD self)
{
    int abandoned = 0;
    switch (o->type) {
    case IISHOST_KOBJ_EVENT:
        if (!o->manual_reset && !node->pulsed)
            o->signaled = 0;
        break;
    case IISHOST_KOBJ_SEMAPHORE:
        o->count--;
        break;
    case IISHOST_KOBJ_MUTEX:
        o->owner = self;
        o->recursion++;
        abandoned = o->abandoned;
        o->abandoned = 0;
        break;
    default:
        break;
    }
    node->pulsed = 0;
    return abandoned;
}

/* Whether a mutex among the objects is held by another thread, which the waiter must watch. */
static __inline__ int iishost_kobj_watch_owner(iishost_kobj *o, DWORD self)
{
    return o->type == IISHOST_KOBJ_MUTEX && o->owner != 0 && o->owner != self;
}

static __inline__ void iishost_kobj_link(iishost_kobj *o, iishost_kwait_node *node)
{
    if (node->linked)
        return;
    node->prev = NULL;
    node->next = o->waiters;
    if (o->waiters != NULL)
        o->waiters->prev = node;
    o->waiters = node;
    node->linked = 1;
}
static __inline__ void iishost_kobj_unlink(iishost_kobj *o, iishost_kwait_node *node)
{
    if (!node->linked)
        return;
    if (node->prev != NULL)
        node->prev->next = node->next;
    else
        o->waiters = node->next;
    if (node->next != NULL)
        node->next->prev = node->prev;
    node->linked = 0;
}

/* The object a waitable handle names; GetCurrentThread() is the caller's own thread object. */
static __inline__ iishost_kobj *iishost_kobj_waitable(HANDLE h)
{
    iishost_kobj *o;
    if (h == GetCurrentThread() && iishost_kthread_self != NULL)
        return iishost_kthread_self;
    o = iishost_kobj_get(h, 0);
    if (o != NULL && o->type > IISHOST_KOBJ_THREAD) {
        SetLastError(ERROR_INVALID_HANDLE);
        return NULL;
    }
    return o;
}

/*
 * The wait behind every Wait* function. Each pass looks at the objects
 * under their locks (wait-all: all locks, taken in address order) and, if
 * the wait cannot finish, links the waiter into each object's list; any
 * change to those objects bumps the waiter's futex word, read before the
 * pass, so no wake-up is lost between the look and the sleep.
 */
static __inline__ DWORD iishost_wait(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll, DWORD dwMilliseconds)
{
    iishost_kobj *objs[MAXIMUM_WAIT_OBJECTS];
    iishost_kwait_node nodes[MAXIMUM_WAIT_OBJECTS];
    DWORD order[MAXIMUM_WAIT_OBJECTS];
    iishost_kwaiter waiter;
    DWORD i, j, result = WAIT_TIMEOUT, self = GetCurrentThreadId();
    ULONGLONG deadline = 0;
    int done = 0;
    if (nCount == 0 || nCount > MAXIMUM_WAIT_OBJECTS || lpHandles == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return WAIT_FAILED;
    }
    for (i = 0; i < nCount; i++) {
        objs[i] = iishost_kobj_waitable(lpHandles[i]);
        if (objs[i] == NULL)
            return WAIT_FAILED;
        for (j = 0; bWaitAll && j < i; j++) {
            if (objs[j] == objs[i]) {
                SetLastError(ERROR_INVALID_PARAMETER);
                return WAIT_FAILED;
            }
        }
    }
    memset(nodes, 0, sizeof(nodes));
    memset(&waiter, 0, sizeof(waiter));
    for (i = 0; i < nCount; i++) {
        iishost_kobj_ref(objs[i]);
        nodes[i].waiter = &waiter;
        order[i] = i;
    }
    if (bWaitAll) { /* lock order: by address */
        for (i = 1; i < nCount; i++)
            for (j = i; j > 0 && (uintptr_t)objs[order[j - 1]] > (uintptr_t)objs[order[j]]; j--) {
                DWORD t = order[j];
                order[j] = order[j - 1];
                order[j - 1] = t;
            }
    }
    if (dwMilliseconds != INFINITE)
        deadline = iishost_clock_ns(IISHOST_CLOCK_MONOTONIC) + (ULONGLONG)dwMilliseconds * 1000000u;
    for (;;) {
        uint32_t seq = __atomic_load_n(&waiter.seq, __ATOMIC_SEQ_CST);
        int watch = 0;
        struct timespec ts, *timeout = NULL;
        ULONGLONG now, left = 0;
        if (!bWaitAll) {
            for (i = 0; i < nCount && !done; i++) {
                iishost_kobj *o = objs[i];
                pthread_mutex_lock(&o->lock);
                if (iishost_kobj_ready(o, &nodes[i], self)) {
                    result = (iishost_kobj_take(o, &nodes[i], self) ? WAIT_ABANDONED_0 : WAIT_OBJECT_0) + i;
                    done = 1;
                } else {
                    watch |= iishost_kobj_watch_owner(o, self);
                    if (dwMilliseconds != 0)
                        iishost_kobj_link(o, &nodes[i]);
                }
                pthread_mutex_unlock(&o->lock);
            }
        } else {
            int all = 1;
            DWORD abandoned = MAXIMUM_WAIT_OBJECTS;
            for (i = 0; i < nCount; i++)
                pthread_mutex_lock(&objs[order[i]]->lock);
            for (i = 0; i < nCount; i++) {
                if (!iishost_kobj_ready(objs[i], &nodes[i], self)) {
                    all = 0;
                    watch |= iishost_kobj_watch_owner(objs[i], self);
                }
            }
            for (i = 0; i < nCount; i++) {
                if (all) {
                    if (iishost_kobj_take(objs[i], &nodes[i], self) && abandoned == MAXIMUM_WAIT_OBJECTS)
                        abandoned = i;
                } else {
                    nodes[i].pulsed = 0; /* a pulse that could not complete the wait is gone */
                    if (dwMilliseconds != 0)
                        iishost_kobj_link(objs[i], &nodes[i]);
                }
            }
            for (i = nCount; i > 0; i--)
                pthread_mutex_unlock(&objs[order[i - 1]]->lock);
            if (all) {
                result = abandoned != MAXIMUM_WAIT_OBJECTS ? WAIT_ABANDONED_0 + abandoned : WAIT_OBJECT_0;
                done = 1;
            }
        }
        if (done)
            break;
        if (dwMilliseconds != INFINITE) {
            now = iishost_clock_ns(IISHOST_CLOCK_MONOTONIC);
            if (now >= deadline)
                break; /* WAIT_TIMEOUT */
            left = deadline - now;
        }
        if (watch && (dwMilliseconds == INFINITE || left > (ULONGLONG)IISHOST_MUTEX_POLL_MS * 1000000u))
            left = (ULONGLONG)IISHOST_MUTEX_POLL_MS * 1000000u;
        if (dwMilliseconds != INFINITE || watch) {
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            timeout = &ts;
        }
        iishost_kfutex_wait(&waiter.seq, seq, timeout);
    }
    for (i = 0; i < nCount; i++) {
        if (nodes[i].linked) {
            pthread_mutex_lock(&objs[i]->lock);
            iishost_kobj_unlink(objs[i], &nodes[i]);
            pthread_mutex_unlock(&objs[i]->lock);
        }
        iishost_kobj_release(objs[i]);
    }
    return result;
}

/*
 * WAIT_OBJECT_0 (+ index) when the object is signalled (and taken: an
 * auto-reset event reset, a semaphore count used, the mutex owned),
 * WAIT_ABANDONED_0 (+ index) for a mutex whose owner ended holding it,
 * WAIT_TIMEOUT, or WAIT_FAILED with GetLastError(). Events, mutexes,
 * semaphores and threads are waitable.
 */
static __inline__ DWORD WaitForSingleObject(HANDLE hHandle, DWORD dwMilliseconds)
{
    return iishost_wait(1, &hHandle, FALSE, dwMilliseconds);
}
static __inline__ DWORD WaitForSingleObjectEx(HANDLE hHandle, DWORD dwMilliseconds, BOOL bAlertable)
{
    (void)bAlertable;
    return iishost_wait(1, &hHandle, FALSE, dwMilliseconds);
}
/* With bWaitAll the same object twice fails with ERROR_INVALID_PARAMETER, as on Windows. */
static __inline__ DWORD WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                               DWORD dwMilliseconds)
{
    return iishost_wait(nCount, lpHandles, bWaitAll, dwMilliseconds);
}
static __inline__ DWORD WaitForMultipleObjectsEx(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll,
                                                 DWORD dwMilliseconds, BOOL bAlertable)
{
    (void)bAlertable;
    return iishost_wait(nCount, lpHandles, bWaitAll, dwMilliseconds);
}

/* Sets an event, releases a mutex or adds one to a semaphore, then waits (two steps, not one). */
static __inline__ DWORD SignalObjectAndWait(HANDLE hObjectToSignal, HANDLE hObjectToWaitOn, DWORD dwMilliseconds,
                                            BOOL bAlertable)
{
    iishost_kobj *o = iishost_kobj_get(hObjectToSignal, 0);
    BOOL ok = FALSE;
    (void)bAlertable;
    if (o == NULL)
        return WAIT_FAILED;
    if (o->type == IISHOST_KOBJ_EVENT)
        ok = SetEvent(hObjectToSignal);
    else if (o->type == IISHOST_KOBJ_MUTEX)
        ok = ReleaseMutex(hObjectToSignal);
    else if (o->type == IISHOST_KOBJ_SEMAPHORE)
        ok = ReleaseSemaphore(hObjectToSignal, 1, NULL);
    else
        SetLastError(ERROR_INVALID_HANDLE);
    return ok ? iishost_wait(1, &hObjectToWaitOn, FALSE, dwMilliseconds) : WAIT_FAILED;
}

/* ---- threads ------------------------------------------------------------------- */

/* The end of a thread from CreateThread: record the code, signal the handle, drop the thread's reference. */
static __inline__ void iishost_thread_finish(iishost_kobj *t, DWORD code)
{
    iishost_kthread_self = NULL;
    pthread_mutex_lock(&t->lock);
    t->exit_code = code;
    t->signaled = 1;
    iishost_kobj_wake_waiters(t);
    pthread_mutex_unlock(&t->lock);
    iishost_kobj_release(t);
}

static __inline__ void *iishost_thread_main(void *arg)
{
    iishost_kobj *t = (iishost_kobj *)arg;
    iishost_kthread_self = t;
    pthread_mutex_lock(&t->lock);
    t->tid = GetCurrentThreadId();
    __atomic_store_n(&t->started, 1u, __ATOMIC_SEQ_CST);
    iishost_kfutex_wake(&t->started);
    while (t->suspend_count > 0) {
        uint32_t seq = __atomic_load_n(&t->wake, __ATOMIC_SEQ_CST);
        pthread_mutex_unlock(&t->lock);
        iishost_kfutex_wait(&t->wake, seq, NULL);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
    iishost_thread_finish(t, t->start(t->param));
    return NULL;
}

/* Starts a detached pthread; 0 or an errno value. stack 0 means the default size. */
static __inline__ int iishost_spawn(void *(*fn)(void *), void *arg, SIZE_T stack)
{
    pthread_attr_t attr;
    pthread_t thread;
    int err;
    if (pthread_attr_init(&attr) != 0)
        return ENOMEM;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    if (stack != 0) {
        stack = (stack + 0xFFFF) & ~(SIZE_T)0xFFFF; /* whole 64 KiB, as Windows rounds */
        pthread_attr_setstacksize(&attr, stack);
    }
    err = pthread_create(&thread, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return err;
}

/*
 * A detached pthread running lpStartAddress(lpParameter). dwStackSize is
 * honoured (rounded up to 64 KiB; 0 is the default). The handle is
 * signalled when the thread ends; its exit code is the routine's return
 * value or ExitThread's argument. CREATE_SUSPENDED holds the thread before
 * the routine until ResumeThread; STACK_SIZE_PARAM_IS_A_RESERVATION is
 * accepted (either way the size is the stack's). Other flags fail with
 * ERROR_INVALID_PARAMETER. *lpThreadId gets the thread's kernel id.
 */
static __inline__ HANDLE CreateThread(LPSECURITY_ATTRIBUTES lpThreadAttributes, SIZE_T dwStackSize,
                                      LPTHREAD_START_ROUTINE lpStartAddress, LPVOID lpParameter,
                                      DWORD dwCreationFlags, LPDWORD lpThreadId)
{
    iishost_kobj *t;
    int err;
    (void)lpThreadAttributes;
    if (lpStartAddress == NULL ||
        (dwCreationFlags & ~(DWORD)(CREATE_SUSPENDED | STACK_SIZE_PARAM_IS_A_RESERVATION)) != 0) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    t = iishost_kobj_new(IISHOST_KOBJ_THREAD);
    if (t == NULL)
        return NULL;
    t->start = lpStartAddress;
    t->param = lpParameter;
    t->suspend_count = (dwCreationFlags & CREATE_SUSPENDED) ? 1 : 0;
    t->exit_code = STILL_ACTIVE;
    t->refs = 2; /* the handle and the running thread */
    err = iishost_spawn(iishost_thread_main, t, dwStackSize);
    if (err != 0) {
        t->refs = 1;
        iishost_kobj_release(t);
        SetLastError(err == EAGAIN ? ERROR_NOT_ENOUGH_MEMORY : ERROR_INVALID_PARAMETER);
        return NULL;
    }
    iishost_kfutex_wait_while(&t->started, 0);
    if (lpThreadId != NULL)
        *lpThreadId = t->tid;
    SetLastError(ERROR_SUCCESS);
    return (HANDLE)t;
}

/* The previous suspend count (1 when this call starts a CREATE_SUSPENDED thread), or (DWORD)-1. */
static __inline__ DWORD ResumeThread(HANDLE hThread)
{
    DWORD previous;
    iishost_kobj *t = iishost_kobj_get(hThread, IISHOST_KOBJ_THREAD);
    if (t == NULL)
        return (DWORD)-1;
    pthread_mutex_lock(&t->lock);
    previous = t->suspend_count;
    if (previous > 0 && --t->suspend_count == 0)
        iishost_kfutex_bump(&t->wake);
    pthread_mutex_unlock(&t->lock);
    return previous;
}

/* STILL_ACTIVE while the thread runs, then its exit code. GetCurrentThread() is always STILL_ACTIVE. */
static __inline__ BOOL GetExitCodeThread(HANDLE hThread, LPDWORD lpExitCode)
{
    iishost_kobj *t;
    if (lpExitCode == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (hThread == GetCurrentThread()) {
        *lpExitCode = STILL_ACTIVE;
        return TRUE;
    }
    t = iishost_kobj_get(hThread, IISHOST_KOBJ_THREAD);
    if (t == NULL)
        return FALSE;
    pthread_mutex_lock(&t->lock);
    *lpExitCode = t->exit_code;
    pthread_mutex_unlock(&t->lock);
    return TRUE;
}

/* The thread's kernel id, or 0 on failure. */
static __inline__ DWORD GetThreadId(HANDLE Thread)
{
    iishost_kobj *t;
    if (Thread == GetCurrentThread())
        return GetCurrentThreadId();
    t = iishost_kobj_get(Thread, IISHOST_KOBJ_THREAD);
    return t != NULL ? t->tid : 0;
}

/*
 * Ends the calling thread with dwExitCode: its handle is signalled first,
 * then pthread_exit unwinds the thread (C++ destructors of its frames run,
 * which Windows would skip).
 */
__attribute__((__noreturn__)) static __inline__ VOID ExitThread(DWORD dwExitCode)
{
    iishost_kobj *t = iishost_kthread_self;
    if (t != NULL)
        iishost_thread_finish(t, dwExitCode);
    pthread_exit(NULL);
}

/* ---- CloseHandle and DuplicateHandle -------------------------------------------- */

/*
 * Closes a kernel object handle, or a file handle (a value below 0x400000 is
 * a file descriptor, see fileapi.h). The object lives on while a thread
 * waits on it or, for a thread, while the thread runs. Closing the
 * GetCurrentThread() pseudo-handle does nothing and succeeds. NULL,
 * INVALID_HANDLE_VALUE, a handle already closed, and timer or timer-queue
 * handles (DeleteTimerQueueTimer / DeleteTimerQueueEx free those) fail with
 * ERROR_INVALID_HANDLE.
 */
static __inline__ BOOL CloseHandle(HANDLE hObject)
{
    uintptr_t v = (uintptr_t)hObject;
    iishost_kobj *o;
    if (hObject == GetCurrentThread())
        return TRUE;
    if (v != 0 && v < IISHOST_KOBJ_FIRST_FD_FREE) {
        int saved = errno, rc = close((int)v), err = errno;
        errno = saved;
        if (rc != 0 && err != EINTR) { /* EINTR: Linux has released the descriptor anyway */
            SetLastError(err == EBADF ? ERROR_INVALID_HANDLE : ERROR_GEN_FAILURE);
            return FALSE;
        }
        return TRUE;
    }
    o = iishost_kobj_get(hObject, 0);
    if (o == NULL)
        return FALSE;
    if (o->type >= IISHOST_KOBJ_WORK) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return iishost_kobj_close(o);
}

/*
 * Within this process only: both process handles must be GetCurrentProcess().
 * A kernel object's duplicate is the same pointer with one more open handle
 * (each must be closed); a file's is dup() of its descriptor (below 0x400000).
 * GetCurrentThread() becomes a real handle only on a thread CreateThread
 * made (else ERROR_NOT_SUPPORTED). DUPLICATE_CLOSE_SOURCE closes the source;
 * access and inheritance are ignored.
 */
static __inline__ BOOL DuplicateHandle(HANDLE hSourceProcessHandle, HANDLE hSourceHandle,
                                       HANDLE hTargetProcessHandle, LPHANDLE lpTargetHandle, DWORD dwDesiredAccess,
                                       BOOL bInheritHandle, DWORD dwOptions)
{
    uintptr_t v = (uintptr_t)hSourceHandle;
    iishost_kobj *o;
    (void)dwDesiredAccess;
    (void)bInheritHandle;
    if (hSourceProcessHandle != GetCurrentProcess() || hTargetProcessHandle != GetCurrentProcess()) {
        SetLastError(ERROR_NOT_SUPPORTED);
        return FALSE;
    }
    if (hSourceHandle == GetCurrentThread()) {
        o = iishost_kthread_self;
        if (o == NULL) {
            SetLastError(ERROR_NOT_SUPPORTED);
            return FALSE;
        }
    } else if (v != 0 && v < IISHOST_KOBJ_FIRST_FD_FREE) {
        int saved = errno, fd = dup((int)v), err = errno;
        errno = saved;
        if (fd < 0 || (uintptr_t)fd >= IISHOST_KOBJ_FIRST_FD_FREE) {
            if (fd >= 0)
                close(fd);
            SetLastError(err == EBADF ? ERROR_INVALID_HANDLE : ERROR_TOO_MANY_OPEN_FILES);
            return FALSE;
        }
        if (lpTargetHandle != NULL)
            *lpTargetHandle = (HANDLE)(uintptr_t)fd;
        else
            close(fd);
        if (dwOptions & DUPLICATE_CLOSE_SOURCE)
            close((int)v);
        return TRUE;
    } else {
        o = iishost_kobj_get(hSourceHandle, 0);
        if (o == NULL)
            return FALSE;
        if (o->type >= IISHOST_KOBJ_WORK) {
            SetLastError(ERROR_INVALID_HANDLE);
            return FALSE;
        }
    }
    if (lpTargetHandle != NULL) {
        __atomic_add_fetch(&o->handles, 1, __ATOMIC_SEQ_CST);
        iishost_kobj_ref(o);
        *lpTargetHandle = (HANDLE)o;
    }
    if ((dwOptions & DUPLICATE_CLOSE_SOURCE) && hSourceHandle != GetCurrentThread())
        iishost_kobj_close(o);
    return TRUE;
}

/* The generic names, as the SDK spells them, chosen by UNICODE. */
#ifdef UNICODE
#define CreateEvent CreateEventW
#define CreateEventEx CreateEventExW
#define OpenEvent OpenEventW
#define CreateMutex CreateMutexW
#define CreateMutexEx CreateMutexExW
#define OpenMutex OpenMutexW
#define CreateSemaphore CreateSemaphoreW
#define CreateSemaphoreEx CreateSemaphoreExW
#define OpenSemaphore OpenSemaphoreW
#else
#define CreateEvent CreateEventA
#define CreateEventEx CreateEventExA
#define OpenEvent OpenEventA
#define CreateMutex CreateMutexA
#define CreateMutexEx CreateMutexExA
#define OpenMutex OpenMutexA
#define CreateSemaphore CreateSemaphoreA
#define CreateSemaphoreEx CreateSemaphoreExA
#define OpenSemaphore OpenSemaphoreA
#endif

#endif /* IISHOST_KERNEL_OBJECTS_H */
