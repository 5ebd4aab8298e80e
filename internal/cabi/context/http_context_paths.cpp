// IHttpContext's view of where a request maps on disk, and where it sits among requests.
#include <string.h>

#include <string>
#include <utility>
#include <vector>

#include "bridge.h"
#include "forward.h"
#include "http_context.h"
#include "http_context_paths.h"
#include "http_site.h"
#include "pipeline.h"
#include "providers.h"
#include "request_state.h"
#include "script_map_info.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

// CanonicalUrlPath applies HTTP.sys's rule (internal/frontdoor/canonical.go) to a URL path a
// module gives: '\' is a separator, empty and "." segments go, ".." drops the segment before
// it, a trailing separator stays. It fails on a ".." above the root and on control characters
// (C0, DEL and C1, as the front door).
bool CanonicalUrlPath(const char *url, size_t len, std::string *out)
{
    std::vector<std::pair<size_t, size_t>> segments; // offset, length in url
    size_t i = 0;
    while (i < len) {
        size_t start = i;
        while (i < len && url[i] != '/' && url[i] != '\\') {
            unsigned char c = static_cast<unsigned char>(url[i]);
            unsigned char next = i + 1 < len ? static_cast<unsigned char>(url[i + 1]) : 0;
            // C0 controls, DEL, and the C1 controls U+0080..U+009F (UTF-8 C2 80..C2 9F).
            if (c < 0x20 || c == 0x7f || (c == 0xc2 && next >= 0x80 && next <= 0x9f)) {
                return false;
            }
            i++;
        }
        size_t n = i - start;
        if (n == 2 && url[start] == '.' && url[start + 1] == '.') {
            if (segments.empty()) {
                return false;
            }
            segments.pop_back();
        } else if (n > 0 && !(n == 1 && url[start] == '.')) {
            segments.emplace_back(start, n);
        }
        i++; // past the separator
    }
    size_t lastStart = len;
    while (lastStart > 0 && url[lastStart - 1] != '/' && url[lastStart - 1] != '\\') {
        lastStart--;
    }
    size_t lastLen = len - lastStart;
    bool trailing = lastLen == 0 || (lastLen == 1 && url[lastStart] == '.') ||
                    (lastLen == 2 && url[lastStart] == '.' && url[lastStart + 1] == '.');
    out->clear();
    for (const auto &seg : segments) {
        out->push_back('/');
        out->append(url + seg.first, seg.second);
    }
    if (trailing || segments.empty()) {
        out->push_back('/');
    }
    return true;
}

// PhysicalPathOf maps a URL path of the request's site: the folder of the virtual directory
// with the longest URL the canonical path lies under, joined with the rest of the path, with
// '/' separators as Linux has them. A relative URL resolves against the directory of the
// request's own. It returns "" for a URL that would leave the site's root, which IIS refuses too.
std::string PhysicalPathOf(const RequestState *st, const char *url, size_t len)
{
    std::string joined;
    if (len == 0 || (url[0] != '/' && url[0] != '\\')) {
        joined.assign(st->in.path, st->in.pathLen);
        joined.erase(joined.rfind('/') + 1);
    }
    joined.append(url, len);
    std::string clean;
    if (!CanonicalUrlPath(joined.data(), joined.size(), &clean)) {
        return std::string();
    }
    const VirtualDirectory *dir = DirectoryFor(st->site, clean.data(), clean.size());
    if (!dir) {
        return std::string();
    }
    return dir->physicalPath + clean.substr(dir->url.size());
}

std::string MapUrl(RequestState *st, const char *url, size_t len)
{
    std::string path = PhysicalPathOf(st, url, len);
    if (path.empty() || RequestPlan(st, IIS_LIST_MAP_PATH).empty() || st->pipeline.currentNotification == RQ_MAP_PATH) {
        return path;
    }
    // RQ_MAP_PATH lets modules see, and change, where a URL maps.
    MapPathProvider provider;
    provider.st = st;
    provider.url = Widen(st->arena, url, len);
    provider.physicalPath = Widen(st->arena, path.data(), path.size());
    if (!provider.url || !provider.physicalPath) {
        return path;
    }
    RaiseNotification(st, IIS_LIST_MAP_PATH, RQ_MAP_PATH,
                      [st, &provider](CHttpModule *m) { return m->OnMapPath(&st->context, &provider); });
    return NarrowString(provider.physicalPath);
}

static PCWSTR WideResult(RequestState *st, const std::string &s, DWORD *length)
{
    size_t n = 0;
    WCHAR *w = Widen(st->arena, s.data(), s.size(), &n);
    if (length) {
        *length = w ? static_cast<DWORD>(n) : 0;
    }
    return w;
}

PCWSTR HostContext::GetPhysicalPath(DWORD *length) { return WideResult(st, MapUrl(st, st->in.path, st->in.pathLen), length); }

PCWSTR HostContext::GetScriptTranslated(DWORD *length) { return GetPhysicalPath(length); }

PCWSTR HostContext::GetScriptName(DWORD *length) const
{
    if (st->mapping.scriptNameOverride) { // set by IMapHandlerProvider::SetScriptName
        if (length) {
            *length = static_cast<DWORD>(st->mapping.scriptNameOverrideLen);
        }
        return st->mapping.scriptNameOverride;
    }
    return WideResult(st, std::string(st->in.path, st->in.pathLen), length);
}

HRESULT HostContext::MapPath(PCWSTR url, PWSTR physical, DWORD *bytes)
{
    if (!url || !bytes) {
        return E_INVALIDARG;
    }
    size_t n = 0;
    char *narrow = Narrow(st->arena, url, wcslen(url), &n);
    if (!narrow) {
        return E_OUTOFMEMORY;
    }
    size_t chars = 0;
    std::string path = MapUrl(st, narrow, n);
    if (path.empty()) {
        return E_INVALIDARG; // above the site's root
    }
    WCHAR *mapped = Widen(st->arena, path.data(), path.size(), &chars);
    if (!mapped) {
        return E_OUTOFMEMORY;
    }
    DWORD need = static_cast<DWORD>((chars + 1) * sizeof(WCHAR));
    if (!physical || *bytes < need) {
        *bytes = need; // documented: the size the caller must provide
        return HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER);
    }
    memcpy(physical, mapped, need);
    *bytes = need;
    return S_OK;
}

HRESULT HostContext::NotifyCustomNotification(ICustomNotificationProvider *provider, BOOL *completionExpected)
{
    if (completionExpected) {
        *completionExpected = FALSE; // every subscriber runs before this returns
    }
    if (!provider) {
        return E_INVALIDARG;
    }
    RaiseNotification(st, IIS_LIST_CUSTOM, RQ_CUSTOM_NOTIFICATION,
                      [this, provider](CHttpModule *m) { return m->OnCustomRequestNotification(this, provider); });
    return S_OK;
}

} // namespace iishost

extern "C" int iis_canonical_url_path(const char *url, size_t len, char *out, size_t cap, size_t *out_len)
{
    std::string canonical;
    if (!iishost::CanonicalUrlPath(url, len, &canonical)) {
        return 0;
    }
    *out_len = canonical.size() < cap ? canonical.size() : cap;
    memcpy(out, canonical.data(), *out_len);
    return 1;
}
