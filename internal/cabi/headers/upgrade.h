// The upgraded connection of one request: after a 101 the connection is the module's stream,
// read and written raw through ReadEntityBody/WriteEntityChunks, or as WebSocket messages
// through the IWebSocketContext named "websockets" (iiswebsocket.h).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include <iiswebsocket.h>

#include "stubs_gen.h"
#include "upgrade_doors.h"

namespace iishost {

struct RequestState;

// The IIS WebSocket module's context: one per upgraded WebSocket request (websocket_context.cpp).
class WebSocketContext : public IWebSocketContextStub {
public:
    RequestState *st = nullptr;
    void CleanupStoredContext() override;
    HRESULT WriteFragment(VOID *data, DWORD *sent, BOOL async, BOOL utf8, BOOL final, PFN_WEBSOCKET_COMPLETION completion,
                          VOID *context, BOOL *completionExpected) override;
    HRESULT ReadFragment(VOID *data, DWORD *size, BOOL async, BOOL *utf8, BOOL *final, BOOL *connectionClose,
                         PFN_WEBSOCKET_COMPLETION completion, VOID *context, BOOL *completionExpected) override;
    HRESULT SendConnectionClose(BOOL async, USHORT status, LPCWSTR reason, PFN_WEBSOCKET_COMPLETION completion,
                                VOID *context, BOOL *completionExpected) override;
    HRESULT GetCloseStatus(USHORT *status, LPCWSTR *reason, USHORT *reasonLength) override;
    VOID CloseTcpConnection() override;
    VOID CancelOutstandingIO() override;

    void Reset();
    // Records the close frame a read met, if any.
    void Record(const iis_ws_result &r);
    // Runs the module's callback for a finished asynchronous operation.
    void Done(int op, HRESULT hr, const iis_ws_result &r);

    std::atomic<bool> live{false}; // from the 101 to CleanupStoredContext
    std::mutex lock;               // the callbacks and the close status
    PFN_WEBSOCKET_COMPLETION callback[2] = {};
    void *callbackContext[2] = {};
    bool closeReceived = false;
    USHORT closeCode = 0;
    WCHAR closeReason[124] = {}; // lives in the request state: valid until the request ends
    USHORT closeReasonLength = 0;
};

// A completion of the upgraded stream waiting for the pipeline to take the one before it.
struct QueuedIo {
    DWORD bytes;
    HRESULT hr;
};

// UpgradeState is a request's upgraded stream, if any (upgrade.cpp).
struct UpgradeState {
    std::atomic<bool> active{false}; // the 101 went out
    std::atomic<bool> fullDuplex{false};
    std::mutex ioLock; // reading and writing below
    bool reading = false, writing = false;
    std::vector<QueuedIo> queued; // guarded by the request's asyncLock
    // Made at the first WebSocket upgrade and kept for the state's later requests: every
    // request state, parked ones too, would otherwise carry its 600 bytes.
    std::unique_ptr<WebSocketContext> ws;

    void Reset(RequestState *st);
    // Claims the read or write side: one operation each, and only one at all unless full duplex.
    bool Begin(int op);
    void End(int op);
};

// The hooks of http_request.cpp, http_response.cpp and pipeline.cpp (upgrade.cpp).
HRESULT UpgradedRead(RequestState *st, void *buffer, DWORD size, BOOL async, DWORD *received, BOOL *pending);
HRESULT UpgradedWrite(RequestState *st, HTTP_DATA_CHUNK *chunks, DWORD count, BOOL async, DWORD *sent,
                      BOOL *completionExpected);
// Flush of a 101 (the upgrade itself) or of an upgraded stream.
HRESULT UpgradeFlush(RequestState *st, BOOL async, DWORD *sent, BOOL *completionExpected);
// The pipeline took the waiting completion: the next queued one of the stream takes its place.
void UpgradeCompletionTaken(RequestState *st);

} // namespace iishost
