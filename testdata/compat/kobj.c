/*
 * kobj.c - Win32 kernel objects (iishost/kernel_objects.h, threadpool.h,
 * process.h) from strict ISO C, with windows.h first: the checks of
 * kobj_tests.h.
 */
#include <windows.h>
#include <process.h>

#include <errno.h>
#include <string.h>

#include "check.h"
#include "kobj_tests.h"

int main(void)
{
    run_kobj_tests();
    return check_finish();
}
