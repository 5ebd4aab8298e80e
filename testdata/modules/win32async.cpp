// win32async.cpp - fixture: an asynchronous module written the legacy Windows way, with no
// standard C++ threading: CreateThread, _beginthreadex, QueueUserWorkItem, timer queues,
// events, a mutex and a semaphore (include/iishost/kernel_objects.h, threadpool.h, process.h).
//
// Contract (RQ_EXECUTE_REQUEST_HANDLER, path /w32, query mode=<m>&id=<n>); every mode returns
// RQ_NOTIFICATION_PENDING and completes from another thread:
//   thread   -> CreateThread; the thread waits on the request's event, which the notification
//               sets just before returning, then PostCompletion; OnAsyncCompletion writes
//               "thread id=<n> code=<1000+n>" (the thread sets code once its wait succeeded).
//   pool     -> QueueUserWorkItem; the item writes "pool id=<n>" and IndicateCompletion(FINISH).
//   timer    -> a one-shot timer of the module's timer queue calls PostCompletion;
//               OnAsyncCompletion deletes it (waiting for its callback) and writes "timer id=<n>".
//   periodic -> a 1 ms periodic timer completes the request on its third tick; OnAsyncCompletion
//               deletes it and writes "ticks=3 id=<n>".
//   worker   -> _beginthreadex; at most 4 workers at once (a semaphore), each adds id to a total
//               under a mutex, writes "worker id=<n>" and IndicateCompletion(FINISH).
//   both     -> two work items each set one of the request's two events; a thread waiting for
//               both (WaitForMultipleObjects, wait-all) writes "both id=<n>" and completes.
//   total    -> answers at once with "total=<sum of worker ids so far>".
// Terminate deletes the timer queue (waiting for callbacks) and waits until every thread and
// work item the module started has finished.
#define _WINSOCKAPI_
#include <windows.h>
#include <process.h>
#include <httpserv.h>

#include <stdio.h>
#include <stdlib.h>

#include "fixture.h"

namespace {

// Shared is the module-wide state: created at registration, freed at Terminate.
struct Shared {
    HANDLE timerQueue;
    HANDLE workerSlots; // semaphore: at most 4 workers at once
    HANDLE totalLock;   // mutex over total
    LONGLONG total;
    CRITICAL_SECTION busyLock;
    LONG busy;        // threads and work items still running
    HANDLE idleEvent; // manual-reset, set while busy == 0
};

Shared *g_shared;

void BeginWork(Shared *s)
{
    EnterCriticalSection(&s->busyLock);
    if (s->busy++ == 0)
        ResetEvent(s->idleEvent);
    LeaveCriticalSection(&s->busyLock);
}

void EndWork(Shared *s)
{
    EnterCriticalSection(&s->busyLock);
    if (--s->busy == 0)
        SetEvent(s->idleEvent);
    LeaveCriticalSection(&s->busyLock);
}

class Win32AsyncModule final : public CHttpModule {
public:
    ~Win32AsyncModule()
    {
        if (ready_ != NULL)
            CloseHandle(ready_);
        if (halves_[0] != NULL)
            CloseHandle(halves_[0]);
        if (halves_[1] != NULL)
            CloseHandle(halves_[1]);
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext *ctx, IHttpEventProvider *) override
    {
        if (fx::AbsPath(ctx) != "/w32")
            return RQ_NOTIFICATION_CONTINUE;
        ctx_ = ctx;
        shared_ = g_shared;
        std::string query = fx::Query(ctx);
        mode_ = fx::QueryParam(query, "mode");
        id_ = atol(fx::QueryParam(query, "id").c_str());
        if (mode_ == "thread") {
            ready_ = CreateEventW(NULL, FALSE, FALSE, NULL);
            BeginWork(shared_);
            DWORD tid = 0;
            HANDLE th = CreateThread(NULL, 256 * 1024, ThreadMain, this, 0, &tid);
            if (th == NULL || tid == 0)
                return Fail(ctx, "CreateThread");
            CloseHandle(th); // the thread runs on without its handle
            SetEvent(ready_);
        } else if (mode_ == "pool") {
            BeginWork(shared_);
            if (!QueueUserWorkItem(PoolItem, this, WT_EXECUTEDEFAULT))
                return Fail(ctx, "QueueUserWorkItem");
        } else if (mode_ == "timer") {
            if (!CreateTimerQueueTimer(&timer_, shared_->timerQueue, TimerFired, this, 1 + id_ % 5, 0,
                                       WT_EXECUTEONLYONCE))
                return Fail(ctx, "CreateTimerQueueTimer");
        } else if (mode_ == "periodic") {
            if (!CreateTimerQueueTimer(&timer_, shared_->timerQueue, Tick, this, 0, 1, WT_EXECUTEDEFAULT))
                return Fail(ctx, "CreateTimerQueueTimer");
        } else if (mode_ == "worker") {
            BeginWork(shared_);
            unsigned tid = 0;
            uintptr_t th = _beginthreadex(NULL, 0, WorkerMain, this, CREATE_SUSPENDED, &tid);
            if (th == 0)
                return Fail(ctx, "_beginthreadex");
            ResumeThread((HANDLE)th);
            CloseHandle((HANDLE)th);
        } else if (mode_ == "both") {
            halves_[0] = CreateEventA(NULL, TRUE, FALSE, NULL);
            halves_[1] = CreateEventA(NULL, TRUE, FALSE, NULL);
            BeginWork(shared_);
            BeginWork(shared_);
            BeginWork(shared_);
            HANDLE th = CreateThread(NULL, 0, BothMain, this, 0, NULL);
            if (th == NULL || !QueueUserWorkItem(SetFirst, this, 0) || !QueueUserWorkItem(SetSecond, this, 0))
                return Fail(ctx, "both");
            CloseHandle(th);
        } else if (mode_ == "total") {
            WaitForSingleObject(shared_->totalLock, INFINITE);
            char buf[64];
            snprintf(buf, sizeof buf, "total=%lld", (long long)shared_->total);
            ReleaseMutex(shared_->totalLock);
            fx::Write(ctx, buf);
            return RQ_NOTIFICATION_FINISH_REQUEST;
        } else {
            return RQ_NOTIFICATION_CONTINUE;
        }
        return RQ_NOTIFICATION_PENDING;
    }

