/*
 * checks.h - compile-time checks of include/windows.h, shared by the C and
 * C++ translation units of this folder (scripts/check-headers.sh compiles
 * them with every compiler and standard). Include it after <windows.h>.
 *
 * Widths, layouts and values are the Windows x64 ones (api/types.tsv,
 * api/structs.tsv, the SDK's winerror.h), except where Linux must differ:
 * WCHAR/OLECHAR (wchar_t, 4 bytes) and AF_INET6 (the kernel's 10).
 */
#ifndef IISHOST_TEST_CHECKS_H
#define IISHOST_TEST_CHECKS_H

#include <stddef.h>

#ifdef __cplusplus
#define CHECK(e) static_assert(e, #e)
#else
#define CHECK(e) _Static_assert(e, #e)
#endif

/* Scalar widths and signedness. */
CHECK(sizeof(BYTE) == 1 && sizeof(UCHAR) == 1 && sizeof(CHAR) == 1 && sizeof(BOOLEAN) == 1);
CHECK(sizeof(WORD) == 2 && sizeof(USHORT) == 2 && sizeof(SHORT) == 2);
CHECK(sizeof(INT) == 4 && sizeof(UINT) == 4 && sizeof(LONG) == 4 && sizeof(ULONG) == 4);
CHECK(sizeof(DWORD) == 4 && sizeof(BOOL) == 4 && sizeof(HRESULT) == 4 && sizeof(SCODE) == 4);
CHECK(sizeof(LONGLONG) == 8 && sizeof(ULONGLONG) == 8 && sizeof(DWORD64) == 8 && sizeof(ULONG64) == 8);
CHECK(sizeof(LONG64) == 8 && sizeof(INT64) == 8 && sizeof(UINT64) == 8 && sizeof(unsigned __int64) == 8);
CHECK(sizeof(DWORD_PTR) == sizeof(void *) && sizeof(ULONG_PTR) == sizeof(void *));
CHECK(sizeof(LONG_PTR) == sizeof(void *) && sizeof(INT_PTR) == sizeof(void *) && sizeof(UINT_PTR) == sizeof(void *));
CHECK(sizeof(SIZE_T) == sizeof(size_t) && sizeof(SSIZE_T) == sizeof(size_t));
CHECK(sizeof(FLOAT) == 4 && sizeof(DOUBLE) == 8 && sizeof(DATE) == 8);
CHECK(sizeof(HANDLE) == sizeof(void *) && sizeof(HMODULE) == sizeof(void *) && sizeof(PSID) == sizeof(void *));
CHECK(sizeof(WCHAR) == sizeof(wchar_t) && sizeof(OLECHAR) == sizeof(WCHAR));
CHECK(sizeof(VARIANT_BOOL) == 2 && sizeof(VARTYPE) == 2);
CHECK(sizeof(LCID) == 4 && sizeof(LANGID) == 2 && sizeof(ATOM) == 2 && sizeof(DISPID) == 4);
CHECK((LONG)-1 < 0 && (HRESULT)-1 < 0 && (INT)-1 < 0 && (SHORT)-1 < 0 && (LONGLONG)-1 < 0);
CHECK((DWORD)-1 > 0 && (ULONG)-1 > 0 && (WORD)-1 > 0 && (BYTE)-1 > 0 && (BOOLEAN)-1 > 0);
CHECK((ULONGLONG)-1 > 0 && (ULONG_PTR)-1 > 0 && (SIZE_T)-1 > 0 && (VARTYPE)-1 > 0);
CHECK((VARIANT_BOOL)-1 < 0 && (LONG_PTR)-1 < 0);

/* Constants. */
CHECK(TRUE == 1 && FALSE == 0);
CHECK(MAX_PATH == 260 && INFINITE == 0xFFFFFFFF);
CHECK(VARIANT_TRUE == -1 && VARIANT_FALSE == 0 && sizeof(VARIANT_TRUE) == 2);
CHECK(VT_BSTR == 8 && VT_BYREF == 0x4000 && FADF_BSTR == 0x100);
#ifdef __linux__
CHECK(AF_INET == 2 && AF_INET6 == 10);
#endif

