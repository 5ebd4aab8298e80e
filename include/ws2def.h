/* ws2def.h - socket-address types (iishost/winsock_types.h) under both spellings (iishost/winsock_names.h). */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <ws2def.h>
#else
#ifndef IISHOST_WS2DEF_H
#define IISHOST_WS2DEF_H

#include "iishost/winsock_types.h"
#include "iishost/winsock_names.h"

#endif /* IISHOST_WS2DEF_H */
#endif /* _WIN32 */
