/*
 * iishost/msvc_keywords.h - stand-ins for MSVC keywords (__stdcall,
 * __declspec, __forceinline, __int64) and the SDK macros built on them
 * (WINAPI, STDMETHODCALLTYPE, DECLSPEC_*, EXTERN_C).
 *
 * Calling-convention keywords become empty: on x86-64 there is one C calling
 * convention, and clang would otherwise warn that it ignores them. Each is
 * defined only if the compiler has not made it a macro already (MinGW does).
 */
#ifndef IISHOST_MSVC_KEYWORDS_H
#define IISHOST_MSVC_KEYWORDS_H

#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef __fastcall
#define __fastcall
#endif
#ifndef __thiscall
#define __thiscall
#endif
#ifndef __vectorcall
#define __vectorcall
#endif

/* Pointer-size qualifiers of 32/64-bit Windows; meaningless here. */
#ifndef __w64
#define __w64
#endif
#ifndef __ptr32
#define __ptr32
#endif
#ifndef __ptr64
#define __ptr64
#endif
#ifndef __unaligned
#define __unaligned
#endif
#ifndef UNALIGNED
#define UNALIGNED
#endif

/* MSVC's sized integer keywords, spelled so that `unsigned __int64` works. */
#ifndef __int8
#define __int8 char
#endif
#ifndef __int16
#define __int16 short
#endif
#ifndef __int32
#define __int32 int
#endif
#ifndef __int64
#define __int64 long long
#endif

#ifndef __forceinline
#define __forceinline __inline__ __attribute__((__always_inline__))
#endif
#define FORCEINLINE __forceinline

/*
 * __declspec(x) pastes x onto IISHOST_DECLSPEC_, so each supported modifier
 * maps to its GNU attribute below; an unsupported one (property, ...) fails
 * to compile with IISHOST_DECLSPEC_<name> in the message instead of being
 * silently dropped. Arguments survive: __declspec(align(16)) becomes
 * IISHOST_DECLSPEC_align(16).
 */
#ifndef __declspec
#define __declspec(x) IISHOST_DECLSPEC_##x
#endif
/* dllexport marks what a module exports, so it must survive -fvisibility=hidden. */
#define IISHOST_DECLSPEC_dllexport __attribute__((visibility("default")))
#define IISHOST_DECLSPEC_dllimport
#define IISHOST_DECLSPEC_novtable
#define IISHOST_DECLSPEC_uuid(x)
#define IISHOST_DECLSPEC_empty_bases
#define IISHOST_DECLSPEC_noalias
#define IISHOST_DECLSPEC_allocator
#define IISHOST_DECLSPEC_safebuffers
#define IISHOST_DECLSPEC_code_seg(x)
#define IISHOST_DECLSPEC_guard(x)
/* selectany lets several translation units define one object; weak does the same. */
#define IISHOST_DECLSPEC_selectany __attribute__((weak))
#define IISHOST_DECLSPEC_noinline __attribute__((noinline))
#define IISHOST_DECLSPEC_noreturn __attribute__((noreturn))
#define IISHOST_DECLSPEC_nothrow __attribute__((nothrow))
#define IISHOST_DECLSPEC_deprecated __attribute__((deprecated))
#define IISHOST_DECLSPEC_restrict __attribute__((malloc))
#define IISHOST_DECLSPEC_align(n) __attribute__((aligned(n)))
#define IISHOST_DECLSPEC_thread __thread

#define DECLSPEC_IMPORT __declspec(dllimport)
#define DECLSPEC_EXPORT __declspec(dllexport)
#define DECLSPEC_NOVTABLE __declspec(novtable)
#define DECLSPEC_UUID(x) __declspec(uuid(x))
#define DECLSPEC_SELECTANY __declspec(selectany)
#define DECLSPEC_NOINLINE __declspec(noinline)
#define DECLSPEC_NORETURN __declspec(noreturn)
#define DECLSPEC_NOTHROW __declspec(nothrow)
#define DECLSPEC_ALIGN(x) __declspec(align(x))
#define DECLSPEC_DEPRECATED __declspec(deprecated)

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define EXTERN_C_START extern "C" {
#define EXTERN_C_END }
#else
#define EXTERN_C extern
#define EXTERN_C_START
#define EXTERN_C_END
#endif

/* Calling-convention macros of the SDK; all empty on x86-64 Linux. */
#define WINAPI __stdcall
#define WINAPIV __cdecl
#define APIENTRY WINAPI
#define CALLBACK __stdcall
#define PASCAL __stdcall
#define NTAPI __stdcall
#define WINAPI_INLINE WINAPI
#define STDMETHODCALLTYPE __stdcall
#define STDMETHODVCALLTYPE __cdecl
#define STDAPICALLTYPE __stdcall
#define STDAPIVCALLTYPE __cdecl
#define STDAPI EXTERN_C HRESULT STDAPICALLTYPE
#define STDAPI_(type) EXTERN_C type STDAPICALLTYPE
#define STDAPIV EXTERN_C HRESULT STDAPIVCALLTYPE
#define STDAPIV_(type) EXTERN_C type STDAPIVCALLTYPE
#define STDMETHODIMP HRESULT STDMETHODCALLTYPE
#define STDMETHODIMP_(type) type STDMETHODCALLTYPE
#define STDMETHODIMPV HRESULT STDMETHODVCALLTYPE
#define STDMETHODIMPV_(type) type STDMETHODVCALLTYPE

/* Import decorations of SDK function declarations; functions come from the host, not a DLL. */
#define WINBASEAPI
#define WINADVAPI
#define WINUSERAPI
#define WINOLEAPI EXTERN_C HRESULT STDAPICALLTYPE
#define WINOLEAPI_(type) EXTERN_C type STDAPICALLTYPE
#define WINOLEAUTAPI EXTERN_C HRESULT STDAPICALLTYPE
#define WINOLEAUTAPI_(type) EXTERN_C type STDAPICALLTYPE

/* Memory-model words of 16-bit Windows, still spelled in old sources. */
#ifndef FAR
#define FAR
#endif
#ifndef NEAR
#define NEAR
#endif

/* Nameless unions and structs: C11 and C++ both accept them, C99 and
 * -pedantic C++ call them extensions; __extension__ keeps -pedantic quiet. */
#if defined(__GNUC__)
#define IISHOST_NAMELESS __extension__
#else
#define IISHOST_NAMELESS
#endif

/* The SDK's names for its nameless members; empty because ours are nameless too. */
#define DUMMYUNIONNAME
#define DUMMYUNIONNAME2
#define DUMMYUNIONNAME3
#define DUMMYUNIONNAME4
#define DUMMYUNIONNAME5
#define DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME2
#define DUMMYSTRUCTNAME3
#define DUMMYSTRUCTNAME4
#define DUMMYSTRUCTNAME5

#endif /* IISHOST_MSVC_KEYWORDS_H */
