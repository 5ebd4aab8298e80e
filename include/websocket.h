/*
 * websocket.h - the server handshake of the Windows WebSocket Protocol
 * Component: WebSocketCreateServerHandle, WebSocketBeginServerHandshake,
 * WebSocketEndServerHandshake and WebSocketDeleteHandle, with the
 * WEB_SOCKET_* types.
 *
 * WebSocketBeginServerHandshake checks the client's request as RFC 6455
 * section 4.2.1 asks (Host, Upgrade: websocket, Connection: Upgrade, a
 * Sec-WebSocket-Key of 16 bytes in base64, Sec-WebSocket-Version 13) and
 * answers with the response headers: Connection, Upgrade, and
 * Sec-WebSocket-Accept = base64(SHA-1(key + the RFC's GUID)), plus
 * Sec-WebSocket-Protocol and Sec-WebSocket-Extensions for what the server
 * selected among what the client offered. The headers live in the handle
 * until WebSocketDeleteHandle.
 *
 * The framing half (WebSocketSend, WebSocketReceive, WebSocketGetAction,
 * WebSocketCompleteAction) and the client handshake are not provided: an
 * IIS module reads and writes frames through IWebSocketContext
 * (iiswebsocket.h), which the host implements.
 */
#ifndef IISHOST_WEBSOCKET_H
#define IISHOST_WEBSOCKET_H

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "windows.h"
#include "iishost/sha1_base64.h"

typedef enum _WEB_SOCKET_CLOSE_STATUS {
    WEB_SOCKET_SUCCESS_CLOSE_STATUS = 1000,
    WEB_SOCKET_ENDPOINT_UNAVAILABLE_CLOSE_STATUS = 1001,
    WEB_SOCKET_PROTOCOL_ERROR_CLOSE_STATUS = 1002,
    WEB_SOCKET_INVALID_DATA_TYPE_CLOSE_STATUS = 1003,
    WEB_SOCKET_EMPTY_CLOSE_STATUS = 1005,
    WEB_SOCKET_ABORTED_CLOSE_STATUS = 1006,
    WEB_SOCKET_INVALID_PAYLOAD_CLOSE_STATUS = 1007,
    WEB_SOCKET_POLICY_VIOLATION_CLOSE_STATUS = 1008,
    WEB_SOCKET_MESSAGE_TOO_BIG_CLOSE_STATUS = 1009,
    WEB_SOCKET_UNSUPPORTED_EXTENSIONS_CLOSE_STATUS = 1010,
    WEB_SOCKET_SERVER_ERROR_CLOSE_STATUS = 1011,
    WEB_SOCKET_SECURE_HANDSHAKE_ERROR_CLOSE_STATUS = 1015
} WEB_SOCKET_CLOSE_STATUS;

typedef enum _WEB_SOCKET_PROPERTY_TYPE {
    WEB_SOCKET_RECEIVE_BUFFER_SIZE_PROPERTY_TYPE = 0,
    WEB_SOCKET_SEND_BUFFER_SIZE_PROPERTY_TYPE = 1,
    WEB_SOCKET_DISABLE_MASKING_PROPERTY_TYPE = 2,
    WEB_SOCKET_ALLOCATED_BUFFER_PROPERTY_TYPE = 3,
    WEB_SOCKET_DISABLE_UTF8_VERIFICATION_PROPERTY_TYPE = 4,
    WEB_SOCKET_KEEPALIVE_INTERVAL_PROPERTY_TYPE = 5,
    WEB_SOCKET_SUPPORTED_VERSIONS_PROPERTY_TYPE = 6
} WEB_SOCKET_PROPERTY_TYPE;

typedef enum _WEB_SOCKET_ACTION_QUEUE {
    WEB_SOCKET_SEND_ACTION_QUEUE = 0x1,
    WEB_SOCKET_RECEIVE_ACTION_QUEUE = 0x2,
    WEB_SOCKET_ALL_ACTION_QUEUE = WEB_SOCKET_SEND_ACTION_QUEUE | WEB_SOCKET_RECEIVE_ACTION_QUEUE
} WEB_SOCKET_ACTION_QUEUE;