    REQUEST_NOTIFICATION_STATUS OnAsyncCompletion(IHttpContext *ctx, DWORD, BOOL, IHttpEventProvider *,
                                                  IHttpCompletionInfo *) override
    {
        char buf[128];
        if (mode_ == "thread") {
            snprintf(buf, sizeof buf, "thread id=%ld code=%lu", id_, (unsigned long)threadCode_);
        } else if (mode_ == "timer" || mode_ == "periodic") {
            // INVALID_HANDLE_VALUE: wait for a callback still running, so none outlives the request.
            if (!DeleteTimerQueueTimer(shared_->timerQueue, timer_, INVALID_HANDLE_VALUE))
                snprintf(buf, sizeof buf, "DeleteTimerQueueTimer failed: %lu", (unsigned long)GetLastError());
            else if (mode_ == "timer")
                snprintf(buf, sizeof buf, "timer id=%ld", id_);
            else
                snprintf(buf, sizeof buf, "ticks=%ld id=%ld", completedAt_, id_);
        } else {
            snprintf(buf, sizeof buf, "unexpected completion in mode %s", mode_.c_str());
        }
        fx::Write(ctx, buf);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    static DWORD WINAPI ThreadMain(LPVOID p)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        Shared *s = m->shared_;
        if (WaitForSingleObject(m->ready_, INFINITE) == WAIT_OBJECT_0)
            m->threadCode_ = 1000 + (DWORD)m->id_;
        m->ctx_->PostCompletion(0);
        EndWork(s);
        return 0;
    }

    static DWORD WINAPI PoolItem(LPVOID p)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        Shared *s = m->shared_;
        char buf[64];
        snprintf(buf, sizeof buf, "pool id=%ld", m->id_);
        fx::Write(m->ctx_, buf);
        m->ctx_->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
        EndWork(s);
        return 0;
    }

