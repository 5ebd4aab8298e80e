// The GUIDs httpserv.h, ahadmin.h and iiswebsocket.h name, defined once for the bridge: on
// Windows DEFINE_GUID only declares a GUID unless initguid.h came before it (iishost's own
// DEFINE_GUID on Linux defines it in every file, as a selectany constant).
#include <winsock2.h>
#include <windows.h>
#include <initguid.h>

#include <httpserv.h>
#include <ahadmin.h>
#include <iiswebsocket.h>
