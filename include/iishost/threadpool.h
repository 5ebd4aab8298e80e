/*
 * iishost/threadpool.h - running module code later, on other threads:
 * QueueUserWorkItem, the thread-pool work objects (TrySubmitThreadpoolCallback,
 * CreateThreadpoolWork and friends) and timer queues (CreateTimerQueueTimer
 * and friends), on the kernel objects of kernel_objects.h.
 *
 * Header-only, with no pool shared between translation units, so the design
 * is deliberately simple:
 *  - every work item (QueueUserWorkItem, TrySubmitThreadpoolCallback, each
 *    SubmitThreadpoolWork) runs on a detached thread of its own, so
 *    callbacks never wait for each other and CallbackMayRunLong is always
 *    TRUE; the pool, cleanup-group and priority settings of a
 *    TP_CALLBACK_ENVIRON, and QueueUserWorkItem's WT_* flags, are accepted
 *    and change nothing;
 *  - every timer has a thread of its own that sleeps until the timer is due
 *    and runs its callback there, so the callbacks of one periodic timer
 *    never overlap (a late callback delays the next one rather than
 *    stacking up); a one-shot timer's thread ends after its callback.
 * A module must still wait for its own callbacks before it is unloaded or
 * the process exits (WaitForThreadpoolWorkCallbacks, DeleteTimerQueueTimer
 * with INVALID_HANDLE_VALUE, or its own events).
 */
#ifndef IISHOST_THREADPOOL_H
#define IISHOST_THREADPOOL_H

#include "kernel_objects.h"

#define WT_EXECUTEDEFAULT 0x00000000
#define WT_EXECUTEINIOTHREAD 0x00000001
#define WT_EXECUTEINUITHREAD 0x00000002
#define WT_EXECUTEINWAITTHREAD 0x00000004
#define WT_EXECUTEONLYONCE 0x00000008
#define WT_EXECUTELONGFUNCTION 0x00000010
#define WT_EXECUTEINTIMERTHREAD 0x00000020
#define WT_EXECUTEINPERSISTENTIOTHREAD 0x00000040
#define WT_EXECUTEINPERSISTENTTHREAD 0x00000080
#define WT_TRANSFER_IMPERSONATION 0x00000100
#define WT_SET_MAX_THREADPOOL_THREADS(Flags, Limit) ((Flags) |= (Limit) << 16)

typedef struct _TP_WORK TP_WORK, *PTP_WORK;
typedef struct _TP_POOL TP_POOL, *PTP_POOL;
typedef struct _TP_CALLBACK_INSTANCE TP_CALLBACK_INSTANCE, *PTP_CALLBACK_INSTANCE;
typedef VOID(NTAPI *PTP_SIMPLE_CALLBACK)(PTP_CALLBACK_INSTANCE Instance, PVOID Context);
typedef VOID(NTAPI *PTP_WORK_CALLBACK)(PTP_CALLBACK_INSTANCE Instance, PVOID Context, PTP_WORK Work);
typedef VOID(NTAPI *WAITORTIMERCALLBACK)(PVOID lpParameter, BOOLEAN TimerOrWaitFired);
typedef WAITORTIMERCALLBACK WAITORTIMERCALLBACKFUNC;
typedef DWORD TP_VERSION, *PTP_VERSION;

/* A callback environment: kept so code that fills one in compiles; every callback uses the one pool. */
typedef struct _TP_CALLBACK_ENVIRON_V3 {
    TP_VERSION Version;
    PTP_POOL Pool;
    PVOID CleanupGroup;
    PVOID CleanupGroupCancelCallback;
    PVOID RaceDll;
    PVOID ActivationContext;
    PVOID FinalizationCallback;
    DWORD Flags;
    DWORD CallbackPriority;
    DWORD Size;
} TP_CALLBACK_ENVIRON_V3, TP_CALLBACK_ENVIRON, *PTP_CALLBACK_ENVIRON;

static __inline__ VOID InitializeThreadpoolEnvironment(PTP_CALLBACK_ENVIRON pcbe)
{
    memset(pcbe, 0, sizeof(*pcbe));
    pcbe->Version = 3;
    pcbe->Size = sizeof(*pcbe);
}
static __inline__ VOID DestroyThreadpoolEnvironment(PTP_CALLBACK_ENVIRON pcbe)
{
    (void)pcbe;
}

