// metadata.cpp - fixture: IMetadataInfo, IReferencedMetadataInfo and IHttpUrlInfo.
//
// Contract (registers RQ_EXECUTE_REQUEST_HANDLER; answers 200 text/plain and finishes):
//   /meta    body "<GetMetaPath>|<GetVrPath>|seen=<n>|same=<0/1>": n counts requests to /meta
//            through a stored context in GetMetadata()->GetModuleContextContainer(); same says
//            whether IHttpServer2::GetMetadata(site, "/") has the same container.
//   /ref?site=S&url=U   IHttpServer2 (from GetExtendedInterface(HTTP_SERVER_INTERFACE_V2))
//            ::GetMetadata(S, U): body "<hr>" and, on success, " <GetMetaPath>|<GetVrPath>";
//            the reference is taken once more and released twice.
//   anything else: body "frequent=<IsFrequentlyHit 0/1> seen=<n> same=<0/1>": n counts the
//            requests to this path through a stored context in GetUrlInfo()'s container;
//            same says whether a second GetUrlInfo() returns the same object.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <atomic>
#include <string>

#include "fixture.h"

namespace {

class Counter final : public IHttpStoredContext {
public:
    std::atomic<int> n{0};
    void CleanupStoredContext() override { delete this; }
};

// Count increments the counter stored in a container under id, creating it the first time.
int Count(IHttpModuleContextContainer* c, HTTP_MODULE_ID id) {
    auto* counter = static_cast<Counter*>(c->GetModuleContext(id));
    if (counter == nullptr) {
        counter = new Counter();
        if (FAILED(c->SetModuleContext(counter, id))) {  // another request stored one first
            delete counter;
            counter = static_cast<Counter*>(c->GetModuleContext(id));
        }
    }
    return ++counter->n;
}

class MetadataModule final : public CHttpModule {
public:
    MetadataModule(HTTP_MODULE_ID id, IHttpServer* server) : id_(id), server_(server) {}
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        std::string path = fx::AbsPath(ctx), q = fx::Query(ctx), body;
        IHttpServer2* server2 = nullptr;
        server_->GetExtendedInterface(HTTP_SERVER_INTERFACE_V2, reinterpret_cast<PVOID*>(&server2));
        if (path == "/meta") {
            IMetadataInfo* m = ctx->GetMetadata();
            int seen = Count(m->GetModuleContextContainer(), id_);
            IReferencedMetadataInfo* ref = nullptr;
            bool same = SUCCEEDED(server2->GetMetadata(ctx->GetSite()->GetSiteName(), L"/", &ref)) &&
                        ref->GetModuleContextContainer() == m->GetModuleContextContainer();
            if (ref) ref->DereferenceMetadata();
            body = fx::Utf8(m->GetMetaPath()) + "|" + fx::Utf8(m->GetVrPath()) + "|seen=" + std::to_string(seen) +
                   "|same=" + (same ? "1" : "0");
        } else if (path == "/ref") {
            std::wstring site = fx::Wide(fx::QueryParam(q, "site")), url = fx::Wide(fx::QueryParam(q, "url"));
            for (auto& c : site) if (c == L'+') c = L' ';
            IReferencedMetadataInfo* ref = nullptr;
            HRESULT hr = server2->GetMetadata(site.c_str(), url.c_str(), &ref);
            body = fx::Hex(hr);
            if (SUCCEEDED(hr)) {
                ref->ReferenceMetadata();
                ref->DereferenceMetadata();
                body += " " + fx::Utf8(ref->GetMetaPath()) + "|" + fx::Utf8(ref->GetVrPath());
                ref->DereferenceMetadata();
            }
        } else {
            IHttpUrlInfo* u = ctx->GetUrlInfo();
            int seen = Count(u->GetModuleContextContainer(), id_);
            body = std::string("frequent=") + (u->IsFrequentlyHit() ? "1" : "0") + " seen=" + std::to_string(seen) +
                   " same=" + (ctx->GetUrlInfo() == u ? "1" : "0");
        }
        fx::Reply(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }

private:
    HTTP_MODULE_ID id_;
    IHttpServer* server_;
};


}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    auto* f = new fx::FactoryOf<MetadataModule, HTTP_MODULE_ID, IHttpServer*>(info->GetId(), server);
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) delete f;
    return hr;
}