/* HRESULT machinery. */
CHECK(S_OK == 0 && S_FALSE == 1);
CHECK((DWORD)E_NOTIMPL == 0x80004001u && (DWORD)E_NOINTERFACE == 0x80004002u);
CHECK((DWORD)E_POINTER == 0x80004003u && (DWORD)E_ABORT == 0x80004004u && (DWORD)E_FAIL == 0x80004005u);
CHECK((DWORD)E_UNEXPECTED == 0x8000FFFFu && (DWORD)E_PENDING == 0x8000000Au);
CHECK((DWORD)E_ACCESSDENIED == 0x80070005u && (DWORD)E_HANDLE == 0x80070006u);
CHECK((DWORD)E_OUTOFMEMORY == 0x8007000Eu && (DWORD)E_INVALIDARG == 0x80070057u);
CHECK(E_NOTIMPL < 0 && E_FAIL < 0 && E_INVALIDARG < 0);
CHECK(FAILED(E_NOTIMPL) && FAILED(E_FAIL) && !FAILED(S_OK) && !FAILED(S_FALSE));
CHECK(SUCCEEDED(S_OK) && SUCCEEDED(S_FALSE) && !SUCCEEDED(E_OUTOFMEMORY));
CHECK(IS_ERROR(E_FAIL) && !IS_ERROR(S_FALSE));
CHECK(HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER) == (HRESULT)0x8007007A);
CHECK(HRESULT_FROM_WIN32(ERROR_SUCCESS) == S_OK);
CHECK(HRESULT_FROM_WIN32(E_FAIL) == E_FAIL && HRESULT_FROM_WIN32(E_NOTIMPL) == E_NOTIMPL);
CHECK(HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED) == E_ACCESSDENIED);
CHECK(HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE) == E_HANDLE);
CHECK(HRESULT_FROM_WIN32(ERROR_OUTOFMEMORY) == E_OUTOFMEMORY);
CHECK(HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER) == E_INVALIDARG);
CHECK(HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER) == E_NOT_SUFFICIENT_BUFFER);
CHECK(HRESULT_FROM_WIN32(ERROR_NOT_FOUND) == E_NOT_SET);
CHECK(HRESULT_FROM_WIN32(ERROR_INVALID_STATE) == E_NOT_VALID_STATE);
CHECK(HRESULT_CODE(E_INVALIDARG) == 0x57 && HRESULT_FACILITY(E_INVALIDARG) == FACILITY_WIN32);
CHECK(HRESULT_SEVERITY(E_FAIL) == SEVERITY_ERROR && HRESULT_SEVERITY(S_FALSE) == SEVERITY_SUCCESS);
CHECK(MAKE_HRESULT(SEVERITY_ERROR, FACILITY_WIN32, ERROR_ACCESS_DENIED) == E_ACCESSDENIED);
CHECK(HRESULT_FROM_WIN32(ERROR_MORE_DATA) == (HRESULT)0x800700EA);

/* The Win32 error codes the brief lists, with their SDK values. */
CHECK(ERROR_SUCCESS == 0 && ERROR_FILE_NOT_FOUND == 2 && ERROR_PATH_NOT_FOUND == 3);
CHECK(ERROR_ACCESS_DENIED == 5 && ERROR_INVALID_HANDLE == 6 && ERROR_NOT_ENOUGH_MEMORY == 8);
CHECK(ERROR_OUTOFMEMORY == 14 && ERROR_INVALID_DATA == 13 && ERROR_NOT_SUPPORTED == 50);
CHECK(ERROR_INVALID_PARAMETER == 87 && ERROR_INSUFFICIENT_BUFFER == 122 && ERROR_INVALID_NAME == 123);
CHECK(ERROR_ALREADY_EXISTS == 183 && ERROR_MORE_DATA == 234 && ERROR_NO_MORE_ITEMS == 259);
CHECK(ERROR_OPERATION_ABORTED == 995 && ERROR_IO_INCOMPLETE == 996 && ERROR_IO_PENDING == 997);
CHECK(ERROR_NOT_FOUND == 1168 && ERROR_CONNECTION_ABORTED == 1236 && ERROR_NETNAME_DELETED == 64);
CHECK(ERROR_HANDLE_EOF == 38 && ERROR_INVALID_INDEX == 1413 && ERROR_TIMEOUT == 1460);
CHECK(ERROR_NOT_READY == 21 && ERROR_BAD_FORMAT == 11 && ERROR_ARITHMETIC_OVERFLOW == 534);
CHECK(ERROR_INVALID_FLAGS == 1004 && ERROR_PROC_NOT_FOUND == 127 && ERROR_MOD_NOT_FOUND == 126);
CHECK(ERROR_GEN_FAILURE == 31 && ERROR_BAD_LENGTH == 24 && ERROR_BUFFER_OVERFLOW == 111);
CHECK(ERROR_INVALID_STATE == 5023 && ERROR_NOT_ENOUGH_QUOTA == 1816 && ERROR_UNEXP_NET_ERR == 59);
CHECK(ERROR_CANCELLED == 1223 && ERROR_BAD_CONFIGURATION == 1610 && ERROR_DLL_INIT_FAILED == 1114);

