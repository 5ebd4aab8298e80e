/* The base headers alone, compiled as C++: checks.h's assertions and usage.h's code. */
#define _WINSOCKAPI_
#include <windows.h>
#include <sal.h>

#include "checks.h"
#include "usage.h"

/* A hand-declared COM interface, as older sources write them. */
#undef INTERFACE
#define INTERFACE IUsageWidget
DECLARE_INTERFACE_(IUsageWidget, IUnknown)
{
    STDMETHOD(Spin)(THIS_ DWORD dwTimes) PURE;
    STDMETHOD_(ULONG, Count)(THIS) PURE;
};
#undef INTERFACE

interface DECLSPEC_UUID("0d3c6a1e-8f42-4b7d-9a10-5e2b7c6104f4") DECLSPEC_NOVTABLE IUsagePlain : public IUnknown {
    virtual HRESULT STDMETHODCALLTYPE Ping() = 0;
};

/* _countof rejects pointers in C++ and works on members. */
struct UsageHolder {
    WCHAR name[16];
};
extern UsageHolder usage_holder;
CHECK(_countof(usage_holder.name) == 16);
CHECK(sizeof(IUsageWidget) == sizeof(void *));

/* min and max are function templates in C++, never macros, and constant expressions. */
#ifdef min
#error "min must not be a macro in C++"
#endif
#ifdef max
#error "max must not be a macro in C++"
#endif
CHECK(min(3, 4) == 3 && max(3, 4) == 4 && max(2u, sizeof(DWORD)) == 4);
