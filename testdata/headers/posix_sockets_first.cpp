/* posix_sockets_first.c, compiled as C++. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <cstddef>

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>

#include "checks.h"
#include "sockets.h"