/* Word packing. */
CHECK(MAKELONG(0x1234, 0x5678) == 0x56781234 && MAKEWORD(0x34, 0x12) == 0x1234);
CHECK(LOWORD(0x56781234) == 0x1234 && HIWORD(0x56781234) == 0x5678);
CHECK(LOBYTE(0x1234) == 0x34 && HIBYTE(0x1234) == 0x12);

/* Structure layouts (Windows x64 offsets; api/structs.tsv for the OLE ones). */
CHECK(sizeof(GUID) == 16 && offsetof(GUID, Data2) == 4 && offsetof(GUID, Data3) == 6 && offsetof(GUID, Data4) == 8);
CHECK(sizeof(IID) == 16 && sizeof(CLSID) == 16);
CHECK(sizeof(FILETIME) == 8 && offsetof(FILETIME, dwHighDateTime) == 4);
CHECK(sizeof(SYSTEMTIME) == 16 && offsetof(SYSTEMTIME, wMilliseconds) == 14);
CHECK(sizeof(LARGE_INTEGER) == 8 && offsetof(LARGE_INTEGER, HighPart) == 4 && offsetof(LARGE_INTEGER, u.HighPart) == 4);
CHECK(sizeof(ULARGE_INTEGER) == 8 && offsetof(ULARGE_INTEGER, QuadPart) == 0 && offsetof(ULARGE_INTEGER, HighPart) == 4);
CHECK(sizeof(OVERLAPPED) == 32 && offsetof(OVERLAPPED, InternalHigh) == 8);
CHECK(offsetof(OVERLAPPED, Offset) == 16 && offsetof(OVERLAPPED, OffsetHigh) == 20);
CHECK(offsetof(OVERLAPPED, Pointer) == 16 && offsetof(OVERLAPPED, hEvent) == 24);
CHECK(sizeof(SECURITY_ATTRIBUTES) == 24 && offsetof(SECURITY_ATTRIBUTES, bInheritHandle) == 16);
CHECK(sizeof(SOCKADDR) == 16 && sizeof(SOCKADDR_IN) == 16 && sizeof(SOCKADDR_IN6) == 28);
CHECK(sizeof(SOCKADDR_STORAGE) == 128 && sizeof(IN_ADDR) == 4 && sizeof(IN6_ADDR) == 16);
CHECK(offsetof(SOCKADDR_IN, sin_port) == 2 && offsetof(SOCKADDR_IN, sin_addr) == 4 && offsetof(SOCKADDR_IN, sin_zero) == 8);
CHECK(offsetof(SOCKADDR_IN6, sin6_flowinfo) == 4 && offsetof(SOCKADDR_IN6, sin6_addr) == 8);
CHECK(offsetof(SOCKADDR_IN6, sin6_scope_id) == 24 && offsetof(SOCKADDR_IN6, sin6_scope_struct) == 24);
CHECK(sizeof(VARIANT) == 24 && offsetof(VARIANT, vt) == 0 && offsetof(VARIANT, wReserved3) == 6);
CHECK(offsetof(VARIANT, lVal) == 8 && offsetof(VARIANT, bstrVal) == 8 && offsetof(VARIANT, pRecInfo) == 16);
CHECK(offsetof(VARIANT, decVal) == 0 && sizeof(VARIANTARG) == 24);
CHECK(sizeof(DECIMAL) == 16 && offsetof(DECIMAL, scale) == 2 && offsetof(DECIMAL, sign) == 3);
CHECK(offsetof(DECIMAL, Hi32) == 4 && offsetof(DECIMAL, Lo32) == 8 && offsetof(DECIMAL, Mid32) == 12);
CHECK(sizeof(CY) == 8 && offsetof(CY, Hi) == 4);
CHECK(sizeof(SAFEARRAY) == 32 && offsetof(SAFEARRAY, pvData) == 16 && offsetof(SAFEARRAY, rgsabound) == 24);
CHECK(sizeof(SAFEARRAYBOUND) == 8 && sizeof(DISPPARAMS) == 24 && offsetof(DISPPARAMS, cNamedArgs) == 20);
CHECK(sizeof(EXCEPINFO) == 64 && offsetof(EXCEPINFO, pfnDeferredFillIn) == 48 && offsetof(EXCEPINFO, scode) == 56);

#endif /* IISHOST_TEST_CHECKS_H */
