// The clocks the host reads: GetTickCount64's (tick_count.cpp) and a monotonic one in
// nanoseconds (call_timing.cpp).
#pragma once

#include <cstdint>

#if defined(_WIN32)
#include <windows.h>
#else
#include <time.h>
#endif

namespace iishost {

// A CLOCK_MONOTONIC reading in nanoseconds (vDSO on Linux: no system call).
uint64_t MonotonicNs();

// GetTickCount64's clock, in milliseconds (tick_count_linux.cpp, tick_count_windows.cpp).
uint64_t TickCountMs();

// A monotonic clock in milliseconds that is cheap to read and may lag by a tick: the coarse
// clock on Linux (vDSO, no system call), the tick count on Windows.
inline uint64_t CoarseMonotonicMs()
{
#if defined(_WIN32)
    return GetTickCount64();
#else
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000 + static_cast<uint64_t>(ts.tv_nsec) / 1000000;
#endif
}

} // namespace iishost
