/* The doors of the upgraded connection (HTTP/1.1 101) between Go and C++: plain C, so cgo
   reads it. The Go side owns the socket and the WebSocket frame codec (upgrade.go,
   websocket.go); the C++ side owns the module-facing objects (upgrade.cpp, websocket_context.cpp). */
#ifndef IISHOST_CABI_UPGRADE_DOORS_H
#define IISHOST_CABI_UPGRADE_DOORS_H

#include <stdint.h>

#include "bridge.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which side of the stream an operation uses. */
#define IIS_IO_READ 0
#define IIS_IO_WRITE 1
#define IIS_IO_FLUSH 2 /* an asynchronous Flush: no side of its own to release */

/* What one WebSocket read or write produced. close_reason is UTF-8, not terminated. */
typedef struct iis_ws_result {
    uint32_t bytes;
    uint8_t utf8, final_fragment, close, has_code;
    uint16_t close_code;
    uint16_t close_reason_len;
    char close_reason[124];
} iis_ws_result;

/* C++ doors, called by Go. */

/* An asynchronous ReadEntityBody, WriteEntityChunks or Flush on the upgraded stream finished:
   it goes to the module's OnAsyncCompletion, queued while another completion waits. */
void iis_upgrade_done(iis_request *req, int32_t op, int32_t hr, uint32_t bytes);
/* An asynchronous WebSocket operation finished: the module's callback runs now, on this thread. */
void iis_ws_done(iis_request *req, int32_t op, int32_t hr, const iis_ws_result *result);

/* Go callbacks, called by C++ (//export in upgrade.go and websocket.go). */

/* Takes the connection from net/http for a 101; 0, or -1 when it cannot be taken (HTTP/2). */
int32_t iisgoUpgrade(uintptr_t slot);
/* Writes the 28-character Sec-WebSocket-Accept value for a key into out. */
void iisgoWebSocketAccept(char *key, uint32_t len, char *out);
/* Reads raw bytes of the upgraded stream; returns an HRESULT. With async set it returns at once
   and the result arrives through iis_upgrade_done. */
int32_t iisgoUpRead(uintptr_t slot, void *buffer, uint32_t capacity, int32_t async, uint32_t *n);
/* Writes chunks to the upgraded stream, likewise. Asynchronous writes copy the bytes first. */
int32_t iisgoUpWrite(uintptr_t slot, iis_bytes *chunks, uint32_t count, int32_t async, uint32_t *n);
/* Completes through iis_upgrade_done (IIS_IO_FLUSH) once the write under way, if any, is out;
   returns an HRESULT: a failure means no completion comes. */
int32_t iisgoUpFlush(uintptr_t slot);
/* Makes the operations under way fail with ERROR_OPERATION_ABORTED. */
void iisgoUpCancel(uintptr_t slot);
/* Closes the socket now. */
void iisgoUpClose(uintptr_t slot);
/* Reads the next WebSocket data fragment (answering pings on the way); returns an HRESULT. With
   async set the result arrives through iis_ws_done. */
int32_t iisgoWsRead(uintptr_t slot, void *buffer, uint32_t capacity, int32_t async, iis_ws_result *out);
/* Writes one WebSocket frame: a data fragment, or with close set a close frame of code and
   reason (data, len: UTF-8); returns an HRESULT, asynchronously as iisgoWsRead. */
int32_t iisgoWsWrite(uintptr_t slot, void *data, uint32_t len, int32_t utf8, int32_t fin, int32_t close, uint16_t code,
                     int32_t async, uint32_t *n);

#ifdef __cplusplus
}
#endif

#endif
