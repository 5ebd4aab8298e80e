/*
 * kobj.cpp - Win32 kernel objects from C++17, with C++ library headers
 * before windows.h: the checks of kobj_tests.h, then the ways C++ module
 * code mixes them with the standard library: captureless lambdas as thread
 * routines and callbacks, an RAII handle wrapper, std::thread waiters, a
 * mutex abandoned by a std::thread, and handles in a std::vector.
 */
#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#include <windows.h>
#include <process.h>

#include "check.h"
#include "kobj_tests.h"

namespace {

// Handle closes what it holds, as module code wraps handles.
class Handle {
public:
    explicit Handle(HANDLE h = nullptr) : h_(h) {}
    ~Handle()
    {
        if (h_ != nullptr)
            CloseHandle(h_);
    }
    Handle(const Handle &) = delete;
    Handle &operator=(const Handle &) = delete;
    HANDLE get() const { return h_; }

private:
    HANDLE h_;
};

void TestLambdasAndStdThreads()
{
    Handle ready(CreateEventW(nullptr, TRUE, FALSE, nullptr));
    std::atomic<int> woken{0};
    std::vector<std::thread> waiters;
    for (int i = 0; i < 4; i++) {
        waiters.emplace_back([&] {
            if (WaitForSingleObject(ready.get(), GUARD_MS) == WAIT_OBJECT_0)
                woken++;
        });
    }
    CHECK(SetEvent(ready.get())); // a manual-reset event releases every waiter
    for (auto &t : waiters)
        t.join();
    CHECK_EQ(woken.load(), 4);

    DWORD id = 0, base = 41;
    Handle th(CreateThread(
        nullptr, 0, [](LPVOID p) -> DWORD { return *static_cast<DWORD *>(p) + 1; }, &base, 0, &id));
    CHECK(id != 0);
    CHECK_EQ(WaitForSingleObject(th.get(), GUARD_MS), WAIT_OBJECT_0);
    DWORD code = 0;
    CHECK(GetExitCodeThread(th.get(), &code));
    CHECK_EQ(code, 42);

    Handle pulse(CreateEventA(nullptr, FALSE, FALSE, nullptr));
    CHECK(QueueUserWorkItem([](LPVOID p) -> DWORD { return SetEvent(static_cast<HANDLE>(p)) ? 0 : 1; },
                            pulse.get(), WT_EXECUTEDEFAULT));
    CHECK_EQ(WaitForSingleObject(pulse.get(), GUARD_MS), WAIT_OBJECT_0);

    HANDLE timer = nullptr;
    CHECK(CreateTimerQueueTimer(
        &timer, nullptr, [](PVOID p, BOOLEAN) { SetEvent(static_cast<HANDLE>(p)); }, pulse.get(), 1, 0,
        WT_EXECUTEONLYONCE));
    CHECK_EQ(WaitForSingleObject(pulse.get(), GUARD_MS), WAIT_OBJECT_0);
    CHECK(DeleteTimerQueueTimer(nullptr, timer, INVALID_HANDLE_VALUE));
}

void TestAbandonedByStdThread()
{
    Handle m(CreateMutexA(nullptr, FALSE, nullptr));
    std::thread([&] { CHECK_EQ(WaitForSingleObject(m.get(), 0), WAIT_OBJECT_0); }).join();
    HANDLE both[2] = {CreateEventA(nullptr, FALSE, FALSE, nullptr), m.get()};
    CHECK_EQ(WaitForMultipleObjects(2, both, FALSE, GUARD_MS), WAIT_ABANDONED_0 + 1);
    CHECK(ReleaseMutex(m.get()));
    CHECK(CloseHandle(both[0]));
}

void TestVectorOfHandles()
{
    std::vector<HANDLE> threads;
    for (int i = 0; i < 10; i++) {
        unsigned id = 0;
        threads.push_back(reinterpret_cast<HANDLE>(_beginthreadex(
            nullptr, 0, [](void *p) -> unsigned { return static_cast<unsigned>(reinterpret_cast<uintptr_t>(p)); },
            reinterpret_cast<void *>(static_cast<uintptr_t>(i)), 0, &id)));
    }
    CHECK_EQ(WaitForMultipleObjects(static_cast<DWORD>(threads.size()), threads.data(), TRUE, GUARD_MS),
             WAIT_OBJECT_0);
    for (size_t i = 0; i < threads.size(); i++) {
        DWORD code = 99;
        CHECK(GetExitCodeThread(threads[i], &code));
        CHECK_EQ(code, i);
        CHECK(CloseHandle(threads[i]));
    }
}

} // namespace

int main()
{
    run_kobj_tests();
    TestLambdasAndStdThreads();
    TestAbandonedByStdThread();
    TestVectorOfHandles();
    return check_finish();
}
