// IHttpContext (http_context*.cpp), the anonymous user and IModuleAllocator.
#pragma once

#include "forward.h"

namespace iishost {

class HostContext : public IHttpContext4Stub {
public:
    RequestState *st = nullptr;
    IHttpSite *GetSite() override;
    IHttpApplication *GetApplication() override;
    IHttpConnection *GetConnection() override;
    IHttpRequest *GetRequest() override;
    IHttpResponse *GetResponse() override;
    BOOL GetResponseHeadersSent() const override;
    IHttpUser *GetUser() const override;
    IHttpModuleContextContainer *GetModuleContextContainer() override;
    void DisableNotifications(DWORD notifications, DWORD postNotifications) override;
    BOOL GetIsLastNotification(REQUEST_NOTIFICATION_STATUS status) override;
    BOOL GetNextNotification(REQUEST_NOTIFICATION_STATUS status, DWORD *notification, BOOL *isPost,
                             CHttpModule **module, IHttpEventProvider **provider) override;
    HRESULT GetServerVariable(PCSTR name, PCWSTR *value, DWORD *length) override;
    HRESULT GetServerVariable(PCSTR name, PCSTR *value, DWORD *length) override;
    HRESULT SetServerVariable(PCSTR name, PCWSTR value) override;
    void *AllocateRequestMemory(DWORD size) override;
    void SetRequestHandled() override;
    void IndicateCompletion(REQUEST_NOTIFICATION_STATUS status) override;
    HRESULT PostCompletion(DWORD bytes) override;
    PCWSTR GetPhysicalPath(DWORD *length) override;
    PCWSTR GetScriptName(DWORD *length) const override;
    PCWSTR GetScriptTranslated(DWORD *length) override;
    HRESULT MapPath(PCWSTR url, PWSTR physical, DWORD *bytes) override;
    HRESULT NotifyCustomNotification(ICustomNotificationProvider *provider, BOOL *completionExpected) override;
    HRESULT CancelIo() override;
    HRESULT PostCompletion(DWORD bytes, LPOVERLAPPED_COMPLETION_ROUTINE routine, void *context) override;
    HRESULT ExecuteRequest(BOOL async, IHttpContext *child, DWORD flags, IHttpUser *user, BOOL *completionExpected) override;
    DWORD GetExecuteFlags() const override;
    IHttpContext *GetParentContext() const override;
    IHttpContext *GetRootContext() const override;
    HRESULT CloneContext(DWORD flags, IHttpContext **child) override;
    HRESULT InheritServerVariable(PCSTR name, BOOL failIfNotExist) override;
    HRESULT ReleaseClonedContext() override;
    IHttpUser *GetOriginalUser() const override;
    INamedContextContainer *GetNamedContextContainer() override;
    IHttpFileInfo *GetFileInfo() const override;
    IHttpTraceContext *GetTraceContext() const override;
    IMetadataInfo *GetMetadata() override;
    IHttpUrlInfo *GetUrlInfo() override;
    IScriptMapInfo *GetScriptMap() const override;
    ULONGLONG GetRequestStartTime() override;
    ULONGLONG GetRequestElapsedTime() override;
    HRESULT MapHandler(DWORD siteId, PCWSTR siteName, PCWSTR url, PCSTR verb, IScriptMapInfo **out, BOOL ignoreWildcards) override;
    void EnableFullDuplex() override;
};

// The anonymous user every request has until an authentication module sets one.
class AnonymousUser : public IHttpUserStub {
public:
    PCWSTR GetRemoteUserName() override { return L""; }
    PCWSTR GetUserName() override { return L""; }
    PCWSTR GetAuthenticationType() override { return L""; }
    PCWSTR GetPassword() override { return L""; }
    // The anonymous user is owned by the host and never freed, so counting is not needed.
    void ReferenceUser() override {}
    void DereferenceUser() override {}
    BOOL SupportsIsInRole() override { return FALSE; }
};

// The one anonymous user (request_state.cpp).
AnonymousUser &Anonymous();

class RequestAllocator : public IModuleAllocatorStub {
public:
    RequestState *st = nullptr;
    void *AllocateMemory(DWORD size) override;
};

} // namespace iishost
