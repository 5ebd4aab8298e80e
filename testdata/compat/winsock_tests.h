/*
 * winsock_tests.h - the Winsock checks winsock.c (C) and winsock.cpp (C++) both run over real
 * loopback sockets: WSAStartup/WSACleanup, the address types mixed as Windows code mixes them,
 * ioctlsocket, WSAGetLastError for the failures code tests for, closesocket,
 * WSAAddressToString, and ws2tcpip.h's resolution and text functions. Written in the common
 * subset of C and C++, after ws2tcpip.h and check.h.
 */
#ifndef IISHOST_COMPAT_WINSOCK_TESTS_H
#define IISHOST_COMPAT_WINSOCK_TESTS_H

static void test_startup(void)
{
    WSADATA data;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &data), 0);
    CHECK_EQ(data.wVersion, MAKEWORD(2, 2));
    CHECK_EQ(data.wHighVersion, MAKEWORD(2, 2));
    CHECK_STR(data.szSystemStatus, "Running");
    CHECK_EQ(WSAStartup(MAKEWORD(1, 1), &data), 0);
    CHECK_EQ(data.wVersion, MAKEWORD(1, 1));
    CHECK_EQ(WSAStartup(MAKEWORD(3, 0), &data), 0); /* above 2.2: 2.2 */
    CHECK_EQ(data.wVersion, MAKEWORD(2, 2));
    CHECK_EQ(WSAStartup(MAKEWORD(0, 9), &data), WSAVERNOTSUPPORTED);
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), NULL), WSAEFAULT);
    CHECK_EQ(WSACleanup(), 0);
    CHECK_EQ(WSACleanup(), 0);
    CHECK_EQ(WSACleanup(), 0);
    CHECK_EQ(WSACleanup(), SOCKET_ERROR); /* three starts, three cleanups */
    CHECK_EQ(WSAGetLastError(), WSANOTINITIALISED);
    CHECK_EQ(GetLastError(), WSANOTINITIALISED);
    WSASetLastError(WSAECONNRESET);
    CHECK_EQ(WSAGetLastError(), WSAECONNRESET);
    WSASetLastError(0);
    CHECK_EQ(WSAGetLastError(), 0);
}

/* A listening socket on 127.0.0.1, its port in *port. */
static SOCKET listen_loopback(USHORT *port)
{
    SOCKET s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sin; /* the Windows spelling and members on the system's name */
    SOCKADDR_IN *view = &sin;
    socklen_t len = sizeof sin;
    memset(&sin, 0, sizeof sin);
    sin.sin_family = AF_INET;
    sin.sin_addr.S_un.S_addr = htonl(INADDR_LOOPBACK);
    CHECK(s != INVALID_SOCKET);
    CHECK_EQ(bind(s, (SOCKADDR *)&sin, sizeof sin), 0);
    CHECK_EQ(listen(s, 4), 0);
    CHECK_EQ(getsockname(s, (struct sockaddr *)view, &len), 0);
    CHECK_EQ(view->sin_addr.S_un.S_un_b.s_b1, 127);
    CHECK_STR(inet_ntoa(sin.sin_addr), "127.0.0.1");
    *port = ntohs(view->sin_port);
    return s;
}

