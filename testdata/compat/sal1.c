/* sal1.c - SAL 1 from sal.h alone, in C, where __in and __out exist too. */
#include <sal.h>

#include "check.h"
#include "sal1_tests.h"

static int sal1_plain(__in const char *s, __out size_t *n)
{
    *n = strlen(s);
    return 1;
}

int main(void)
{
    size_t n = 0;
    test_sal1();
    CHECK(sal1_plain("four", &n) && n == 4);
    return check_finish();
}
