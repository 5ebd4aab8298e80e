/*
 * The Windows prologue first, then the C and POSIX headers a module uses:
 * none of our macros (SAL, min/max, ...) may break them.
 */
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <specstrings.h>
#include <objbase.h>
#include <winsock2.h>
#include <initguid.h>

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>
#include <wctype.h>
#if __STDC_VERSION__ >= 201112L
#include <stdalign.h>
#include <stdatomic.h>
#include <stdnoreturn.h>
#endif

#include <arpa/inet.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

int StdlibUse(const DWORD *values, size_t count);
int StdlibUse(const DWORD *values, size_t count)
{
    DWORD largest = 0;
    size_t i;
    char text[32];
    for (i = 0; i < count; i++)
        largest = max(largest, values[i]);
    snprintf(text, sizeof(text), "%u", (unsigned)min(largest, 7u));
    return (int)(strlen(text) + wcslen(L"iishost"));
}