static void test_sockets(void)
{
    USHORT port = 0;
    SOCKET server = listen_loopback(&port), client, accepted;
    u_long mode = 1, ready = 0;
    SOCKADDR_IN to;
    char buf[8];
    int tries;

    /* A non-blocking accept with nobody connecting: WSAEWOULDBLOCK. */
    CHECK_EQ(ioctlsocket(server, FIONBIO, &mode), 0);
    CHECK(accept(server, NULL, NULL) == (int)SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);

    /* A non-blocking connect reports WSAEWOULDBLOCK, as on Windows (Linux says EINPROGRESS). */
    client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK_EQ(ioctlsocket(client, FIONBIO, &mode), 0);
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    CHECK_EQ(inet_pton(AF_INET, "127.0.0.1", &to.sin_addr), 1);
    if (connect(client, (SOCKADDR *)&to, sizeof to) != 0)
        CHECK_EQ(WSAGetLastError(), WSAEWOULDBLOCK);
    mode = 0;
    CHECK_EQ(ioctlsocket(client, FIONBIO, &mode), 0); /* blocking again */
    accepted = INVALID_SOCKET;
    for (tries = 0; tries < 2000 && accepted == INVALID_SOCKET; tries++) {
        int fd = accept(server, NULL, NULL);
        if (fd >= 0)
            accepted = (SOCKET)fd;
        else
            Sleep(1);
    }
    CHECK(accepted != INVALID_SOCKET);

    /* FIONREAD counts what arrived. */
    CHECK_EQ(send(client, "hello", 5, 0), 5);
    for (tries = 0; tries < 2000 && ready < 5; tries++) {
        CHECK_EQ(ioctlsocket(accepted, FIONREAD, &ready), 0);
        if (ready < 5)
            Sleep(1);
    }
    CHECK_EQ(ready, 5);
    CHECK_EQ(recv(accepted, buf, sizeof buf, 0), 5);
    CHECK_EQ(ioctlsocket(accepted, SIOCATMARK, &ready), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    CHECK_EQ(closesocket(accepted), 0);
    CHECK_EQ(closesocket(client), 0);
    CHECK_EQ(closesocket(server), 0);
    CHECK_EQ(closesocket(server), SOCKET_ERROR); /* already closed */
    CHECK_EQ(WSAGetLastError(), WSAENOTSOCK);

    /* Connection refused on the port nobody listens on any more. */
    client = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(connect(client, (SOCKADDR *)&to, sizeof to) == SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAECONNREFUSED);
    closesocket(client);
}

static void test_address_text(void)
{
    SOCKADDR_IN in4;
    SOCKADDR_IN6 in6;
    char text[64];
    WCHAR wide[64];
    DWORD len = sizeof text;

    memset(&in4, 0, sizeof in4);
    in4.sin_family = AF_INET;
    in4.sin_addr.S_un.S_un_b.s_b1 = 192, in4.sin_addr.S_un.S_un_b.s_b2 = 168;
    in4.sin_addr.S_un.S_un_b.s_b3 = 1, in4.sin_addr.S_un.S_un_b.s_b4 = 20;
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&in4, sizeof in4, NULL, text, &len), 0);
    CHECK_STR(text, "192.168.1.20");
    CHECK_EQ(len, 13); /* with the terminator */
    in4.sin_port = htons(8080);
    len = 64;
    CHECK_EQ(WSAAddressToStringW((LPSOCKADDR)&in4, sizeof in4, NULL, wide, &len), 0);
    CHECK_WSTR(wide, L"192.168.1.20:8080");
    len = 5; /* too small: the size needed comes back */
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&in4, sizeof in4, NULL, text, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    CHECK_EQ(len, 18);

    memset(&in6, 0, sizeof in6);
    in6.sin6_family = AF_INET6;
    in6.sin6_addr = in6addr_loopback;
    CHECK(IN6_IS_ADDR_LOOPBACK(&in6.sin6_addr));
    len = sizeof text;
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&in6, sizeof in6, NULL, text, &len), 0);
    CHECK_STR(text, "::1");
    CHECK_EQ(InetPtonW(AF_INET6, L"fe80::1", &in6.sin6_addr), 1);
    in6.sin6_scope_id = 4;
    in6.sin6_port = htons(443);
    len = sizeof text;
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&in6, sizeof in6, NULL, text, &len), 0);
    CHECK_STR(text, "[fe80::1%4]:443");
    CHECK_EQ(in6.sin6_addr.u.Byte[0], 0xfe);
    len = sizeof text;
    in6.sin6_family = 12345;
    CHECK_EQ(WSAAddressToStringA((LPSOCKADDR)&in6, sizeof in6, NULL, text, &len), SOCKET_ERROR);
    CHECK_EQ(WSAGetLastError(), WSAEINVAL);

    /* InetPton/InetNtop, wide. */
    CHECK_EQ(InetPtonW(AF_INET, L"10.1.2.3", &in4.sin_addr), 1);
    CHECK_EQ(in4.sin_addr.S_un.S_un_b.s_b4, 3);
    CHECK(InetNtopW(AF_INET, &in4.sin_addr, wide, 64) == wide);
    CHECK_WSTR(wide, L"10.1.2.3");
    CHECK(InetNtopW(AF_INET, &in4.sin_addr, wide, 4) == NULL);
    CHECK_EQ(WSAGetLastError(), ERROR_INVALID_PARAMETER);
    CHECK_EQ(InetPtonW(AF_INET, L"10.1.2", &in4.sin_addr), 0);
    CHECK_EQ(InetPtonW(99, L"10.1.2.3", &in4.sin_addr), -1);
    CHECK_EQ(WSAGetLastError(), WSAEAFNOSUPPORT);
}

