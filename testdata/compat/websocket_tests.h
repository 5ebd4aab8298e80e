/*
 * websocket_tests.h - the checks websocket.c (C) and websocket.cpp (C++) both run: SHA-1 and
 * base64 against their standards' test vectors, and the server handshake of websocket.h
 * against RFC 6455's own example (key dGhlIHNhbXBsZSBub25jZQ== gives
 * s3pPLMBiTxaQ9kYGzzhZRbK+xOo=), its header checks, selections, states and properties.
 * Written in the common subset of C and C++, after websocket.h and check.h.
 */
#ifndef IISHOST_COMPAT_WEBSOCKET_TESTS_H
#define IISHOST_COMPAT_WEBSOCKET_TESTS_H

#include <stdio.h>
#include <string.h>

/* A header from C strings. */
static WEB_SOCKET_HTTP_HEADER ws_header(const char *name, const char *value)
{
    WEB_SOCKET_HTTP_HEADER h;
    h.pcName = (PCHAR)name;
    h.ulNameLength = (ULONG)strlen(name);
    h.pcValue = (PCHAR)value;
    h.ulValueLength = (ULONG)strlen(value);
    return h;
}

/* The value of response header name, NUL-terminated, or NULL. */
static const char *ws_find(const WEB_SOCKET_HTTP_HEADER *headers, ULONG count, const char *name)
{
    ULONG i;
    for (i = 0; i < count; i++)
        if (headers[i].ulNameLength == strlen(name) && memcmp(headers[i].pcName, name, strlen(name)) == 0)
            return headers[i].pcValue[headers[i].ulValueLength] == 0 ? headers[i].pcValue : NULL;
    return NULL;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
    size_t i;
    for (i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

static void test_sha1_base64(void)
{
    uint8_t digest[20], raw[16];
    char block[1000];
    char text[64];
    iishost_sha1_ctx c;
    size_t i;
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};

    /* FIPS 180 examples, one of them fed in pieces across a block boundary. */
    iishost_sha1("abc", 3, digest);
    hex(digest, 20, text);
    CHECK_STR(text, "a9993e364706816aba3e25717850c26c9cd0d89d");
    iishost_sha1("", 0, digest);
    hex(digest, 20, text);
    CHECK_STR(text, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    iishost_sha1_init(&c);
    iishost_sha1_update(&c, "abcdbcdecdefdefgefghfghighij", 28);
    iishost_sha1_update(&c, "hijkijkljklmklmnlmnomnopnopq", 28);
    iishost_sha1_final(&c, digest);
    hex(digest, 20, text);
    CHECK_STR(text, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    memset(block, 'a', sizeof block);
    iishost_sha1_init(&c);
    for (i = 0; i < 1000; i++)
        iishost_sha1_update(&c, block, sizeof block);
    iishost_sha1_final(&c, digest); /* a million 'a's */
    hex(digest, 20, text);
    CHECK_STR(text, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");

    /* RFC 4648's base64 examples, both ways; malformed text is refused. */
    for (i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        CHECK_EQ(iishost_base64_encode(plain[i], strlen(plain[i]), text), strlen(coded[i]));
        CHECK_STR(text, coded[i]);
        CHECK_EQ(iishost_base64_decode(coded[i], strlen(coded[i]), (uint8_t *)text), strlen(plain[i]));
        CHECK(memcmp(text, plain[i], strlen(plain[i])) == 0);
    }
    CHECK_EQ(iishost_base64_decode("Zm9", 3, raw), -1);
    CHECK_EQ(iishost_base64_decode("Zm=v", 4, raw), -1);
    CHECK_EQ(iishost_base64_decode("Zh==", 4, raw), -1); /* non-zero padding bits */
    CHECK_EQ(iishost_base64_decode("Zm9*", 4, raw), -1);
}

static void test_handshake(void)
{
    WEB_SOCKET_HANDLE h = NULL;
    WEB_SOCKET_HTTP_HEADER request[8], *response = NULL;
    ULONG count = 0, receive = 8192, tooSmall = 100, version = 13;
    BOOL yes = TRUE;
    WEB_SOCKET_PROPERTY props[3];
    PCSTR extensions[1] = {"permessage-deflate"};

    request[0] = ws_header("Host", "server.example.com");
    request[1] = ws_header("upgrade", "websocket");
    request[2] = ws_header("Connection", "keep-alive, Upgrade");
    request[3] = ws_header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    request[4] = ws_header("Origin", "http://example.com");
    request[5] = ws_header("Sec-WebSocket-Protocol", "chat, superchat");
    request[6] = ws_header("Sec-WebSocket-Version", "13");
    request[7] = ws_header("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits");

    props[0].Type = WEB_SOCKET_RECEIVE_BUFFER_SIZE_PROPERTY_TYPE;
    props[0].pvValue = &receive;
    props[0].ulValueSize = sizeof receive;
    props[1].Type = WEB_SOCKET_DISABLE_UTF8_VERIFICATION_PROPERTY_TYPE;
    props[1].pvValue = &yes;
    props[1].ulValueSize = sizeof yes;
    props[2].Type = WEB_SOCKET_SUPPORTED_VERSIONS_PROPERTY_TYPE;
    props[2].pvValue = &version;
    props[2].ulValueSize = sizeof version;
    CHECK_EQ(WebSocketCreateServerHandle(props, 3, &h), S_OK);
    CHECK(h != NULL);

    /* RFC 6455 section 1.3's example, with a subprotocol and an extension selected. */
    CHECK_EQ(WebSocketEndServerHandshake(h), E_INVALID_PROTOCOL_OPERATION); /* not begun */
    CHECK_EQ(WebSocketBeginServerHandshake(h, "chat", extensions, 1, request, 8, &response, &count), S_OK);
    CHECK_EQ(count, 5);
    CHECK_STR(ws_find(response, count, "Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    CHECK_STR(ws_find(response, count, "Upgrade"), "websocket");
    CHECK_STR(ws_find(response, count, "Connection"), "Upgrade");
    CHECK_STR(ws_find(response, count, "Sec-WebSocket-Protocol"), "chat");
    CHECK_STR(ws_find(response, count, "Sec-WebSocket-Extensions"), "permessage-deflate");
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 8, &response, &count),
             E_INVALID_PROTOCOL_OPERATION); /* once per handle */
    CHECK_EQ(WebSocketEndServerHandshake(h), S_OK);
    CHECK_EQ(WebSocketEndServerHandshake(h), E_INVALID_PROTOCOL_OPERATION);
    WebSocketDeleteHandle(h);

    /* Without selections: the three required headers. */
    CHECK_EQ(WebSocketCreateServerHandle(NULL, 0, &h), S_OK);
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 7, &response, &count), S_OK);
    CHECK_EQ(count, 3);
    CHECK(ws_find(response, count, "Sec-WebSocket-Protocol") == NULL);
    WebSocketDeleteHandle(h);

    /* Refusals: selections the client did not offer, and broken openings. */
    CHECK_EQ(WebSocketCreateServerHandle(NULL, 0, &h), S_OK);
    CHECK_EQ(WebSocketBeginServerHandshake(h, "mqtt", NULL, 0, request, 8, &response, &count),
             E_SUBPROTOCOL_NOT_SUPPORTED);
    extensions[0] = "x-webkit-deflate-frame";
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, extensions, 1, request, 8, &response, &count),
             E_PROTOCOL_EXTENSIONS_NOT_SUPPORTED);
    request[3] = ws_header("Sec-WebSocket-Key", "c2hvcnQ="); /* decodes to 5 bytes */
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 8, &response, &count),
             E_INVALID_PROTOCOL_FORMAT);
    request[3] = ws_header("X-Not-The-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 8, &response, &count),
             E_INVALID_PROTOCOL_FORMAT);
    request[3] = ws_header("SEC-WEBSOCKET-KEY", "dGhlIHNhbXBsZSBub25jZQ==");
    request[1] = ws_header("Upgrade", "h2c");
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 8, &response, &count),
             E_INVALID_PROTOCOL_FORMAT);
    request[1] = ws_header("Upgrade", "WebSocket");
    request[6] = ws_header("Sec-WebSocket-Version", "8");
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 8, &response, &count),
             E_PROTOCOL_VERSION_NOT_SUPPORTED);
    request[6] = ws_header("Sec-WebSocket-Version", " 13 ");
    CHECK_EQ(WebSocketBeginServerHandshake(h, NULL, NULL, 0, request, 8, &response, &count), S_OK);
    CHECK_STR(ws_find(response, count, "Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    WebSocketDeleteHandle(h);
    WebSocketDeleteHandle(NULL);

    /* Properties out of their documented ranges. */
    props[0].pvValue = &tooSmall;
    CHECK_EQ(WebSocketCreateServerHandle(props, 1, &h), E_INVALIDARG);
    CHECK(h == NULL);
    props[0].pvValue = &receive;
    props[0].ulValueSize = 2;
    CHECK_EQ(WebSocketCreateServerHandle(props, 1, &h), E_INVALIDARG);
    props[0].ulValueSize = sizeof receive;
    props[0].Type = (WEB_SOCKET_PROPERTY_TYPE)42;
    CHECK_EQ(WebSocketCreateServerHandle(props, 1, &h), E_INVALIDARG);
    CHECK_EQ(WebSocketCreateServerHandle(NULL, 0, NULL), E_INVALIDARG);
}

#endif /* IISHOST_COMPAT_WEBSOCKET_TESTS_H */