typedef enum _WEB_SOCKET_BUFFER_TYPE {
    WEB_SOCKET_UTF8_MESSAGE_BUFFER_TYPE = (int)0x80000000,
    WEB_SOCKET_UTF8_FRAGMENT_BUFFER_TYPE = (int)0x80000001,
    WEB_SOCKET_BINARY_MESSAGE_BUFFER_TYPE = (int)0x80000002,
    WEB_SOCKET_BINARY_FRAGMENT_BUFFER_TYPE = (int)0x80000003,
    WEB_SOCKET_CLOSE_BUFFER_TYPE = (int)0x80000004,
    WEB_SOCKET_PING_PONG_BUFFER_TYPE = (int)0x80000005,
    WEB_SOCKET_UNSOLICITED_PONG_BUFFER_TYPE = (int)0x80000006
} WEB_SOCKET_BUFFER_TYPE;

typedef enum _WEB_SOCKET_ACTION {
    WEB_SOCKET_NO_ACTION = 0,
    WEB_SOCKET_SEND_TO_NETWORK_ACTION = 1,
    WEB_SOCKET_INDICATE_SEND_COMPLETE_ACTION = 2,
    WEB_SOCKET_RECEIVE_FROM_NETWORK_ACTION = 3,
    WEB_SOCKET_INDICATE_RECEIVE_COMPLETE_ACTION = 4
} WEB_SOCKET_ACTION;

typedef struct _WEB_SOCKET_PROPERTY {
    WEB_SOCKET_PROPERTY_TYPE Type;
    PVOID pvValue;
    ULONG ulValueSize;
} WEB_SOCKET_PROPERTY, *PWEB_SOCKET_PROPERTY;

typedef struct _WEB_SOCKET_HTTP_HEADER {
    PCHAR pcName;
    ULONG ulNameLength;
    PCHAR pcValue;
    ULONG ulValueLength;
} WEB_SOCKET_HTTP_HEADER, *PWEB_SOCKET_HTTP_HEADER;

typedef union _WEB_SOCKET_BUFFER {
    struct {
        PBYTE pbBuffer;
        ULONG ulBufferLength;
    } Data;
    struct {
        PBYTE pbReason;
        ULONG ulReasonLength;
        USHORT usStatus;
    } CloseStatus;
} WEB_SOCKET_BUFFER, *PWEB_SOCKET_BUFFER;

DECLARE_HANDLE(WEB_SOCKET_HANDLE);

#define WEB_SOCKET_MAX_CLOSE_REASON_LENGTH 123

/* RFC 6455 section 1.3: appended to the client's key before hashing. */
#define IISHOST_WEBSOCKET_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define IISHOST_WEBSOCKET_MAGIC 0x57534B48u
#define IISHOST_WEBSOCKET_MAX_RESPONSE 5

/* A server handle: its properties and, once the handshake began, the response headers. */
typedef struct iishost_websocket {
    uint32_t magic;
    int state; /* 0 created, 1 handshake begun, 2 handshake ended */
    ULONG receiveBufferSize, sendBufferSize, keepAliveInterval;
    BOOL disableMasking, disableUtf8Verification;
    WEB_SOCKET_HTTP_HEADER response[IISHOST_WEBSOCKET_MAX_RESPONSE];
    char *responseText; /* the names and values the response points into */
} iishost_websocket;

static __inline__ iishost_websocket *iishost_websocket_get(WEB_SOCKET_HANDLE h)
{
    iishost_websocket *ws = (iishost_websocket *)(void *)h;
    return ws != NULL && ws->magic == IISHOST_WEBSOCKET_MAGIC ? ws : NULL;
}

