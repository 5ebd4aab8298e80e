/* The base headers alone, compiled as C: checks.h's assertions and usage.h's code. */
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>

#include "checks.h"
#include "usage.h"

/* min/max are macros in C unless NOMINMAX. */
CHECK(min(3, 4) == 3 && max(3, 4) == 4);
