/*
 * winsock2.h - Winsock's types for modules that include it. Only the types
 * and their sentinel values exist: the socket functions are the system's
 * (<sys/socket.h>), which take an int descriptor rather than a SOCKET.
 */
#ifndef IISHOST_WINSOCK2_H
#define IISHOST_WINSOCK2_H

#include "windows.h"

typedef UINT_PTR SOCKET;
#define INVALID_SOCKET ((SOCKET)(~0))
#define SOCKET_ERROR (-1)

#endif /* IISHOST_WINSOCK2_H */
