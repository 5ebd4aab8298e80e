// globalraised.cpp - fixture: GL_APPLICATION_START, GL_APPLICATION_RESOLVE_MODULES and
// GL_CACHE_OPERATION as the host raises them at startup and for static files.
//
// Contract. Load under several names; each registration makes a CGlobalModule subscribed to
// those three events (and to GL_RSCA_QUERY when the name ends in "-rsca"), and a request
// module for RQ_EXECUTE_REQUEST_HANDLER. Events append lines to a process-wide list:
//   <name> ApplicationStart <GetApplication()->GetAppConfigPath()>
//   <name> ApplicationResolveModules <GetApplication()->GetAppConfigPath()> register=<hr>
//          (hr: the provider's RegisterModule for a module of this fixture, as hex)
//   <name> CacheOperation <retrieve|add|delete|other> <file name of the FILE key>
// Terminate clears the list.
// Requests:
//   /lines     (the first module in the plan) body: the lines so far, each + "\n", and
//              clears them; 200 text/plain
//   otherwise  the module continues: the host's static files serve the request
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>
#include <httpcach.h>

#include <mutex>
#include <string>
#include <vector>

#include "fixture.h"

namespace {

std::mutex g_lock;
std::vector<std::string> g_lines;

void Add(const std::string& line) {
    std::lock_guard<std::mutex> guard(g_lock);
    g_lines.push_back(line);
}

class LinesModule final : public CHttpModule {
public:
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        if (fx::AbsPath(ctx) != "/lines") return RQ_NOTIFICATION_CONTINUE;
        std::string body;
        {
            std::lock_guard<std::mutex> guard(g_lock);
            for (const std::string& l : g_lines) body += l + "\n";
            g_lines.clear();
        }
        fx::Reply(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
};

class LinesFactory final : public IHttpModuleFactory {
public:
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new LinesModule();
        return S_OK;
    }
    void Terminate() override { delete this; }
};

class RaisedGlobal final : public CGlobalModule {
public:
    RaisedGlobal(std::string name, HTTP_MODULE_ID id) : name_(std::move(name)), id_(id) {}
    GLOBAL_NOTIFICATION_STATUS OnGlobalApplicationStart(IHttpApplicationStartProvider* p) override {
        Add(name_ + " ApplicationStart " + fx::Utf8(p->GetApplication()->GetAppConfigPath()));
        return GL_NOTIFICATION_CONTINUE;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalApplicationResolveModules(IHttpApplicationResolveModulesProvider* p) override {
        auto* f = new LinesFactory();
        HRESULT hr = p->RegisterModule(id_, f, L"resolved", L"", L"", RQ_EXECUTE_REQUEST_HANDLER, 0);
        if (FAILED(hr)) f->Terminate();
        Add(name_ + " ApplicationResolveModules " + fx::Utf8(p->GetApplication()->GetAppConfigPath()) +
            " register=" + fx::Hex(hr));
        return GL_NOTIFICATION_CONTINUE;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalCacheOperation(ICacheProvider* p) override {
        IHttpCacheKey* key = p->GetCacheKey();
        std::string file;
        if (key && fx::Utf8(key->GetCacheName()) == "FILE") {
            file = fx::Utf8(static_cast<IFileKey*>(key)->GetPath());
            file = file.substr(file.rfind('/') + 1);
        }
        const char* kind = "other";
        switch (p->GetCacheOperation()) {
        case CACHE_OPERATION_RETRIEVE: kind = "retrieve"; break;
        case CACHE_OPERATION_ADD: kind = "add"; break;
        case CACHE_OPERATION_DELETE: kind = "delete"; break;
        default: break;
        }
        Add(name_ + " CacheOperation " + kind + " " + file);
        return GL_NOTIFICATION_CONTINUE;
    }
    // The list is process-wide and the library stays loaded: a server's lines end with it.
    void Terminate() override {
        std::lock_guard<std::mutex> guard(g_lock);
        g_lines.clear();
        delete this;
    }

private:
    std::string name_;
    HTTP_MODULE_ID id_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    auto* f = new LinesFactory();
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) {
        delete f;
        return hr;
    }
    std::string name = fx::Utf8(info->GetName());
    DWORD events = GL_APPLICATION_START | GL_APPLICATION_RESOLVE_MODULES | GL_CACHE_OPERATION;
    if (name.size() > 5 && name.compare(name.size() - 5, 5, "-rsca") == 0) events |= GL_RSCA_QUERY;
    return info->SetGlobalNotifications(new RaisedGlobal(name, info->GetId()), events);
}
