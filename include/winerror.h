/* winerror.h - HRESULT macros, E_* and ERROR_* codes; see iishost/winerror.h. */
#ifndef IISHOST_WINERROR_PUBLIC_H
#define IISHOST_WINERROR_PUBLIC_H

#include "iishost/winerror.h"

#endif /* IISHOST_WINERROR_PUBLIC_H */