/* What a running callback may ask for: an event to set once it returns. */
struct _TP_CALLBACK_INSTANCE {
    HANDLE event_on_return;
};

/* Sets evt after the callback returns (before WaitForThreadpoolWorkCallbacks sees it finished). */
static __inline__ VOID SetEventWhenCallbackReturns(PTP_CALLBACK_INSTANCE pci, HANDLE evt)
{
    if (pci != NULL)
        pci->event_on_return = evt;
}
/* Every callback has a thread of its own here, so it may always run long. */
static __inline__ BOOL CallbackMayRunLong(PTP_CALLBACK_INSTANCE pci)
{
    (void)pci;
    return TRUE;
}

/* One queued callback, owned by the thread that runs it. */
typedef struct iishost_tp_item {
    iishost_kobj *work; /* a TP_WORK (holding a reference), or NULL */
    uint32_t gen;       /* the work's cancel generation at submission */
    LPTHREAD_START_ROUTINE start;
    PTP_SIMPLE_CALLBACK simple;
    PVOID context;
} iishost_tp_item;

static __inline__ void *iishost_tp_main(void *arg)
{
    iishost_tp_item item = *(iishost_tp_item *)arg;
    TP_CALLBACK_INSTANCE instance;
    free(arg);
    instance.event_on_return = NULL;
    if (item.work != NULL) {
        iishost_kobj *w = item.work;
        if (item.gen == __atomic_load_n(&w->cancel_gen, __ATOMIC_SEQ_CST))
            w->work_callback(&instance, w->param, (PTP_WORK)w);
        if (instance.event_on_return != NULL)
            SetEvent(instance.event_on_return);
        if (__atomic_sub_fetch(&w->outstanding, 1, __ATOMIC_SEQ_CST) == 0)
            iishost_kfutex_wake(&w->outstanding);
        iishost_kobj_release(w);
        return NULL;
    }
    if (item.start != NULL)
        item.start(item.context);
    else
        item.simple(&instance, item.context);
    if (instance.event_on_return != NULL)
        SetEvent(instance.event_on_return);
    return NULL;
}

