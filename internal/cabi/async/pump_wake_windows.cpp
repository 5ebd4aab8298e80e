// The completion pump's wake on Windows: os.Pipe's write end is a HANDLE, not a C runtime
// descriptor, so the byte goes through WriteFile (write() on it would fail and the pump would
// never wake).
#include <cstdint>

#include "pipeline.h" // first: it brings httpserv.h, which orders winsock2.h before windows.h

namespace iishost {

void WritePumpWake(uintptr_t handle)
{
    char byte = 1;
    DWORD written = 0;
    // One byte per drain cannot fill the pipe's buffer, so this never blocks for long.
    (void)WriteFile(reinterpret_cast<HANDLE>(handle), &byte, 1, &written, nullptr);
}

} // namespace iishost
