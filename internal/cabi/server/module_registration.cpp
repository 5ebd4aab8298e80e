// IHttpModuleRegistrationInfo (IHttpModuleRegistrationInfo2): what RegisterModule records of a
// module: its subscriptions and their priorities.
#include <exception>
#include <string.h>
#include <strings.h>
#include <wctype.h>

#include "callbacks.h"
#include "forward.h"
#include "http_file_info.h"
#include "module_registration.h"
#include "wide_strings.h"

namespace iishost {

// ---------------------------------------------------------------- registration

PCWSTR RegistrationInfo::GetName() const { return entry->wideName.c_str(); }

HTTP_MODULE_ID RegistrationInfo::GetId() const { return entry; }

HRESULT RegistrationInfo::SetRequestNotifications(IHttpModuleFactory *factory, DWORD notifications, DWORD postNotifications)
{
    if (!factory || (notifications == 0 && postNotifications == 0)) {
        return E_INVALIDARG;
    }
    if (entry->factory && entry->factory != factory) {
        return HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED);
    }
    entry->factory = factory;
    entry->requestMask |= notifications;
    entry->postMask |= postNotifications;
    return S_OK;
}

HRESULT RegistrationInfo::SetGlobalNotifications(CGlobalModule *module, DWORD notifications)
{
    if (!module || notifications == 0) {
        return E_INVALIDARG;
    }
    if (entry->global && entry->global != module) {
        return HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED);
    }
    entry->global = module;
    entry->globalMask |= notifications;
    return S_OK;
}

// ParsePriority maps a PRIORITY_ALIAS_* string to 0 (FIRST) .. 4 (LAST), or -1.
static int ParsePriority(PCWSTR priority)
{
    static const WCHAR *const names[IIS_PRIORITY_COUNT] = {PRIORITY_ALIAS_FIRST, PRIORITY_ALIAS_HIGH, PRIORITY_ALIAS_MEDIUM,
                                                           PRIORITY_ALIAS_LOW, PRIORITY_ALIAS_LAST};
    if (!priority) {
        return -1;
    }
    for (int i = 0; i < IIS_PRIORITY_COUNT; i++) {
        if (WideEqualFold(priority, names[i])) {
            return i;
        }
    }
    return -1;
}

static HRESULT SetPriorities(uint8_t *table, DWORD mask, PCWSTR priority)
{
    int p = ParsePriority(priority);
    if (p < 0 || mask == 0) {
        return E_INVALIDARG;
    }
    for (int bit = 0; bit < IIS_MASK_BITS; bit++) {
        if (mask & (1u << bit)) {
            table[bit] = static_cast<uint8_t>(p);
        }
    }
    return S_OK;
}

HRESULT RegistrationInfo::SetPriorityForRequestNotification(DWORD notification, PCWSTR priority)
{
    return SetPriorities(entry->requestPriority, notification, priority);
}

HRESULT RegistrationInfo::SetPriorityForGlobalNotification(DWORD notification, PCWSTR priority)
{
    return SetPriorities(entry->globalPriority, notification, priority);
}

HRESULT RegistrationInfo::SetPriorityForPostRequestNotification(DWORD notification, PCWSTR priority)
{
    return SetPriorities(entry->postPriority, notification, priority);
}

// ---------------------------------------------------------------- server-wide objects

} // namespace iishost
