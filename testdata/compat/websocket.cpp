/* websocket.cpp - websocket_tests.h from C++17, beside httpserv.h and iiswebsocket.h as an IIS
 * WebSocket module includes them. */
#include <httpserv.h>
#include <iiswebsocket.h>
#include <websocket.h>

#include <string>

#include "check.h"
#include "websocket_tests.h"

int main()
{
    test_sha1_base64();
    test_handshake();
    return check_finish();
}
