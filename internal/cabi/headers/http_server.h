// IHttpServer (http_server.cpp) and the server-wide configuration it reports.
#pragma once

#include <string>

#include "forward.h"

namespace iishost {

// Server-wide facts from the configuration.
struct ServerConfig {
    std::string appPoolName, configPath;
    std::wstring wideAppPoolName, wideConfigPath;
};

class HostServer : public IHttpServer3Stub {
public:
    HostInstance *host = nullptr;
    IDispensedHttpModuleContextContainer *DispenseContainer() override;
    void ReportUnhealthy(PCWSTR reason, HRESULT hr) override;
    void RecycleProcess(PCWSTR reason) override;
    BOOL IsCommandLineLaunch() const override;
    PCWSTR GetAppPoolName() const override;
    IAppHostAdminManager *GetAdminManager() const override;
    HRESULT GetExtendedInterface(HTTP_SERVER_INTERFACE_VERSION version, PVOID *ppInterface) override;
    HRESULT GetExtendedInterface(const GUID &inputType, PVOID input, const GUID &outputType, PVOID *output) override;
    GLOBAL_NOTIFICATION_STATUS NotifyCustomNotification(ICustomNotificationProvider *provider) override;
    HRESULT GetFileInfo(PCWSTR physicalPath, HANDLE userToken, PSID sid, PCWSTR changeNotificationPath,
                        HANDLE changeNotificationToken, BOOL cache, IHttpFileInfo **fileInfo,
                        IHttpTraceContext *trace) override;
    HRESULT DoCacheOperation(CACHE_OPERATION operation, IHttpCacheKey *key, IHttpCacheSpecificData **data,
                             IHttpTraceContext *trace) override;
    HRESULT FlushKernelCache(PCWSTR url) override;
    IHttpTraceContext *GetTraceContext() const override;
    HRESULT AddFragmentToCache(HTTP_DATA_CHUNK *chunk, PCWSTR name) override;
    HRESULT ReadFragmentFromCache(PCWSTR name, BYTE *buffer, DWORD size, DWORD *copied) override;
    HRESULT RemoveFragmentFromCache(PCWSTR name) override;
    void NotifyConfigurationChange(PCWSTR path) override;
    void NotifyFileChange(PCWSTR fileName) override;
    IHttpPerfCounterInfo *GetPerfCounterInfo() override;
    HRESULT GetMetadata(PCWSTR siteName, PCWSTR url, IReferencedMetadataInfo **out) override;
    BOOL SatisfiesPrecondition(PCWSTR precondition, BOOL *unknownPrecondition) const override;
    PCWSTR GetAppPoolConfigFile(DWORD *length) const override;
    HRESULT RegisterFileChangeMonitor(PCWSTR path, HANDLE token, IHttpFileMonitor **out) override;
};

} // namespace iishost
