// The request engine as the rest of the host calls it (pipeline.cpp, async_callbacks.cpp).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "bridge.h"
#include "forward.h"

namespace iishost {

// The stage of RQ_EXECUTE_REQUEST_HANDLER, whose modules handler mapping chooses.
constexpr int kExecuteStage = 7;

// The provider a stage's notification receives (pipeline.cpp).
IHttpEventProvider *ProviderFor(RequestState *st, int stage, bool post);

// Runs a request through the whole pipeline (pipeline.cpp).
const iis_send_view *RunPipeline(RequestState *st);

// Records a completion from any thread and wakes the parked request (pipeline.cpp).
void SignalCompletion(RequestState *st, const Completion &c);
// Hands a parked request's wake-up to Go's completion pump; any thread (completion_pump.cpp).
void QueueResume(uintptr_t slot);
// WritePumpWake writes the pump's wake byte to the pipe's write end: a descriptor on Unix, a
// HANDLE on Windows (pump_wake_*.cpp).
void WritePumpWake(uintptr_t handle);

// Signals an asynchronous operation's completion: bytes and HRESULT, reentering the module.
void SignalIoCompletion(RequestState *st, DWORD bytes, HRESULT hr);

// Starts an async operation whose completion calls callback, if given, instead of the module's
// OnAsyncCompletion (async_callbacks.cpp); start runs the operation.
HRESULT WithCallback(RequestState *st, BOOL async, PFN_ASYNC_COMPLETION callback, void *context, BOOL *pending,
                     const std::function<HRESULT()> &start);

// Whether the calling thread is the one running this request's pipeline now.
bool OnPipelineThread(const RequestState *st);

// Whether an async operation started now can be deferred to the request's goroutine.
bool CanDeferIo(const RequestState *st);

// Raises a notification outside the stage order (send, map path, custom) through one plan list,
// guarded, restoring the current position afterwards; a FINISH or a failure ends the chain.
void RaiseNotification(RequestState *st, int list, DWORD bit,
                       const std::function<REQUEST_NOTIFICATION_STATUS(CHttpModule *)> &call);

// Pipeline entry points http_context_children.cpp uses (pipeline.cpp): run a child from its first stage,
// resume one, and release a request's modules, contexts and memory.
bool RunChildStages(RequestState *child);

bool ResumeStages(RequestState *st);

void ReleaseRequest(RequestState *st);
// ReleaseModules releases what the request's modules hold, leaving its memory and files.
void ReleaseModules(RequestState *st);
// ReclaimHeldMemory rewinds the memory a request released early left (memoryHeld); every call
// that starts a request on a state does it first.
void ReclaimHeldMemory(RequestState *st);

// Answers 500 after a module failed (exception escaped) and ends the request's main stages.
void FailRequest(RequestState *st, const std::string &module, const std::string &what);

} // namespace iishost
