/* cxx_prelude.h: included (-include) before every C++ source of an MSVC-ABI module.
 *
 * libstdc++'s headers serve, but its compiled library is not MSVC-ABI: with its extern
 * templates off, std::string and the other templates it instantiates in the library are
 * instantiated in the module instead; libstdcxx_support.cpp has the few non-template pieces.
 * libstdc++ also turns MinGW's own printf family on (__mingw_vsnprintf, in a GNU library);
 * a Visual C++ build uses the C library's, so this turns it back off.
 *
 * Threads are winpthreads' (MinGW's libwinpthread.a, linked in), called directly: libstdc++'s
 * weak references to them (which it keeps off for MinGW targets, unlike this one) would stay
 * unresolved, leaving std::mutex unlocked and shared_ptr's counts non-atomic. */
#define _GLIBCXX_GTHREAD_USE_WEAK 0
#include <bits/c++config.h>
#undef _GLIBCXX_EXTERN_TEMPLATE
#define _GLIBCXX_EXTERN_TEMPLATE 0
#undef __USE_MINGW_ANSI_STDIO
#define __USE_MINGW_ANSI_STDIO 0
