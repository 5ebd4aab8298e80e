/*
 * unknwn.h - IUnknown. It is declared, with IDispatch, by the generated
 * iishost/com_interfaces.h, which needs the automation types of oaidl.h.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <unknwn.h>
#else
#ifndef IISHOST_UNKNWN_H
#define IISHOST_UNKNWN_H

#include "oaidl.h"

#endif /* IISHOST_UNKNWN_H */
#endif /* _WIN32 */