/* Checks one property and stores it; E_INVALIDARG for a wrong size, value or type. */
static __inline__ HRESULT iishost_websocket_property(iishost_websocket *ws, const WEB_SOCKET_PROPERTY *p)
{
    ULONG ulong;
    BOOL flag;
    if (p->pvValue == NULL)
        return E_INVALIDARG;
    switch (p->Type) {
    case WEB_SOCKET_RECEIVE_BUFFER_SIZE_PROPERTY_TYPE:
    case WEB_SOCKET_SEND_BUFFER_SIZE_PROPERTY_TYPE:
    case WEB_SOCKET_KEEPALIVE_INTERVAL_PROPERTY_TYPE:
    case WEB_SOCKET_SUPPORTED_VERSIONS_PROPERTY_TYPE:
        if (p->ulValueSize != sizeof(ULONG))
            return E_INVALIDARG;
        memcpy(&ulong, p->pvValue, sizeof ulong);
        if (p->Type == WEB_SOCKET_RECEIVE_BUFFER_SIZE_PROPERTY_TYPE || p->Type == WEB_SOCKET_SEND_BUFFER_SIZE_PROPERTY_TYPE) {
            if (ulong < 256)
                return E_INVALIDARG; /* the documented minimum */
            *(p->Type == WEB_SOCKET_RECEIVE_BUFFER_SIZE_PROPERTY_TYPE ? &ws->receiveBufferSize : &ws->sendBufferSize) =
                ulong;
        } else if (p->Type == WEB_SOCKET_SUPPORTED_VERSIONS_PROPERTY_TYPE) {
            if (ulong != 13)
                return E_INVALIDARG; /* RFC 6455's version is the only one */
        } else {
            ws->keepAliveInterval = ulong;
        }
        return S_OK;
    case WEB_SOCKET_DISABLE_MASKING_PROPERTY_TYPE:
    case WEB_SOCKET_DISABLE_UTF8_VERIFICATION_PROPERTY_TYPE:
        if (p->ulValueSize != sizeof(BOOL))
            return E_INVALIDARG;
        memcpy(&flag, p->pvValue, sizeof flag);
        *(p->Type == WEB_SOCKET_DISABLE_MASKING_PROPERTY_TYPE ? &ws->disableMasking : &ws->disableUtf8Verification) =
            flag;
        return S_OK;
    case WEB_SOCKET_ALLOCATED_BUFFER_PROPERTY_TYPE:
        /* A buffer for the framing half, which is not provided; accepted when well-formed. */
        return ((uintptr_t)p->pvValue % 8) == 0 ? S_OK : E_INVALIDARG;
    default:
        return E_INVALIDARG;
    }
}

/* A server-side WebSocket handle with the given properties (any may be omitted). */
static __inline__ HRESULT WebSocketCreateServerHandle(const PWEB_SOCKET_PROPERTY pProperties, ULONG ulPropertyCount,
                                                      WEB_SOCKET_HANDLE *phWebSocket)
{
    iishost_websocket *ws;
    ULONG i;
    HRESULT hr;
    if (phWebSocket == NULL || (pProperties == NULL && ulPropertyCount != 0))
        return E_INVALIDARG;
    *phWebSocket = NULL;
    ws = (iishost_websocket *)calloc(1, sizeof *ws);
    if (ws == NULL)
        return E_OUTOFMEMORY;
    ws->magic = IISHOST_WEBSOCKET_MAGIC;
    ws->receiveBufferSize = 4096;
    ws->sendBufferSize = 16;
    for (i = 0; i < ulPropertyCount; i++) {
        hr = iishost_websocket_property(ws, &pProperties[i]);
        if (FAILED(hr)) {
            free(ws);
            return hr;
        }
    }
    *phWebSocket = (WEB_SOCKET_HANDLE)(void *)ws;
    return S_OK;
}

static __inline__ VOID WebSocketDeleteHandle(WEB_SOCKET_HANDLE hWebSocket)
{
    iishost_websocket *ws = iishost_websocket_get(hWebSocket);
    if (ws == NULL)
        return;
    ws->magic = 0;
    free(ws->responseText);
    free(ws);
}

/* Whether header h is named name (ASCII case-insensitive). */
static __inline__ int iishost_ws_named(const WEB_SOCKET_HTTP_HEADER *h, const char *name)
{
    size_t n = strlen(name);
    return h->pcName != NULL && h->ulNameLength == n && _strnicmp(h->pcName, name, n) == 0;
}

/*
 * Whether the comma-separated lists of every header called name hold token (ASCII
 * case-insensitive; for extensions, the name before any ';' parameters). A token of length 0
 * asks only whether such a header is present and not empty.
 */
