// The word a WatchedCall publishes for the watchdog (watchdog.go), and the door that reads it.
#include "bridge.h"
#include "callbacks.h"
#include "clocks.h"
#include "forward.h"
#include "module_calls.h"
#include "pipeline_turn.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

// The word: bits 0-15 the module, 16-20 the notification's bit number, 21 post, 22 global, and
// from bit 24 the call's start in milliseconds of CoarseMonotonicMs (40 bits: 34 years of
// uptime). One word, so that the watchdog's one load always sees one call whole.
static const int kStartShift = 24;

static uint64_t CoarseMs()
{
    uint64_t ms = CoarseMonotonicMs();
    return ms ? ms : 1; // never 0, so a running call's word is never 0
}

uint64_t WatchedCall::Pack(int module, DWORD notification, bool post, bool global)
{
    uint64_t bit = notification ? static_cast<uint64_t>(__builtin_ctz(notification)) : 0;
    return CoarseMs() << kStartShift | uint64_t(global) << 22 | uint64_t(post) << 21 | bit << 16 |
           (static_cast<uint64_t>(module) & 0xFFFF);
}

// Decoded is a word's call: how long it has run, and its module's and notification's names.
struct Decoded {
    uint64_t elapsedMs;
    const char *module;
    const char *notification;
};

static Decoded Decode(const RequestState *st, uint64_t word)
{
    size_t module = word & 0xFFFF;
    int bit = static_cast<int>(word >> 16 & 31);
    bool post = word >> 21 & 1, global = word >> 22 & 1;
    uint64_t start = word >> kStartShift, now = CoarseMs();
    Decoded d;
    d.elapsedMs = now > start ? now - start : 0;
    d.module = module < st->host->modules.size() ? st->host->modules[module]->name.c_str() : "";
    d.notification = CallNotificationName(bit, post, global);
    return d;
}

const char *CallNotificationName(int bit, bool post, bool global)
{
    // A stage's bit number is its stage; the others are named by their bit alone.
    return NotificationName(1u << bit, post, global || bit >= IIS_STAGE_COUNT ? 0 : bit);
}

void WatchedCall::Returned()
{
    st_->watch.runningReported.store(0, std::memory_order_relaxed); // an outer call is not this one
    Decoded d = Decode(st_, word_);
    iisgoCallReturned(st_->slot, const_cast<char *>(d.module), const_cast<char *>(d.notification), d.elapsedMs);
}

} // namespace iishost

using namespace iishost;

extern "C" void iis_request_running(iis_request *req, uint64_t report_ms, iis_running *out)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    uint64_t word = st->watch.running.load(std::memory_order_acquire);
    if (!word) {
        *out = iis_running{0, 0, "", ""};
        return;
    }
    Decoded d = Decode(st, word);
    if (d.elapsedMs >= report_ms) {
        st->watch.runningReported.store(word, std::memory_order_relaxed); // its end logs the duration
    }
    *out = iis_running{word, d.elapsedMs, d.module, d.notification};
}

extern "C" void iis_request_position(iis_request *req, iis_running *out, int32_t *parked)
{
    RequestState *st = reinterpret_cast<RequestState *>(req);
    uint64_t word = st->watch.running.load(std::memory_order_acquire);
    *parked = 0;
    if (!word) {
        word = st->watch.parkedCall.load(std::memory_order_acquire);
        *parked = word != 0;
    }
    if (!word) {
        *out = iis_running{0, 0, "", ""};
        return;
    }
    Decoded d = Decode(st, word);
    *out = iis_running{word, d.elapsedMs, d.module, d.notification};
}
