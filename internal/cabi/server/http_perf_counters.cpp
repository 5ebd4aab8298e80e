// IHttpPerfCounterInfo (IHttpServer::GetPerfCounterInfo, IHttpSite::GetPerfCounterInfo).
// IIS's counter indices are internal to IIS and not published, so here a counter index is
// whatever a module makes of it: kPerfCounterCount numbered counters per scope that modules
// raise and lower and Go reads (host.Server.Counters). The host's own counters (requests,
// bytes) are kept on the Go side, where the I/O happens.
#include <string.h>

#include "bridge.h"
#include "forward.h"
#include "host_instance.h"
#include "http_perf_counters.h"

namespace iishost {

// Indices outside the table are ignored: the methods return nothing to report it with.
void HostPerfCounters::IncrementCounter(DWORD index, DWORD value)
{
    if (index < kPerfCounterCount) {
        values[index].fetch_add(value, std::memory_order_relaxed);
    }
}

void HostPerfCounters::DecrementCounter(DWORD index, DWORD value)
{
    if (index < kPerfCounterCount) {
        values[index].fetch_sub(value, std::memory_order_relaxed);
    }
}

} // namespace iishost

extern "C" void iis_perf_counters(iis_host *h, int site, int64_t *out)
{
    auto *host = reinterpret_cast<iishost::HostInstance *>(h);
    if (site < 0 || size_t(site) > host->sites.size()) {
        return;
    }
    iishost::HostPerfCounters &c = site ? host->sites[site - 1]->counters : host->serverCounters;
    for (int i = 0; i < IIS_PERF_COUNTER_COUNT; i++) {
        out[i] = c.values[i].load(std::memory_order_relaxed);
    }
}
