/*
 * WinSDKVer.h - the newest Windows versions the SDK knows, which a
 * project's targetver.h may read before it sets _WIN32_WINNT and includes
 * SDKDDKVer.h. The newest here is Windows 10, SDKDDKVer.h's default.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <winsdkver.h>
#else
#ifndef IISHOST_WINSDKVER_H
#define IISHOST_WINSDKVER_H

#define _WIN32_MAXVER 0x0A00
#define _WIN32_WINDOWS_MAXVER 0x0A00
#define NTDDI_MAXVER 0x0A00
#define _WIN32_IE_MAXVER 0x0A00
#define _WIN32_WINNT_MAXVER 0x0A00
#define WINVER_MAXVER 0x0A00

#endif /* IISHOST_WINSDKVER_H */
#endif /* _WIN32 */
