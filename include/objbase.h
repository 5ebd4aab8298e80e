/*
 * objbase.h - COM declaration macros (interface, STDMETHOD, PURE, THIS,
 * DECLARE_INTERFACE, MIDL_INTERFACE) and IUnknown. The COM functions
 * (CoCreateInstance, ...) come from the host's compatibility layer.
 *
 * windows.h includes this unless WIN32_LEAN_AND_MEAN is defined, as on
 * Windows: `interface` as a macro for `struct` breaks any header that uses
 * the word as an identifier, so a module can keep it out.
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <objbase.h>
#else
#ifndef IISHOST_OBJBASE_H
#define IISHOST_OBJBASE_H

#include "iishost/wintypes.h"
#include "iishost/guid.h"
#include "unknwn.h"

#ifndef interface
#define interface struct
#endif

#define BEGIN_INTERFACE
#define END_INTERFACE
#define MIDL_INTERFACE(x) struct DECLSPEC_UUID(x) DECLSPEC_NOVTABLE

/*
 * Methods of an interface declared by hand, with `#define INTERFACE IFoo`
 * in effect: virtual functions in C++, function-pointer members of
 * IFooVtbl in C (whose first parameter is the object, THIS).
 */
#ifdef __cplusplus
#define STDMETHOD(method) virtual HRESULT STDMETHODCALLTYPE method
#define STDMETHOD_(type, method) virtual type STDMETHODCALLTYPE method
#define STDMETHODV(method) virtual HRESULT STDMETHODVCALLTYPE method
#define STDMETHODV_(type, method) virtual type STDMETHODVCALLTYPE method
#define PURE = 0
#define THIS_
#define THIS void
#define DECLARE_INTERFACE(iface) interface DECLSPEC_NOVTABLE iface
#define DECLARE_INTERFACE_(iface, baseiface) interface DECLSPEC_NOVTABLE iface : public baseiface
#else
#define STDMETHOD(method) HRESULT (STDMETHODCALLTYPE *method)
#define STDMETHOD_(type, method) type (STDMETHODCALLTYPE *method)
#define STDMETHODV(method) HRESULT (STDMETHODVCALLTYPE *method)
#define STDMETHODV_(type, method) type (STDMETHODVCALLTYPE *method)
#define PURE
#define THIS_ INTERFACE *This,
#define THIS INTERFACE *This
#define DECLARE_INTERFACE(iface) \
    typedef interface iface { const struct iface##Vtbl *lpVtbl; } iface; \
    typedef struct iface##Vtbl iface##Vtbl; \
    struct iface##Vtbl
#define DECLARE_INTERFACE_(iface, baseiface) DECLARE_INTERFACE(iface)
#endif

#endif /* IISHOST_OBJBASE_H */
#endif /* _WIN32 */
