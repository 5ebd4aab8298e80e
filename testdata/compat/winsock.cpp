/*
 * winsock.cpp - winsock_tests.h from C++17 under UNICODE, with the system's socket headers
 * first, then the generic names (GetAddrInfo, ADDRINFOT, InetPton) and std:: beside them.
 */
#define UNICODE
#define _UNICODE
#include <netinet/in.h>
#include <sys/socket.h>
#include <string>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "check.h"
#include "winsock_tests.h"

int main()
{
    test_startup();
    test_sockets();
    test_address_text();
    test_resolution();

    ADDRINFOT hints = {}, *list = nullptr;
    hints.ai_flags = AI_NUMERICHOST;
    CHECK_EQ(GetAddrInfo(L"127.0.0.1", nullptr, &hints, &list), 0);
    CHECK(list != nullptr && list->ai_family == AF_INET);
    FreeAddrInfo(list);
    IN_ADDR a;
    CHECK_EQ(InetPton(AF_INET, L"1.2.3.4", &a), 1);
    std::wstring text(32, L'\0');
    CHECK(InetNtop(AF_INET, &a, &text[0], text.size()) != nullptr);
    CHECK_WSTR(text.c_str(), L"1.2.3.4");
    struct sockaddr_in6 s6 = {};
    s6.sin6_addr = in6addr_any;
    CHECK(IN6_IS_ADDR_UNSPECIFIED(&s6.sin6_addr));
    return check_finish();
}
