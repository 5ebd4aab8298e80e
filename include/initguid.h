/*
 * initguid.h - on Windows, makes the following DEFINE_GUIDs define their
 * GUIDs instead of declaring them. Here DEFINE_GUID always defines them
 * (see iishost/guid.h for why), so this only sets INITGUID for code that
 * tests it.
 */
#ifndef INITGUID
#define INITGUID
#endif

#include "iishost/guid.h"
