/* websocket.c - websocket_tests.h from C. */
#include <websocket.h>

#include "check.h"
#include "websocket_tests.h"

int main(void)
{
    test_sha1_base64();
    test_handshake();
    return check_finish();
}
