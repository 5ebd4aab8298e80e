// Module context containers at every scope: request, site, application, and dispensed ones.
#include "callbacks.h"
#include "host.h"

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
            c->CleanupStoredContext();
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

IDispensedHttpModuleContextContainer *HostServer::DispenseContainer()
{
    auto *c = new (std::nothrow) SharedContextContainer();
    if (c) {
        c->host = host;
        c->dispensed = true;
    }
    return c;
}

IHttpModuleContextContainer *HostSite::GetModuleContextContainer() { return site->contexts.get(); }

IHttpModuleContextContainer *HostApplication::GetModuleContextContainer() { return contexts.get(); }

// Both are logged, then handed to the Go host, which recycles the worker when it runs in one
// (host.Options.OnRecycle).
void HostServer::ReportUnhealthy(PCWSTR reason, HRESULT hr)
{
    char text[64];
    snprintf(text, sizeof(text), " (HRESULT 0x%08X)", static_cast<unsigned>(hr));
    std::string why = reason ? NarrowString(reason) : std::string();
    Log(host, 2, "", "a module reported the server unhealthy: " + why + text);
    iisgoRecycle(host->goId, 1, const_cast<char *>(why.c_str()), static_cast<uint32_t>(hr));
}

void HostServer::RecycleProcess(PCWSTR reason)
{
    std::string why = reason ? NarrowString(reason) : std::string();
    Log(host, 2, "", "a module asked to recycle the process: " + why);
    iisgoRecycle(host->goId, 0, const_cast<char *>(why.c_str()), 0);
}

} // namespace iishost
