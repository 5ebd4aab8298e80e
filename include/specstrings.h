/*
 * specstrings.h - the older SAL spellings (__in, __out_ecount(n), ...), as
 * in the SDK, where sal.h defines them and specstrings.h includes it.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <specstrings.h>
#else
#ifndef IISHOST_SPECSTRINGS_H
#define IISHOST_SPECSTRINGS_H

#include "sal.h"

#endif /* IISHOST_SPECSTRINGS_H */
#endif /* _WIN32 */
