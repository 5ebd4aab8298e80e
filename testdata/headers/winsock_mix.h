/*
 * winsock_mix.h - Windows socket code that mixes the spellings of one address type, shared by
 * winsock_mix.c and winsock_mix.cpp: after winsock2.h, `struct sockaddr_in` is SOCKADDR_IN,
 * `struct in_addr` has S_un, and in6addr_any is an IN6_ADDR, as with the SDK.
 */
#ifndef IISHOST_TEST_WINSOCK_MIX_H
#define IISHOST_TEST_WINSOCK_MIX_H

#include <stddef.h>

#ifdef __cplusplus
#define MIX_CHECK(e) static_assert(e, #e)
#else
#define MIX_CHECK(e) _Static_assert(e, #e)
#endif

MIX_CHECK(sizeof(struct sockaddr_in) == 16 && sizeof(struct sockaddr_in6) == 28);
MIX_CHECK(sizeof(struct in_addr) == 4 && sizeof(struct in6_addr) == 16 && sizeof(WSADATA) == 408);
MIX_CHECK(offsetof(struct sockaddr_in, sin_addr) == offsetof(SOCKADDR_IN, sin_addr));
MIX_CHECK(offsetof(WSADATA, lpVendorInfo) == 8 && offsetof(WSADATA, szDescription) == 16);
MIX_CHECK(sizeof(ADDRINFOW) == 48 && offsetof(ADDRINFOW, ai_canonname) == 24);

int MixBind(SOCKET s, USHORT port);
int MixBind(SOCKET s, USHORT port)
{
    struct sockaddr_in sin;
    SOCKADDR_IN *same = &sin; /* one type under both names */
    struct in_addr loop;
    IN_ADDR *view = &loop;
    struct sockaddr_in6 sin6;
    IN6_ADDR any = in6addr_any;
    PSOCKADDR_IN6 p6 = &sin6;
    ZeroMemory(&sin, sizeof(sin));
    sin.sin_family = AF_INET;
    sin.sin_port = htons(port);
    loop.S_un.S_addr = htonl(INADDR_LOOPBACK);
    sin.sin_addr = loop;
    same->sin_addr.S_un.S_un_b.s_b4 = view->S_un.S_un_b.s_b4;
    ZeroMemory(&sin6, sizeof(sin6));
    p6->sin6_addr = any;
    sin6.sin6_addr = in6addr_loopback;
    if (!IN6_IS_ADDR_LOOPBACK(&sin6.sin6_addr) || inet_ntoa(sin.sin_addr) == NULL)
        return SOCKET_ERROR;
    if (sin.sin_addr.s_addr == INADDR_NONE || p6->sin6_addr.u.Byte[15] != 1)
        return SOCKET_ERROR;
    return bind((int)s, (SOCKADDR *)&sin, sizeof(sin)) == 0 ? 0 : WSAGetLastError();
}

#endif /* IISHOST_TEST_WINSOCK_MIX_H */
