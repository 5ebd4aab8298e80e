/*
 * A stand-in for Windows' bcryptprimitives.dll, for the Wine test environment only.
 *
 * Go's Windows runtime (1.24 and later) loads bcryptprimitives.dll at start and takes its random
 * bytes from ProcessPrng. Wine 8.0 (Debian 12) has no such DLL, so every Go Windows program
 * dies there before main. The tests install this build into the Wine prefix's system32; it is
 * never shipped, and real Windows has its own DLL.
 */
#include <windows.h>

/* advapi32's RtlGenRandom, exported under this name. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* ProcessPrng fills data with size random bytes. RtlGenRandom takes a 32-bit length, so a
 * larger request is filled in pieces. */
BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
    while (size > 0) {
        ULONG piece = size > 0x80000000u ? 0x80000000u : (ULONG)size;
        if (!SystemFunction036(data, piece))
            return FALSE;
        data += piece;
        size -= piece;
    }
    return TRUE;
}