    static VOID CALLBACK TimerFired(PVOID p, BOOLEAN fired)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        if (fired)
            m->ctx_->PostCompletion(0);
    }

    static VOID CALLBACK Tick(PVOID p, BOOLEAN)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        LONG n = InterlockedIncrement(&m->ticks_);
        if (n == 3) {
            m->completedAt_ = n;
            m->ctx_->PostCompletion(0);
        }
    }

    static unsigned __stdcall WorkerMain(void *p)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        Shared *s = m->shared_;
        if (WaitForSingleObject(s->workerSlots, INFINITE) == WAIT_OBJECT_0) {
            if (WaitForSingleObject(s->totalLock, INFINITE) == WAIT_OBJECT_0) {
                s->total += m->id_;
                ReleaseMutex(s->totalLock);
            }
            ReleaseSemaphore(s->workerSlots, 1, NULL);
        }
        char buf[64];
        snprintf(buf, sizeof buf, "worker id=%ld", m->id_);
        fx::Write(m->ctx_, buf);
        m->ctx_->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
        EndWork(s);
        return 0;
    }

    static DWORD WINAPI SetFirst(LPVOID p)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        Shared *s = m->shared_;
        SetEvent(m->halves_[0]);
        EndWork(s);
        return 0;
    }

    static DWORD WINAPI SetSecond(LPVOID p)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        Shared *s = m->shared_;
        SetEvent(m->halves_[1]);
        EndWork(s);
        return 0;
    }

    static DWORD WINAPI BothMain(LPVOID p)
    {
        Win32AsyncModule *m = static_cast<Win32AsyncModule *>(p);
        Shared *s = m->shared_;
        char buf[64];
        if (WaitForMultipleObjects(2, m->halves_, TRUE, INFINITE) == WAIT_OBJECT_0)
            snprintf(buf, sizeof buf, "both id=%ld", m->id_);
        else
            snprintf(buf, sizeof buf, "wait failed: %lu", (unsigned long)GetLastError());
        fx::Write(m->ctx_, buf);
        m->ctx_->IndicateCompletion(RQ_NOTIFICATION_FINISH_REQUEST);
        EndWork(s);
        return 0;
    }

    REQUEST_NOTIFICATION_STATUS Fail(IHttpContext *ctx, const char *what)
    {
        char buf[96];
        snprintf(buf, sizeof buf, "%s failed: %lu", what, (unsigned long)GetLastError());
        ctx->GetResponse()->SetStatus(500, "Internal Server Error");
        fx::Write(ctx, buf);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    IHttpContext *ctx_ = NULL;
    Shared *shared_ = NULL;
    std::string mode_;
    long id_ = 0;
    HANDLE ready_ = NULL;
    HANDLE halves_[2] = {NULL, NULL};
    HANDLE timer_ = NULL;
    DWORD threadCode_ = 0;
    volatile LONG ticks_ = 0;
    LONG completedAt_ = 0;
};

class Win32AsyncFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule **module, IModuleAllocator *) override
    {
        *module = new Win32AsyncModule();
        return S_OK;
    }

    void Terminate() override
    {
        Shared *s = g_shared;
        DeleteTimerQueueEx(s->timerQueue, INVALID_HANDLE_VALUE);
        WaitForSingleObject(s->idleEvent, 10000);
        // The last EndWork sets the event while it still holds busyLock: take the lock once so
        // that it has left before the lock and the state are freed.
        EnterCriticalSection(&s->busyLock);
        LeaveCriticalSection(&s->busyLock);
        CloseHandle(s->workerSlots);
        CloseHandle(s->totalLock);
        CloseHandle(s->idleEvent);
        DeleteCriticalSection(&s->busyLock);
        g_shared = NULL;
        delete s;
        delete this;
    }
};

} // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo *info, IHttpServer *)
{
    Shared *s = new Shared();
    s->timerQueue = CreateTimerQueue();
    s->workerSlots = CreateSemaphoreW(NULL, 4, 4, NULL);
    s->totalLock = CreateMutexW(NULL, FALSE, NULL);
    s->idleEvent = CreateEventW(NULL, TRUE, TRUE, NULL);
    InitializeCriticalSection(&s->busyLock);
    if (s->timerQueue == NULL || s->workerSlots == NULL || s->totalLock == NULL || s->idleEvent == NULL)
        return HRESULT_FROM_WIN32(GetLastError());
    g_shared = s;
    return info->SetRequestNotifications(new Win32AsyncFactory(), RQ_EXECUTE_REQUEST_HANDLER, 0);
}
