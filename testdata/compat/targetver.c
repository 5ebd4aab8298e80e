/*
 * targetver.c - a Visual Studio project's targetver.h habit: WinSDKVer.h, the project's own
 * _WIN32_WINNT, then SDKDDKVer.h, then windows.h. The other macros follow the chosen target,
 * and version tests in #if pick the right branches.
 */
#include <WinSDKVer.h>
#define _WIN32_WINNT _WIN32_WINNT_WIN7
#include <SDKDDKVer.h>
#include <windows.h>

#include "check.h"

#if _WIN32_WINNT >= _WIN32_WINNT_VISTA && NTDDI_VERSION >= NTDDI_WIN7 && NTDDI_VERSION < NTDDI_WIN8
#define CHOSE_WIN7 1
#else
#define CHOSE_WIN7 0
#endif

int main(void)
{
    CHECK_EQ(_WIN32_WINNT, 0x0601);
    CHECK_EQ(WINVER, 0x0601);
    CHECK_EQ(NTDDI_VERSION, 0x06010000);
    CHECK_EQ(_WIN32_IE, _WIN32_IE_IE80);
    CHECK_EQ(CHOSE_WIN7, 1);
    CHECK_EQ(_WIN32_WINNT_MAXVER, _WIN32_WINNT_WIN10);
    CHECK_EQ(OSVER(NTDDI_WINXPSP3), NTDDI_WINXP);
    CHECK_EQ(SPVER(NTDDI_WINXPSP3), 3);
    CHECK_EQ(NTDDI_VERSION_FROM_WIN32_WINNT(_WIN32_WINNT_WIN8), NTDDI_WIN8);
    CHECK_EQ(NTDDI_VISTASP1, 0x06000100);
    CHECK_EQ(NTDDI_WIN10_RS5, 0x0A000006);
    return check_finish();
}
