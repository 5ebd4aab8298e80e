/*
 * sockets.h - the Windows address views against Linux's own structures,
 * shared by the C and C++ translation units of this folder.
 */
#ifndef IISHOST_TEST_SOCKETS_H
#define IISHOST_TEST_SOCKETS_H

#define SAME_FIELD(win, wf, lin, lf) \
    (offsetof(win, wf) == offsetof(lin, lf) && sizeof(((win *)0)->wf) == sizeof(((lin *)0)->lf))

CHECK(sizeof(SOCKADDR_IN) == sizeof(struct sockaddr_in) && sizeof(IN_ADDR) == sizeof(struct in_addr));
CHECK(SAME_FIELD(SOCKADDR_IN, sin_family, struct sockaddr_in, sin_family));
CHECK(SAME_FIELD(SOCKADDR_IN, sin_port, struct sockaddr_in, sin_port));
CHECK(SAME_FIELD(SOCKADDR_IN, sin_addr, struct sockaddr_in, sin_addr));
CHECK(SAME_FIELD(SOCKADDR_IN, sin_addr.S_un.S_addr, struct sockaddr_in, sin_addr.s_addr));
CHECK(SAME_FIELD(SOCKADDR_IN, sin_zero, struct sockaddr_in, sin_zero));
CHECK(sizeof(SOCKADDR_IN6) == sizeof(struct sockaddr_in6) && sizeof(IN6_ADDR) == sizeof(struct in6_addr));
CHECK(SAME_FIELD(SOCKADDR_IN6, sin6_family, struct sockaddr_in6, sin6_family));
CHECK(SAME_FIELD(SOCKADDR_IN6, sin6_port, struct sockaddr_in6, sin6_port));
CHECK(SAME_FIELD(SOCKADDR_IN6, sin6_flowinfo, struct sockaddr_in6, sin6_flowinfo));
CHECK(SAME_FIELD(SOCKADDR_IN6, sin6_addr, struct sockaddr_in6, sin6_addr));
CHECK(SAME_FIELD(SOCKADDR_IN6, sin6_scope_id, struct sockaddr_in6, sin6_scope_id));
CHECK(SAME_FIELD(SOCKADDR, sa_family, struct sockaddr, sa_family));
CHECK(SAME_FIELD(SOCKADDR, sa_data, struct sockaddr, sa_data));
CHECK(sizeof(SOCKADDR_INET) == sizeof(struct sockaddr_in6));
#ifdef __cplusplus
CHECK(alignof(SOCKADDR_IN6) == alignof(struct sockaddr_in6) && alignof(SOCKADDR_IN) == alignof(struct sockaddr_in));
#else
CHECK(_Alignof(SOCKADDR_IN6) == _Alignof(struct sockaddr_in6) && _Alignof(SOCKADDR_IN) == _Alignof(struct sockaddr_in));
#endif

/* Reads an address the host stored as a Linux sockaddr, the Windows way. */
int SocketsPort(const struct sockaddr_storage *pStorage);
int SocketsPort(const struct sockaddr_storage *pStorage)
{
    const SOCKADDR *pAddr = (const SOCKADDR *)pStorage;
    const SOCKADDR_STORAGE *pSame = pStorage;
    char text[INET6_ADDRSTRLEN];

    if (pAddr->sa_family == AF_INET) {
        const SOCKADDR_IN *pIn = (const SOCKADDR_IN *)pAddr;
        const struct sockaddr_in *pLinux = (const struct sockaddr_in *)pAddr;
        if (pIn->sin_addr.S_un.S_addr != pLinux->sin_addr.s_addr || pIn->sin_addr.s_addr != pLinux->sin_addr.s_addr)
            return -1;
        if (inet_ntop(AF_INET, &pIn->sin_addr, text, sizeof(text)) == NULL)
            return -1;
        return pIn->sin_addr.S_un.S_un_b.s_b1 == 127 ? ntohs(pIn->sin_port) : -1;
    }
    if (pSame->ss_family == AF_INET6) {
        const SOCKADDR_IN6 *pIn6 = (const SOCKADDR_IN6 *)pAddr;
        const struct sockaddr_in6 *pLinux6 = (const struct sockaddr_in6 *)pAddr;
        if (pIn6->sin6_addr.u.Byte[15] != pLinux6->sin6_addr.s6_addr[15])
            return -1;
        if (pIn6->sin6_addr.s6_addr[15] != pIn6->sin6_addr.u.Byte[15])
            return -1;
        return ntohs(pIn6->sin6_port);
    }
    return -1;
}

#endif /* IISHOST_TEST_SOCKETS_H */
