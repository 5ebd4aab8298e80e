/*
 * oaidl.h - OLE automation's aggregate types (VARIANT, SAFEARRAY,
 * DISPPARAMS, EXCEPINFO), then IUnknown and IDispatch from the generated
 * iishost/com_interfaces.h, as the SDK's oaidl.h does.
 * Layouts follow api/structs.tsv (scripts/check-layout.sh asserts them).
 */
#if defined(_WIN32)
/* On Windows the platform's own header serves; iishost adds only the IIS SDK headers. */
#include_next <oaidl.h>
#else
#ifndef IISHOST_OAIDL_H
#define IISHOST_OAIDL_H

#include "iishost/wintypes.h"
#include "iishost/guid.h"
#include "wtypes.h"

typedef LONG DISPID;
typedef DISPID MEMBERID;

#define DISPID_UNKNOWN (-1)
#define DISPID_VALUE 0
#define DISPID_PROPERTYPUT (-3)
#define DISPID_NEWENUM (-4)

/* IDispatch::Invoke wFlags. */
#define DISPATCH_METHOD 0x1
#define DISPATCH_PROPERTYGET 0x2
#define DISPATCH_PROPERTYPUT 0x4
#define DISPATCH_PROPERTYPUTREF 0x8

/* Interfaces that only appear behind pointers here. IUnknown and IDispatch
 * are declared by iishost/com_interfaces.h; the members below name them as
 * `struct X *` so they need no typedef of ours. The guard names are MIDL's. */
#ifdef __cplusplus
struct IUnknown;
struct IDispatch;
#endif
#ifndef __ITypeInfo_FWD_DEFINED__
#define __ITypeInfo_FWD_DEFINED__
#ifdef __cplusplus
struct ITypeInfo;
#else
typedef struct ITypeInfo ITypeInfo;
#endif
#endif
#ifndef __IRecordInfo_FWD_DEFINED__
#define __IRecordInfo_FWD_DEFINED__
#ifdef __cplusplus
struct IRecordInfo;
#else
typedef struct IRecordInfo IRecordInfo;
#endif
#endif

typedef struct tagSAFEARRAYBOUND {
    ULONG cElements;
    LONG lLbound;
} SAFEARRAYBOUND, *LPSAFEARRAYBOUND;

/* rgsabound really holds cDims bounds: the array is allocated longer. */
typedef struct tagSAFEARRAY {
    USHORT cDims;
    USHORT fFeatures; /* FADF_* */
    ULONG cbElements;
    ULONG cLocks;
    PVOID pvData;
    SAFEARRAYBOUND rgsabound[1];
} SAFEARRAY, *LPSAFEARRAY;

/*
 * The tagged value of automation: vt (a VT_* value, possibly | VT_BYREF or
 * VT_ARRAY) says which member of the union at offset 8 is live. decVal
 * overlays the whole first 16 bytes, vt included, as on Windows (DECIMAL's
 * wReserved is where vt sits). 24 bytes, passed by value in several ahadmin
 * methods.
 */
IISHOST_NAMELESS typedef struct tagVARIANT {
    IISHOST_NAMELESS union {
        IISHOST_NAMELESS struct {
            VARTYPE vt;
            WORD wReserved1;
            WORD wReserved2;
            WORD wReserved3;
            IISHOST_NAMELESS union {
                LONGLONG llVal;
                LONG lVal;
                BYTE bVal;
                SHORT iVal;
                FLOAT fltVal;
                DOUBLE dblVal;
                VARIANT_BOOL boolVal;
                VARIANT_BOOL __OBSOLETE__VARIANT_BOOL;
                SCODE scode;
                CY cyVal;
                DATE date;
                BSTR bstrVal;
                struct IUnknown *punkVal;
                struct IDispatch *pdispVal;
                SAFEARRAY *parray;
                BYTE *pbVal;
                SHORT *piVal;
                LONG *plVal;
                LONGLONG *pllVal;
                FLOAT *pfltVal;
                DOUBLE *pdblVal;
                VARIANT_BOOL *pboolVal;
                VARIANT_BOOL *__OBSOLETE__VARIANT_PBOOL;
                SCODE *pscode;
                CY *pcyVal;
                DATE *pdate;
                BSTR *pbstrVal;
                struct IUnknown **ppunkVal;
                struct IDispatch **ppdispVal;
                SAFEARRAY **pparray;
                struct tagVARIANT *pvarVal;
                PVOID byref;
                CHAR cVal;
                USHORT uiVal;
                ULONG ulVal;
                ULONGLONG ullVal;
                INT intVal;
                UINT uintVal;
                DECIMAL *pdecVal;
                CHAR *pcVal;
                USHORT *puiVal;
                ULONG *pulVal;
                ULONGLONG *pullVal;
                INT *pintVal;
                UINT *puintVal;
                /* VT_RECORD: the record and the IRecordInfo that describes it. */
                IISHOST_NAMELESS struct {
                    PVOID pvRecord;
                    struct IRecordInfo *pRecInfo;
                };
            };
        };
        DECIMAL decVal;
    };
} VARIANT, VARIANTARG, *LPVARIANT, *LPVARIANTARG;

typedef struct tagDISPPARAMS {
    VARIANTARG *rgvarg;
    DISPID *rgdispidNamedArgs;
    UINT cArgs;
    UINT cNamedArgs;
} DISPPARAMS;

typedef struct tagEXCEPINFO {
    WORD wCode;
    WORD wReserved;
    BSTR bstrSource;
    BSTR bstrDescription;
    BSTR bstrHelpFile;
    DWORD dwHelpContext;
    PVOID pvReserved;
    HRESULT (STDAPICALLTYPE *pfnDeferredFillIn)(struct tagEXCEPINFO *);
    SCODE scode;
} EXCEPINFO, *LPEXCEPINFO;

#include "iishost/com_interfaces.h"

#endif /* IISHOST_OAIDL_H */
#endif /* _WIN32 */
