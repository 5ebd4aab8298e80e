/* ws2def.h - socket-address types; see iishost/winsock_types.h. */
#ifndef IISHOST_WS2DEF_H
#define IISHOST_WS2DEF_H

#include "iishost/winsock_types.h"

#endif /* IISHOST_WS2DEF_H */
