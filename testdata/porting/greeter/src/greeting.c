/* greeting.c - C, saved as UTF-8 with a byte-order mark. GREETING_TEXT is this file's own
 * define in the project; BUILD_CONFIG comes from the configuration's. */
#include <stddef.h>

#ifndef GREETER_SHEET
#error "Greeter.props defines GREETER_SHEET for every source"
#endif

const char *Greeting(void)
{
    return GREETING_TEXT " from " BUILD_CONFIG;
}
