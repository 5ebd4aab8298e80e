/* Winsock code mixing the address spellings, compiled as C: system headers on both sides. */
#include <sys/socket.h>
#include <netinet/in.h>

#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>

#include <netdb.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include "winsock_mix.h"
