// IHttpCachePolicy: the per-request output-cache policy IHttpResponse::GetCachePolicy hands out. iishost has no kernel or
// user-mode output cache, so most of it is state a module records and other modules read back;
// the vary-by headers also reach the client as a Vary header (ApplyCachePolicy).
#include <string.h>

#include "forward.h"
#include "headers.h"
#include "http_cache_policy.h"
#include "http_response.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

void HostCachePolicy::Reset()
{
    kernel = HTTP_CACHE_POLICY{};
    user = HTTP_CACHE_POLICY{};
    varyHeaders = varyQueries = "";
    varyValue = nullptr;
    userCacheEnabled = TRUE;
    cached = invalidatorSet = forceUpdate = FALSE;
}

// Appends item to a comma-separated list in request memory, as IIS documents its buffer.
static HRESULT AppendToList(RequestState *st, const char **list, PCSTR item)
{
    if (!item) {
        return S_OK; // documented: a NULL item is accepted and ignored
    }
    size_t old = strlen(*list), n = strlen(item);
    char *grown = static_cast<char *>(st->arena.Allocate(old + n + 2));
    if (!grown) {
        return E_OUTOFMEMORY;
    }
    memcpy(grown, *list, old);
    size_t at = old;
    if (old) {
        grown[at++] = ',';
    }
    memcpy(grown + at, item, n + 1);
    *list = grown;
    return S_OK;
}

HTTP_CACHE_POLICY *HostCachePolicy::GetKernelCachePolicy() { return &kernel; }
void HostCachePolicy::SetKernelCacheInvalidatorSet() { invalidatorSet = TRUE; }
HTTP_CACHE_POLICY *HostCachePolicy::GetUserCachePolicy() { return &user; }
HRESULT HostCachePolicy::AppendVaryByHeader(PCSTR header) { return AppendToList(st, &varyHeaders, header); }
PCSTR HostCachePolicy::GetVaryByHeaders() const { return varyHeaders; }
HRESULT HostCachePolicy::AppendVaryByQueryString(PCSTR param) { return AppendToList(st, &varyQueries, param); }
PCSTR HostCachePolicy::GetVaryByQueryStrings() const { return varyQueries; }

HRESULT HostCachePolicy::SetVaryByValue(PCSTR value)
{
    if (!value) {
        varyValue = nullptr;
        return S_OK;
    }
    char *copy = st->arena.CopyString(value, strlen(value));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    varyValue = copy;
    return S_OK;
}

PCSTR HostCachePolicy::GetVaryByValue() const { return varyValue; }
BOOL HostCachePolicy::IsUserCacheEnabled() const { return userCacheEnabled; }
// Documented as one-way: nothing turns the user cache back on for this request.
void HostCachePolicy::DisableUserCache() { userCacheEnabled = FALSE; }
BOOL HostCachePolicy::IsCached() const { return cached; }
void HostCachePolicy::SetIsCached() { cached = TRUE; }
BOOL HostCachePolicy::GetKernelCacheInvalidatorSet() const { return invalidatorSet; }
BOOL HostCachePolicy::IsForceUpdateSet() const { return forceUpdate; }
void HostCachePolicy::SetForceUpdate() { forceUpdate = TRUE; }

// The vary-by headers are what a cache keyed on this response must vary on, which is what a
// Vary header tells downstream caches. The host adds one when modules appended vary-by headers
// and none set Vary themselves: a module's own Vary header is its deliberate answer.
void ApplyCachePolicy(RequestState *st)
{
    const char *vary = st->cachePolicy.varyHeaders;
    if (!*vary || st->out.headersSent || !ValidHeaderValue(vary, strlen(vary))) {
        return;
    }
    USHORT len = 0;
    if (st->out.responseHeaders.Get(HttpHeaderVary, &len)) {
        return;
    }
    st->out.responseHeaders.Set(st->arena, HttpHeaderVary, vary, strlen(vary), true);
}

} // namespace iishost