static __inline__ int iishost_ws_has_token(const WEB_SOCKET_HTTP_HEADER *headers, ULONG count, const char *name,
                                           const char *token, size_t tokenLength)
{
    ULONG i;
    for (i = 0; i < count; i++) {
        const char *v = headers[i].pcValue, *end;
        if (!iishost_ws_named(&headers[i], name) || v == NULL)
            continue;
        end = v + headers[i].ulValueLength;
        while (v < end) {
            const char *item, *stop;
            while (v < end && (*v == ' ' || *v == '\t' || *v == ','))
                v++;
            item = v;
            while (v < end && *v != ',')
                v++;
            stop = item;
            while (stop < v && *stop != ';')
                stop++;
            while (stop > item && (stop[-1] == ' ' || stop[-1] == '\t'))
                stop--;
            if (stop > item && (tokenLength == 0 ||
                                ((size_t)(stop - item) == tokenLength && _strnicmp(item, token, tokenLength) == 0)))
                return 1;
        }
    }
    return 0;
}

/* The one value of header name, trimmed, in *value and *length; 0 when absent or repeated. */
static __inline__ int iishost_ws_single(const WEB_SOCKET_HTTP_HEADER *headers, ULONG count, const char *name,
                                        const char **value, size_t *length)
{
    ULONG i, found = 0;
    for (i = 0; i < count; i++) {
        const char *v = headers[i].pcValue, *end;
        if (!iishost_ws_named(&headers[i], name) || v == NULL)
            continue;
        end = v + headers[i].ulValueLength;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        *value = v;
        *length = (size_t)(end - v);
        found++;
    }
    return found == 1;
}

/* Sec-WebSocket-Accept for a key: base64 of the SHA-1 of key + GUID (28 characters). */
static __inline__ void iishost_websocket_accept(const char *key, size_t keyLength, char accept[29])
{
    iishost_sha1_ctx c;
    uint8_t digest[20];
    iishost_sha1_init(&c);
    iishost_sha1_update(&c, key, keyLength);
    iishost_sha1_update(&c, IISHOST_WEBSOCKET_GUID, sizeof(IISHOST_WEBSOCKET_GUID) - 1);
    iishost_sha1_final(&c, digest);
    iishost_base64_encode(digest, sizeof digest, accept);
}

/* Appends name and value[0..length) to text at *used, NUL-terminated, and points h at them. */
static __inline__ void iishost_ws_put(WEB_SOCKET_HTTP_HEADER *h, char *text, size_t *used, const char *name,
                                      const char *value, size_t length)
{
    size_t n = strlen(name);
    h->pcName = text + *used;
    h->ulNameLength = (ULONG)n;
    memcpy(h->pcName, name, n + 1);
    *used += n + 1;
    h->pcValue = text + *used;
    h->ulValueLength = (ULONG)length;
    memcpy(h->pcValue, value, length);
    h->pcValue[length] = 0;
    *used += length + 1;
}

/*
 * Checks the request headers and returns the response headers (owned by the handle). Fails
 * with E_INVALID_PROTOCOL_FORMAT for a request that is no valid WebSocket opening,
 * E_PROTOCOL_VERSION_NOT_SUPPORTED for a version other than 13, E_SUBPROTOCOL_NOT_SUPPORTED
 * or E_PROTOCOL_EXTENSIONS_NOT_SUPPORTED for a selection the client did not offer, and
 * E_INVALID_PROTOCOL_OPERATION when the handshake already began.
 */
