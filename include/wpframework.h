/*
 * wpframework.h - an honest minimal worker process framework header, so
 * modules that include it (for IHttpServer::GetWorkerProcessSettings and
 * GetWorkerProcessFramework) compile.
 *
 * iishost has no worker process framework (WAS): both IHttpServer methods
 * return E_NOTIMPL, so no object of these interfaces ever reaches a module.
 * What is here is what the IIS documentation gives: the five
 * WPF_SETTINGS_*_ENUM enumerations with the values their syntax blocks
 * show (members the documentation lists without a value are left out),
 * IWpfReferencedObject, and IWpfSettings with its documented methods, in
 * the documentation's order (not checked against the SDK; it matters only
 * for an object iishost never creates). IWorkerProcessFramework and the
 * protocol-manager interfaces are declared only by name; their methods and
 * types are not provided. In C every interface is an incomplete type.
 */
#ifndef IISHOST_WPFRAMEWORK_H
#define IISHOST_WPFRAMEWORK_H

#include "windows.h"
#include "iishost/wpf_fwd.h"

typedef enum WPF_SETTINGS_DWORD_ENUM {
    PERIODIC_RESTART_REQUESTS = 1,
    PERIODIC_RESTART_TIME,
    IDLE_TIMEOUT,
    MANAGED_PIPELINE_MODE
} WPF_SETTINGS_DWORD_ENUM;

typedef enum WPF_SETTINGS_BOOL_ENUM {
    ENABLED_CENTRAL_BINARY_LOGGING,
    ENABLED_HOSTABLE_WEB_CORE
} WPF_SETTINGS_BOOL_ENUM;

typedef enum WPF_SETTINGS_HANDLE_ENUM {
    ANONYMOUS_USER_TOKEN
} WPF_SETTINGS_HANDLE_ENUM;

typedef enum WPF_SETTINGS_STRING_ENUM {
    CLR_VERSION,
    APP_POOL_NAME,
    APP_HOST_FILE_NAME,
    ROOT_WEB_CONFIG_FILE_NAME
} WPF_SETTINGS_STRING_ENUM;

typedef enum WPF_SETTINGS_ULONGLONG_ENUM {
    PERIODIC_RESTART_VIRTUAL_MEMORY,
    PERIODIC_RESTART_PRIVATE_MEMORY
} WPF_SETTINGS_ULONGLONG_ENUM;

#ifdef __cplusplus

/* Reference counting shared by the framework's objects. */
struct IWpfReferencedObject {
    virtual ULONG AddRef() = 0;
    virtual ULONG Release() = 0;
};

/* Application pool and worker process settings. */
struct IWpfSettings : public IWpfReferencedObject {
    virtual HRESULT GetBoolProperty(WPF_SETTINGS_BOOL_ENUM SettingId, BOOL *pfSetting) = 0;
    virtual HRESULT GetDwordProperty(WPF_SETTINGS_DWORD_ENUM SettingId, DWORD *pdwSetting) = 0;
    virtual HRESULT GetHandleProperty(WPF_SETTINGS_HANDLE_ENUM SettingId, HANDLE *phSetting) = 0;
    virtual HRESULT GetStringProperty(WPF_SETTINGS_STRING_ENUM SettingId, PWSTR pszSetting, DWORD *pcchSetting) = 0;
    virtual HRESULT GetUlonglongProperty(WPF_SETTINGS_ULONGLONG_ENUM SettingId, ULONGLONG *pSetting) = 0;
};

struct IProtocolManager;
struct IWpfActions;
struct IWpfApplicationInfoUtil;
struct IWpfListenerChannelCallback;

#else /* C */

typedef struct IWpfReferencedObject IWpfReferencedObject;

#endif /* __cplusplus */

#endif /* IISHOST_WPFRAMEWORK_H */
