/* Winsock code mixing the address spellings, compiled as C++: ws2tcpip.h first, then the
 * system and C++ library headers. */
#include <ws2tcpip.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <vector>

#include "winsock_mix.h"
