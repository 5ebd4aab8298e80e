/* httpserv_ahadmin.c - from C, httpserv.h alone declares ahadmin.h's interfaces (with their C
 * vtables) and CLSIDs. */
#include <httpserv.h>

#include <stddef.h>

#include "check.h"

int main(void)
{
    CHECK(IsEqualCLSID(&CLSID_AppHostAdminManager, &CLSID_AppHostAdminManager));
    CHECK(!IsEqualCLSID(&CLSID_AppHostAdminManager, &CLSID_AppHostWritableAdminManager));
    CHECK(IsEqualIID(&IID_IAppHostAdminManager, &IID_IAppHostAdminManager));
    CHECK_EQ(offsetof(IAppHostAdminManagerVtbl, GetAdminSection), 3 * sizeof(void *));
    return check_finish();
}
