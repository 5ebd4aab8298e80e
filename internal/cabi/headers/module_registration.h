// A loaded module as RegisterModule registered it (module_registration.cpp), and the time its
// notification calls take (call_timing.cpp).
#pragma once

#include <atomic>
#include <string>

#include "bridge.h"
#include "forward.h"

namespace iishost {

// RegistrationInfo is what RegisterModule receives: it records the module's subscriptions.
class RegistrationInfo : public IHttpModuleRegistrationInfo2Stub {
public:
    ModuleEntry *entry = nullptr;
    PCWSTR GetName() const override;
    HTTP_MODULE_ID GetId() const override;
    HRESULT SetRequestNotifications(IHttpModuleFactory *factory, DWORD notifications, DWORD postNotifications) override;
    HRESULT SetGlobalNotifications(CGlobalModule *module, DWORD notifications) override;
    HRESULT SetPriorityForRequestNotification(DWORD notification, PCWSTR priority) override;
    HRESULT SetPriorityForGlobalNotification(DWORD notification, PCWSTR priority) override;
    HRESULT SetPriorityForPostRequestNotification(DWORD notification, PCWSTR priority) override;
};

// ModuleEntry is one loaded module, as registered; read-only once serving starts.
// CallTiming accumulates how long one module's notification calls take, for metrics: a count
// and nanoseconds per notification slot (IIS_TIMING_SLOTS, call_timing.cpp), in shards picked
// per thread so that cores do not contend for a line; relaxed adds, summed when read.
struct CallTiming {
    static const int kShards = 8;
    struct alignas(64) Shard {
        std::atomic<uint64_t> calls[IIS_TIMING_SLOTS] = {}, nanos[IIS_TIMING_SLOTS] = {};
    };
    Shard shards[kShards];
    static int SlotOf(DWORD notification, bool post, bool global);
    void Add(int slot, uint64_t nanos);
};

struct ModuleEntry {
    HostInstance *host = nullptr;
    CallTiming timing;
    int index = 0;
    std::string name;
    std::wstring wideName;
    RegistrationInfo info;
    IHttpModuleFactory *factory = nullptr;
    CGlobalModule *global = nullptr;
    DWORD requestMask = 0, postMask = 0, globalMask = 0;
    uint8_t requestPriority[IIS_MASK_BITS] = {}, postPriority[IIS_MASK_BITS] = {}, globalPriority[IIS_MASK_BITS] = {};
};

} // namespace iishost
