/*
 * The system's socket headers first, then the Windows prologue: nothing is
 * redefined, both spellings of each address work, and the Windows views are
 * byte-identical to the Linux structures the host fills in.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <stddef.h>

#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>

#include "checks.h"
#include "sockets.h"
