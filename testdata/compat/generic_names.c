/* generic_names.c - the generic names of A/W pairs in a narrow (ANSI) C build: the A forms. */
#include <windows.h>

#include "check.h"
#include "generic_names.h"

_Static_assert(sizeof(TCHAR) == 1, "a narrow build");

int main(void)
{
    check_generic_names();
    return check_finish();
}
