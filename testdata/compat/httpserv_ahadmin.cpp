/*
 * httpserv_ahadmin.cpp - httpserv.h alone brings ahadmin.h, as the SDK's does, and __uuidof
 * works on its coclasses and interfaces with no other header (it is a keyword in MSVC):
 * __uuidof(AppHostAdminManager) is CLSID_AppHostAdminManager. Outside a host, CoCreateInstance
 * of it fails with REGDB_E_CLASSNOTREG, as it does where the class is not registered.
 */
#include <httpserv.h>

#include "check.h"

int main()
{
    CHECK(__uuidof(AppHostAdminManager) == CLSID_AppHostAdminManager);
    CHECK(__uuidof(AppHostWritableAdminManager) == CLSID_AppHostWritableAdminManager);
    CHECK(__uuidof(AppHostAdminManager) != __uuidof(AppHostWritableAdminManager));
    CHECK(__uuidof(IAppHostAdminManager) == IID_IAppHostAdminManager);
    CHECK(__uuidof(IAppHostElement *) == IID_IAppHostElement);
    CHECK(CLSID_AppHostAdminManager.Data1 == 0x228FB8F7u && CLSID_AppHostAdminManager.Data4[7] == 0x5B);

    IAppHostAdminManager *manager = reinterpret_cast<IAppHostAdminManager *>(1);
    CHECK_EQ(CoCreateInstance(__uuidof(AppHostAdminManager), NULL, CLSCTX_INPROC_SERVER,
                              __uuidof(IAppHostAdminManager), reinterpret_cast<void **>(&manager)),
             REGDB_E_CLASSNOTREG);
    CHECK(manager == NULL);
    return check_finish();
}
