// The providers notifications receive (providers.cpp, provider_send_response_log.cpp).
#pragma once

#include "forward.h"

namespace iishost {

// Every provider records SetErrorStatus the same way; st is null outside a request.
void RecordErrorStatus(RequestState *st, HRESULT hr);

template <class Stub> class Provider : public Stub {
public:
    RequestState *st = nullptr;
    void SetErrorStatus(HRESULT hr) override { RecordErrorStatus(st, hr); }
};

class AuthenticationProvider : public Provider<IAuthenticationProviderStub> {
public:
    void SetUser(IHttpUser *user) override;
};

class SendResponseProvider : public Provider<ISendResponseProviderStub> {
public:
    BOOL headersBeingSent = FALSE;
    DWORD flags = 0;
    bool finalSend = false;                 // the log data is complete only for the last send
    HTTP_LOG_FIELDS_DATA *logData = nullptr; // built on first ask (provider_send_response_log.cpp)
    int logSetBy = -1;                      // the module that replaced it with SetLogData
    BOOL GetHeadersBeingSent() const override { return headersBeingSent; }
    DWORD GetFlags() const override { return flags; }
    void SetFlags(DWORD value) override { flags = value; }
    HTTP_LOG_DATA *GetLogData() const override;
    HRESULT SetLogData(HTTP_LOG_DATA *data) override;
    BOOL GetReadyToLogData() const override { return finalSend; }
};

// Writes the log data a module set with SetLogData as a host log record (provider_send_response_log.cpp).
void LogSendData(RequestState *st);

// The provider of RQ_READ_ENTITY: the bytes just read from the client, which a module may replace.
class ReadEntityProvider : public Provider<IReadEntityProviderStub> {
public:
    void *buffer = nullptr;
    DWORD data = 0, capacity = 0;
    void GetEntity(PVOID *buffer, DWORD *data, DWORD *capacity) override;
    void SetEntity(PVOID buffer, DWORD data, DWORD capacity) override;
};

class PreBeginRequestProvider : public Provider<IPreBeginRequestProviderStub> {
public:
    IHttpContext *GetHttpContext() override;
};

// The provider of RQ_MAP_PATH: the URL being mapped and the path, which a module may replace.
class MapPathProvider : public Provider<IMapPathProviderStub> {
public:
    PCWSTR url = nullptr;
    PCWSTR physicalPath = nullptr;
    PCWSTR GetUrl() const override { return url; }
    PCWSTR GetPhysicalPath() const override { return physicalPath; }
    HRESULT SetPhysicalPath(PCWSTR path, DWORD length) override;
};

// The provider of RQ_MAP_REQUEST_HANDLER: modules may rename the script or choose the handler.
class MapHandlerProvider : public Provider<IMapHandlerProviderStub> {
public:
    HRESULT SetScriptName(PCWSTR name, DWORD length) override;
    void SetScriptMap(IScriptMapInfo *map) override;
};

} // namespace iishost
