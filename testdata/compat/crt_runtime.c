/* crt_runtime.c - crt_runtime_tests.h in strict ISO C, where glibc hides strdup and wcsdup. */
#include <windows.h>

#include "check.h"
#include "crt_runtime_tests.h"

int main(void)
{
    test_old_names();
    test_aligned();
    test_dupenv();
    test_time();
    return check_finish();
}
