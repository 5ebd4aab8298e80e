// Global notifications that carry a provider object, and their providers (configuration and file
// change, thread cleanup): the chain walks the plan list of
// the event's bit and stops at GL_NOTIFICATION_HANDLED (docs/design.md §5).
#include <exception>

#include "bridge.h"
#include "forward.h"
#include "global_events.h"
#include "host_instance.h"
#include "http_application.h"
#include "module_calls.h"
#include "module_guard.h"
#include "module_registration.h"
#include "request_state.h"
#include "request_trace.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

bool RaiseGlobal(HostInstance *host, DWORD event, const std::function<GLOBAL_NOTIFICATION_STATUS(CGlobalModule *)> &call,
                 RequestState *request)
{
    bool traced = request && request->tracing;
    int bit = __builtin_ctz(event);
    for (int32_t index : host->plan[IIS_LIST_GLOBAL + bit]) {
        ModuleEntry *m = host->modules[index];
        GLOBAL_NOTIFICATION_STATUS status = GL_NOTIFICATION_CONTINUE;
        CrashScope named(m, event);
        bool ok = true;
        if (traced) {
            RecordCall(request, index, event, false, true);
        }
        try {
            status = ModuleCall([&] { return call(m->global); });
        } catch (...) {
            ok = false;
            Log(host, 3, m->name, "exception escaped a global notification: " + DescribeCurrentException());
        }
        if (traced) {
            RecordReturn(request, index, event, false, true, ok, status);
        }
        if (status == GL_NOTIFICATION_HANDLED) {
            return true;
        }
    }
    return false;
}

PCWSTR ConfigurationChangeProvider::GetChangePath() const { return path; }
PCWSTR FileChangeProvider::GetFileName() const { return fileName; }
IHttpApplication *ThreadCleanupProvider::GetApplication() { return application; }

bool RaiseConfigurationChange(HostInstance *host, PCWSTR path)
{
    ConfigurationChangeProvider provider;
    provider.path = path;
    return RaiseGlobal(host, GL_CONFIGURATION_CHANGE, [&](CGlobalModule *m) { return m->OnGlobalConfigurationChange(&provider); });
}

bool RaiseFileChange(HostInstance *host, PCWSTR fileName)
{
    FileChangeProvider provider;
    provider.fileName = fileName;
    return RaiseGlobal(host, GL_FILE_CHANGE, [&](CGlobalModule *m) { return m->OnGlobalFileChange(&provider); });
}

void RaiseThreadCleanup(HostInstance *host, HostApplication *application)
{
    if (host->plan[IIS_LIST_GLOBAL + __builtin_ctz(GL_THREAD_CLEANUP)].empty()) {
        return; // nobody subscribed: requests pay nothing for it
    }
    ThreadCleanupProvider provider;
    provider.application = application;
    RaiseGlobal(host, GL_THREAD_CLEANUP, [&](CGlobalModule *m) { return m->OnGlobalThreadCleanup(&provider); });
}

} // namespace iishost

using namespace iishost;

extern "C" {

int iis_notify_configuration_change(iis_host *h, const char *path)
{
    std::wstring wide = WidenString(path);
    return RaiseConfigurationChange(reinterpret_cast<HostInstance *>(h), wide.c_str()) ? 1 : 0;
}

int iis_notify_file_change(iis_host *h, const char *path)
{
    std::wstring wide = WidenString(path);
    return RaiseFileChange(reinterpret_cast<HostInstance *>(h), wide.c_str()) ? 1 : 0;
}

} // extern "C"
