/* winerror.h - HRESULT macros, E_* and ERROR_* codes; see iishost/winerror.h. */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <winerror.h>
#else
#ifndef IISHOST_WINERROR_PUBLIC_H
#define IISHOST_WINERROR_PUBLIC_H

#include "iishost/winerror.h"

#endif /* IISHOST_WINERROR_PUBLIC_H */
#endif /* _WIN32 */
