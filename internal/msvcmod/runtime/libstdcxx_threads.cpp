// libstdcxx_threads.cpp: std::thread, std::condition_variable and the clocks, for MSVC-ABI
// modules: the parts libstdc++ keeps in its library, over winpthreads as libstdc++'s own are
// (MinGW's libwinpthread.a is linked in). Kept apart from libstdcxx_support.cpp so that only
// modules using threads carry winpthreads' thread code.
#include <errno.h>
#include <windows.h>

#include <chrono>
#include <condition_variable>
#include <thread>

// winpthreads runs each thread under this filter, which MinGW's C runtime provides; a module's
// own unhandled exceptions go on to the host as in any other thread.
extern "C" LONG __cdecl _gnu_exception_handler(EXCEPTION_POINTERS *) { return EXCEPTION_CONTINUE_SEARCH; }

namespace std {

// --- std::thread: the thread runs (and then frees) the state object that holds the callable.

thread::_State::~_State() = default;

static void *RunThreadState(void *state)
{
    thread::_State_ptr owned(static_cast<thread::_State *>(state));
    owned->_M_run();
    return nullptr;
}

void thread::_M_start_thread(_State_ptr state, void (*)())
{
    int err = pthread_create(&_M_id._M_thread, nullptr, RunThreadState, state.get());
    if (err != 0) {
        __throw_system_error(err);
    }
    state.release();
}

void thread::join()
{
    int err = EINVAL;
    if (_M_id != id()) {
        err = pthread_join(_M_id._M_thread, nullptr);
    }
    if (err != 0) {
        __throw_system_error(err);
    }
    _M_id = id();
}

void thread::detach()
{
    int err = EINVAL;
    if (_M_id != id()) {
        err = pthread_detach(_M_id._M_thread);
    }
    if (err != 0) {
        __throw_system_error(err);
    }
    _M_id = id();
}

unsigned int thread::hardware_concurrency() noexcept
{
    SYSTEM_INFO info;
    GetSystemInfo(&info);
    return info.dwNumberOfProcessors;
}

// --- std::condition_variable: its __condvar member does the work.

condition_variable::condition_variable() noexcept = default;
condition_variable::~condition_variable() noexcept = default;
void condition_variable::wait(unique_lock<mutex> &lock) { _M_cond.wait(*lock.mutex()); }
void condition_variable::notify_one() noexcept { _M_cond.notify_one(); }
void condition_variable::notify_all() noexcept { _M_cond.notify_all(); }

// --- The clocks: system_clock counts from 1970 (FILETIME counts 100 ns from 1601),
// steady_clock is the performance counter.

namespace chrono {
inline namespace _V2 {
system_clock::time_point system_clock::now() noexcept
{
    FILETIME ft;
    GetSystemTimePreciseAsFileTime(&ft);
    long long ticks = (static_cast<long long>(ft.dwHighDateTime) << 32 | ft.dwLowDateTime) - 116444736000000000LL;
    return time_point(duration_cast<duration>(nanoseconds(ticks * 100)));
}

steady_clock::time_point steady_clock::now() noexcept
{
    LARGE_INTEGER count, frequency;
    QueryPerformanceCounter(&count);
    QueryPerformanceFrequency(&frequency);
    long long seconds = count.QuadPart / frequency.QuadPart;
    long long rest = count.QuadPart % frequency.QuadPart;
    return time_point(nanoseconds(seconds * 1000000000LL + rest * 1000000000LL / frequency.QuadPart));
}
}  // namespace _V2
}  // namespace chrono

}  // namespace std
