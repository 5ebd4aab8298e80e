// GetTickCount64's clock on Windows is GetTickCount64 itself (tick_count_linux.cpp explains the
// use), so a module's own readings and the host's agree exactly.
#include <windows.h>

#include "clocks.h"

namespace iishost {

uint64_t TickCountMs() { return GetTickCount64(); }

} // namespace iishost
