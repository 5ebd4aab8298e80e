// Module context containers at every scope: request, site, application, and dispensed ones.
#include "callbacks.h"
#include "forward.h"
#include "host_instance.h"
#include "module_context_containers.h"
#include "module_guard.h"
#include "module_registration.h"
#include "request_state.h"
#include "wide_strings.h"

namespace iishost {

int ContextSlots::IndexOf(const HostInstance *host, HTTP_MODULE_ID id)
{
    for (const ModuleEntry *m : host->modules) {
        if (m == id) {
            return m->index;
        }
    }
    return -1;
}

IHttpStoredContext *ContextSlots::Get(const HostInstance *host, HTTP_MODULE_ID id) const
{
    int i = IndexOf(host, id);
    return i < 0 || size_t(i) >= slots_.size() ? nullptr : slots_[i];
}

HRESULT ContextSlots::Set(const HostInstance *host, IHttpStoredContext *context, HTTP_MODULE_ID id)
{
    int i = IndexOf(host, id);
    if (!context || i < 0) {
        return E_INVALIDARG;
    }
    if (size_t(i) >= slots_.size()) {
        slots_.resize(host->modules.size(), nullptr);
    }
    if (slots_[i]) {
        return HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED);
    }
    slots_[i] = context;
    return S_OK;
}

IHttpStoredContext *SharedContextContainer::GetModuleContext(HTTP_MODULE_ID id)
{
    std::lock_guard<std::mutex> guard(lock_);
    return slots_.Get(host, id);
}

HRESULT SharedContextContainer::SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id)
{
    std::lock_guard<std::mutex> guard(lock_);
    return slots_.Set(host, context, id);
}

void SharedContextContainer::Cleanup()
{
    std::lock_guard<std::mutex> guard(lock_);
    HostInstance *h = host;
    slots_.Drain([h](int module, IHttpStoredContext *c) {
        try {
            ModuleCall([c] { c->CleanupStoredContext(); });
        } catch (...) {
            Log(h, 3, h->modules[module]->name, "exception escaped CleanupStoredContext");
        }
    });
}

void SharedContextContainer::ReleaseContainer()
{
    if (!dispensed) {
        return; // site and application containers belong to the host
    }
    Cleanup();
    delete this;
}

IHttpStoredContext *RequestContextContainer::GetModuleContext(HTTP_MODULE_ID id) { return slots.Get(st->host, id); }

HRESULT RequestContextContainer::SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id)
{
    return slots.Set(st->host, context, id);
}

IHttpStoredContext *NamedContextContainer::GetNamedContext(LPCWSTR name)
{
    if (!name) {
        return nullptr;
    }
    for (const Entry &e : entries) {
        if (wcscmp(e.name, name) == 0) {
            return e.context;
        }
    }
    return nullptr;
}

HRESULT NamedContextContainer::SetNamedContext(IHttpStoredContext *context, LPCWSTR name)
{
    if (!context || !name || !*name) {
        return E_INVALIDARG;
    }
    if (GetNamedContext(name)) {
        return HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED);
    }
    size_t n = wcslen(name);
    WCHAR *copy = static_cast<WCHAR *>(st->arena.Allocate((n + 1) * sizeof(WCHAR)));
    if (!copy) {
        return E_OUTOFMEMORY;
    }
    wmemcpy(copy, name, n + 1);
    entries.push_back(Entry{copy, context});
    return S_OK;
}

} // namespace iishost