/* Starts a thread for the item; FALSE (ERROR_NOT_ENOUGH_MEMORY) if none could start. */
static __inline__ BOOL iishost_tp_queue(const iishost_tp_item *item)
{
    iishost_tp_item *copy = (iishost_tp_item *)malloc(sizeof(*copy));
    if (copy == NULL) {
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    *copy = *item;
    if (iishost_spawn(iishost_tp_main, copy, 0) != 0) {
        free(copy);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    return TRUE;
}

/* Runs Function(Context) on a new thread; Flags are accepted and ignored. */
static __inline__ BOOL QueueUserWorkItem(LPTHREAD_START_ROUTINE Function, PVOID Context, ULONG Flags)
{
    iishost_tp_item item;
    (void)Flags;
    if (Function == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    memset(&item, 0, sizeof(item));
    item.start = Function;
    item.context = Context;
    return iishost_tp_queue(&item);
}

static __inline__ BOOL TrySubmitThreadpoolCallback(PTP_SIMPLE_CALLBACK pfns, PVOID pv, PTP_CALLBACK_ENVIRON pcbe)
{
    iishost_tp_item item;
    (void)pcbe;
    if (pfns == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    memset(&item, 0, sizeof(item));
    item.simple = pfns;
    item.context = pv;
    return iishost_tp_queue(&item);
}

/* ---- work objects -------------------------------------------------------------- */

static __inline__ PTP_WORK CreateThreadpoolWork(PTP_WORK_CALLBACK pfnwk, PVOID pv, PTP_CALLBACK_ENVIRON pcbe)
{
    iishost_kobj *w;
    (void)pcbe;
    if (pfnwk == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return NULL;
    }
    w = iishost_kobj_new(IISHOST_KOBJ_WORK);
    if (w == NULL)
        return NULL;
    w->work_callback = pfnwk;
    w->param = pv;
    return (PTP_WORK)w;
}

/*
 * Queues one more run of the work's callback (each submission is one run;
 * runs may overlap). If no thread can be started, the callback runs on the
 * caller's thread rather than being lost.
 */
static __inline__ VOID SubmitThreadpoolWork(PTP_WORK pwk)
{
    iishost_tp_item item;
    iishost_kobj *w = iishost_kobj_get((HANDLE)pwk, IISHOST_KOBJ_WORK);
    if (w == NULL)
        return;
    memset(&item, 0, sizeof(item));
    item.work = w;
    item.gen = __atomic_load_n(&w->cancel_gen, __ATOMIC_SEQ_CST);
    iishost_kobj_ref(w);
    __atomic_add_fetch(&w->outstanding, 1, __ATOMIC_SEQ_CST);
    if (!iishost_tp_queue(&item)) {
        iishost_tp_item *copy = (iishost_tp_item *)malloc(sizeof(*copy));
        if (copy != NULL) {
            *copy = item;
            iishost_tp_main(copy);
        } else {
            w->work_callback(NULL, w->param, pwk);
            __atomic_sub_fetch(&w->outstanding, 1, __ATOMIC_SEQ_CST);
            iishost_kobj_release(w);
        }
    }
}

/* Waits until every submitted run has finished; with fCancelPendingCallbacks, runs not yet started are dropped. */
static __inline__ VOID WaitForThreadpoolWorkCallbacks(PTP_WORK pwk, BOOL fCancelPendingCallbacks)
{
    uint32_t n;
    iishost_kobj *w = iishost_kobj_get((HANDLE)pwk, IISHOST_KOBJ_WORK);
    if (w == NULL)
        return;
    if (fCancelPendingCallbacks)
        __atomic_add_fetch(&w->cancel_gen, 1, __ATOMIC_SEQ_CST);
    while ((n = __atomic_load_n(&w->outstanding, __ATOMIC_SEQ_CST)) != 0)
        iishost_kfutex_wait(&w->outstanding, n, NULL);
}

/* Frees the work object once its outstanding runs have finished; returns at once. */
static __inline__ VOID CloseThreadpoolWork(PTP_WORK pwk)
{
    iishost_kobj *w = iishost_kobj_get((HANDLE)pwk, IISHOST_KOBJ_WORK);
    if (w != NULL)
        iishost_kobj_close(w);
}

/* ---- timer queues ---------------------------------------------------------------- */

static __inline__ void *iishost_timer_main(void *arg)
{
    iishost_kobj *t = (iishost_kobj *)arg;
    pthread_mutex_lock(&t->lock);
    t->timer_tid = GetCurrentThreadId();
    while (!t->deleted) {
        struct timespec ts, *timeout = NULL;
        uint32_t seq;
        if (t->armed) {
            ULONGLONG now = iishost_clock_ns(IISHOST_CLOCK_MONOTONIC), left;
            if (now >= t->due_ns) {
                ULONGLONG period = (ULONGLONG)t->period_ms * 1000000u;
                VOID(CALLBACK * callback)(PVOID, BOOLEAN) = t->timer_callback;
                PVOID param = t->param;
                if (period != 0)
                    t->due_ns = t->due_ns + period > now ? t->due_ns + period : now + period;
                else
                    t->armed = 0;
                t->running = 1;
                pthread_mutex_unlock(&t->lock);
                callback(param, TRUE);
                pthread_mutex_lock(&t->lock);
                t->running = 0;
                if (!t->armed)
                    break; /* a one-shot timer that fired has nothing left to do */
                continue;
            }
            left = t->due_ns - now;
            ts.tv_sec = (time_t)(left / 1000000000u);
            ts.tv_nsec = (long)(left % 1000000000u);
            timeout = &ts;
        }
        seq = __atomic_load_n(&t->wake, __ATOMIC_SEQ_CST);
        pthread_mutex_unlock(&t->lock);
        iishost_kfutex_wait(&t->wake, seq, timeout);
        pthread_mutex_lock(&t->lock);
    }
    pthread_mutex_unlock(&t->lock);
    __atomic_store_n(&t->done, 1u, __ATOMIC_SEQ_CST);
    iishost_kfutex_wake(&t->done);
    iishost_kobj_release(t);
    return NULL;
}

/* A queue groups timers so DeleteTimerQueueEx can delete them all; the NULL queue is the default. */
static __inline__ HANDLE CreateTimerQueue(void)
{
    iishost_kobj *q = iishost_kobj_new(IISHOST_KOBJ_TIMER_QUEUE);
    return (HANDLE)q;
}

/*
 * Calls Callback(Parameter, TRUE) DueTime ms from now and then every Period
 * ms (0, or WT_EXECUTEONLYONCE: once). The other WT_* flags are accepted and
 * change nothing: every timer has a thread of its own.
 */
static __inline__ BOOL CreateTimerQueueTimer(PHANDLE phNewTimer, HANDLE TimerQueue, WAITORTIMERCALLBACK Callback,
                                             PVOID Parameter, DWORD DueTime, DWORD Period, ULONG Flags)
{
    iishost_kobj *q = NULL, *t;
    if (phNewTimer == NULL || Callback == NULL) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (TimerQueue != NULL && (q = iishost_kobj_get(TimerQueue, IISHOST_KOBJ_TIMER_QUEUE)) == NULL)
        return FALSE;
    t = iishost_kobj_new(IISHOST_KOBJ_TIMER);
    if (t == NULL)
        return FALSE;
    t->timer_callback = Callback;
    t->param = Parameter;
    t->period_ms = (Flags & WT_EXECUTEONLYONCE) ? 0 : Period;
    t->due_ns = iishost_clock_ns(IISHOST_CLOCK_MONOTONIC) + (ULONGLONG)DueTime * 1000000u;
    t->armed = 1;
    t->refs = 2; /* the handle and the timer's thread */
    if (iishost_spawn(iishost_timer_main, t, 0) != 0) {
        t->refs = 1;
        iishost_kobj_release(t);
        SetLastError(ERROR_NOT_ENOUGH_MEMORY);
        return FALSE;
    }
    if (q != NULL) { /* the timer holds the queue; the queue's list holds the timer */
        iishost_kobj_ref(q);
        iishost_kobj_ref(t);
        pthread_mutex_lock(&q->lock);
        t->queue = q;
        t->prev_timer = NULL;
        t->next_timer = q->timers;
        if (q->timers != NULL)
            q->timers->prev_timer = t;
        q->timers = t;
        t->in_queue = 1;
        pthread_mutex_unlock(&q->lock);
    }
    *phNewTimer = (HANDLE)t;
    return TRUE;
}

/* Sets a new due time and period. A one-shot timer that has already fired is not changed. */
static __inline__ BOOL ChangeTimerQueueTimer(HANDLE TimerQueue, HANDLE Timer, ULONG DueTime, ULONG Period)
{
    iishost_kobj *t = iishost_kobj_get(Timer, IISHOST_KOBJ_TIMER);
    (void)TimerQueue;
    if (t == NULL)
        return FALSE;
    pthread_mutex_lock(&t->lock);
    if (t->armed || t->period_ms != 0) {
        t->due_ns = iishost_clock_ns(IISHOST_CLOCK_MONOTONIC) + (ULONGLONG)DueTime * 1000000u;
        t->period_ms = Period;
        t->armed = 1;
        iishost_kfutex_bump(&t->wake);
    }
    pthread_mutex_unlock(&t->lock);
    return TRUE;
}

/*
 * Stops a timer whose open handle the caller has just taken (handles 1 -> 0).
 * CompletionEvent: NULL returns at once (FALSE with ERROR_IO_PENDING if a
 * callback is running, as documented), INVALID_HANDLE_VALUE waits for a
 * running callback (not when called from the timer's own callback, which
 * would wait for itself), an event is set once the timer is gone.
 */
static __inline__ BOOL iishost_timer_delete(iishost_kobj *t, HANDLE CompletionEvent, iishost_kobj *event)
{
    iishost_kobj *q = t->queue;
    int listed = 0, running, self;
    if (q != NULL) {
        pthread_mutex_lock(&q->lock);
        if (t->in_queue) {
            if (t->prev_timer != NULL)
                t->prev_timer->next_timer = t->next_timer;
            else
                q->timers = t->next_timer;
            if (t->next_timer != NULL)
                t->next_timer->prev_timer = t->prev_timer;
            t->in_queue = 0;
            listed = 1;
        }
        pthread_mutex_unlock(&q->lock);
    }
    pthread_mutex_lock(&t->lock);
    t->deleted = 1;
    iishost_kfutex_bump(&t->wake);
    running = t->running;
    self = t->timer_tid == GetCurrentThreadId();
    if (event != NULL) {
        iishost_kobj_ref(event);
        t->completion = event;
    }
    pthread_mutex_unlock(&t->lock);
    if (listed)
        iishost_kobj_release(t);
    if (CompletionEvent == INVALID_HANDLE_VALUE && !self)
        iishost_kfutex_wait_while(&t->done, 0);
    iishost_kobj_release(t); /* the handle's reference */
    if (CompletionEvent == NULL && running) {
        SetLastError(ERROR_IO_PENDING);
        return FALSE;
    }
    return TRUE;
}

/* The event a completion argument names: NULL for NULL and INVALID_HANDLE_VALUE; FALSE if it is no event. */
static __inline__ BOOL iishost_completion_event(HANDLE CompletionEvent, iishost_kobj **event)
{
    *event = NULL;
    if (CompletionEvent == NULL || CompletionEvent == INVALID_HANDLE_VALUE)
        return TRUE;
    *event = iishost_kobj_get(CompletionEvent, IISHOST_KOBJ_EVENT);
    return *event != NULL;
}

/* Takes the one open handle of a timer or queue; fails (ERROR_INVALID_HANDLE) on a second delete. */
static __inline__ BOOL iishost_take_handle(iishost_kobj *o)
{
    LONG one = 1;
    if (!__atomic_compare_exchange_n(&o->handles, &one, 0, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    return TRUE;
}

/* Deletes a timer (see iishost_timer_delete for CompletionEvent). TimerQueue may be NULL or the timer's queue. */
static __inline__ BOOL DeleteTimerQueueTimer(HANDLE TimerQueue, HANDLE Timer, HANDLE CompletionEvent)
{
    iishost_kobj *event, *t = iishost_kobj_get(Timer, IISHOST_KOBJ_TIMER);
    if (t == NULL || !iishost_completion_event(CompletionEvent, &event))
        return FALSE;
    if (TimerQueue != NULL && (HANDLE)t->queue != TimerQueue) {
        SetLastError(ERROR_INVALID_PARAMETER);
        return FALSE;
    }
    if (!iishost_take_handle(t))
        return FALSE;
    return iishost_timer_delete(t, CompletionEvent, event);
}

/*
 * Deletes a queue and every timer in it. CompletionEvent: NULL returns at
 * once, INVALID_HANDLE_VALUE waits for running callbacks, an event is set
 * once every timer of the queue is gone.
 */
static __inline__ BOOL DeleteTimerQueueEx(HANDLE TimerQueue, HANDLE CompletionEvent)
{
    iishost_kobj *event, *t, *next, *q = iishost_kobj_get(TimerQueue, IISHOST_KOBJ_TIMER_QUEUE);
    if (q == NULL || !iishost_completion_event(CompletionEvent, &event) || !iishost_take_handle(q))
        return FALSE;
    pthread_mutex_lock(&q->lock);
    if (event != NULL) { /* set when the queue is freed, after its last timer */
        iishost_kobj_ref(event);
        q->completion = event;
    }
    t = q->timers;
    q->timers = NULL;
    for (next = t; next != NULL; next = next->next_timer)
        next->in_queue = 0;
    pthread_mutex_unlock(&q->lock);
    for (; t != NULL; t = next) {
        next = t->next_timer;
        if (iishost_take_handle(t))
            iishost_timer_delete(t, CompletionEvent == INVALID_HANDLE_VALUE ? CompletionEvent : NULL, NULL);
        iishost_kobj_release(t); /* the list's reference */
    }
    iishost_kobj_release(q);
    SetLastError(ERROR_SUCCESS);
    return TRUE;
}

static __inline__ BOOL DeleteTimerQueue(HANDLE TimerQueue)
{
    return DeleteTimerQueueEx(TimerQueue, NULL);
}

#endif /* IISHOST_THREADPOOL_H */
