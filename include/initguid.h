/*
 * initguid.h - on Windows, makes the following DEFINE_GUIDs define their
 * GUIDs instead of declaring them. Here DEFINE_GUID always defines them
 * (see iishost/guid.h for why), so this only sets INITGUID for code that
 * tests it.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <initguid.h>
#else
#ifndef INITGUID
#define INITGUID
#endif

#include "iishost/guid.h"
#endif /* _WIN32 */
