/* WIN32_LEAN_AND_MEAN leaves out objbase.h's `interface`; NOMINMAX leaves out min/max. */
#define WIN32_LEAN_AND_MEAN
#define NOMINMAX
#include <windows.h>

#include "checks.h"

#ifdef interface
#error "interface must not be a macro under WIN32_LEAN_AND_MEAN"
#endif
#ifdef min
#error "min must not be a macro under NOMINMAX"
#endif

/* The identifiers those macros would have taken stay usable. */
int interface_count(int min, int max);
int interface_count(int min, int max)
{
    return max - min;
}
