// The socket address types (sockaddr_storage, sockaddr_in6, AF_INET6) and inet_pton/inet_ntop/
// ntohs, from each platform's own headers.
#pragma once

#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#endif
