/*
 * specstrings.h - the older SAL spellings (__in, __out_ecount(n), ...), as
 * in the SDK, where sal.h defines them and specstrings.h includes it.
 */
#ifndef IISHOST_SPECSTRINGS_H
#define IISHOST_SPECSTRINGS_H

#include "sal.h"

#endif /* IISHOST_SPECSTRINGS_H */
