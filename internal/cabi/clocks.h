// The clocks the host reads: GetTickCount64's (tick_count.cpp) and a monotonic one in
// nanoseconds (call_timing.cpp).
#pragma once

#include <cstdint>

namespace iishost {

// A CLOCK_MONOTONIC reading in nanoseconds (vDSO: no system call).
uint64_t MonotonicNs();

// GetTickCount64's clock, in milliseconds (request_time.cpp).
uint64_t TickCountMs();

} // namespace iishost