static __inline__ HRESULT WebSocketBeginServerHandshake(WEB_SOCKET_HANDLE hWebSocket, PCSTR pszSubprotocolSelected,
                                                        PCSTR *pszExtensionSelected, ULONG ulExtensionSelectedCount,
                                                        const PWEB_SOCKET_HTTP_HEADER pRequestHeaders,
                                                        ULONG ulRequestHeaderCount,
                                                        PWEB_SOCKET_HTTP_HEADER *pResponseHeaders,
                                                        ULONG *pulResponseHeaderCount)
{
    iishost_websocket *ws = iishost_websocket_get(hWebSocket);
    const char *key = NULL, *version = NULL;
    size_t keyLength = 0, versionLength = 0, extLength = 0, used = 0;
    uint8_t raw[24];
    char accept[29], *text, *ext;
    ULONG i, n = 0;

    if (ws == NULL || pResponseHeaders == NULL || pulResponseHeaderCount == NULL ||
        (pRequestHeaders == NULL && ulRequestHeaderCount != 0) ||
        (pszExtensionSelected == NULL && ulExtensionSelectedCount != 0))
        return E_INVALIDARG;
    if (ws->state != 0)
        return E_INVALID_PROTOCOL_OPERATION;
    if (!iishost_ws_single(pRequestHeaders, ulRequestHeaderCount, "Sec-WebSocket-Key", &key, &keyLength) ||
        keyLength != 24 || iishost_base64_decode(key, keyLength, raw) != 16 ||
        !iishost_ws_has_token(pRequestHeaders, ulRequestHeaderCount, "Host", "", 0) ||
        !iishost_ws_has_token(pRequestHeaders, ulRequestHeaderCount, "Upgrade", "websocket", 9) ||
        !iishost_ws_has_token(pRequestHeaders, ulRequestHeaderCount, "Connection", "Upgrade", 7) ||
        !iishost_ws_single(pRequestHeaders, ulRequestHeaderCount, "Sec-WebSocket-Version", &version, &versionLength))
        return E_INVALID_PROTOCOL_FORMAT;
    if (versionLength != 2 || memcmp(version, "13", 2) != 0)
        return E_PROTOCOL_VERSION_NOT_SUPPORTED;
    if (pszSubprotocolSelected != NULL &&
        !iishost_ws_has_token(pRequestHeaders, ulRequestHeaderCount, "Sec-WebSocket-Protocol",
                              pszSubprotocolSelected, strlen(pszSubprotocolSelected)))
        return E_SUBPROTOCOL_NOT_SUPPORTED;
    for (i = 0; i < ulExtensionSelectedCount; i++) {
        const char *e = pszExtensionSelected[i];
        size_t nameLength = e != NULL ? strcspn(e, "; \t") : 0;
        if (nameLength == 0 || !iishost_ws_has_token(pRequestHeaders, ulRequestHeaderCount,
                                                     "Sec-WebSocket-Extensions", e, nameLength))
            return E_PROTOCOL_EXTENSIONS_NOT_SUPPORTED;
        extLength += strlen(e) + 2;
    }

    /* The extension selections joined with ", ", then one block for every name and value
     * (the names, the fixed values and the terminators take under 160 bytes). */
    ext = (char *)malloc(extLength + 1);
    text = ext != NULL ? (char *)malloc(160 + (pszSubprotocolSelected ? strlen(pszSubprotocolSelected) : 0) + extLength)
                       : NULL;
    if (text == NULL) {
        free(ext);
        return E_OUTOFMEMORY;
    }
    for (i = 0, extLength = 0; i < ulExtensionSelectedCount; i++) {
        size_t len = strlen(pszExtensionSelected[i]);
        if (i > 0) {
            memcpy(ext + extLength, ", ", 2);
            extLength += 2;
        }
        memcpy(ext + extLength, pszExtensionSelected[i], len);
        extLength += len;
    }
    iishost_websocket_accept(key, keyLength, accept);
    iishost_ws_put(&ws->response[n++], text, &used, "Connection", "Upgrade", 7);
    iishost_ws_put(&ws->response[n++], text, &used, "Upgrade", "websocket", 9);
    iishost_ws_put(&ws->response[n++], text, &used, "Sec-WebSocket-Accept", accept, 28);
    if (pszSubprotocolSelected != NULL)
        iishost_ws_put(&ws->response[n++], text, &used, "Sec-WebSocket-Protocol", pszSubprotocolSelected,
                       strlen(pszSubprotocolSelected));
    if (ulExtensionSelectedCount > 0)
        iishost_ws_put(&ws->response[n++], text, &used, "Sec-WebSocket-Extensions", ext, extLength);
    free(ext);
    free(ws->responseText);
    ws->responseText = text;
    ws->state = 1;
    *pResponseHeaders = ws->response;
    *pulResponseHeaderCount = n;
    return S_OK;
}

/* Completes the handshake once the response was sent; E_INVALID_PROTOCOL_OPERATION before. */
static __inline__ HRESULT WebSocketEndServerHandshake(WEB_SOCKET_HANDLE hWebSocket)
{
    iishost_websocket *ws = iishost_websocket_get(hWebSocket);
    if (ws == NULL)
        return E_INVALIDARG;
    if (ws->state != 1)
        return E_INVALID_PROTOCOL_OPERATION;
    ws->state = 2;
    return S_OK;
}

#endif /* IISHOST_WEBSOCKET_H */
