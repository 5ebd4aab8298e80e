/*
 * iishost/winsock_names.h - one address type under both spellings, as in
 * Windows, for sources that include winsock2.h, ws2def.h or ws2tcpip.h.
 *
 * On Windows `struct sockaddr_in` and SOCKADDR_IN are the same type, and
 * `struct in_addr` has S_un; code mixes the spellings freely
 * (sa.sin_addr.S_un.S_addr, SOCKADDR_IN *p = &sin). glibc's own structs
 * have other members, so from here on the struct tags name the Windows
 * views of winsock_types.h, which are byte-identical to glibc's:
 * `struct sockaddr_in`, `struct sockaddr_in6`, `struct in_addr` and
 * `struct in6_addr` become SOCKADDR_IN, SOCKADDR_IN6, IN_ADDR and IN6_ADDR.
 * The glibc functions that take or return these structs by value
 * (inet_ntoa) and its in6addr_any/in6addr_loopback objects are wrapped to
 * match; glibc's IN6_IS_ADDR_* macros already work on IN6_ADDR.
 *
 * windows.h alone keeps glibc's tags (the host and cabi see Linux's
 * structs): only the Winsock headers rename them, as only they declare
 * sockaddr_in on Windows. System headers included later that embed
 * `struct in_addr` (netinet/ip.h, ...) get the same bytes under our name.
 */
#ifndef IISHOST_WINSOCK_NAMES_H
#define IISHOST_WINSOCK_NAMES_H

#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "winsock_types.h"

/* glibc's inet_ntoa takes its own struct in_addr by value; this one takes IN_ADDR. Written
 * before the renames below, while `struct in_addr` still names glibc's type. */
static __inline__ char *iishost_inet_ntoa(IN_ADDR in)
{
    struct in_addr g;
    memcpy(&g, &in, sizeof g);
    return inet_ntoa(g);
}

#define in_addr iishost_in_addr
#define in6_addr iishost_in6_addr
#define sockaddr_in iishost_sockaddr_in
#define sockaddr_in6 iishost_sockaddr_in6
#define inet_ntoa(in) iishost_inet_ntoa(in)
/* The same objects, seen as IN6_ADDR (a macro may name itself without recursing). */
#define in6addr_any (*(const IN6_ADDR *)(const void *)&in6addr_any)
#define in6addr_loopback (*(const IN6_ADDR *)(const void *)&in6addr_loopback)

#endif /* IISHOST_WINSOCK_NAMES_H */
