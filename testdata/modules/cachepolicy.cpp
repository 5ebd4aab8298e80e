// cachepolicy.cpp - fixture: IHttpResponse::GetCachePolicy (IHttpCachePolicy2).
//
// Contract (registers RQ_BEGIN_REQUEST, RQ_EXECUTE_REQUEST_HANDLER, RQ_END_REQUEST):
// BEGIN sets response header "X-Initial: <state>" from the fresh policy.
// EXECUTE applies the query's operations, in this order, then answers 200 text/plain with
// body "<state>":
//   vary=A~B     AppendVaryByHeader("A"), then ("B") ('~' separates calls; "vary=~" adds none)
//   nullvary=1   AppendVaryByHeader(NULL); its HRESULT goes to header X-Null-Vary
//   qs=a~b       AppendVaryByQueryString per item
//   value=v      SetVaryByValue("v")
//   disable=1 DisableUserCache, cached=1 SetIsCached, force=1 SetForceUpdate,
//   invalidator=1 SetKernelCacheInvalidatorSet
//   ttl=N        kernel policy {HttpCachePolicyTimeToLive, N}, user policy
//                {HttpCachePolicyUserInvalidates, 0}, through the returned pointers
//   own=V        sets response header "Vary: V" itself
// END sets "X-End: <state>", read back in a later notification.
// <state> is "vary=<GetVaryByHeaders>;qs=<GetVaryByQueryStrings>;value=<GetVaryByValue or
// (null)>;user=<IsUserCacheEnabled>;cached=<IsCached>;force=<IsForceUpdateSet>;
// invalidator=<GetKernelCacheInvalidatorSet>;kernel=<Policy>/<SecondsToLive>;
// userpolicy=<Policy>/<SecondsToLive>", booleans as 0/1.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <cstdlib>
#include <string>

#include "fixture.h"

namespace {

std::string Str(PCSTR s) { return s ? std::string(s) : std::string("(null)"); }

std::string State(IHttpCachePolicy2* p) {
    HTTP_CACHE_POLICY* k = p->GetKernelCachePolicy();
    HTTP_CACHE_POLICY* u = p->GetUserCachePolicy();
    return "vary=" + Str(p->GetVaryByHeaders()) + ";qs=" + Str(p->GetVaryByQueryStrings()) +
           ";value=" + Str(p->GetVaryByValue()) + ";user=" + std::to_string(p->IsUserCacheEnabled() ? 1 : 0) +
           ";cached=" + std::to_string(p->IsCached() ? 1 : 0) + ";force=" + std::to_string(p->IsForceUpdateSet() ? 1 : 0) +
           ";invalidator=" + std::to_string(p->GetKernelCacheInvalidatorSet() ? 1 : 0) +
           ";kernel=" + std::to_string(static_cast<int>(k->Policy)) + "/" + std::to_string(k->SecondsToLive) +
           ";userpolicy=" + std::to_string(static_cast<int>(u->Policy)) + "/" + std::to_string(u->SecondsToLive);
}

IHttpCachePolicy2* Policy(IHttpContext* ctx) {
    return static_cast<IHttpCachePolicy2*>(ctx->GetResponse()->GetCachePolicy());
}

void SetHeader(IHttpContext* ctx, PCSTR name, const std::string& v) {
    ctx->GetResponse()->SetHeader(name, v.c_str(), static_cast<USHORT>(v.size()), TRUE);
}

template <class Fn> void EachItem(const std::string& list, Fn fn) {
    size_t pos = 0;
    while (pos < list.size()) {
        size_t end = list.find('~', pos);
        if (end == std::string::npos) end = list.size();
        if (end > pos) fn(list.substr(pos, end - pos));
        pos = end + 1;
    }
}

class CachePolicyModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnBeginRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        SetHeader(ctx, "X-Initial", State(Policy(ctx)));
        return RQ_NOTIFICATION_CONTINUE;
    }

    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        IHttpCachePolicy2* p = Policy(ctx);
        std::string q = fx::Query(ctx);
        EachItem(fx::QueryParam(q, "vary"), [p](const std::string& h) { p->AppendVaryByHeader(h.c_str()); });
        if (fx::QueryParam(q, "nullvary") == "1") SetHeader(ctx, "X-Null-Vary", fx::Hex(p->AppendVaryByHeader(nullptr)));
        EachItem(fx::QueryParam(q, "qs"), [p](const std::string& a) { p->AppendVaryByQueryString(a.c_str()); });
        std::string value = fx::QueryParam(q, "value");
        if (!value.empty()) p->SetVaryByValue(value.c_str());
        if (fx::QueryParam(q, "disable") == "1") p->DisableUserCache();
        if (fx::QueryParam(q, "cached") == "1") p->SetIsCached();
        if (fx::QueryParam(q, "force") == "1") p->SetForceUpdate();
        if (fx::QueryParam(q, "invalidator") == "1") p->SetKernelCacheInvalidatorSet();
        std::string ttl = fx::QueryParam(q, "ttl");
        if (!ttl.empty()) {
            p->GetKernelCachePolicy()->Policy = HttpCachePolicyTimeToLive;
            p->GetKernelCachePolicy()->SecondsToLive = static_cast<ULONG>(std::strtoul(ttl.c_str(), nullptr, 10));
            p->GetUserCachePolicy()->Policy = HttpCachePolicyUserInvalidates;
        }
        std::string own = fx::QueryParam(q, "own");
        fx::Reply(ctx, State(p));
        if (!own.empty()) SetHeader(ctx, "Vary", own);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

    REQUEST_NOTIFICATION_STATUS OnEndRequest(IHttpContext* ctx, IHttpEventProvider*) override {
        SetHeader(ctx, "X-End", State(Policy(ctx)));
        return RQ_NOTIFICATION_CONTINUE;
    }
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    auto* f = new fx::Factory<CachePolicyModule>();
    HRESULT hr = info->SetRequestNotifications(f, RQ_BEGIN_REQUEST | RQ_EXECUTE_REQUEST_HANDLER | RQ_END_REQUEST, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
