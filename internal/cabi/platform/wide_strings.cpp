#include <wchar.h>
#include <wctype.h>

#include "arena.h"
#include "callbacks.h"
#include "forward.h"
#include "host_instance.h"
#include "utf_convert.h"
#include "wide_strings.h"

namespace iishost {

using Wide = WideForm<WCHAR>;

WCHAR *Widen(Arena &arena, const char *s, size_t len, size_t *outLen)
{
    WCHAR *out = static_cast<WCHAR *>(arena.Allocate((len + 1) * sizeof(WCHAR)));
    if (!out) {
        return nullptr;
    }
    size_t n = Wide::FromUtf8(s, len, out);
    out[n] = 0;
    if (outLen) {
        *outLen = n;
    }
    return out;
}

char *Narrow(Arena &arena, const WCHAR *s, size_t len, size_t *outLen)
{
    char *out = static_cast<char *>(arena.Allocate(len * kMaxUtf8PerWideUnit + 1));
    if (!out) {
        return nullptr;
    }
    size_t n = Wide::ToUtf8(s, len, out);
    out[n] = 0;
    if (outLen) {
        *outLen = n;
    }
    return out;
}

size_t WideLength(const char *s, size_t len) { return Wide::LengthOfUtf8(s, len); }

std::wstring WidenString(const std::string &s)
{
    std::wstring out(s.size(), L'\0');
    out.resize(Wide::FromUtf8(s.data(), s.size(), &out[0]));
    return out;
}

std::string NarrowString(const WCHAR *s)
{
    size_t len = s ? wcslen(s) : 0;
    std::string out(len * kMaxUtf8PerWideUnit, '\0');
    out.resize(Wide::ToUtf8(s, len, &out[0]));
    return out;
}

bool WideEqualFold(const WCHAR *a, const WCHAR *b)
{
    for (; *a && *b; a++, b++) {
        if (*a != *b && towlower(*a) != towlower(*b)) {
            return false;
        }
    }
    return *a == *b;
}

void Log(HostInstance *host, int level, const std::string &module, const std::string &message)
{
    iisgoLog(host ? host->goId : 0, level, const_cast<char *>(module.c_str()), const_cast<char *>(message.c_str()));
}

} // namespace iishost
