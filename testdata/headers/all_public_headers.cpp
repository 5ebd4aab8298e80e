/* Every public header of include/ in one translation unit, after the prologue. */
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>
#include <httpserv.h>

#include <ahadmin.h>
#include <http.h>
#include <httpcach.h>
#include <httptrace.h>
#include <iiswebsocket.h>
#include <initguid.h>
#include <intrin.h>
#include <intsafe.h>
#include <io.h>
#include <oaidl.h>
#include <objbase.h>
#include <shlwapi.h>
#include <specstrings.h>
#include <unknwn.h>
#include <websocket.h>
#include <winerror.h>
#include <winsock2.h>
#include <ws2def.h>
#include <ws2tcpip.h>
#include <wtypes.h>
