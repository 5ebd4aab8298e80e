// The completion pump: module threads hand parked requests' completions to Go through a queue
// in C++ memory and a pipe, instead of calling into Go once per completion. A call into Go from
// a thread Go does not own costs a thread handshake, and the goroutine it wakes waits for the
// calling thread's processor, which that thread holds until the runtime takes it back; the
// pump's goroutine instead wakes through the network poller and resumes the requests itself.
#include <algorithm>
#include <mutex>
#include <vector>

#include "bridge.h"
#include "pipeline.h"

namespace iishost {

namespace {

struct CompletionQueue {
    std::mutex lock;
    std::vector<uintptr_t> slots;
    bool signalled = false; // a byte is in the pipe, or Go is draining: no other is needed
    uintptr_t wakeHandle = 0; // the pipe's write end: a descriptor, or a HANDLE on Windows
};

// Process-wide, as slot ids are; never destroyed, since module threads may post at exit.
CompletionQueue &Queue()
{
    static CompletionQueue *q = new CompletionQueue;
    return *q;
}

} // namespace

void QueueResume(uintptr_t slot)
{
    CompletionQueue &q = Queue();
    bool signal;
    {
        std::lock_guard<std::mutex> guard(q.lock);
        q.slots.push_back(slot);
        signal = !q.signalled;
        q.signalled = true;
    }
    if (signal) {
        WritePumpWake(q.wakeHandle);
    }
}

} // namespace iishost

using namespace iishost;

extern "C" {

void iis_completion_pump_start(uintptr_t wake_handle)
{
    CompletionQueue &q = Queue();
    std::lock_guard<std::mutex> guard(q.lock);
    q.wakeHandle = wake_handle;
}

size_t iis_completion_pump_take(uintptr_t *slots, size_t capacity)
{
    CompletionQueue &q = Queue();
    std::lock_guard<std::mutex> guard(q.lock);
    size_t n = std::min(capacity, q.slots.size());
    std::copy(q.slots.begin(), q.slots.begin() + n, slots);
    q.slots.erase(q.slots.begin(), q.slots.begin() + n);
    if (q.slots.empty()) {
        q.signalled = false; // the next completion writes a byte again
    }
    return n;
}

} // extern "C"
