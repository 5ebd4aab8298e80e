// globalevents.cpp - fixture: GL_CONFIGURATION_CHANGE, GL_FILE_CHANGE, GL_HEALTH_CHECK and
// GL_THREAD_CLEANUP with their providers.
//
// Contract. Load under several names; each registration makes a CGlobalModule subscribed to
// the four events, and a request module for RQ_EXECUTE_REQUEST_HANDLER. Events append lines
// to a process-wide list:
//   <name> ConfigurationChange <GetChangePath()>
//   <name> FileChange <GetFileName()> monitor=<null|ours|other>   (ours: the monitor /monitor made)
//   <name> HealthCheck
//   <name> ThreadCleanup app=<GetApplication()->GetApplicationId()> disposed=<path>
// where <path> is the cooked path of the last request whose module object was disposed on the
// calling OS thread (Dispose records it), showing the event runs on the thread that finished
// the request. A name ending in "-handled" answers GL_NOTIFICATION_HANDLED.
// Requests (the first module in the plan answers 200 text/plain and finishes):
//   /config?path=P   IHttpServer::NotifyConfigurationChange(L"P"), body "done"
//   /file?path=P     IHttpServer::NotifyFileChange(L"P"), body "done"
//   /events          body: the lines so far, each + "\n", and clears them
//   /monitor?path=D  IHttpServer::RegisterFileChangeMonitor(L"D", NULL, &m): body "<hr>"; on
//                    success keeps m (process-wide) and stores a context in
//                    m->GetModuleContextContainer() whose CleanupStoredContext adds the line
//                    "monitor context cleanup"
//   /unmonitor       m->DereferenceFileMonitor(), body "released"
//   anything else    body "ok"
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <mutex>
#include <string>
#include <vector>

#include "fixture.h"

namespace {

std::mutex g_lock;
std::vector<std::string> g_lines;
thread_local std::string t_disposed = "none";
IHttpFileMonitor* g_monitor = nullptr;  // set and cleared by requests, one at a time in the tests

void Add(const std::string& line) {
    std::lock_guard<std::mutex> guard(g_lock);
    g_lines.push_back(line);
}

class MonitorContext final : public IHttpStoredContext {
public:
    void CleanupStoredContext() override {
        Add("monitor context cleanup");
        delete this;
    }
};

class EventsGlobal final : public CGlobalModule {
public:
    explicit EventsGlobal(std::string name)
        : name_(std::move(name)),
          result_(name_.size() > 8 && name_.compare(name_.size() - 8, 8, "-handled") == 0 ? GL_NOTIFICATION_HANDLED
                                                                                           : GL_NOTIFICATION_CONTINUE) {}
    GLOBAL_NOTIFICATION_STATUS OnGlobalConfigurationChange(IGlobalConfigurationChangeProvider* p) override {
        Add(name_ + " ConfigurationChange " + fx::Utf8(p->GetChangePath()));
        return result_;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalFileChange(IGlobalFileChangeProvider* p) override {
        IHttpFileMonitor* m = p->GetFileMonitor();
        std::string which = m == nullptr ? "null" : (m == g_monitor ? "ours" : "other");
        Add(name_ + " FileChange " + fx::Utf8(p->GetFileName()) + " monitor=" + which);
        return result_;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalHealthCheck() override {
        Add(name_ + " HealthCheck");
        return result_;
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalThreadCleanup(IGlobalThreadCleanupProvider* p) override {
        Add(name_ + " ThreadCleanup app=" + fx::Utf8(p->GetApplication()->GetApplicationId()) + " disposed=" + t_disposed);
        return result_;
    }
    void Terminate() override { delete this; }

private:
    std::string name_;
    GLOBAL_NOTIFICATION_STATUS result_;
};

class EventsModule final : public CHttpModule {
public:
    EventsModule(IHttpServer* server, HTTP_MODULE_ID id) : server_(server), id_(id) {}
    REQUEST_NOTIFICATION_STATUS OnExecuteRequestHandler(IHttpContext* ctx, IHttpEventProvider*) override {
        path_ = fx::AbsPath(ctx);
        std::wstring arg = fx::Wide(fx::QueryParam(fx::Query(ctx), "path"));
        std::string body = "ok";
        if (path_ == "/config") {
            server_->NotifyConfigurationChange(arg.c_str());
            body = "done";
        } else if (path_ == "/file") {
            server_->NotifyFileChange(arg.c_str());
            body = "done";
        } else if (path_ == "/monitor") {
            IHttpFileMonitor* m = nullptr;
            HRESULT hr = server_->RegisterFileChangeMonitor(arg.c_str(), nullptr, &m);
            if (SUCCEEDED(hr)) {
                g_monitor = m;
                auto* c = new MonitorContext();
                if (FAILED(m->GetModuleContextContainer()->SetModuleContext(c, id_))) delete c;
            }
            body = fx::Hex(hr);
        } else if (path_ == "/unmonitor") {
            if (g_monitor) g_monitor->DereferenceFileMonitor();
            g_monitor = nullptr;
            body = "released";
        } else if (path_ == "/events") {
            std::lock_guard<std::mutex> guard(g_lock);
            body.clear();
            for (const std::string& l : g_lines) body += l + "\n";
            g_lines.clear();
        }
        fx::Reply(ctx, body);
        return RQ_NOTIFICATION_FINISH_REQUEST;
    }
    void Dispose() override {
        t_disposed = path_;
        delete this;
    }

private:
    IHttpServer* server_;
    HTTP_MODULE_ID id_;
    std::string path_;
};

class EventsFactory final : public IHttpModuleFactory {
public:
    EventsFactory(IHttpServer* server, HTTP_MODULE_ID id) : server_(server), id_(id) {}
    HRESULT GetHttpModule(CHttpModule** module, IModuleAllocator*) override {
        *module = new EventsModule(server_, id_);
        return S_OK;
    }
    void Terminate() override { delete this; }

private:
    IHttpServer* server_;
    HTTP_MODULE_ID id_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer* server) {
    auto* f = new EventsFactory(server, info->GetId());
    HRESULT hr = info->SetRequestNotifications(f, RQ_EXECUTE_REQUEST_HANDLER, 0);
    if (FAILED(hr)) {
        delete f;
        return hr;
    }
    return info->SetGlobalNotifications(new EventsGlobal(fx::Utf8(info->GetName())),
                                        GL_CONFIGURATION_CHANGE | GL_FILE_CHANGE | GL_HEALTH_CHECK | GL_THREAD_CLEANUP);
}
