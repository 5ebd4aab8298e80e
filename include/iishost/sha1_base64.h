/*
 * iishost/sha1_base64.h - SHA-1 (FIPS 180-4) and base64 (RFC 4648, the
 * standard alphabet with padding), header-only, for websocket.h's
 * Sec-WebSocket-Accept. SHA-1 here serves that handshake, where RFC 6455
 * fixes it; it is no choice for anything that needs collision resistance.
 */
#ifndef IISHOST_SHA1_BASE64_H
#define IISHOST_SHA1_BASE64_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct iishost_sha1_ctx {
    uint32_t h[5];
    uint64_t bytes;     /* message length so far */
    uint8_t block[64];  /* the partial block */
} iishost_sha1_ctx;

static __inline__ uint32_t iishost_rotl32(uint32_t x, int n)
{
    return (x << n) | (x >> (32 - n));
}

static __inline__ void iishost_sha1_init(iishost_sha1_ctx *c)
{
    c->h[0] = 0x67452301u;
    c->h[1] = 0xEFCDAB89u;
    c->h[2] = 0x98BADCFEu;
    c->h[3] = 0x10325476u;
    c->h[4] = 0xC3D2E1F0u;
    c->bytes = 0;
}

/* One 64-byte block into the state. */
static __inline__ void iishost_sha1_block(iishost_sha1_ctx *c, const uint8_t *p)
{
    uint32_t w[80], a = c->h[0], b = c->h[1], d = c->h[3], e = c->h[4], cc = c->h[2], f, k, t;
    int i;
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
    for (i = 16; i < 80; i++)
        w[i] = iishost_rotl32(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (i = 0; i < 80; i++) {
        if (i < 20) {
            f = (b & cc) | (~b & d);
            k = 0x5A827999u;
        } else if (i < 40) {
            f = b ^ cc ^ d;
            k = 0x6ED9EBA1u;
        } else if (i < 60) {
            f = (b & cc) | (b & d) | (cc & d);
            k = 0x8F1BBCDCu;
        } else {
            f = b ^ cc ^ d;
            k = 0xCA62C1D6u;
        }
        t = iishost_rotl32(a, 5) + f + e + k + w[i];
        e = d;
        d = cc;
        cc = iishost_rotl32(b, 30);
        b = a;
        a = t;
    }
    c->h[0] += a;
    c->h[1] += b;
    c->h[2] += cc;
    c->h[3] += d;
    c->h[4] += e;
}

static __inline__ void iishost_sha1_update(iishost_sha1_ctx *c, const void *data, size_t n)
{
    const uint8_t *p = (const uint8_t *)data;
    size_t used = (size_t)(c->bytes % 64);
    c->bytes += n;
    while (n > 0) {
        size_t take = 64 - used < n ? 64 - used : n;
        memcpy(c->block + used, p, take);
        used += take;
        p += take;
        n -= take;
        if (used == 64) {
            iishost_sha1_block(c, c->block);
            used = 0;
        }
    }
}

/* Pads (a 1 bit, zeros, the length in bits big-endian) and writes the 20-byte digest. */
static __inline__ void iishost_sha1_final(iishost_sha1_ctx *c, uint8_t digest[20])
{
    uint64_t bits = c->bytes * 8;
    uint8_t pad[72] = {0x80};
    size_t used = (size_t)(c->bytes % 64), padLen = used < 56 ? 56 - used : 120 - used;
    int i;
    for (i = 0; i < 8; i++)
        pad[padLen + i] = (uint8_t)(bits >> (56 - 8 * i));
    iishost_sha1_update(c, pad, padLen + 8);
    for (i = 0; i < 20; i++)
        digest[i] = (uint8_t)(c->h[i / 4] >> (24 - 8 * (i % 4)));
}

static __inline__ void iishost_sha1(const void *data, size_t n, uint8_t digest[20])
{
    iishost_sha1_ctx c;
    iishost_sha1_init(&c);
    iishost_sha1_update(&c, data, n);
    iishost_sha1_final(&c, digest);
}

/* Writes the base64 of data[0..n) and a terminator to out, which holds 4 * ((n + 2) / 3) + 1
 * characters; returns the length without the terminator. */
static __inline__ size_t iishost_base64_encode(const void *data, size_t n, char *out)
{
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const uint8_t *p = (const uint8_t *)data;
    size_t i, o = 0;
    for (i = 0; i + 2 < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
        out[o++] = digits[v >> 18];
        out[o++] = digits[(v >> 12) & 63];
        out[o++] = digits[(v >> 6) & 63];
        out[o++] = digits[v & 63];
    }
    if (i < n) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0);
        out[o++] = digits[v >> 18];
        out[o++] = digits[(v >> 12) & 63];
        out[o++] = i + 1 < n ? digits[(v >> 6) & 63] : '=';
        out[o++] = '=';
    }
    out[o] = 0;
    return o;
}

/* The value of one base64 digit, or -1. */
static __inline__ int iishost_base64_digit(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/*
 * Decodes padded base64 text[0..n) into out (room for 3 * n / 4 bytes); returns the bytes
 * written, or -1 for text that is not canonical base64 (length not a multiple of 4, a bad
 * digit, misplaced padding, or padding bits that are not zero).
 */
static __inline__ long iishost_base64_decode(const char *text, size_t n, uint8_t *out)
{
    size_t i, o = 0;
    if (n % 4 != 0)
        return -1;
    for (i = 0; i < n; i += 4) {
        int d[4], k, pads = 0;
        uint32_t v = 0;
        for (k = 0; k < 4; k++) {
            if (text[i + k] == '=' && i + 4 == n && k >= 2 && (k == 3 || text[i + 3] == '=')) {
                d[k] = 0;
                pads++;
            } else if ((d[k] = iishost_base64_digit(text[i + k])) < 0 || pads > 0) {
                return -1;
            }
            v = v << 6 | (uint32_t)d[k];
        }
        if ((pads == 1 && (v & 0xFF) != 0) || (pads == 2 && (v & 0xFFFF) != 0))
            return -1;
        out[o++] = (uint8_t)(v >> 16);
        if (pads < 2)
            out[o++] = (uint8_t)(v >> 8);
        if (pads < 1)
            out[o++] = (uint8_t)v;
    }
    return (long)o;
}

#endif /* IISHOST_SHA1_BASE64_H */
