/* combaseapi.h - Windows spreads the COM and OLE Automation declarations over several headers; here
   windows.h carries them all. */
#include <windows.h>
