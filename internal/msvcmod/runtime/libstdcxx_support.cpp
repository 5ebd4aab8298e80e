// libstdcxx_support.cpp: the non-template parts of libstdc++ that its headers leave to its
// library, for MSVC-ABI modules (libstdc++'s library is GNU-ABI): the standard exception
// classes and the __throw_* helpers the containers call, and std::terminate. Threads and
// clocks are in libstdcxx_threads.cpp.
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

extern "C" void __cdecl __std_terminate(void) { abort(); }

namespace std {

void terminate() noexcept { abort(); }

bad_array_new_length::~bad_array_new_length() noexcept {}
const char *bad_array_new_length::what() const noexcept { return "bad array new length"; }

// __cow_string (the message of logic_error and runtime_error): our own owned copy. A copy that
// cannot be allocated (the copy operations may not throw) leaves the message empty.
static const char *CopyMessage(const char *s, size_t n)
{
    char *p = static_cast<char *>(malloc(n + 1));
    if (p != nullptr) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}
__cow_string::__cow_string() : _M_p(nullptr) {}
__cow_string::__cow_string(const string &s) : _M_p(CopyMessage(s.data(), s.size())) {}
__cow_string::__cow_string(const char *s, size_t n) : _M_p(CopyMessage(s, n)) {}
__cow_string::__cow_string(const __cow_string &o) noexcept
    : _M_p(o._M_p != nullptr ? CopyMessage(o._M_p, strlen(o._M_p)) : nullptr) {}
__cow_string::__cow_string(__cow_string &&o) noexcept : _M_p(o._M_p) { o._M_p = nullptr; }
__cow_string &__cow_string::operator=(const __cow_string &o) noexcept
{
    if (this != &o) {
        free(const_cast<char *>(_M_p));
        _M_p = o._M_p != nullptr ? CopyMessage(o._M_p, strlen(o._M_p)) : nullptr;
    }
    return *this;
}
__cow_string &__cow_string::operator=(__cow_string &&o) noexcept
{
    if (this != &o) {
        free(const_cast<char *>(_M_p));
        _M_p = o._M_p;
        o._M_p = nullptr;
    }
    return *this;
}
__cow_string::~__cow_string() { free(const_cast<char *>(_M_p)); }

// logic_error and runtime_error hold the message; the rest only pass it on.
#define IISHOST_MESSAGE_ERROR(name)                                                          \
    name::name(const string &what) : _M_msg(what) {}                                         \
    name::name(const char *what) : _M_msg(what, strlen(what)) {}                             \
    name::name(const name &o) noexcept : exception(o), _M_msg(o._M_msg) {}                   \
    name::name(name &&o) noexcept : exception(o), _M_msg(static_cast<__cow_string &&>(o._M_msg)) {} \
    name &name::operator=(const name &o) noexcept { _M_msg = o._M_msg; return *this; }       \
    name &name::operator=(name &&o) noexcept                                                 \
    {                                                                                        \
        _M_msg = static_cast<__cow_string &&>(o._M_msg);                                     \
        return *this;                                                                        \
    }                                                                                        \
    name::~name() noexcept {}                                                                \
    const char *name::what() const noexcept { return _M_msg._M_p != nullptr ? _M_msg._M_p : ""; }
IISHOST_MESSAGE_ERROR(logic_error)
IISHOST_MESSAGE_ERROR(runtime_error)

#define IISHOST_DERIVED_ERROR(name, base)                    \
    name::name(const string &what) : base(what) {}           \
    name::name(const char *what) : base(what) {}             \
    name::~name() noexcept {}
IISHOST_DERIVED_ERROR(domain_error, logic_error)
IISHOST_DERIVED_ERROR(invalid_argument, logic_error)
IISHOST_DERIVED_ERROR(length_error, logic_error)
IISHOST_DERIVED_ERROR(out_of_range, logic_error)
IISHOST_DERIVED_ERROR(range_error, runtime_error)
IISHOST_DERIVED_ERROR(overflow_error, runtime_error)
IISHOST_DERIVED_ERROR(underflow_error, runtime_error)

void __throw_bad_alloc() { throw bad_alloc(); }
void __throw_bad_array_new_length() { throw bad_array_new_length(); }
void __throw_logic_error(const char *what) { throw logic_error(what); }
void __throw_domain_error(const char *what) { throw domain_error(what); }
void __throw_invalid_argument(const char *what) { throw invalid_argument(what); }
void __throw_length_error(const char *what) { throw length_error(what); }
void __throw_out_of_range(const char *what) { throw out_of_range(what); }
void __throw_runtime_error(const char *what) { throw runtime_error(what); }
void __throw_range_error(const char *what) { throw range_error(what); }
void __throw_overflow_error(const char *what) { throw overflow_error(what); }
void __throw_underflow_error(const char *what) { throw underflow_error(what); }
// std::system_error needs libstdc++'s error categories, which live in its library: a failing
// std::mutex or std::thread call (an error code from the system) throws runtime_error instead.
void __throw_system_error(int code)
{
    char what[128];
    snprintf(what, sizeof what, "system error %d: %s", code, strerror(code));
    throw runtime_error(what);
}
void __throw_out_of_range_fmt(const char *fmt, ...)
{
    // libstdc++ formats with %zu and %s only, which the C library's vsnprintf reads alike.
    char what[512];
    va_list args;
    va_start(args, fmt);
    vsnprintf(what, sizeof what, fmt, args);
    va_end(args);
    throw out_of_range(what);
}

}  // namespace std
