// Raising global notifications, and the providers they carry: application start and module
// resolution, stop listening, configuration and file changes, thread cleanup (global_events.cpp).
#pragma once

#include <functional>

#include "forward.h"
#include "http_application.h"
#include "providers.h"

namespace iishost {

// Providers for the global notifications that carry no request.
class ApplicationProvider : public Provider<IHttpApplicationProviderStub> {
public:
    HostApplication *application = nullptr;
    IHttpApplication *GetApplication() override { return application; }
};

// GL_APPLICATION_RESOLVE_MODULES' provider: the application only. Registering request modules
// through it stays E_NOTIMPL: the request plan is compiled from the configuration at load.
class ResolveModulesProvider : public Provider<IHttpApplicationResolveModulesProviderStub> {
public:
    HostApplication *application = nullptr;
    IHttpApplication *GetApplication() override { return application; }
};

class StopListeningProvider : public Provider<IGlobalStopListeningProviderStub> {
public:
    BOOL DrainRequestsGracefully() const override { return TRUE; }
};

// Providers of GL_CONFIGURATION_CHANGE, GL_FILE_CHANGE and GL_THREAD_CLEANUP (global_events.cpp).
class ConfigurationChangeProvider : public Provider<IGlobalConfigurationChangeProviderStub> {
public:
    PCWSTR path = nullptr;
    PCWSTR GetChangePath() const override;
};

// GetFileMonitor is the monitor that saw the change; NULL for NotifyFileChange's.
class FileChangeProvider : public Provider<IGlobalFileChangeProviderStub> {
public:
    PCWSTR fileName = nullptr;
    IHttpFileMonitor *monitor = nullptr;
    PCWSTR GetFileName() const override;
    IHttpFileMonitor *GetFileMonitor() override;
};

class ThreadCleanupProvider : public Provider<IGlobalThreadCleanupProviderStub> {
public:
    HostApplication *application = nullptr;
    IHttpApplication *GetApplication() override;
};

// Raise GL_CONFIGURATION_CHANGE / GL_FILE_CHANGE; true when a module handled it.
bool RaiseConfigurationChange(HostInstance *host, PCWSTR path);

bool RaiseFileChange(HostInstance *host, PCWSTR fileName);

// Raises GL_THREAD_CLEANUP on the calling thread, if any module subscribed.
void RaiseThreadCleanup(HostInstance *host, HostApplication *application);

// Raises a global notification through its plan list, each call guarded; true when a module
// answered GL_NOTIFICATION_HANDLED, which ends the chain (global_events.cpp).
// request: the request that raised it, whose failed-request trace records the calls; or null.
bool RaiseGlobal(HostInstance *host, DWORD event, const std::function<GLOBAL_NOTIFICATION_STATUS(CGlobalModule *)> &call,
                 RequestState *request = nullptr);

} // namespace iishost
