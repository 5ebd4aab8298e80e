/* ws2def.h - socket-address types (iishost/winsock_types.h) under both spellings (iishost/winsock_names.h). */
#ifndef IISHOST_WS2DEF_H
#define IISHOST_WS2DEF_H

#include "iishost/winsock_types.h"
#include "iishost/winsock_names.h"

#endif /* IISHOST_WS2DEF_H */
