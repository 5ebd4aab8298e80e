// UTF-8 and wide text, for either width of wide character: WCHAR is UTF-16 on Windows and
// UTF-32 on Linux. The code-unit type is a template parameter so both forms are built and tested
// on every platform (testdata/utf_convert_test.cpp). No input is lost silently: malformed UTF-8,
// lone surrogates and values beyond U+10FFFF come out as U+FFFD.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace iishost {

const uint32_t kReplacementChar = 0xFFFD;

inline bool IsSurrogate(uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }

// Decodes one UTF-8 sequence from s (len > 0 bytes) into *cp and returns the bytes it used.
// Overlong forms, surrogates and values beyond U+10FFFF are malformed: one byte, U+FFFD.
inline size_t DecodeUtf8(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t need = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 99;
    if (need == 0) {
        *cp = c;
        return 1;
    }
    *cp = kReplacementChar;
    if (need > 3 || need >= len) {
        return 1;
    }
    uint32_t v = c & (0x3F >> need);
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    static const uint32_t kLeast[] = {0, 0x80, 0x800, 0x10000};
    if (v < kLeast[need] || v > 0x10FFFF || IsSurrogate(v)) {
        return 1;
    }
    *cp = v;
    return need + 1;
}

// Writes cp as UTF-8 (at most 4 bytes) and returns the bytes written. cp must be a scalar value.
inline size_t EncodeUtf8(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        out[0] = static_cast<char>(cp);
        return 1;
    }
    if (cp < 0x800) {
        out[0] = static_cast<char>(0xC0 | (cp >> 6));
        out[1] = static_cast<char>(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = static_cast<char>(0xE0 | (cp >> 12));
        out[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<char>(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = static_cast<char>(0xF0 | (cp >> 18));
    out[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out[3] = static_cast<char>(0x80 | (cp & 0x3F));
    return 4;
}

// The most UTF-8 bytes one wide code unit can produce (a surrogate pair: 4 bytes for 2 units).
const size_t kMaxUtf8PerWideUnit = 4;

// Wide text in code units of type Unit: 2 bytes (UTF-16, surrogate pairs beyond U+FFFF) or
// 4 bytes (UTF-32).
template <typename Unit> struct WideForm {
    static_assert(sizeof(Unit) == 2 || sizeof(Unit) == 4, "wide text is UTF-16 or UTF-32");
    static const bool kUtf16 = sizeof(Unit) == 2;

    // Code units cp takes: 2 for a UTF-16 surrogate pair, otherwise 1.
    static size_t Units(uint32_t cp) { return kUtf16 && cp > 0xFFFF ? 2 : 1; }

    // Writes scalar value cp and returns the units written.
    static size_t Encode(uint32_t cp, Unit *out)
    {
        if (kUtf16 && cp > 0xFFFF) {
            cp -= 0x10000;
            out[0] = static_cast<Unit>(0xD800 | (cp >> 10));
            out[1] = static_cast<Unit>(0xDC00 | (cp & 0x3FF));
            return 2;
        }
        out[0] = static_cast<Unit>(cp);
        return 1;
    }

    // Decodes one character from s (len > 0 units) and returns the units used; a lone surrogate
    // (either half) or a UTF-32 value that is no scalar value gives U+FFFD for one unit.
    static size_t Decode(const Unit *s, size_t len, uint32_t *cp)
    {
        uint32_t u = static_cast<uint32_t>(s[0]);
        if (kUtf16 && u >= 0xD800 && u <= 0xDBFF && len > 1) {
            uint32_t low = static_cast<uint32_t>(s[1]);
            if (low >= 0xDC00 && low <= 0xDFFF) {
                *cp = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
                return 2;
            }
        }
        *cp = IsSurrogate(u) || u > 0x10FFFF ? kReplacementChar : u;
        return 1;
    }

    // Converts len bytes of UTF-8 into out, which has room for len units (no UTF-8 sequence
    // makes more units than it has bytes), and returns the units written. No terminator.
    static size_t FromUtf8(const char *s, size_t len, Unit *out)
    {
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            unsigned char c = static_cast<unsigned char>(s[i]);
            if (c < 0x80) { // ASCII, the common case for URLs and headers
                out[n++] = static_cast<Unit>(c);
                i++;
                continue;
            }
            uint32_t cp;
            i += DecodeUtf8(reinterpret_cast<const unsigned char *>(s) + i, len - i, &cp);
            n += Encode(cp, out + n);
        }
        return n;
    }

    // The units FromUtf8 makes of len bytes of UTF-8.
    static size_t LengthOfUtf8(const char *s, size_t len)
    {
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp = static_cast<unsigned char>(s[i]);
            i += cp < 0x80 ? 1 : DecodeUtf8(reinterpret_cast<const unsigned char *>(s) + i, len - i, &cp);
            n += Units(cp);
        }
        return n;
    }

    // Converts len units into out, which has room for len * kMaxUtf8PerWideUnit bytes, and
    // returns the bytes written. No terminator.
    static size_t ToUtf8(const Unit *s, size_t len, char *out)
    {
        size_t n = 0;
        for (size_t i = 0; i < len;) {
            uint32_t cp;
            i += Decode(s + i, len - i, &cp);
            n += EncodeUtf8(cp, out + n);
        }
        return n;
    }
};

} // namespace iishost
