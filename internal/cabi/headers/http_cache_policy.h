// IHttpCachePolicy (http_cache_policy.cpp).
#pragma once

#include "forward.h"

namespace iishost {

// The output-cache policy of one request (http_cache_policy.cpp).
class HostCachePolicy : public IHttpCachePolicy2Stub {
public:
    RequestState *st = nullptr;
    HTTP_CACHE_POLICY kernel{}, user{};
    const char *varyHeaders = "", *varyQueries = ""; // comma-separated, in request memory
    const char *varyValue = nullptr;
    BOOL userCacheEnabled = TRUE, cached = FALSE, invalidatorSet = FALSE, forceUpdate = FALSE;
    void Reset();
    HTTP_CACHE_POLICY *GetKernelCachePolicy() override;
    void SetKernelCacheInvalidatorSet() override;
    HTTP_CACHE_POLICY *GetUserCachePolicy() override;
    HRESULT AppendVaryByHeader(PCSTR header) override;
    PCSTR GetVaryByHeaders() const override;
    HRESULT AppendVaryByQueryString(PCSTR param) override;
    PCSTR GetVaryByQueryStrings() const override;
    HRESULT SetVaryByValue(PCSTR value) override;
    PCSTR GetVaryByValue() const override;
    BOOL IsUserCacheEnabled() const override;
    void DisableUserCache() override;
    BOOL IsCached() const override;
    void SetIsCached() override;
    BOOL GetKernelCacheInvalidatorSet() const override;
    BOOL IsForceUpdateSet() const override;
    void SetForceUpdate() override;
};

} // namespace iishost
