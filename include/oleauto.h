/* oleauto.h - Windows spreads the COM and OLE Automation declarations over several headers; here
   windows.h carries them all. */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <oleauto.h>
#else
#include <windows.h>
#endif /* _WIN32 */
