// Module context containers: a request's, its named contexts, and the shared ones of sites,
// applications and dispensed containers (module_context_containers.cpp).
#pragma once

#include <mutex>
#include <vector>

#include "forward.h"

namespace iishost {

// ContextSlots holds one stored context per module of a host (module_context_containers.cpp).
class ContextSlots {
public:
    // Index of a module id of this host, or -1: ids come from modules and are checked, not trusted.
    static int IndexOf(const HostInstance *host, HTTP_MODULE_ID id);
    IHttpStoredContext *Get(const HostInstance *host, HTTP_MODULE_ID id) const;
    HRESULT Set(const HostInstance *host, IHttpStoredContext *context, HTTP_MODULE_ID id);
    // Empties every slot, calling cleanup(moduleIndex, context) for each context that was set.
    template <class Fn> void Drain(Fn cleanup)
    {
        for (size_t i = 0; i < slots_.size(); i++) {
            if (IHttpStoredContext *c = slots_[i]) {
                slots_[i] = nullptr;
                cleanup(static_cast<int>(i), c);
            }
        }
    }
    void Reset(size_t modules) { slots_.assign(modules, nullptr); }

private:
    std::vector<IHttpStoredContext *> slots_;
};

// A request's container: used by one request at a time, so it needs no lock.
class RequestContextContainer : public IHttpModuleContextContainerStub {
public:
    RequestState *st = nullptr;
    ContextSlots slots;
    IHttpStoredContext *GetModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id) override;
};

// Named contexts of one request (IHttpContext3::GetNamedContextContainer): stored contexts
// by name, cleaned up at request end like module contexts.
class NamedContextContainer : public INamedContextContainerStub {
public:
    RequestState *st = nullptr;
    IHttpStoredContext *GetNamedContext(LPCWSTR name) override;
    HRESULT SetNamedContext(IHttpStoredContext *context, LPCWSTR name) override;
    struct Entry {
        const WCHAR *name;
        IHttpStoredContext *context;
    };
    std::vector<Entry> entries;
};

// A container every request of a site or application shares, and one dispensed by
// IHttpServer::DispenseContainer: locked, and cleaned up when its scope ends.
class SharedContextContainer final : public IDispensedHttpModuleContextContainerStub {
public:
    HostInstance *host = nullptr;
    bool dispensed = false; // ReleaseContainer frees it
    IHttpStoredContext *GetModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id) override;
    void ReleaseContainer() override;
    void Cleanup();

private:
    std::mutex lock_;
    ContextSlots slots_;
};

} // namespace iishost
