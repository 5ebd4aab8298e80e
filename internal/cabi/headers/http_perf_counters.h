// IHttpPerfCounterInfo (http_perf_counters.cpp).
#pragma once

#include <atomic>

#include "bridge.h"
#include "forward.h"

namespace iishost {

// Counters modules keep through IHttpPerfCounterInfo, for the server or the site (http_perf_counters.cpp).
constexpr DWORD kPerfCounterCount = IIS_PERF_COUNTER_COUNT;

class HostPerfCounters : public IHttpPerfCounterInfoStub {
public:
    std::atomic<int64_t> values[kPerfCounterCount] = {};
    void IncrementCounter(DWORD index, DWORD value) override;
    void DecrementCounter(DWORD index, DWORD value) override;
};

} // namespace iishost
