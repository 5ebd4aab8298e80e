// Text: UTF-8 and WCHAR conversions, HRESULTs and GUIDs as the log writes them, and the host's
// log (wide_strings.cpp, http_trace_context.cpp).
#pragma once

#include <string>

#include "arena.h"
#include "forward.h"

namespace iishost {

// UTF-8 to WCHAR (UTF-16 on Windows, UTF-32 on Linux; utf_convert.h) and back, into request
// memory. Lengths are in WCHARs, without the NUL.
WCHAR *Widen(Arena &arena, const char *s, size_t len, size_t *outLen = nullptr);

char *Narrow(Arena &arena, const WCHAR *s, size_t len, size_t *outLen = nullptr);

// How many WCHARs Widen makes of s (a character beyond U+FFFF is two on Windows).
size_t WideLength(const char *s, size_t len);

std::wstring WidenString(const std::string &s);

std::string NarrowString(const WCHAR *s);

// Whether two names are equal ignoring case (towlower, code unit by code unit), as wcscasecmp
// compares them where the C library has it.
bool WideEqualFold(const WCHAR *a, const WCHAR *b);

// The Win32 code an HRESULT carries, as HTTP.sys logs it (sc-win32-status); 0 for success and
// for errors of other facilities.
inline uint32_t Win32Status(HRESULT hr)
{
    return FAILED(hr) && HRESULT_FACILITY(hr) == FACILITY_WIN32 ? HRESULT_CODE(hr) : 0;
}

// Logs through the Go host's logger (the default one when host is null).
// level: 0 debug, 1 info, 2 warn, 3 error.
void Log(HostInstance *host, int level, const std::string &module, const std::string &message);

// A GUID as text, upper case, without braces.
std::string GuidText(const GUID &g);

} // namespace iishost
