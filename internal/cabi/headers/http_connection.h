// IHttpConnection and one TCP connection's module contexts and memory (http_connection.cpp).
#pragma once

#include <mutex>
#include <vector>

#include "arena.h"
#include "forward.h"
#include "module_context_containers.h"

namespace iishost {

class HostConnection : public IHttpConnectionStub {
public:
    RequestState *st = nullptr;
    BOOL IsConnected() const override;
    void *AllocateMemory(DWORD size) override;
    IHttpConnectionModuleContextContainer *GetModuleContextContainer() override;
};

// One TCP connection's module contexts and memory (http_connection.cpp). Requests of the
// connection share it; it is released when the connection has closed and no request holds it.
class ConnectionState final : public IHttpConnectionModuleContextContainerStub {
public:
    HostInstance *host = nullptr;
    ~ConnectionState();
    IHttpStoredContext *GetModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id) override;
    IHttpConnectionStoredContext *GetConnectionModuleContext(HTTP_MODULE_ID id) override;
    HRESULT SetConnectionModuleContext(IHttpConnectionStoredContext *context, HTTP_MODULE_ID id) override;
    void *Allocate(size_t size);
    void Disconnected();

private:
    std::mutex lock_;
    ContextSlots plain_;
    std::vector<IHttpConnectionStoredContext *> connection_;
    Arena arena_;
};

// Disconnects and releases every connection state, before the modules terminate.
void CloseConnections(HostInstance *host);

} // namespace iishost
