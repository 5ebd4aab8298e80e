// IHttpContext4::GetRequestStartTime and GetRequestElapsedTime, and IHttpServer2's
// GetAppPoolConfigFile.
//
// Times are in milliseconds on GetTickCount64's clock (CLOCK_BOOTTIME here), so a module can
// compare them with its own GetTickCount64 readings. The start is read once per request, when
// the request enters the pipeline.
#include <time.h>

#include "host.h"

namespace iishost {

uint64_t TickCountMs()
{
    timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
}

ULONGLONG HostContext::GetRequestStartTime() { return st->startTick; }
ULONGLONG HostContext::GetRequestElapsedTime() { return TickCountMs() - st->startTick; }

// The configuration file the host was started with ("" when it came from flags).
PCWSTR HostServer::GetAppPoolConfigFile(DWORD *length) const
{
    if (length) {
        *length = static_cast<DWORD>(host->config.wideConfigPath.size());
    }
    return host->config.wideConfigPath.c_str();
}

} // namespace iishost
