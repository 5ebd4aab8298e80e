// IHttpContext's view of where a request maps on disk, and where it sits among requests.
#include <string.h>

#include <string>

#include "host.h"

namespace iishost {

// PhysicalPathOf maps a URL path under the site root: the root directory joined with the path,
// with '/' separators as Linux has them.
std::string PhysicalPathOf(const RequestState *st, const char *url, size_t len)
{
    std::string root = st->host->site.physicalPath;
    while (!root.empty() && root.back() == '/') {
        root.pop_back();
    }
    if (len == 0 || url[0] != '/') {
        // A relative URL resolves against the directory of the current one.
        std::string dir(st->path, st->pathLen);
        dir.erase(dir.rfind('/') + 1);
        return root + dir + std::string(url, len);
    }
    return root + std::string(url, len);
}

HRESULT MapPathProvider::SetPhysicalPath(PCWSTR path, DWORD length)
{
    if (!path) {
        return E_INVALIDARG;
    }
    size_t n = length ? length : wcslen(path);
    WCHAR *copy = static_cast<WCHAR *>(st->arena.Allocate((n + 1) * sizeof(WCHAR)));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    wmemcpy(copy, path, n);
    copy[n] = 0;
    physicalPath = copy;
    return S_OK;
}

std::string MapUrl(RequestState *st, const char *url, size_t len)
{
    std::string path = PhysicalPathOf(st, url, len);
    if (st->host->plan[IIS_LIST_MAP_PATH].empty() || st->currentNotification == RQ_MAP_PATH) {
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

PCWSTR HostContext::GetPhysicalPath(DWORD *length) { return WideResult(st, MapUrl(st, st->path, st->pathLen), length); }

PCWSTR HostContext::GetScriptTranslated(DWORD *length) { return GetPhysicalPath(length); }

PCWSTR HostContext::GetScriptName(DWORD *length) const
{
    if (st->scriptNameOverride) { // set by IMapHandlerProvider::SetScriptName
        if (length) {
            *length = static_cast<DWORD>(st->scriptNameOverrideLen);
        }
        return st->scriptNameOverride;
    }
    return WideResult(st, std::string(st->path, st->pathLen), length);
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
