#include "arena.h"
#include "callbacks.h"
#include "forward.h"
#include "host_instance.h"
#include "wide_strings.h"

namespace iishost {

// Decodes one UTF-8 sequence; invalid bytes come out as U+FFFD so no input is lost silently.
static size_t DecodeUtf8(const unsigned char *s, size_t len, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t need = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : 99;
    if (need == 0) {
        *cp = c;
        return 1;
    }
    if (need > 3 || need >= len) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = c & (0x3F >> need);
    for (size_t i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    *cp = v;
    return need + 1;
}

static size_t EncodeUtf8(uint32_t cp, char *out)
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

WCHAR *Widen(Arena &arena, const char *s, size_t len, size_t *outLen)
{
    WCHAR *out = static_cast<WCHAR *>(arena.Allocate((len + 1) * sizeof(WCHAR)));
    if (!out) {
        return nullptr;
    }
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) { // ASCII, the common case for URLs and headers
            out[n++] = c;
            i++;
            continue;
        }
        uint32_t cp;
        i += DecodeUtf8(reinterpret_cast<const unsigned char *>(s) + i, len - i, &cp);
        out[n++] = static_cast<WCHAR>(cp);
    }
    out[n] = 0;
    if (outLen) {
        *outLen = n;
    }
    return out;
}

char *Narrow(Arena &arena, const WCHAR *s, size_t len, size_t *outLen)
{
    char *out = static_cast<char *>(arena.Allocate(len * 4 + 1));
    if (!out) {
        return nullptr;
    }
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += EncodeUtf8(static_cast<uint32_t>(s[i]), out + n);
    }
    out[n] = 0;
    if (outLen) {
        *outLen = n;
    }
    return out;
}

size_t WideLength(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        uint32_t cp;
        i += static_cast<unsigned char>(s[i]) < 0x80 ? 1 : DecodeUtf8(reinterpret_cast<const unsigned char *>(s) + i, len - i, &cp);
    }
    return n;
}

std::wstring WidenString(const std::string &s)
{
    std::wstring out;
    for (size_t i = 0; i < s.size();) {
        uint32_t cp;
        i += DecodeUtf8(reinterpret_cast<const unsigned char *>(s.data()) + i, s.size() - i, &cp);
        out.push_back(static_cast<wchar_t>(cp));
    }
    return out;
}

std::string NarrowString(const WCHAR *s)
{
    std::string out;
    char buf[4];
    for (; s && *s; s++) {
        out.append(buf, EncodeUtf8(static_cast<uint32_t>(*s), buf));
    }
    return out;
}

void Log(HostInstance *host, int level, const std::string &module, const std::string &message)
{
    iisgoLog(host ? host->goId : 0, level, const_cast<char *>(module.c_str()), const_cast<char *>(message.c_str()));
}

} // namespace iishost
