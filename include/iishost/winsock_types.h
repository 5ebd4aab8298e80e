/*
 * iishost/winsock_types.h - Winsock's socket-address types under their
 * Windows names, for modules that define _WINSOCKAPI_ and read the
 * addresses IHttpRequest::GetRemoteAddress/GetLocalAddress return.
 *
 * The host fills these from Linux sockets, so:
 *  - SOCKADDR and SOCKADDR_STORAGE are the system's own struct sockaddr and
 *    struct sockaddr_storage (same members as Windows);
 *  - SOCKADDR_IN, SOCKADDR_IN6, IN_ADDR and IN6_ADDR are our own structs,
 *    byte-identical to Linux's sockaddr_in/sockaddr_in6/in_addr/in6_addr,
 *    that add the Windows member names (sin_addr.S_un.S_addr, sin6_addr.u.Byte).
 *    They have their own struct tags, so <netinet/in.h> may be included too:
 *    with windows.h alone `struct sockaddr_in` stays Linux's and SOCKADDR_IN
 *    is the Windows view; the Winsock headers (winsock2.h, ws2def.h,
 *    ws2tcpip.h) make the struct tags name the Windows views, as on Windows
 *    (winsock_names.h);
 *  - AF_INET and AF_INET6 are the system's values (2 and 10 on Linux; Windows
 *    uses 23 for AF_INET6), because sa_family holds what the OS wrote.
 * htons/ntohs/htonl/ntohl and inet_ntop come from <arpa/inet.h>.
 */
#ifndef IISHOST_WINSOCK_TYPES_H
#define IISHOST_WINSOCK_TYPES_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "wintypes.h"

typedef USHORT ADDRESS_FAMILY;

/* http.h makes the same typedef under the same guard. */
#ifndef IISHOST_SOCKADDR_DEFINED
#define IISHOST_SOCKADDR_DEFINED
typedef struct sockaddr SOCKADDR, *PSOCKADDR, *LPSOCKADDR;
#endif
typedef struct sockaddr_storage SOCKADDR_STORAGE, *PSOCKADDR_STORAGE, *LPSOCKADDR_STORAGE;

/* An IPv4 address in network byte order. Windows spells `s_addr` as a macro
 * for S_un.S_addr; here it is a member, because Linux's struct in_addr has a
 * member of that name that such a macro would break. */
IISHOST_NAMELESS typedef struct iishost_in_addr {
    IISHOST_NAMELESS union {
        union {
            struct {
                UCHAR s_b1, s_b2, s_b3, s_b4;
            } S_un_b;
            struct {
                USHORT s_w1, s_w2;
            } S_un_w;
            ULONG S_addr;
        } S_un;
        ULONG s_addr;
    };
} IN_ADDR, *PIN_ADDR, *LPIN_ADDR;

/* An IPv6 address. Windows' s6_addr is a macro too, and so is glibc's
 * (it expands to __in6_u.__u6_addr8): the glibc-named member lets
 * `addr.s6_addr[i]` keep working on IN6_ADDR. */
IISHOST_NAMELESS typedef struct iishost_in6_addr {
    IISHOST_NAMELESS union {
        union {
            UCHAR Byte[16];
            USHORT Word[8];
        } u;
        UCHAR s6_bytes[16];
        USHORT s6_words[8];
#if defined(__GLIBC__)
        union {
            uint8_t __u6_addr8[16];
            uint16_t __u6_addr16[8];
            uint32_t __u6_addr32[4];
        } __in6_u;
#endif
    };
} IN6_ADDR, *PIN6_ADDR, *LPIN6_ADDR;

typedef struct iishost_sockaddr_in {
    ADDRESS_FAMILY sin_family;
    USHORT sin_port; /* network byte order */
    IN_ADDR sin_addr;
    CHAR sin_zero[8];
} SOCKADDR_IN, *PSOCKADDR_IN, *LPSOCKADDR_IN;

IISHOST_NAMELESS typedef struct iishost_scope_id {
    IISHOST_NAMELESS union {
        IISHOST_NAMELESS struct {
            ULONG Zone : 28;
            ULONG Level : 4;
        };
        ULONG Value;
    };
} SCOPE_ID, *PSCOPE_ID;

typedef struct iishost_sockaddr_in6 {
    ADDRESS_FAMILY sin6_family;
    USHORT sin6_port; /* network byte order */
    ULONG sin6_flowinfo;
    IN6_ADDR sin6_addr;
    IISHOST_NAMELESS union {
        ULONG sin6_scope_id;
        SCOPE_ID sin6_scope_struct;
    };
} SOCKADDR_IN6, SOCKADDR_IN6_LH, *PSOCKADDR_IN6, *PSOCKADDR_IN6_LH, *LPSOCKADDR_IN6;

/* Either address kind; si_family says which. */
typedef union iishost_sockaddr_inet {
    SOCKADDR_IN Ipv4;
    SOCKADDR_IN6 Ipv6;
    ADDRESS_FAMILY si_family;
} SOCKADDR_INET, *PSOCKADDR_INET;

#endif /* IISHOST_WINSOCK_TYPES_H */
