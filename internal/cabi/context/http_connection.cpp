// IHttpConnection and the connection scope: GetModuleContextContainer and AllocateMemory. The state
// of one TCP connection is made the first time a module asks for it, shared by the requests of
// that connection, and released after the connection closes: connection stored contexts get
// NotifyDisconnect at the close, every stored context gets CleanupStoredContext once no request
// holds the state any more, and the connection's memory goes with it.
#include <exception>
#include <string.h>

#include "bridge.h"
#include "forward.h"
#include "host_instance.h"
#include "http_connection.h"
#include "http_context_children.h"
#include "module_context_containers.h"
#include "module_guard.h"
#include "request_state.h"
#include "upgrade.h"
#include "wide_strings.h"

namespace iishost {

ConnectionState::~ConnectionState()
{
    std::lock_guard<std::mutex> guard(lock_);
    auto cleanup = [this](IHttpStoredContext *c, int module) {
        try {
            ModuleCall([c] { c->CleanupStoredContext(); });
        } catch (...) {
            Log(host, 3, host->modules[module]->name, "exception escaped CleanupStoredContext");
        }
    };
    plain_.Drain([&](int module, IHttpStoredContext *c) { cleanup(c, module); });
    for (size_t i = 0; i < connection_.size(); i++) {
        if (connection_[i]) {
            cleanup(connection_[i], static_cast<int>(i));
        }
    }
}

IHttpStoredContext *ConnectionState::GetModuleContext(HTTP_MODULE_ID id)
{
    std::lock_guard<std::mutex> guard(lock_);
    return plain_.Get(host, id);
}

HRESULT ConnectionState::SetModuleContext(IHttpStoredContext *context, HTTP_MODULE_ID id)
{
    std::lock_guard<std::mutex> guard(lock_);
    return plain_.Set(host, context, id);
}

IHttpConnectionStoredContext *ConnectionState::GetConnectionModuleContext(HTTP_MODULE_ID id)
{
    int i = ContextSlots::IndexOf(host, id);
    std::lock_guard<std::mutex> guard(lock_);
    return i < 0 || static_cast<size_t>(i) >= connection_.size() ? nullptr : connection_[i];
}

HRESULT ConnectionState::SetConnectionModuleContext(IHttpConnectionStoredContext *context, HTTP_MODULE_ID id)
{
    int i = ContextSlots::IndexOf(host, id);
    if (!context || i < 0) {
        return E_INVALIDARG;
    }
    std::lock_guard<std::mutex> guard(lock_);
    if (static_cast<size_t>(i) >= connection_.size()) {
        connection_.resize(host->modules.size(), nullptr);
    }
    if (connection_[i]) {
        return HRESULT_FROM_WIN32(ERROR_ALREADY_ASSIGNED);
    }
    connection_[i] = context;
    return S_OK;
}

void *ConnectionState::Allocate(size_t size)
{
    std::lock_guard<std::mutex> guard(lock_);
    return arena_.Allocate(size);
}

// Disconnected tells the connection stored contexts that the client is gone.
void ConnectionState::Disconnected()
{
    std::vector<std::pair<int, IHttpConnectionStoredContext *>> notify;
    {
        std::lock_guard<std::mutex> guard(lock_);
        for (size_t i = 0; i < connection_.size(); i++) {
            if (connection_[i]) {
                notify.emplace_back(static_cast<int>(i), connection_[i]);
            }
        }
    }
    for (auto &n : notify) {
        try {
            ModuleCall([&n] { n.second->NotifyDisconnect(); });
        } catch (...) {
            Log(host, 3, host->modules[n.first]->name, "exception escaped NotifyDisconnect");
        }
    }
}

// ConnectionFor finds or makes the state of the request's connection; null when the host was
// not told about connections (ServeHTTP used without the connection hooks), and, for a first
// ask, once the connection is gone or handed over (reset, or taken for a header-less response):
// its close may already have been reported, and a state made now would never be released.
static ConnectionState *ConnectionFor(RequestState *st)
{
    bool over = st->async.clientGone || (st->out.suppressHeaders && st->out.headersSent);
    if (!st->connectionState && st->in.connectionId && !over) {
        HostInstance *host = st->host;
        std::lock_guard<std::mutex> guard(host->connectionLock);
        std::shared_ptr<ConnectionState> &c = host->connections[st->in.connectionId];
        if (!c) {
            c = std::make_shared<ConnectionState>();
            c->host = host;
        }
        st->connectionState = c;
    }
    return st->connectionState.get();
}

IHttpConnectionModuleContextContainer *HostConnection::GetModuleContextContainer() { return ConnectionFor(st); }

void *HostConnection::AllocateMemory(DWORD size)
{
    ConnectionState *c = ConnectionFor(st);
    return c && size ? c->Allocate(size) : nullptr;
}

void CloseConnections(HostInstance *host)
{
    std::unordered_map<uint64_t, std::shared_ptr<ConnectionState>> open;
    {
        std::lock_guard<std::mutex> guard(host->connectionLock);
        open.swap(host->connections);
    }
    for (auto &c : open) {
        c.second->Disconnected();
    }
}

BOOL HostConnection::IsConnected() const { return !RootOf(st)->async.clientGone; }

} // namespace iishost

using namespace iishost;

extern "C" void iis_connection_closed(iis_host *h, uint64_t id)
{
    HostInstance *host = reinterpret_cast<HostInstance *>(h);
    std::shared_ptr<ConnectionState> c;
    {
        std::lock_guard<std::mutex> guard(host->connectionLock);
        auto it = host->connections.find(id);
        if (it == host->connections.end()) {
            return; // no module asked about this connection
        }
        c = std::move(it->second);
        host->connections.erase(it);
    }
    c->Disconnected();
    // c's last reference (here, or a request still running) cleans the contexts up.
}
