// global.cpp - fixture: a CGlobalModule that logs its global notifications.
//
// Contract. Load it under several names (e.g. "global-a", "global-b"); each
// registration makes its own CGlobalModule with SetGlobalNotifications(
// GL_APPLICATION_START | GL_APPLICATION_STOP | GL_STOP_LISTENING |
// GL_PRE_BEGIN_REQUEST). Each event appends one line "<name> <Event>\n" to the
// file named by env var IISHOST_GLOBAL_LOG (nothing is logged if it is unset
// or empty); each line is one O_APPEND write, so it is on disk at once and
// lines from concurrent requests never interleave:
//   <name> ApplicationStart
//   <name> PreBeginRequest <cooked pAbsPath of the request>
//   <name> StopListening
//   <name> ApplicationStop
//   <name> Terminate          (from CGlobalModule::Terminate, which then deletes the module)
// A name containing "-first" or "-last" sets that priority for every event
// (SetPriorityForGlobalNotification).
// Return value: GL_NOTIFICATION_HANDLED from every event if the name ends with
// "-handled" (so a later global module for that event must not see it),
// otherwise GL_NOTIFICATION_CONTINUE.
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <new>
#include <utility>

#include "fixture.h"

namespace {

class LogGlobalModule final : public CGlobalModule {
public:
    explicit LogGlobalModule(std::string name)
        : name_(std::move(name)),
          result_(name_.size() >= 8 && name_.compare(name_.size() - 8, 8, "-handled") == 0
                      ? GL_NOTIFICATION_HANDLED
                      : GL_NOTIFICATION_CONTINUE) {}

    GLOBAL_NOTIFICATION_STATUS OnGlobalApplicationStart(IHttpApplicationStartProvider*) override {
        return Log("ApplicationStart");
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalPreBeginRequest(IPreBeginRequestProvider* provider) override {
        IHttpContext* ctx = provider->GetHttpContext();
        return Log("PreBeginRequest " + (ctx ? fx::AbsPath(ctx) : std::string()));
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalStopListening(IGlobalStopListeningProvider*) override {
        return Log("StopListening");
    }
    GLOBAL_NOTIFICATION_STATUS OnGlobalApplicationStop(IHttpApplicationStopProvider*) override {
        return Log("ApplicationStop");
    }
    void Terminate() override {
        Log("Terminate");
        delete this;
    }

private:
    GLOBAL_NOTIFICATION_STATUS Log(const std::string& event) {
        const char* path = std::getenv("IISHOST_GLOBAL_LOG");
        if (path != nullptr && *path != '\0') {
            std::string line = name_ + " " + event + "\n";
            int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
            if (fd >= 0) {
                ssize_t n = write(fd, line.data(), line.size());
                (void)n;  // a fixture has nowhere to report a failed log write
                close(fd);
            }
        }
        return result_;
    }

    const std::string name_;
    const GLOBAL_NOTIFICATION_STATUS result_;
};

}  // namespace

HRESULT __stdcall RegisterModule(DWORD, IHttpModuleRegistrationInfo* info, IHttpServer*) {
    LogGlobalModule* m = new (std::nothrow) LogGlobalModule(fx::Utf8(info->GetName()));
    if (m == nullptr) return E_OUTOFMEMORY;
    const DWORD events = GL_APPLICATION_START | GL_APPLICATION_STOP | GL_STOP_LISTENING | GL_PRE_BEGIN_REQUEST;
    HRESULT hr = info->SetGlobalNotifications(m, events);
    if (FAILED(hr)) {
        delete m;
        return hr;
    }
    // "-first" / "-last" in the name: that priority for every event.
    std::string name = fx::Utf8(info->GetName());
    PCWSTR priority = name.find("-first") != std::string::npos  ? PRIORITY_ALIAS_FIRST
                      : name.find("-last") != std::string::npos ? PRIORITY_ALIAS_LAST
                                                                 : nullptr;
    for (DWORD bit = 1; priority && bit != 0; bit <<= 1) {
        if ((events & bit) && FAILED(hr = info->SetPriorityForGlobalNotification(bit, priority))) {
            return hr; // the host owns m now and will Terminate it
        }
    }
    return S_OK;
}
