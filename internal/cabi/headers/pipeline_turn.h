// The request engine's entry points for the doors Go calls (doors_request.cpp): pipeline.cpp
// walks the stages; these run one of Go's calls on the request and report what came of it.
#pragma once

#include <pthread.h>

#include <string>

#include "forward.h"
#include "http_response.h"
#include "module_calls.h"
#include "module_guard.h"
#include "pipeline.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

// Copies a request from Go into the request state, once (http_request.cpp).
HRESULT LoadRequest(RequestState *st, const iis_request_meta *m, const char *s, size_t n);
// Finishes the parked notification with the completion that woke the request, then walks on;
// true when the request's stages are done.
bool Resume(RequestState *st);
// Sends what the pipeline produced (done), or says the request is parked.
const iis_send_view *Finalize(RequestState *st, bool done);
// The notification running now, for log lines.
std::string NotificationName(RequestState *st);

inline uintptr_t ThisThread() { return static_cast<uintptr_t>(pthread_self()); }

// PipelineTurn marks the calling thread as the request's pipeline thread while Go's call lasts.
struct PipelineTurn {
    RequestState *st;
    explicit PipelineTurn(RequestState *s) : st(s) { st->async.pipelineThread = ThisThread(); }
    ~PipelineTurn() { st->async.pipelineThread = 0; }
};

// Turn runs one of Go's calls into the pipeline on this thread; a host error becomes a 500 and
// never unwinds into Go.
template <class Fn> const iis_send_view *Turn(RequestState *st, Fn fn)
{
    PipelineTurn turn(st);
    try {
        return ModuleCall(fn); // a backstop: module calls are guarded one by one (pipeline.cpp)
    } catch (...) {
        FailRequest(st, "", "host error: " + DescribeCurrentException());
    }
    return st->async.clientGone ? nullptr : BuildSendView(st, true);
}

} // namespace iishost
