// The call context the crash reporter names: which module, notification and URL run on this
// thread (thread-local, set by WatchedCall and CrashScope). The reporter that reads it on a fatal
// signal is crash_report_linux.cpp; Windows has none yet (crash_report_windows.cpp).
#include "clocks.h"
#include "forward.h"
#include "module_calls.h"
#include "module_registration.h"
#include "request_state.h"
#include "upgrade.h"

namespace iishost {

thread_local CrashContext tCrashContext = {nullptr, nullptr, nullptr, 0};

CrashContext CallContext(const RequestState *st, int module, DWORD notification, bool post, bool global)
{
    const auto &mods = st->host->modules;
    int bit = notification ? __builtin_ctz(notification) : 0;
    return CrashContext{module >= 0 && size_t(module) < mods.size() ? mods[module]->name.c_str() : "",
                        CallNotificationName(bit, post, global), st->in.raw.pRawUrl, st->in.raw.RawUrlLength};
}

const char *GlobalNotificationName(DWORD event)
{
    switch (event) {
    case GL_STOP_LISTENING: return "GlobalStopListening";
    case GL_CACHE_CLEANUP: return "GlobalCacheCleanup";
    case GL_CACHE_OPERATION: return "GlobalCacheOperation";
    case GL_HEALTH_CHECK: return "GlobalHealthCheck";
    case GL_CONFIGURATION_CHANGE: return "GlobalConfigurationChange";
    case GL_FILE_CHANGE: return "GlobalFileChange";
    case GL_PRE_BEGIN_REQUEST: return "GlobalPreBeginRequest";
    case GL_APPLICATION_START: return "GlobalApplicationStart";
    case GL_APPLICATION_RESOLVE_MODULES: return "GlobalApplicationResolveModules";
    case GL_APPLICATION_STOP: return "GlobalApplicationStop";
    case GL_RSCA_QUERY: return "GlobalRSCAQuery";
    case GL_TRACE_EVENT: return "GlobalTraceEvent";
    case GL_CUSTOM_NOTIFICATION: return "GlobalCustomNotification";
    case GL_THREAD_CLEANUP: return "GlobalThreadCleanup";
    case GL_APPLICATION_PRELOAD: return "GlobalApplicationPreload";
    case GL_SUSPEND_PROCESS: return "GlobalSuspendProcess";
    }
    return "Global";
}

CrashScope::CrashScope(ModuleEntry *module, DWORD event) : CrashScope(module, GlobalNotificationName(event))
{
    timing_ = &module->timing;
    slot_ = CallTiming::SlotOf(event, false, true);
    startNs_ = MonotonicNs();
}

CrashScope::CrashScope(const ModuleEntry *module, const char *call) : outer_(tCrashContext)
{
    tCrashContext = CrashContext{module->name.c_str(), call, nullptr, 0};
}

} // namespace iishost
