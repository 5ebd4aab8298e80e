// Time modules spend in their notifications (WatchedCall), kept per module in thread-sharded
// relaxed counters and summed only when metrics are read.
#include <time.h>

#include "bridge.h"
#include "clocks.h"
#include "forward.h"
#include "host_instance.h"
#include "module_calls.h"
#include "module_registration.h"

namespace iishost {

uint64_t MonotonicNs()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

int CallTiming::SlotOf(DWORD notification, bool post, bool global)
{
    int bit = notification ? __builtin_ctz(notification) : 0;
    return bit | int(post) << 5 | int(global) << 6;
}

// Each thread takes the next shard on its first call and keeps it.
static std::atomic<unsigned> gNextShard{0};

void CallTiming::Add(int slot, uint64_t nanos)
{
    static thread_local unsigned shard = gNextShard.fetch_add(1, std::memory_order_relaxed) % kShards;
    Shard &s = shards[shard];
    s.calls[slot].fetch_add(1, std::memory_order_relaxed);
    s.nanos[slot].fetch_add(nanos, std::memory_order_relaxed);
}

} // namespace iishost

using namespace iishost;

extern "C" void iis_module_timing(iis_host *h, int module, uint64_t *calls, uint64_t *nanos)
{
    auto *host = reinterpret_cast<HostInstance *>(h);
    if (module < 0 || size_t(module) >= host->modules.size()) {
        return;
    }
    const CallTiming &t = host->modules[module]->timing;
    for (int slot = 0; slot < IIS_TIMING_SLOTS; slot++) {
        uint64_t c = 0, n = 0;
        for (const auto &s : t.shards) {
            c += s.calls[slot].load(std::memory_order_relaxed);
            n += s.nanos[slot].load(std::memory_order_relaxed);
        }
        calls[slot] = c;
        nanos[slot] = n;
    }
}

extern "C" const char *iis_timing_slot_name(int slot)
{
    if (slot >> 6 & 1) {
        return GlobalNotificationName(1u << (slot & 31));
    }
    return CallNotificationName(slot & 31, slot >> 5 & 1, false);
}
