/* winsock.c - winsock_tests.h in strict ISO C, where glibc hides getaddrinfo's interface. */
#include <winsock2.h>
#include <ws2tcpip.h>

#include "check.h"
#include "winsock_tests.h"

int main(void)
{
    test_startup();
    test_sockets();
    test_address_text();
    test_resolution();
    return check_finish();
}
