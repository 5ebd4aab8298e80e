// Module calls as the watchdog, the crash reporter and the metrics see them (watch.cpp,
// crash_context.cpp, call_timing.cpp, exceptions.cpp).
#pragma once

#include <string>

#include "clocks.h"
#include "host_instance.h"
#include "module_registration.h"
#include "pipeline.h"
#include "request_state.h"

namespace iishost {

// WatchedCall marks a module call on the request's pipeline thread for the watchdog
// (watchdog.go) while it runs: a coarse clock read (vDSO, no system call) and one atomic store
// at each end. It also times every call it wraps into its module's CallTiming (two monotonic
// clock reads and two relaxed adds); a call's time includes notifications raised inside it. A nested call (a SendResponse raised by a Flush) puts the outer one back when it
// returns. Calls on a module's own thread are not watched: the word has one writer.
// CrashContext is what a crash handler says of the module call running on its thread
// (crash_context.cpp): pointers into strings that outlive the call, so setting it allocates
// nothing. module is null between calls.
struct CrashContext {
    const char *module, *notification, *url;
    size_t urlLen;
};

extern thread_local CrashContext tCrashContext;

// The context of a call about to run on this thread.
CrashContext CallContext(const RequestState *st, int module, DWORD notification, bool post, bool global);

// The name of a notification by its bit number, as a WatchedCall packs it.
const char *CallNotificationName(int bit, bool post, bool global);

// Remembers the address range of the loaded image holding address (a module's RegisterModule),
// so that a fault on a thread running no module call (one the module started) still names it.
void NoteModuleImage(const char *module, const void *address);

// CrashScope names a module call outside a request (a global notification, event its GL_* bit;
// RegisterModule) for the crash reporter while it runs; a request's calls are named by their
// WatchedCall.
// A global notification's call is also timed into its module's CallTiming.
class CrashScope {
public:
    CrashScope(ModuleEntry *module, DWORD event);
    CrashScope(const ModuleEntry *module, const char *call);
    ~CrashScope()
    {
        tCrashContext = outer_;
        if (timing_) {
            timing_->Add(slot_, MonotonicNs() - startNs_);
        }
    }
    CrashScope(const CrashScope &) = delete;
    CrashScope &operator=(const CrashScope &) = delete;

private:
    CrashContext outer_;
    CallTiming *timing_ = nullptr;
    int slot_ = 0;
    uint64_t startNs_ = 0;
};

// The name of a global notification by its GL_* bit, as log lines and metrics give it.
const char *GlobalNotificationName(DWORD event);

class WatchedCall {
public:
    // notification: its RQ_* bit, or GL_PRE_BEGIN_REQUEST with global set.
    WatchedCall(RequestState *st, int module, DWORD notification, bool post, bool global)
        : st_(OnPipelineThread(st) ? st : nullptr), outerCrash_(tCrashContext)
    {
        tCrashContext = CallContext(st, module, notification, post, global);
        const auto &mods = st->host->modules;
        if (module >= 0 && size_t(module) < mods.size()) {
            timing_ = &mods[module]->timing;
            slot_ = CallTiming::SlotOf(notification, post, global);
            startNs_ = MonotonicNs();
        }
        if (st_) {
            outer_ = st_->watch.running.load(std::memory_order_relaxed);
            word_ = Pack(module, notification, post, global);
            st_->watch.running.store(word_, std::memory_order_release);
        }
    }
    ~WatchedCall()
    {
        tCrashContext = outerCrash_;
        if (timing_) {
            timing_->Add(slot_, MonotonicNs() - startNs_);
        }
        if (!st_) {
            return;
        }
        if (st_->watch.runningReported.load(std::memory_order_relaxed) == word_) {
            Returned(); // the watchdog warned about this call: say how long it took
        }
        st_->watch.lastCall = word_;
        st_->watch.running.store(outer_, std::memory_order_release);
    }
    WatchedCall(const WatchedCall &) = delete;
    WatchedCall &operator=(const WatchedCall &) = delete;

    static uint64_t Pack(int module, DWORD notification, bool post, bool global);

private:
    void Returned();
    RequestState *st_;
    uint64_t outer_ = 0, word_ = 0;
    CrashContext outerCrash_;
    CallTiming *timing_ = nullptr; // its module's; null for an index out of range
    int slot_ = 0;
    uint64_t startNs_ = 0;
};

// Names a notification for log lines (pipeline.cpp). A stage's own bit names the stage, as
// does 0 (between calls); GL_PRE_BEGIN_REQUEST shares its value with RQ_RELEASE_REQUEST_STATE.
const char *NotificationName(DWORD notification, bool post, int stage);

// Describes the exception being handled (call it inside a catch block): the HRESULT and message
// of a _com_error or CAtlException, what() of a std::exception.
std::string DescribeCurrentException();

} // namespace iishost
