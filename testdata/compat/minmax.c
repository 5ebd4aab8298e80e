/* minmax.c - min, max, __min and __max as the SDK's C macros: values, mixed types, and the
 * macro's evaluation (a side effect runs twice, as on Windows). */
#include <windows.h>

#include "check.h"

int main(void)
{
    DWORD cb = 10;
    int i = 0;
    CHECK_EQ(min(3, 4), 3);
    CHECK_EQ(max(3, 4), 4);
    CHECK_EQ(min(cb, sizeof(DWORD)), 4);
    CHECK_EQ(max(-1, 2), 2);
    CHECK_EQ(__min(7, 5), 5);
    CHECK_EQ(__max(7, 5), 7);
    CHECK_EQ(max(++i, 0), 2); /* ++i is evaluated twice by the macro */
    CHECK_EQ(i, 2);
    return check_finish();
}