static void test_resolution(void)
{
    ADDRINFOA hints, *list = NULL;
    ADDRINFOW whints, *wlist = NULL, *w;
    WCHAR host[NI_MAXHOST], serv[NI_MAXSERV], tiny[4];
    int count = 0;

    memset(&hints, 0, sizeof hints);
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    hints.ai_socktype = SOCK_STREAM;
    CHECK_EQ(getaddrinfo("127.0.0.1", "8080", &hints, &list), 0);
    CHECK(list != NULL && list->ai_family == AF_INET);
    CHECK(list != NULL && ntohs(((SOCKADDR_IN *)(void *)list->ai_addr)->sin_port) == 8080);
    freeaddrinfo(list);

    memset(&whints, 0, sizeof whints);
    whints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_CANONNAME;
    whints.ai_socktype = SOCK_STREAM;
    CHECK_EQ(GetAddrInfoW(L"::1", L"8443", &whints, &wlist), 0);
    for (w = wlist; w != NULL; w = w->ai_next, count++) {
        const SOCKADDR_IN6 *a = (const SOCKADDR_IN6 *)(const void *)w->ai_addr;
        CHECK_EQ(w->ai_family, AF_INET6);
        CHECK_EQ(w->ai_addrlen, sizeof(SOCKADDR_IN6));
        CHECK_EQ(ntohs(a->sin6_port), 8443);
        CHECK(IN6_IS_ADDR_LOOPBACK(&a->sin6_addr));
        CHECK_WSTR(w->ai_canonname, L"::1");
        CHECK_EQ(GetNameInfoW(w->ai_addr, (socklen_t)w->ai_addrlen, host, NI_MAXHOST, serv, NI_MAXSERV,
                              NI_NUMERICHOST | NI_NUMERICSERV),
                 0);
        CHECK_WSTR(host, L"::1");
        CHECK_WSTR(serv, L"8443");
        CHECK_EQ(GetNameInfoW(w->ai_addr, (socklen_t)w->ai_addrlen, tiny, 2, NULL, 0, NI_NUMERICHOST),
                 EAI_OVERFLOW);
        CHECK_EQ(WSAGetLastError(), WSAEFAULT);
    }
    CHECK_EQ(count, 1);
    FreeAddrInfoW(wlist);

    /* Not an address, and no lookup allowed: EAI_NONAME, WSAHOST_NOT_FOUND as on Windows. */
    wlist = (PADDRINFOW)&count;
    CHECK_EQ(GetAddrInfoW(L"not an address", NULL, &whints, &wlist), EAI_NONAME);
    CHECK(wlist == NULL);
    CHECK_EQ(WSAGetLastError(), WSAHOST_NOT_FOUND);
    CHECK(gai_strerror(EAI_NONAME) != NULL);
}

#endif /* IISHOST_COMPAT_WINSOCK_TESTS_H */
