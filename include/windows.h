/*
 * windows.h - the Windows SDK surface that IIS native modules compile
 * against on Linux: base types and their widths, calling-convention and
 * __declspec stand-ins, HRESULT and Win32 error codes, GUIDs, the kernel32
 * structures (OVERLAPPED, FILETIME, ...), Winsock address types, and the
 * OLE automation types with IUnknown/IDispatch.
 *
 * Types and macros only: functions (event log, OutputDebugString, ...) are
 * declared by their own headers, backed by the host at run time. Windows
 * builds use the real SDK instead of this directory.
 *
 * SDKDDKVer.h comes first, as in the SDK: the target version macros
 * (_WIN32_WINNT, NTDDI_VERSION, ...) are set after windows.h.
 *
 * As on Windows, WIN32_LEAN_AND_MEAN leaves out objbase.h (and with it the
 * `interface` macro); NOMINMAX leaves out min/max (macros in C, function
 * templates in C++; see iishost/winmacros.h). Winsock address types are always present, whether or not
 * _WINSOCKAPI_ is defined.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <windows.h>
#else
#ifndef IISHOST_WINDOWS_H
#define IISHOST_WINDOWS_H

#include "SDKDDKVer.h"
#include "specstrings.h"
#include "iishost/msvc_keywords.h"
#include "iishost/wintypes.h"
#include "iishost/winmacros.h"
#include "iishost/winerror.h"
#include "iishost/guid.h"
#include "iishost/uuidof.h"
#include "iishost/winbase_types.h"
#include "iishost/winsock_types.h"
#include "iishost/kernel32.h"
#include "iishost/slist.h"
#include "iishost/kernel_objects.h"
#include "iishost/threadpool.h"
#include "iishost/fileapi.h"
#include "iishost/memoryapi.h"
#include "iishost/formatmessage.h"
#include "iishost/sysinfo.h"
#include "iishost/fileops.h"
#include "iishost/libloader.h"
#include "iishost/crt_secure.h"
#include "iishost/crt_oldnames.h"
#include "iishost/crt_runtime.h"
#include "iishost/host_services.h"
#include "wtypes.h"
#include "oaidl.h"
#include "iishost/oleauto.h"
#ifndef WIN32_LEAN_AND_MEAN
#include "objbase.h"
#endif

#endif /* IISHOST_WINDOWS_H */
#endif /* _WIN32 */
