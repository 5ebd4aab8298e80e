//go:build !windows

// The completion pump's wake on Unix: one byte to the pipe's non-blocking write end.
#include <unistd.h>

#include <cstdint>

#include "pipeline.h"

namespace iishost {

void WritePumpWake(uintptr_t handle)
{
    char byte = 1;
    // The pipe cannot fill (one byte per drain); EAGAIN would mean a byte is there already.
    ssize_t written = write(static_cast<int>(handle), &byte, 1);
    (void)written;
}

} // namespace iishost
