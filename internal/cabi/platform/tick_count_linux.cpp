// GetTickCount64's clock, which IHttpContext4::GetRequestStartTime and GetRequestElapsedTime
// (http_context.cpp) read.
//
// Times are in milliseconds on GetTickCount64's clock (CLOCK_BOOTTIME here), so a module can
// compare them with its own GetTickCount64 readings. The start is read once per request, when
// the request enters the pipeline.
#include <time.h>

#include "clocks.h"

namespace iishost {

uint64_t TickCountMs()
{
    timespec ts;
    clock_gettime(CLOCK_BOOTTIME, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000u + static_cast<uint64_t>(ts.tv_nsec) / 1000000u;
}

} // namespace iishost
